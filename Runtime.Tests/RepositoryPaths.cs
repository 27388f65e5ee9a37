namespace AutoDiff.Runtime.Tests;

/// <summary>Where the repository the tests run from is: the folder holding AutoDiff.sln above the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    /// <summary>The MNIST the repository ships.</summary>
    public static string Mnist => Path.Combine(Root, "data", "mnist");

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AutoDiff.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("The repository root (AutoDiff.sln) was not found above the test binaries.");
    }
}

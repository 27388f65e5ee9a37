namespace AutoDiff.Benchmarks;

/// <summary>The repository the benchmarks run from (BenchmarkDotNet runs them from a generated folder below it).</summary>
internal static class Repository
{
    /// <summary>The folder holding AutoDiff.sln, above the current folder or the benchmark binaries.</summary>
    public static string Root
    {
        get
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    if (File.Exists(Path.Combine(directory.FullName, "AutoDiff.sln")))
                    {
                        return directory.FullName;
                    }
                }
            }

            throw new DirectoryNotFoundException("AutoDiff.sln was not found above the current folder or the benchmark binaries.");
        }
    }
}

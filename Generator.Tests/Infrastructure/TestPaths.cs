using System.Runtime.CompilerServices;

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>Folders of the test project's source tree (the tests read kernels and snapshots from there).</summary>
public static class TestPaths
{
    public static string Project { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Here())!, ".."));

    public static string Repository => Path.GetFullPath(Path.Combine(Project, ".."));

    public static string Kernels => Path.Combine(Project, "Kernels");

    public static string Snapshots => Path.Combine(Project, "Snapshots");

    private static string Here([CallerFilePath] string path = "") => path;
}

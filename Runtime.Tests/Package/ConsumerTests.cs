using System.Diagnostics;
using System.Globalization;

namespace AutoDiff.Runtime.Tests.Package;

/// <summary>
/// The package as a user meets it: <c>dotnet pack</c> the runtime (with the generator inside) into a temporary
/// folder, create a console project outside the repository whose only addition to its feeds is that folder,
/// give it its own [Differentiable] loss, build and run it, and check the gradient it prints.
/// </summary>
public sealed class ConsumerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-consumer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_fresh_project_referencing_the_package_generates_and_runs_its_own_gradient()
    {
        string repository = RepositoryPaths.Root;
        string feed = Path.Combine(_folder, "feed");
        string app = Path.Combine(_folder, "app");
        Directory.CreateDirectory(app);

        // A version of its own, so the NuGet cache never serves an older build of the package.
        string version = "0.1.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Run("dotnet", $"pack \"{Path.Combine(repository, "Runtime", "Runtime.csproj")}\" -c Release -o \"{feed}\" -p:Version={version}", repository);
        string package = Path.Combine(feed, $"AutoDiff.{version}.nupkg");
        Assert.True(File.Exists(package), "the package was not written");
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            // The generator, its analyzer and the code fixes as analyzers; only the runtime (and its docs) as the library.
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Equal(["analyzers/dotnet/cs/AutoDiff.CodeFixes.dll", "analyzers/dotnet/cs/AutoDiff.Generator.dll"], entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Order());
            Assert.Equal(["lib/net10.0/AutoDiff.dll", "lib/net10.0/AutoDiff.xml"], entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).Order());
            Assert.Equal(["build/AutoDiff.props", "buildTransitive/AutoDiff.props"], entries.Where(e => e.StartsWith("build", StringComparison.Ordinal)).Order());
        }

        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autodiff-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AutoDiff" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using AutoDiff;

            // f(x, y) = x²·y + sin(x); ∂f/∂x = 2xy + cos(x), ∂f/∂y = x².
            float value = MyLoss.FGradient(1.5f, -2f, out float dX, out float dY);
            var d = new float[3];
            float mean = MyLoss.FMean(new[] { 1f, 2f, 3f }, new[] { 1f, 1f, 1f }, d, new float[3]);
            Console.WriteLine(string.Join(" ", new[] { value, dX, dY, mean, d[2] }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

            public static partial class MyLoss
            {
                [Differentiable]
                public static float F(float x, float y) => x * x * y + MathF.Sin(x);
            }
            """);

        string output = Run("dotnet", "run -c Release", app).Trim().Split('\n')[^1];
        var numbers = output.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal((1.5 * 1.5 * -2) + Math.Sin(1.5), numbers[0], tolerance: 2e-6 * Math.Max(1, Math.Abs(numbers[0])));
        Assert.Equal((2 * 1.5 * -2) + Math.Cos(1.5), numbers[1], tolerance: 2e-6 * Math.Max(1, Math.Abs(numbers[1])));
        Assert.Equal(1.5 * 1.5, numbers[2], tolerance: 2e-6 * Math.Max(1, Math.Abs(numbers[2])));
        Assert.Equal((1 + Math.Sin(1) + 4 + Math.Sin(2) + 9 + Math.Sin(3)) / 3, numbers[3], tolerance: 2e-6 * Math.Max(1, Math.Abs(numbers[3])));
        Assert.Equal(((2 * 3) + Math.Cos(3)) / 3, numbers[4], tolerance: 2e-6 * Math.Max(1, Math.Abs(numbers[4]))); // ∂mean/∂x₃ = (2x₃y₃ + cos x₃)/3

        // The signature analyzer runs in the user's build too: a type that is not partial fails with AD0005.
        File.WriteAllText(Path.Combine(app, "Broken.cs"), """
            using AutoDiff;

            public static class NotPartial
            {
                [Differentiable]
                public static float G(float x) => x * x;
            }
            """);
        string failure = Run("dotnet", "build -c Release", app, expectSuccess: false);
        Assert.Contains("Broken.cs(3,21): error AD0005", failure, StringComparison.Ordinal);

        // Without analyzers the generator reports it (the package's build/AutoDiff.props shows it RunAnalyzers):
        // never skipped in silence, never reported twice.
        string quiet = Run("dotnet", "build -c Release -p:RunAnalyzers=false", app, expectSuccess: false);
        Assert.Single(quiet.Split('\n').Where(l => l.Contains("Broken.cs(3,21): error AD0005", StringComparison.Ordinal)).Distinct());
    }

    [Fact]
    public void The_symbols_package_maps_the_sources_to_the_repository_commit()
    {
        // A clone whose origin is the public repository, packed as CI packs (ContinuousIntegrationBuild): the
        // SDK's SourceLink writes the map into the pdb, with deterministic /_/ paths, and the nuspec names the commit.
        string clone = Path.Combine(_folder, "clone");
        Run("git", $"clone --quiet \"{RepositoryPaths.Root}\" \"{clone}\"", _folder);
        Run("git", "remote set-url origin https://github.com/autodiff/autodiff", clone);
        string commit = Run("git", "rev-parse HEAD", clone).Trim();
        string feed = Path.Combine(_folder, "feed");
        Run("dotnet", $"pack Runtime/Runtime.csproj -c Release -o \"{feed}\" -p:Version=0.1.0-sourcelink -p:ContinuousIntegrationBuild=true", clone);

        using var symbols = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, "AutoDiff.0.1.0-sourcelink.snupkg"));
        using var pdb = new StreamReader(symbols.GetEntry("lib/net10.0/AutoDiff.pdb")!.Open(), System.Text.Encoding.Latin1);
        Assert.Contains($"{{\"documents\":{{\"/_/*\":\"https://raw.githubusercontent.com/autodiff/autodiff/{commit}/*\"}}}}", pdb.ReadToEnd(), StringComparison.Ordinal);

        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, "AutoDiff.0.1.0-sourcelink.nupkg"));
        using var nuspec = new StreamReader(package.GetEntry("AutoDiff.nuspec")!.Open());
        string metadata = nuspec.ReadToEnd();
        Assert.Contains("<repository type=\"git\" url=\"https://github.com/autodiff/autodiff\"", metadata, StringComparison.Ordinal);
        Assert.Contains($"commit=\"{commit}\"", metadata, StringComparison.Ordinal);
    }

    private static string Run(string file, string arguments, string directory, bool expectSuccess = true)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{file} {arguments}' took more than 4 minutes");
        }

        Assert.True((process.ExitCode == 0) == expectSuccess, $"'{file} {arguments}' in {directory} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}

using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AutoDiff.Generator.Analyzers;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableDictionary<string, string> Sources,
    GeneratorDriver Driver)
{
    /// <summary>Errors the C# compiler finds in the input plus the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>Emits and loads the compiled assembly (collectible), failing with the compiler's errors if any.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var result = Output.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Compilation failed:\n" + string.Join("\n",
                result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        }

        // The generated code is warning-free: a user's build with warnings as errors must not fail on it.
        var generated = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning &&
                                                      d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
        if (generated.Count > 0)
        {
            throw new InvalidOperationException("The generated code has warnings:\n" + string.Join("\n", generated.Take(20)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("kernels-" + Guid.NewGuid(), isCollectible: true).LoadFromStream(stream);
    }
}

/// <summary>Drives <see cref="DifferentiableGenerator"/> over C# source in memory, as the compiler does.</summary>
public static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly ImmutableArray<MetadataReference> References =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(AD).Assembly.Location))
            .ToImmutableArray();

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Kernels" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true,
                optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(params string[] sources) => Run(Compilation(sources));

    /// <summary>The source run through the generator with no diagnostic, compiled and loaded: its type of that name.</summary>
    public static Type CompileType(string source, string typeName)
    {
        var run = Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        return run.Load().GetType(typeName, throwOnError: true)!;
    }

    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }

        var sources = result.GeneratedSources.ToImmutableDictionary(s => s.HintName, s => s.SourceText.ToString());
        var all = diagnostics.AddRange(result.Diagnostics).AddRange(Analyze(compilation)).Distinct().ToImmutableArray();
        return new GeneratorRun(compilation, output, all, sources, driver);
    }

    /// <summary>What the signature analyzer reports on the user's code (as the build and the editor run it beside the generator).</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation) =>
        Checked(compilation.WithAnalyzers([new SignatureAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult());

    /// <summary>What the signature analyzer reports on one file, as an editor asks after an edit.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, SyntaxTree tree) =>
        Checked(compilation.WithAnalyzers([new SignatureAnalyzer()])
            .GetAnalysisResultAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult().GetAllDiagnostics());

    private static ImmutableArray<Diagnostic> Checked(ImmutableArray<Diagnostic> diagnostics)
    {
        if (diagnostics.FirstOrDefault(d => d.Descriptor.Category != "AutoDiff") is { } failure)
        {
            // The analyzer threw: Roslyn turns that into a diagnostic of its own.
            throw new InvalidOperationException("The signature analyzer threw: " + failure.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        return diagnostics;
    }
}

using System.Collections.Immutable;
using AutoDiff.Generator;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Benchmarks;

/// <summary>
/// What the generator costs a build of 200 <c>[Differentiable]</c> methods
/// (<c>Generator.Tests/Sources/TwoHundredMethods.cs</c>), beside compiling the same project without it:
/// a full generator run, the generator's incremental run after an edit to one method body (the
/// <c>Of_200_methods_an_edit_to_one_body_regenerates_that_one</c> test checks that one method is
/// regenerated), the signature analyzer a build also runs, and the whole compile with the generated code. Each compile starts from a fresh
/// <see cref="Compilation"/> (no cached binding).
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*GeneratorBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private const string Body = "MathF.Tanh(0.85f * x) + x * x";
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        string source = File.ReadAllText(Path.Combine(Repository.Root, "Generator.Tests", "Sources", "TwoHundredMethods.cs"));
        var references = Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location)).ToImmutableArray();
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "TwoHundredMethods.cs");
        _compilation = CSharpCompilation.Create("TwoHundred", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        int at = source.IndexOf(Body, StringComparison.Ordinal);
        _edited = _compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(new TextSpan(at, Body.Length), "MathF.Tanh(0.85f * x) + x")));
        _warmDriver = NewDriver().RunGenerators(_compilation.Clone());
        NewDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out var output, out _);
        var errors = Emit(output);
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("The 200-method project does not compile: " + string.Join("\n", errors.Take(5)));
        }
    }

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], parseOptions: ParseOptions);

    private static ImmutableArray<Diagnostic> Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    [Benchmark(Baseline = true, Description = "compile without the generator")]
    public int CompileWithoutGenerator() => Emit(_compilation.Clone()).Length;

    [Benchmark(Description = "generator, full run")]
    public GeneratorDriver GeneratorFullRun() => NewDriver().RunGenerators(_compilation.Clone());

    [Benchmark(Description = "generator, after a one-method edit")]
    public GeneratorDriver GeneratorIncrementalRun() => _warmDriver.RunGenerators(_edited.Clone());

    [Benchmark(Description = "signature analyzer, whole project")]
    public int SignatureAnalyzerRun() =>
        _compilation.Clone().WithAnalyzers([new AutoDiff.Generator.Analyzers.SignatureAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;

    [Benchmark(Description = "compile with the generator and its output")]
    public int CompileWithGenerator()
    {
        NewDriver().RunGeneratorsAndUpdateCompilation(_compilation.Clone(), out var output, out _);
        return Emit(output).Length;
    }
}

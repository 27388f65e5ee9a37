using System.Collections.Immutable;
using System.Diagnostics;
using AutoDiff.Generator;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Benchmarks;

/// <summary>
/// What compiling each kind of generated member costs: the generator's output for the 200 methods of
/// <c>Generator.Tests/Sources/TwoHundredMethods.cs</c> compiled in memory (Roslyn 5.9, a fresh compilation each
/// time, medians of 7) whole and with kinds of members removed, beside the project without any of it. DESIGN.md
/// asks of every method the scalar gradient, the lanes forms, the span forms and the operator struct. "Scalar"
/// counts every form without vector or span parameters (the gradient, Jvp and Hessian); "span" the kernel structs
/// the runtime's loops run, the public span and batch forms that check and call them, and a row method's row
/// kernels. <c>dotnet run -c Release --project Benchmarks -- --generated-code-cost</c>
/// </summary>
internal static class GeneratedCodeCost
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static int Run()
    {
        string source = File.ReadAllText(Path.Combine(Repository.Root, "Generator.Tests", "Sources", "TwoHundredMethods.cs"));
        var references = Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location)).ToImmutableArray();
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, path: "TwoHundredMethods.cs");
        var compilation = CSharpCompilation.Create("TwoHundred", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var generated = output.SyntaxTrees.Where(t => t != tree).Select(t => t.GetRoot()).ToList();

        // Roslyn warms up over the first compiles: everything is compiled once before the timings.
        Median(() => output.Clone());
        double bare = Median(() => compilation.Clone());
        Console.WriteLine($"the 200 methods without the generator: {bare:F0} ms");
        (string Name, Func<string, bool> Keep)[] variants =
        [
            ("everything the generator writes", _ => true),
            ("the scalar gradient and the lanes forms (no span forms, no operator struct, which calls them)", kind => kind is "scalar" or "lanes"),
            ("the scalar gradient alone", kind => kind == "scalar"),
        ];
        foreach (var (name, keep) in variants)
        {
            var trees = generated.Select(root => CSharpSyntaxTree.ParseText(new Keep(keep).Visit(root).ToFullString(), ParseOptions)).ToList();
            int lines = trees.Sum(t => t.GetText().Lines.Count);
            var errors = compilation.AddSyntaxTrees(trees).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
            if (errors.Count > 0)
            {
                Console.Error.WriteLine($"{name}: does not compile: {string.Join("; ", errors)}");
                return 1;
            }

            double ms = Median(() => compilation.AddSyntaxTrees(trees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), ParseOptions))));
            Console.WriteLine($"{name}: {lines:N0} lines, {ms:F0} ms, +{100 * (ms - bare) / bare:F0}%");
        }

        return 0;
    }

    // Emits the compilation `create` returns seven times (each a fresh one: nothing bound is reused); the median.
    private static double Median(Func<Compilation> create)
    {
        var times = new List<double>();
        for (int k = 0; k < 7; k++)
        {
            var fresh = create();
            var watch = Stopwatch.StartNew();
            using var stream = new MemoryStream();
            fresh.Emit(stream);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[3];
    }

    // Keeps the members of the generated partial types whose kind passes: "scalar" (no vector or span
    // parameter), "lanes" (Vector<T> parameters), "operator" (the operator struct), "span" (the rest).
    private sealed class Keep(Func<string, bool> keep) : CSharpSyntaxRewriter
    {
        private static string Kind(MemberDeclarationSyntax member) => member switch
        {
            StructDeclarationSyntax s when s.Identifier.Text.EndsWith("Operator", StringComparison.Ordinal) => "operator",
            MethodDeclarationSyntax m when m.ParameterList.ToString().Contains("Span<", StringComparison.Ordinal) || !m.Modifiers.Any(SyntaxKind.PublicKeyword) => "span",
            MethodDeclarationSyntax m when m.ParameterList.ToString().Contains("Vector<", StringComparison.Ordinal) => "lanes",
            MethodDeclarationSyntax => "scalar",
            _ => "span",
        };

        public override SyntaxNode? VisitClassDeclaration(ClassDeclarationSyntax node) =>
            base.VisitClassDeclaration(node.WithMembers(SyntaxFactory.List(node.Members.Where(m => m is ClassDeclarationSyntax || keep(Kind(m))))));
    }
}

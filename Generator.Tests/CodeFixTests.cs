using AutoDiff.CodeFixes;
using AutoDiff.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// The code fixes, applied as an editor applies them (a workspace document, the diagnostic the build reports), and
/// the fixed source run through the generator and the analyzer again: no diagnostic left, and its gradient compiles.
/// </summary>
public sealed class CodeFixTests
{
    [Theory]
    [InlineData(
        "public static class K\n{\n    [Differentiable]\n    public static float F(float x) => x * x;\n}\n",
        "public static partial class K\n{\n    [Differentiable]\n    public static float F(float x) => x * x;\n}\n")]
    [InlineData(
        "// the kernels\nclass K\n{\n    [Differentiable]\n    public static float F(float x) => x * x;\n}\n",
        "// the kernels\npartial class K\n{\n    [Differentiable]\n    public static float F(float x) => x * x;\n}\n")]
    [InlineData(
        "public partial class Outer\n{\n    public static class Inner\n    {\n        [Differentiable]\n        public static float F(float x) => x * x;\n    }\n}\n",
        "public partial class Outer\n{\n    public static partial class Inner\n    {\n        [Differentiable]\n        public static float F(float x) => x * x;\n    }\n}\n")]
    public async Task AD0005_makes_the_type_partial(string members, string expected)
    {
        const string Header = "using System;\nusing AutoDiff;\n\n";
        string fixedSource = await ApplySingleFix(new MakeTypePartialCodeFix(), "AD0005", Header + members);

        Assert.Equal(Header + expected, fixedSource);
        AssertClean(fixedSource);
    }

    [Theory]
    [InlineData("public static float F(float x, float t) => MathF.Floor(t) * x;", "public static float F(float x, [NoDiff] float t) => MathF.Floor(t) * x;")]
    [InlineData(
        "public static float F(float x,\n        float step) => x * MathF.Round(step * 2f) + MathF.Sign(step);",
        "public static float F(float x,\n        [NoDiff] float step) => x * MathF.Round(step * 2f) + MathF.Sign(step);")]
    public async Task AD0009_marks_a_parameter_used_only_in_step_functions_NoDiff(string method, string expected)
    {
        string Source(string m) => $"using System;\nusing AutoDiff;\n\npublic static partial class K\n{{\n    [Differentiable]\n    {m}\n}}\n";
        string fixedSource = await ApplySingleFix(new AddNoDiffCodeFix(), "AD0009", Source(method));

        Assert.Equal(Source(expected), fixedSource);
        AssertClean(fixedSource);
    }

    [Fact]
    public async Task AD0009_offers_nothing_when_the_parameter_also_needs_its_gradient()
    {
        // x is floored and also used smoothly: [NoDiff] would silently drop ∂/∂x of the second term.
        const string Source = "using System;\nusing AutoDiff;\n\npublic static partial class K\n{\n    [Differentiable]\n    public static float F(float x) => MathF.Floor(x * 2f) + x;\n}\n";
        var (document, diagnostic) = await Prepare(Source, "AD0009");
        var actions = await Actions(new AddNoDiffCodeFix(), document, diagnostic);
        Assert.Empty(actions);
    }

    private static async Task<string> ApplySingleFix(CodeFixProvider provider, string id, string source)
    {
        var (document, diagnostic) = await Prepare(source, id);
        var actions = await Actions(provider, document, diagnostic);
        var action = Assert.Single(actions);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    private static async Task<List<CodeAction>> Actions(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    // The source as a workspace document, and the diagnostic the build reports on it (the analyzer's or the
    // generator's), placed in the document's tree as the editor places it.
    private static async Task<(Document Document, Diagnostic Diagnostic)> Prepare(string source, string id)
    {
        var run = GeneratorHarness.Run(source);
        var reported = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);

        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Kernels", LanguageNames.CSharp)
            .WithMetadataReferences(run.Input.References)
            .WithCompilationOptions(run.Input.Options)
            .WithParseOptions(run.Input.SyntaxTrees.First().Options);
        var document = project.AddDocument("Source0.cs", SourceText.From(source));
        var tree = (await document.GetSyntaxTreeAsync())!;
        return (document, Diagnostic.Create(reported.Descriptor, Location.Create(tree, reported.Location.SourceSpan)));
    }

    private static void AssertClean(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("AD", StringComparison.Ordinal)));
        Assert.Empty(run.CompilationErrors);
        Assert.NotEmpty(run.Sources);
    }
}

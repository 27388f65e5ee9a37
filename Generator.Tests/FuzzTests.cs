using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Editing robustness: every test kernel source, edited thousands of times the way an editor leaves code
/// mid-keystroke (a token deleted, a truncation, a line duplicated, a brace dropped or added, a type changed,
/// `partial` removed, the attribute moved onto a property), each edit run through the generator as the IDE
/// does (one driver, the edited tree replaced). The generator never throws (no CS8785), never fails
/// internally (no AD0000), puts every diagnostic inside the edited source, and never emits code that fails
/// to compile unless the edited code itself is in error or a diagnostic of ours says why.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    // 800 per test run: 250–290 ms per edit here on 2026-12-07 (the generator run again over the edited file's methods,
    // as many as the kernels have grown to), so about 3.5 minutes, the longest test of the suite; it was 1,000 at ~90 ms.
    // AUTODIFF_FUZZ_EDITS=10000 runs more (the same seed: the first 800 are these).
    private static readonly int Edits = int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_EDITS"), out var edits) && edits > 0 ? edits : 800;

    [Fact]
    public void Thousands_of_seeded_editor_edits_never_break_the_generator()
    {
        var sources = Directory.GetFiles(TestPaths.Kernels, "*.cs").Concat(Directory.GetFiles(Path.Combine(TestPaths.Project, "RowKernels"), "*.cs"))
            .OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var compilation = GeneratorHarness.Compilation(sources);
        var trees = compilation.SyntaxTrees.ToArray();
        var options = (CSharpParseOptions)trees[0].Options;
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: options);
        driver = driver.RunGenerators(compilation);

        var random = new Random(20261128);
        int diagnosed = 0, emittedChecked = 0;
        for (int edit = 0; edit < Edits; edit++)
        {
            int file = random.Next(trees.Length);
            var original = sources[file];
            var (kind, text) = Edit(original, random);
            var tree = CSharpSyntaxTree.ParseText(text, options, path: trees[file].FilePath);
            var edited = compilation.ReplaceSyntaxTree(trees[file], tree);
            var next = driver.RunGeneratorsAndUpdateCompilation(edited, out var outputCompilation, out var diagnostics);
            var result = next.GetRunResult().Results.Single();

            string Where() => $"edit {edit} ({kind}) of {Path.GetFileName(trees[file].FilePath)}";
            Assert.True(result.Exception is null, $"{Where()}: the generator threw {result.Exception}");
            // The generator's diagnostics and the signature analyzer's on the edited file: what an editor shows.
            var ours = result.Diagnostics.Concat(diagnostics).Concat(GeneratorHarness.Analyze(edited, tree))
                .Where(d => d.Id.StartsWith("AD", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(ours, d => d.Id == "AD0000");
            foreach (var diagnostic in ours)
            {
                // The generator keeps diagnostics as plain data (a path and a span) for the incremental cache,
                // so they come back as file locations (the analyzer's are in the tree): they must name a
                // source file and lie inside its text.
                var location = diagnostic.Location;
                var path = location.GetLineSpan().Path;
                int index = Array.FindIndex(trees, t => t.FilePath == path);
                int length = index == file ? text.Length : index >= 0 ? sources[index].Length : -1;
                Assert.True((location.IsInSource || location.Kind == LocationKind.ExternalFile) && index >= 0 && location.SourceSpan.End <= length,
                    $"{Where()}: {diagnostic} is not inside the source");
            }

            diagnosed += ours.Count > 0 ? 1 : 0;

            // Generated code that does not compile must come with an error in the edited code or a diagnostic of ours.
            // Checked on every 25th edit (type-checking the generated trees is the slow part).
            if (edit % 25 == 0 && ours.Count == 0)
            {
                emittedChecked++;
                foreach (var generated in outputCompilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)))
                {
                    var errors = outputCompilation.GetSemanticModel(generated).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                    if (errors.Count > 0)
                    {
                        bool inputBroken = edited.GetSemanticModel(tree).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
                        Assert.True(inputBroken, $"{Where()}: the generated {Path.GetFileName(generated.FilePath)} fails to compile with no error in the edited code and no diagnostic: {errors[0]}\n{text}");
                    }
                }
            }

            // The IDE keeps going from the original (most edits are undone by the next keystroke).
            driver = next;
        }

        output.WriteLine($"{Edits} edits tried, {diagnosed} answered with an AutoDiff diagnostic, {emittedChecked} emitted outputs type-checked; no exception, no AD0000.");
    }

    private static readonly string[] Types = ["int", "double", "float", "bool", "string", "decimal"];

    private static (string Kind, string Text) Edit(string source, Random random)
    {
        int at = random.Next(source.Length);
        switch (random.Next(9))
        {
            case 0: // delete a token
                var token = CSharpSyntaxTree.ParseText(source).GetRoot().FindToken(at);
                return ("delete token", source.Remove(token.SpanStart, token.Span.Length));
            case 1: // truncate mid-expression
                return ("truncate", source[..at]);
            case 2: // duplicate a line
                var lines = source.Split('\n').ToList();
                int line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return ("duplicate line", string.Join('\n', lines));
            case 3: // drop a closing brace
                int close = source.IndexOf('}', at);
                return close < 0 ? ("no brace", source) : ("drop }", source.Remove(close, 1));
            case 4: // add an opening brace
                return ("add {", source.Insert(at, "{"));
            case 5: // change a type
                int f = source.IndexOf("float", at, StringComparison.Ordinal);
                return f < 0 ? ("no type", source) : ("wrong type", source.Remove(f, 5).Insert(f, Types[random.Next(Types.Length)]));
            case 6: // remove partial
                int p = source.IndexOf("partial ", StringComparison.Ordinal);
                return p < 0 ? ("no partial", source) : ("missing partial", source.Remove(p, 8));
            case 7: // the attribute on a property
                int m = source.IndexOf("[Differentiable]", at, StringComparison.Ordinal);
                return m < 0 ? ("no attribute", source) : ("attribute on property", source.Insert(m + 16, " public static float P => 1f; [Differentiable]"));
            default: // delete a random span of up to 12 characters
                return ("delete span", source.Remove(at, Math.Min(source.Length - at, random.Next(1, 13))));
        }
    }
}

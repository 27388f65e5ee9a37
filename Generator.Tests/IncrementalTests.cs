using System.Reflection;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Tests;

/// <summary>The incremental pipeline: its models hold no Roslyn objects, and its steps stay cached.</summary>
public sealed class IncrementalTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        namespace Demo;

        public static partial class Losses
        {
            [Differentiable]
            public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
            {
                var r = prediction - target;
                return MathF.Abs(r) <= delta ? 0.5f * r * r : delta * (MathF.Abs(r) - 0.5f * delta);
            }

            [Differentiable]
            public static float Square(float x) => x * x;
        }
        """;

    private static readonly string[] Steps =
    {
        DifferentiableGenerator.TrackingNames.Lower,
        DifferentiableGenerator.TrackingNames.Diagnostics,
        DifferentiableGenerator.TrackingNames.Differentiate,
        DifferentiableGenerator.TrackingNames.Emit,
    };

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var first = GeneratorHarness.Run(compilation);
        Assert.Equal(2, first.Sources.Count);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Unrelated { public int X => 1; }",
            (CSharpParseOptions)compilation.SyntaxTrees.First().Options, path: "Unrelated.cs"));
        var second = GeneratorHarness.Run(edited, first.Driver);

        var steps = second.Driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in Steps)
        {
            Assert.True(steps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var output in steps[name].SelectMany(step => step.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{name}: {output.Reason}");
            }
        }
    }

    [Fact]
    public void Of_200_methods_an_edit_to_one_body_regenerates_that_one()
    {
        string source = File.ReadAllText(Path.Combine(TestPaths.Project, "Sources", "TwoHundredMethods.cs"));
        var compilation = GeneratorHarness.Compilation(source);
        var first = GeneratorHarness.Run(compilation);
        Assert.Equal(200, first.Sources.Count);
        Assert.Empty(first.GeneratorDiagnostics);
        Assert.Empty(first.CompilationErrors);

        const string Body = "MathF.Tanh(0.85f * x) + x * x";
        var tree = compilation.SyntaxTrees.Single();
        var newTree = tree.WithChangedText(tree.GetText().Replace(source.IndexOf(Body, StringComparison.Ordinal), Body.Length, "MathF.Tanh(0.85f * x) + x"));
        var second = GeneratorHarness.Run(compilation.ReplaceSyntaxTree(tree, newTree), first.Driver);

        var emitted = second.Driver.GetRunResult().Results.Single().TrackedSteps[DifferentiableGenerator.TrackingNames.Emit]
            .SelectMany(step => step.Outputs).ToList();
        Assert.Equal(200, emitted.Count);
        Assert.Single(emitted, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(199, emitted.Count(o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void An_edit_to_one_method_body_regenerates_only_that_method()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var first = GeneratorHarness.Run(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var newTree = tree.WithChangedText(tree.GetText().Replace(Source.IndexOf("x * x", StringComparison.Ordinal), 5, "x * x * x"));
        var second = GeneratorHarness.Run(compilation.ReplaceSyntaxTree(tree, newTree), first.Driver);

        var emitted = second.Driver.GetRunResult().Results.Single().TrackedSteps[DifferentiableGenerator.TrackingNames.Emit]
            .SelectMany(step => step.Outputs).ToList();
        Assert.Equal(2, emitted.Count);
        Assert.Single(emitted, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(emitted, o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
        Assert.Contains("x * x * x", second.Sources.Single(s => s.Key.EndsWith("Square.g.cs", StringComparison.Ordinal)).Value.Replace("x * (x * x)", "x * x * x", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void No_pipeline_model_holds_a_Roslyn_object()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree) };
        var roots = new[] { typeof(Result<MethodModel>), typeof(Result<KernelModel>), typeof(Result<GeneratedSource>), typeof(KernelModel) };
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum)
            {
                continue;
            }

            foreach (var bad in forbidden)
            {
                Assert.False(bad.IsAssignableFrom(type), $"{type} is a {bad.Name}");
            }

            if (type.IsArray)
            {
                queue.Enqueue(type.GetElementType()!);
                continue;
            }

            foreach (var argument in type.GetGenericArguments())
            {
                queue.Enqueue(argument);
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                queue.Enqueue(field.FieldType);
            }
        }

        Assert.Contains(typeof(Node), seen);
        Assert.Contains(typeof(DiagnosticInfo), seen);
    }

    [Fact]
    public void Every_differentiable_primitive_has_a_rule_row()
    {
        // Leaves, booleans and piecewise-constant functions carry no gradient; CallPartial and CallSecond are outputs
        // of Call, differentiated by forward mode through the callee's Hessian (SoftplusSlope, an output of Softplus,
        // has a row for the Hessian form).
        var expected = Enum.GetValues<Op>().Where(op =>
            op is not (Op.Parameter or Op.Constant or Op.BoolConstant or Op.Seed or Op.Tangent or Op.CallPartial or Op.CallSecond or Op.Element or Op.Length) &&
            !OpFacts.IsBoolean(op) && !OpFacts.IsPiecewiseConstant(op));
        Assert.Equal(expected.OrderBy(op => op), Rules.DerivativeRules.Rows.OrderBy(op => op));
    }

    [Fact]
    public void Every_function_between_Exp_and_Truncate_has_one_row_in_the_table_of_functions()
    {
        var functions = Enum.GetValues<Op>().Where(op => op is >= Op.Exp and <= Op.Truncate).ToList();
        Assert.Equal(functions, Rules.Functions.All.Select(f => f.Op));

        // A source name means one function; the 512-bit steps pay for the transcendental functions the runtime has wide.
        var names = Rules.Functions.All.SelectMany(f => f.MathNames.Select(n => "Math." + n + "/" + f.Arity).Concat(f.HelperNames.Select(n => "AD." + n + "/" + f.Arity))).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(
            new[] { Op.Exp, Op.Log, Op.Tanh, Op.Sigmoid, Op.Softplus, Op.Log1P, Op.ExpM1 },
            Rules.Functions.All.Where(f => f.Wide && f.Cost == Rules.Cost.Transcendental).Select(f => f.Op));
    }

    [Fact]
    public void The_output_is_the_same_from_one_compilation_to_the_next_with_locals_merged_in_source_order()
    {
        // Eight locals reassigned in a branch: each becomes a select where the branches join. The symbols' hash codes
        // differ from one compilation to the next; the selects must not follow them.
        const string source = """
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F(float x, float y)
                {
                    float a = x, b = y, c = x * y, d = x + y, e = x - y, f = 2f * x, g = 3f * y, h = x * x;
                    if (x > y)
                    {
                        a = y; b = x; c = x + 1f; d = y + 2f; e = x * 3f; f = y * 4f; g = x + y * 5f; h = y * y;
                    }

                    return a * b + c * d + e * f + g * h;
                }
            }
            """;
        var outputs = Enumerable.Range(0, 5).Select(_ => GeneratorHarness.Run(source).Sources.Single(s => s.Key.StartsWith("K.F", StringComparison.Ordinal)).Value).ToList();
        Assert.All(outputs, output => Assert.Equal(outputs[0], output));

        int start = outputs[0].IndexOf("FGradient(", StringComparison.Ordinal);
        var gradient = outputs[0][start..outputs[0].IndexOf("/// <summary>", start, StringComparison.Ordinal)];
        // The joins: `var a = xAboveY ? y : x;`, `var c2 = xAboveY ? c1 : c;`, … one per local, in the locals' order.
        var joins = System.Text.RegularExpressions.Regex.Matches(gradient, @"var ([a-h])\d* = xAboveY \? \w+ : \w+;").Select(m => m.Groups[1].Value);
        Assert.Equal("abcdefgh", string.Concat(joins));
    }

    [Fact]
    public void Equatable_array_compares_by_content()
    {
        var a = new EquatableArray<int>(new[] { 1, 2, 3 });
        var b = new EquatableArray<int>(new[] { 1, 2, 3 });
        var c = new EquatableArray<int>(new[] { 1, 2, 4 });
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(default(EquatableArray<int>), EquatableArray<int>.Empty);
    }
}

using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Half-typed methods, as an editor produces them: the generator reports diagnostics or nothing,
/// and never throws (CS8785) or fails internally (AD0000).
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> HalfTyped => new()
    {
        "[Differentiable] public static float F(float x) => ",
        // Rows, half typed.
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, ",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => ",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => x * ",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, (x, y) => x);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => y);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[k",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[k, k];",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[-1];",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[k + 1];",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, int k) => a[k..];",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => a.",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => a.Length;",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => a.Length + AD.Max(a);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Dot(a);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, ReadOnlySpan<double> b) => AD.Dot(a, b);",
        "[Differentiable] public static float F(Span<float> a) => AD.Sum(a);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a.Slice(1));",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) { var b = a; return AD.Sum(b); }",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => { return x; });",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => AD.Sum(a));",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, float m) => AD.Sum(a) * m;",
        "[Differentiable] public static float F(int k) => 1f;",
        "[Differentiable] public static float F(ReadOnlySpan<float> a, [Constant] ReadOnlySpan<float> b) => AD.Dot(a, b);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => F2(a); [Differentiable] public static float F2(ReadOnlySpan<float> a) => AD.Sum(a);",
        "[Differentiable] public static float F(ReadOnlySpan<float> a) => AD.LogSumExp(a) - AD.Max(a) + AD.Norm(a) + AD.SquaredDistance(a, a) + AD.Mean(a);",
        "[Differentiable] public static float F(float x) => x *",
        "[Differentiable] public static float F(float x) => MathF.",
        "[Differentiable] public static float F(float x) => MathF.Exp(",
        "[Differentiable] public static float F(float x) { var y = ",
        "[Differentiable] public static float F(float x) { if (x > ",
        "[Differentiable] public static float F(float x) { if (x > 0f) return x; }",
        "[Differentiable] public static float F(float x) { return; }",
        "[Differentiable] public static float F(float",
        "[Differentiable] public static float F(",
        "[Differentiable] public static float F(float x, float x) => x;",
        "[Differentiable] public static float F(float x) => y;",
        "[Differentiable] public static float F(float x) => Unknown(x);",
        "[Differentiable] public static float F(float x) => x ? 1f : 2f;",
        "[Differentiable] public static float F(float x) { var y; return y; }",
        "[Differentiable] public static float F(float x) { float y; if (x > 0f) y = 1f; return y; }",
        "[Differentiable] public static void F(float x) { }",
        "[Differentiable] public static float F() => 1f;",
        "[Differentiable] public static float F(float x) => (float)\"s\".Length;",
        "[Differentiable] public static float F(float x) => new float[] { x }[0];",
        "[Differentiable] public static float F(float x) => x switch { > 0f => x, _ => -x };",
        "[Differentiable] public static float F(float x) => ((Func<float, float>)(v => v))(x);",
        "[Differentiable] public static float F(float x) { throw new Exception(); }",
        "[Differentiable] public static float F(float x) => x++;",
        "[Differentiable] public static float F(float x) { var y = x; y++; return y; }",
        "[Differentiable] public static float F(float x) { const float k = 2f; return k * x; }",
        "[Differentiable] public static float F(float x) => F2(x); [Differentiable] public static float F2(float x) => F(x);",
        "[Differentiable] public static float F(float x) => MathF.Log(x, 2f);",
        "[Differentiable] public static float F(float x) => float.Exp(x) + float.Sqrt(x);",
        "[Differentiable] public static float F(float x) { static float Local(float v) => v; return Local(x); }",
        "[Differentiable] public static float F(float x) => x is > 0f ? x : 0f;",
        "[Differentiable] public static float F(float x) => checked(x * 2f) + default(float);",
        "[Differentiable] public static float F(float x) => nameof(x).Length;",
        "[Differentiable] public static float F(float x) { return x; return 2f * x; }",
        "[Differentiable] public static float F(float x) { { var a = x; } var b = x; return b; }",
        "[Differentiable] public static float F(float x) { if (true) return x; return -x; }",
        "[Differentiable] public static float F(float x) { if (false) { } else return x; return 1f; }",
        "[Differentiable] public static float F(float x) { var t = (x, x); return t.Item1; }",
        "[Differentiable] public static float F(float x) { F(x); return x; }",
        "[Differentiable] public static float F(float x) => true ? x : 0f;",
        "[Differentiable] public static float F(float x, float y = 2f) => x * y;",
        "[Differentiable] public static float F(params float[] x) => 1f;",
        "[Differentiable] public static float F(this float x) => x;",
        "[Differentiable] public static float F(float x) => MathF.Sign(x);",
        "[Differentiable] public static float F([NoDiff] float t, float x) => MathF.Sign(t) * x;",
        "[Differentiable] public float F(float x) => x;",
        "[Differentiable] public static float F(float x) => Other.G(x); public static partial class Other { [Differentiable] public static double G(double x) => x; }",
    };

    [Theory]
    [MemberData(nameof(HalfTyped))]
    public void A_half_typed_method_never_breaks_the_generator(string member)
    {
        var source = "using System;\nusing AutoDiff;\n\npublic static partial class K\n{\n" + member + "\n}\n";
        var run = GeneratorHarness.Run(source);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "AD0000" or "CS8785");

        // Whatever is emitted compiles, unless the input itself is broken or a diagnostic says why not.
        var generatedErrors = run.CompilationErrors.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
        Assert.True(generatedErrors.Count == 0, string.Join("\n", generatedErrors));

        foreach (var diagnostic in run.GeneratorDiagnostics)
        {
            Assert.True(diagnostic.Location.IsInSource || diagnostic.Location.Kind == LocationKind.ExternalFile, diagnostic.ToString());
            Assert.True(diagnostic.Location.SourceSpan.End <= source.Length, diagnostic.ToString());
        }
    }

    [Fact]
    public void An_overload_and_a_name_ending_in_its_index_get_nested_types_of_their_own()
    {
        // F1(float) is F1's third overload (index 2): its kernel struct must not be F12's.
        const string source = """
            using System;
            using AutoDiff;

            public static partial class K
            {
                public static float F1(int unused) => 0f;
                public static float F1(long unused) => 0f;
                [Differentiable] public static float F1(float x) => x * x;
                [Differentiable] public static float F12(float x) => x * x * x;
                public static float R1(int unused) => 0f;
                public static float R1(long unused) => 0f;
                [Differentiable] public static float R1(ReadOnlySpan<float> a) => AD.Sum(a);
                [Differentiable] public static float R12(ReadOnlySpan<float> a) => AD.LogSumExp(a);
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        var errors = run.CompilationErrors.ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}

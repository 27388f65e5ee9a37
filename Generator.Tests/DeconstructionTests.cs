namespace AutoDiff.Generator.Tests;

/// <summary>
/// Deconstructions, <c>(a, b) = (b, a + b)</c> and <c>var (p, q) = (x * y, x + y)</c>: C# computes every value before
/// it assigns any, so a swap or a rotation needs no temporary in the source. Each method's gradient against central
/// differences of the method itself (compiled as C# compiles it), its Jvp against the gradient along a direction and
/// its Hessian against central differences of the gradient — one method unrolled by the graph, the others taped (a
/// loop over a count from the data, ints and bools deconstructed beside doubles, a discard, parameters assigned), and
/// <c>var (s, c) = Math.SinCos(a)</c> in both; <c>Math.SinCos(x).Sin</c>, <c>.Item2</c> and <c>double.SinCosPi</c>,
/// deconstructed and read as a member, in both.
/// </summary>
public sealed class DeconstructionTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Tuples
        {
            [Differentiable]
            public static double Swap(double a, double b)
            {
                for (int k = 0; k < 3; k++)
                {
                    (a, b) = (b, (a * 0.5) + b);
                }

                return a * b;
            }

            [Differentiable]
            public static double Rotate(double x, double y, double angle, [NoDiff] int steps)
            {
                double c = Math.Cos(angle), s = Math.Sin(angle);
                for (int k = 0; k < steps; k++)
                {
                    (x, y) = ((c * x) - (s * y), (s * x) + (c * y));
                }

                return (x * x * x) + y;
            }

            [Differentiable]
            public static double Declared(double x, double y, [NoDiff] int n)
            {
                var (p, q) = (x * y, x + y);
                (double r, _) = (p * q, Math.Exp(x));
                int i = 0;
                bool up = true;
                while (i < n)
                {
                    (i, up, p) = (i + 1, !up, up ? (p * 0.5) + q : Math.Sin(p));
                }

                return r + p + Math.Sin(q);
            }

            [Differentiable]
            public static double Parameters(double a, double b)
            {
                (a, b) = (b * b, a);
                (b, a) = (a + b, Math.Sin(b));
                return (a * 3) + (a * b);
            }
        }

        public static partial class SinCos
        {
            [Differentiable]
            public static double Polar(double r, double angle)
            {
                var (s, c) = Math.SinCos(angle);
                (double x, double y) = (r * c, r * s);
                return (x * y) + s;
            }

            [Differentiable]
            public static double Spin(double x, double y, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    (x, y) = Math.SinCos(x + (0.5 * y));
                }

                return x + (y * y);
            }

            // One part of SinCos read as a member (.Sin, .Item2), and SinCosPi deconstructed and read: the graph's.
            [Differentiable]
            public static double Parts(double x, double y)
            {
                var (sp, cp) = double.SinCosPi(x * y);
                return (Math.SinCos(x).Sin * y) + Math.SinCos(y).Item2 + (sp * cp) + double.SinCosPi(y).CosPi;
            }

            // The same in a loop the tape takes.
            [Differentiable]
            public static double PartsInLoop(double x, double y, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    var (sp, cp) = double.SinCosPi(x * s);
                    s += (Math.SinCos(x + s).Sin * y) + Math.SinCos(y * s).Item2 + (sp * cp) + double.SinCosPi(y).CosPi;
                }

                return s;
            }
        }

        // Each method's forms over arrays, so that the test calls them alike.
        public static class Forms
        {
            public static double Swap(double[] x) => Tuples.Swap(x[0], x[1]);
            public static double SwapGradient(double[] x, double[] g) => Tuples.SwapGradient(x[0], x[1], out g[0], out g[1]);
            public static double SwapJvp(double[] x, double[] t, double[] tangent) => Tuples.SwapJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double SwapHessian(double[] x, double[] g, double[] h) => Tuples.SwapHessian(x[0], x[1], g, h);

            public static double Rotate(double[] x) => Tuples.Rotate(x[0], x[1], x[2], 4);
            public static double RotateGradient(double[] x, double[] g) => Tuples.RotateGradient(x[0], x[1], x[2], 4, out g[0], out g[1], out g[2]);
            public static double RotateJvp(double[] x, double[] t, double[] tangent) => Tuples.RotateJvp(x[0], x[1], x[2], 4, t[0], t[1], t[2], out tangent[0]);
            public static double RotateHessian(double[] x, double[] g, double[] h) => Tuples.RotateHessian(x[0], x[1], x[2], 4, g, h);

            public static double Declared(double[] x) => Tuples.Declared(x[0], x[1], 5);
            public static double DeclaredGradient(double[] x, double[] g) => Tuples.DeclaredGradient(x[0], x[1], 5, out g[0], out g[1]);
            public static double DeclaredJvp(double[] x, double[] t, double[] tangent) => Tuples.DeclaredJvp(x[0], x[1], 5, t[0], t[1], out tangent[0]);
            public static double DeclaredHessian(double[] x, double[] g, double[] h) => Tuples.DeclaredHessian(x[0], x[1], 5, g, h);

            public static double Parameters(double[] x) => Tuples.Parameters(x[0], x[1]);
            public static double ParametersGradient(double[] x, double[] g) => Tuples.ParametersGradient(x[0], x[1], out g[0], out g[1]);
            public static double ParametersJvp(double[] x, double[] t, double[] tangent) => Tuples.ParametersJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double ParametersHessian(double[] x, double[] g, double[] h) => Tuples.ParametersHessian(x[0], x[1], g, h);

            public static double Polar(double[] x) => SinCos.Polar(x[0], x[1]);
            public static double PolarGradient(double[] x, double[] g) => SinCos.PolarGradient(x[0], x[1], out g[0], out g[1]);
            public static double PolarJvp(double[] x, double[] t, double[] tangent) => SinCos.PolarJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double PolarHessian(double[] x, double[] g, double[] h) => SinCos.PolarHessian(x[0], x[1], g, h);

            public static double Spin(double[] x) => SinCos.Spin(x[0], x[1], 3);
            public static double SpinGradient(double[] x, double[] g) => SinCos.SpinGradient(x[0], x[1], 3, out g[0], out g[1]);
            public static double SpinJvp(double[] x, double[] t, double[] tangent) => SinCos.SpinJvp(x[0], x[1], 3, t[0], t[1], out tangent[0]);
            public static double SpinHessian(double[] x, double[] g, double[] h) => SinCos.SpinHessian(x[0], x[1], 3, g, h);

            public static double Parts(double[] x) => SinCos.Parts(x[0], x[1]);
            public static double PartsGradient(double[] x, double[] g) => SinCos.PartsGradient(x[0], x[1], out g[0], out g[1]);
            public static double PartsJvp(double[] x, double[] t, double[] tangent) => SinCos.PartsJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double PartsHessian(double[] x, double[] g, double[] h) => SinCos.PartsHessian(x[0], x[1], g, h);

            public static double PartsInLoop(double[] x) => SinCos.PartsInLoop(x[0], x[1], 3);
            public static double PartsInLoopGradient(double[] x, double[] g) => SinCos.PartsInLoopGradient(x[0], x[1], 3, out g[0], out g[1]);
            public static double PartsInLoopJvp(double[] x, double[] t, double[] tangent) => SinCos.PartsInLoopJvp(x[0], x[1], 3, t[0], t[1], out tangent[0]);
            public static double PartsInLoopHessian(double[] x, double[] g, double[] h) => SinCos.PartsInLoopHessian(x[0], x[1], 3, g, h);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Forms"));

    [Theory]
    [InlineData("Swap", 2)]
    [InlineData("Rotate", 3)]
    [InlineData("Declared", 2)]
    [InlineData("Parameters", 2)]
    [InlineData("Polar", 2)]
    [InlineData("Spin", 2)]
    [InlineData("Parts", 2)]
    [InlineData("PartsInLoop", 2)]
    public void The_gradient_Jvp_and_Hessian_match_finite_differences_of_the_method(string name, int k)
    {
        var random = new Random(17);
        var points = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, k).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToList();
        FormChecks.GradientJvpAndHessian(Compiled.Value, name, k, points);
    }

    // The graph unrolls the constant loop of Swap (its lanes form is there), the tape takes a loop over a count from the
    // data (Rotate), which has no lanes form.
    [Fact]
    public void The_graph_takes_a_deconstruction_it_can_unroll_and_the_tape_the_others()
    {
        var tuples = Compiled.Value.Assembly.GetType("Tuples")!;
        bool HasLanes(string name) => tuples.GetMethods().Any(m => m.Name == name && m.ReturnType.Name.StartsWith("Vector", StringComparison.Ordinal));
        Assert.True(HasLanes("Swap"));
        Assert.True(HasLanes("Parameters"));
        Assert.False(HasLanes("Rotate"));
        var sinCos = Compiled.Value.Assembly.GetType("SinCos")!;
        Assert.Contains(sinCos.GetMethods(), m => m.Name == "Parts" && m.ReturnType.Name.StartsWith("Vector", StringComparison.Ordinal));
        Assert.DoesNotContain(sinCos.GetMethods(), m => m.Name == "PartsInLoop" && m.ReturnType.Name.StartsWith("Vector", StringComparison.Ordinal));
    }
}

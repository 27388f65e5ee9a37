namespace AutoDiff.Generator.Tests;

/// <summary>
/// Local functions, <c>static double Sq(double v) => v * v</c> below the method's return: each call's body
/// differentiated in place of the call — by the graph where the function is one expression of T's (the method keeps
/// its lanes and span forms), by the tape otherwise (a block of statements, an int or a bool result, a void function
/// that writes the method's locals; a function of one expression read as that expression under <c>?:</c> and inside a
/// reduction's lambda). Each method's value against the method as C# runs it, its gradient against
/// central differences, its Jvp against the gradient along a direction and its Hessian against central differences of
/// the gradient.
/// </summary>
public sealed class LocalFunctionTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Locals
        {
            // The graph's: one expression each (a block of one return too), nested calls, a default argument, a read of y.
            [Differentiable]
            public static double Smooth(double x, double y)
            {
                return Sq(Sq(x) - y) + Scaled(y) + Math.Sin(Sq(y + x));

                static double Sq(double v) => v * v;
                double Scaled(double v, double by = 3) { return by * v * x; }
            }

            // The tape's: an int result, a count from the data, nested calls inside a loop.
            [Differentiable]
            public static double Counted(double x, double y, int n)
            {
                int m = Twice(n);
                double s = 0;
                for (int i = 0; i < m; i++)
                {
                    s += Sq(x * i) + (y * Sq(Sq(x)));
                }

                return s;

                static int Twice(int k) => 2 * k;
                static double Sq(double v) => v * v;
            }

            // The tape's: a bool result in a condition, a void function that writes the method's locals, a block body.
            [Differentiable]
            public static double Gathered(double x, double w, int n)
            {
                double s = 0;
                int count = 0;
                for (int i = 0; i < n; i++)
                {
                    double v = x * (i - 1.5);
                    if (Big(v))
                    {
                        Bump(v);
                    }
                }

                return (s / (count + 1)) + Blend(w);

                bool Big(double v) => v * w > 0.1;
                void Bump(double v)
                {
                    s += Math.Tanh(w * v);
                    count++;
                }

                double Blend(double v)
                {
                    double t = Math.Exp(-v * x);
                    t = (t * t) + v;
                    return t;
                }
            }
        }

        public static partial class Chosen
        {
            // The tape's: functions of one expression read as their expressions under ?: and in a reduction's lambda.
            [Differentiable]
            public static double Branches(double x, double y, int n)
            {
                double[] t = { x, y, x * y };
                double s = AD.Sum(t, v => Sq(v * y));
                for (int i = 0; i < n; i++)
                {
                    s += x > 0.25 * i ? Sq(x - y) : Cube(y);
                }

                return s;

                static double Sq(double v) => v * v;
                static double Cube(double v) { return v * v * v; }
            }
        }

        // Each method's forms over arrays, so that the test calls them alike.
        public static class Forms
        {
            public static double Smooth(double[] x) => Locals.Smooth(x[0], x[1]);
            public static double SmoothGradient(double[] x, double[] g) => Locals.SmoothGradient(x[0], x[1], out g[0], out g[1]);
            public static double SmoothJvp(double[] x, double[] t, double[] tangent) => Locals.SmoothJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double SmoothHessian(double[] x, double[] g, double[] h) => Locals.SmoothHessian(x[0], x[1], g, h);

            public static double Counted(double[] x) => Locals.Counted(x[0], x[1], 3);
            public static double CountedGradient(double[] x, double[] g) => Locals.CountedGradient(x[0], x[1], 3, out g[0], out g[1]);
            public static double CountedJvp(double[] x, double[] t, double[] tangent) => Locals.CountedJvp(x[0], x[1], 3, t[0], t[1], out tangent[0]);
            public static double CountedHessian(double[] x, double[] g, double[] h) => Locals.CountedHessian(x[0], x[1], 3, g, h);

            public static double Gathered(double[] x) => Locals.Gathered(x[0], x[1], 4);
            public static double GatheredGradient(double[] x, double[] g) => Locals.GatheredGradient(x[0], x[1], 4, out g[0], out g[1]);
            public static double GatheredJvp(double[] x, double[] t, double[] tangent) => Locals.GatheredJvp(x[0], x[1], 4, t[0], t[1], out tangent[0]);
            public static double GatheredHessian(double[] x, double[] g, double[] h) => Locals.GatheredHessian(x[0], x[1], 4, g, h);

            public static double Branches(double[] x) => Chosen.Branches(x[0], x[1], 3);
            public static double BranchesGradient(double[] x, double[] g) => Chosen.BranchesGradient(x[0], x[1], 3, out g[0], out g[1]);
            public static double BranchesJvp(double[] x, double[] t, double[] tangent) => Chosen.BranchesJvp(x[0], x[1], 3, t[0], t[1], out tangent[0]);
            public static double BranchesHessian(double[] x, double[] g, double[] h) => Chosen.BranchesHessian(x[0], x[1], 3, g, h);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Forms"));

    [Theory]
    [InlineData("Smooth")]
    [InlineData("Counted")]
    [InlineData("Gathered")]
    [InlineData("Branches")]
    public void The_gradient_Jvp_and_Hessian_match_finite_differences_of_the_method(string name) =>
        FormChecks.GradientJvpAndHessian(Compiled.Value, name, k: 2, points: [[0.7, -0.4], [-0.3, 0.9], [1.1, 0.25], [0.45, 1.3]]);

    // The graph inlines Smooth's functions (its lanes form is there); the tape takes the others, which have none.
    [Fact]
    public void The_graph_inlines_a_function_of_one_expression_and_the_tape_the_others()
    {
        var locals = Compiled.Value.Assembly.GetType("Locals")!;
        bool HasLanes(string name) => locals.GetMethods().Any(m => m.Name == name && m.ReturnType.Name.StartsWith("Vector", StringComparison.Ordinal));
        Assert.True(HasLanes("Smooth"));
        Assert.False(HasLanes("Counted"));
        Assert.False(HasLanes("Gathered"));
    }
}

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Code as C# is written around the math: guard clauses that throw (<c>throw new ArgumentOutOfRangeException(…)</c>,
/// <c>ArgumentOutOfRangeException.ThrowIfNegative(x)</c>, a message interpolated from the values), a table of
/// coefficients in a <c>static readonly double[]</c>, indices from the end (<c>a[^1]</c>), <c>is double.NaN</c>. Each
/// method's value, gradient, Jvp and Hessian against the method as C# runs it (<see cref="FormChecks"/>); each guard
/// thrown by every form with the method's exception, parameter name and message.
/// </summary>
public sealed class GuardAndTableTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Guarded
        {
            private static readonly double[] Coefficients = { 0.5, -0.25, 0.125, 2.0 };

            [Differentiable]
            public static double Root(double x, double y)
            {
                if (x < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(x), x, $"x must not be negative, was {x:F2} (y = {y})");
                }

                ArgumentOutOfRangeException.ThrowIfGreaterThan(y, 10.0);
                return Math.Sqrt(x + 1) * y;
            }

            // Horner's rule over the table, its length read at run time: the tape's.
            [Differentiable]
            public static double Polynomial(double x, double y)
            {
                double p = 0;
                for (int i = Coefficients.Length - 1; i >= 0; i--)
                {
                    p = (p * x) + (Coefficients[i] * y);
                }

                return p;
            }

            [Differentiable]
            public static double Ends(double x, double y, int n)
            {
                Span<double> t = stackalloc double[n];
                for (int i = 0; i < n; i++)
                {
                    t[i] = Math.Sin(x * (i + 1));
                }

                t[^1] *= y;
                return t[^1] + (t[0] * t[^2]);
            }

            [Differentiable]
            public static double Patterned(double x, double y) => (x * y) is double.NaN ? 0 : x is > 0.5 and < 2 ? x * x * y : y - x;

            [Differentiable]
            public static double PatternedTaped(double x, double y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += (s * x) is double.NaN ? 1 : y * x;
                }

                return s;
            }
        }

        public static class Forms
        {
            public static double Root(double[] x) => Guarded.Root(x[0], x[1]);
            public static double RootGradient(double[] x, double[] g) => Guarded.RootGradient(x[0], x[1], out g[0], out g[1]);
            public static double RootJvp(double[] x, double[] t, double[] tangent) => Guarded.RootJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double RootHessian(double[] x, double[] g, double[] h) => Guarded.RootHessian(x[0], x[1], g, h);

            public static double Polynomial(double[] x) => Guarded.Polynomial(x[0], x[1]);
            public static double PolynomialGradient(double[] x, double[] g) => Guarded.PolynomialGradient(x[0], x[1], out g[0], out g[1]);
            public static double PolynomialJvp(double[] x, double[] t, double[] tangent) => Guarded.PolynomialJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double PolynomialHessian(double[] x, double[] g, double[] h) => Guarded.PolynomialHessian(x[0], x[1], g, h);

            public static double Ends(double[] x) => Guarded.Ends(x[0], x[1], 4);
            public static double EndsGradient(double[] x, double[] g) => Guarded.EndsGradient(x[0], x[1], 4, out g[0], out g[1]);
            public static double EndsJvp(double[] x, double[] t, double[] tangent) => Guarded.EndsJvp(x[0], x[1], 4, t[0], t[1], out tangent[0]);
            public static double EndsHessian(double[] x, double[] g, double[] h) => Guarded.EndsHessian(x[0], x[1], 4, g, h);

            public static double Patterned(double[] x) => Guarded.Patterned(x[0], x[1]);
            public static double PatternedGradient(double[] x, double[] g) => Guarded.PatternedGradient(x[0], x[1], out g[0], out g[1]);
            public static double PatternedJvp(double[] x, double[] t, double[] tangent) => Guarded.PatternedJvp(x[0], x[1], t[0], t[1], out tangent[0]);
            public static double PatternedHessian(double[] x, double[] g, double[] h) => Guarded.PatternedHessian(x[0], x[1], g, h);

            public static double PatternedTaped(double[] x) => Guarded.PatternedTaped(x[0], x[1], 3);
            public static double PatternedTapedGradient(double[] x, double[] g) => Guarded.PatternedTapedGradient(x[0], x[1], 3, out g[0], out g[1]);
            public static double PatternedTapedJvp(double[] x, double[] t, double[] tangent) => Guarded.PatternedTapedJvp(x[0], x[1], 3, t[0], t[1], out tangent[0]);
            public static double PatternedTapedHessian(double[] x, double[] g, double[] h) => Guarded.PatternedTapedHessian(x[0], x[1], 3, g, h);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Forms"));

    [Theory]
    [InlineData("Root")]
    [InlineData("Polynomial")]
    [InlineData("Ends")]
    [InlineData("Patterned")]
    [InlineData("PatternedTaped")]
    public void The_gradient_Jvp_and_Hessian_match_finite_differences_of_the_method(string name) =>
        FormChecks.GradientJvpAndHessian(Compiled.Value, name, k: 2, points: [[0.7, -0.4], [1.3, 0.9], [0.2, 1.25], [3.1, 0.6]]);

    // Every form throws what the method throws, with its parameter name and message (the message's values as the
    // method formats them), and a ThrowIf… helper names the method's argument, not the generated code's.
    [Theory]
    [InlineData("Root", -1.0, 2.0, "x", "x must not be negative, was -1.00 (y = 2)")]
    [InlineData("RootGradient", -1.0, 2.0, "x", "x must not be negative, was -1.00 (y = 2)")]
    [InlineData("RootJvp", -1.0, 2.0, "x", "x must not be negative, was -1.00 (y = 2)")]
    [InlineData("RootHessian", -1.0, 2.0, "x", "x must not be negative, was -1.00 (y = 2)")]
    [InlineData("RootGradient", 1.0, 12.0, "y", null)]
    [InlineData("RootHessian", 1.0, 12.0, "y", null)]
    public void A_guard_throws_from_every_form_as_from_the_method(string form, double x, double y, string parameter, string? message)
    {
        var call = Compiled.Value.GetMethod(form)!;
        object[] arguments = form switch
        {
            "Root" => [new[] { x, y }],
            "RootGradient" => [new[] { x, y }, new double[2]],
            "RootJvp" => [new[] { x, y }, new[] { 1.0, 0.0 }, new double[1]],
            _ => [new[] { x, y }, new double[2], new double[4]],
        };
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => call.Invoke(null, arguments)).InnerException;
        var exception = Assert.IsType<ArgumentOutOfRangeException>(thrown);
        Assert.Equal(parameter, exception.ParamName);
        if (message is not null)
        {
            Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
        }
    }
}

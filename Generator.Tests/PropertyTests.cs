using System.Numerics;
using System.Text;
using CsCheck;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Random functions from the accepted grammar — nested calls, conditionals, locals re-assigned in
/// branches, unrolled loops with int counters, continue, break and returns inside, [NoDiff] and [Constant]
/// parameters — are generated, compiled with the generator and
/// gradient-checked against finite differences in double. 11 seeded batches of 50 functions run in
/// one compilation each; a failure is shrunk by CsCheck, compiling one function at a time, to a
/// minimal source.
/// </summary>
public sealed class PropertyTests
{
    private const int Batches = 11;
    private const int FunctionsPerBatch = 50;

    private const string Prelude = """
        using System;
        using AutoDiff;

        namespace Random;

        public static partial class Helpers
        {
            [Differentiable]
            public static double Square(double u) => u * u;

            [Differentiable]
            public static double Swish(double u) => u * AD.Sigmoid(u);

            [Differentiable]
            public static double Blend(double u, [NoDiff] double w, [Constant] double k) => u * k + w * Math.Tanh(u);
        }

        public static partial class Functions
        {
        """;

    private static int s_checkedPartials;
    private static int s_checkedSeconds;

    [Fact]
    public void Random_functions_have_gradients_Jvps_and_Hessians_that_match_finite_differences()
    {
        s_checkedPartials = 0;
        s_checkedSeconds = 0;
        int checkedFunctions = GeneratedBatches.Check(Function, Batches, FunctionsPerBatch, firstStream: 1, Check, Source);

        Assert.True(checkedFunctions >= 500);

        // Most points are smooth: the check is not vacuous (8 points × 2 partials per function).
        Assert.True(s_checkedPartials >= checkedFunctions * 8, $"only {s_checkedPartials} partial derivatives were checked");
        Assert.True(s_checkedSeconds >= checkedFunctions * 8, $"only {s_checkedSeconds} second derivatives were checked");
    }

    // ---- Checking ---------------------------------------------------------------------------------

    internal static string Source(IEnumerable<string> bodies)
    {
        var text = new StringBuilder(Prelude);
        int i = 0;
        foreach (var body in bodies)
        {
            text.Append($"    [Differentiable]\n    public static double F{i++}(double x, double y, [NoDiff] double t, [Constant] double c)\n{body}\n\n");
        }

        return text.Append("}\n").ToString();
    }

    private static List<(int Index, string Message)> Check(List<string> bodies) => CheckFunctions(bodies, CheckOne);

    /// <summary>
    /// The bodies compiled as Functions.F0, F1 … (in <paramref name="source"/>'s text, <see cref="Source"/>'s if null;
    /// <paramref name="seen"/> is shown the run), each checked; the failures by index.
    /// </summary>
    internal static List<(int Index, string Message)> CheckFunctions(List<string> bodies, Func<IKernelDriver<double>, string?> checkOne, Action<GeneratorRun>? seen = null,
        Func<IEnumerable<string>, string>? source = null)
    {
        var (drivers, run) = KernelDrivers.Build<double>((source ?? Source)(bodies));
        seen?.Invoke(run);
        var failures = new List<(int, string)>();
        foreach (var driver in drivers.Where(d => d.Name.StartsWith("Functions.F", StringComparison.Ordinal)))
        {
            int index = int.Parse(driver.Name["Functions.F".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (checkOne(driver) is { } message)
            {
                failures.Add((index, message));
            }
        }

        return failures;
    }

    /// <summary>
    /// The gradient form's value against the method's, and each partial derivative against central differences where
    /// the method is smooth (counted in <paramref name="checkedPartials"/>); the first difference found, or null.
    /// </summary>
    internal static string? CheckValueAndGradient(IKernelDriver<double> driver, double[] x, double value, double[] d, ref int checkedPartials)
    {
        if (Numerics.RelativeError(driver.Value(x), value, 1) > 1e-13)
        {
            return $"value {value:R} differs from the method's {driver.Value(x):R} at ({string.Join(", ", x)})";
        }

        for (int p = 0; p < 2; p++)
        {
            var (fd, smooth) = Numerics.CentralDifference(driver.Value, x, p);
            if (!smooth)
            {
                continue;
            }

            Interlocked.Increment(ref checkedPartials);
            if (Numerics.RelativeError(fd, d[p]) > 1e-6)
            {
                return $"∂/∂{(p == 0 ? "x" : "y")} = {d[p]:R} but finite differences give {fd:R} at ({string.Join(", ", x)})";
            }
        }

        return null;
    }

    /// <summary>
    /// The Hessian form at x: exactly symmetric, and each entry against central differences of the generated gradient
    /// where it is smooth (counted in <paramref name="checkedSeconds"/>); the first difference found, or null.
    /// </summary>
    internal static string? CheckHessian(IKernelDriver<double> driver, double[] x, ref int checkedSeconds)
    {
        var hessian = new double[4];
        driver.Hessian(x, new double[2], hessian);
        if (!hessian[1].Equals(hessian[2]))
        {
            return $"Hessian not symmetric: {hessian[1]:R} ≠ {hessian[2]:R}";
        }

        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                int row = i;
                var (fd, smooth) = Numerics.CentralDifference(v => { var g = new double[2]; driver.Gradient(v, g); return g[row]; }, x, j);
                if (smooth && double.IsFinite(fd))
                {
                    Interlocked.Increment(ref checkedSeconds);
                    if (Numerics.RelativeError(fd, hessian[(i * 2) + j]) > 1e-6)
                    {
                        return $"∂²/∂{"xy"[i]}∂{"xy"[j]} = {hessian[(i * 2) + j]:R} but differences of the gradient give {fd:R} at ({string.Join(", ", x)})";
                    }
                }
            }
        }

        return null;
    }

    private static string? CheckOne(IKernelDriver<double> driver)
    {
        var random = new Random(driver.Name.GetHashCode(StringComparison.Ordinal));
        for (int point = 0; point < 8; point++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var d = new double[2];
            double value = driver.Gradient(x, d);
            if (!double.IsFinite(value))
            {
                continue;
            }

            if (CheckValueAndGradient(driver, x, value, d, ref s_checkedPartials) is { } wrong)
            {
                return wrong;
            }

            // Forward mode: the tangent along a random direction is the gradient's dot product with it.
            var direction = new[] { random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2 };
            double jvpValue = driver.Jvp(x, direction, out var tangent);
            double dot = (d[0] * direction[0]) + (d[1] * direction[1]);
            double scale = Math.Max(Math.Abs(d[0] * direction[0]) + Math.Abs(d[1] * direction[1]), 1e-2);
            if (!jvpValue.Equals(value) && Numerics.RelativeError(value, jvpValue, 1) > 1e-14)
            {
                return $"Jvp value {jvpValue:R} differs from the gradient form's {value:R}";
            }

            if (double.IsFinite(dot) && !(Math.Abs(tangent - dot) <= 1e-12 * scale))
            {
                return $"Jvp tangent {tangent:R} differs from gradient · t = {dot:R} along ({direction[0]:R}, {direction[1]:R}) at ({string.Join(", ", x)})";
            }

            if (CheckHessian(driver, x, ref s_checkedSeconds) is { } wrongSecond)
            {
                return wrongSecond;
            }

            // The lanes agree with the scalar form.
            var lanes = driver.LanesGradient(x.Select(v => new Vector<double>(v)).ToArray(), new Vector<double>[2]);
            if (Numerics.RelativeError(value, lanes[0], 1) > 1e-12)
            {
                return $"lane value {lanes[0]:R} differs from scalar {value:R}";
            }
        }

        return null;
    }

    // ---- The grammar --------------------------------------------------------------------------------

    private static readonly string[] Parameters = { "x", "y", "t", "c" };

    private static Gen<string> Leaf(IReadOnlyList<string> names) => Gen.Frequency(
        (4, Gen.OneOf(Parameters.Concat(names).Select(Gen.Const).ToArray())),
        (1, Gen.OneOf(Gen.Const("0.5"), Gen.Const("1.5"), Gen.Const("2.0"), Gen.Const("-1.0"))));

    internal static Gen<string> Expression(int depth, IReadOnlyList<string> names)
    {
        if (depth == 0)
        {
            return Leaf(names);
        }

        var sub = Expression(depth - 1, names);
        var unary = sub.SelectMany(a => Gen.OneOf(
            Gen.Const($"-({a})"),
            Gen.Const($"Math.Tanh({a})"),
            Gen.Const($"Math.Sin({a})"),
            Gen.Const($"Math.Cos({a})"),
            Gen.Const($"AD.Sigmoid({a})"),
            Gen.Const($"AD.Softplus({a})"),
            Gen.Const($"Math.Exp(Math.Tanh({a}))"),
            Gen.Const($"Math.Log(1 + ({a}) * ({a}))"),
            Gen.Const($"Math.Sqrt(1 + ({a}) * ({a}))"),
            Gen.Const($"Math.Abs({a})"),
            Gen.Const($"Math.Pow(1.5 + AD.Sigmoid({a}), c)"),
            Gen.Const($"Helpers.Square({a})"),
            Gen.Const($"Helpers.Swish({a})")));
        var binary = Gen.Select(sub, sub, Gen.Int[0, 7], (a, b, op) => op switch
        {
            0 => $"({a}) + ({b})",
            1 => $"({a}) - ({b})",
            2 => $"({a}) * ({b})",
            3 => $"({a}) / (1 + ({b}) * ({b}))",
            4 => $"Math.Max({a}, {b})",
            5 => $"Math.Min({a}, {b})",
            6 => $"Helpers.Blend({a}, t * t, c) + ({b})",
            _ => $"Math.Clamp({a}, -1.0, ({b}) * ({b}) + 0.5)",
        });
        var conditional = Gen.Select(sub, sub, sub, Gen.Int[0, 4], (a, b, e, kind) => kind switch
        {
            0 => $"(({a}) > ({b}) ? ({e}) : ({b}))",
            1 => $"(({a}) < 0.5 && !(({b}) > 1.0) ? ({e}) : ({a}) * ({b}))",
            3 => $"(({a}) is > 0.5 and < 1.5 or < -1.0 ? ({e}) : ({b}))",
            4 => $"(({a}) switch {{ < -0.5 => ({e}), >= 0.5 and < 2.0 => ({b}), _ => ({a}) * 0.5 }})",
            _ => $"(({a}) <= ({b}) || t > 0 ? ({e}) : -({a}))",
        });
        return Gen.Frequency((2, Leaf(names)), (3, unary), (4, binary), (2, conditional));
    }

    private static readonly Gen<string> ExpressionBody =
        Expression(3, Array.Empty<string>()).Select(e => $"        => {e};");

    private static readonly Gen<string> BlockBody =
        from first in Expression(2, Array.Empty<string>())
        from second in Expression(2, new[] { "a" })
        from condition in Expression(1, new[] { "a", "b" })
        from whenTrue in Expression(2, new[] { "a", "b" })
        from whenFalse in Expression(2, new[] { "a", "b" })
        from result in Expression(2, new[] { "a", "b" })
        from parameterTest in Expression(1, new[] { "a" })
        from parameterValue in Expression(1, new[] { "a", "b" })
        from swapped in Expression(1, new[] { "a", "b" })
        select $$"""
            {
                var a = {{first}};
                double b = {{second}};
                if ({{condition}} > 0.25)
                {
                    b = {{whenTrue}};
                }
                else
                {
                    a = {{whenFalse}};
                    b += a;
                }

                (a, b) = (b, {{swapped}}); // both values computed before either is assigned

                if ({{parameterTest}} < 0.0)
                {
                    y = {{parameterValue}}; // a parameter assigned in one branch only
                }

                return Half({{result}}) + Scale(a);

                static double Half(double v) => 0.5 * v;
                double Scale(double v) { return v * y; } // y as assigned before the call
            }
        """;

    // Unrolled loops: a recurrence over an int counter (a double local holds it, so that Math's double overloads
    // are called, as C# would pick int or float ones for an int argument), continue and break on
    // the counter, a while loop counting down by two, and a return on the data inside a loop. tanh keeps the
    // carried value bounded, so six iterations cannot overflow.
    private static readonly Gen<string> LoopBody =
        from init in Expression(1, Array.Empty<string>())
        from update in Expression(2, new[] { "h", "k" })
        from count in Gen.Int[1, 6]
        from skip in Gen.Int[0, 3]
        from stop in Gen.Int[2, 8]
        from step in Expression(1, new[] { "h", "m" })
        from early in Expression(1, new[] { "h" })
        from result in Expression(2, new[] { "h" })
        select $$"""
            {
                double h = {{init}};
                for (int i = 0; i < {{count}}; i++)
                {
                    if (i == {{skip}})
                    {
                        continue;
                    }

                    double k = i;
                    h = Math.Tanh({{update}});
                    if (i * i >= {{stop}})
                    {
                        break;
                    }
                }

                int j = {{count + 1}};
                while (j > 0)
                {
                    double m = j;
                    h = 0.5 * h + 0.25 * Math.Tanh({{step}});
                    if ({{early}} > 1.75)
                    {
                        return h * j;
                    }

                    j -= 2;
                }

                return {{result}};
            }
        """;

    private static readonly Gen<string> Function = Gen.Frequency((1, ExpressionBody), (1, BlockBody), (1, LoopBody));
}

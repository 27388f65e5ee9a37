using System.Text;
using CsCheck;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Random methods over rows with loops: a <c>for</c> over the row's indices or a <c>foreach</c> over its elements whose
/// body declares a local, accumulates two sums (one under if/else on the data) from random element-level expressions
/// of a[i], b[i], a [Constant] and a row-level maximum (calls of two [Differentiable] methods of scalars among them), and
/// a random result of the sums. 3 seeded batches of 40 methods,
/// one compilation each: every row gradient against central differences of the method as written (the loop runs as
/// C#), the Jvp against the gradient and the Hessian-vector product against differences of the gradient, at rows of
/// 1 to 33 elements. A failure is shrunk by CsCheck to a minimal source.
/// </summary>
public sealed class RowPropertyTests
{
    private const int Batches = 3;
    private const int FunctionsPerBatch = 40;
    private static readonly int[] Lengths = [1, 3, 8, 9, 17, 33];
    private static int s_checked;

    [Fact]
    public void Random_loops_over_rows_have_gradients_Jvps_and_Hessian_vector_products_that_match_finite_differences()
    {
        s_checked = 0;
        int functions = GeneratedBatches.Check(Method, Batches, FunctionsPerBatch, firstStream: 101, Check, Source);

        Assert.Equal(120, functions);
        Assert.True(s_checked >= functions * 100, $"only {s_checked} derivatives were checked"); // most rows are smooth
    }

    private static string Source(IEnumerable<string> bodies)
    {
        // Two methods of scalars the rows call (the grammar's Soft(u) and Blend(l, r)): their partials and Hessians
        // through the callers' gradients and Hessian-vector products.
        var text = new StringBuilder("""
            using System;
            using AutoDiff;

            namespace RandomRows;

            public static partial class Rows
            {
                [Differentiable]
                public static double Soft(double x) => x * Math.Tanh(x) + 0.5 * x;

                [Differentiable]
                public static double Blend(double x, double y) => Math.Sin(x) * y + 0.25 * x * y * y;

            """);
        int i = 0;
        foreach (var body in bodies)
        {
            text.Append($"    [Differentiable]\n    public static double R{i++}(ReadOnlySpan<double> a, ReadOnlySpan<double> b, [Constant] double c)\n{body}\n\n");
        }

        return text.Append("}\n").ToString();
    }

    private static List<(int Index, string Message)> Check(List<string> bodies)
    {
        var drivers = RowDrivers.Build<double>(Source(bodies));
        var failures = new List<(int, string)>();
        foreach (var driver in drivers)
        {
            int index = int.Parse(driver.Name["Rows.R".Length..driver.Name.IndexOf('(', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            if (CheckOne(driver) is { } message)
            {
                failures.Add((index, message));
            }
        }

        return failures;
    }

    private static string? CheckOne(IRowDriver<double> driver)
    {
        var random = new Random(driver.Name.GetHashCode(StringComparison.Ordinal));
        foreach (int n in Lengths)
        {
            var x = RowKernelTests.Sample(driver.Kinds, n, 1, random);
            var d = new[] { new double[n], new double[n] };
            double value = driver.Gradient(x, d);
            if (!double.IsFinite(value))
            {
                continue;
            }

            if (Numerics.RelativeError(driver.Value(x), value, 1) > 1e-12)
            {
                return $"n = {n}: value {value:R}, the method gives {driver.Value(x):R}";
            }

            // The gradient against central differences of the method itself.
            for (int p = 0; p < 2; p++)
            {
                for (int i = 0; i < n; i++)
                {
                    int span = p;
                    var (fd, smooth) = Numerics.CentralDifference(v => driver.Value(Replace(x, span, v)), x[p], i);
                    if (smooth && double.IsFinite(fd))
                    {
                        Interlocked.Increment(ref s_checked);
                        if (Numerics.RelativeError(fd, d[p][i]) > 1e-6)
                        {
                            return $"n = {n}: ∂/∂{"ab"[p]}[{i}] = {d[p][i]:R}, finite differences give {fd:R}";
                        }
                    }
                }
            }

            // Forward mode, and the Hessian-vector product against differences of the gradient along v.
            var v = new[] { Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray(), Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray() };
            double dot = 0, scale = 0;
            for (int p = 0; p < 2; p++)
            {
                for (int i = 0; i < n; i++)
                {
                    dot += d[p][i] * v[p][i];
                    scale += Math.Abs(d[p][i] * v[p][i]);
                }
            }

            driver.Jvp(x, v, out var tangent);
            if (!(Math.Abs(tangent - dot) <= 1e-12 * Math.Max(scale, 1e-2)))
            {
                return $"n = {n}: Jvp {tangent:R}, gradient · v = {dot:R}";
            }

            var hv = new[] { new double[n], new double[n] };
            driver.HessianVector(x, v, hv);
            for (int p = 0; p < 2; p++)
            {
                for (int i = 0; i < n; i++)
                {
                    int span = p, element = i;
                    var (fd, smooth) = Numerics.CentralDifference(
                        s => { var g = new[] { new double[n], new double[n] }; driver.Gradient(Along(x, v, s[0]), g); return g[span][element]; },
                        new[] { 0.0 }, 0);
                    if (smooth && double.IsFinite(fd))
                    {
                        Interlocked.Increment(ref s_checked);
                        if (Numerics.RelativeError(fd, hv[p][i]) > 1e-6)
                        {
                            return $"n = {n}: (H·v) of {"ab"[p]}[{i}] = {hv[p][i]:R}, differences of the gradient give {fd:R}";
                        }
                    }
                }
            }
        }

        return null;
    }

    private static double[][] Replace(double[][] x, int p, double[] value)
    {
        var copy = (double[][])x.Clone();
        copy[p] = value;
        return copy;
    }

    private static double[][] Along(double[][] x, double[][] v, double step)
    {
        var moved = (double[][])x.Clone();
        for (int p = 0; p < 2; p++)
        {
            moved[p] = x[p].Select((value, i) => value + (step * v[p][i])).ToArray();
        }

        return moved;
    }

    // ---- The grammar ----------------------------------------------------------------------------------

    private static Gen<string> Element(int depth, string[] leaves)
    {
        var leaf = Gen.Frequency(
            (4, Gen.OneOf(leaves.Select(Gen.Const).ToArray())),
            (1, Gen.OneOf(Gen.Const("0.5"), Gen.Const("1.5"), Gen.Const("-1.0"))));
        if (depth == 0)
        {
            return leaf;
        }

        var sub = Element(depth - 1, leaves);
        var unary = sub.SelectMany(u => Gen.OneOf(
            Gen.Const($"Math.Tanh({u})"),
            Gen.Const($"Math.Sin({u})"),
            Gen.Const($"AD.Sigmoid({u})"),
            Gen.Const($"AD.Softplus({u})"),
            Gen.Const($"Math.Exp(Math.Tanh({u}))"),
            Gen.Const($"Math.Sqrt(1 + ({u}) * ({u}))"),
            Gen.Const($"Math.Abs({u})"),
            Gen.Const($"Soft({u})")));
        var binary = Gen.Select(sub, sub, Gen.Int[0, 5], (l, r, op) => op switch
        {
            0 => $"({l}) + ({r})",
            1 => $"({l}) - ({r})",
            2 => $"({l}) * ({r})",
            3 => $"({l}) / (1 + ({r}) * ({r}))",
            4 => $"Blend({l}, {r})",
            _ => $"Math.Max({l}, {r})",
        });
        return Gen.Frequency((2, leaf), (3, unary), (4, binary));
    }

    private static Gen<string> Loop(bool forEach)
    {
        string[] elements = forEach ? ["x", "c", "m"] : ["a[i]", "b[i]", "c", "m"];
        string header = forEach ? "foreach (var x in a)" : "for (int i = 0; i < a.Length; i++)";
        return
            from local in Element(2, elements)
            from first in Element(2, [.. elements, "e"])
            from condition in Element(1, [.. elements, "e"])
            from whenTrue in Element(2, [.. elements, "e"])
            from whenFalse in Element(1, [.. elements, "e"])
            from result in Element(2, ["Math.Tanh(0.1 * s)", "Math.Tanh(0.1 * t)", "c"])
            select $$"""
                {
                    double m = AD.Max(a);
                    double s = 0, t = 1;
                    {{header}}
                    {
                        var e = {{local}};
                        s += {{first}};
                        if ({{condition}} > 0.25)
                        {
                            t += {{whenTrue}};
                        }
                        else
                        {
                            t = t - {{whenFalse}};
                        }
                    }

                    return {{result}} + s * 0.01 * c;
                }
            """;
    }

    private static readonly Gen<string> Method = Gen.Frequency((3, Loop(forEach: false)), (1, Loop(forEach: true)));
}

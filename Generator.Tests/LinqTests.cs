namespace AutoDiff.Generator.Tests;

/// <summary>
/// LINQ over an array parameter, as C# users write it — <c>a.Sum(x => …)</c>, <c>a.Sum()</c>, <c>Enumerable.Sum(a)</c>,
/// <c>a.Average()</c>, <c>a.Average(x => …)</c>, <c>a.Max()</c>, <c>a.Min()</c> (since 2026-12-08) — read as AD's reductions, by the graph and by the tape
/// (a scalar beside the array): the gradient against central differences of the method as C# runs it (LINQ and all),
/// the graph's Jvp against the gradient along a direction and its Hessian-vector product against central differences of
/// the gradient along it.
/// </summary>
public sealed class LinqTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using AutoDiff;

        public static partial class Linq
        {
            [Differentiable]
            public static double Summary(double[] a) =>
                a.Sum(x => Math.Tanh(x)) + a.Average() + (0.5 * a.Max()) + (Enumerable.Sum(a) * a.Average(x => x * x)) - (0.25 * a.Min() * a.Min());

            [Differentiable]
            public static double Scaled(double[] a, double w) =>
                a.Sum(x => Math.Tanh(w * x)) + (w * a.Average()) + a.Max() + (a.Sum() * a.Average(x => w * x * x)) + (w * a.Min());
        }

        public static class Forms
        {
            public static double Summary(double[] a) => Linq.Summary(a);
            public static double SummaryGradient(double[] a, double[] g) => Linq.SummaryGradient(a, g);
            public static double SummaryJvp(double[] a, double[] t) { Linq.SummaryJvp(a, t, out double tangent); return tangent; }
            public static double SummaryProduct(double[] a, double[] v, double[] hv) => Linq.SummaryHessianVectorProduct(a, v, hv);
            public static double Scaled(double[] x) => Linq.Scaled(x[..^1], x[^1]);
            public static double ScaledGradient(double[] x, double[] g) { var dA = new double[x.Length - 1]; double v = Linq.ScaledGradient(x[..^1], x[^1], dA, out g[^1]); dA.CopyTo(g, 0); return v; }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Forms"));

    [Fact]
    public void The_gradient_Jvp_and_Hessian_vector_product_of_linq_reductions_match_finite_differences()
    {
        var forms = Compiled.Value;
        var f = forms.GetMethod("Summary")!.CreateDelegate<Func<double[], double>>();
        var gradient = forms.GetMethod("SummaryGradient")!.CreateDelegate<Func<double[], double[], double>>();
        var jvp = forms.GetMethod("SummaryJvp")!.CreateDelegate<Func<double[], double[], double>>();
        var product = forms.GetMethod("SummaryProduct")!.CreateDelegate<Func<double[], double[], double[], double>>();
        var random = new Random(23);
        foreach (int n in new[] { 1, 3, 8, 13 })
        {
            var a = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var g = new double[n];
            Numerics.Close(f(a), gradient(a, g), 1e-12, $"the value at n = {n}");
            for (int i = 0; i < n; i++)
            {
                var (fd, smooth) = Numerics.CentralDifference(f, a, i);
                Assert.True(smooth, $"a kink of the max near a[{i}]");
                Numerics.Close(fd, g[i], 1e-7, $"∂/∂a[{i}] at n = {n}");
            }

            var v = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            Numerics.Close(g.Zip(v, (x, y) => x * y).Sum(), jvp(a, v), 1e-12, $"the Jvp at n = {n}");
            var hv = new double[n];
            product(a, v, hv);
            for (int j = 0; j < n; j++)
            {
                double second = Numerics.CentralDifference(h => { var gh = new double[n]; gradient(a.Zip(v, (x, y) => x + (h[0] * y)).ToArray(), gh); return gh[j]; }, [0.0], 0).Derivative;
                Numerics.Close(second, hv[j], 1e-6, $"(∇²F·v)[{j}] at n = {n}");
            }
        }
    }

    // Where the gradient is taped (a scalar beside the array, with its own gradient): the same reductions, a sum or mean
    // of a function a loop of the method, the others calls of AD's twins.
    [Fact]
    public void Linq_in_a_taped_gradient_matches_finite_differences()
    {
        var forms = Compiled.Value;
        var f = forms.GetMethod("Scaled")!.CreateDelegate<Func<double[], double>>();
        var gradient = forms.GetMethod("ScaledGradient")!.CreateDelegate<Func<double[], double[], double>>();
        var random = new Random(29);
        foreach (int n in new[] { 1, 4, 9 })
        {
            var x = Enumerable.Range(0, n + 1).Select(_ => (random.NextDouble() * 2) - 1).ToArray(); // the array, then w
            var g = new double[n + 1];
            Numerics.Close(f(x), gradient(x, g), 1e-12, $"the value at n = {n}");
            for (int i = 0; i <= n; i++)
            {
                Numerics.Close(Numerics.CentralDifference(f, x, i).Derivative, g[i], 1e-7, $"∂/∂x[{i}] at n = {n}");
            }
        }
    }

    // LINQ that is not one of AD's reductions (a projection) is AD0008 naming those to write.
    [Fact]
    public void Other_linq_is_AD0008_naming_the_reductions_to_write()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using System.Linq;
            using AutoDiff;

            public static partial class Linq
            {
                [Differentiable]
                public static double Lowest(double[] a, double w) => a.Select(x => x * w).First();
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AD0008");
        Assert.Contains("AD.Sum(a, x => …)", diagnostic.GetMessage(), StringComparison.Ordinal);
    }
}

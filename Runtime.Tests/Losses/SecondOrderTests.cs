using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests;

/// <summary>The generated second-order forms of the runtime's own methods, against worked formulas, and their bytes.</summary>
public sealed class SecondOrderTests
{
    // Cross-entropy log Σ eᶻ − z_k has the Hessian diag(p) − ppᵀ with p = softmax(z) (k drops out), so
    // H·v = p ⊙ v − p·(pᵀv): computed here in double from that formula, not from generated code.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1000)]
    public void Cross_entropy_Hessian_vector_product_is_the_softmax_Jacobian_times_v(int n)
    {
        var random = new Random(n);
        var z = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
        var v = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var hv = new float[n];
        int k = n / 2;
        float directional = AutoDiff.Losses.CrossEntropyHessianVectorProduct(z, k, v, hv);

        double max = z.Max(x => (double)x);
        var p = z.Select(x => Math.Exp(x - max)).ToArray();
        double total = p.Sum();
        for (int i = 0; i < n; i++)
        {
            p[i] /= total;
        }

        double pv = p.Select((pi, i) => pi * v[i]).Sum();
        for (int i = 0; i < n; i++)
        {
            double expected = (p[i] * v[i]) - (p[i] * pv);
            Assert.True(Math.Abs(expected - hv[i]) <= 1e-6, $"n = {n}, [{i}]: {hv[i]} vs {expected}");
        }

        // The value returned is the directional derivative (p − onehot(k))·v.
        Assert.Equal(pv - v[k], directional, 1e-5);
    }

    [Fact]
    public void Second_order_forms_allocate_nothing()
    {
        var z = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i)).ToArray();
        var v = Enumerable.Range(0, 1000).Select(i => (float)Math.Cos(i)).ToArray();
        var hv = new float[1000];
        var gradient = new double[2];
        var hessian = new double[4];
        double sink = 0;
        int i = 0;
        void Everything()
        {
            sink += AutoDiff.Losses.CrossEntropyHessianVectorProduct(z, 3, v, hv);
            sink += DemoFunctions.RosenbrockXYHessian(-1.5 + i, 2, gradient, hessian);
            sink += DemoFunctions.RosenbrockXYJvp(-1.5 + i, 2, 0.6, 0.8, out var tangent) + tangent;
            i = (i + 1) % 100;
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Everything));
        Assert.True(double.IsFinite(sink));
    }
}

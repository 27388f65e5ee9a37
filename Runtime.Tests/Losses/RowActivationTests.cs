namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>Softmax, log-softmax and CReLU against their definitions evaluated in double.</summary>
public sealed class RowActivationTests
{
    private const int Rows = 5, Columns = 13;

    private static float[] Logits(int seed, double scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Rows * Columns).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    // softmax of one row in double, shifted by the max.
    private static double[] Softmax(float[] x, int r)
    {
        var row = x.Skip(r * Columns).Take(Columns).Select(v => (double)v).ToArray();
        double max = row.Max();
        var e = row.Select(v => System.Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(1000.0)] // logits far beyond exp's range: still exact
    public void Softmax_and_log_softmax_match_the_definition(double scale)
    {
        var x = Logits(1, scale);
        var y = new float[x.Length];
        var logY = new float[x.Length];
        Activations.Softmax(Rows, x, y);
        Activations.LogSoftmax(Rows, x, logY);
        for (int r = 0; r < Rows; r++)
        {
            var expected = Softmax(x, r);
            double max = x.Skip(r * Columns).Take(Columns).Max();
            double logSum = max + System.Math.Log(x.Skip(r * Columns).Take(Columns).Sum(v => System.Math.Exp(v - max)));
            for (int c = 0; c < Columns; c++)
            {
                int i = (r * Columns) + c;
                TorchReference.Close(expected[c], y[i], 1e-6, 1e-7, $"softmax[{r}, {c}]");
                TorchReference.Close(x[i] - logSum, logY[i], 1e-6, 1e-5, $"log_softmax[{r}, {c}]");
            }
        }
    }

    [Fact]
    public void Softmax_and_log_softmax_backward_are_the_jacobian_vector_products()
    {
        var x = Logits(2, 3);
        var g = Logits(3, 1);
        var y = new float[x.Length];
        var logY = new float[x.Length];
        var dSoftmax = new float[x.Length];
        var dLogSoftmax = new float[x.Length];
        Activations.Softmax(Rows, x, y);
        Activations.LogSoftmax(Rows, x, logY);
        Activations.SoftmaxBackwardFromOutput(Rows, y, g, dSoftmax);
        Activations.LogSoftmaxBackwardFromOutput(Rows, logY, g, dLogSoftmax);
        for (int r = 0; r < Rows; r++)
        {
            var s = Softmax(x, r);
            for (int j = 0; j < Columns; j++)
            {
                // ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ) for softmax, δᵢⱼ − yⱼ for log-softmax.
                double softmax = 0, logSoftmax = 0;
                for (int i = 0; i < Columns; i++)
                {
                    double gi = g[(r * Columns) + i];
                    softmax += gi * s[i] * ((i == j ? 1 : 0) - s[j]);
                    logSoftmax += gi * ((i == j ? 1 : 0) - s[j]);
                }

                TorchReference.Close(softmax, dSoftmax[(r * Columns) + j], 1e-5, 1e-6, $"softmax backward [{r}, {j}]");
                TorchReference.Close(logSoftmax, dLogSoftmax[(r * Columns) + j], 1e-5, 1e-6, $"log_softmax backward [{r}, {j}]");
            }
        }
    }

    [Fact]
    public void CRelu_is_twice_as_wide_and_its_backward_routes_both_halves()
    {
        var x = Logits(4, 2);
        x[3] = 0;
        var y = new float[2 * x.Length];
        Activations.CRelu(Rows, x, y);
        var g = Logits(5, 1).Concat(Logits(6, 1)).ToArray();
        var dX = new float[x.Length];
        Activations.CReluBackward(Rows, x, g, dX);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                float v = x[(r * Columns) + c];
                Assert.Equal(System.Math.Max(v, 0f), y[(2 * r * Columns) + c]);
                Assert.Equal(System.Math.Max(-v, 0f), y[(2 * r * Columns) + Columns + c]);
                float expected = (v > 0 ? g[(2 * r * Columns) + c] : 0f) - (v < 0 ? g[(2 * r * Columns) + Columns + c] : 0f);
                Assert.Equal(expected, dX[(r * Columns) + c]);
            }
        }

        var e = Assert.Throws<ArgumentException>(() => Activations.CRelu(Rows, x, new float[x.Length]));
        Assert.Equal("destination", e.ParamName);
    }
}

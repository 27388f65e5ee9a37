using AutoDiff.Layers;

namespace AutoDiff.Runtime.Tests.Layers;

/// <summary>tanh in double, written by hand: the activation layer's finite-difference check needs a double operator.</summary>
internal readonly struct TanhDouble : IActivation<double>
{
    public double Value(double x) => Math.Tanh(x);

    public void Forward(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Math.Tanh(x[i]);
        }
    }

    public void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> upstream, Span<double> dX)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double t = Math.Tanh(x[i]);
            dX[i] = upstream[i] * (1 - (t * t));
        }
    }
}

/// <summary>
/// Every layer's backward pass against central finite differences in double, and the forward passes of
/// Conv2D, MaxPool2D and Dense against naive loops.
/// </summary>
public sealed class LayerTests
{
    private static double[] Random(int length, ulong seed, double scale = 1)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(_ => scale * ((2 * random.NextDouble()) - 1)).ToArray();
    }

    // L = Σ upstream · layer(x): checks ∂L/∂x and ∂L/∂θ from Backward against (L(v + h) − L(v − h)) / 2h.
    private static void CheckGradients(Layer<double> layer, TensorShape input, int batch, double tolerance = 1e-6)
    {
        var output = layer.Build(input, batch, new SeededRandom(11));
        foreach (var p in layer.Parameters.Where(p => p.Name.EndsWith("bias", StringComparison.Ordinal)))
        {
            Random(p.Value.Length, 12, 0.1).CopyTo(p.Value, 0);
        }

        var x = Random(batch * input.Size, 13);
        var upstream = Random(batch * output.Size, 14);
        var y = new double[batch * output.Size];
        var dx = new double[x.Length];
        layer.Forward(x, y, batch, training: true);
        layer.Backward(x, y, upstream, dx, batch);

        double Loss()
        {
            var z = new double[y.Length];
            layer.Forward(x, z, batch, training: true);
            return z.Select((v, i) => v * upstream[i]).Sum();
        }

        void Check(double[] values, double[] analytic, string what)
        {
            int step = Math.Max(1, values.Length / 150);
            for (int i = 0; i < values.Length; i += step)
            {
                double saved = values[i], h = 1e-6;
                values[i] = saved + h;
                double plus = Loss();
                values[i] = saved - h;
                double minus = Loss();
                values[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"{layer.GetType().Name} ∂L/∂{what}[{i}]: backward {analytic[i]}, finite differences {numeric}");
            }
        }

        Check(x, dx, "input");
        foreach (var p in layer.Parameters)
        {
            Check(p.Value, p.Gradient, p.Name);
        }
    }

    [Theory]
    [InlineData(2, 3, 3, 1, 1, 7, 6, 3, ConvolutionAlgorithm.Gemm)]
    [InlineData(3, 4, 5, 2, 2, 9, 8, 3, ConvolutionAlgorithm.Gemm)]
    [InlineData(1, 2, 2, 3, 0, 8, 7, 3, ConvolutionAlgorithm.Gemm)]
    [InlineData(2, 2, 3, 1, 1, 5, 5, 37, ConvolutionAlgorithm.Gemm)] // more samples than parts: a part sums several samples' gradients
    [InlineData(1, 6, 5, 1, 2, 9, 7, 37, ConvolutionAlgorithm.Gemm)] // the direct weight gradient: a block of 4 channels and one of 2, 63 positions
    [InlineData(3, 5, 2, 1, 0, 6, 7, 3, ConvolutionAlgorithm.Gemm)]  // an even kernel, 30 positions
    [InlineData(2, 3, 3, 1, 1, 7, 6, 3, ConvolutionAlgorithm.Winograd)]
    [InlineData(3, 4, 5, 1, 2, 9, 8, 3, ConvolutionAlgorithm.Winograd)]
    [InlineData(2, 2, 5, 1, 0, 11, 13, 37, ConvolutionAlgorithm.Winograd)] // odd output (7 × 9), several samples per part
    [InlineData(2, 2, 3, 1, 1, 5, 5, 37, ConvolutionAlgorithm.Winograd)]
    [InlineData(1, 2, 3, 1, 1, 6, 21, 2, ConvolutionAlgorithm.Winograd)] // 11 tiles a row: several vectors of tiles
    [InlineData(8, 2, 5, 1, 2, 6, 6, 2, ConvolutionAlgorithm.Auto)] // Auto picks Winograd from 8 input channels
    public void Conv2D_backward_matches_finite_differences(int inChannels, int outChannels, int kernel, int stride, int padding, int height, int width, int batch,
        ConvolutionAlgorithm algorithm)
    {
        var conv = new Conv2D<double>(inChannels, outChannels, kernel, stride, padding, algorithm: algorithm);
        Assert.Equal(algorithm == ConvolutionAlgorithm.Auto ? ConvolutionAlgorithm.Winograd : algorithm, conv.Algorithm);
        CheckGradients(conv, new TensorShape(inChannels, height, width), batch);
    }

    [Fact]
    public void MaxPool2D_backward_matches_finite_differences()
    {
        CheckGradients(new MaxPool2D<double>(2), new TensorShape(3, 6, 8), batch: 2);
        CheckGradients(new MaxPool2D<double>(3, stride: 2), new TensorShape(2, 7, 7), batch: 2);
    }

    [Fact]
    public void Dense_backward_matches_finite_differences() =>
        CheckGradients(new Dense<double>(2 * 3 * 4, 5), new TensorShape(2, 3, 4), batch: 4);

    [Fact]
    public void Activation_flatten_and_normalization_backward_match_finite_differences()
    {
        CheckGradients(new ActivationLayer<double, TanhDouble>(), new TensorShape(2, 3, 3), batch: 2);
        CheckGradients(new Flatten<double>(), new TensorShape(2, 3, 3), batch: 2);
        CheckGradients(new L2Normalize<double>(), TensorShape.Vector(7), batch: 3);
    }

    [Fact]
    public void A_small_cnn_backward_matches_finite_differences() =>
        CheckGradients(
            new Sequential<double>(
                new Conv2D<double>(1, 3, 3, padding: 1), new ActivationLayer<double, TanhDouble>(), new MaxPool2D<double>(2),
                new Conv2D<double>(3, 4, 3, stride: 2), new ActivationLayer<double, TanhDouble>(), new Flatten<double>(), new Dense<double>(4 * 2 * 2, 3)),
            new TensorShape(1, 10, 10), batch: 3);

    [Fact]
    public void Two_heads_add_their_gradients_at_the_trunk()
    {
        // L = Σ u₀·head₀ + Σ u₁·head₁ through the network's own Backward, against finite differences on the trunk's weights.
        var trunk = new Sequential<double>(new Conv2D<double>(1, 2, 3, padding: 1), new ActivationLayer<double, TanhDouble>(), new Flatten<double>());
        var network = Network<double>.MultiHead(new TensorShape(1, 5, 5), 2, 7, trunk, new Dense<double>(50, 3), new Sequential<double>(new Dense<double>(50, 2), new ActivationLayer<double, TanhDouble>()));
        var x = Random(2 * 25, 21);
        var u0 = Random(2 * 3, 22);
        var u1 = Random(2 * 2, 23);
        double Loss()
        {
            network.Forward(x, 2, training: true);
            return network.Output(0).ToArray().Select((v, i) => v * u0[i]).Sum() + network.Output(1).ToArray().Select((v, i) => v * u1[i]).Sum();
        }

        Loss();
        u0.CopyTo(network.OutputGradient(0));
        u1.CopyTo(network.OutputGradient(1));
        network.Backward();
        var weight = network.Parameters[0];
        Assert.Equal("trunk.0.weight", weight.Name);
        Assert.Equal(["trunk.0.weight", "trunk.0.bias", "head0.weight", "head0.bias", "head1.0.weight", "head1.0.bias"], network.Parameters.Select(p => p.Name));
        for (int i = 0; i < weight.Value.Length; i++)
        {
            double saved = weight.Value[i];
            weight.Value[i] = saved + 1e-6;
            double plus = Loss();
            weight.Value[i] = saved - 1e-6;
            double minus = Loss();
            weight.Value[i] = saved;
            Assert.Equal((plus - minus) / 2e-6, weight.Gradient[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(3, 1, 0, ConvolutionAlgorithm.Gemm, 1e-5)]
    [InlineData(3, 2, 1, ConvolutionAlgorithm.Gemm, 1e-5)]
    [InlineData(3, 1, 2, ConvolutionAlgorithm.Gemm, 1e-5)]
    [InlineData(3, 1, 0, ConvolutionAlgorithm.Winograd, 1e-5)]
    [InlineData(3, 1, 1, ConvolutionAlgorithm.Winograd, 1e-5)]
    [InlineData(3, 1, 2, ConvolutionAlgorithm.Winograd, 1e-5)]
    [InlineData(5, 1, 2, ConvolutionAlgorithm.Winograd, 1e-5)]
    [InlineData(5, 1, 0, ConvolutionAlgorithm.Winograd, 1e-5)]
    public void Conv2D_forward_matches_a_naive_loop(int k, int stride, int padding, ConvolutionAlgorithm algorithm, double tolerance)
    {
        int inC = 3, outC = 5, h = 9, w = 11, batch = 2;
        var conv = new Conv2D<float>(inC, outC, k, stride, padding, algorithm: algorithm);
        var shape = conv.Build(new TensorShape(inC, h, w), batch, new SeededRandom(5));
        Random(outC, 6).Select(v => (float)v).ToArray().CopyTo(conv.Bias.Value, 0);
        var x = Random(batch * inC * h * w, 7).Select(v => (float)v).ToArray();
        var y = new float[batch * shape.Size];
        conv.Forward(x, y, batch, training: false);
        Assert.Equal(((h + (2 * padding) - k) / stride) + 1, shape.Height);
        for (int s = 0; s < batch; s++)
        {
            for (int o = 0; o < outC; o++)
            {
                for (int i = 0; i < shape.Height; i++)
                {
                    for (int j = 0; j < shape.Width; j++)
                    {
                        double sum = conv.Bias.Value[o];
                        for (int c = 0; c < inC; c++)
                        {
                            for (int u = 0; u < k; u++)
                            {
                                for (int v = 0; v < k; v++)
                                {
                                    int yy = (i * stride) + u - padding, xx = (j * stride) + v - padding;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                                    {
                                        sum += conv.Weight.Value[(((((o * inC) + c) * k) + u) * k) + v] * (double)x[(((((s * inC) + c) * h) + yy) * w) + xx];
                                    }
                                }
                            }
                        }

                        Assert.Equal(sum, y[(((((s * outC) + o) * shape.Height) + i) * shape.Width) + j], tolerance);
                    }
                }
            }
        }
    }

    // The benchmark net's second convolution (a batch of 64: four samples per part) and a wider one (two vectors of
    // tiles a row), in float (the unfolding's weight gradient, stride 1, is the direct one: vectors of positions), both algorithms against the unfolding algorithm in double (which the tests above check
    // against finite differences) from the same weights and data. Measured, as a fraction of the largest value, for
    // outputs, weight, bias and input gradients: 5×5 Winograd 2.9e-6, 6.5e-6, 9.1e-8, 2.9e-6 (the unfolding
    // 4.9e-7, 2.5e-7, 9.1e-8, 2.6e-7); 3×3 Winograd 1.5e-7, 2.1e-7, 2.6e-7, 1.4e-7 (the unfolding 3.0e-7,
    // 3.7e-7, 2.6e-7, 1.1e-7).
    [Theory]
    [InlineData(16, 32, 5, 2, 14, 14, 64)]
    [InlineData(8, 4, 3, 1, 28, 27, 3)]
    [InlineData(8, 4, 5, 1, 13, 15, 3)] // an odd output (11 × 13)
    [InlineData(1, 6, 5, 2, 28, 28, 37)] // the benchmark net's first convolution, 6 channels (a block of 4 and one of 2)
    public void Winograd_in_float_stays_within_2e_5_of_the_largest_value(int inC, int outC, int k, int padding, int h, int w, int batch)
    {
        var input = new TensorShape(inC, h, w);
        var x = Random(batch * input.Size, 31);
        var dy = Random(batch * outC * (h + (2 * padding) - k + 1) * (w + (2 * padding) - k + 1), 33);
        var weights = Random(outC * inC * k * k, 34, 0.2);
        var biases = Random(outC, 35, 0.1);
        double[][] Run<T>(ConvolutionAlgorithm algorithm)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            T[] Of(double[] values) => values.Select(T.CreateTruncating).ToArray();
            var conv = new Conv2D<T>(inC, outC, k, padding: padding, algorithm: algorithm);
            var shape = conv.Build(input, batch, new SeededRandom(32));
            Of(weights).CopyTo(conv.Weight.Value, 0);
            Of(biases).CopyTo(conv.Bias.Value, 0);
            var y = new T[batch * shape.Size];
            var dx = new T[x.Length];
            conv.Forward(Of(x), y, batch, training: true);
            conv.Backward(Of(x), y, Of(dy), dx, batch);
            return [.. new[] { y, conv.Weight.Gradient, conv.Bias.Gradient, dx }.Select(values => values.Select(double.CreateTruncating).ToArray())];
        }

        var exact = Run<double>(ConvolutionAlgorithm.Gemm);
        var gemm = Run<float>(ConvolutionAlgorithm.Gemm);
        var winograd = Run<float>(ConvolutionAlgorithm.Winograd);
        string[] names = ["outputs", "weight gradient", "bias gradient", "input gradient"];
        for (int i = 0; i < names.Length; i++)
        {
            double scale = exact[i].Max(Math.Abs);
            double Error(double[] actual) => exact[i].Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
            double fromGemm = Error(gemm[i]), fromWinograd = Error(winograd[i]);
            Assert.True(fromGemm < 1e-6, $"{names[i]}: the unfolding's float error {fromGemm:G3} of the largest value");
            Assert.True(fromWinograd < 2e-5, $"{names[i]}: Winograd's float error {fromWinograd:G3} of the largest value (the unfolding's {fromGemm:G3})");
        }
    }

    [Fact]
    public void Winograd_is_refused_where_it_does_not_apply()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2D<float>(8, 8, 5, stride: 2, algorithm: ConvolutionAlgorithm.Winograd));
        Assert.Equal("algorithm", e.ParamName);
        Assert.Contains("stride 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Conv2D<float>(8, 8, 7, algorithm: ConvolutionAlgorithm.Winograd));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D<float>(8, 8, 3, algorithm: (ConvolutionAlgorithm)7));
        Assert.Equal(ConvolutionAlgorithm.Gemm, new Conv2D<float>(8, 8, 5, stride: 2).Algorithm);
        Assert.Equal(ConvolutionAlgorithm.Gemm, new Conv2D<float>(4, 8, 5).Algorithm);
        Assert.Equal(ConvolutionAlgorithm.Winograd, new Conv2D<float>(8, 8, 3).Algorithm);
    }

    // Rows of 4 outputs and more take the AVX path in float (eight windows a vector, the last eight overlapping
    // or running into the next row): widths 28 (14 outputs: MNIST's first pool), 23 (odd: the last column unused),
    // 16, 14 and 9, values drawn from five
    // levels so that ties are everywhere, and NaNs. Each output against a naive first-maximum loop (a NaN wins,
    // a tie keeps the earlier in row-major order), and its gradient lands on that input.
    [Theory]
    [InlineData(28, 28, 3, 2)]
    [InlineData(5, 23, 2, 3)]
    [InlineData(4, 16, 1, 1)]
    [InlineData(14, 14, 3, 2)] // 7 outputs a row (MNIST's second pool): each vector runs into the next row
    [InlineData(9, 9, 1, 70)] // 4 a row, more planes than a part's 64
    public void MaxPool2D_2x2_matches_a_naive_loop_with_ties_and_nans(int height, int width, int channels, int batch)
    {
        var pool = new MaxPool2D<float>(2);
        var shape = pool.Build(new TensorShape(channels, height, width), batch, new SeededRandom(1));
        var random = new SeededRandom(40);
        var x = Enumerable.Range(0, batch * channels * height * width)
            .Select(_ => random.NextDouble() < 0.02 ? float.NaN : (float)Math.Floor(random.NextDouble() * 5)).ToArray();
        var y = new float[batch * shape.Size];
        pool.Forward(x, y, batch, training: true);
        var dy = Enumerable.Range(0, y.Length).Select(i => (float)(i + 1)).ToArray();
        var dx = new float[x.Length];
        pool.Backward(x, y, dy, dx, batch);
        var expectedDx = new float[x.Length];
        for (int plane = 0; plane < batch * channels; plane++)
        {
            for (int i = 0; i < shape.Height; i++)
            {
                for (int j = 0; j < shape.Width; j++)
                {
                    int best = (plane * height * width) + (2 * i * width) + (2 * j);
                    foreach (int at in new[] { best + 1, best + width, best + width + 1 })
                    {
                        if (!float.IsNaN(x[best]) && (x[at] > x[best] || float.IsNaN(x[at])))
                        {
                            best = at;
                        }
                    }

                    int o = (((plane * shape.Height) + i) * shape.Width) + j;
                    Assert.Equal(x[best], y[o]);
                    expectedDx[best] += dy[o];
                }
            }
        }

        Assert.Equal(expectedDx, dx);
    }

    [Fact]
    public void MaxPool2D_and_Dense_forward_match_naive_loops()
    {
        var pool = new MaxPool2D<float>(2);
        pool.Build(new TensorShape(2, 4, 6), 1, new SeededRandom(1));
        var x = Random(48, 8).Select(v => (float)v).ToArray();
        var y = new float[12];
        pool.Forward(x, y, 1, false);
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    int at = (c * 24) + (2 * i * 6) + (2 * j);
                    Assert.Equal(new[] { x[at], x[at + 1], x[at + 6], x[at + 7] }.Max(), y[(c * 6) + (i * 3) + j]);
                }
            }
        }

        var dense = new Dense<float>(7, 3);
        dense.Build(TensorShape.Vector(7), 2, new SeededRandom(2));
        var input = Random(14, 9).Select(v => (float)v).ToArray();
        var output = new float[6];
        dense.Forward(input, output, 2, false);
        for (int r = 0; r < 2; r++)
        {
            for (int o = 0; o < 3; o++)
            {
                double sum = dense.Bias.Value[o];
                for (int i = 0; i < 7; i++)
                {
                    sum += dense.Weight.Value[(o * 7) + i] * (double)input[(r * 7) + i];
                }

                Assert.Equal(sum, output[(r * 3) + o], 1e-5);
            }
        }
    }

    [Theory]
    [InlineData(2, null)]
    [InlineData(3, 3)] // the general path
    public void MaxPool2D_sends_the_gradient_to_the_first_maximum_and_propagates_nan(int size, int? stride)
    {
        // Three windows in a row: ties everywhere, a tie across the rows, and a NaN in the top row.
        int side = size, width = 3 * side;
        var pool = new MaxPool2D<float>(size, stride ?? size);
        var shape = pool.Build(new TensorShape(1, side, width), 1, new SeededRandom(1));
        var x = new float[side * width];
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                x[(r * width) + c] = 1;                                // all equal: the top-left wins
                x[(r * width) + side + c] = r == side - 1 && c == 0 ? 3 : 2; // one maximum in the last row
                x[(r * width) + (2 * side) + c] = 5;
            }
        }

        x[(2 * side) + 1] = float.NaN; // top row, second column of the third window
        var y = new float[shape.Size];
        pool.Forward(x, y, 1, training: true);
        Assert.Equal(1f, y[0]);
        Assert.Equal(3f, y[1]);
        Assert.True(float.IsNaN(y[2]));
        var dx = new float[x.Length];
        pool.Backward(x, y, [10f, 20f, 30f], dx, 1);
        Assert.Equal(10f, dx[0]);
        Assert.Equal(20f, dx[((side - 1) * width) + side]);
        Assert.Equal(30f, dx[(2 * side) + 1]);
        Assert.Equal(60f, dx.Sum());
    }

    // Sequential runs a ReLU right before a max pool inside the pool: outputs, the input gradient and the
    // convolution's weight gradient must equal those of the three layers run one after another, bit for bit,
    // on data with ties, zeros of both signs, negative windows and NaNs.
    [Theory]
    [InlineData(28, 28, 2, 2, 2)] // AVX pairs, 14 outputs a row
    [InlineData(14, 14, 2, 2, 3)] // 7 outputs a row
    [InlineData(6, 6, 2, 2, 2)]   // 3 outputs a row: the scalar pairs
    [InlineData(7, 9, 3, 2, 2)]   // overlapping windows: the general path
    public void A_relu_before_a_max_pool_runs_inside_it_with_the_same_bits(int height, int width, int size, int stride, int batch)
    {
        Layer<float>[] Layers() => [new Conv2D<float>(2, 3, 3, padding: 1), new ActivationLayer<float, Activations.ReluOperator>(), new MaxPool2D<float>(size, stride)];
        var input = new TensorShape(2, height, width);
        var fused = new Sequential<float>(Layers());
        var output = fused.Build(input, batch, new SeededRandom(5));
        var alone = Layers();
        var random = new SeededRandom(5);
        var shapes = new TensorShape[4];
        shapes[0] = input;
        for (int i = 0; i < 3; i++)
        {
            shapes[i + 1] = alone[i].Build(shapes[i], batch, random);
        }

        // Small whole numbers as weights and inputs, so that windows tie, cancel to ±0 and go negative.
        var values = new SeededRandom(6);
        var (weight, bias) = (fused.Parameters[0].Value, fused.Parameters[1].Value);
        for (int k = 0; k < weight.Length; k++)
        {
            weight[k] = (float)Math.Round((values.NextDouble() * 4) - 2);
        }

        bias[0] = -12; // mostly negative windows: rectified to +0, the gradient stopped
        bias[1] = -4;
        weight.CopyTo(alone[0].Parameters[0].Value, 0);
        bias.CopyTo(alone[0].Parameters[1].Value, 0);
        var x = Enumerable.Range(0, batch * input.Size)
            .Select(_ => values.NextDouble() < 0.01 ? float.NaN : (float)Math.Round((values.NextDouble() * 4) - 2)).ToArray();
        var y = new float[batch * output.Size];
        fused.Forward(x, y, batch, training: true);
        var h = shapes.Select(s => new float[batch * s.Size]).ToArray();
        h[0] = x;
        for (int i = 0; i < 3; i++)
        {
            alone[i].Forward(h[i], h[i + 1], batch, training: true);
        }

        Assert.Equal(h[3], y);
        Assert.Contains(y, v => v == 0);
        Assert.Contains(y, v => v > 0);

        var dy = Enumerable.Range(0, y.Length).Select(i => (float)((i % 7) - 3)).ToArray();
        var dx = new float[x.Length];
        fused.Backward(x, y, dy, dx, batch);
        var g = shapes.Select(s => new float[batch * s.Size]).ToArray();
        g[3] = dy;
        for (int i = 2; i >= 0; i--)
        {
            alone[i].Backward(h[i], h[i + 1], g[i + 1], g[i], batch);
        }

        Assert.Equal(g[0], dx);
        Assert.Equal(alone[0].Parameters[0].Gradient, fused.Parameters[0].Gradient);
        Assert.Equal(alone[0].Parameters[1].Gradient, fused.Parameters[1].Gradient);
    }

    [Fact]
    public void The_generated_relu_operator_runs_as_a_layer()
    {
        var relu = new ActivationLayer<float, Activations.ReluOperator>();
        relu.Build(new TensorShape(1, 3, 3), 2, new SeededRandom(1));
        float[] x = [-2, -1, 0, 1, 2, 3, -4, 5, -6, 7, -8, 9, 0.5f, -0.5f, 1, -1, 2, -2];
        var y = new float[18];
        var dx = new float[18];
        relu.Forward(x, y, 2, true);
        relu.Backward(x, y, Enumerable.Repeat(1f, 18).ToArray(), dx, 2);
        Assert.Equal(x.Select(v => Math.Max(v, 0f)), y);
        Assert.Equal(x.Select(v => v > 0 ? 1f : 0f), dx);
    }

    [Fact]
    public void Dropout_zeroes_about_p_scales_the_rest_and_its_gradient_follows_the_mask()
    {
        var dropout = new Dropout<double>(0.25);
        dropout.Build(TensorShape.Vector(1000), 4, new SeededRandom(3));
        var x = Enumerable.Repeat(2.0, 4000).ToArray();
        var y = new double[4000];
        var dx = new double[4000];
        dropout.Forward(x, y, 4, training: true);
        int dropped = y.Count(v => v == 0);
        Assert.InRange(dropped, 4000 * 0.25 * 0.9, 4000 * 0.25 * 1.1);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(2.0 / 0.75, v, 1e-12));
        dropout.Backward(x, y, Enumerable.Repeat(1.0, 4000).ToArray(), dx, 4);
        Assert.Equal(y.Select(v => v / 2), dx);

        var again = new double[4000];
        dropout.Forward(x, again, 4, training: true);
        Assert.NotEqual(y, again);
        dropout.Forward(x, again, 4, training: false);
        Assert.Equal(x, again);
    }

    [Theory]
    [InlineData(Initialization.He)]
    [InlineData(Initialization.Glorot)]
    [InlineData(Initialization.PyTorch)]
    public void Initial_weights_have_the_stated_spread_and_depend_on_the_seed_alone(Initialization kind)
    {
        Dense<double> Draw(ulong seed)
        {
            var dense = new Dense<double>(400, 300, kind);
            dense.Build(TensorShape.Vector(400), 1, new SeededRandom(seed));
            return dense;
        }

        var layer = Draw(3);
        var w = layer.Weight.Value;
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        double expected = kind switch
        {
            Initialization.He => Math.Sqrt(2.0 / 400),                  // N(0, 2/fan_in)
            Initialization.Glorot => Math.Sqrt(6.0 / 700) / Math.Sqrt(3), // U(±√(6/(in+out))): std = bound/√3
            _ => 1 / Math.Sqrt(400) / Math.Sqrt(3),                       // U(±1/√fan_in)
        };
        Assert.Equal(expected, std, expected * 0.02);
        Assert.InRange(Math.Abs(mean), 0, expected * 0.02);
        if (kind == Initialization.PyTorch)
        {
            Assert.All(layer.Bias.Value, b => Assert.InRange(Math.Abs(b), 1e-9, 1 / Math.Sqrt(400)));
        }
        else
        {
            Assert.All(layer.Bias.Value, b => Assert.Equal(0, b));
        }

        Assert.Equal(w, Draw(3).Weight.Value);
        Assert.NotEqual(w, Draw(4).Weight.Value);
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new Network<float>(new TensorShape(1, 28, 28), 4, 1,
            new Conv2D<float>(1, 4, 5), new Flatten<float>(), new Dense<float>(100, 10)));
        Assert.Contains("Layer 2 (Dense`1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("2304", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Network<float>(new TensorShape(2, 8, 8), 4, 1, new Conv2D<float>(1, 4, 3)));
        var layer = new Dense<float>(4, 2);
        _ = new Network<float>(TensorShape.Vector(4), 1, 1, layer);
        Assert.Throws<ArgumentException>(() => new Network<float>(TensorShape.Vector(4), 1, 1, layer));
        var network = new Network<float>(TensorShape.Vector(4), 2, 1, new Dense<float>(4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[12], 3, false));
        Assert.Throws<ArgumentException>(() => network.Forward(new float[7], 2, false));
    }
}

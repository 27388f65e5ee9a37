using AutoDiff.Optimizers;
using AutoDiff.Threading;

namespace AutoDiff.Runtime.Tests.Optimizers;

/// <summary>The notes' worked examples, the options where the notes and PyTorch differ, state, checks, threads and allocation.</summary>
public sealed class OptimizerTests
{
    [Fact]
    public void Momentum_reproduces_the_notes_worked_example()
    {
        // With γ = 0.9 and η = 1 the updates are ν₁ = −G₁, ν₂ = −0.9G₁ − G₂, ν₃ = −0.81G₁ − 0.9G₂ − G₃.
        double[] g = [3.0, -2.0, 5.0];
        foreach (var style in new[] { MomentumStyle.Notes, MomentumStyle.PyTorch })
        {
            var value = new double[1];
            var gradient = new double[1];
            var sgd = new Sgd<double>([(value, gradient)], learningRate: 1, momentum: 0.9, style: style);
            var moves = new List<double>();
            foreach (var gi in g)
            {
                double before = value[0];
                gradient[0] = gi;
                sgd.Step();
                moves.Add(value[0] - before);
            }

            Assert.Equal(-g[0], moves[0], 12);
            Assert.Equal((-0.9 * g[0]) - g[1], moves[1], 12);
            Assert.Equal((-0.81 * g[0]) - (0.9 * g[1]) - g[2], moves[2], 12);
        }
    }

    [Fact]
    public void Notes_and_pytorch_momentum_differ_only_when_the_rate_changes()
    {
        double Run(MomentumStyle style, ILearningRateSchedule? schedule)
        {
            var value = new[] { 1.0 };
            var gradient = new double[1];
            var sgd = new Sgd<double>([(value, gradient)], 0.1, momentum: 0.9, style: style) { Schedule = schedule };
            for (int i = 0; i < 5; i++)
            {
                gradient[0] = 2 * value[0];
                sgd.Step();
            }

            return value[0];
        }

        Assert.Equal(Run(MomentumStyle.PyTorch, null), Run(MomentumStyle.Notes, null), 14);
        Assert.NotEqual(Run(MomentumStyle.PyTorch, new ExponentialSchedule(0.5)), Run(MomentumStyle.Notes, new ExponentialSchedule(0.5)), 6);
    }

    [Fact]
    public void Adagrad_puts_epsilon_outside_the_root_by_default_and_inside_on_request()
    {
        foreach (bool inside in new[] { false, true })
        {
            var value = new[] { 1.0 };
            var gradient = new[] { 0.5 };
            var adagrad = new Adagrad<double>([(value, gradient)], learningRate: 0.1, epsilon: 0.01, epsilonInsideSquareRoot: inside);
            adagrad.Step();
            double expected = 1.0 - (0.1 * 0.5 / (inside ? Math.Sqrt((0.5 * 0.5) + 0.01) : Math.Sqrt(0.5 * 0.5) + 0.01));
            Assert.Equal(expected, value[0], 15);
        }
    }

    [Fact]
    public void Adam_bias_correction_is_the_ewma_identity()
    {
        // m_t = (1 − β)Σ β^(t−i) gᵢ has weights summing to 1 − βᵗ, so with a constant gradient g the corrected
        // moments are exactly g and g², and every step moves θ by η·g/(|g| + ε).
        const double g = -0.3, eta = 0.01, epsilon = 1e-8;
        var value = new[] { 2.0 };
        var gradient = new[] { g };
        var adam = new Adam<double>([(value, gradient)], eta, beta1: 0.9, beta2: 0.99, epsilon: epsilon);
        for (int t = 1; t <= 20; t++)
        {
            double before = value[0];
            adam.Step();
            Assert.Equal(-eta * g / (Math.Abs(g) + epsilon), value[0] - before, 12);
        }
    }

    [Fact]
    public void A_restored_optimizer_continues_exactly_as_the_original()
    {
        var random = new Random(8);
        var start = Enumerable.Range(0, 1001).Select(_ => (float)random.NextDouble()).ToArray();
        foreach (var name in new[] { "momentum", "adagrad", "rmsprop-centered-momentum-weight-decay", "adadelta", "adam-amsgrad", "adamw" })
        {
            var a = (float[])start.Clone();
            var ga = new float[a.Length];
            var original = TrajectoryTests.Create<float>(name, [(a, ga)]);
            Steps(original, a, ga, 10);
            using var saved = new MemoryStream();
            original.SaveState(saved);

            var b = (float[])a.Clone();
            var gb = new float[b.Length];
            var restored = TrajectoryTests.Create<float>(name, [(b, gb)]);
            saved.Position = 0;
            restored.LoadState(saved);

            Steps(original, a, ga, 10);
            Steps(restored, b, gb, 10);
            Assert.Equal(a, b);
            Assert.Equal(original.Steps, restored.Steps);
        }
    }

    [Fact]
    public void A_bad_state_is_rejected_with_nothing_changed()
    {
        var value = new float[16];
        var gradient = new float[16];
        var adam = new Adam<float>([(value, gradient)]);
        using var saved = new MemoryStream();
        adam.SaveState(saved);
        var bytes = saved.ToArray();

        var other = new Adam<float>([(new float[16], new float[16])]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => other.LoadState(new MemoryStream(bytes[..(bytes.Length - 5)]))).Message, StringComparison.Ordinal);
        Assert.Contains("not of", Assert.Throws<InvalidDataException>(() => other.LoadState(Saved(new Sgd<float>([(value, gradient)], 0.1, momentum: 0.9)))).Message, StringComparison.Ordinal);
        Assert.Contains("length", Assert.Throws<InvalidDataException>(() => new Adam<float>([(new float[8], new float[8])]).LoadState(new MemoryStream(bytes))).Message, StringComparison.Ordinal);
        Assert.Contains("not an AutoDiff optimizer state", Assert.Throws<InvalidDataException>(() => other.LoadState(new MemoryStream(new byte[] { 3, 65, 66, 67 }))).Message, StringComparison.Ordinal);
        Assert.Equal(0, other.Steps);
    }

    // Issue 27, item 4: every bit of the state is covered by its checksum, the values are checked before anything
    // changes, AdamW's state is not Adam's, random bytes are InvalidDataException, and a stream of short reads works.
    [Fact]
    public void A_damaged_or_foreign_state_changes_nothing_and_a_short_reading_stream_loads()
    {
        var value = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var gradient = Enumerable.Range(0, 16).Select(i => 1f - (i / 8f)).ToArray();
        var adam = new Adam<float>([(value, gradient)]);
        adam.Step();
        adam.Step();
        var bytes = Saved(adam).ToArray();

        var target = new Adam<float>([(new float[16], new float[16])]);
        var before = Saved(target).ToArray();
        for (int bit = 0; bit < bytes.Length * 8; bit += 3)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidDataException>(() => target.LoadState(new MemoryStream(damaged)));
        }

        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var noise = new byte[random.Next(1, 400)];
            random.NextBytes(noise);
            Assert.Throws<InvalidDataException>(() => target.LoadState(new MemoryStream(noise)));
        }

        var adamW = Adam<float>.AdamW([(new float[16], new float[16])]);
        Assert.Contains("not of Adam`1", Assert.Throws<InvalidDataException>(() => target.LoadState(Saved(adamW))).Message, StringComparison.Ordinal);
        Assert.Equal(before, Saved(target).ToArray());

        // Through gzip, whose reads return fewer bytes than asked.
        var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            adam.SaveState(gzip);
        }

        packed.Position = 0;
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionMode.Decompress))
        {
            target.LoadState(gzip);
        }

        Assert.Equal(bytes, Saved(target).ToArray());
        Assert.Equal(2, target.Steps);
    }

    // A state of the earlier format (no checksum) with impossible values: refused before anything changes.
    [Theory]
    [InlineData(double.NaN, 3)]
    [InlineData(0.0, 3)]
    [InlineData(-1.0, 3)]
    [InlineData(double.PositiveInfinity, 3)]
    [InlineData(1e-3, -5)]
    public void Impossible_values_in_a_version_1_state_are_refused(double learningRate, long steps)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("AutoDiff optimizer state 1");
            writer.Write("Sgd`1");
            writer.Write(sizeof(float));
            writer.Write(steps);
            writer.Write(learningRate);
            writer.Write(1);
            writer.Write(0);
        }

        var sgd = new Sgd<float>([(new float[4], new float[4])], 0.1);
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => sgd.LoadState(stream));
        Assert.Equal(0, sgd.Steps);
        Assert.Equal(0.1, sgd.LearningRate);

        // The same state with possible values loads: the format is still read.
        var good = new MemoryStream(stream.ToArray());
        using (var writer = new BinaryWriter(good, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            good.Position = 1 + "AutoDiff optimizer state 1".Length + 1 + "Sgd`1".Length + sizeof(int);
            writer.Write(7L);
            writer.Write(0.25);
        }

        good.Position = 0;
        sgd.LoadState(good);
        Assert.Equal(7, sgd.Steps);
        Assert.Equal(0.25, sgd.LearningRate);
    }

    [Fact]
    public void Bad_arguments_are_rejected_at_construction_naming_them()
    {
        (Memory<float>, Memory<float>)[] good = [(new float[4], new float[4])];
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Sgd<float>([(new float[4], new float[3])], 0.1)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(good, 0)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(good, -1e-3)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(good, beta1: 1.0)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<float>(good, beta2: -0.1)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(good, 0.1, momentum: 1.5)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<float>(good, alpha: 1)).ParamName);
        Assert.Equal("rho", Assert.Throws<ArgumentOutOfRangeException>(() => new Adadelta<float>(good, rho: 1)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd<float>(good, 0.1, nesterov: true)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Sgd<float>([], 0.1)).ParamName);
    }

    [Fact]
    public void A_nan_gradient_is_caught_on_request_before_anything_changes()
    {
        var value = new[] { 1f, 2f, 3f };
        var gradient = new[] { 0.1f, float.NaN, 0.1f };
        var adam = new Adam<float>([(value, gradient)]) { CheckFinite = true };
        var error = Assert.Throws<InvalidOperationException>(adam.Step);
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 1f, 2f, 3f }, value);
        Assert.Equal(0, adam.Steps);
    }

    [Fact]
    public void Clipping_scales_all_gradients_to_the_global_norm()
    {
        var g1 = new[] { 3f, 0f };
        var g2 = new[] { 0f, 4f, 0f };
        var sgd = new Sgd<float>([(new float[2], g1), (new float[3], g2)], 0.1);
        Assert.Equal(5.0, sgd.ClipGradientNorm(1.0), 6);
        Assert.Equal(0.6f, g1[0], 6);
        Assert.Equal(0.8f, g2[1], 6);
        Assert.Equal(1.0, sgd.ClipGradientNorm(2.0), 6); // below the bound: unchanged
        Assert.Equal(0.6f, g1[0], 6);
    }

    [Fact]
    public void Schedules_follow_their_formulas_and_scale_any_optimizer()
    {
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(1, 7).Select(t => new StepSchedule(3, 0.5).Factor(t)));
        Assert.Equal(Math.Pow(0.9, 4), new ExponentialSchedule(0.9).Factor(5), 15);
        var cosine = new CosineSchedule(10, 0.1);
        Assert.Equal(1.0, cosine.Factor(1), 15);
        Assert.Equal(0.55, cosine.Factor(6), 15);
        Assert.Equal(0.1, cosine.Factor(11), 15);
        Assert.Equal(0.1, cosine.Factor(50), 15);
        var warm = new WarmupSchedule(4, new ExponentialSchedule(0.5));
        Assert.Equal([0.25, 0.5, 0.75, 1, 1, 0.5, 0.25], Enumerable.Range(1, 7).Select(t => warm.Factor(t)));

        var value = new[] { 1.0 };
        var gradient = new[] { 1.0 };
        var sgd = new Sgd<double>([(value, gradient)], 0.1) { Schedule = new StepSchedule(1, 0.5) };
        sgd.Step();
        sgd.Step();
        Assert.Equal(1.0 - 0.1 - 0.05, value[0], 15);
        Assert.Equal(0.05, sgd.CurrentLearningRate, 15);
    }

    [Fact]
    public void Large_parameters_run_in_parts_with_the_same_bits_whatever_the_thread_count()
    {
        var random = new Random(2);
        var start = Enumerable.Range(0, 300_007).Select(_ => (float)random.NextDouble()).ToArray();
        var grad = Enumerable.Range(0, start.Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            var results = new List<float[]>();
            foreach (int degree in new[] { 1, 2, 3 })
            {
                KernelPool.MaxDegreeOfParallelism = degree;
                var value = (float[])start.Clone();
                var adam = new Adam<float>([(value, (float[])grad.Clone())], amsgrad: true);
                for (int i = 0; i < 3; i++)
                {
                    adam.Step();
                }

                results.Add(value);
            }

            Assert.Equal(results[0], results[1]);
            Assert.Equal(results[0], results[2]);
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Steps_allocate_nothing()
    {
        var small = new float[1000];
        var large = new float[300_000];
        (Memory<float>, Memory<float>)[] parameters = [(small, new float[small.Length]), (large, new float[large.Length])];
        var optimizers = new Optimizer<float>[]
        {
            new Sgd<float>(parameters, 0.01, momentum: 0.9, nesterov: true),
            new Adagrad<float>(parameters),
            new RmsProp<float>(parameters, centered: true, momentum: 0.5),
            new Adadelta<float>(parameters),
            new Adam<float>(parameters, amsgrad: true),
            Adam<float>.AdamW(parameters),
        };
        foreach (var optimizer in optimizers)
        {
            optimizer.Schedule = new WarmupSchedule(10, new CosineSchedule(100));
            long allocated = SteadyState.AllocatedBytes(optimizer.Step, calls: 20, warmup: 20);
            Assert.True(allocated == 0, $"{optimizer.GetType().Name}: 20 steps allocated {allocated} bytes");
        }
    }

    private static void Steps(Optimizer<float> optimizer, float[] value, float[] gradient, int count)
    {
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < value.Length; j++)
            {
                gradient[j] = (2 * value[j]) - 1 + (0.01f * j);
            }

            optimizer.Step();
        }
    }

    private static MemoryStream Saved<T>(Optimizer<T> optimizer)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        optimizer.SaveState(stream);
        stream.Position = 0;
        return stream;
    }
}

using AutoDiff.Generator.Tests.Infrastructure;

namespace AutoDiff.Generator.Tests;

/// <summary>The row kernels under RowKernels/, compiled once per precision.</summary>
public sealed class RowKernelFixture
{
    public RowKernelFixture()
    {
        Single = RowDrivers.Build<float>(RowDrivers.Sources(asDouble: false));
        Double = RowDrivers.Build<double>(RowDrivers.Sources(asDouble: true));
    }

    public IReadOnlyList<IRowDriver<float>> Single { get; }

    public IReadOnlyList<IRowDriver<double>> Double { get; }
}

/// <summary>
/// Methods over spans: the per-row gradient against central differences in double (every length
/// 1..67), float against double, the batched forms against the per-row gradient, argument checks,
/// special values and allocation.
/// </summary>
public sealed class RowKernelTests(RowKernelFixture kernels) : IClassFixture<RowKernelFixture>
{
    private const double Margin = 0.7;

    [Fact]
    public void Every_row_kernel_compiles_in_both_precisions()
    {
        Assert.True(kernels.Double.Count >= 11, $"only {kernels.Double.Count} row kernels");
        Assert.Equal(kernels.Double.Select(d => d.Name), kernels.Single.Select(d => d.Name));
    }

    [Fact]
    public void Row_gradient_matches_central_differences_in_double_for_every_length_1_to_67()
    {
        var random = new Random(6701);
        foreach (var kernel in kernels.Double)
        {
            GradientChecks.Rows(kernel, random, Sample);
        }
    }

    [Fact]
    public void Hessian_vector_product_matches_differences_of_the_row_gradient_for_every_length_1_to_67()
    {
        var random = new Random(6702);
        Assert.Equal(kernels.Double.Count, kernels.Double.Count(k => k.HasHessianVector)); // those that call another method too
        foreach (var kernel in kernels.Double)
        {
            GradientChecks.RowsHessianVector(kernel, random, Sample);
        }
    }

    [Fact]
    public void Float_kernels_agree_with_double_kernels()
    {
        var random = new Random(17);
        for (int index = 0; index < kernels.Double.Count; index++)
        {
            var single = kernels.Single[index];
            var wide = kernels.Double[index];
            foreach (int n in new[] { 1, 7, 8, 9, 31, 64, 67 })
            {
                var x = Sample(wide.Kinds, n, 1, random);
                var d = Gradients(wide.Kinds, n, 1);
                var dSingle = d.Select(a => new float[a.Length]).ToArray();
                double value = wide.Gradient(x, d);
                float valueSingle = single.Gradient(ToSingle(x), dSingle);
                Numerics.Close(value, (double)valueSingle, 1e-4, $"{wide.Name} value, n = {n}");
                for (int k = 0; k < d.Length; k++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        Assert.True(Math.Abs(d[k][i] - dSingle[k][i]) <= 1e-4 * Math.Max(1, Math.Abs(d[k][i])),
                            $"{wide.Name}, n = {n}: d{k}[{i}] is {dSingle[k][i]:R} in float, {d[k][i]:R} in double");
                    }
                }
            }
        }
    }

    [Fact]
    public void Batched_forms_equal_the_row_gradient_row_by_row()
    {
        var random = new Random(5);
        foreach (var kernel in kernels.Double)
        {
            foreach (var (rows, columns) in new[] { (1, 1), (5, 3), (4, 10), (3, 67) })
            {
                var x = Sample(kernel.Kinds, columns, rows, random);
                var upstream = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                var values = new double[rows];
                var rowGradients = Gradients(kernel.Kinds, columns, rows);
                for (int r = 0; r < rows; r++)
                {
                    var row = RowOf(kernel.Kinds, x, r, columns);
                    var d = Gradients(kernel.Kinds, columns, 1);
                    values[r] = kernel.Gradient(row, d);
                    for (int k = 0; k < d.Length; k++)
                    {
                        d[k].CopyTo(rowGradients[k], r * columns);
                    }
                }

                var destination = new double[rows];
                kernel.Forward(rows, x, destination);
                var sumD = Gradients(kernel.Kinds, columns, rows);
                var meanD = Gradients(kernel.Kinds, columns, rows);
                var backD = Gradients(kernel.Kinds, columns, rows);
                double sum = kernel.Sum(rows, x, sumD);
                double mean = kernel.Mean(rows, x, meanD);
                kernel.Backward(rows, x, upstream, backD);

                string at = $"{kernel.Name}, {rows}×{columns}";
                Numerics.Close(values.Sum(), sum, 1e-12, at + " sum");
                Numerics.Close(values.Average(), mean, 1e-12, at + " mean");
                for (int r = 0; r < rows; r++)
                {
                    Numerics.Close(values[r], destination[r], 1e-12, at + $" value of row {r}");
                }

                for (int k = 0; k < rowGradients.Length; k++)
                {
                    for (int i = 0; i < rowGradients[k].Length; i++)
                    {
                        double g = rowGradients[k][i];
                        Numerics.Close(g, sumD[k][i], 1e-12, at + $" sum gradient {k}[{i}]");
                        Numerics.Close(g / rows, meanD[k][i], 1e-12, at + $" mean gradient {k}[{i}]");
                        Numerics.Close(g * upstream[i / columns], backD[k][i], 1e-12, at + $" backward {k}[{i}]");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_large_batch_runs_in_parts_with_the_same_bits_whatever_the_thread_count()
    {
        // 300 rows of 200: above the 32,768 elements from which the rows run in parts on the kernel pool.
        var kernel = kernels.Single.Single(k => k.Name.StartsWith("Rows.SparseCrossEntropy(", StringComparison.Ordinal));
        const int rows = 300, columns = 200;
        var random = new Random(21);
        var x = new[]
        {
            Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => (float)random.Next(columns)).ToArray(),
        };
        int saved = AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism;
        try
        {
            var results = new List<(float Mean, float[] Gradient, float[] Values)>();
            foreach (int degree in new[] { 1, 2, 3 })
            {
                AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism = degree;
                var d = new[] { new float[rows * columns] };
                var values = new float[rows];
                kernel.Forward(rows, x, values);
                results.Add((kernel.Mean(rows, x, d), d[0], values));
            }

            foreach (var other in results.Skip(1))
            {
                Assert.Equal(results[0].Mean, other.Mean);
                Assert.Equal(results[0].Gradient, other.Gradient);
                Assert.Equal(results[0].Values, other.Values);
            }

            // And the parts compute what one row at a time does.
            var row = new[] { new float[columns] };
            float first = kernel.Gradient(new[] { x[0].AsSpan(0, columns).ToArray(), new[] { x[1][0] } }, row);
            Assert.Equal(first, results[0].Values[0]);
            for (int i = 0; i < columns; i++)
            {
                Numerics.Close(row[0][i] / (double)rows, results[0].Gradient[i], 1e-6, $"mean gradient [{i}]");
            }
        }
        finally
        {
            AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_parameter_before_any_write()
    {
        var kernel = kernels.Single.Single(k => k.Name.StartsWith("Rows.SparseCrossEntropy(", StringComparison.Ordinal));
        var logits = new float[] { 1, 2, 3, 4, 5, 6 };

        var d = new[] { Filled(6, 42f) };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Gradient(new[] { logits, new float[] { 6 } }, d));
        Assert.Equal("target", error.ParamName);
        Assert.All(d[0], v => Assert.Equal(42f, v));

        d = new[] { Filled(5, 42f) };
        var mismatch = Assert.Throws<ArgumentException>(() => kernel.Gradient(new[] { logits, new float[] { 0 } }, d));
        Assert.Equal("dLogits", mismatch.ParamName);

        d = new[] { Filled(6, 42f) };
        var shape = Assert.Throws<ArgumentException>(() => kernel.Mean(4, new[] { logits, new float[] { 0, 0, 0, 0 } }, d));
        Assert.Equal("logits", shape.ParamName);
        Assert.Contains("4 rows", shape.Message, StringComparison.Ordinal);

        var labels = Assert.Throws<ArgumentException>(() => kernel.Mean(2, new[] { logits, new float[] { 0, 1, 2 } }, d));
        Assert.Equal("target", labels.ParamName);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Mean(2, new[] { logits, new float[] { 0, 3 } }, d));
        Assert.Equal("target", range.ParamName);
        Assert.All(d[0], v => Assert.Equal(42f, v));

        var constant = kernels.Single.Single(k => k.Name.StartsWith("Rows.FirstAndLength(", StringComparison.Ordinal));
        var empty = Assert.Throws<ArgumentOutOfRangeException>(() => constant.Gradient(new[] { Array.Empty<float>() }, new[] { Array.Empty<float>() }));
        Assert.Contains("a[0]", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_gradient_in_place_equals_out_of_place_for_every_length()
    {
        // The last, masked vector step re-reads lanes already written: in place, it must keep them.
        var kernel = kernels.Single.Single(k => k.Name.StartsWith("Rows.SparseCrossEntropy(", StringComparison.Ordinal));
        var random = new Random(12);
        for (int n = 1; n <= 67; n++)
        {
            var logits = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
            var label = new float[] { random.Next(n) };
            var d = new[] { new float[n] };
            float value = kernel.Gradient(new[] { logits, label }, d);
            var inPlace = new[] { logits };
            float valueInPlace = kernel.Gradient(new[] { logits, label }, inPlace);
            Assert.Equal(value, valueInPlace);
            Assert.Equal(d[0], logits);
        }
    }

    [Fact]
    public void Log_sum_exp_is_stable_and_nan_propagates()
    {
        var kernel = kernels.Single.Single(k => k.Name.StartsWith("Rows.SparseCrossEntropy(", StringComparison.Ordinal));
        var d = new[] { new float[3] };

        // log(e^100 + e^-100 + e^0) − (−100) = 200 (to float precision): no overflow.
        float value = kernel.Gradient(new[] { new float[] { 100, -100, 0 }, new float[] { 1 } }, d);
        Assert.Equal(200f, value);
        Assert.Equal(1f, d[0][0]);
        Assert.Equal(-1f, d[0][1]);
        Assert.Equal(MathF.Exp(-100f), d[0][2]); // e⁻¹⁰⁰, a subnormal float

        value = kernel.Gradient(new[] { new float[] { 1, float.NaN, 0 }, new float[] { 0 } }, d);
        Assert.True(float.IsNaN(value));

        // All −∞ but the target: the shift is the finite max, the loss 0.
        value = kernel.Gradient(new[] { new float[] { float.NegativeInfinity, 3, float.NegativeInfinity }, new float[] { 1 } }, d);
        Assert.Equal(0f, value);
    }

    [Fact]
    public void Max_shares_its_gradient_among_ties_as_torch_max_does()
    {
        var kernel = kernels.Double.Single(k => k.Name.StartsWith("Rows.MaxMinusMean(", StringComparison.Ordinal));
        var d = new[] { new double[4] };
        kernel.Gradient(new[] { new double[] { 2, 5, 5, 1 } }, d);
        Assert.Equal(new[] { -0.25, 0.25, 0.25, -0.25 }, d[0]);
    }

    [Fact]
    public void Min_shares_its_gradient_among_ties_as_torch_min_does()
    {
        var kernel = kernels.Double.Single(k => k.Name.StartsWith("Rows.MinMinusMean(", StringComparison.Ordinal));
        var d = new[] { new double[4] };
        Assert.Equal(1 - 2.25, kernel.Gradient(new[] { new double[] { 2, 1, 1, 5 } }, d));
        Assert.Equal(new[] { -0.25, 0.25, 0.25, -0.25 }, d[0]);
    }

    [Fact]
    public void Min_of_an_empty_row_is_infinite_and_of_a_NaN_NaN()
    {
        Assert.Equal(double.PositiveInfinity, AD.Min(ReadOnlySpan<double>.Empty));
        Assert.Equal(float.PositiveInfinity, AD.Min(ReadOnlySpan<float>.Empty));
        Assert.True(double.IsNaN(AD.Min(new[] { 1.0, double.NaN, -3 })));
        Assert.Equal(-3f, AD.Min(new[] { 1f, 7, -3, 2 }));
        Assert.True(double.IsNegative(AD.Min(new[] { 0.0, -0.0 }))); // as Math.Min: −0 below +0
    }

    [Fact]
    public void Batched_mean_allocates_nothing()
    {
        var kernel = kernels.Single.Single(k => k.Name.StartsWith("Rows.SparseCrossEntropy(", StringComparison.Ordinal));
        var random = new Random(3);
        var x = new[] { Enumerable.Range(0, 640).Select(_ => (float)random.NextDouble()).ToArray(), Enumerable.Range(0, 64).Select(i => (float)(i % 10)).ToArray() };
        var d = new[] { new float[640] };
        kernel.Mean(64, x, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            kernel.Mean(64, x, d);
        }

        // The driver converts the labels to int[] once per call (64 ints); the kernel itself adds nothing.
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perCall <= 64 * sizeof(int) + 32, $"{perCall} bytes per call");
    }

    [Fact]
    public void A_loop_over_the_row_allocates_nothing()
    {
        // The generated forms of a for loop over the row: no tape, no buffer (the increments are summed in registers).
        var kernel = kernels.Double.Single(k => k.Name.StartsWith("Rows.AccumulatingLoop(", StringComparison.Ordinal));
        var random = new Random(5);
        var x = Sample(kernel.Kinds, 1000, 1, random);
        var d = Gradients(kernel.Kinds, 1000, 1);
        var v = Gradients(kernel.Kinds, 1000, 1);
        var hv = Gradients(kernel.Kinds, 1000, 1);
        double sink = 0;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                sink += kernel.Gradient(x, d) + kernel.HessianVector(x, v, hv) + kernel.Jvp(x, v, out var tangent) + tangent;
            }

            if (round == 1)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }

        Assert.False(double.IsNaN(sink));
    }

    /// <summary>Random arguments: spans in [−2, 2], [NoDiff] spans in [0, 1], indices in the row, per-row scalars 0 or 1, constants 0.7.</summary>
    internal static double[][] Sample(string[] kinds, int n, int rows, Random random) =>
        kinds.Select(kind => kind switch
        {
            "span" => Enumerable.Range(0, n * rows).Select(_ => random.NextDouble() * 4 - 2).ToArray(),
            "nodiff-span" => Enumerable.Range(0, n * rows).Select(_ => random.NextDouble()).ToArray(),
            "index" => Enumerable.Range(0, rows).Select(_ => (double)random.Next(n)).ToArray(),
            "nodiff" => Enumerable.Range(0, rows).Select(_ => (double)random.Next(2)).ToArray(),
            _ => new[] { Margin },
        }).ToArray();

    private static double[][] RowOf(string[] kinds, double[][] x, int r, int columns) =>
        kinds.Select((kind, p) => kind switch
        {
            "span" or "nodiff-span" => x[p].AsSpan(r * columns, columns).ToArray(),
            "const" => x[p],
            _ => new[] { x[p][r] },
        }).ToArray();

    private static double[][] Gradients(string[] kinds, int n, int rows) =>
        kinds.Where(k => k == "span").Select(_ => new double[n * rows]).ToArray();

    private static float[][] ToSingle(double[][] x) => x.Select(a => a.Select(v => (float)v).ToArray()).ToArray();

    private static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();
}

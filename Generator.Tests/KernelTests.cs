using System.Numerics;

namespace AutoDiff.Generator.Tests;

/// <summary>The kernels under Kernels/ are compiled once per precision with the generator, then every
/// generated form is checked against an independent reference: finite differences for gradients,
/// the scalar form for lanes and spans.</summary>
public sealed class KernelFixture
{
    public KernelFixture()
    {
        Single = KernelDrivers.Build<float>(KernelDrivers.Sources(asDouble: false)).Drivers;
        (Double, DoubleRun) = KernelDrivers.Build<double>(KernelDrivers.Sources(asDouble: true));
    }

    public IReadOnlyList<IKernelDriver<float>> Single { get; }

    public IReadOnlyList<IKernelDriver<double>> Double { get; }

    /// <summary>The generator's output for <see cref="Double"/>.</summary>
    public GeneratorRun DoubleRun { get; }
}

public sealed class KernelTests(KernelFixture kernels) : IClassFixture<KernelFixture>
{
    private const int Points = 50;

    [Fact]
    public void Every_kernel_compiles_in_both_precisions()
    {
        Assert.True(kernels.Double.Count >= 30, $"only {kernels.Double.Count} kernels");
        Assert.Equal(kernels.Double.Select(d => d.Name), kernels.Single.Select(d => d.Name));
    }

    [Fact]
    public void Scalar_gradient_matches_central_differences_in_double()
    {
        var random = new Random(20261128);
        foreach (var kernel in kernels.Double)
        {
            GradientChecks.Elementwise(kernel, random, Points);
        }
    }

    [Fact]
    public void Jvp_equals_the_gradient_dotted_with_the_direction_in_double()
    {
        var random = new Random(20261205);
        foreach (var kernel in kernels.Double)
        {
            GradientChecks.Jvp(kernel, random, Points);
        }
    }

    [Fact]
    public void Hessian_matches_central_differences_of_the_gradient_in_double()
    {
        var random = new Random(20261206);
        foreach (var kernel in kernels.Double.Where(k => k.HasHessian))
        {
            GradientChecks.Hessian(kernel, random, 20);
        }
    }

    [Fact]
    public void A_long_method_gets_its_Hessian_a_column_at_a_time_and_a_short_one_written_out()
    {
        var run = kernels.DoubleRun;
        var control = run.Sources.Single(s => s.Key.EndsWith("Kernels.Control.LongRecurrence.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("private static double LongRecurrenceHessianColumn(", control, StringComparison.Ordinal);
        var huber = run.Sources.Single(s => s.Key.EndsWith("Kernels.Roles.Huber.g.cs", StringComparison.Ordinal)).Value;
        Assert.DoesNotContain("HessianColumn(", huber, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_methods_with_a_custom_derivative_and_no_supplied_Hessian_and_their_callers_lack_a_Hessian() =>
        Assert.Equal(["Custom.Scaled", "Custom.UsesCustom"], kernels.Double.Where(k => !k.HasHessian).Select(k => k.Name));

    [Fact]
    public void A_supplied_Hessian_under_another_name_is_called_with_the_outputs_checked_first()
    {
        var type = kernels.DoubleRun.Load().GetType("Kernels.Custom", throwOnError: true)!;
        var hessianOf = type.GetMethod("SoftProductHessian", [typeof(double), typeof(double), typeof(Span<double>), typeof(Span<double>)])!.CreateDelegate<SecondOrder>();
        double x = 0.7, y = 1.3, u = 1 + (x * x * y);
        var gradient = new double[3];
        var hessian = new double[5];
        Numerics.Close(Math.Log(u), hessianOf(x, y, gradient, hessian), 1e-15, "value");
        Assert.Equal([2 * x * y / u, x * x / u, 0], gradient); // the worked rule of Kernels/Custom.cs, and nothing past k
        Assert.Equal(0, hessian[4]);

        var tooShort = new double[3];
        var e = Assert.Throws<ArgumentException>(() => hessianOf(x, y, new double[1], tooShort));
        Assert.Equal("gradient", e.ParamName);
        Assert.All(tooShort, v => Assert.Equal(0, v));
    }

    private delegate double SecondOrder(double x, double y, Span<double> gradient, Span<double> hessian);

    [Fact]
    public void Every_lane_equals_the_scalar_form_in_float() => LanesEqualScalar(kernels.Single, 2e-6);

    [Fact]
    public void Every_lane_equals_the_scalar_form_in_double() => LanesEqualScalar(kernels.Double, 1e-14);

    [Fact]
    public void Span_forms_equal_the_scalar_loop_for_every_length_in_float() => SpansEqualScalarLoop(kernels.Single, 2e-6);

    [Fact]
    public void Span_forms_equal_the_scalar_loop_for_every_length_in_double() => SpansEqualScalarLoop(kernels.Double, 1e-14);

    [Fact]
    public void Mismatched_span_lengths_throw_naming_the_parameter_before_any_write()
    {
        foreach (var kernel in kernels.Single)
        {
            int n = 19;
            int spans = kernel.Roles.Count(r => r != "const");
            for (int wrong = 0; wrong < kernel.Roles.Length; wrong++)
            {
                if (kernel.Roles[wrong] == "const" || IndexOfFirstSpan(kernel) == wrong)
                {
                    continue;
                }

                var x = Inputs(kernel, n, new Random(wrong));
                x[wrong] = new float[n - 1];
                var destination = Filled(n, 7f);
                var d = kernel.Roles.Where(r => r == "diff").Select(_ => Filled(n, 7f)).ToArray();
                var name = ParameterName(kernel, wrong);

                AssertThrows(() => kernel.Forward(x, destination));
                AssertThrows(() => kernel.Backward(x, Filled(n, 1f), d));
                AssertThrows(() => kernel.Sum(x, d));
                AssertThrows(() => kernel.Mean(x, d));

                void AssertThrows(Action call)
                {
                    var e = Assert.Throws<ArgumentException>(call);
                    Assert.Equal(name, e.ParamName);
                    Assert.All(destination, v => Assert.Equal(7f, v));
                    Assert.All(d, s => Assert.All(s, v => Assert.Equal(7f, v)));
                }
            }

            // Outputs are checked too.
            var good = Inputs(kernel, n, new Random(1));
            var shortDestination = Filled(n + 1, 7f);
            var ex = Assert.Throws<ArgumentException>(() => kernel.Forward(good, shortDestination));
            Assert.Equal("destination", ex.ParamName);
            Assert.All(shortDestination, v => Assert.Equal(7f, v));
            Assert.True(spans >= 1);
        }
    }

    [Fact]
    public void Float_and_double_ExpM1_and_LogP1_are_emitted_as_the_accurate_forms()
    {
        // .NET 10's double.ExpM1(x) is Exp(x) − 1 and LogP1(x) is Log(x + 1): at x = 1e-10 they keep 7 digits. The
        // generated code computes AD.ExpM1 and AD.Log1P: e^x − 1 + ln(1 + x) = 2x + O(x³), and its derivative
        // e^x + 1/(1 + x) = 2 + O(x²), to the last digit.
        var kernel = kernels.Double.Single(k => k.Name == "Elementary.AccurateForms");
        var d = new double[1];
        Numerics.Close(2e-10, kernel.Gradient([1e-10], d), 1e-15, "value");
        Numerics.Close(2.0, d[0], 1e-15, "derivative");
        Assert.True(Math.Abs(double.ExpM1(1e-10) - 1e-10) > 1e-18, "the naive ExpM1 this replaces is off in the 8th digit");
    }

    [Fact]
    public void StopGradient_keeps_the_value_and_drops_the_derivative()
    {
        // F = x·sg(x²) + y·sg(y) + sg(eˣ): the value is x³ + y² + eˣ, the gradient the one of x·a + y·b + c with
        // a, b, c constants: ∂F/∂x = x² (not 3x² + eˣ), ∂F/∂y = y (not 2y). Finite differences of F cannot check
        // this (they see the stopped parts move), so the reference is the worked derivative, in every form.
        var (drivers, _) = KernelDrivers.Build<double>("""
            using System;
            using AutoDiff;

            public static partial class Stopped
            {
                [Differentiable]
                public static double F(double x, double y) => x * AD.StopGradient(x * x) + y * AD.StopGradient(y) + AD.StopGradient(Math.Exp(x));

                // The same stopped parts in a taped loop that runs n = ⌊|y|⌋ + 1 times.
                [Differentiable]
                public static double G(double x, double y)
                {
                    double s = 0.0;
                    int n = (int)Math.Abs(y) + 1;
                    for (int i = 0; i < n; i++)
                    {
                        s += x * AD.StopGradient(x * x) + y * AD.StopGradient(y);
                    }

                    return s;
                }
            }
            """);
        var kernel = drivers.Single(d => d.Name == "Stopped.F");
        var taped = drivers.Single(d => d.Name == "Stopped.G");
        foreach (var (x, y) in new[] { (0.5, -1.25), (-2.0, 3.0), (1.5, 0.25) })
        {
            var d = new double[2];
            Assert.Equal((x * x * x) + (y * y) + Math.Exp(x), kernel.Gradient([x, y], d), 1e-12);
            Assert.Equal(x * x, d[0], 1e-12);
            Assert.Equal(y, d[1], 1e-12);

            int n = (int)Math.Abs(y) + 1;
            Assert.Equal(n * ((x * x * x) + (y * y)), taped.Gradient([x, y], d), 1e-12);
            Assert.Equal(n * x * x, d[0], 1e-12);
            Assert.Equal(n * y, d[1], 1e-12);
        }

        var xs = new[] { 0.5, -2.0, 1.5, 0.75, -0.25 };
        var ys = new[] { -1.25, 3.0, 0.25, 2.0, 1.0 };
        var dx = new double[5];
        var dy = new double[5];
        kernel.Sum([xs, ys], [dx, dy]);
        Assert.Equal(xs.Select(v => v * v), dx, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(ys, dy, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void The_power_rule_gives_0_not_NaN_where_the_exponent_is_0()
    {
        var kernel = kernels.Double.Single(k => k.Name == "Elementary.PowerAtZero");
        var d = new double[2];
        Assert.Equal(1, kernel.Gradient([0, 0], d)); // (0²)^(0²) = 0⁰ = 1, plus x = 0
        Assert.Equal(1, d[0]); // ∂/∂x: 0 from the power (its exponent is 0), 1 from + x
        Assert.Equal(0, d[1]); // ∂/∂y: (x²)^(y²)·ln(x²)·2y, taken as 0 where x² = 0 and y² ≥ 0
    }

    [Fact]
    public void In_place_works_and_a_wrong_length_is_named()
    {
        // (The overlap check itself, a destination shifted over its input, is tested through the runtime's generated
        // forms in Runtime.Tests/Kernels/ElementwiseTests: this driver passes arrays, so it cannot shift one.)
        var kernel = kernels.Single.Single(k => k.Name == "Elementary.Exp");
        var buffer = new float[40];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = i * 0.1f;
        }

        var expected = buffer.Select(v => kernel.Value(new[] { v })).ToArray();
        kernel.Forward(new[] { buffer }, buffer); // in place
        for (int i = 0; i < buffer.Length; i++)
        {
            Numerics.Close(expected[i], buffer[i], 2e-6, $"in place [{i}]");
        }

        var longer = new float[41];
        var e = Assert.Throws<ArgumentException>(() => kernel.Forward(new[] { longer.AsSpan(0, 40).ToArray() }, longer));
        Assert.Equal("destination", e.ParamName);
    }

    [Fact]
    public void Sum_and_mean_over_four_million_floats_agree_with_a_double_reference()
    {
        var kernel = kernels.Single.Single(k => k.Name == "Roles.Huber");
        const int n = 4_000_000;
        var random = new Random(4);
        var target = new float[n];
        var prediction = new float[n];
        for (int i = 0; i < n; i++)
        {
            target[i] = (float)random.NextDouble() * 4f;
            prediction[i] = target[i] + (float)(random.NextDouble() * 6 - 3);
        }

        var x = new[] { target, prediction, new[] { 1.5f } };
        double reference = 0;
        for (int i = 0; i < n; i++)
        {
            reference += kernel.Value(new[] { target[i], prediction[i], 1.5f });
        }

        var d = new[] { new float[n] };
        float sum = kernel.Sum(x, d);
        float mean = kernel.Mean(x, d);
        Assert.True(Numerics.RelativeError(reference, sum) <= 1e-6, $"sum {sum:R} vs {reference:R}");
        Assert.True(Numerics.RelativeError(reference / n, mean, 1e-12) <= 1e-6, $"mean {mean:R} vs {reference / n:R}");
    }

    [Fact]
    public void Parallel_parts_give_the_same_bits_whatever_the_thread_count()
    {
        var kernel = kernels.Single.Single(k => k.Name == "Roles.Huber");
        const int n = 300_001;
        var random = new Random(11);
        var x = new[]
        {
            Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 4f).ToArray(),
            Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray(),
            new[] { 1f },
        };
        int saved = AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism;
        try
        {
            var results = new List<(float Mean, float[] Gradient, float[] Values)>();
            foreach (int degree in new[] { 1, 2, 3 })
            {
                AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism = degree;
                var d = new[] { new float[n] };
                var values = new float[n];
                kernel.Forward(x, values);
                results.Add((kernel.Mean(x, d), d[0], values));
            }

            foreach (var other in results.Skip(1))
            {
                Assert.Equal(results[0].Mean, other.Mean);
                Assert.Equal(results[0].Gradient, other.Gradient);
                Assert.Equal(results[0].Values, other.Values);
            }
        }
        finally
        {
            AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Generated_kernels_allocate_nothing()
    {
        foreach (var kernel in kernels.Single)
        {
            // One kernel above the parallel threshold (parts on the pool), the others in one pass.
            int n = kernel.Name == "Roles.Huber" ? AutoDiff.Threading.KernelPool.ParallelThreshold + 1000 : 1000;
            int diffs = kernel.Roles.Count(r => r == "diff");
            var x = Inputs(kernel, n, new Random(5));
            var destination = new float[n];
            var upstream = Filled(n, 0.5f);
            var d = Enumerable.Range(0, diffs).Select(_ => new float[n]).ToArray();
            var point = x.Select(column => column[0]).ToArray();
            var scalarD = new float[diffs];
            var lanes = x.Select(column => column.Length >= Vector<float>.Count ? new Vector<float>(column) : new Vector<float>(column[0])).ToArray();
            var laneD = new Vector<float>[diffs];

            void Everything()
            {
                kernel.Gradient(point, scalarD);
                kernel.LanesGradient(lanes, laneD);
                kernel.Forward(x, destination);
                kernel.Backward(x, upstream, d);
                kernel.Sum(x, d);
                kernel.Mean(x, d);
            }

            for (int warm = 0; warm < 50; warm++)
            {
                Everything(); // past tier-0 JIT and on-stack replacement
            }

            // Steady state allocates nothing. The runtime may allocate once on this thread while it swaps in
            // re-compiled code (tiering happens in the background, at its own time), so a round that
            // allocated is measured again, up to three times.
            long allocated = long.MaxValue;
            for (int round = 0; round < 3 && allocated != 0; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int call = 0; call < 20; call++)
                {
                    Everything();
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Assert.True(allocated == 0, $"{kernel.Name}: 20 calls of every form allocated {allocated} bytes");
        }
    }

    private static void LanesEqualScalar<T>(IReadOnlyList<IKernelDriver<T>> drivers, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new Random(7);
        int lanes = Vector<T>.Count;
        foreach (var kernel in drivers)
        {
            int diffs = kernel.Roles.Count(r => r == "diff");
            for (int trial = 0; trial < 20; trial++)
            {
                var columns = kernel.Roles.Select((r, p) => Enumerable.Range(0, lanes).Select(_ => Draw<T>(kernel, random)).ToArray()).ToArray();
                for (int p = 0; p < columns.Length; p++)
                {
                    if (kernel.Roles[p] == "const")
                    {
                        Array.Fill(columns[p], columns[p][0]);
                    }
                }

                var x = columns.Select(c => new Vector<T>(c)).ToArray();
                var value = kernel.Lanes(x);
                var d = new Vector<T>[diffs];
                var valueWithGradient = kernel.LanesGradient(x, d);
                for (int lane = 0; lane < lanes; lane++)
                {
                    var point = columns.Select(c => c[lane]).ToArray();
                    var scalarD = new T[diffs];
                    T scalar = kernel.Gradient(point, scalarD);
                    Numerics.Close(scalar, value[lane], tolerance, $"{kernel.Name} lane {lane} value");
                    Numerics.Close(scalar, valueWithGradient[lane], tolerance, $"{kernel.Name} lane {lane} value (gradient form)");
                    for (int k = 0; k < diffs; k++)
                    {
                        Numerics.Close(scalarD[k], d[k][lane], tolerance, $"{kernel.Name} lane {lane} d{k}");
                    }
                }
            }
        }
    }

    private static void SpansEqualScalarLoop<T>(IReadOnlyList<IKernelDriver<T>> drivers, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (var kernel in drivers)
        {
            int diffs = kernel.Roles.Count(r => r == "diff");
            for (int n = 0; n <= 67; n++)
            {
                var random = new Random(n);
                var x = Enumerable.Range(0, kernel.Roles.Length)
                    .Select(p => kernel.Roles[p] == "const" ? new[] { Draw<T>(kernel, random) } : Enumerable.Range(0, n).Select(_ => Draw<T>(kernel, random)).ToArray())
                    .ToArray();
                var upstream = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() * 2 - 1)).ToArray();

                var expectedValue = new T[n];
                var expectedGradient = Enumerable.Range(0, diffs).Select(_ => new T[n]).ToArray();
                double expectedSum = 0;
                for (int i = 0; i < n; i++)
                {
                    var point = x.Select((column, p) => kernel.Roles[p] == "const" ? column[0] : column[i]).ToArray();
                    var g = new T[diffs];
                    expectedValue[i] = kernel.Gradient(point, g);
                    expectedSum += double.CreateChecked(expectedValue[i]);
                    for (int k = 0; k < diffs; k++)
                    {
                        expectedGradient[k][i] = g[k];
                    }
                }

                var destination = new T[n];
                kernel.Forward(x, destination);
                var backward = NewSpans<T>(diffs, n);
                kernel.Backward(x, upstream, backward);
                var sumGradient = NewSpans<T>(diffs, n);
                T sum = kernel.Sum(x, sumGradient);
                var meanGradient = NewSpans<T>(diffs, n);
                T mean = kernel.Mean(x, meanGradient);

                string at = $"{kernel.Name} n={n}";
                Numerics.Close(T.CreateChecked(expectedSum), sum, tolerance * Math.Max(1, n), at + " sum");
                if (n == 0)
                {
                    Assert.True(T.IsNaN(mean), at + ": the mean of nothing is NaN");
                }
                else
                {
                    Numerics.Close(T.CreateChecked(expectedSum / n), mean, tolerance * n, at + " mean = sum / N");
                }

                for (int i = 0; i < n; i++)
                {
                    Numerics.Close(expectedValue[i], destination[i], tolerance, $"{at} forward[{i}]");
                    for (int k = 0; k < diffs; k++)
                    {
                        Numerics.Close(expectedGradient[k][i], sumGradient[k][i], tolerance, $"{at} sum d{k}[{i}]");
                        Numerics.Close(expectedGradient[k][i] / T.CreateChecked(n), meanGradient[k][i], tolerance, $"{at} mean d{k}[{i}]");
                        Numerics.Close(upstream[i] * expectedGradient[k][i], backward[k][i], tolerance, $"{at} backward d{k}[{i}] = upstream ⊙ gradient");
                    }
                }
            }
        }
    }

    private static T[][] NewSpans<T>(int count, int n) => Enumerable.Range(0, count).Select(_ => new T[n]).ToArray();

    private static T Draw<T>(IKernelDriver<T> kernel, Random random)
        where T : struct, INumberBase<T>
    {
        var (low, high) = kernel.Domain;
        return T.CreateChecked(low + (random.NextDouble() * (high - low)));
    }

    private static float[][] Inputs(IKernelDriver<float> kernel, int n, Random random) =>
        kernel.Roles.Select(r => r == "const" ? new[] { 1f } : Enumerable.Range(0, n).Select(_ => Draw(kernel, random)).ToArray()).ToArray();

    private static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();

    private static int IndexOfFirstSpan(IKernelDriver<float> kernel) => Array.FindIndex(kernel.Roles, r => r != "const");

    private static string ParameterName(IKernelDriver<float> kernel, int index) =>
        ParameterNames.TryGetValue(kernel.Name, out var names) ? names[index] : throw new InvalidOperationException(kernel.Name);

    // Read from the kernels' source with Roslyn, so messages can be checked by name.
    private static readonly Dictionary<string, string[]> ParameterNames = ReadParameterNames();

    private static Dictionary<string, string[]> ReadParameterNames()
    {
        var result = new Dictionary<string, string[]>();
        foreach (var source in KernelDrivers.Sources(asDouble: false))
        {
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot();
            foreach (var method in root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                var type = method.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>().First().Identifier.Text;
                result[$"{type}.{method.Identifier.Text}"] = method.ParameterList.Parameters.Select(p => p.Identifier.Text).ToArray();
            }
        }

        return result;
    }
}

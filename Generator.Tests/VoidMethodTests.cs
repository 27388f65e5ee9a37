namespace AutoDiff.Generator.Tests;

/// <summary>
/// A void method's own forms. <c>FVjp</c>: its results (out and ref scalars, spans and arrays written in place) computed
/// as the method computes them, and the gradient of Σ upstream·result with respect to each input, a ref scalar's and a
/// written span's <c>d</c> going in as its result's upstream gradient and coming out as the gradient of what it held on
/// entry (Enzyme's shadows). <c>FJvp</c>: the results and each result's directional derivative, a ref scalar's and a
/// written span's <c>t</c> going in as its input's direction and coming out as its result's. Each method is checked
/// through adapters over arrays declared beside it: the results against the method as C# runs it, the gradient against
/// central differences of Σ seed·results of the method as C# runs it (on copies of its inputs), each tangent against
/// central differences along the direction, and seed·(J·u) against (Jᵀ·seed)·u. Enzyme's void functions are in
/// <see cref="PeerEnzymeTests"/>.
/// </summary>
public sealed class VoidMethodTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Voids
        {
            [Differentiable]
            public static void Polar(double r, double theta, out double x, out double y)
            {
                x = r * Math.Cos(theta);
                y = r * Math.Sin(theta);
            }

            [Differentiable]
            public static void Scale(ref double v, double by) => v *= by;

            // A helper called twice by reference, then its result read.
            [Differentiable]
            public static void ScaledTwice(double a, out double r)
            {
                r = a + 1;
                Scale(ref r, 2.0);
                Scale(ref r, a);
            }

            [Differentiable]
            public static void Accumulate(ReadOnlySpan<double> x, ref double sum)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    sum += Math.Sin(x[i]) * sum;
                }
            }

            // Each element relaxed toward its left neighbour, in place: what it read is what it wrote before.
            [Differentiable]
            public static void Relax(Span<double> v, double w)
            {
                for (int i = 1; i < v.Length; i++)
                {
                    v[i] = (w * v[i]) + ((1 - w) * v[i - 1] * v[i]);
                }
            }

            // An array written in its first n elements; the others pass through.
            [Differentiable]
            public static void Squash(double[] a, double w, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    a[i] = Math.Tanh(w * a[i]);
                }
            }

            // A time-stepping simulation: a damped oscillator's state stepped in place through a helper, and its energy.
            [Differentiable]
            public static void Step(Span<double> state, double dt, double k)
            {
                state[1] -= dt * ((k * state[0]) + (0.1 * state[1]));
                state[0] += dt * state[1];
            }

            [Differentiable]
            public static void Simulate(Span<double> state, double dt, double k, int steps, out double energy)
            {
                for (int s = 0; s < steps; s++)
                {
                    Step(state, dt, k);
                }

                energy = 0.5 * ((k * state[0] * state[0]) + (state[1] * state[1]));
            }

            // A result without a gradient beside one with it; reductions of AD.
            [Differentiable]
            public static void Stats(ReadOnlySpan<double> x, [NoDiff] out double count, out double spread)
            {
                count = x.Length;
                spread = AD.Max(x) - (AD.Sum(x) / x.Length);
            }

            // A counter stepped through a void helper's ref int, C's style: a walk over the positive elements from pos.
            [Differentiable]
            public static void Increment(ref int i) { ++i; }

            [Differentiable]
            public static void Walk(ReadOnlySpan<double> x, ref int pos, ref double acc)
            {
                while (pos < x.Length - 1 && x[pos] > 0)
                {
                    acc += Math.Sqrt(x[pos]) * acc;
                    Increment(ref pos);
                }
            }

            [Differentiable]
            public static double Scan(ReadOnlySpan<double> x, int n)
            {
                double acc = 1.0;
                int pos = 0;
                for (int k = 0; k < n; Increment(ref k))
                {
                    Walk(x, ref pos, ref acc);
                    pos++;
                }

                return acc + pos;
            }

            // The adapters: each method over one array of its inputs (what it reads), running it on copies, its results
            // in one array; and its FVjp over the same arrays.
            public static double[] RunPolar(double[] p) { Polar(p[0], p[1], out var x, out var y); return [x, y]; }
            public static double[] VjpPolar(double[] p, double[] seed, double[] g)
            {
                PolarVjp(p[0], p[1], out var x, out var y, out g[0], out g[1], seed[0], seed[1]);
                return [x, y];
            }

            public static double[] JvpPolar(double[] p, double[] u, double[] t)
            {
                PolarJvp(p[0], p[1], out var x, out var y, u[0], u[1], out t[0], out t[1]);
                return [x, y];
            }

            public static double[] RunScaledTwice(double[] p) { ScaledTwice(p[0], out var r); return [r]; }
            public static double[] VjpScaledTwice(double[] p, double[] seed, double[] g) { ScaledTwiceVjp(p[0], out var r, out g[0], seed[0]); return [r]; }
            public static double[] JvpScaledTwice(double[] p, double[] u, double[] t) { ScaledTwiceJvp(p[0], out var r, u[0], out t[0]); return [r]; }

            public static double[] RunAccumulate(double[] p) { double sum = p[^1]; Accumulate(p.AsSpan(0, p.Length - 1), ref sum); return [sum]; }
            public static double[] VjpAccumulate(double[] p, double[] seed, double[] g)
            {
                double sum = p[^1], dSum = seed[0];
                AccumulateVjp(p.AsSpan(0, p.Length - 1), ref sum, g.AsSpan(0, p.Length - 1), ref dSum);
                g[^1] = dSum;
                return [sum];
            }

            public static double[] JvpAccumulate(double[] p, double[] u, double[] t)
            {
                double sum = p[^1], tSum = u[^1];
                AccumulateJvp(p.AsSpan(0, p.Length - 1), ref sum, u.AsSpan(0, p.Length - 1), ref tSum);
                t[0] = tSum;
                return [sum];
            }

            public static double[] RunRelax(double[] p) { var v = p[..^1]; Relax(v, p[^1]); return v; }
            public static double[] VjpRelax(double[] p, double[] seed, double[] g)
            {
                var v = p[..^1];
                var dV = seed[..];
                RelaxVjp(v, p[^1], dV, out g[^1]);
                dV.CopyTo(g, 0);
                return v;
            }

            public static double[] JvpRelax(double[] p, double[] u, double[] t)
            {
                var v = p[..^1];
                var tV = u[..^1];
                RelaxJvp(v, p[^1], tV, u[^1]);
                tV.CopyTo(t, 0);
                return v;
            }

            public static double[] RunSquash(double[] p) { var a = p[..^1]; Squash(a, p[^1], a.Length - 2); return a; }
            public static double[] VjpSquash(double[] p, double[] seed, double[] g)
            {
                var a = p[..^1];
                var dA = seed[..];
                SquashVjp(a, p[^1], a.Length - 2, dA, out g[^1]);
                dA.CopyTo(g, 0);
                return a;
            }

            public static double[] JvpSquash(double[] p, double[] u, double[] t)
            {
                var a = p[..^1];
                var tA = u[..^1];
                SquashJvp(a, p[^1], a.Length - 2, tA, u[^1]);
                tA.CopyTo(t, 0);
                return a;
            }

            public static double[] RunSimulate(double[] p)
            {
                var state = p[..2];
                Simulate(state, p[2], p[3], 25, out var energy);
                return [state[0], state[1], energy];
            }

            public static double[] VjpSimulate(double[] p, double[] seed, double[] g)
            {
                var state = p[..2];
                var dState = seed[..2];
                SimulateVjp(state, p[2], p[3], 25, out var energy, dState, out g[2], out g[3], seed[2]);
                dState.CopyTo(g, 0);
                return [state[0], state[1], energy];
            }

            public static double[] JvpSimulate(double[] p, double[] u, double[] t)
            {
                var state = p[..2];
                var tState = u[..2];
                SimulateJvp(state, p[2], p[3], 25, out var energy, tState, u[2], u[3], out t[2]);
                tState.CopyTo(t, 0);
                return [state[0], state[1], energy];
            }

            public static double[] RunWalk(double[] p)
            {
                int pos = 1;
                double acc = p[^1];
                Walk(p.AsSpan(0, p.Length - 1), ref pos, ref acc);
                return [acc, pos];
            }

            public static double[] VjpWalk(double[] p, double[] seed, double[] g)
            {
                int pos = 1;
                double acc = p[^1], dAcc = seed[0];
                WalkVjp(p.AsSpan(0, p.Length - 1), ref pos, ref acc, g.AsSpan(0, p.Length - 1), ref dAcc);
                g[^1] = dAcc;
                return [acc, pos];
            }

            public static double[] JvpWalk(double[] p, double[] u, double[] t)
            {
                int pos = 1;
                double acc = p[^1], tAcc = u[^1];
                WalkJvp(p.AsSpan(0, p.Length - 1), ref pos, ref acc, u.AsSpan(0, p.Length - 1), ref tAcc);
                t[0] = tAcc;
                return [acc, pos];
            }

            public static double ScanOf(double[] p) => Scan(p, 3);

            public static double ScanGradientOf(double[] p, double[] g) => ScanGradient(p, 3, g);

            public static double[] RunStats(double[] p) { Stats(p, out _, out var spread); return [spread]; }
            public static double[] VjpStats(double[] p, double[] seed, double[] g)
            {
                StatsVjp(p, out var count, out var spread, g, seed[0]);
                return count == p.Length ? [spread] : [double.NaN];
            }

            public static double[] JvpStats(double[] p, double[] u, double[] t)
            {
                StatsJvp(p, out var count, out var spread, u, out t[0]);
                return count == p.Length ? [spread] : [double.NaN];
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Voids"));

    // Each method: its name, how many inputs and results its adapters take and give.
    public static TheoryData<string, int, int> Methods => new()
    {
        { "Polar", 2, 2 },
        { "ScaledTwice", 1, 1 },
        { "Accumulate", 6, 1 },
        { "Relax", 7, 6 },
        { "Squash", 6, 5 },
        { "Simulate", 4, 3 },
        { "Stats", 5, 1 },
        { "Walk", 6, 2 }, // a counter stepped through a void helper's ref int
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Vjp_gives_the_results_and_the_gradient_of_the_seeded_sum(string name, int inputs, int results)
    {
        var run = Compiled.Value.GetMethod("Run" + name)!.CreateDelegate<Func<double[], double[]>>();
        var vjp = Compiled.Value.GetMethod("Vjp" + name)!.CreateDelegate<Func<double[], double[], double[], double[]>>();
        var random = new Random(23);
        for (int trial = 0; trial < 5; trial++)
        {
            var p = Enumerable.Range(0, inputs).Select(_ => 0.2 + (random.NextDouble() * 0.6)).ToArray();
            var seed = Enumerable.Range(0, results).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var before = p.ToArray();
            var g = new double[inputs];
            var got = vjp(p, seed, g);
            Assert.Equal(before, p); // the adapters pass copies; the form reads them as given
            var expected = run(p);
            Assert.Equal(expected.Length, got.Length);
            for (int j = 0; j < results; j++)
            {
                Numerics.Close(expected[j], got[j], 1e-14, $"{name}: result {j}");
            }

            double Weighted(double[] at) => run(at).Zip(seed, (r, s) => r * s).Sum();
            for (int i = 0; i < inputs; i++)
            {
                Numerics.Close(Numerics.CentralDifference(Weighted, p, i).Derivative, g[i], 1e-7, $"{name}: ∂/∂p{i}, trial {trial}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Jvp_gives_the_results_and_their_directional_derivatives_and_meets_the_Vjp(string name, int inputs, int results)
    {
        var run = Compiled.Value.GetMethod("Run" + name)!.CreateDelegate<Func<double[], double[]>>();
        var vjp = Compiled.Value.GetMethod("Vjp" + name)!.CreateDelegate<Func<double[], double[], double[], double[]>>();
        var jvp = Compiled.Value.GetMethod("Jvp" + name)!.CreateDelegate<Func<double[], double[], double[], double[]>>();
        var random = new Random(29);
        for (int trial = 0; trial < 5; trial++)
        {
            var p = Enumerable.Range(0, inputs).Select(_ => 0.2 + (random.NextDouble() * 0.6)).ToArray();
            var u = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var seed = Enumerable.Range(0, results).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var t = new double[results];
            var got = jvp(p, u, t);
            var expected = run(p);
            for (int j = 0; j < results; j++)
            {
                Numerics.Close(expected[j], got[j], 1e-14, $"{name}: result {j}");

                // Along u: d/dh result_j(p + h·u) at h = 0.
                double Along(double[] h) => run(p.Zip(u, (a, b) => a + (h[0] * b)).ToArray())[j];
                Numerics.Close(Numerics.CentralDifference(Along, [0.0], 0).Derivative, t[j], 1e-7, $"{name}: tangent of result {j}, trial {trial}");
            }

            // seed · (J u) = (Jᵀ seed) · u: forward and reverse mode agree.
            var g = new double[inputs];
            vjp(p, seed, g);
            Numerics.Close(g.Zip(u, (a, b) => a * b).Sum(), t.Zip(seed, (a, b) => a * b).Sum(), 1e-12, $"{name}: seed·Ju against Jᵀseed·u, trial {trial}");
        }
    }

    [Fact]
    public void A_counter_stepped_through_void_helpers_by_reference_has_the_gradient_of_the_method()
    {
        var f = Compiled.Value.GetMethod("ScanOf")!.CreateDelegate<Func<double[], double>>();
        var gradient = Compiled.Value.GetMethod("ScanGradientOf")!.CreateDelegate<Func<double[], double[], double>>();
        double[] x = [0.7, 0.2, -0.5, 0.9, 0.4, -0.1, 0.3, 0.6, -0.2, 0.5];
        var g = new double[x.Length];
        Assert.Equal(f(x), gradient(x, g));
        for (int i = 0; i < x.Length; i++)
        {
            Numerics.Close(Numerics.CentralDifference(f, x, i).Derivative, g[i], 1e-7, $"∂/∂x{i}");
        }

        Assert.Contains(g, d => d != 0); // the walk reads x: not a vacuous check
    }

    private delegate void RelaxVjpForm(Span<double> v, double w, Span<double> dV, out double dW);

    [Fact]
    public void A_long_span_grows_the_tape_and_its_seeds_survive_the_run_again()
    {
        // 200,000 elements keep 200,000 values: the room above the tape is full at least once, and the sweeps run again.
        var vjp = Compiled.Value.GetMethod("RelaxVjp")!.CreateDelegate<RelaxVjpForm>();
        var relax = Compiled.Value.GetMethod("Relax")!.CreateDelegate<RelaxForm>();
        int n = 200_000;
        var v = Enumerable.Range(0, n).Select(i => 0.5 + (0.3 * Math.Sin(i))).ToArray();
        var seed = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        var expected = v.ToArray();
        relax(expected, 0.7);
        var dV = seed.ToArray();
        var given = v.ToArray();
        vjp(given, 0.7, dV, out double dW);
        Assert.Equal(expected, given);

        double Weighted(double[] p)
        {
            var copy = p[..^1];
            relax(copy, p[^1]);
            return copy.Zip(seed, (r, s) => r * s).Sum();
        }

        var at = v.Append(0.7).ToArray();
        foreach (int i in new[] { 0, 1, 77_777, n - 2, n - 1 })
        {
            Numerics.Close(Numerics.CentralDifference(Weighted, at, i).Derivative, dV[i], 1e-6, $"∂/∂v[{i}]");
        }

        Numerics.Close(Numerics.CentralDifference(Weighted, at, n).Derivative, dW, 1e-6, "∂/∂w");
    }

    private delegate void RelaxForm(Span<double> v, double w);

    private delegate void RelaxJvpForm(Span<double> v, double w, Span<double> tV, double tW);

    [Fact]
    public void The_void_forms_allocate_nothing_once_the_tape_has_grown()
    {
        var vjp = Compiled.Value.GetMethod("RelaxVjp")!.CreateDelegate<RelaxVjpForm>();
        var jvp = Compiled.Value.GetMethod("RelaxJvp")!.CreateDelegate<RelaxJvpForm>();
        var v = Enumerable.Range(0, 1000).Select(i => 0.5 + (0.3 * Math.Sin(i))).ToArray();
        var d = new double[1000];
        for (int round = 0; round < 2; round++) // the first round grows this thread's tape
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++)
            {
                vjp(v, 0.7, d, out _);
                jvp(v, 0.7, d, 1.0);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    private delegate void GatherVjp(ReadOnlySpan<double> x, Span<int> index, out double r, Span<double> dX, double dR);

    private delegate float UseGradient(ReadOnlySpan<float> x, ReadOnlySpan<int> index, Span<float> dX);

    // A void method's type comes from its values, not from a span of ints before them (a Span<int> first made it a float
    // method of doubles, AD0006), and a void helper of a float span and a ref int alone is a float one (it was double).
    [Fact]
    public void A_void_method_takes_its_type_from_its_values_not_from_its_indices()
    {
        var type = GeneratorHarness.CompileType("""
            using System;
            using AutoDiff;

            public static partial class Indexed
            {
                [Differentiable]
                public static void Gather(ReadOnlySpan<double> x, Span<int> index, out double r)
                {
                    r = 0;
                    for (int i = 0; i < index.Length; i++)
                    {
                        r += x[index[i]] * x[index[i]];
                    }
                }

                [Differentiable]
                public static void Walk(ReadOnlySpan<float> x, ref int pos)
                {
                    while (pos < x.Length && x[pos] > 0)
                    {
                        pos++;
                    }
                }

                [Differentiable]
                public static float Use(ReadOnlySpan<float> x, Span<int> index)
                {
                    int pos = 0;
                    Walk(x, ref pos);
                    float s = 0;
                    for (int i = 0; i < index.Length; i++)
                    {
                        s += x[index[i]];
                    }

                    return s * pos;
                }
            }
            """, "Indexed");
        double[] x = [1, 2, 3];
        var dX = new double[3];
        type.GetMethod("GatherVjp")!.CreateDelegate<GatherVjp>()(x, new[] { 2, 0, 2 }, out double r, dX, 0.5);
        Assert.Equal(9 + 1 + 9, r);
        Assert.Equal([0.5 * 2 * 1, 0, 0.5 * 2 * 3 * 2], dX); // ∂/∂x of ½·Σ x[index]²: x[2] read twice

        float[] xf = [1, 2, -3, 4];
        var dXf = new float[4];
        float value = type.GetMethod("UseGradient")!.CreateDelegate<UseGradient>()(xf, new[] { 3, 1 }, dXf);
        Assert.Equal((4f + 2f) * 2, value); // the walk stops at −3: pos = 2
        Assert.Equal([0f, 2, 0, 2], dXf);
    }

    [Fact]
    public void A_seed_span_of_another_length_is_refused_before_anything_is_written()
    {
        var vjp = Compiled.Value.GetMethod("RelaxVjp")!.CreateDelegate<RelaxVjpForm>();
        double[] v = [1, 2, 3], dV = [1, 1];
        var e = Assert.Throws<ArgumentException>(() => vjp(v, 0.5, dV, out _));
        Assert.Equal("dV", e.ParamName);
        Assert.Equal([1.0, 2, 3], v);
        Assert.Equal([1.0, 1], dV);
    }
}

using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A loop as users write it, differentiated: Σ aᵢ² over a span written as a <c>for</c> loop (the generator turns the
/// accumulation into a sum over the row), its generated row gradient beside the hand-written adjoint loop (value and
/// 2aᵢ in one scalar pass) and a hand-written <c>Vector&lt;double&gt;</c> loop, in one run. The other rows
/// (Horner's rule, a recurrence over 1,000 steps) need loops that carry values between iterations, which the generator
/// does not take yet.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public partial class LoopBenchmarks
{
    private double[] _a = null!, _d = null!;

    [Params(1_000)]
    public int N { get; set; }

    [Differentiable]
    public static double SumOfSquares(ReadOnlySpan<double> a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i];
        }

        return s;
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = Enumerable.Range(0, N).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        _d = new double[N];
    }

    [Benchmark(Baseline = true, Description = "hand-written adjoint loop")]
    public double HandWritten()
    {
        double s = 0;
        var a = _a;
        var d = _d;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i];
            d[i] = 2 * a[i];
        }

        return s;
    }

    [Benchmark(Description = "hand-written Vector<double> loop")]
    public double HandWrittenVector()
    {
        var a = _a.AsSpan();
        var d = _d.AsSpan();
        var sum = Vector<double>.Zero;
        var two = new Vector<double>(2);
        int i = 0;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(a.Slice(i));
            sum += v * v;
            (v * two).CopyTo(d.Slice(i));
        }

        double s = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            s += a[i] * a[i];
            d[i] = 2 * a[i];
        }

        return s;
    }

    [Benchmark(Description = "generated from the for loop")]
    public double Generated() => SumOfSquaresGradient(_a, _d);
}

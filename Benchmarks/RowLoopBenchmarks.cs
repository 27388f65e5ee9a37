using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A row loss's batch forms before and after their loops over rows moved into the runtime (AutoDiff.CompilerServices'
/// Rows&lt;T&gt;, one loop per form for every row method), in one run: "Before" is the code the generator wrote at
/// commit 15d563f for a cross-entropy, log Σ exp(logits) − logits[target] (kept in <c>Before/</c>), "After" what it
/// writes now for <see cref="After.CrossEntropy"/>: the forward (one value per row), the backward and the fused mean
/// with its gradient, over N elements in rows of 10 (MNIST's classes: the short-row kernel) and of 1,000 (the
/// general one). Each pair is a category; "Before" is its baseline.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class RowLoopBenchmarks
{
    private float[] _logits = null!, _upstream = null!, _perRow = null!, _gradient = null!;
    private int[] _target = null!;

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [Params(10, 1_000)]
    public int Columns { get; set; }

    private int Rows => N / Columns;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _logits = Enumerable.Range(0, N).Select(_ => (random.NextSingle() * 8) - 4).ToArray();
        _target = Enumerable.Range(0, Rows).Select(_ => random.Next(Columns)).ToArray();
        _upstream = Enumerable.Range(0, Rows).Select(_ => random.NextSingle()).ToArray();
        _perRow = new float[Rows];
        _gradient = new float[N];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Cross-entropy mean")]
    public float MeanBefore() => Before.BeforeCrossEntropy.CrossEntropyMean(Rows, _logits, _target, _gradient);

    [Benchmark, BenchmarkCategory("Cross-entropy mean")]
    public float MeanAfter() => After.CrossEntropyMean(Rows, _logits, _target, _gradient);

    [Benchmark(Baseline = true), BenchmarkCategory("Cross-entropy forward")]
    public void ForwardBefore() => Before.BeforeCrossEntropy.CrossEntropy(Rows, _logits, _target, _perRow);

    [Benchmark, BenchmarkCategory("Cross-entropy forward")]
    public void ForwardAfter() => After.CrossEntropy(Rows, _logits, _target, _perRow);

    [Benchmark(Baseline = true), BenchmarkCategory("Cross-entropy backward")]
    public void BackwardBefore() => Before.BeforeCrossEntropy.CrossEntropyBackward(Rows, _logits, _target, _upstream, _gradient);

    [Benchmark, BenchmarkCategory("Cross-entropy backward")]
    public void BackwardAfter() => After.CrossEntropyBackward(Rows, _logits, _target, _upstream, _gradient);
}

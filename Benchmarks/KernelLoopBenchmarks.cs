using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The generated span forms before and after their loops moved into the runtime (AutoDiff.CompilerServices'
/// Elementwise&lt;T&gt;, one loop per form for every method), in one run: "Before" is the code the generator wrote at
/// commit 4232d9d for the same two methods (kept in <c>Before/</c>), "After" what it writes now for
/// <see cref="After"/>. Huber with δ at run time written the textbook way (arithmetic, Vector&lt;T&gt; steps only)
/// and binary cross-entropy with logits (softplus: its kernel has 512-bit steps), each forward, backward and the
/// fused mean with its gradient. Each pair is a category; "Before" is its baseline.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class KernelLoopBenchmarks
{
    private const float Delta = 1f;
    private float _delta = Delta;
    private float[] _target = null!, _prediction = null!, _upstream = null!, _output = null!;

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _target = new float[N];
        _prediction = new float[N];
        _upstream = new float[N];
        _output = new float[N];
        for (int i = 0; i < N; i++)
        {
            _target[i] = random.NextSingle();
            _prediction[i] = _target[i] + (random.NextSingle() * 4) - 2;
            _upstream[i] = random.NextSingle();
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Huber mean")]
    public float HuberMeanBefore() => Before.BeforeHuber.HuberMean(_target, _prediction, _delta, _output);

    [Benchmark, BenchmarkCategory("Huber mean")]
    public float HuberMeanAfter() => After.HuberMean(_target, _prediction, _delta, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("Huber forward")]
    public void HuberForwardBefore() => Before.BeforeHuber.Huber(_target, _prediction, _delta, _output);

    [Benchmark, BenchmarkCategory("Huber forward")]
    public void HuberForwardAfter() => After.Huber(_target, _prediction, _delta, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("Huber backward")]
    public void HuberBackwardBefore() => Before.BeforeHuber.HuberBackward(_target, _prediction, _delta, _upstream, _output);

    [Benchmark, BenchmarkCategory("Huber backward")]
    public void HuberBackwardAfter() => After.HuberBackward(_target, _prediction, _delta, _upstream, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("BCE with logits mean")]
    public float LogisticMeanBefore() => Before.BeforeLogistic.LogisticMean(_target, _prediction, _output);

    [Benchmark, BenchmarkCategory("BCE with logits mean")]
    public float LogisticMeanAfter() => After.LogisticMean(_target, _prediction, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("BCE with logits forward")]
    public void LogisticForwardBefore() => Before.BeforeLogistic.Logistic(_target, _prediction, _output);

    [Benchmark, BenchmarkCategory("BCE with logits forward")]
    public void LogisticForwardAfter() => After.Logistic(_target, _prediction, _output);

    [Benchmark(Baseline = true), BenchmarkCategory("BCE with logits backward")]
    public void LogisticBackwardBefore() => Before.BeforeLogistic.LogisticBackward(_target, _prediction, _upstream, _output);

    [Benchmark, BenchmarkCategory("BCE with logits backward")]
    public void LogisticBackwardAfter() => After.LogisticBackward(_target, _prediction, _upstream, _output);
}

/// <summary>The methods of <see cref="KernelLoopBenchmarks"/> and <see cref="RowLoopBenchmarks"/>, as the generator takes them today.</summary>
public static partial class After
{
    /// <summary>Huber the textbook way: ½r² for |r| ≤ δ, else δ·(|r| − ½δ), with r = p − t.</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    /// <param name="delta">δ.</param>
    [Differentiable]
    public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        if (a <= delta)
        {
            return 0.5f * r * r;
        }

        return delta * (a - (0.5f * delta));
    }

    /// <summary>Binary cross-entropy of a logit z: softplus(z) − t·z.</summary>
    /// <param name="target">The target t.</param>
    /// <param name="logit">The logit z.</param>
    [Differentiable]
    public static float Logistic([NoDiff] float target, float logit) => AD.Softplus(logit) - (target * logit);

    /// <summary>Cross-entropy of a row of logits and the index of its class: log Σ exp(logits) − logits[target].</summary>
    /// <param name="logits">The row of logits.</param>
    /// <param name="target">The class.</param>
    [Differentiable]
    public static float CrossEntropy(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - logits[target];
}

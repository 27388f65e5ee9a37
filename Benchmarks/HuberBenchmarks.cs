using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoDiff.Benchmarks.Peers;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The mean Huber loss (δ = 1) and its gradient with respect to the prediction, in one call, eight ways (the
/// generated and the hand-written kernel each with δ given at run time and with δ = 1 written into the code, and
/// the kernel generated from the textbook form),
/// plus a copy of the same number of bytes (the memory-bandwidth bound). Each reads target and prediction
/// and writes the gradient: 12 bytes per element.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class HuberBenchmarks
{
    private const float Delta = 1f;

    // δ as the generated kernel and a general hand-written kernel get it: a value known at run time only.
    private float _delta = Delta;

    private AlignedFloats _target = null!, _prediction = null!, _gradient = null!;
    private float[] _r = null!, _a = null!, _m = null!, _t = null!;
    private float[] _copySource = null!, _copyDestination = null!;
    private torch.Tensor _torchTarget = null!, _torchPrediction = null!;

    /// <summary>The gradient the last benchmark wrote (for <see cref="PeerCheck"/>).</summary>
    public ReadOnlySpan<float> Gradient => _gradient.Span;

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        (_target, _prediction, _gradient) = (new AlignedFloats(N), new AlignedFloats(N), new AlignedFloats(N));
        Span<float> target = _target.Span, prediction = _prediction.Span;
        for (int i = 0; i < N; i++)
        {
            target[i] = (float)random.NextDouble() * 4f;
            prediction[i] = target[i] + (float)((random.NextDouble() * 4) - 2);
        }

        (_r, _a, _m, _t) = (new float[N], new float[N], new float[N], new float[N]);
        _copySource = new float[(3 * N) / 2];
        _copyDestination = new float[(3 * N) / 2];

        LibTorchSharpPatch.Apply();
        _torchTarget = tensor(target.ToArray());
        _torchPrediction = tensor(prediction.ToArray()).requires_grad_();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchTarget.Dispose();
        _torchPrediction.Dispose();
    }

    /// <summary>The runtime's generated fused kernel (Losses.Huber): one pass, value and gradient.</summary>
    [Benchmark(Baseline = true)]
    public float Generated() => Losses.HuberMean(_target.Span, _prediction.Span, _delta, _gradient.Span);

    /// <summary>
    /// The kernel generated from Huber written the textbook way, δ·(|r| − ½δ) behind |r| ≤ δ (<see cref="After.Huber"/>):
    /// its gradient δ·sign(r) keeps sign(0) = 0 and NaN, one fix-up a vector more than the hand-written copysign(δ, r).
    /// </summary>
    [Benchmark]
    public float GeneratedTextbook() => After.HuberMean(_target.Span, _prediction.Span, _delta, _gradient.Span);

    /// <summary>The kernel generated from Huber with δ = 1 written into its source (<see cref="UnitDeltaHuber"/>).</summary>
    [Benchmark]
    public float GeneratedUnitDelta() => UnitDeltaHuber.HuberMean(_target.Span, _prediction.Span, _gradient.Span);

    /// <summary>The same math as a plain scalar loop.</summary>
    [Benchmark]
    public float ScalarLoop()
    {
        ReadOnlySpan<float> target = _target.Span, prediction = _prediction.Span;
        var gradient = _gradient.Span;
        float scale = 1f / target.Length;
        double sum = 0;
        for (int i = 0; i < target.Length; i++)
        {
            float r = prediction[i] - target[i];
            float a = MathF.Abs(r);
            if (a <= Delta)
            {
                sum += 0.5f * r * r;
                gradient[i] = r * scale;
            }
            else
            {
                sum += Delta * (a - (0.5f * Delta));
                gradient[i] = MathF.CopySign(Delta, r) * scale;
            }
        }

        return (float)(sum / target.Length);
    }

    /// <summary>
    /// A Vector&lt;float&gt; loop as written by hand: one accumulator, selects, no bounds checks, scalar tail; δ is
    /// an argument, as it is to the generated kernel.
    /// </summary>
    [Benchmark]
    public float HandWrittenVector() => HandWrittenVector(_delta);

    /// <summary>
    /// The same loop with δ = 1 a compile-time constant: the JIT drops the multiplications by δ, one per vector.
    /// Its peer is <see cref="GeneratedUnitDelta"/>.
    /// </summary>
    [Benchmark]
    public float HandWrittenVectorUnitDelta() => HandWrittenVector(Delta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float HandWrittenVector(float delta)
    {
        int n = _target.Length;
        ref float t = ref _target.Start;
        ref float p = ref _prediction.Start;
        ref float g = ref _gradient.Start;
        float scale = 1f / n;
        var deltas = new Vector<float>(delta);
        var half = new Vector<float>(0.5f);
        var linear = new Vector<float>(0.5f * delta * delta);
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var r = Vector.LoadUnsafe(ref p, (nuint)i) - Vector.LoadUnsafe(ref t, (nuint)i);
            var a = Vector.Abs(r);
            var quadratic = Vector.LessThanOrEqual<float>(a, deltas);
            sum += Vector.ConditionalSelect(quadratic, half * r * r, (deltas * a) - linear);
            Vector.StoreUnsafe(Vector.ConditionalSelect(quadratic, r, Vector.CopySign(deltas, r)) * scale, ref g, (nuint)i);
        }

        float tail = 0;
        for (; i < n; i++)
        {
            float r = Unsafe.Add(ref p, i) - Unsafe.Add(ref t, i);
            float a = MathF.Abs(r);
            tail += a <= delta ? 0.5f * r * r : delta * (a - (0.5f * delta));
            Unsafe.Add(ref g, i) = (a <= delta ? r : MathF.CopySign(delta, r)) * scale;
        }

        return (Vector.Sum(sum) + tail) * scale;
    }

    /// <summary>
    /// TensorPrimitives calls: r = p − t; a = |r|; m = min(a, δ); value = Σ m(a − m/2) / N;
    /// gradient = clamp(r, −δ, δ) / N. Scratch buffers are allocated once.
    /// </summary>
    [Benchmark]
    public float TensorPrimitivesComposition()
    {
        int n = _target.Length;
        TensorPrimitives.Subtract(_prediction.Span, _target.Span, _r);
        TensorPrimitives.Abs(_r, _a);
        TensorPrimitives.Min(_a, Delta, _m);
        TensorPrimitives.MultiplyAdd(_m, -0.5f, _a, _t);
        float sum = TensorPrimitives.Dot(_m, _t);
        TensorPrimitives.Max(_r, -Delta, _t);
        var gradient = _gradient.Span;
        TensorPrimitives.Min(_t, Delta, gradient);
        TensorPrimitives.Multiply(gradient, 1f / n, gradient);
        return sum / n;
    }

    /// <summary>libtorch through TorchSharp: huber_loss forward (mean) and backward, gradient in prediction.grad.</summary>
    [Benchmark]
    public float TorchSharpAutograd()
    {
        using var scope = NewDisposeScope();
        _torchPrediction.grad?.zero_();
        var loss = nn.functional.huber_loss(_torchPrediction, _torchTarget, reduction: nn.Reduction.Mean, delta: Delta);
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>Copies 12·N bytes (read 6N, write 6N): the bandwidth bound for 12 bytes moved per element.</summary>
    [Benchmark]
    public void CopySameBytes() => _copySource.AsSpan().CopyTo(_copyDestination);
}

/// <summary>Huber with δ = 1 written into the source: the generator folds the multiplications by δ away.</summary>
public static partial class UnitDeltaHuber
{
    /// <summary>½r² for |r| ≤ 1, else |r| − ½, with r = p − t.</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    [Differentiable]
    public static float Huber([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        return a <= 1f ? 0.5f * r * r : a - 0.5f;
    }
}

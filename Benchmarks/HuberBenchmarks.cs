using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AutoDiff.Benchmarks.Peers;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The mean Huber loss (δ = 1) and its gradient with respect to the prediction, in one call, five ways,
/// plus a copy of the same number of bytes (the memory-bandwidth bound). Each reads target and prediction
/// and writes the gradient: 12 bytes per element.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class HuberBenchmarks
{
    private const float Delta = 1f;

    private float[] _target = null!;
    private float[] _prediction = null!;
    private float[] _gradient = null!;
    private float[] _r = null!, _a = null!, _m = null!, _t = null!;
    private float[] _copySource = null!, _copyDestination = null!;
    private torch.Tensor _torchTarget = null!, _torchPrediction = null!;

    /// <summary>The gradient the last benchmark wrote (for <see cref="PeerCheck"/>).</summary>
    public ReadOnlySpan<float> Gradient => _gradient;

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _target = new float[N];
        _prediction = new float[N];
        for (int i = 0; i < N; i++)
        {
            _target[i] = (float)random.NextDouble() * 4f;
            _prediction[i] = _target[i] + (float)((random.NextDouble() * 4) - 2);
        }

        _gradient = new float[N];
        (_r, _a, _m, _t) = (new float[N], new float[N], new float[N], new float[N]);
        _copySource = new float[(3 * N) / 2];
        _copyDestination = new float[(3 * N) / 2];

        LibTorchSharpPatch.Apply();
        _torchTarget = tensor(_target);
        _torchPrediction = tensor(_prediction).requires_grad_();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchTarget.Dispose();
        _torchPrediction.Dispose();
    }

    /// <summary>The runtime's generated fused kernel (Losses.Huber): one pass, value and gradient.</summary>
    [Benchmark(Baseline = true)]
    public float Generated() => Losses.HuberMean(_target, _prediction, Delta, _gradient);

    /// <summary>The same math as a plain scalar loop.</summary>
    [Benchmark]
    public float ScalarLoop()
    {
        var target = _target;
        var prediction = _prediction;
        var gradient = _gradient;
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

    /// <summary>A Vector&lt;float&gt; loop as written by hand: one accumulator, selects, no bounds checks, scalar tail.</summary>
    [Benchmark]
    public float HandWrittenVector()
    {
        int n = _target.Length;
        ref float t = ref MemoryMarshal.GetArrayDataReference(_target);
        ref float p = ref MemoryMarshal.GetArrayDataReference(_prediction);
        ref float g = ref MemoryMarshal.GetArrayDataReference(_gradient);
        float scale = 1f / n;
        var delta = new Vector<float>(Delta);
        var half = new Vector<float>(0.5f);
        var linear = new Vector<float>(0.5f * Delta * Delta);
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var r = Vector.LoadUnsafe(ref p, (nuint)i) - Vector.LoadUnsafe(ref t, (nuint)i);
            var a = Vector.Abs(r);
            var quadratic = Vector.LessThanOrEqual<float>(a, delta);
            sum += Vector.ConditionalSelect(quadratic, half * r * r, (delta * a) - linear);
            Vector.StoreUnsafe(Vector.ConditionalSelect(quadratic, r, Vector.CopySign(delta, r)) * scale, ref g, (nuint)i);
        }

        float tail = 0;
        for (; i < n; i++)
        {
            float r = _prediction[i] - _target[i];
            float a = MathF.Abs(r);
            tail += a <= Delta ? 0.5f * r * r : Delta * (a - (0.5f * Delta));
            _gradient[i] = (a <= Delta ? r : MathF.CopySign(Delta, r)) * scale;
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
        TensorPrimitives.Subtract(_prediction, _target, _r);
        TensorPrimitives.Abs(_r, _a);
        TensorPrimitives.Min(_a, Delta, _m);
        TensorPrimitives.MultiplyAdd(_m, -0.5f, _a, _t);
        float sum = TensorPrimitives.Dot(_m, _t);
        TensorPrimitives.Max(_r, -Delta, _t);
        TensorPrimitives.Min(_t, Delta, _gradient);
        TensorPrimitives.Multiply(_gradient, 1f / n, _gradient);
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

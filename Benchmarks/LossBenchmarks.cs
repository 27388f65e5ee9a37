using AutoDiff.Benchmarks.Peers;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Every elementwise loss of the runtime: its generated fused kernel (value of the mean and gradient in one
/// pass) against libtorch's autograd for the same loss (forward with reduction 'mean', backward), in the same run.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*LossBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class LossBenchmarks
{
    private float[] _target = null!, _prediction = null!, _gradient = null!;
    private Tensor _torchTarget = null!, _torchPrediction = null!;

    /// <summary>The gradient the generated kernel wrote (for <see cref="PeerCheck"/>).</summary>
    public ReadOnlySpan<float> Gradient => _gradient;

    /// <summary>The gradient libtorch wrote into prediction.grad (for <see cref="PeerCheck"/>).</summary>
    public float[] TorchGradient => _torchPrediction.grad!.data<float>().ToArray();

    [Params("MSE", "MAE", "MSLE", "Huber", "SmoothL1", "LogCosh", "BCE", "BCEWithLogits", "Hinge", "SquaredHinge")]
    public string Loss { get; set; } = "MSE";

    [Params(1_000, 100_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        (_target, _prediction) = (new float[N], new float[N]);
        for (int i = 0; i < N; i++)
        {
            (_target[i], _prediction[i]) = Loss switch
            {
                "MSLE" => ((float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10)),
                "BCE" => ((float)random.NextDouble(), (float)(0.01 + (0.98 * random.NextDouble()))),
                "BCEWithLogits" => ((float)random.NextDouble(), (float)((random.NextDouble() * 10) - 5)),
                "Hinge" or "SquaredHinge" => (random.Next(2) == 0 ? -1f : 1f, (float)((random.NextDouble() * 4) - 2)),
                _ => ((float)(random.NextDouble() * 4), (float)(random.NextDouble() * 4)),
            };
        }

        _gradient = new float[N];
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

    /// <summary>The generated fused kernel: the mean and its gradient in one pass.</summary>
    [Benchmark(Baseline = true)]
    public float Generated() => Loss switch
    {
        "MSE" => Losses.SquaredErrorMean(_target, _prediction, _gradient),
        "MAE" => Losses.AbsoluteErrorMean(_target, _prediction, _gradient),
        "MSLE" => Losses.SquaredLogErrorMean(_target, _prediction, _gradient),
        "Huber" => Losses.HuberMean(_target, _prediction, 1f, _gradient),
        "SmoothL1" => Losses.SmoothL1Mean(_target, _prediction, 1f, _gradient),
        "LogCosh" => Losses.LogCoshMean(_target, _prediction, _gradient),
        "BCE" => Losses.BinaryCrossEntropyMean(_target, _prediction, _gradient),
        "BCEWithLogits" => Losses.BinaryCrossEntropyWithLogitsMean(_target, _prediction, _gradient),
        "Hinge" => Losses.HingeMean(_target, _prediction, _gradient),
        "SquaredHinge" => Losses.SquaredHingeMean(_target, _prediction, _gradient),
        _ => throw new ArgumentException(Loss),
    };

    /// <summary>libtorch through TorchSharp: the same loss with reduction 'mean', forward and backward; the gradient lands in prediction.grad.</summary>
    [Benchmark]
    public float TorchSharpAutograd()
    {
        using var scope = NewDisposeScope();
        _torchPrediction.grad?.zero_();
        var loss = TorchLoss(Loss, _torchTarget, _torchPrediction);
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>The same losses in libtorch, each as PyTorch computes it (for Keras-only losses, Keras's formula).</summary>
    internal static Tensor TorchLoss(string loss, Tensor t, Tensor p) => loss switch
    {
        "MSE" => F.mse_loss(p, t),
        "MAE" => F.l1_loss(p, t),
        "MSLE" => (torch.log1p(p) - torch.log1p(t)).pow(2).mean(),
        "Huber" => F.huber_loss(p, t, delta: 1.0),
        "SmoothL1" => F.smooth_l1_loss(p, t, beta: 1.0),
        "LogCosh" => LogCosh(p - t).mean(),
        "BCE" => F.binary_cross_entropy(p, t),
        "BCEWithLogits" => F.binary_cross_entropy_with_logits(p, t),
        "Hinge" => torch.clamp_min(1 - (t * p), 0).mean(),
        "SquaredHinge" => torch.clamp_min(1 - (t * p), 0).pow(2).mean(),
        _ => throw new ArgumentException(loss),
    };

    private static Tensor LogCosh(Tensor r) => r.abs() + F.softplus(-2 * r.abs()) - Math.Log(2);
}

/// <summary>
/// Softmax cross-entropy over rows × classes with integer labels: the generated row kernel
/// (<c>Losses.CrossEntropyMean</c>) against libtorch's <c>cross_entropy</c> forward and backward.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CrossEntropyBenchmarks
{
    private float[] _logits = null!, _gradient = null!;
    private int[] _labels = null!;
    private Tensor _torchLogits = null!, _torchLabels = null!;

    [Params("64x5", "64x10", "256x1000")]
    public string Shape { get; set; } = "64x10";

    private int Rows { get; set; }

    private int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Rows = int.Parse(Shape.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);
        Classes = int.Parse(Shape.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(3);
        _logits = Enumerable.Range(0, Rows * Classes).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        _labels = Enumerable.Range(0, Rows).Select(_ => random.Next(Classes)).ToArray();
        _gradient = new float[_logits.Length];
        LibTorchSharpPatch.Apply();
        _torchLogits = tensor(_logits).reshape(Rows, Classes).requires_grad_();
        _torchLabels = tensor(_labels.Select(l => (long)l).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchLogits.Dispose();
        _torchLabels.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float Generated() => Losses.CrossEntropyMean(Rows, _logits, _labels, _gradient);

    [Benchmark]
    public float TorchSharpAutograd()
    {
        using var scope = NewDisposeScope();
        _torchLogits.grad?.zero_();
        var loss = F.cross_entropy(_torchLogits, _torchLabels);
        loss.backward();
        return loss.item<float>();
    }
}

using AutoDiff.Benchmarks.Peers;
using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Threading;
using AutoDiff.Training;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// The benchmark net of the MNIST issue — Conv2D(1→16, 5×5, pad 2) → ReLU → MaxPool 2 → Conv2D(16→32, 5×5, pad 2)
/// → ReLU → MaxPool 2 → Flatten → Dense(1568→128) → ReLU → Dense(128→10), softmax cross-entropy, Adam 1e-3 — one
/// training step on a batch of 64 MNIST digits, and one inference forward pass, against TorchSharp's same net,
/// loss and optimizer (libtorch 2.10, the engine of PyTorch) on the same threads in the same run.
/// Images/s = 64 / the mean time.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*TrainingBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class TrainingBenchmarks
{
    private const int Batch = 64;
    private Network<float> _network = null!;
    private Optimizer<float> _optimizer = null!;
    private float[] _images = null!;
    private int[] _labels = null!;
    private nn.Module<Tensor, Tensor> _torchNet = null!;
    private optim.Optimizer _torchOptimizer = null!;
    private nn.Module<Tensor, Tensor, Tensor> _torchLoss = null!;
    private Tensor _torchImages = null!, _torchLabels = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var mnist = Mnist.Load(Path.Combine(Repository.Root, "data", "mnist"), training: true);
        _images = mnist.Images.AsSpan(0, Batch * Mnist.Pixels).ToArray();
        _labels = mnist.Labels.AsSpan(0, Batch).ToArray();
        KernelPool.MaxDegreeOfParallelism = Threads;
        _network = MnistModels.Classifier(Batch, 1);
        _optimizer = new Adam<float>(_network.OptimizerParameters, 1e-3);

        LibTorchSharpPatch.Apply();
        torch.set_num_threads(Threads);
        torch.random.manual_seed(1);
        _torchNet = nn.Sequential(
            ("conv1", nn.Conv2d(1, 16, 5, padding: 2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(16, 32, 5, padding: 2)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("fc1", nn.Linear(1568, 128)), ("relu3", nn.ReLU()), ("fc2", nn.Linear(128, 10)));
        _torchOptimizer = optim.Adam(_torchNet.parameters(), 1e-3);
        _torchLoss = nn.CrossEntropyLoss();
        _torchImages = torch.tensor(_images, [Batch, 1, Mnist.Side, Mnist.Side]);
        _torchLabels = torch.tensor(_labels.Select(l => (long)l).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchNet.Dispose();
        _torchOptimizer.Dispose();
        _torchImages.Dispose();
        _torchLabels.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp train step")]
    public float TorchSharpStep()
    {
        using var scope = torch.NewDisposeScope();
        _torchOptimizer.zero_grad();
        var loss = _torchLoss.call(_torchNet.call(_torchImages), _torchLabels);
        loss.backward();
        _torchOptimizer.step();
        return loss.item<float>();
    }

    [Benchmark(Description = "AutoDiff train step")]
    public float AutoDiffStep()
    {
        var scores = _network.Forward(_images, Batch, training: true);
        float loss = default(Losses.CrossEntropyOperator).Mean(Batch, scores, _labels, _network.OutputGradient(0));
        _network.Backward();
        _optimizer.Step();
        return loss;
    }

    [Benchmark(Description = "TorchSharp inference")]
    public float TorchSharpInference()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return _torchNet.call(_torchImages)[0, 0].item<float>();
    }

    [Benchmark(Description = "AutoDiff inference")]
    public float AutoDiffInference() => _network.Forward(_images, Batch, training: false)[0];
}

/// <summary>
/// The GEMM kernel alone, one thread, in GFLOP/s = 2·m·n·k / time: the shapes of the benchmark net's second
/// convolution (forward W·col, weight gradient dY·colᵀ, input gradient Wᵀ·dY) and a square 512³ product.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*GemmBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GemmBenchmarks
{
    private float[] _a = null!, _b = null!, _c = null!;
    private GemmWorkspace<float> _workspace = null!;

    [Params("32x196x400", "32x400x196 (Bᵀ)", "400x196x32 (Aᵀ)", "512x512x512")]
    public string Shape { get; set; } = "512x512x512";

    private (int M, int N, int K, bool Ta, bool Tb) Dimensions => Shape switch
    {
        "32x196x400" => (32, 196, 400, false, false),
        "32x400x196 (Bᵀ)" => (32, 400, 196, false, true),
        "400x196x32 (Aᵀ)" => (400, 196, 32, true, false),
        _ => (512, 512, 512, false, false),
    };

    [GlobalSetup]
    public void Setup()
    {
        var (m, n, k, _, _) = Dimensions;
        var random = new Random(1);
        _a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        _b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
        _c = new float[m * n];
        _workspace = new GemmWorkspace<float>(m, n, k, transposeB: true);
    }

    [Benchmark]
    public void Multiply()
    {
        var (m, n, k, ta, tb) = Dimensions;
        Gemm.Multiply<float>(m, n, k, _a, ta ? m : k, ta, _b, tb ? k : n, tb, _c, n, false, _workspace);
    }
}

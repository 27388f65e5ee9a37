using AutoDiff.Layers;
using AutoDiff.Threading;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Where a training step of the benchmark net goes: each layer's forward and backward pass alone, batch 64,
/// on 2 threads, its buffers warm (a step in place is slower: the layers' data meet in cache).
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*LayerBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LayerBenchmarks
{
    private const int Batch = 64;
    private Layer<float>[] _layers = null!;
    private float[][] _values = null!, _gradients = null!;

    [Params("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "dense1", "relu3", "dense2")]
    public string Layer { get; set; } = "conv2";

    private int Index => Array.IndexOf(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "dense1", "relu3", "dense2"], Layer);

    [GlobalSetup]
    public void Setup()
    {
        KernelPool.MaxDegreeOfParallelism = 2;
        _layers =
        [
            new Conv2D<float>(1, 16, 5, padding: 2), new ActivationLayer<float, Activations.ReluOperator>(), new MaxPool2D<float>(2),
            new Conv2D<float>(16, 32, 5, padding: 2), new ActivationLayer<float, Activations.ReluOperator>(), new MaxPool2D<float>(2),
            new Flatten<float>(), new Dense<float>(1568, 128), new ActivationLayer<float, Activations.ReluOperator>(), new Dense<float>(128, 10),
        ];
        var shape = new TensorShape(1, 28, 28);
        var random = new SeededRandom(1);
        _values = new float[_layers.Length + 1][];
        _gradients = new float[_layers.Length + 1][];
        _values[0] = Enumerable.Range(0, Batch * shape.Size).Select(_ => (float)random.NextDouble()).ToArray();
        _gradients[0] = new float[Batch * shape.Size];
        for (int i = 0; i < _layers.Length; i++)
        {
            shape = _layers[i].Build(shape, Batch, random);
            _values[i + 1] = new float[Batch * shape.Size];
            _gradients[i + 1] = Enumerable.Range(0, Batch * shape.Size).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            _layers[i].Forward(_values[i], _values[i + 1], Batch, training: true);
        }
    }

    [Benchmark]
    public void Forward() => _layers[Index].Forward(_values[Index], _values[Index + 1], Batch, training: true);

    [Benchmark]
    public void Backward()
    {
        int i = Index;
        _layers[i].Backward(_values[i], _values[i + 1], _gradients[i + 1], i == 0 ? [] : _gradients[i], Batch);
    }
}

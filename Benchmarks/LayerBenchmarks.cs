using AutoDiff.Layers;
using AutoDiff.Threading;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Where a training step of the benchmark net goes: each layer's forward and backward pass alone, batch 64,
/// on 2 threads, its buffers warm (a step in place is slower: the layers' data meet in cache). "conv2 (Gemm)" is
/// the second convolution with the unfolding algorithm instead of the Winograd one Auto picks for it.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*LayerBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LayerBenchmarks
{
    private const int Batch = 64;
    private Layer<float>[] _layers = null!;
    private float[][] _inputs = null!, _outputs = null!, _inputGradients = null!, _outputGradients = null!;

    private static readonly string[] Names = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "dense1", "relu3", "dense2", "conv2 (Gemm)"];

    [Params("conv1", "relu1", "pool1", "conv2", "conv2 (Gemm)", "relu2", "pool2", "flatten", "dense1", "relu3", "dense2")]
    public string Layer { get; set; } = "conv2";

    // The second convolution's unfolding twin sits after the net and reads what the second convolution reads.
    private int Index => Array.IndexOf(Names, Layer);

    [GlobalSetup]
    public void Setup()
    {
        KernelPool.MaxDegreeOfParallelism = 2;
        _layers =
        [
            new Conv2D<float>(1, 16, 5, padding: 2), new ActivationLayer<float, Activations.ReluOperator>(), new MaxPool2D<float>(2),
            new Conv2D<float>(16, 32, 5, padding: 2), new ActivationLayer<float, Activations.ReluOperator>(), new MaxPool2D<float>(2),
            new Flatten<float>(), new Dense<float>(1568, 128), new ActivationLayer<float, Activations.ReluOperator>(), new Dense<float>(128, 10),
            new Conv2D<float>(16, 32, 5, padding: 2, algorithm: ConvolutionAlgorithm.Gemm),
        ];
        var shape = new TensorShape(1, 28, 28);
        var random = new SeededRandom(1);
        _inputs = new float[_layers.Length][];
        _outputs = new float[_layers.Length][];
        _inputGradients = new float[_layers.Length][];
        _outputGradients = new float[_layers.Length][];
        var input = Enumerable.Range(0, Batch * shape.Size).Select(_ => (float)random.NextDouble()).ToArray();
        var inputGradient = new float[input.Length];
        var conv2Input = (shape, input, inputGradient);
        for (int i = 0; i < _layers.Length; i++)
        {
            if (i == 3)
            {
                conv2Input = (shape, input, inputGradient);
            }
            else if (Names[i] == "conv2 (Gemm)")
            {
                (shape, input, inputGradient) = conv2Input;
            }

            (_inputs[i], _inputGradients[i]) = (input, i == 0 ? [] : inputGradient);
            shape = _layers[i].Build(shape, Batch, random);
            _outputs[i] = new float[Batch * shape.Size];
            _outputGradients[i] = Enumerable.Range(0, Batch * shape.Size).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            _layers[i].Forward(_inputs[i], _outputs[i], Batch, training: true);
            (input, inputGradient) = (_outputs[i], new float[_outputs[i].Length]);
        }
    }

    [Benchmark]
    public void Forward() => _layers[Index].Forward(_inputs[Index], _outputs[Index], Batch, training: true);

    [Benchmark]
    public void Backward()
    {
        int i = Index;
        _layers[i].Backward(_inputs[i], _outputs[i], _outputGradients[i], _inputGradients[i], Batch);
    }
}

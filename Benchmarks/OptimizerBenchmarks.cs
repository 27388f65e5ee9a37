using AutoDiff.Benchmarks.Peers;
using AutoDiff.Optimizers;
using AutoDiff.Threading;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// One <c>Step()</c> of every optimizer over N float parameters against TorchSharp's torch.optim step (its only
/// option: no fused or foreach variant), and against the memory-bandwidth bound: a two-thread copy of half
/// the bytes the step must read and write (a copy reads and writes each byte), measured in the same run.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*OptimizerBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class OptimizerBenchmarks
{
    private float[] _value = null!, _gradient = null!, _copySource = null!, _copyDestination = null!;
    private Optimizer<float> _optimizer = null!;
    private TorchSharp.Modules.Parameter _parameter = null!;
    private optim.Optimizer _torch = null!;

    [Params("SGD", "Momentum", "Nesterov", "Adagrad", "RMSProp", "Adadelta", "Adam", "AdamW")]
    public string Optimizer { get; set; } = "Adam";

    [Params(1_000_000, 16_000_000)]
    public int N { get; set; }

    /// <summary>The float arrays one step reads and writes: each parameter, gradient and state array read once, each written array written once.</summary>
    public static int ArraysMoved(string optimizer) => optimizer switch
    {
        "SGD" => 3,                                   // read θ, g; write θ
        "Momentum" or "Nesterov" or "Adagrad" or "RMSProp" => 5, // + one state array read and written
        _ => 7,                                       // + two state arrays (Adadelta, Adam, AdamW)
    };

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _value = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble()).ToArray();
        _gradient = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        (Memory<float>, Memory<float>)[] p = [(_value, _gradient)];
        _optimizer = Optimizer switch
        {
            "SGD" => new Sgd<float>(p, 1e-3),
            "Momentum" => new Sgd<float>(p, 1e-3, momentum: 0.9),
            "Nesterov" => new Sgd<float>(p, 1e-3, momentum: 0.9, nesterov: true),
            "Adagrad" => new Adagrad<float>(p),
            "RMSProp" => new RmsProp<float>(p),
            "Adadelta" => new Adadelta<float>(p),
            "Adam" => new Adam<float>(p),
            _ => Adam<float>.AdamW(p),
        };

        // Half the bytes moved: the copy reads them and writes them.
        int copy = ArraysMoved(Optimizer) * N / 2;
        _copySource = new float[copy];
        _copyDestination = new float[copy];

        LibTorchSharpPatch.Apply();
        _parameter = new TorchSharp.Modules.Parameter(torch.tensor(_value));
        using (var g = torch.tensor(_gradient))
        {
            (_parameter * g).sum().backward(); // the gradient the steps reuse
        }

        TorchSharp.Modules.Parameter[] parameters = [_parameter];
        _torch = Optimizer switch
        {
            "SGD" => optim.SGD(parameters, 1e-3),
            "Momentum" => optim.SGD(parameters, 1e-3, momentum: 0.9),
            "Nesterov" => optim.SGD(parameters, 1e-3, momentum: 0.9, nesterov: true),
            "Adagrad" => optim.Adagrad(parameters),
            "RMSProp" => optim.RMSProp(parameters),
            "Adadelta" => optim.Adadelta(parameters),
            "Adam" => optim.Adam(parameters),
            _ => optim.AdamW(parameters),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torch.Dispose();
        _parameter.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void AutoDiffStep() => _optimizer.Step();

    [Benchmark]
    public void TorchSharpStep()
    {
        using var scope = NewDisposeScope();
        _torch.step();
    }

    /// <summary>Copies half the bytes the step moves, in parts on the kernel pool (both cores): the bandwidth bound.</summary>
    [Benchmark]
    public void CopySameBytesTwoThreads()
    {
        var job = new Copy { Source = _copySource, Destination = _copyDestination };
        KernelPool.Run(ref job, _copySource.Length, KernelPool.PartsFor(_copySource.Length), 16);
    }

    private ref struct Copy : IRangeKernel
    {
        public ReadOnlySpan<float> Source;
        public Span<float> Destination;

        public void Execute(int part, int start, int end) => Source[start..end].CopyTo(Destination[start..]);
    }
}

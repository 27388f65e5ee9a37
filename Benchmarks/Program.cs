using AutoDiff.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*Huber*'
// dotnet run -c Release --project Benchmarks -- --check   (every peer computes the same value and gradient)
// dotnet run -c Release --project Benchmarks -- --oracle Runtime.Tests/Reference/torch-reference.json
if (args is ["--check"])
{
    return PeerCheck.Run();
}

if (args is ["--oracle", var path])
{
    return AutoDiff.Benchmarks.Oracle.ReferenceOracle.Run(path);
}

// dotnet run -c Release --project Benchmarks -- --optimizer-oracle Runtime.Tests/Reference/torch-optimizers.json
if (args is ["--optimizer-oracle", var trajectories])
{
    return AutoDiff.Benchmarks.Oracle.OptimizerOracle.Run(trajectories);
}

// dotnet run -c Release --project Benchmarks -- --fma-scaling   (how far compute-bound kernels can scale over the cores)
if (args is ["--fma-scaling"])
{
    return FmaScaling.Run();
}

// dotnet run -c Release --project Benchmarks -- --interleaved-training [rounds]   (our step and TorchSharp's in alternation)
if (args is ["--interleaved-training", .. var rest])
{
    return InterleavedTraining.Run(Rounds(rest));
}

// dotnet run -c Release --project Benchmarks -- --interleaved-huber [rounds]   (the Huber kernels in alternation)
if (args is ["--interleaved-huber", .. var huberRest])
{
    return InterleavedHuber.Run(Rounds(huberRest));
}

// dotnet run -c Release --project Benchmarks -- --generated-code-cost   (compiling each kind of generated member)
if (args is ["--generated-code-cost"])
{
    return GeneratedCodeCost.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(HuberBenchmarks).Assembly).Run(args);
return 0;

// The rounds an --interleaved-… mode takes: its one argument, else 40.
static int Rounds(string[] rest) => rest is [var rounds] ? int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) : 40;

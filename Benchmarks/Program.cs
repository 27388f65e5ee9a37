using AutoDiff.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*Huber*'
// dotnet run -c Release --project Benchmarks -- --check   (every peer computes the same value and gradient)
if (args is ["--check"])
{
    return PeerCheck.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(HuberBenchmarks).Assembly).Run(args);
return 0;

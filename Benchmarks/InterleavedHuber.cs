namespace AutoDiff.Benchmarks;

/// <summary>
/// The kernels of <see cref="HuberBenchmarks"/> that its bar compares — the runtime's generated Huber mean, the one
/// generated from the textbook form and the hand-written <c>Vector&lt;float&gt;</c> loop — timed in alternation in one
/// process, on the same buffers: BenchmarkDotNet times each in a process of its own, one after the other, and on this
/// VM the same cell moved by up to half between runs (docs/benchmarks.md, the Huber section). Prints, for each N, each
/// kernel's median round and the median of the rounds' ratios to the hand-written loop (its time ÷ the kernel's: above
/// 1 is faster). <c>dotnet run -c Release --project Benchmarks -- --interleaved-huber [rounds]</c>
/// </summary>
internal static class InterleavedHuber
{
    public static int Run(int rounds)
    {
        foreach (int n in new[] { 1_000, 100_000, 4_000_000 })
        {
            var benchmark = new HuberBenchmarks { N = n };
            benchmark.Setup();
            try
            {
                var kernels = new (string Name, Func<float> Call)[]
                {
                    ("hand-written", benchmark.HandWrittenVector),
                    ("generated", benchmark.Generated),
                    ("generated from the textbook form", benchmark.GeneratedTextbook),
                };
                int calls = Math.Max(20, 100_000_000 / n); // rounds of 10-20 ms, no pause: the kernel pool's workers spin only briefly after a loop
                foreach (var (_, call) in kernels)
                {
                    Interleaving.Round(() => call(), calls, pause: 0);
                }

                var times = kernels.Select(_ => new List<double>()).ToArray();
                for (int round = 0; round < rounds; round++)
                {
                    for (int k = 0; k < kernels.Length; k++)
                    {
                        var call = kernels[k].Call;
                        times[k].Add(Interleaving.Round(() => call(), calls, pause: 0) * 1e6);
                    }
                }

                Console.WriteLine($"N = {n:N0}, {rounds} rounds of {calls} calls each: {kernels[0].Name} {Interleaving.Median(times[0]):F1} ns");
                for (int k = 1; k < kernels.Length; k++)
                {
                    var ratios = times[0].Zip(times[k], (hand, kernel) => hand / kernel).ToArray();
                    Console.WriteLine($"  {kernels[k].Name} {Interleaving.Median(times[k]):F1} ns: {Interleaving.Median(ratios):F3}× the hand-written loop's speed " +
                        $"(median of the rounds' ratios; rounds from {ratios.Min():F3}× to {ratios.Max():F3}×)");
                }
            }
            finally
            {
                benchmark.Cleanup();
            }
        }

        return 0;
    }
}

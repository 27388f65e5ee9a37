namespace AutoDiff.Benchmarks;

/// <summary>
/// The training step of <see cref="TrainingBenchmarks"/>, ours and TorchSharp's, timed in alternation: each round
/// runs a few steps of one, then of the other, so a slow spell of the machine (this VM has them: a peer's step
/// varies by a third between BenchmarkDotNet runs, which time one method's iterations after the other's) falls on
/// both, with a pause between the sides so that neither runs while the other's idle threads still spin (libtorch's
/// OpenMP threads spinning on the second core slowed our two-thread step by up to a fifth), then one untimed step
/// to wake the side's own threads. Prints
/// each side's median round and the median of the rounds' ratios, for 1 and 2 threads.
/// <c>dotnet run -c Release --project Benchmarks -- --interleaved-training [rounds]</c>
/// </summary>
internal static class InterleavedTraining
{
    private const int StepsPerRound = 5;
    private const int Pause = 50; // ms

    public static int Run(int rounds)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var benchmark = new TrainingBenchmarks { Threads = threads };
            benchmark.Setup();
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    benchmark.TorchSharpStep();
                    benchmark.AutoDiffStep();
                }

                var torch = new List<double>();
                var ours = new List<double>();
                for (int round = 0; round < rounds; round++)
                {
                    torch.Add(Interleaving.Round(() => benchmark.TorchSharpStep(), StepsPerRound, Pause));
                    ours.Add(Interleaving.Round(() => benchmark.AutoDiffStep(), StepsPerRound, Pause));
                }

                var ratios = torch.Zip(ours, (t, o) => t / o).ToArray();
                Console.WriteLine($"{threads} thread(s), {rounds} rounds of {StepsPerRound} steps each: TorchSharp {Interleaving.Median(torch):F2} ms, " +
                    $"AutoDiff {Interleaving.Median(ours):F2} ms a step (medians); AutoDiff's images/s ÷ TorchSharp's, median of the rounds: {Interleaving.Median(ratios):F2}× " +
                    $"(rounds from {ratios.Min():F2}× to {ratios.Max():F2}×)");
            }
            finally
            {
                benchmark.Cleanup();
            }
        }

        return 0;
    }
}

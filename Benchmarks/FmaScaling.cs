using System.Diagnostics;
using System.Numerics;

namespace AutoDiff.Benchmarks;

/// <summary>
/// How this machine's FMA throughput scales from one thread to all of them: eight independent chains of
/// <see cref="Vector.FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/> per thread, no memory traffic, one
/// thread alone and then one per core at once. Compute-bound kernels cannot scale better than this; a VM whose
/// virtual cores share physical cores' FMA units shows it well below the core count.
/// </summary>
internal static class FmaScaling
{
    public static int Run()
    {
        const long Iterations = 200_000_000;
        int threads = Environment.ProcessorCount;
        Chains(1_000_000);
        Console.WriteLine($"{threads} cores, Vector<float>.Count = {Vector<float>.Count}; FMA vectors per second:");
        for (int round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            Chains(Iterations);
            double one = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => Chains(Iterations))).ToArray();
            foreach (var worker in workers)
            {
                worker.Start();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }

            double all = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  one thread {Iterations * 8 / one / 1e9:F2} G/s; {threads} threads together {threads * Iterations * 8 / all / 1e9:F2} G/s: {threads * one / all:F2}× one thread");
        }

        return 0;
    }

    private static float Chains(long iterations)
    {
        var a0 = new Vector<float>(1.0001f);
        var (a1, a2, a3, a4, a5, a6, a7) = (a0, a0, a0, a0, a0, a0, a0);
        var m = new Vector<float>(0.9999f);
        var c = new Vector<float>(0.0001f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, c);
            a1 = Vector.FusedMultiplyAdd(a1, m, c);
            a2 = Vector.FusedMultiplyAdd(a2, m, c);
            a3 = Vector.FusedMultiplyAdd(a3, m, c);
            a4 = Vector.FusedMultiplyAdd(a4, m, c);
            a5 = Vector.FusedMultiplyAdd(a5, m, c);
            a6 = Vector.FusedMultiplyAdd(a6, m, c);
            a7 = Vector.FusedMultiplyAdd(a7, m, c);
        }

        return Vector.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }
}

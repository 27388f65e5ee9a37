using AutoDiff.Threading;

namespace AutoDiff.Runtime.Tests;

/// <summary>What a piece of work allocates once it is warm: the test of every allocation-free claim.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="work"/> <paramref name="warmup"/> times, then <paramref name="calls"/> times a round, and
    /// returns the bytes the last round allocated on this thread and on the kernel pool's workers. A round that
    /// allocated is measured again, up to <paramref name="rounds"/> rounds in all: the runtime may allocate once on a
    /// thread while it swaps in code its tiering thread compiled again, in the background and at its own time, which
    /// no warm-up rules out. A steady allocation allocates in every round and is reported. (Every thread the work
    /// runs on is counted, and no other: the test host's own threads allocate now and then, so
    /// <see cref="GC.GetTotalAllocatedBytes"/> would count them too.)
    /// </summary>
    public static long AllocatedBytes(Action work, int calls = 100, int warmup = 50, int rounds = 3)
    {
        for (int i = 0; i < warmup; i++)
        {
            work();
        }

        long allocated = long.MaxValue;
        for (int round = 0; round < rounds && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread() + KernelPool.WorkerAllocatedBytes;
            for (int i = 0; i < calls; i++)
            {
                work();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() + KernelPool.WorkerAllocatedBytes - before;
        }

        return allocated;
    }
}

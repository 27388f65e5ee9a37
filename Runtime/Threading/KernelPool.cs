using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace AutoDiff.Threading;

/// <summary>
/// An allocation-free parallel loop over contiguous parts of a range, on a fixed set of background
/// threads plus the calling one.
/// </summary>
/// <remarks>
/// <para>
/// The parts are fixed by the caller (by the length alone in the generated kernels), never by the number
/// of threads or by timing, and each part writes its own result slot: reductions that add the per-part
/// results in order give the same bits whatever <see cref="MaxDegreeOfParallelism"/> is.
/// </para>
/// <para>
/// One loop runs at a time; a caller that finds the pool busy (another thread's loop) runs its parts
/// itself, in order. Workers spin briefly after a loop before they block, so that the back-to-back
/// loops of a training step do not pay a thread wake-up each.
/// </para>
/// <para>
/// A part that throws fails the loop: <see cref="Run"/> rethrows the first exception on the calling thread, with
/// its stack trace, once no part runs any more (the kernel lives on the caller's stack, so a worker must never
/// outlive the call); on several threads the other parts still run.
/// </para>
/// </remarks>
public static unsafe class KernelPool
{
    private static readonly object Gate = new();
    private static Worker[] s_workers = [];
    private static int s_maxDegree = Environment.ProcessorCount;
    private static int s_busy;

    // The loop in flight. Written by the caller before it publishes the loop's ticket; read by a thread
    // only after it has claimed a part of that very loop, so a late worker can never mix two loops.
    private static void* s_state;
    private static delegate*<void*, int, int, int, void> s_invoke;
    private static int s_length;
    private static int s_parts;
    private static int s_threads;
    private static int s_alignment;
    private static long s_ticket; // (generation << 32) | next unclaimed part
    private static int s_remaining;
    private static int s_generation;
    private static Exception? s_failure; // the first exception a part of the loop in flight threw

    /// <summary>
    /// The number of threads (the caller included) a loop may use; 1 runs every loop on the caller.
    /// Defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegree);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxDegree, value);
        }
    }

    /// <summary>
    /// Splits [0, <paramref name="length"/>) into <paramref name="parts"/> contiguous parts whose
    /// boundaries are multiples of <paramref name="alignment"/>, runs <see cref="IRangeKernel.Execute"/>
    /// for each, and returns when all are done.
    /// </summary>
    /// <typeparam name="TKernel">The work; a ref struct may hold spans.</typeparam>
    /// <param name="kernel">The work, anywhere (a local, a class field, an array element): the workers run a copy on this call's stack, which is copied back when the loop ends.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="parts">How many parts, at least 1.</param>
    /// <param name="alignment">Part boundaries are multiples of this (the vector width), except the end.</param>
    public static void Run<TKernel>(scoped ref TKernel kernel, int length, int parts, int alignment = 1)
        where TKernel : IRangeKernel, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(alignment, 1);
        int threads = Math.Min(MaxDegreeOfParallelism, parts);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++)
            {
                kernel.Execute(p, Boundary(length, parts, alignment, p), Boundary(length, parts, alignment, p + 1));
            }

            return;
        }

        // The workers reach the kernel through a pointer, so it must not move while they run: a copy on this frame's
        // stack, not the caller's reference, which may point into a class field or an array element that a compacting
        // GC moves mid-loop (the parts then read and wrote the old place). Copied back after, for a kernel whose
        // parts change its own fields.
        TKernel local = kernel;
        try
        {
            EnsureWorkers(threads - 1);
            s_state = Unsafe.AsPointer(ref local);
            s_invoke = &Invoke<TKernel>;
            s_length = length;
            s_parts = parts;
            s_threads = threads;
            s_alignment = alignment;
            Volatile.Write(ref s_remaining, parts);

            // The loop's ticket before its generation (one loop runs at a time, so nothing else writes either): a
            // spinning worker that sees the new generation finds this loop's ticket, not the last one's closed
            // ticket, on which it would give up the loop and leave every part to the caller. Part 0 is the
            // caller's, so the ticket starts at part 1: with two parts on two cores, each half of the data stays
            // in the same core's cache from call to call.
            int generation = s_generation + 1;
            Volatile.Write(ref s_ticket, ((long)generation << 32) | 1);
            Volatile.Write(ref s_generation, generation);
            for (int w = 0; w < threads - 1; w++)
            {
                s_workers[w].Wake();
            }

            RunPart(0);
            Help(generation);
            var spin = default(SpinWait);
            while (Volatile.Read(ref s_remaining) > 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            // Close the ticket before the fields can change for another loop: a late worker holding
            // this loop's ticket then fails its claim instead of reading the next loop's parts.
            Volatile.Write(ref s_ticket, ((long)generation << 32) | int.MaxValue);
        }
        finally
        {
            s_state = null;
            Volatile.Write(ref s_busy, 0);
            kernel = local;
        }

        if (Interlocked.Exchange(ref s_failure, null) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>
    /// How many parts the generated span kernels split <paramref name="length"/> elements into: 1 below
    /// <see cref="ParallelThreshold"/> (one pass on the caller), else parts of about 65,536 elements, an even
    /// number, at most 256. It depends on the length alone, so results do not depend on the number of threads.
    /// </summary>
    /// <param name="length">The number of elements.</param>
    /// <returns>The number of parts, at least 1.</returns>
    public static int PartsFor(int length) => PartsFor(length, PartElements);

    /// <summary>
    /// The number of parts for a kernel whose parts should hold about <paramref name="partElements"/> elements
    /// (the generator passes fewer for each transcendental function in the loop): one part below
    /// <paramref name="partElements"/>/2, else ⌈length / <paramref name="partElements"/>⌉ made even (so that two
    /// cores get equal shares: 7 parts ran 4 against 3), at most 256. From half a part to two
    /// parts' worth that is two parts, one per core: the caller always runs the first, so on two cores each
    /// half stays in the same core's L2 cache from call to call. Like <see cref="PartsFor(int)"/>, it depends on
    /// the length alone, so results do not depend on the thread count.
    /// </summary>
    /// <param name="length">The number of elements.</param>
    /// <param name="partElements">The elements of one part (a compile-time constant of the kernel).</param>
    /// <returns>The number of parts.</returns>
    public static int PartsFor(int length, int partElements)
    {
        if (length < partElements / 2)
        {
            return 1;
        }

        int parts = (int)Math.Min(256, ((long)length + partElements - 1) / partElements);
        return parts + (parts & 1);
    }

    /// <summary>
    /// The length from which the generated arithmetic span kernels run in parts on several threads: 32,768
    /// elements, where two threads already finish the mean Huber loss with its gradient well before one (figures:
    /// docs/benchmarks.md, "Parallel span kernels"). It was 131,072, from an earlier measurement
    /// that found no gain below it, before part 0 was always the caller's.
    /// </summary>
    public const int ParallelThreshold = PartElements / 2;

    private const int PartElements = 65_536;

    /// <summary>The start of part <paramref name="part"/> of <paramref name="parts"/>: ⌊length·part/parts⌋ rounded down to the alignment.</summary>
    /// <param name="length">The number of elements.</param>
    /// <param name="parts">How many parts.</param>
    /// <param name="alignment">Boundaries are multiples of this, except the end.</param>
    /// <param name="part">0 ≤ part ≤ parts; part = parts gives <paramref name="length"/>.</param>
    /// <returns>The first element of the part.</returns>
    public static int Boundary(int length, int parts, int alignment, int part) =>
        part >= parts ? length : (int)((long)length * part / parts / alignment * alignment);

    /// <summary>
    /// The bytes the pool's worker threads have allocated since they started, as of the end of each one's last
    /// loop: with <see cref="GC.GetAllocatedBytesForCurrentThread"/> on the calling thread, what an
    /// allocation-free claim counts without the other threads of the process (a test host's).
    /// </summary>
    public static long WorkerAllocatedBytes
    {
        get
        {
            long total = 0;
            foreach (var worker in Volatile.Read(ref s_workers))
            {
                total += worker.Allocated;
            }

            return total;
        }
    }

    private static void Invoke<TKernel>(void* state, int part, int start, int end)
        where TKernel : IRangeKernel, allows ref struct =>
        Unsafe.AsRef<TKernel>(state).Execute(part, start, end);

    // Claims and runs parts of loop `generation` until none is left; returns at once for another loop.
    private static void Help(int generation)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref s_ticket);
            if ((int)(ticket >> 32) != generation)
            {
                return;
            }

            int part = (int)ticket;
            if (part >= Volatile.Read(ref s_parts))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref s_ticket, ticket + 1, ticket) != ticket)
            {
                continue; // another thread took it, or the loop ended (its ticket is then closed)
            }

            RunPart(part);
        }
    }

    // Runs one part of the loop in flight, keeps its exception if it is the loop's first, and counts it done.
    private static void RunPart(int part)
    {
        int parts = s_parts;
        try
        {
            s_invoke(s_state, part, Boundary(s_length, parts, s_alignment, part), Boundary(s_length, parts, s_alignment, part + 1));
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_failure, e, null);
        }

        Interlocked.Decrement(ref s_remaining);
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count)
        {
            return;
        }

        lock (Gate)
        {
            var workers = s_workers;
            if (workers.Length >= count)
            {
                return;
            }

            var grown = new Worker[count];
            Array.Copy(workers, grown, workers.Length);
            for (int i = workers.Length; i < count; i++)
            {
                grown[i] = new Worker(i);
            }

            s_workers = grown;
        }
    }

    private sealed class Worker
    {
        // Spins before blocking: 10 busy ones, then yields to whatever else is runnable (short on an idle core, a
        // time slice each where other threads wait), long enough for the next loop of a training step to find the
        // worker awake, with no clock read (how long: docs/benchmarks.md, "Figures behind the runtime's code").
        private const int Spins = 200;
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private int _seen;
        private int _started;
        private long _allocated;

        private readonly int _index;

        public Worker(int index)
        {
            _index = index;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"AutoDiff kernel worker {index + 1}" };
            thread.Start();
            var spin = default(SpinWait);
            while (Volatile.Read(ref _started) == 0)
            {
                spin.SpinOnce();
            }
        }

        public long Allocated => Volatile.Read(ref _allocated);

        public void Wake() => _wake.Set();

        private void Loop()
        {
            // Block once while nothing can wake this worker yet (the pool waits for it before publishing it), so
            // that what the event creates the first time it blocks (a lock and the thread's wait objects, 88 bytes)
            // is allocated as the pool starts, not in the first loop after a pause.
            _wake.Wait(1);
            Volatile.Write(ref _started, 1);
            while (true)
            {
                // Spin a little for the next loop before blocking: a training step runs many in a row.
                var spin = default(SpinWait);
                for (int i = 0; i < Spins && Volatile.Read(ref s_generation) == _seen; i++)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                if (Volatile.Read(ref s_generation) == _seen)
                {
                    _wake.Wait();
                }

                _wake.Reset();
                _seen = Volatile.Read(ref s_generation);
                if (_index < Volatile.Read(ref s_threads) - 1)
                {
                    Help(_seen);
                }

                Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread());
            }
        }
    }
}

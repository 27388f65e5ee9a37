using AutoDiff.Threading;

namespace AutoDiff.Runtime.Tests.Threading;

public sealed class KernelPoolTests
{
    private ref struct Mark : IRangeKernel
    {
        public Span<int> Visits;
        public Span<long> Sums;
        public int Alignment;

        public void Execute(int part, int start, int end)
        {
            if (start % Alignment != 0 || end < start)
            {
                throw new InvalidOperationException($"part {part}: [{start}, {end})");
            }

            for (int i = start; i < end; i++)
            {
                Visits[i]++;
                Sums[part] += i;
            }
        }
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 1, 8)]
    [InlineData(100, 7, 8)]
    [InlineData(100_003, 13, 8)]
    [InlineData(65_536, 256, 16)]
    [InlineData(10, 20, 1)]
    public void Every_element_is_visited_once_whatever_the_degree(int length, int parts, int alignment)
    {
        foreach (int degree in new[] { 1, 2, 4 })
        {
            int saved = KernelPool.MaxDegreeOfParallelism;
            try
            {
                KernelPool.MaxDegreeOfParallelism = degree;
                var visits = new int[length];
                var sums = new long[parts];
                var kernel = new Mark { Visits = visits, Sums = sums, Alignment = alignment };
                KernelPool.Run(ref kernel, length, parts, alignment);
                Assert.All(visits, v => Assert.Equal(1, v));
                Assert.Equal((long)length * (length - 1) / 2, sums.Sum());
            }
            finally
            {
                KernelPool.MaxDegreeOfParallelism = saved;
            }
        }
    }

    // A kernel that lives in the heap (the class field and array element), whose parts write through a
    // reference field and count themselves in a field of their own.
    private struct HeapMark : IRangeKernel
    {
        public int[] Visits;
        public int Calls;

        public void Execute(int part, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                Visits[i]++;
            }

            Interlocked.Increment(ref Calls);
        }
    }

    private sealed class Holder
    {
        public HeapMark Kernel;
    }

    // Issue 27, item 5: the pool kept a pointer to the caller's reference, so a kernel in a class field or an array
    // element that a compacting GC moved mid-loop was read and written at its old place. Fresh holders (young objects
    // move first) and a thread forcing compacting collections throughout.
    [Fact]
    public void A_kernel_in_the_heap_survives_compacting_collections_during_the_loop()
    {
        int saved = KernelPool.MaxDegreeOfParallelism;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = new byte[1024];
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        });
        try
        {
            KernelPool.MaxDegreeOfParallelism = 2;
            collector.Start();
            for (int run = 0; run < 3000; run++)
            {
                var visits = new int[4096];
                if (run % 2 == 0)
                {
                    var holder = new Holder { Kernel = new HeapMark { Visits = visits } };
                    KernelPool.Run(ref holder.Kernel, visits.Length, 4);
                    Assert.Equal(4, holder.Kernel.Calls);
                }
                else
                {
                    var array = new[] { new HeapMark { Visits = visits } };
                    KernelPool.Run(ref array[0], visits.Length, 4);
                    Assert.Equal(4, array[0].Calls);
                }

                Assert.True(Array.TrueForAll(visits, v => v == 1), $"run {run}: a write was lost");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Part_boundaries_depend_on_the_length_alone()
    {
        Assert.Equal(1, KernelPool.PartsFor(KernelPool.ParallelThreshold - 1));
        Assert.True(KernelPool.PartsFor(KernelPool.ParallelThreshold) > 1);
        Assert.Equal(256, KernelPool.PartsFor(int.MaxValue));
        Assert.Equal(8, KernelPool.PartsFor(100_000, 16_384));    // ⌈100,000 / 16,384⌉ = 7, made even for two cores
        Assert.Equal(1, KernelPool.PartsFor(8_191, 16_384));
        Assert.Equal(2, KernelPool.PartsFor(8_192, 16_384));   // from half a part: one part per core
        Assert.Equal(2, KernelPool.PartsFor(32_768, 16_384));
        Assert.All(Enumerable.Range(1, 300).Select(k => KernelPool.PartsFor(k * 10_000, 16_384)), parts => Assert.True(parts == 1 || parts % 2 == 0));
        int previous = 0;
        for (int part = 1; part <= 7; part++)
        {
            int boundary = KernelPool.Boundary(100_000, 7, 8, part);
            Assert.True(boundary >= previous);
            Assert.True(part == 7 ? boundary == 100_000 : boundary % 8 == 0);
            previous = boundary;
        }
    }

    [Fact]
    public void Back_to_back_loops_of_different_shapes_never_mix()
    {
        // Late workers of one loop must not claim parts of the next (its fields differ).
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            KernelPool.MaxDegreeOfParallelism = 3;
            var random = new Random(9);
            for (int loop = 0; loop < 5000; loop++)
            {
                int length = random.Next(0, 3000), parts = random.Next(1, 12);
                var visits = new int[length];
                var sums = new long[parts];
                var kernel = new Mark { Visits = visits, Sums = sums, Alignment = 1 };
                KernelPool.Run(ref kernel, length, parts);
                Assert.True(visits.All(v => v == 1), $"loop {loop}: length {length}, parts {parts}");
            }
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    private ref struct RecordThreads : IRangeKernel
    {
        public Span<int> Threads;

        public void Execute(int part, int start, int end) => Threads[part] = Environment.CurrentManagedThreadId;
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    public void Part_zero_always_runs_on_the_caller(int degree, int parts)
    {
        // What keeps each core on the same half of the data from call to call (KernelPool.PartsFor).
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            KernelPool.MaxDegreeOfParallelism = degree;
            int caller = Environment.CurrentManagedThreadId;
            Span<int> threads = stackalloc int[parts];
            for (int loop = 0; loop < 2000; loop++)
            {
                threads.Clear();
                var kernel = new RecordThreads { Threads = threads };
                KernelPool.Run(ref kernel, 4096, parts, 8);
                Assert.Equal(caller, threads[0]);
                Assert.DoesNotContain(0, threads.ToArray());
            }
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    private ref struct FailOn : IRangeKernel
    {
        public int Failing;
        public Span<int> Done;

        public void Execute(int part, int start, int end)
        {
            if (part == Failing)
            {
                throw new InvalidOperationException($"part {part} failed");
            }

            Done[part] = 1;
        }
    }

    // A part that throws, on a worker or on the caller: the caller gets the exception (not the process: an
    // unhandled exception on a worker thread would end it), and the next loop runs.
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    public void A_part_that_throws_fails_the_loop_on_the_caller_after_the_others(int failing, int degree)
    {
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            KernelPool.MaxDegreeOfParallelism = degree;
            var done = new int[4];
            var kernel = new FailOn { Failing = failing, Done = done };
            var e = Assert.Throws<InvalidOperationException>(() =>
            {
                var k = new FailOn { Failing = failing, Done = done };
                KernelPool.Run(ref k, 4096, 4, 8);
            });
            Assert.Equal($"part {failing} failed", e.Message);
            Assert.Contains(nameof(FailOn.Execute), e.StackTrace, StringComparison.Ordinal);
            // The parts before it ran (on one thread the parts after it do not; other tests may change the degree
            // meanwhile, so which of those ran is not asserted).
            Assert.Equal(0, done[failing]);
            Assert.All(done[..failing], d => Assert.Equal(1, d));

            Array.Clear(done);
            kernel.Failing = -1;
            KernelPool.Run(ref kernel, 4096, 4, 8);
            Assert.Equal([1, 1, 1, 1], done);
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Concurrent_callers_all_complete()
    {
        var errors = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int round = 0; round < 200; round++)
            {
                var visits = new int[5000 + t];
                var sums = new long[9];
                var kernel = new Mark { Visits = visits, Sums = sums, Alignment = 4 };
                KernelPool.Run(ref kernel, visits.Length, 9, 4);
                if (visits.Any(v => v != 1))
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, errors);
    }

    [Fact]
    public void A_loop_allocates_nothing()
    {
        var loop = new WarmLoop();
        Assert.Equal(0, SteadyState.AllocatedBytes(loop.Run));
    }

    [Fact]
    public void Waking_a_worker_that_blocked_allocates_nothing()
    {
        var loop = new WarmLoop();

        // Each pause outlasts the workers' 200 µs of spinning: they block, and the loop wakes them.
        long before = KernelPool.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++)
        {
            Thread.Sleep(20);
            loop.Run();
        }

        Assert.Equal(0, KernelPool.WorkerAllocatedBytes - before);
    }

    // A loop of 16 parts over 140,000 elements, run 20 times when made (the pool's workers started, the code jitted).
    private sealed class WarmLoop
    {
        private readonly int[] _visits = new int[140_000];
        private readonly long[] _sums = new long[16];

        public WarmLoop()
        {
            for (int i = 0; i < 20; i++)
            {
                Run();
            }
        }

        public void Run()
        {
            var kernel = new Mark { Visits = _visits, Sums = _sums, Alignment = 8 };
            KernelPool.Run(ref kernel, _visits.Length, 16, 8);
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelPool.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var kernel = new Mark { Visits = new int[1], Sums = new long[1], Alignment = 1 };
            KernelPool.Run(ref kernel, 1, 0);
        });
    }
}

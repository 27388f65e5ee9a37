using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Training;

/// <summary>
/// The trainer's data parallelism (issue 25) without MPI: ranks as threads of this process, summing through shared
/// memory in rank order. Each step's reduced gradient must be the gradient of the whole batch that one trainer
/// computes, on every rank the same bits; a batch smaller than the group leaves a rank without images.
/// </summary>
public sealed class DataParallelTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void The_reduced_gradient_is_the_whole_batch_gradient_on_every_rank(int ranks)
    {
        // 33 images in batches of 16: steps of 16, 16 and 1 (the last leaves ranks 0 … n−2 without images).
        var mnist = Mnist.Load(RepositoryPaths.Mnist, training: false, limit: 33);
        var alone = Trainer(mnist, out var aloneNetwork);
        var group = new ThreadGroup(ranks);
        var trainers = new Trainer[ranks];
        var networks = new Network<float>[ranks];
        for (int r = 0; r < ranks; r++)
        {
            trainers[r] = Trainer(mnist, out networks[r]);
        }

        for (int step = 0; step < 3; step++)
        {
            // The gradient at the group's parameters (Adam's tiny differences from step 1 on are not the question).
            for (int p = 0; p < aloneNetwork.Parameters.Count; p++)
            {
                networks[0].Parameters[p].Value.CopyTo(aloneNetwork.Parameters[p].Value, 0);
            }

            float loss = alone.TrainStep();
            var losses = new float[ranks];
            group.Run(rank =>
            {
                if (step == 0)
                {
                    trainers[rank].ProcessGroup = group.Member(rank);
                }

                losses[rank] = trainers[rank].TrainStep();
            });

            for (int r = 0; r < ranks; r++)
            {
                Assert.Equal(losses[0], losses[r]);
                for (int p = 0; p < aloneNetwork.Parameters.Count; p++)
                {
                    Assert.Equal(networks[0].Parameters[p].Value, networks[r].Parameters[p].Value); // bit for bit
                    Assert.Equal(networks[0].Parameters[p].Gradient, networks[r].Parameters[p].Gradient);
                }
            }

            Assert.Equal(loss, losses[0], 1e-5f);
            for (int p = 0; p < aloneNetwork.Parameters.Count; p++)
            {
                var expected = aloneNetwork.Parameters[p].Gradient;
                var actual = networks[0].Parameters[p].Gradient;
                float scale = expected.Max(MathF.Abs);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(MathF.Abs(expected[i] - actual[i]) <= (2e-5f * scale) + 1e-9f,
                        $"step {step + 1}, {aloneNetwork.Parameters[p].Name}[{i}]: {actual[i]} on {ranks} ranks, {expected[i]} alone");
                }
            }
        }
    }

    [Fact]
    public void Joining_a_group_copies_rank_0s_parameters_and_a_batch_smaller_than_the_group_is_refused()
    {
        var mnist = Mnist.Load(RepositoryPaths.Mnist, training: false, limit: 32);
        var group = new ThreadGroup(2);
        var first = Trainer(mnist, out var rank0, seed: 1);
        var second = Trainer(mnist, out var rank1, seed: 2);
        Assert.NotEqual(rank0.Parameters[0].Value, rank1.Parameters[0].Value);
        group.Run(rank => (rank == 0 ? first : second).ProcessGroup = group.Member(rank));
        Assert.Equal(rank0.Parameters[0].Value, rank1.Parameters[0].Value);
        group.Run(rank => Assert.True((rank == 0 ? first : second).ParametersAgree()));

        var tiny = new Trainer(rank0, new Adam<float>(rank0.OptimizerParameters), new MnistDataset(mnist), [HeadTask.CrossEntropy()], 1, 1);
        var error = Assert.Throws<ArgumentException>(() => tiny.ProcessGroup = group.Member(0));
        Assert.StartsWith("A batch of 1 images cannot be split across 2 ranks.", error.Message, StringComparison.Ordinal);
    }

    private static Trainer Trainer(Mnist mnist, out Network<float> network, ulong seed = 1)
    {
        network = MnistModels.Classifier(16, seed);
        return new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), new MnistDataset(mnist), [HeadTask.CrossEntropy()], 16, 1);
    }

    // Ranks as threads: each collective writes every rank's buffer to a shared slot, and every rank sums the slots in
    // rank order, so all get the same bits (as MPI promises for its sum).
    private sealed class ThreadGroup(int size)
    {
        private readonly Barrier _barrier = new(size);
        private readonly float[][] _slots = new float[size][];

        public IProcessGroup Member(int rank) => new Handle(this, rank);

        public void Run(Action<int> body)
        {
            Exception? failure = null;
            var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
            {
                try
                {
                    body(r);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            if (failure is not null)
            {
                throw failure;
            }
        }

        private sealed class Handle(ThreadGroup group, int rank) : IProcessGroup
        {
            public int Rank => rank;

            public int Size => group._slots.Length;

            public void AllReduceSum(Span<float> buffer)
            {
                group._slots[rank] = buffer.ToArray();
                group._barrier.SignalAndWait();
                buffer.Clear();
                foreach (var slot in group._slots)
                {
                    for (int i = 0; i < buffer.Length; i++)
                    {
                        buffer[i] += slot[i];
                    }
                }

                group._barrier.SignalAndWait();
            }

            public void Broadcast(Span<float> buffer, int root)
            {
                if (rank == root)
                {
                    group._slots[root] = buffer.ToArray();
                }

                group._barrier.SignalAndWait();
                group._slots[root].CopyTo(buffer);
                group._barrier.SignalAndWait();
            }

            public void Abort(int exitCode) => throw new InvalidOperationException($"rank {rank} aborted with {exitCode}");
        }
    }
}

using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Optimizers;
using AutoDiff.Retrieval;
using AutoDiff.Training;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff measure-allocation [classification|multitask|retrieval] [STEPS]</c>: trains the task's network for a warm-up and
/// then STEPS more steps, and prints the bytes the whole process allocated during those steps
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, every thread). A plain console process has no other threads
/// that allocate, so the count is the training step's own; the allocation test runs it.
/// </summary>
internal static class AllocationCheck
{
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, group: null);

    // Under mpirun (`group`): every rank trains its shard of each batch with the allreduce; the count printed is the
    // sum over the ranks.
    public static int Run(string[] args, TextWriter output, TextWriter error, IProcessGroup? group)
    {
        string task = args.Length > 0 ? args[0] : "classification";
        int steps = 100;
        if ((task is not ("classification" or "multitask" or "retrieval")) || (args.Length > 1 && !int.TryParse(args[1], CultureInfo.InvariantCulture, out steps)) || steps < 1)
        {
            error.WriteLine("usage: autodiff measure-allocation [classification|multitask|retrieval] [STEPS ≥ 1]");
            return 2;
        }

        string? folder = Train.FindData();
        if (folder is null)
        {
            error.WriteLine("autodiff measure-allocation: no data/mnist folder found above the current folder or the program.");
            return 2;
        }

        var trainer = CreateTrainer(task, Mnist.Load(folder, training: true, 64 * (steps + 70)));
        trainer.ProcessGroup = group;
        // Warm-up: long enough for tiered compilation to finish with the step's methods, which with several ranks
        // sharing the cores comes later (once, 24 bytes landed in the window after 30 steps under mpirun).
        for (int i = 0; i < 60; i++)
        {
            trainer.TrainStep();
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++)
        {
            trainer.TrainStep();
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (group is not null)
        {
            Span<float> total = [allocated];
            group.AllReduceSum(total);
            output.WriteLine($"{task}: {steps} steps allocated {total[0]} bytes (all threads of {group.Size} rank(s))");
            return 0;
        }

        output.WriteLine($"{task}: {steps} steps allocated {allocated} bytes (all threads)");
        return 0;
    }

    // The benchmark net with shifts; the multi-task net on translated digits; the embedding net with batch-hard triplets on 8 × 8 batches.
    private static Trainer CreateTrainer(string task, Mnist mnist)
    {
        var network = task switch
        {
            "classification" => MnistModels.Classifier(64, 1),
            "multitask" => MnistModels.MultiTask(64, 1),
            _ => MnistModels.Embedder(64, 1),
        };
        var optimizer = new Adam<float>(network.OptimizerParameters);
        return task switch
        {
            "classification" => new Trainer(network, optimizer, new MnistDataset(mnist), [HeadTask.CrossEntropy()], 64, 1) { Augmentation = new RandomShift(1) },
            "multitask" => new Trainer(network, optimizer, new TranslatedMnist(mnist, 1), [HeadTask.CrossEntropy(), HeadTask.MeanSquaredError(0.5)], 64, 1),
            _ => new Trainer(network, optimizer, new MnistDataset(mnist), [new TripletTask(TripletMining.BatchHard)], 64, 1) { Sampler = new ClassBalancedSampler(8, 8) },
        };
    }
}

using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Optimizers;
using AutoDiff.Threading;
using AutoDiff.Training;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff time-step [--threads 1,2,4] [--rounds 20] [--batch 64] [--data DIR]</c>: the benchmark net's training step
/// (forward, softmax cross-entropy, backward, Adam) on one fixed batch of the training digits, timed on each
/// thread count: rounds of 5 steps after 20 untimed ones, the median round. Prints images/s per thread count and
/// each count's speed-up over the first. What a machine with more cores needs to measure the scaling of training
/// (<c>Benchmarks/Scaling/README.md</c>); TorchSharp's step is in the benchmarks, which need libtorch.
/// </summary>
internal static class TimeStep
{
    public const string Usage = "time-step [--threads 1,2,4] [--rounds 20] [--batch 64] [--data DIR]";

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, group: null);

    // Under mpirun (`group`), each thread count times the trainer's data-parallel step: the rank's shard of every global
    // batch, one allreduce of the gradients, Adam; then the allreduce alone on the same buffer.
    public static int Run(string[] args, TextWriter output, TextWriter error, IProcessGroup? group)
    {
        int[] threads = [1, 2];
        int rounds = 20, batch = 64;
        string? data = null;
        bool read = CommandLine.ReadPairs(args, "time-step", error, (name, value) => name switch
        {
            "--threads" => TryThreads(value, out threads) ? null : $"--threads must be comma-separated integers from 1 to 1024, not '{value}'",
            "--rounds" => int.TryParse(value, CultureInfo.InvariantCulture, out rounds) && rounds >= 1 ? null : $"--rounds must be a positive integer, not '{value}'",
            "--batch" => int.TryParse(value, CultureInfo.InvariantCulture, out batch) && batch is >= 1 and <= 4096 ? null : $"--batch must be an integer from 1 to 4096, not '{value}'",
            "--data" => (data = value).Length > 0 ? null : "--data needs a folder",
            _ => $"unknown option '{name}'. Run 'autodiff --help'",
        });
        if (!read)
        {
            return 2;
        }

        string? folder = data ?? Train.FindData();
        if (folder is null)
        {
            error.WriteLine("autodiff time-step: no data/mnist folder found above the current folder or the program; give one with --data DIR.");
            return 2;
        }

        Mnist mnist;
        try
        {
            mnist = Mnist.Load(folder, training: true, group is null ? batch : batch * Shuffled);
            if (mnist.Count < batch)
            {
                throw new InvalidDataException($"the training images in '{folder}' are {mnist.Count:N0}, fewer than the batch of {batch:N0}.");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff time-step: {e.Message}");
            return 2;
        }

        if (group is not null)
        {
            return Distributed(mnist, group, threads, rounds, batch, output, error);
        }

        var images = mnist.Images.AsSpan(0, batch * Mnist.Pixels).ToArray();
        var labels = mnist.Labels.AsSpan(0, batch).ToArray();
        output.WriteLine($"the benchmark net's training step, batch {batch}, {Environment.ProcessorCount} processors, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
        double first = 0;
        foreach (int count in threads)
        {
            KernelPool.MaxDegreeOfParallelism = count;
            var network = MnistModels.Classifier(batch, 1);
            var optimizer = new Adam<float>(network.OptimizerParameters, 1e-3);
            var loss = default(Losses.CrossEntropyOperator);
            void Step()
            {
                var scores = network.Forward(images, batch, training: true);
                loss.Mean(batch, scores, labels, network.OutputGradient(0));
                network.Backward();
                optimizer.Step();
            }

            double median = Median(rounds, Step);
            double imagesPerSecond = batch * 1000 / median;
            first = first == 0 ? imagesPerSecond : first;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,3} thread(s): {median,7:F2} ms a step, {imagesPerSecond,8:N0} images/s, {imagesPerSecond / first:F2}× the first"));
        }

        return 0;
    }

    // Batches per epoch of the distributed timing: more than its untimed and timed steps, so no epoch ends inside them.
    private const int Shuffled = 200;

    private static int Distributed(Mnist mnist, IProcessGroup group, int[] threads, int rounds, int batch, TextWriter output, TextWriter error)
    {
        if (batch < group.Size)
        {
            error.WriteLine($"autodiff time-step: a batch of {batch} cannot be split across {group.Size} ranks.");
            return 2;
        }

        var data = new MnistDataset(mnist);
        output.WriteLine($"the benchmark net's data-parallel training step, global batch {batch} on {group.Size} rank(s), {Environment.ProcessorCount} processors per rank, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
        double first = 0;
        foreach (int count in threads)
        {
            KernelPool.MaxDegreeOfParallelism = count;
            var network = MnistModels.Classifier(batch, 1);
            var trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), data, [HeadTask.CrossEntropy()], batch, 1) { ProcessGroup = group };
            double step = Median(rounds, () =>
            {
                if (trainer.StepInEpoch == trainer.StepsPerEpoch)
                {
                    trainer.RunEpoch();
                }

                trainer.TrainStep();
            });
            var buffer = new float[network.ParameterCount + 1];
            double allReduce = Median(rounds, () => group.AllReduceSum(buffer));
            double imagesPerSecond = batch * 1000 / step;
            first = first == 0 ? imagesPerSecond : first;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Size,3} rank(s) × {count} thread(s): {step,7:F2} ms a step, {imagesPerSecond,8:N0} images/s, {imagesPerSecond / first:F2}× the first; " +
                $"allreduce of {buffer.Length:N0} floats {allReduce * 1000:F0} µs ({allReduce / step:P1} of the step)"));
        }

        return 0;
    }

    // The median over `rounds` rounds of 5 calls, in milliseconds a call, after 20 untimed calls.
    private static double Median(int rounds, Action call)
    {
        for (int i = 0; i < 20; i++)
        {
            call();
        }

        var times = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 5; i++)
            {
                call();
            }

            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / 5;
        }

        Array.Sort(times);
        return times[rounds / 2];
    }

    private static bool TryThreads(string? value, out int[] threads)
    {
        threads = [];
        if (value is null)
        {
            return false;
        }

        var counts = new List<int>();
        foreach (string part in value.Split(','))
        {
            if (!int.TryParse(part, CultureInfo.InvariantCulture, out int count) || count is < 1 or > 1024)
            {
                return false;
            }

            counts.Add(count);
        }

        threads = [.. counts];
        return true;
    }
}

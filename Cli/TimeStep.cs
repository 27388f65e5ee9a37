using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
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

    public static int Run(string[] args, TextWriter output, TextWriter error)
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
            mnist = Mnist.Load(folder, training: true, batch);
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

            for (int i = 0; i < 20; i++)
            {
                Step();
            }

            var times = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < 5; i++)
                {
                    Step();
                }

                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / 5;
            }

            Array.Sort(times);
            double median = times[rounds / 2], imagesPerSecond = batch * 1000 / median;
            first = first == 0 ? imagesPerSecond : first;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,3} thread(s): {median,7:F2} ms a step, {imagesPerSecond,8:N0} images/s, {imagesPerSecond / first:F2}× the first"));
        }

        return 0;
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

using System.Diagnostics;
using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Optimizers;
using AutoDiff.Retrieval;
using AutoDiff.Threading;
using AutoDiff.Training;
using SkiaSharp;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff retrieve</c>: trains the embedding CNN on MNIST with each miner (triplet loss: random, batch-hard,
/// semi-hard; contrastive loss: random pairs, hard pairs), scores every test image as a query against the rest
/// (recall@1, recall@5, mAP), and draws a few queries with their nearest neighbours.
/// </summary>
internal static class Retrieve
{
    public const string Usage = "retrieve [--miner all|random|batch-hard|semi-hard|random-pairs|hard-pairs] [--epochs N] [--lr X] [--margin X] [--dimension D] [--classes P] [--per-class K] [--shift PX] [--seed N] [--threads N] [--data DIR] [--out DIR] [--limit N] [--gallery N]";

    /// <summary>Every miner, in the order they are reported.</summary>
    public static readonly string[] Miners = ["random", "semi-hard", "batch-hard", "random-pairs", "hard-pairs"];

    private const int Neighbours = 8;

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, group: null);

    // Under mpirun (`group`): every rank trains its shard of each batch (its share of the P classes × K images, mined
    // within the shard); rank 0 evaluates, reports and writes; the others write nothing.
    public static int Run(string[] args, TextWriter output, TextWriter error, IProcessGroup? group)
    {
        bool reporter = group is null || group.Rank == 0;
        var options = RetrieveOptions.Parse(args, error);
        if (options is null)
        {
            return 2;
        }

        if (!TryLoad(options, "retrieve", error, out var train, out var test))
        {
            return 2;
        }

        KernelPool.MaxDegreeOfParallelism = options.Threads;
        output.WriteLine($"Embedding MNIST in {options.Dimension} dimensions: {train.Count:N0} training images in batches of {options.Classes} classes × {options.PerClass} images, " +
            $"Adam lr {options.Rate.ToString(CultureInfo.InvariantCulture)} (cosine), {options.Epochs} epoch(s), seed {options.Seed}, " +
            (group is null ? $"{options.Threads} thread(s); " : $"on {group.Size} rank{(group.Size == 1 ? "" : "s")} × {options.Threads} thread(s); ") +
            $"each of the {test.Count:N0} test images a query against the rest.");

        var results = new List<(string Miner, float Margin, RetrievalMetrics Metrics, double Same, double Other, TimeSpan Time)>();
        foreach (string miner in options.Miners)
        {
            Trainer trainer;
            try
            {
                trainer = options.CreateTrainer(miner, train);
                if (group is not null)
                {
                    trainer.ProcessGroup = group;
                }
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"autodiff retrieve: {CommandLine.Message(e)}");
                return 2;
            }

            // Every miner's folder is checked once the data is known to be enough, before the first trains.
            if (reporter && results.Count == 0 && options.Miners.Select(m => Train.CannotWrite(Path.Combine(options.Output, m), "model.ckpt", "model.ckpt.tmp", "neighbours.png"))
                .FirstOrDefault(p => p is not null) is string problem)
            {
                error.WriteLine($"autodiff retrieve: {problem}");
                return 2;
            }

            var watch = Stopwatch.StartNew();
            try
            {
                var progress = new QuarterEpochs(miner, output);
                while (trainer.Epoch < options.Epochs)
                {
                    var record = trainer.RunEpoch(observer: progress);
                    output.WriteLine($"  {miner}: epoch {record.Epoch} loss {record.TrainingLoss:F4} ({watch.Elapsed.TotalSeconds:F0} s)");
                }
            }
            catch (TrainingDivergedException e)
            {
                // Every rank holds the same weights and sees the same loss: rank 0 reports it.
                if (reporter)
                {
                    error.WriteLine($"autodiff retrieve: {miner}: {e.Message}");
                }

                return 1;
            }

            var time = watch.Elapsed;
            if (!trainer.ParametersAgree())
            {
                error.WriteLine($"autodiff retrieve: {miner}: the {group!.Size} ranks' weights differ at the end.");
                return 1;
            }

            if (!reporter)
            {
                continue;
            }

            var embeddings = new float[test.Count * options.Dimension];
            trainer.Predict(test, 0, embeddings);
            var metrics = RetrievalMetrics.Evaluate(embeddings, test.Labels!, options.Dimension);
            var (same, other) = RetrievalMetrics.ClassSimilarities(embeddings, test.Labels!, options.Dimension);
            results.Add((miner, options.MarginFor(miner), metrics, same, other, time));
            output.WriteLine($"  {miner}: recall@1 {metrics.RecallAt1:P2}, recall@5 {metrics.RecallAt5:P2}, mAP {metrics.MeanAveragePrecision:P2}; " +
                $"mean cosine similarity {same:F3} within a class, {other:F3} across classes");

            string directory = Path.Combine(options.Output, miner);
            try
            {
                trainer.SaveCheckpoint(Path.Combine(directory, "model.ckpt"), options.Metadata(miner));
                string picture = DrawNeighbours(test, embeddings, options.Dimension, Path.Combine(directory, "neighbours.png"));
                output.WriteLine($"  {miner}: queries and their {Neighbours} nearest neighbours: {picture}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"autodiff retrieve: {miner}: {e.Message}");
                return 1;
            }
        }

        output.WriteLine();
        output.WriteLine("| loss | miner | margin | recall@1 | recall@5 | mAP | cos within | cos across | training |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (miner, margin, metrics, same, other, time) in results)
        {
            output.WriteLine($"| {(miner.EndsWith("pairs", StringComparison.Ordinal) ? "contrastive" : "triplet")} | {miner} | {margin.ToString(CultureInfo.InvariantCulture)} " +
                $"| {100 * metrics.RecallAt1:F2}% | {100 * metrics.RecallAt5:F2}% | {100 * metrics.MeanAveragePrecision:F2}% | {same:F3} | {other:F3} | {time.TotalSeconds:F0} s |");
        }

        return 0;
    }

    /// <summary><c>autodiff evaluate</c> of a checkpoint <c>retrieve</c> wrote: the metrics of its embeddings on the test images.</summary>
    public static int Evaluate(string path, IReadOnlyDictionary<string, string> metadata, string? data, int threads, TextWriter output, TextWriter error)
    {
        RetrieveOptions options;
        try
        {
            options = RetrieveOptions.FromMetadata(metadata, path) with { Data = data, Threads = threads };
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            error.WriteLine($"autodiff evaluate: cannot read '{path}': {e.Message}");
            return 2;
        }

        if (!TryLoad(options, "evaluate", error, out var train, out var test))
        {
            return 2;
        }

        KernelPool.MaxDegreeOfParallelism = options.Threads;
        string miner = options.Miners[0];
        var trainer = options.CreateTrainer(miner, train);
        try
        {
            trainer.LoadCheckpoint(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            error.WriteLine($"autodiff evaluate: cannot load '{path}': {e.Message}");
            return 2;
        }

        var embeddings = new float[test.Count * options.Dimension];
        trainer.Predict(test, 0, embeddings);
        var metrics = RetrievalMetrics.Evaluate(embeddings, test.Labels!, options.Dimension);
        output.WriteLine($"{miner} embeddings after {trainer.Epoch} epoch(s), {trainer.Step:N0} steps, each of {test.Count:N0} test images a query against the rest:");
        output.WriteLine($"  recall@1 {metrics.RecallAt1:P2}, recall@5 {metrics.RecallAt5:P2}, mAP {metrics.MeanAveragePrecision:P2}");
        return 0;
    }

    // The training images (the first --limit) and the test images (the first --gallery); false (and why) if they cannot be read.
    // Pixels in [0, 1] where `standardize` is false (an exported model's input).
    internal static bool TryLoad(RetrieveOptions options, string command, TextWriter error, out ImageDataset train, out ImageDataset test, bool standardize = true) =>
        Train.TryLoadData(options.Data, command, error, folder =>
        {
            var images = Mnist.Load(folder, training: true, options.Limit);
            var testImages = Mnist.Load(folder, training: false, options.Gallery);
            return (new MnistDataset(images, standardize), new MnistDataset(testImages, standardize));
        }, out train, out test);

    // A line per quarter epoch, so that a long epoch shows it is moving.
    private sealed class QuarterEpochs(string miner, TextWriter output) : ITrainingObserver
    {
        public void OnStep(in StepReport step)
        {
            if (step.StepInEpoch % Math.Max(1, step.StepsPerEpoch / 4) == 0 && step.StepInEpoch < step.StepsPerEpoch)
            {
                output.WriteLine($"  {miner}: epoch {step.Epoch + 1} step {step.StepInEpoch}/{step.StepsPerEpoch}: loss {step.Loss:F4}");
            }
        }

        public void OnEpoch(EpochRecord record)
        {
        }
    }

    // One row per digit (its first test image), then the first queries whose nearest neighbour is of another
    // class; each query (grey frame) followed by its nearest other test images, framed green when of the
    // query's class and red when not.
    private static string DrawNeighbours(ImageDataset test, float[] embeddings, int dimension, string path)
    {
        const int Scale = 3, Cell = (Mnist.Side * Scale) + 8, Gap = 16, Failures = 4;
        var labels = test.Labels!;
        var index = new EmbeddingIndex(embeddings, test.Count, dimension);
        var heap = new TopK(Neighbours);
        var found = new int[Neighbours];
        var pixels = new float[Mnist.Pixels];
        var digits = Enumerable.Range(0, test.Classes).Select(c => Array.IndexOf(labels, c)).Where(i => i >= 0).ToArray();
        var failures = Enumerable.Range(0, test.Count).Where(q => !digits.Contains(q) &&
            index.Search(embeddings.AsSpan(q * dimension, dimension), heap, found, [], exclude: q) > 0 && labels[found[0]] != labels[q]).Take(Failures);
        var queries = digits.Concat(failures).ToArray();

        using var bitmap = new SKBitmap((Cell * (Neighbours + 1)) + Gap, (Cell * queries.Length) + (queries.Length > digits.Length ? Gap : 0));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var correct = new SKPaint { Color = new SKColor(0x2E, 0xA0, 0x43), IsStroke = true, StrokeWidth = 3 };
            using var wrong = new SKPaint { Color = new SKColor(0xD0, 0x2B, 0x2B), IsStroke = true, StrokeWidth = 3 };
            using var query = new SKPaint { Color = SKColors.Gray, IsStroke = true, StrokeWidth = 3 };
            for (int row = 0; row < queries.Length; row++)
            {
                int q = queries[row];
                int count = index.Search(embeddings.AsSpan(q * dimension, dimension), heap, found, [], exclude: q);
                for (int column = 0; column <= count; column++)
                {
                    int image = column == 0 ? q : found[column - 1];
                    int x = (column * Cell) + (column > 0 ? Gap : 0) + 4, y = (row * Cell) + (row >= digits.Length ? Gap : 0) + 4;
                    test.CopyImage(image, pixels);
                    DrawDigit(bitmap, pixels, x, y, Scale);
                    var frame = column == 0 ? query : labels[image] == labels[q] ? correct : wrong;
                    canvas.DrawRect(x - 2, y - 2, (Mnist.Side * Scale) + 3, (Mnist.Side * Scale) + 3, frame);
                }
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
        return path;
    }

    // The digit's pixels (standardised) mapped back to grey levels: ink dark on white.
    private static void DrawDigit(SKBitmap bitmap, ReadOnlySpan<float> pixels, int left, int top, int scale)
    {
        for (int r = 0; r < Mnist.Side; r++)
        {
            for (int c = 0; c < Mnist.Side; c++)
            {
                double ink = Math.Clamp((pixels[(r * Mnist.Side) + c] * Mnist.StandardDeviation) + Mnist.Mean, 0, 1);
                byte level = (byte)Math.Round(255 * (1 - ink));
                var color = new SKColor(level, level, level);
                for (int dy = 0; dy < scale; dy++)
                {
                    for (int dx = 0; dx < scale; dx++)
                    {
                        bitmap.SetPixel(left + (c * scale) + dx, top + (r * scale) + dy, color);
                    }
                }
            }
        }
    }
}

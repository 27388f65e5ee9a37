using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Optimizers;
using AutoDiff.Retrieval;
using AutoDiff.Training;

namespace AutoDiff.Cli;

/// <summary>The options of <c>autodiff retrieve</c>, with their defaults.</summary>
internal sealed record RetrieveOptions
{
    /// <summary>The triplet loss's margin g by default: unit embeddings lie within distance 2 of each other.</summary>
    public const float TripletMargin = 0.2f;

    /// <summary>The contrastive loss's margin m by default.</summary>
    public const float ContrastiveMargin = 0.5f;

    public string[] Miners { get; init; } = Retrieve.Miners;

    public int Epochs { get; init; } = 2;

    public double Rate { get; init; } = 1e-3;

    public float? Margin { get; init; }

    public int Dimension { get; init; } = 32;

    public int Classes { get; init; } = 8;

    public int PerClass { get; init; } = 8;

    public int Shift { get; init; }

    public ulong Seed { get; init; } = 1;

    public int Threads { get; init; } = Math.Min(Environment.ProcessorCount, 2);

    public string? Data { get; init; }

    public string Output { get; init; } = Path.Combine("runs", "retrieve");

    public int? Limit { get; init; }

    public int? Gallery { get; init; }

    /// <summary>The margin of <paramref name="miner"/>'s loss: the one given, else the loss's default.</summary>
    public float MarginFor(string miner) => Margin ?? (miner.EndsWith("pairs", StringComparison.Ordinal) ? ContrastiveMargin : TripletMargin);

    /// <summary>The embedding network, Adam with a cosine schedule over the run, and P × K batches, for <paramref name="miner"/>.</summary>
    public Trainer CreateTrainer(string miner, ImageDataset train)
    {
        int batch = Classes * PerClass;
        var network = MnistModels.Embedder(batch, Seed, Dimension);
        float margin = MarginFor(miner);
        HeadTask task = miner switch
        {
            "random" => new TripletTask(TripletMining.Random, margin),
            "semi-hard" => new TripletTask(TripletMining.SemiHard, margin),
            "batch-hard" => new TripletTask(TripletMining.BatchHard, margin),
            "random-pairs" => new ContrastiveTask(PairMining.Random, margin),
            _ => new ContrastiveTask(PairMining.Hard, margin),
        };

        var optimizer = new Adam<float>(network.OptimizerParameters, Rate);
        var trainer = new Trainer(network, optimizer, train, [task], batch, Seed)
        {
            Sampler = new ClassBalancedSampler(Classes, PerClass),
            Augmentation = Shift > 0 ? new RandomShift(Shift) : null,
        };
        optimizer.Schedule = new CosineSchedule(Epochs * trainer.StepsPerEpoch);
        return trainer;
    }

    /// <summary>What a checkpoint records of the run.</summary>
    public Dictionary<string, string> Metadata(string miner) => new()
    {
        ["format"] = "autodiff-retrieve-1",
        ["miner"] = miner,
        ["margin"] = MarginFor(miner).ToString("R", CultureInfo.InvariantCulture),
        ["dimension"] = Dimension.ToString(CultureInfo.InvariantCulture),
        ["batch"] = $"{Classes}x{PerClass}",
        ["lr"] = Rate.ToString("R", CultureInfo.InvariantCulture),
        ["epochs"] = Epochs.ToString(CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["shift"] = Shift.ToString(CultureInfo.InvariantCulture),
        ["limit"] = Limit?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["gallery"] = Gallery?.ToString(CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// The options a <c>retrieve</c> checkpoint was written with, for its one miner, checked as strictly as the command
    /// line's: the metadata goes through <see cref="Parse"/> as options would.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint is not retrieve's, or holds a setting no option would take (the message names the file).</exception>
    public static RetrieveOptions FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"'{path}' was not written by 'autodiff retrieve' (it has no '{key}').");
        if (Get("format") != "autodiff-retrieve-1")
        {
            throw new InvalidDataException($"'{path}' has checkpoint format '{Get("format")}'; retrieve checkpoints are autodiff-retrieve-1.");
        }

        var batch = Get("batch").Split('x');
        if (batch.Length != 2 || Get("miner") == "all")
        {
            throw new InvalidDataException($"'{path}' holds an impossible batch '{Get("batch")}' or miner '{Get("miner")}'.");
        }

        string[] args =
        [
            "--miner", Get("miner"), "--margin", Get("margin"), "--dimension", Get("dimension"), "--classes", batch[0], "--per-class", batch[1],
            "--lr", Get("lr"), "--epochs", Get("epochs"), "--seed", Get("seed"), "--shift", Get("shift"),
            .. Get("limit") is { Length: > 0 } limit ? new[] { "--limit", limit } : [],
            .. Get("gallery") is { Length: > 0 } gallery ? new[] { "--gallery", gallery } : [],
        ];
        var problem = new StringWriter();
        return Parse(args, problem)
            ?? throw new InvalidDataException($"'{path}' holds a setting no option would take: {problem.ToString().Trim()["autodiff retrieve: ".Length..]}");
    }

    /// <summary>Parses `retrieve` options; returns null and writes why on bad input.</summary>
    public static RetrieveOptions? Parse(string[] args, TextWriter error)
    {
        var options = new RetrieveOptions();
        bool read = CommandLine.ReadPairs(args, "retrieve", error, (name, value) =>
        {
            string? problem = null;
            RetrieveOptions Fail(string message)
            {
                problem = message;
                return options;
            }

            bool Integer(out int result, int minimum, int maximum) =>
                int.TryParse(value, CultureInfo.InvariantCulture, out result) && result >= minimum && result <= maximum;

            options = name switch
            {
                "--miner" => value == "all" ? options with { Miners = Retrieve.Miners }
                    : Retrieve.Miners.Contains(value) ? options with { Miners = [value] }
                    : Fail($"--miner must be all or one of {string.Join(", ", Retrieve.Miners)}, not '{value}'"),
                "--epochs" => Integer(out int epochs, 1, 1000) ? options with { Epochs = epochs } : Fail($"--epochs must be an integer from 1 to 1000, not '{value}'"),
                "--lr" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) && lr >= 1e-10 && double.IsFinite(lr)
                    ? options with { Rate = lr } : Fail($"--lr must be a number from 1e-10 up, not '{value}'"),
                "--margin" => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float margin) && margin > 0 && float.IsFinite(margin)
                    ? options with { Margin = margin } : Fail($"--margin must be a positive number, not '{value}'"),
                "--dimension" => Integer(out int dimension, 1, 4096) ? options with { Dimension = dimension } : Fail($"--dimension must be an integer from 1 to 4096, not '{value}'"),
                "--classes" => Integer(out int classes, 2, 10) ? options with { Classes = classes } : Fail($"--classes must be an integer from 2 to 10 (MNIST has 10 digits), not '{value}'"),
                "--per-class" => Integer(out int perClass, 2, 512) ? options with { PerClass = perClass } : Fail($"--per-class must be an integer from 2 to 512, not '{value}'"),
                "--shift" => Integer(out int shift, 0, 8) ? options with { Shift = shift } : Fail($"--shift must be an integer from 0 to 8, not '{value}'"),
                "--seed" => ulong.TryParse(value, CultureInfo.InvariantCulture, out ulong seed) ? options with { Seed = seed } : Fail($"--seed must be a non-negative integer, not '{value}'"),
                "--threads" => Integer(out int threads, 1, 1024) ? options with { Threads = threads } : Fail($"--threads must be an integer from 1 to 1024, not '{value}'"),
                "--limit" => Integer(out int limit, 1, int.MaxValue) ? options with { Limit = limit } : Fail($"--limit must be a positive integer, not '{value}'"),
                "--gallery" => Integer(out int gallery, 2, int.MaxValue) ? options with { Gallery = gallery } : Fail($"--gallery must be an integer of at least 2, not '{value}'"),
                "--data" => options with { Data = value },
                "--out" => options with { Output = value },
                _ => Fail($"unknown option '{name}'. Run 'autodiff --help'"),
            };

            return problem;
        });
        return read ? options : null;
    }
}

using System.Globalization;
using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Training;

namespace AutoDiff.Cli;

/// <summary>What to train, parsed and checked before anything is loaded or written.</summary>
internal sealed record TrainOptions
{
    public static readonly string[] Tasks = ["classification", "regression", "multitask"];
    public static readonly string[] OptimizerNames = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"];

    public string Task { get; init; } = "classification";

    public string Optimizer { get; init; } = "adam";

    /// <summary>"cosine" (annealed to 0 over the epochs asked for) or "constant".</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>The steps of the cosine: fixed when a run starts, kept by its checkpoints.</summary>
    public long? SchedulePeriod { get; init; }

    public double? LearningRate { get; init; }

    /// <summary>The epochs asked for, if any.</summary>
    public int? EpochsGiven { get; init; }

    /// <summary>The epochs to train: 3 for classification, 5 for the translated tasks, unless told.</summary>
    public int Epochs => EpochsGiven ?? (Task == "classification" ? 3 : 5);

    public int Batch { get; init; } = 64;

    public ulong Seed { get; init; } = 1;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public string? Data { get; init; }

    public string Output { get; init; } = "runs";

    public string? Resume { get; init; }

    /// <summary>Plain progress lines even on a terminal (<c>--no-progress</c>); they are plain anyway when the output is redirected.</summary>
    public bool NoProgress { get; init; }

    public int? Limit { get; init; }

    /// <summary>Dropout before the heads (0: none).</summary>
    public double Dropout { get; init; }

    /// <summary>Random shifts of the training digits, in pixels each way (0: none); 1 for classification unless told.</summary>
    public int? ShiftGiven { get; init; }

    /// <summary>The shift in effect: none for the tasks whose targets are positions.</summary>
    public int Shift => ShiftGiven ?? (Task == "classification" ? 1 : 0);

    public double Rate => LearningRate ?? DefaultRate(Optimizer, Task);

    /// <summary>
    /// The learning rate unless told: PyTorch's defaults (Adam 1e-3, the benchmark net's), except Adam 2e-3 for
    /// the multitask network, whose class head stayed under 98.5% at 1e-3 in 5 epochs (98.49%; 98.61% at 2e-3).
    /// </summary>
    public static double DefaultRate(string optimizer, string task) => optimizer switch
    {
        "sgd" or "momentum" or "nesterov" or "adagrad" => 0.01,
        "adadelta" => 1.0,
        "adam" or "adamw" when task == "multitask" => 2e-3,
        _ => 1e-3,
    };

    /// <summary>Parses `train` options; returns null and writes why on bad input.</summary>
    public static TrainOptions? Parse(string[] args, TextWriter error, string command = "train")
    {
        var options = new TrainOptions { NoProgress = args.Contains("--no-progress") };
        args = args.Where(a => a != "--no-progress").ToArray();
        var given = new HashSet<string>();
        bool read = CommandLine.ReadPairs(args, command, error, (name, value) =>
        {
            string? problem = null;
            if (!given.Add(name))
            {
                return $"{name} is given twice";
            }

            switch (name)
            {
                case "--task":
                    options = Tasks.Contains(value) ? options with { Task = value } : Fail(out problem, $"--task must be one of {string.Join(", ", Tasks)}, not '{value}'");
                    break;
                case "--optimizer":
                    options = OptimizerNames.Contains(value) ? options with { Optimizer = value } : Fail(out problem, $"--optimizer must be one of {string.Join(", ", OptimizerNames)}, not '{value}'");
                    break;
                case "--schedule":
                    options = value is "cosine" or "constant" ? options with { Schedule = value } : Fail(out problem, $"--schedule must be cosine or constant, not '{value}'");
                    break;
                case "--lr":
                    // NumberStyles.Float: no thousands separators ("1,5" is not 15).
                    options = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) && lr >= 1e-10 && double.IsFinite(lr)
                        ? options with { LearningRate = lr } : Fail(out problem, $"--lr must be a number from 1e-10 up, not '{value}'");
                    break;
                case "--epochs":
                    options = int.TryParse(value, CultureInfo.InvariantCulture, out int epochs) && epochs is >= 1 and <= 1000
                        ? options with { EpochsGiven = epochs } : Fail(out problem, $"--epochs must be an integer from 1 to 1000, not '{value}'");
                    break;
                case "--batch":
                    options = int.TryParse(value, CultureInfo.InvariantCulture, out int batch) && batch is >= 1 and <= 4096
                        ? options with { Batch = batch } : Fail(out problem, $"--batch must be an integer from 1 to 4096, not '{value}'");
                    break;
                case "--seed":
                    options = ulong.TryParse(value, CultureInfo.InvariantCulture, out ulong seed)
                        ? options with { Seed = seed } : Fail(out problem, $"--seed must be a non-negative integer, not '{value}'");
                    break;
                case "--threads":
                    options = int.TryParse(value, CultureInfo.InvariantCulture, out int threads) && threads is >= 1 and <= 1024
                        ? options with { Threads = threads } : Fail(out problem, $"--threads must be an integer from 1 to 1024, not '{value}'");
                    break;
                case "--limit":
                    options = int.TryParse(value, CultureInfo.InvariantCulture, out int limit) && limit >= 1
                        ? options with { Limit = limit } : Fail(out problem, $"--limit must be a positive integer, not '{value}'");
                    break;
                case "--dropout":
                    options = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double dropout) && dropout is >= 0 and < 1
                        ? options with { Dropout = dropout } : Fail(out problem, $"--dropout must be a probability in [0, 1), not '{value}'");
                    break;
                case "--shift":
                    options = int.TryParse(value, CultureInfo.InvariantCulture, out int shift) && shift is >= 0 and <= 8
                        ? options with { ShiftGiven = shift } : Fail(out problem, $"--shift must be an integer from 0 to 8, not '{value}'");
                    break;
                case "--data":
                    options = value.Length > 0 ? options with { Data = value } : Fail(out problem, "--data needs a folder");
                    break;
                case "--out":
                    options = value.Length > 0 ? options with { Output = value } : Fail(out problem, "--out needs a folder");
                    break;
                case "--resume":
                    options = value.Length > 0 ? options with { Resume = value } : Fail(out problem, "--resume needs a checkpoint file");
                    break;
                default:
                    problem = $"unknown option '{name}'. Run 'autodiff --help'";
                    break;
            }

            return problem;
        });
        if (!read)
        {
            return null;
        }

        // A resumed run is the checkpoint's: what would change it is refused rather than dropped without a word.
        string[] fixedByCheckpoint = ["--task", "--optimizer", "--lr", "--schedule", "--batch", "--seed", "--limit", "--shift", "--dropout"];
        if (options.Resume is not null && fixedByCheckpoint.FirstOrDefault(given.Contains) is string clash)
        {
            error.WriteLine($"autodiff {command}: {clash} cannot be given with --resume: the run continues with the checkpoint's settings (only --epochs, --threads, --data and --out may change).");
            return null;
        }

        if (options.Task != "classification" && options.Shift > 0)
        {
            error.WriteLine($"autodiff {command}: --shift moves the digits, so the {options.Task} task's position targets would be wrong; leave it out.");
            return null;
        }

        return options;
    }

    private static TrainOptions Fail(out string? problem, string message)
    {
        problem = message;
        return new TrainOptions();
    }

    /// <summary>What a checkpoint records to rebuild the same run.</summary>
    public Dictionary<string, string> Metadata() => new()
    {
        ["format"] = "autodiff-train-1",
        ["task"] = Task,
        ["optimizer"] = Optimizer,
        ["lr"] = Rate.ToString("R", CultureInfo.InvariantCulture),
        ["schedule"] = Schedule == "cosine" ? $"cosine:{SchedulePeriod}" : "constant",
        ["batch"] = Batch.ToString(CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["limit"] = Limit?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["shift"] = Shift.ToString(CultureInfo.InvariantCulture),
        ["dropout"] = Dropout.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The options a checkpoint was written with (the rest as given), checked as strictly as the command line's: the
    /// metadata goes through <see cref="Parse"/> as options would, so a value no option would take is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint is not train's, or holds a setting no option would take (the message names the file).</exception>
    public static TrainOptions FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"'{path}' was not written by 'autodiff train' (it has no '{key}').");
        if (Get("format") != "autodiff-train-1")
        {
            throw new InvalidDataException($"'{path}' has checkpoint format '{Get("format")}'; this program reads autodiff-train-1.");
        }

        string schedule = Get("schedule");
        bool cosine = schedule.StartsWith("cosine:", StringComparison.Ordinal);
        long period = 0;
        if (cosine ? !long.TryParse(schedule["cosine:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out period) || period is < 1 or > int.MaxValue : schedule != "constant")
        {
            throw new InvalidDataException($"'{path}' holds an impossible schedule '{schedule}' (cosine:STEPS with STEPS ≥ 1, or constant).");
        }

        string[] args =
        [
            "--task", Get("task"), "--optimizer", Get("optimizer"), "--lr", Get("lr"), "--schedule", cosine ? "cosine" : "constant",
            "--batch", Get("batch"), "--seed", Get("seed"), "--shift", Get("shift"), "--dropout", Get("dropout"),
            .. Get("limit") is { Length: > 0 } limit ? new[] { "--limit", limit } : [],
        ];
        var problem = new StringWriter();
        var options = Parse(args, problem, "train")
            ?? throw new InvalidDataException($"'{path}' holds a setting no option would take: {problem.ToString().Trim()["autodiff train: ".Length..]}");
        return options with { SchedulePeriod = cosine ? period : null };
    }

    /// <summary>The network of the task.</summary>
    public Network<float> Network() => Task switch
    {
        "classification" => MnistModels.Classifier(Batch, Seed, Dropout),
        "regression" => MnistModels.Locator(Batch, Seed, Dropout),
        _ => MnistModels.MultiTask(Batch, Seed, Dropout),
    };

    /// <summary>One task per head.</summary>
    public HeadTask[] Heads() => Task switch
    {
        "classification" => [HeadTask.CrossEntropy()],
        "regression" => [HeadTask.MeanSquaredError()],
        _ => [HeadTask.CrossEntropy(), HeadTask.MeanSquaredError()],
    };

    /// <summary>The training and test data of the task, standardised as the network trains on them unless told.</summary>
    public (ImageDataset Train, ImageDataset Test) Load(string folder) => Load(folder, standardize: true);

    /// <summary>The training and test data of the task; pixels in [0, 1] where <paramref name="standardize"/> is false (an exported model's input).</summary>
    public (ImageDataset Train, ImageDataset Test) Load(string folder, bool standardize)
    {
        var train = Mnist.Load(folder, training: true, Limit);
        var test = Mnist.Load(folder, training: false);
        return Task == "classification"
            ? (new MnistDataset(train, standardize), new MnistDataset(test, standardize))
            : (new TranslatedMnist(train, Seed, standardize), new TranslatedMnist(test, Seed + 1, standardize));
    }

    /// <summary>The task's network, optimizer, heads and augmentation, training on <paramref name="train"/>.</summary>
    public Trainer CreateTrainer(ImageDataset train)
    {
        var network = Network();
        return new Trainer(network, CreateOptimizer(network), train, Heads(), Batch, Seed)
        {
            Augmentation = Shift > 0 ? new RandomShift(Shift) : null,
        };
    }

    /// <summary>The optimizer over the network's parameters, with the schedule (a cosine over <see cref="SchedulePeriod"/> steps).</summary>
    public Optimizer<float> CreateOptimizer(Network<float> network)
    {
        var optimizer = CreateRule(network);
        if (Schedule == "cosine")
        {
            optimizer.Schedule = new CosineSchedule((int)(SchedulePeriod ?? throw new InvalidOperationException("The cosine's period is not set.")));
        }

        return optimizer;
    }

    private Optimizer<float> CreateRule(Network<float> network) => Optimizer switch
    {
        "sgd" => new Sgd<float>(network.OptimizerParameters, Rate),
        "momentum" => new Sgd<float>(network.OptimizerParameters, Rate, momentum: 0.9),
        "nesterov" => new Sgd<float>(network.OptimizerParameters, Rate, momentum: 0.9, nesterov: true),
        "adagrad" => new Adagrad<float>(network.OptimizerParameters, Rate),
        "rmsprop" => new RmsProp<float>(network.OptimizerParameters, Rate),
        "adadelta" => new Adadelta<float>(network.OptimizerParameters, Rate),
        "adamw" => Adam<float>.AdamW(network.OptimizerParameters, Rate),
        _ => new Adam<float>(network.OptimizerParameters, Rate),
    };
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Threading;
using AutoDiff.Training;
using ScottPlot;
using Spectre.Console;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff train</c> and <c>autodiff evaluate</c>: the notes' CNN on MNIST (classification), on translated MNIST
/// (the digit's offset: regression; class and offset together: multitask), with progress on the terminal, a
/// checkpoint after every epoch and the learning curve as a PNG.
/// </summary>
internal static class Train
{
    public const string Usage = "train [--task classification|regression|multitask] [--optimizer NAME] [--lr X] [--schedule cosine|constant] [--epochs N] [--batch N] [--seed N] [--threads N] [--shift PX] [--dropout P] [--data DIR] [--out DIR] [--resume CHECKPOINT] [--limit N] [--no-progress]";

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, group: null);

    // Under mpirun, `group` is this process's group: rank 0 checks the output folder, evaluates, reports, writes the
    // checkpoints and the curve; the other ranks train their shards and write nothing.
    public static int Run(string[] args, TextWriter output, TextWriter error, IProcessGroup? group)
    {
        bool reporter = group is null || group.Rank == 0;
        var options = TrainOptions.Parse(args, error);
        if (options is null)
        {
            return 2;
        }

        if (group is not null)
        {
            // mpirun forwards every rank's output line by line: plain lines, not a live progress bar.
            options = options with { NoProgress = true };
        }

        if (options.Resume is string resume)
        {
            if (!TryReadOptions(resume, "train: cannot resume from", error, out var saved))
            {
                return 2;
            }

            options = saved with { EpochsGiven = options.EpochsGiven, Threads = options.Threads, Data = options.Data, Output = options.Output, Resume = resume, NoProgress = options.NoProgress };
        }

        if (!TryLoad(options, error, "train", out var train, out var test))
        {
            return 2;
        }

        KernelPool.MaxDegreeOfParallelism = options.Threads;
        long totalSteps = (long)options.Epochs * ((train.Count + options.Batch - 1) / options.Batch);
        string? extended = null;
        if (options.SchedulePeriod is null)
        {
            options = options with { SchedulePeriod = totalSteps };
        }
        else if (options.Schedule == "cosine" && totalSteps > options.SchedulePeriod)
        {
            // Resuming for more epochs than the cosine was laid out for: past its end every step would have rate 0
            // (PyTorch users re-create the scheduler for the new length). The cosine is stretched over the new run.
            extended = $"The cosine schedule ran over {options.SchedulePeriod:N0} steps; for {options.Epochs} epochs it now runs over {totalSteps:N0}, " +
                "so the learning rate rises again from where it had decayed to.";
            options = options with { SchedulePeriod = totalSteps };
        }

        var trainer = options.CreateTrainer(train);
        if (options.Resume is string from && !TryRestore(trainer, from, "train: cannot resume from", error))
        {
            return 2;
        }

        var network = trainer.Network;

        string folder = Path.Combine(options.Output, options.Task);
        string checkpoint = Path.Combine(folder, "model.ckpt");
        if (reporter && CannotWrite(folder, "model.ckpt", "model.ckpt.tmp", "curve.png") is string problem)
        {
            error.WriteLine($"autodiff train: {problem}");
            return 2;
        }

        if (group is not null)
        {
            try
            {
                trainer.ProcessGroup = group;
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"autodiff train: {CommandLine.Message(e)} Give a larger --batch or fewer ranks.");
                return 2;
            }
        }

        string how = group is null ? $"batch {options.Batch}, seed {options.Seed}, {options.Threads} thread(s)"
            : $"on {group.Size} rank{(group.Size == 1 ? "" : "s")} × {options.Threads} thread(s), global batch {options.Batch}, seed {options.Seed}";
        output.WriteLine($"Training the {options.Task} CNN ({network.ParameterCount:N0} parameters) on {train.Count:N0} images, " +
            $"{options.Optimizer} lr {options.Rate.ToString(CultureInfo.InvariantCulture)}{(options.Schedule == "cosine" ? $" (cosine over {options.SchedulePeriod:N0} steps)" : "")}, {how}" +
            (trainer.Epoch > 0 || trainer.Step > 0 ? $", resuming at epoch {trainer.Epoch + 1} step {trainer.StepInEpoch + 1}" : "") + ".");
        if (trainer.Epoch >= options.Epochs)
        {
            output.WriteLine($"The checkpoint has already trained {trainer.Epoch} epochs; ask for more with --epochs.");
        }
        else if (extended is not null)
        {
            output.WriteLine(extended);
        }

        if (!reporter)
        {
            return Follow(trainer, options);
        }

        var losses = new List<(double Epoch, double Loss)>();
        int written = 0;

        // mpirun ends the other ranks with SIGTERM when one fails: say which checkpoint is whole before going.
        using var ended = group is null ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
            error.WriteLine($"autodiff train: ended by mpirun (a rank failed; its message follows). " +
                (written > 0 ? $"The last checkpoint, '{checkpoint}' (epoch {written}), is whole." : "No checkpoint was written.")));
        try
        {
            Progress(trainer, options, test, checkpoint, losses, output, () => written = trainer.Epoch);
        }
        catch (Exception e) when (e is TrainingDivergedException or DivergedEvaluationException or IOException)
        {
            // Name only a file that really holds good weights: this run's last checkpoint, or the one it resumed from.
            string good = written > 0 ? $" The last good checkpoint is '{checkpoint}' (epoch {written})."
                : options.Resume is string resumed ? $" The checkpoint it resumed from, '{resumed}', is as it was."
                : File.Exists(checkpoint) ? $" No checkpoint was written; '{checkpoint}' is an earlier run's, left as it was."
                : " No checkpoint was written.";
            error.WriteLine($"autodiff train: {e.Message}{good}");
            return 1;
        }

        if (group is not null)
        {
            if (!trainer.ParametersAgree())
            {
                error.WriteLine($"autodiff train: the {group.Size} ranks' weights differ at the end; the checkpoint '{checkpoint}' holds rank 0's.");
                return 1;
            }

            output.WriteLine($"The {group.Size} ranks hold the same weights, bit for bit.");
        }

        string curve;
        try
        {
            curve = DrawCurve(trainer, options, losses, Path.Combine(folder, "curve.png"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff train: the checkpoint '{checkpoint}' is written, but the curve cannot be: {e.Message}");
            return 1;
        }

        var last = trainer.History.Count > 0 ? trainer.History[^1].Test : null;
        if (last is not null)
        {
            output.WriteLine($"Test: {Describe(last)}");
        }

        output.WriteLine($"Checkpoint: {checkpoint}");
        output.WriteLine($"Curve: {curve}");
        return 0;
    }

    public static int Evaluate(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            error.WriteLine("autodiff evaluate: which checkpoint? usage: autodiff evaluate CHECKPOINT [--data DIR] [--threads N]");
            return 2;
        }

        string path = args[0];
        if (path.Length == 0)
        {
            error.WriteLine("autodiff evaluate: the checkpoint's path is empty. usage: autodiff evaluate CHECKPOINT [--data DIR] [--threads N]");
            return 2;
        }

        if (args[1..].Where((a, i) => i % 2 == 0 && a is not ("--data" or "--threads")).FirstOrDefault() is string ignored)
        {
            error.WriteLine($"autodiff evaluate: {ignored} is not an option of evaluate (it takes --data and --threads; the rest comes from the checkpoint).");
            return 2;
        }

        var given = TrainOptions.Parse(args[1..], error, "evaluate");
        if (given is null)
        {
            return 2;
        }

        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return OnnxCommands.Evaluate(path, given.Data, output, error);
        }

        if (IsRetrieval(path, out var metadata))
        {
            return Retrieve.Evaluate(path, metadata, given.Data, given.Threads, output, error);
        }

        if (TryOpen(path, given.Data, given.Threads, "evaluate", error) is not var (trainer, options, test))
        {
            return 2;
        }

        var watch = Stopwatch.StartNew();
        var evaluation = trainer.Evaluate(test);
        output.WriteLine($"{options.Task} CNN after {trainer.Epoch} epoch(s), {trainer.Step:N0} steps, on {test.Count:N0} test images ({test.Count / watch.Elapsed.TotalSeconds:N0} images/s):");
        output.WriteLine($"  {Describe(evaluation)}");
        return 0;
    }

    // Whether the checkpoint was written by `retrieve` (any failure to read it is TryReadOptions's to report).
    internal static bool IsRetrieval(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            metadata = Trainer.ReadMetadata(path);
            return metadata.TryGetValue("format", out var format) && format == "autodiff-retrieve-1";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            metadata = new Dictionary<string, string>();
            return false;
        }
    }

    // The options a checkpoint was written with; false (and why, naming the file) if it cannot be read.
    internal static bool TryReadOptions(string path, string failure, TextWriter error, out TrainOptions options)
    {
        try
        {
            options = TrainOptions.FromMetadata(Trainer.ReadMetadata(path), path);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine($"autodiff {failure} '{path}': {e.Message}");
            options = null!;
            return false;
        }
    }

    // A train checkpoint's trainer, restored, with its options and test data (found or in `data`); null, and why
    // in one line naming `command`, when the checkpoint, its settings or the data cannot be read.
    internal static (Trainer Trainer, TrainOptions Options, ImageDataset Test)? TryOpen(string path, string? data, int threads, string command, TextWriter error)
    {
        if (!TryReadOptions(path, $"{command}: cannot read", error, out var saved))
        {
            return null;
        }

        var options = saved with { Data = data, Threads = threads };
        if (!TryLoad(options, error, command, out var train, out var test))
        {
            return null;
        }

        KernelPool.MaxDegreeOfParallelism = options.Threads;
        var trainer = options.CreateTrainer(train);
        return TryRestore(trainer, path, $"{command}: cannot load", error) ? (trainer, options, test) : null;
    }

    // Loads a checkpoint into the trainer; false (and why) if it does not fit, the trainer then unchanged.
    internal static bool TryRestore(Trainer trainer, string path, string failure, TextWriter error)
    {
        try
        {
            trainer.LoadCheckpoint(path);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            error.WriteLine($"autodiff {failure} '{path}': {e.Message}");
            return false;
        }
    }

    internal static bool TryLoad(TrainOptions options, TextWriter error, string command, out ImageDataset train, out ImageDataset test) =>
        TryLoadData(options.Data, command, error, options.Load, out train, out test);

    // The MNIST folder given (or found), read by `load`; false (and why, naming the command) if it is missing or unreadable.
    internal static bool TryLoadData(string? data, string command, TextWriter error, Func<string, (ImageDataset Train, ImageDataset Test)> load,
        out ImageDataset train, out ImageDataset test)
    {
        (train, test) = (null!, null!);
        string? folder = data ?? FindData();
        if (folder is null)
        {
            error.WriteLine($"autodiff {command}: no MNIST folder found (data/mnist above the current folder or the program); give one with --data DIR.");
            return false;
        }

        try
        {
            (train, test) = load(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff {command}: {e.Message}");
            return false;
        }
    }

    // data/NAME (mnist by default) in the current folder or above it, else above the program (a build output inside the repository).
    internal static string? FindData(string name = "mnist")
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, "data", name);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    internal static string Describe(Evaluation evaluation)
    {
        var parts = new List<string> { $"loss {evaluation.Loss:F4}" };
        foreach (var head in evaluation.Heads)
        {
            parts.Add(double.IsNaN(head.Accuracy) ? $"mean absolute position error {head.MeanAbsoluteError:F3} px" : $"accuracy {head.Accuracy:P2}");
        }

        return string.Join(", ", parts);
    }

    // Whether the run can write its files into the folder (checked before training, not found out after an epoch):
    // the one-line problem, or null.
    internal static string? CannotWrite(string folder, params string[] files)
    {
        if (Unwritable(folder) is string problem)
        {
            return $"cannot write to '{folder}': {problem}";
        }

        return files.Select(name => Path.Combine(folder, name)).FirstOrDefault(Directory.Exists) is string directory
            ? $"'{directory}' is a directory where the run writes a file; move it away or give another --out."
            : null;
    }

    // Whether the folder can be made and written: why not, or null.
    private static string? Unwritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".autodiff-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, new byte[4096]);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }

    // An epoch whose evaluation is not finite: its weights are not checkpointed.
    private sealed class DivergedEvaluationException(int epoch, double loss)
        : Exception($"The test loss became {loss} after epoch {epoch}; its weights are not checkpointed. Lower the learning rate, or clip the gradients.");

    // Checkpoints an epoch unless its evaluation diverged; `saved` hears of each checkpoint written.
    private static void Save(Trainer trainer, EpochRecord record, string checkpoint, Dictionary<string, string> metadata, Action saved)
    {
        if (record.Test is { } evaluation && !double.IsFinite(evaluation.Loss))
        {
            throw new DivergedEvaluationException(record.Epoch, evaluation.Loss);
        }

        trainer.SaveCheckpoint(checkpoint, metadata);
        saved();
    }

    // A rank other than 0: the same epochs on its shards, no evaluation, no files; a divergence is rank 0's to report
    // (every rank holds the same weights and sees the same loss). Then the check that the weights agree.
    private static int Follow(Trainer trainer, TrainOptions options)
    {
        try
        {
            while (trainer.Epoch < options.Epochs)
            {
                trainer.RunEpoch();
            }
        }
        catch (TrainingDivergedException)
        {
            return 1;
        }

        return trainer.ParametersAgree() ? 0 : 1;
    }

    private static void Progress(Trainer trainer, TrainOptions options, ImageDataset test, string checkpoint, List<(double, double)> losses, TextWriter output, Action saved)
    {
        var metadata = options.Metadata();
        if (options.NoProgress || !AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            // Logs, CI and --no-progress: a line per quarter epoch and per epoch.
            var observer = new Observer(trainer, losses, (epoch, step, steps, loss, rate) =>
            {
                if (step % Math.Max(1, steps / 4) == 0)
                {
                    output.WriteLine($"  epoch {epoch + 1} step {step}/{steps}: loss {loss:F4}, {rate:N0} images/s");
                }
            });
            while (trainer.Epoch < options.Epochs)
            {
                var record = trainer.RunEpoch(test, observer);
                Save(trainer, record, checkpoint, metadata, saved);
                output.WriteLine($"epoch {record.Epoch}: training loss {record.TrainingLoss:F4}; test {Describe(record.Test!)}");
            }

            return;
        }

        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                while (trainer.Epoch < options.Epochs)
                {
                    var task = context.AddTask($"epoch {trainer.Epoch + 1}/{options.Epochs}", maxValue: trainer.StepsPerEpoch);
                    task.Value = trainer.StepInEpoch;
                    var observer = new Observer(trainer, losses, (epoch, step, steps, loss, rate) =>
                    {
                        task.Value = step;
                        if (step % 20 == 0 || step == steps)
                        {
                            task.Description = $"epoch {epoch + 1}/{options.Epochs}  step {step,5}/{steps}  loss {loss,7:F4}  {rate,6:N0} img/s";
                        }
                    });
                    var record = trainer.RunEpoch(test, observer);
                    Save(trainer, record, checkpoint, metadata, saved);
                    task.Description = $"epoch {record.Epoch}/{options.Epochs}  loss {record.TrainingLoss,7:F4}  test {Describe(record.Test!).EscapeMarkup()}";
                    task.StopTask();
                }
            });
    }

    private sealed class Observer(Trainer trainer, List<(double, double)> losses, Action<int, int, int, float, double> report) : ITrainingObserver
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _firstStep = trainer.Step;

        public void OnStep(in StepReport step)
        {
            losses.Add((step.Epoch + ((double)step.StepInEpoch / step.StepsPerEpoch), step.Loss));
            double rate = (step.Step - _firstStep) * (double)trainer.BatchSize / Math.Max(_watch.Elapsed.TotalSeconds, 1e-9);
            report(step.Epoch, step.StepInEpoch, step.StepsPerEpoch, step.Loss, rate);
        }

        public void OnEpoch(EpochRecord record)
        {
            _watch.Restart();
            _firstStep = trainer.Step;
        }
    }

    private static string DrawCurve(Trainer trainer, TrainOptions options, List<(double Epoch, double Loss)> losses, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var loss = multiplot.GetPlot(0);
        if (losses.Count > 0)
        {
            // The steps' losses, and their running mean over a tenth of an epoch.
            var xs = losses.Select(l => l.Epoch).ToArray();
            var ys = losses.Select(l => l.Loss).ToArray();
            var raw = loss.Add.ScatterLine(xs, ys);
            raw.LegendText = "training loss (step)";
            raw.Color = Colors.LightBlue;
            int window = Math.Max(1, trainer.StepsPerEpoch / 10);
            var smooth = new double[ys.Length];
            double sum = 0;
            for (int i = 0; i < ys.Length; i++)
            {
                sum += ys[i] - (i >= window ? ys[i - window] : 0);
                smooth[i] = sum / Math.Min(i + 1, window);
            }

            var mean = loss.Add.ScatterLine(xs, smooth);
            mean.LegendText = "training loss (running mean)";
            mean.Color = Colors.Blue;
            mean.LineWidth = 2;
        }

        var epochs = trainer.History.Select(r => (double)r.Epoch).ToArray();
        var testLoss = loss.Add.Scatter(epochs, trainer.History.Select(r => r.Test?.Loss ?? double.NaN).ToArray());
        testLoss.LegendText = "test loss (epoch)";
        testLoss.Color = Colors.OrangeRed;
        testLoss.MarkerSize = 9;
        loss.Axes.SetLimitsY(0, Math.Max(0.05, losses.Count > 0 ? losses.Skip(losses.Count / 10).Max(l => l.Loss) : 1));
        loss.Title($"{options.Task} CNN on MNIST: {options.Optimizer}, lr {options.Rate.ToString(CultureInfo.InvariantCulture)}, batch {options.Batch}, seed {options.Seed}");
        loss.XLabel("epoch");
        loss.YLabel("loss");
        loss.ShowLegend(Alignment.UpperRight);

        var score = multiplot.GetPlot(1);
        int heads = trainer.History.Count > 0 && trainer.History[0].Test is { } first ? first.Heads.Count : 0;
        for (int h = 0; h < heads; h++)
        {
            bool classification = !double.IsNaN(trainer.History[0].Test!.Heads[h].Accuracy);
            var values = trainer.History.Select(r => classification ? 100 * r.Test!.Heads[h].Accuracy : r.Test!.Heads[h].MeanAbsoluteError).ToArray();
            var line = score.Add.Scatter(epochs, values);
            line.LegendText = classification ? "test accuracy (%)" : "test position error (px)";
            line.MarkerSize = 9;
            if (!classification && heads > 1)
            {
                line.Axes.YAxis = score.Axes.Right;
                score.Axes.Right.Label.Text = "position error (px)";
            }
        }

        score.XLabel("epoch");
        score.YLabel(options.Task == "regression" ? "position error (px)" : "accuracy (%)");
        score.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, 1200, 900);
        return path;
    }
}

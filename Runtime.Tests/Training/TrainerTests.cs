using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Retrieval;
using AutoDiff.Threading;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Training;

/// <summary>MNIST loaded once for the training tests.</summary>
public sealed class MnistFixture
{
    public MnistFixture()
    {
        Train = Mnist.Load(RepositoryPaths.Mnist, training: true);
        Test = Mnist.Load(RepositoryPaths.Mnist, training: false);
    }

    public Mnist Train { get; }

    public Mnist Test { get; }
}

/// <summary>Training whose allocations are counted on every thread: alone, after every other test.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection : ICollectionFixture<MnistFixture>;

/// <summary>The trainer: determinism, resume, checkpoints, divergence, and what a short run learns.</summary>
public sealed class TrainerTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-train-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Trainer Classifier(ImageDataset data, int batch = 64, ulong seed = 5)
    {
        var network = MnistModels.Classifier(batch, seed);
        return new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), data, [HeadTask.CrossEntropy()], batch, seed);
    }

    private static float[][] Weights(Trainer trainer) => trainer.Network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_weights_bit_for_bit_on_1_2_and_3_threads()
    {
        var data = new MnistDataset(mnist.Train.Take(1280));
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            float[][]? first = null;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelPool.MaxDegreeOfParallelism = threads;
                var trainer = Classifier(data);
                for (int i = 0; i < 12; i++)
                {
                    trainer.TrainStep();
                }

                var weights = Weights(trainer);
                first ??= weights;
                for (int p = 0; p < weights.Length; p++)
                {
                    Assert.True(first[p].AsSpan().SequenceEqual(weights[p]), $"{threads} threads: {trainer.Network.Parameters[p].Name} differs from 1 thread");
                }
            }
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void A_resumed_run_continues_the_same_trajectory_bit_for_bit()
    {
        var data = new MnistDataset(mnist.Train.Take(640)); // 10 steps an epoch
        var test = new MnistDataset(mnist.Test.Take(200));
        string path = Path.Combine(_folder, "run.ckpt");

        var straight = Classifier(data);
        straight.Augmentation = new RandomShift(2);
        straight.RunEpoch(test);
        for (int i = 0; i < 4; i++)
        {
            straight.TrainStep();
        }

        straight.SaveCheckpoint(path, new Dictionary<string, string> { ["task"] = "classification" });
        straight.RunEpoch(test);
        straight.RunEpoch(test);

        var resumed = Classifier(data, seed: 5);
        resumed.Augmentation = new RandomShift(2);
        Assert.NotEqual(Weights(straight)[0], Weights(resumed)[0]);
        resumed.LoadCheckpoint(path);
        Assert.Equal((1, 4, 14L), (resumed.Epoch, resumed.StepInEpoch, resumed.Step));
        resumed.RunEpoch(test);
        resumed.RunEpoch(test);

        Assert.Equal(straight.Step, resumed.Step);
        var a = Weights(straight);
        var b = Weights(resumed);
        for (int p = 0; p < a.Length; p++)
        {
            Assert.True(a[p].AsSpan().SequenceEqual(b[p]), $"{straight.Network.Parameters[p].Name} differs after resuming");
        }

        Assert.Equal(straight.History, resumed.History, (x, y) => x.Epoch == y.Epoch && x.TrainingLoss == y.TrainingLoss && x.Test!.Loss == y.Test!.Loss);
        Assert.Equal("classification", Trainer.ReadMetadata(path)["task"]);
    }

    [Fact]
    public void A_damaged_or_foreign_checkpoint_is_refused_by_name_and_changes_nothing()
    {
        var data = new MnistDataset(mnist.Train.Take(256));
        string path = Path.Combine(_folder, "good.ckpt");
        var trainer = Classifier(data);
        trainer.TrainStep();
        trainer.SaveCheckpoint(path);
        trainer.TrainStep();
        var before = Weights(trainer);
        var bytes = File.ReadAllBytes(path);

        string truncated = Path.Combine(_folder, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(truncated));
        Assert.Contains("truncated.ckpt", e.Message, StringComparison.Ordinal);

        string flipped = Path.Combine(_folder, "flipped.ckpt");
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x10;
        File.WriteAllBytes(flipped, copy);
        e = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(flipped));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);

        string other = Path.Combine(_folder, "other.ckpt");
        File.WriteAllText(other, "not a checkpoint");
        Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(other));

        // Another batch size: the trajectory could not continue.
        var network = MnistModels.Classifier(32, 5);
        var foreign = new Trainer(network, new Adam<float>(network.OptimizerParameters), data, [HeadTask.CrossEntropy()], 32, 5);
        e = Assert.Throws<InvalidDataException>(() => foreign.LoadCheckpoint(path));
        Assert.Contains("batch 64", e.Message, StringComparison.Ordinal);

        var after = Weights(trainer);
        for (int p = 0; p < before.Length; p++)
        {
            Assert.Equal(before[p], after[p]);
        }

        Assert.Equal(2, trainer.Step);
    }

    [Fact]
    public void A_write_killed_midway_leaves_the_last_checkpoint_whole()
    {
        var data = new MnistDataset(mnist.Train.Take(256));
        string path = Path.Combine(_folder, "last.ckpt");
        var trainer = Classifier(data);
        trainer.TrainStep();
        trainer.SaveCheckpoint(path);

        // What a kill during the next save leaves: a partial temporary file beside the checkpoint.
        File.WriteAllBytes(path + ".tmp", File.ReadAllBytes(path)[..100]);
        var restored = Classifier(data);
        restored.LoadCheckpoint(path);
        Assert.Equal(1, restored.Step);

        // The next save replaces both.
        trainer.TrainStep();
        trainer.SaveCheckpoint(path);
        Assert.False(File.Exists(path + ".tmp"));
        restored.LoadCheckpoint(path);
        Assert.Equal(2, restored.Step);
    }

    private sealed class PoisonedDataset(ImageDataset inner, int poisoned) : ImageDataset
    {
        public override int Count => inner.Count;

        public override TensorShape Shape => inner.Shape;

        public override int[]? Labels => inner.Labels;

        public override int Classes => inner.Classes;

        public override void CopyImage(int index, Span<float> destination)
        {
            inner.CopyImage(index, destination);
            if (index == poisoned)
            {
                destination[300] = float.NaN;
            }
        }
    }

    [Fact]
    public void A_loss_that_turns_nan_stops_training_with_the_step_before_any_update()
    {
        var data = new PoisonedDataset(new MnistDataset(mnist.Train.Take(640)), poisoned: 0);
        var trainer = Classifier(data);
        float[][] before = Weights(trainer);
        TrainingDivergedException? e = null;
        for (int i = 0; i < trainer.StepsPerEpoch && e is null; i++)
        {
            before = Weights(trainer);
            e = Record.Exception(() => trainer.TrainStep()) as TrainingDivergedException;
        }

        Assert.NotNull(e);
        Assert.Equal(trainer.Step + 1, e.Step);
        Assert.Contains($"step {e.Step}", e.Message, StringComparison.Ordinal);
        var after = Weights(trainer);
        for (int p = 0; p < before.Length; p++)
        {
            Assert.Equal(before[p], after[p]);
        }
    }

    [Fact]
    public void Two_hundred_steps_on_6400_digits_reach_95_percent_test_accuracy()
    {
        var trainer = Classifier(new MnistDataset(mnist.Train.Take(6400)));
        trainer.RunEpoch();
        var record = trainer.RunEpoch(new MnistDataset(mnist.Test.Take(2000)));
        Assert.Equal(200, trainer.Step);
        Assert.True(record.Test!.Heads[0].Accuracy >= 0.95, $"accuracy {record.Test.Heads[0].Accuracy:P2}");
    }

    [Fact]
    public void The_multitask_network_learns_class_and_offset_together()
    {
        var train = new TranslatedMnist(mnist.Train.Take(3200), seed: 1);
        var test = new TranslatedMnist(mnist.Test.Take(1000), seed: 2);
        var network = MnistModels.MultiTask(64, 3);
        var trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), train,
            [HeadTask.CrossEntropy(), HeadTask.MeanSquaredError(weight: 1)], 64, 3);
        var untrained = trainer.Evaluate(test);
        trainer.RunEpoch();
        var record = trainer.RunEpoch(test);
        Assert.True(record.Test!.Heads[0].Accuracy >= 0.6, $"accuracy {record.Test.Heads[0].Accuracy:P2}");
        Assert.True(record.Test.Heads[1].MeanAbsoluteError < untrained.Heads[1].MeanAbsoluteError / 2,
            $"offset error {record.Test.Heads[1].MeanAbsoluteError:F2} px, untrained {untrained.Heads[1].MeanAbsoluteError:F2} px");
        Assert.True(double.IsNaN(record.Test.Heads[0].MeanAbsoluteError) && double.IsNaN(record.Test.Heads[1].Accuracy));
    }

    [Fact]
    public void Heads_that_do_not_fit_the_data_are_named()
    {
        var data = new MnistDataset(mnist.Train.Take(64));
        var network = MnistModels.Classifier(64, 1);
        var optimizer = new Adam<float>(network.OptimizerParameters);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(network, optimizer, data, [HeadTask.MeanSquaredError()], 64, 1));
        Assert.Contains("no real targets", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new Trainer(network, optimizer, data, [HeadTask.CrossEntropy(), HeadTask.CrossEntropy()], 64, 1));
        Assert.Contains("1 heads but 2 tasks", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new Trainer(network, optimizer, new TranslatedMnist(mnist.Train.Take(64), 1), [HeadTask.CrossEntropy()], 64, 1));
        Assert.Contains("1×40×40", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(network, optimizer, data, [HeadTask.CrossEntropy()], 65, 1));
    }

    [Fact]
    public void Random_shifts_move_the_image_by_every_offset_and_fill_with_the_background()
    {
        var shape = new TensorShape(2, 8, 9);
        var moves = new HashSet<(int, int)>();
        var scratch = new float[shape.Size];
        var shift = new RandomShift(2);
        for (ulong draw = 0; draw < 200; draw++)
        {
            var image = Enumerable.Repeat(-0.5f, shape.Size).ToArray();
            image[(4 * 9) + 4] = 1; // channel 0, (x, y) = (4, 4)
            image[72 + (3 * 9) + 5] = 2; // channel 1, (5, 3)
            shift.Apply(image, shape, draw, scratch);
            int at = Array.IndexOf(image, 1f), at1 = Array.IndexOf(image, 2f) - 72;
            Assert.Equal(2, image.Count(v => v != -0.5f));
            int dx = (at % 9) - 4, dy = (at / 9) - 4;
            Assert.Equal(((at1 % 9) - 5, (at1 / 9) - 3), (dx, dy));
            Assert.InRange(dx, -2, 2);
            Assert.InRange(dy, -2, 2);
            moves.Add((dx, dy));
        }

        Assert.Equal(25, moves.Count);
    }

    [Fact]
    public void Translated_digits_sit_at_their_offset_on_a_black_canvas()
    {
        var digits = mnist.Train.Take(50);
        var translated = new TranslatedMnist(digits, seed: 9, standardize: false);
        var canvas = new float[40 * 40];
        var offsets = new HashSet<(int, int)>();
        for (int i = 0; i < 50; i++)
        {
            translated.CopyImage(i, canvas);
            var (x, y) = translated.Offset(i);
            offsets.Add((x, y));
            Assert.InRange(x, 0, 12);
            Assert.InRange(y, 0, 12);
            Assert.Equal(digits.Image(i).ToArray().Sum(), canvas.Sum(), 1e-3);
            for (int r = 0; r < 28; r++)
            {
                Assert.True(digits.Image(i).Slice(r * 28, 28).SequenceEqual(canvas.AsSpan(((y + r) * 40) + x, 28)));
            }

            Assert.Equal((x / 6.0) - 1, translated.Targets[2 * i], 1e-6);
        }

        Assert.True(offsets.Count > 30);
    }
}

/// <summary>
/// The claim "a training step allocates nothing": counted on every thread a step runs on in this process, and on
/// every thread of a separate process (`autodiff measure-allocation`), where no test host allocates beside it.
/// </summary>
[Collection(nameof(AllocationCollection))]
public sealed class TrainingAllocationTests(MnistFixture mnist)
{
    [Theory]
    [InlineData("classification")]
    [InlineData("multitask")]
    [InlineData("batch-hard")]
    [InlineData("semi-hard")]
    [InlineData("random")]
    [InlineData("hard-pairs")]
    public void A_hundred_training_steps_allocate_nothing_on_any_thread(string task)
    {
        Trainer trainer;
        if (task == "classification")
        {
            var network = MnistModels.Classifier(64, 1);
            trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters), new MnistDataset(mnist.Train.Take(64 * 450)), [HeadTask.CrossEntropy()], 64, 1);
        }
        else if (task != "multitask")
        {
            var network = MnistModels.Embedder(64, 1);
            HeadTask metric = task switch
            {
                "batch-hard" => new TripletTask(TripletMining.BatchHard),
                "semi-hard" => new TripletTask(TripletMining.SemiHard),
                "random" => new TripletTask(TripletMining.Random),
                _ => new ContrastiveTask(PairMining.Hard),
            };
            trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters), new MnistDataset(mnist.Train.Take(64 * 450)), [metric], 64, 1)
            {
                Sampler = new ClassBalancedSampler(8, 8),
            };
        }
        else
        {
            var network = MnistModels.MultiTask(64, 1);
            trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters), new TranslatedMnist(mnist.Train.Take(64 * 450), 1),
                [HeadTask.CrossEntropy(), HeadTask.MeanSquaredError(0.5)], 64, 1);
        }

        long allocated = SteadyState.AllocatedBytes(() => trainer.TrainStep(), warmup: 30, rounds: 4);
        Assert.True(allocated == 0, $"100 {task} steps allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("multitask")]
    [InlineData("retrieval")]
    public void A_hundred_training_steps_allocate_nothing_in_a_whole_process(string task)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AutoDiff.Cli.dll"), "measure-allocation", task, "100" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        Assert.Contains($"{task}: 100 steps allocated 0 bytes (all threads)", output, StringComparison.Ordinal);
    }
}

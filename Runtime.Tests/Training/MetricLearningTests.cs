using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Optimizers;
using AutoDiff.Retrieval;
using AutoDiff.Threading;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Training;

/// <summary>Metric learning: P × K batches, the mined losses' gradients, what a short run learns, resume, allocation.</summary>
public sealed class MetricLearningTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-metric-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Trainer Embedder(ImageDataset data, HeadTask task, ulong seed = 3, int classes = 8, int perClass = 8)
    {
        var network = MnistModels.Embedder(classes * perClass, seed);
        return new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), data, [task], classes * perClass, seed)
        {
            Sampler = new ClassBalancedSampler(classes, perClass),
        };
    }

    [Fact]
    public void Class_balanced_batches_hold_p_distinct_classes_of_k_distinct_images_and_repeat_for_a_seed()
    {
        var data = new MnistDataset(mnist.Train.Take(2000));
        var labels = data.Labels;
        var sampler = new ClassBalancedSampler(6, 5).Bind(data);
        var batch = new int[30];
        var again = new int[30];
        var seen = new HashSet<int>();
        for (long step = 0; step < 200; step++)
        {
            sampler.Fill(9, step, batch);
            var classes = Enumerable.Range(0, 6).Select(p => labels[batch[p * 5]]).ToArray();
            Assert.Equal(6, classes.Distinct().Count());
            for (int p = 0; p < 6; p++)
            {
                var images = batch.AsSpan(p * 5, 5).ToArray();
                Assert.Equal(5, images.Distinct().Count());
                Assert.All(images, i => Assert.Equal(classes[p], labels[i]));
            }

            seen.UnionWith(classes);
            new ClassBalancedSampler(6, 5).Bind(data).Fill(9, step, again);
            Assert.Equal(batch, again);
        }

        Assert.Equal(10, seen.Count);
    }

    [Fact]
    public void A_sampler_that_does_not_fit_the_batch_or_the_data_is_refused()
    {
        var data = new MnistDataset(mnist.Train.Take(300));
        var network = MnistModels.Embedder(80, 1, dimension: 4);
        var trainer = new Trainer(network, new Adam<float>(network.OptimizerParameters), data, [new TripletTask()], 80, 1);

        var size = Assert.Throws<ArgumentException>(() => trainer.Sampler = new ClassBalancedSampler(8, 4));
        Assert.Contains("hold 32 images; this trainer's batch is 80", size.Message, StringComparison.Ordinal);

        // The first 300 digits hold at most 39 of one class.
        var few = Assert.Throws<ArgumentException>(() => trainer.Sampler = new ClassBalancedSampler(2, 40));
        Assert.Contains("need 2 classes with at least 40 images each; the data has 0", few.Message, StringComparison.Ordinal);

        trainer.Sampler = new ClassBalancedSampler(4, 20);
        trainer.TrainStep();
        Assert.Throws<InvalidOperationException>(() => trainer.Sampler = null);
    }

    [Theory]
    [InlineData("batch-hard")]
    [InlineData("semi-hard")]
    [InlineData("random")]
    [InlineData("hard-pairs")]
    [InlineData("random-pairs")]
    public void The_mined_losses_value_and_gradient_match_a_double_reference(string miner)
    {
        // 4 classes × 3 embeddings of dimension 5, loss weight 1.5.
        const int Rows = 12, Dimension = 5;
        const float Margin = 0.7f;
        var random = new SeededRandom(21);
        var embeddings = Enumerable.Range(0, Rows * Dimension).Select(_ => (float)random.NextGaussian() * 0.5f).ToArray();
        var labels = Enumerable.Range(0, Rows).Select(i => i / 3).ToArray();
        MetricTask task = miner.EndsWith("pairs", StringComparison.Ordinal)
            ? new ContrastiveTask(miner == "hard-pairs" ? PairMining.Hard : PairMining.Random, Margin, weight: 1.5)
            : new TripletTask(miner == "batch-hard" ? TripletMining.BatchHard : miner == "semi-hard" ? TripletMining.SemiHard : TripletMining.Random, Margin, weight: 1.5);
        var data = new MnistDataset(mnist.Train.Take(100));
        task.Validate(data, TensorShape.Vector(Dimension), 0, Rows);
        var gradient = new float[Rows * Dimension];
        float loss = task.Loss(Rows, embeddings, labels, [], gradient, draw: 77);

        // The reference re-mines with the same miner on double distances (the mined indices are constant
        // near this point), then evaluates the notes' formulas in double.
        var x = embeddings.Select(v => (double)v).ToArray();
        double Reference(double[] e)
        {
            var distances = new float[Rows * Rows];
            for (int i = 0; i < Rows; i++)
            {
                for (int j = 0; j < Rows; j++)
                {
                    distances[(i * Rows) + j] = i == j ? 0 : (float)Distance(e, i, j, 0);
                }
            }

            double sum = 0;
            int count;
            if (task is TripletTask triplet)
            {
                var triplets = new Triplet[Rows * Rows];
                count = triplet.Mining switch
                {
                    TripletMining.BatchHard => Miners.BatchHard(distances, labels, triplets),
                    TripletMining.SemiHard => Miners.SemiHard(distances, labels, triplets),
                    _ => Miners.RandomTriplets(labels, 77, triplets),
                };
                foreach (var (a, p, n) in triplets[..count])
                {
                    sum += Math.Max(0, Margin + Distance(e, a, p, 1e-6) - Distance(e, a, n, 1e-6));
                }
            }
            else
            {
                var pairs = new LabeledPair[2 * Rows];
                count = ((ContrastiveTask)task).Mining == PairMining.Hard ? Miners.HardPairs(distances, labels, pairs) : Miners.RandomPairs(labels, 77, pairs);
                foreach (var (i, j, similar) in pairs[..count])
                {
                    double d = Distance(e, i, j, 0);
                    sum += similar ? 0.5 * d * d : 0.5 * Math.Pow(Math.Max(0, Margin - d), 2);
                }
            }

            return sum / count;
        }

        Assert.Equal(Reference(x), loss, 1e-5);
        Assert.True(loss > 0, "the example should have active terms");
        for (int k = 0; k < x.Length; k++)
        {
            const double H = 1e-5;
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[k] += H;
            minus[k] -= H;
            double expected = 1.5 * (Reference(plus) - Reference(minus)) / (2 * H);
            Assert.True(Math.Abs(expected - gradient[k]) <= 1e-4 + (1e-3 * Math.Abs(expected)), $"∂L/∂e[{k}]: {gradient[k]} vs finite differences {expected}");
        }
    }

    private static double Distance(double[] e, int i, int j, double epsilon)
    {
        const int Dimension = 5;
        double sum = 0;
        for (int d = 0; d < Dimension; d++)
        {
            double diff = e[(i * Dimension) + d] - e[(j * Dimension) + d] + epsilon;
            sum += diff * diff;
        }

        return Math.Sqrt(sum);
    }

    [Fact]
    public void A_short_semi_hard_run_puts_same_class_images_closer_than_other_classes()
    {
        // The notes' ordering property: after training, the mean cosine similarity of two images of one class
        // exceeds that of two images of different classes — and retrieval works. (Semi-hard: batch-hard spends
        // its first few hundred steps collapsed near one point, loss ≈ margin, as FaceNet warns, before it
        // spreads the classes; the full runs of `autodiff retrieve` show both.)
        var trainer = Embedder(new MnistDataset(mnist.Train.Take(150 * 64)), new TripletTask(TripletMining.SemiHard));
        var test = new MnistDataset(mnist.Test.Take(1000));
        var before = new float[test.Count * 32];
        trainer.Predict(test, 0, before);
        trainer.RunEpoch(); // 150 steps

        var after = new float[test.Count * 32];
        trainer.Predict(test, 0, after);
        var (sameBefore, otherBefore) = RetrievalMetrics.ClassSimilarities(before, test.Labels, 32);
        var (same, other) = RetrievalMetrics.ClassSimilarities(after, test.Labels, 32);
        Assert.True(same > other + 0.5, $"same class {same:F3}, other classes {other:F3} (before training {sameBefore:F3}, {otherBefore:F3})");
        Assert.True(same - other > 2 * (sameBefore - otherBefore), $"the gap grew from {sameBefore - otherBefore:F3} to {same - other:F3}");

        var metrics = RetrievalMetrics.Evaluate(after, test.Labels, 32);
        Assert.True(metrics.RecallAt1 >= 0.95, $"recall@1 {metrics.RecallAt1:P2} after 150 steps");
    }

    [Fact]
    public void A_resumed_metric_run_draws_the_same_batches_and_triplets()
    {
        var data = new MnistDataset(mnist.Train.Take(640));
        string path = Path.Combine(_folder, "metric.ckpt");
        Trainer Create(ulong seed)
        {
            var trainer = Embedder(data, new TripletTask(TripletMining.Random), seed, classes: 4, perClass: 4);
            trainer.Augmentation = new RandomShift(1);
            return trainer;
        }

        var straight = Create(3);
        for (int i = 0; i < 12; i++)
        {
            straight.TrainStep();
        }

        straight.SaveCheckpoint(path);
        for (int i = 0; i < 12; i++)
        {
            straight.TrainStep();
        }

        var resumed = Create(3);
        resumed.LoadCheckpoint(path);
        for (int i = 0; i < 12; i++)
        {
            resumed.TrainStep();
        }

        for (int p = 0; p < straight.Network.Parameters.Count; p++)
        {
            Assert.True(straight.Network.Parameters[p].Value.AsSpan().SequenceEqual(resumed.Network.Parameters[p].Value),
                $"{straight.Network.Parameters[p].Name} differs after resuming");
        }
    }

    [Fact]
    public void The_embeddings_are_unit_vectors_and_a_head_without_labels_is_refused()
    {
        var trainer = Embedder(new MnistDataset(mnist.Train.Take(640)), new TripletTask());
        var embeddings = new float[100 * 32];
        trainer.Predict(new MnistDataset(mnist.Test.Take(100)), 0, embeddings);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(1, System.Numerics.Tensors.TensorPrimitives.Norm(embeddings.AsSpan(i * 32, 32)), 1e-5);
        }

        var network = MnistModels.Embedder(16, 1, dimension: 8);
        var unlabelled = new TranslatedMnist(mnist.Train.Take(100), 1);
        var error = Assert.Throws<ArgumentException>(() =>
            new Trainer(network, new Adam<float>(network.OptimizerParameters), new RegressionOnly(unlabelled), [new ContrastiveTask()], 16, 1));
        Assert.Contains("no labels", error.Message, StringComparison.Ordinal);
    }

    // Images with targets and no labels.
    private sealed class RegressionOnly(ImageDataset inner) : ImageDataset
    {
        public override int Count => inner.Count;

        public override TensorShape Shape => new(1, Mnist.Side, Mnist.Side);

        public override float[]? Targets => inner.Targets;

        public override int TargetSize => inner.TargetSize;

        public override void CopyImage(int index, Span<float> destination)
        {
            Span<float> canvas = stackalloc float[inner.Shape.Size];
            inner.CopyImage(index, canvas);
            for (int r = 0; r < Mnist.Side; r++)
            {
                canvas.Slice(r * inner.Shape.Width, Mnist.Side).CopyTo(destination.Slice(r * Mnist.Side, Mnist.Side));
            }
        }
    }
}

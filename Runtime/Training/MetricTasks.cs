using System.Numerics.Tensors;
using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Retrieval;

namespace AutoDiff.Training;

/// <summary>
/// A metric-learning head: its output is an embedding per image, and its loss is computed over the
/// triplets or pairs a miner picks from the batch's distance matrix. It has no score of its own
/// (<see cref="HeadScore"/> is NaN); retrieval is scored by <see cref="RetrievalMetrics"/>.
/// </summary>
public abstract class MetricTask : HeadTask
{
    private PairwiseDistances? _pairwise;

    /// <summary>A metric task whose loss counts <paramref name="weight"/> times.</summary>
    /// <param name="margin">The loss's margin, positive.</param>
    /// <param name="weight">The weight of the loss.</param>
    private protected MetricTask(float margin, double weight)
        : base(weight)
    {
        if (!(margin > 0 && float.IsFinite(margin)))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be positive and finite.");
        }

        Margin = margin;
    }

    /// <summary>The margin of the loss (g of the triplet loss, m of the contrastive loss).</summary>
    public float Margin { get; }

    /// <summary>The batch's distance matrix, rows × rows, valid after <see cref="Distances"/>.</summary>
    private protected float[] DistanceMatrix { get; private set; } = [];

    /// <summary>Scratch rows for the per-row gradients: three of the embedding's size.</summary>
    private protected float[] RowGradients { get; private set; } = [];

    /// <inheritdoc/>
    internal override void Validate(ImageDataset data, TensorShape output, int head, int maxBatch)
    {
        if (data.Labels is null)
        {
            throw new ArgumentException($"Head {head} learns a metric from classes, but the data has no labels.", nameof(data));
        }

        if (_pairwise is null || _pairwise.MaxRows < maxBatch || _pairwise.Dimension != output.Size)
        {
            _pairwise = new PairwiseDistances(maxBatch, output.Size);
            DistanceMatrix = new float[maxBatch * maxBatch];
            RowGradients = new float[3 * output.Size];
            Allocate(maxBatch);
        }
    }

    /// <summary>Allocates the miner's output for batches of up to <paramref name="maxBatch"/>.</summary>
    private protected abstract void Allocate(int maxBatch);

    /// <summary>Computes the distances between the batch's embeddings into <see cref="DistanceMatrix"/>.</summary>
    private protected ReadOnlySpan<float> Distances(ReadOnlySpan<float> embeddings, int batch)
    {
        var distances = DistanceMatrix.AsSpan(0, batch * batch);
        _pairwise!.Compute(embeddings, batch, distances);
        return distances;
    }

    /// <summary>Adds <paramref name="source"/> to row <paramref name="row"/> of <paramref name="gradient"/>.</summary>
    private protected static void AddRow(Span<float> gradient, int row, ReadOnlySpan<float> source)
    {
        var target = gradient.Slice(row * source.Length, source.Length);
        TensorPrimitives.Add(target, source, target);
    }

    /// <summary>Scales the summed gradient to ∂(weight · mean)/∂output and returns the mean.</summary>
    private protected float Finish(double sum, int count, Span<float> gradient)
    {
        if (count == 0)
        {
            return 0;
        }

        TensorPrimitives.Multiply(gradient, (float)(Weight / count), gradient);
        return (float)(sum / count);
    }

    /// <inheritdoc/>
    internal override double Score(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets) => 0;

    /// <inheritdoc/>
    internal override HeadScore Summarize(double score, ImageDataset data) => new(double.NaN, double.NaN);
}

/// <summary>
/// The triplet loss of the notes, max(0, g + D(a, p) − D(a, n)) with D the Euclidean distance
/// (<see cref="Losses.TripletMargin(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, float)"/>, PyTorch's <c>TripletMarginLoss</c>), averaged over the triplets a
/// <see cref="TripletMining"/> picks from each batch. Train it on <see cref="ClassBalancedSampler"/> batches.
/// </summary>
/// <param name="mining">How triplets are picked (batch-hard by default).</param>
/// <param name="margin">The margin g (0.2 by default: distances between unit embeddings lie in [0, 2]).</param>
/// <param name="weight">The weight of the loss.</param>
public sealed class TripletTask(TripletMining mining = TripletMining.BatchHard, float margin = 0.2f, double weight = 1) : MetricTask(margin, weight)
{
    private Triplet[] _triplets = [];

    /// <summary>How triplets are picked.</summary>
    public TripletMining Mining { get; } = Enum.IsDefined(mining) ? mining : throw new ArgumentOutOfRangeException(nameof(mining), mining, "Not a TripletMining.");

    /// <inheritdoc/>
    private protected override void Allocate(int maxBatch) =>
        _triplets = new Triplet[Mining == TripletMining.SemiHard ? maxBatch * (maxBatch - 1) : maxBatch];

    /// <inheritdoc/>
    internal override float Loss(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient, ulong draw)
    {
        int dimension = output.Length / batch;
        labels = labels[..batch];
        int count = Mining switch
        {
            TripletMining.BatchHard => Miners.BatchHard(Distances(output, batch), labels, _triplets),
            TripletMining.SemiHard => Miners.SemiHard(Distances(output, batch), labels, _triplets),
            _ => Miners.RandomTriplets(labels, draw, _triplets),
        };

        gradient.Clear();
        var rows = RowGradients.AsSpan(0, 3 * dimension);
        Span<float> da = rows[..dimension], dp = rows.Slice(dimension, dimension), dn = rows.Slice(2 * dimension, dimension);
        double sum = 0;
        foreach (var (a, p, n) in _triplets.AsSpan(0, count))
        {
            sum += Losses.TripletMarginGradient(output.Slice(a * dimension, dimension), output.Slice(p * dimension, dimension),
                output.Slice(n * dimension, dimension), Margin, da, dp, dn);
            AddRow(gradient, a, da);
            AddRow(gradient, p, dp);
            AddRow(gradient, n, dn);
        }

        return Finish(sum, count, gradient);
    }
}

/// <summary>
/// The contrastive (Siamese) loss of the notes, (1 − Y)·½D² + Y·½·max(0, m − D)² (<see cref="Losses.Contrastive(ReadOnlySpan{float}, ReadOnlySpan{float}, float, float)"/>),
/// averaged over the pairs a <see cref="PairMining"/> picks from each batch.
/// </summary>
/// <param name="mining">How pairs are picked (hard pairs by default).</param>
/// <param name="margin">The margin m (0.5 by default).</param>
/// <param name="weight">The weight of the loss.</param>
public sealed class ContrastiveTask(PairMining mining = PairMining.Hard, float margin = 0.5f, double weight = 1) : MetricTask(margin, weight)
{
    private LabeledPair[] _pairs = [];

    /// <summary>How pairs are picked.</summary>
    public PairMining Mining { get; } = Enum.IsDefined(mining) ? mining : throw new ArgumentOutOfRangeException(nameof(mining), mining, "Not a PairMining.");

    /// <inheritdoc/>
    private protected override void Allocate(int maxBatch) => _pairs = new LabeledPair[2 * maxBatch];

    /// <inheritdoc/>
    internal override float Loss(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient, ulong draw)
    {
        int dimension = output.Length / batch;
        labels = labels[..batch];
        int count = Mining == PairMining.Hard
            ? Miners.HardPairs(Distances(output, batch), labels, _pairs)
            : Miners.RandomPairs(labels, draw, _pairs);

        gradient.Clear();
        var rows = RowGradients.AsSpan(0, 2 * dimension);
        Span<float> da = rows[..dimension], db = rows.Slice(dimension, dimension);
        double sum = 0;
        foreach (var (first, second, similar) in _pairs.AsSpan(0, count))
        {
            sum += Losses.ContrastiveGradient(output.Slice(first * dimension, dimension), output.Slice(second * dimension, dimension),
                similar ? 0f : 1f, Margin, da, db);
            AddRow(gradient, first, da);
            AddRow(gradient, second, db);
        }

        return Finish(sum, count, gradient);
    }
}

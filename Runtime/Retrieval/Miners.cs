using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoDiff.Layers;

namespace AutoDiff.Retrieval;

/// <summary>A triplet of rows of a batch: an anchor, a positive of its class, a negative of another class.</summary>
/// <param name="Anchor">The anchor's row.</param>
/// <param name="Positive">The positive's row.</param>
/// <param name="Negative">The negative's row.</param>
public readonly record struct Triplet(int Anchor, int Positive, int Negative);

/// <summary>A pair of rows of a batch for the contrastive loss, labelled similar (same class) or not.</summary>
/// <param name="First">The first row.</param>
/// <param name="Second">The second row.</param>
/// <param name="Similar">Whether both rows have the same class (the notes' Y = 0), else Y = 1.</param>
public readonly record struct LabeledPair(int First, int Second, bool Similar);

/// <summary>How a triplet loss chooses its triplets from a batch.</summary>
public enum TripletMining
{
    /// <summary>For each anchor, a random positive and a random negative (<see cref="Miners.RandomTriplets"/>).</summary>
    Random,

    /// <summary>For each anchor, its hardest positive and hardest negative (<see cref="Miners.BatchHard"/>).</summary>
    BatchHard,

    /// <summary>For each anchor–positive pair, the closest negative farther than the positive (<see cref="Miners.SemiHard"/>).</summary>
    SemiHard,
}

/// <summary>How a contrastive loss chooses its pairs from a batch.</summary>
public enum PairMining
{
    /// <summary>For each anchor, a random similar and a random dissimilar pair (<see cref="Miners.RandomPairs"/>).</summary>
    Random,

    /// <summary>For each anchor, its farthest similar and its closest dissimilar pair (<see cref="Miners.HardPairs"/>).</summary>
    Hard,
}

/// <summary>
/// Miners: they pick the triplets or pairs a metric loss trains on from a batch's labels and its matrix of
/// distances (<see cref="PairwiseDistances"/>). Each writes into a caller's span and returns how many it
/// wrote; none allocates. The scans over a row compare labels and select distances a vector at a time.
/// </summary>
/// <remarks>
/// Ties go to the lowest index. An anchor with no positive or no negative in the batch yields nothing.
/// Every miner writes at most one triplet (or two pairs) per anchor, except <see cref="SemiHard"/>, which
/// writes one per anchor–positive pair: at most rows × (rows − 1).
/// </remarks>
public static class Miners
{
    /// <summary>
    /// Batch-hard mining (Hermans, Beyer and Leibe, "In Defense of the Triplet Loss", 2017): for each anchor
    /// a, the positive p that is farthest from it and the negative n that is closest: the triplet that
    /// violates the margin most.
    /// </summary>
    /// <param name="distances">rows × rows distances.</param>
    /// <param name="labels">The class of each row (rows values).</param>
    /// <param name="triplets">Receives up to rows triplets.</param>
    /// <returns>The number of triplets written.</returns>
    public static int BatchHard(ReadOnlySpan<float> distances, ReadOnlySpan<int> labels, Span<Triplet> triplets)
    {
        int rows = Check(distances, labels, triplets.Length, labels.Length, nameof(triplets)), count = 0;
        for (int a = 0; a < rows; a++)
        {
            var row = distances.Slice(a * rows, rows);
            int positive = Extreme(row, labels, labels[a], a, sameClass: true, farthest: true);
            int negative = Extreme(row, labels, labels[a], a, sameClass: false, farthest: false);
            if (positive >= 0 && negative >= 0)
            {
                triplets[count++] = new Triplet(a, positive, negative);
            }
        }

        return count;
    }

    /// <summary>
    /// Semi-hard mining (Schroff, Kalenichenko and Philbin, FaceNet, 2015): for each anchor a and each
    /// positive p, the closest negative n with D(a, n) &gt; D(a, p) — farther than the positive, so the
    /// loss max(0, g + D(a, p) − D(a, n)) is below g, yet inside the margin when one is that close. When no
    /// negative is farther than the positive, the farthest negative (as TensorFlow's
    /// <c>triplet_semihard_loss</c>).
    /// </summary>
    /// <param name="distances">rows × rows distances.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="triplets">Receives up to rows × (rows − 1) triplets.</param>
    /// <returns>The number of triplets written.</returns>
    public static int SemiHard(ReadOnlySpan<float> distances, ReadOnlySpan<int> labels, Span<Triplet> triplets)
    {
        int rows = Check(distances, labels, triplets.Length, labels.Length * (labels.Length - 1), nameof(triplets)), count = 0;
        for (int a = 0; a < rows; a++)
        {
            var row = distances.Slice(a * rows, rows);
            int farthestNegative = Extreme(row, labels, labels[a], a, sameClass: false, farthest: true);
            if (farthestNegative < 0)
            {
                continue;
            }

            for (int p = 0; p < rows; p++)
            {
                if (p == a || labels[p] != labels[a])
                {
                    continue;
                }

                int negative = Extreme(row, labels, labels[a], a, sameClass: false, farthest: false, above: row[p]);
                triplets[count++] = new Triplet(a, p, negative >= 0 ? negative : farthestNegative);
            }
        }

        return count;
    }

    /// <summary>For each anchor, a positive and a negative drawn uniformly from the batch (the baseline mining buys over).</summary>
    /// <param name="labels">The class of each row.</param>
    /// <param name="seed">The draw: the same seed and labels give the same triplets.</param>
    /// <param name="triplets">Receives up to rows triplets.</param>
    /// <returns>The number of triplets written.</returns>
    public static int RandomTriplets(ReadOnlySpan<int> labels, ulong seed, Span<Triplet> triplets)
    {
        int rows = labels.Length, count = 0;
        Capacity(triplets.Length, rows, nameof(triplets));
        for (int a = 0; a < rows; a++)
        {
            int positive = Draw(labels, a, sameClass: true, SeededRandom.Hash(seed, (ulong)a * 2));
            int negative = Draw(labels, a, sameClass: false, SeededRandom.Hash(seed, ((ulong)a * 2) + 1));
            if (positive >= 0 && negative >= 0)
            {
                triplets[count++] = new Triplet(a, positive, negative);
            }
        }

        return count;
    }

    /// <summary>
    /// Hard pairs for the contrastive loss: for each anchor, the similar row farthest from it and the
    /// dissimilar row closest to it — the pairs whose loss is largest.
    /// </summary>
    /// <param name="distances">rows × rows distances.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="pairs">Receives up to 2 × rows pairs.</param>
    /// <returns>The number of pairs written.</returns>
    public static int HardPairs(ReadOnlySpan<float> distances, ReadOnlySpan<int> labels, Span<LabeledPair> pairs)
    {
        int rows = Check(distances, labels, pairs.Length, 2 * labels.Length, nameof(pairs)), count = 0;
        for (int a = 0; a < rows; a++)
        {
            var row = distances.Slice(a * rows, rows);
            int positive = Extreme(row, labels, labels[a], a, sameClass: true, farthest: true);
            int negative = Extreme(row, labels, labels[a], a, sameClass: false, farthest: false);
            if (positive >= 0)
            {
                pairs[count++] = new LabeledPair(a, positive, true);
            }

            if (negative >= 0)
            {
                pairs[count++] = new LabeledPair(a, negative, false);
            }
        }

        return count;
    }

    /// <summary>For each anchor, a similar and a dissimilar row drawn uniformly (balanced random pairs).</summary>
    /// <param name="labels">The class of each row.</param>
    /// <param name="seed">The draw.</param>
    /// <param name="pairs">Receives up to 2 × rows pairs.</param>
    /// <returns>The number of pairs written.</returns>
    public static int RandomPairs(ReadOnlySpan<int> labels, ulong seed, Span<LabeledPair> pairs)
    {
        int rows = labels.Length, count = 0;
        Capacity(pairs.Length, 2 * rows, nameof(pairs));
        for (int a = 0; a < rows; a++)
        {
            int positive = Draw(labels, a, sameClass: true, SeededRandom.Hash(seed, (ulong)a * 2));
            int negative = Draw(labels, a, sameClass: false, SeededRandom.Hash(seed, ((ulong)a * 2) + 1));
            if (positive >= 0)
            {
                pairs[count++] = new LabeledPair(a, positive, true);
            }

            if (negative >= 0)
            {
                pairs[count++] = new LabeledPair(a, negative, false);
            }
        }

        return count;
    }

    private static int Check(ReadOnlySpan<float> distances, ReadOnlySpan<int> labels, int capacity, int needed, string output)
    {
        int rows = labels.Length;
        if (distances.Length != rows * rows)
        {
            throw new ArgumentException($"distances holds {distances.Length} values; {rows} labels need a {rows} × {rows} matrix.", nameof(distances));
        }

        Capacity(capacity, needed, output);
        return rows;
    }

    private static void Capacity(int capacity, int needed, string name)
    {
        if (capacity < needed)
        {
            throw new ArgumentException($"{name} holds {capacity} entries; this batch may need {needed}.", name);
        }
    }

    // The index of the largest (farthest) or smallest distance among the rows of the anchor's class (sameClass,
    // the anchor excluded) or of the other classes, counting only distances above `above`; −1 when there is
    // none. One vector pass keeps each lane's extreme and its first index; the lanes are then reduced, ties
    // going to the lower index. A NaN distance never compares, so it is never chosen.
    private static int Extreme(ReadOnlySpan<float> row, ReadOnlySpan<int> labels, int label, int anchor, bool sameClass, bool farthest,
        float above = float.NegativeInfinity)
    {
        var target = new Vector<int>(label);
        var self = new Vector<int>(anchor);
        var floor = new Vector<float>(above);
        var index = Iota();
        var step = new Vector<int>(Vector<int>.Count);
        var best = new Vector<float>(farthest ? float.NegativeInfinity : float.PositiveInfinity);
        var bestIndex = new Vector<int>(-1);
        ref float d = ref MemoryMarshal.GetReference(row);
        ref int l = ref MemoryMarshal.GetReference(labels);
        int n = row.Length, j = 0;
        for (; j <= n - Vector<float>.Count; j += Vector<float>.Count, index += step)
        {
            var values = Vector.LoadUnsafe(ref d, (nuint)j);
            var members = Members(Vector.LoadUnsafe(ref l, (nuint)j), target, index, self, sameClass) & Vector.GreaterThan(values, floor);
            var better = members & (farthest ? Vector.GreaterThan(values, best) : Vector.LessThan(values, best));
            best = Vector.ConditionalSelect(better, values, best);
            bestIndex = Vector.ConditionalSelect(better, index, bestIndex);
        }

        int found = -1;
        float extreme = farthest ? float.NegativeInfinity : float.PositiveInfinity;
        for (int lane = 0; lane < Vector<int>.Count; lane++)
        {
            int i = bestIndex[lane];
            if (i >= 0 && ((farthest ? best[lane] > extreme : best[lane] < extreme) || (best[lane] == extreme && i < found)))
            {
                (found, extreme) = (i, best[lane]);
            }
        }

        for (; j < n; j++)
        {
            if (labels[j] == label == sameClass && j != anchor && row[j] > above && (farthest ? row[j] > extreme : row[j] < extreme))
            {
                (found, extreme) = (j, row[j]);
            }
        }

        if (found < 0 && !float.IsFinite(above))
        {
            // Only members at ±∞ (or none): the first member, if any.
            for (int k = 0; k < n; k++)
            {
                if (labels[k] == label == sameClass && k != anchor && !float.IsNaN(row[k]))
                {
                    return k;
                }
            }
        }

        return found;
    }

    private static int Draw(ReadOnlySpan<int> labels, int anchor, bool sameClass, ulong draw)
    {
        int members = 0;
        for (int k = 0; k < labels.Length; k++)
        {
            members += labels[k] == labels[anchor] == sameClass && k != anchor ? 1 : 0;
        }

        if (members == 0)
        {
            return -1;
        }

        int chosen = (int)((draw >> 33) * (ulong)members >> 31);
        for (int k = 0; k < labels.Length; k++)
        {
            if (labels[k] == labels[anchor] == sameClass && k != anchor && chosen-- == 0)
            {
                return k;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Members(Vector<int> labels, Vector<int> target, Vector<int> index, Vector<int> self, bool sameClass)
    {
        var same = Vector.Equals(labels, target);
        return sameClass ? Vector.AndNot(same, Vector.Equals(index, self)) : ~same;
    }

    private static Vector<int> Iota()
    {
        Span<int> values = stackalloc int[Vector<int>.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        return new Vector<int>(values);
    }
}

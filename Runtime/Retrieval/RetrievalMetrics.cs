using AutoDiff.Layers;

namespace AutoDiff.Retrieval;

/// <summary>How well a set of embeddings retrieves its own classes, each item a query against all the others.</summary>
/// <param name="RecallAt1">The fraction of queries whose most similar other item has the query's class.</param>
/// <param name="RecallAt5">The fraction of queries with an item of their class among the 5 most similar.</param>
/// <param name="MeanAveragePrecision">
/// The mean over queries of the average precision (1/R)·Σ_{r: item r relevant} precision@r, R the number of
/// other items of the query's class: 1 when every item of the class ranks above every other item.
/// </param>
/// <param name="Queries">The queries counted: the items with at least one other item of their class.</param>
public sealed record RetrievalMetrics(double RecallAt1, double RecallAt5, double MeanAveragePrecision, int Queries)
{
    /// <summary>
    /// Ranks, for each item, every other item by cosine similarity (ties by the lower index) and scores the
    /// ranking against the labels. The similarities come a block of queries at a time from one product
    /// with the normalised, transposed gallery; each ranking is a sort, split over <see cref="Threading.KernelPool.MaxDegreeOfParallelism"/> threads.
    /// </summary>
    /// <param name="embeddings">count × dimension values.</param>
    /// <param name="labels">The class of each item (count values).</param>
    /// <param name="dimension">Values per embedding.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static RetrievalMetrics Evaluate(ReadOnlySpan<float> embeddings, ReadOnlySpan<int> labels, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        int count = labels.Length;
        if (embeddings.Length != (long)count * dimension)
        {
            throw new ArgumentException($"embeddings holds {embeddings.Length} values; {count} labels of dimension {dimension} need {count * dimension}.", nameof(embeddings));
        }

        if (count < 2)
        {
            throw new ArgumentException("Retrieval needs at least two items.", nameof(labels));
        }

        // Unit rows Q (count × d) and the gallery Qᵀ (d × count): a block of similarities is Q_block · Qᵀ.
        var unit = new float[count * dimension];
        var transposed = new float[count * dimension];
        EmbeddingIndex.Normalize(embeddings, count, dimension, unit, transposed);

        var classes = labels.ToArray();
        const int Block = 64;
        var perQuery = new (double Recall1, double Recall5, double AveragePrecision, bool Counted)[count];
        int blocks = (count + Block - 1) / Block;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Threading.KernelPool.MaxDegreeOfParallelism };
        Parallel.For(0, blocks, parallel, () => (new float[Block * count], new ulong[count - 1], new GemmWorkspace<float>(Block, count, dimension, transposeB: false)), (b, _, buffers) =>
        {
            var (similarities, keys, workspace) = buffers;
            int first = b * Block, rows = Math.Min(Block, count - first);
            Gemm.Multiply(rows, count, dimension, unit.AsSpan(first * dimension), dimension, false, transposed, count, false, similarities, count, false, workspace);
            for (int r = 0; r < rows; r++)
            {
                perQuery[first + r] = Score(similarities.AsSpan(r * count, count), classes, first + r, keys);
            }

            return buffers;
        }, _ => { });

        double recall1 = 0, recall5 = 0, map = 0;
        int queries = 0;
        foreach (var q in perQuery)
        {
            if (q.Counted)
            {
                (recall1, recall5, map, queries) = (recall1 + q.Recall1, recall5 + q.Recall5, map + q.AveragePrecision, queries + 1);
            }
        }

        return queries == 0
            ? new RetrievalMetrics(double.NaN, double.NaN, double.NaN, 0)
            : new RetrievalMetrics(recall1 / queries, recall5 / queries, map / queries, queries);
    }

    /// <summary>
    /// The notes' two wishes of a feature space, measured: how compact each class is — the mean cosine
    /// similarity of two distinct items of one class — and how far apart the classes are — the mean cosine
    /// similarity of two items of different classes. From sums of unit vectors in O(count · dimension):
    /// Σ_{i≠j in a set} uᵢ·uⱼ = ‖Σ uᵢ‖² − Σ ‖uᵢ‖² (a zero vector stays zero).
    /// </summary>
    /// <param name="embeddings">count × dimension values.</param>
    /// <param name="labels">The class of each item, from 0.</param>
    /// <param name="dimension">Values per embedding.</param>
    /// <returns>The mean same-class and other-class cosine similarities (NaN where there is no such pair).</returns>
    public static (double SameClass, double OtherClass) ClassSimilarities(ReadOnlySpan<float> embeddings, ReadOnlySpan<int> labels, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        int count = labels.Length;
        if (embeddings.Length != (long)count * dimension)
        {
            throw new ArgumentException($"embeddings holds {embeddings.Length} values; {count} labels of dimension {dimension} need {count * dimension}.", nameof(embeddings));
        }

        int classes = 0;
        foreach (int label in labels)
        {
            classes = label >= 0 ? Math.Max(classes, label + 1) : throw new ArgumentException($"A label is {label}; classes count from 0.", nameof(labels));
        }

        var sums = new double[(classes + 1) * dimension]; // one sum per class, then all items
        var sizes = new long[classes];
        var selves = new double[classes + 1]; // Σ ‖uᵢ‖² per class, then all: 1 per item, 0 for a zero vector
        for (int i = 0; i < count; i++)
        {
            var row = embeddings.Slice(i * dimension, dimension);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
            double scale = 1 / Math.Max(norm, 1e-12f);
            int label = labels[i];
            sizes[label]++;
            double self = norm * scale * (norm * scale);
            selves[label] += self;
            selves[classes] += self;
            for (int d = 0; d < dimension; d++)
            {
                sums[(label * dimension) + d] += row[d] * scale;
                sums[(classes * dimension) + d] += row[d] * scale;
            }
        }

        double SquaredNorm(int set) => System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(sums.AsSpan(set * dimension, dimension));
        double same = 0, samePairs = 0;
        for (int c = 0; c < classes; c++)
        {
            same += SquaredNorm(c) - selves[c];
            samePairs += (double)sizes[c] * (sizes[c] - 1);
        }

        double all = SquaredNorm(classes) - selves[classes], allPairs = (double)count * (count - 1);
        return (samePairs > 0 ? same / samePairs : double.NaN, allPairs > samePairs ? (all - same) / (allPairs - samePairs) : double.NaN);
    }

    // Ranks the other items by a key that sorts by descending similarity, then ascending index.
    private static (double, double, double, bool) Score(ReadOnlySpan<float> similarities, int[] labels, int query, ulong[] keys)
    {
        int n = 0;
        for (int i = 0; i < similarities.Length; i++)
        {
            if (i != query)
            {
                keys[n++] = ((ulong)~Ordered(similarities[i]) << 32) | (uint)i;
            }
        }

        Array.Sort(keys, 0, n);
        int label = labels[query], relevant = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            relevant += i != query && labels[i] == label ? 1 : 0;
        }

        if (relevant == 0)
        {
            return (0, 0, 0, false);
        }

        int hits = 0, firstHit = -1;
        double precisionSum = 0;
        for (int r = 0; r < n && hits < relevant; r++)
        {
            if (labels[(int)(uint)keys[r]] == label)
            {
                hits++;
                precisionSum += hits / (double)(r + 1);
                firstHit = firstHit < 0 ? r : firstHit;
            }
        }

        return (firstHit == 0 ? 1 : 0, firstHit < 5 ? 1 : 0, precisionSum / relevant, true);
    }

    // A uint whose order is the float's order (NaN as −∞, ranked last as TopK ranks it).
    private static uint Ordered(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(float.IsNaN(value) ? float.NegativeInfinity : value + 0f); // −0 → +0
        return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
    }
}

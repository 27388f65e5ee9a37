using System.Numerics.Tensors;

namespace AutoDiff.Retrieval;

/// <summary>
/// A gallery of embeddings searched by cosine similarity. The gallery is stored unit-normalised and
/// transposed (dimension × count), so the similarities of a query to every item are <c>dimension</c>
/// vectorised multiply-adds over contiguous rows; the best k come from a <see cref="TopK"/> heap. After
/// construction, <see cref="Search"/> allocates nothing.
/// </summary>
public sealed class EmbeddingIndex
{
    private readonly float[] _transposed;
    private readonly float[] _similarities;
    private readonly float[] _query;

    /// <summary>Indexes <paramref name="count"/> embeddings of <paramref name="dimension"/> values.</summary>
    /// <param name="gallery">count × dimension values, row after row (need not be normalised).</param>
    /// <param name="count">The number of items.</param>
    /// <param name="dimension">Values per embedding.</param>
    /// <exception cref="ArgumentException">The gallery is not count × dimension.</exception>
    public EmbeddingIndex(ReadOnlySpan<float> gallery, int count, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (gallery.Length != (long)count * dimension)
        {
            throw new ArgumentException($"gallery holds {gallery.Length} values, not {count} × {dimension}.", nameof(gallery));
        }

        (Count, Dimension) = (count, dimension);
        _transposed = new float[count * dimension];
        _similarities = new float[count];
        _query = new float[dimension];
        Normalize(gallery, count, dimension, [], _transposed);
    }

    /// <summary>
    /// Scales each of <paramref name="count"/> rows to unit length (a row of norm below 1e-12 is divided by
    /// 1e-12, so a zero row stays zero) into <paramref name="unit"/> (row-major; may be empty) and
    /// <paramref name="transposed"/> (dimension × count).
    /// </summary>
    internal static void Normalize(ReadOnlySpan<float> rows, int count, int dimension, Span<float> unit, Span<float> transposed)
    {
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            float scale = 1f / MathF.Max(TensorPrimitives.Norm(row), 1e-12f);
            for (int d = 0; d < dimension; d++)
            {
                transposed[(d * count) + i] = row[d] * scale;
            }

            if (!unit.IsEmpty)
            {
                TensorPrimitives.Multiply(row, scale, unit.Slice(i * dimension, dimension));
            }
        }
    }

    /// <summary>The number of items.</summary>
    public int Count { get; }

    /// <summary>Values per embedding.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Writes the cosine similarity q·g_i / (‖q‖·‖g_i‖) of <paramref name="query"/> to every item (a zero
    /// vector is taken as having norm 1e-12, so its similarities are 0).
    /// </summary>
    /// <param name="query"><see cref="Dimension"/> values.</param>
    /// <param name="similarities">Receives <see cref="Count"/> values.</param>
    public void Similarities(ReadOnlySpan<float> query, Span<float> similarities)
    {
        if (query.Length != Dimension)
        {
            throw new ArgumentException($"The query has {query.Length} values; the gallery's embeddings have {Dimension}.", nameof(query));
        }

        if (similarities.Length < Count)
        {
            throw new ArgumentException($"similarities holds {similarities.Length} values; the gallery has {Count} items.", nameof(similarities));
        }

        var q = _query.AsSpan();
        TensorPrimitives.Divide(query, MathF.Max(TensorPrimitives.Norm(query), 1e-12f), q);
        var s = similarities[..Count];
        TensorPrimitives.Multiply(_transposed.AsSpan(0, Count), q[0], s);
        for (int d = 1; d < Dimension; d++)
        {
            TensorPrimitives.MultiplyAdd(_transposed.AsSpan(d * Count, Count), q[d], s, s);
        }
    }

    /// <summary>
    /// The items most similar to <paramref name="query"/>, best first (cosine similarity; ties by the lower
    /// index), leaving out <paramref name="exclude"/> (the query's own index when it is in the gallery).
    /// </summary>
    /// <param name="query"><see cref="Dimension"/> values.</param>
    /// <param name="results">The heap; its <see cref="TopK.K"/> is how many are returned.</param>
    /// <param name="indices">Receives the items' indices.</param>
    /// <param name="scores">Receives their similarities, or is empty.</param>
    /// <param name="exclude">An index to leave out, or −1.</param>
    /// <returns>How many were written: min(k, items).</returns>
    public int Search(ReadOnlySpan<float> query, TopK results, Span<int> indices, Span<float> scores, int exclude = -1)
    {
        ArgumentNullException.ThrowIfNull(results);
        Similarities(query, _similarities);
        results.Clear();
        for (int i = 0; i < Count; i++)
        {
            if (i != exclude)
            {
                results.Add(_similarities[i], i);
            }
        }

        return results.Drain(indices, scores);
    }
}

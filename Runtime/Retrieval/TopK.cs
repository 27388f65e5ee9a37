namespace AutoDiff.Retrieval;

/// <summary>
/// The k highest scores of a stream and their indices, kept in a min-heap allocated once: each
/// <see cref="Add"/> costs O(1) when the score does not enter the top k and O(log k) when it does, so a
/// search over n items costs O(n log k) against a sort's O(n log n), and allocates nothing.
/// </summary>
/// <remarks>
/// Order: a higher score first; equal scores by the lower index (the order of a stable sort by descending
/// score). A NaN score ranks below every number.
/// </remarks>
public sealed class TopK
{
    private readonly float[] _scores;
    private readonly int[] _indices;

    /// <summary>A heap for the <paramref name="k"/> best.</summary>
    /// <param name="k">How many to keep, at least 1.</param>
    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _scores = new float[k];
        _indices = new int[k];
    }

    /// <summary>How many the heap keeps.</summary>
    public int K => _scores.Length;

    /// <summary>How many it holds now (k once k items were added).</summary>
    public int Count { get; private set; }

    /// <summary>Empties the heap.</summary>
    public void Clear() => Count = 0;

    /// <summary>Offers item <paramref name="index"/> with <paramref name="score"/>.</summary>
    /// <param name="score">Its score (a similarity: higher is better).</param>
    /// <param name="index">Its index.</param>
    public void Add(float score, int index)
    {
        if (float.IsNaN(score))
        {
            score = float.NegativeInfinity;
        }

        if (Count < K)
        {
            // Sift up from the new leaf: the root stays the worst kept item.
            int child = Count++;
            while (child > 0)
            {
                int parent = (child - 1) / 2;
                if (!Worse(score, index, _scores[parent], _indices[parent]))
                {
                    break;
                }

                (_scores[child], _indices[child]) = (_scores[parent], _indices[parent]);
                child = parent;
            }

            (_scores[child], _indices[child]) = (score, index);
        }
        else if (Worse(_scores[0], _indices[0], score, index))
        {
            SiftDown(score, index, Count);
        }
    }

    /// <summary>Writes the kept items, best first, and returns how many.</summary>
    /// <param name="indices">Receives the indices (at least <see cref="Count"/> long).</param>
    /// <param name="scores">Receives the scores, or is empty.</param>
    /// <returns><see cref="Count"/>.</returns>
    /// <remarks>Empties the heap: it sorts in place, taking the worst out one at a time.</remarks>
    public int Drain(Span<int> indices, Span<float> scores)
    {
        int count = Count;
        if (indices.Length < count || (!scores.IsEmpty && scores.Length < count))
        {
            throw new ArgumentException($"The destination holds fewer than the {count} items kept.", nameof(indices));
        }

        for (int n = count; n > 0; n--)
        {
            indices[n - 1] = _indices[0];
            if (!scores.IsEmpty)
            {
                scores[n - 1] = _scores[0];
            }

            SiftDown(_scores[n - 1], _indices[n - 1], n - 1);
        }

        Count = 0;
        return count;
    }

    // Places (score, index) at the root of a heap of the first n entries and sifts it down.
    private void SiftDown(float score, int index, int n)
    {
        int parent = 0;
        while (true)
        {
            int child = (2 * parent) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && Worse(_scores[child + 1], _indices[child + 1], _scores[child], _indices[child]))
            {
                child++;
            }

            if (!Worse(_scores[child], _indices[child], score, index))
            {
                break;
            }

            (_scores[parent], _indices[parent]) = (_scores[child], _indices[child]);
            parent = child;
        }

        if (n > 0)
        {
            (_scores[parent], _indices[parent]) = (score, index);
        }
    }

    private static bool Worse(float score, int index, float otherScore, int otherIndex) =>
        score < otherScore || (score == otherScore && index > otherIndex);
}

using System.Numerics;
using System.Runtime.InteropServices;
using AutoDiff.Layers;

namespace AutoDiff.Retrieval;

/// <summary>
/// The Euclidean distance between every two rows of a batch of embeddings, D_ij = ‖x_i − x_j‖₂ (PyTorch's
/// <c>torch.cdist(x, x)</c>), from the Gram matrix: D_ij² = ‖x_i‖² + ‖x_j‖² − 2·x_i·x_j, clamped at 0, with an
/// exact 0 on the diagonal. The buffers are allocated once, for a largest batch; <see cref="Compute"/>
/// allocates nothing.
/// </summary>
public sealed class PairwiseDistances
{
    private readonly GemmWorkspace<float> _workspace;
    private readonly float[] _squaredNorms;

    /// <summary>Buffers for batches of up to <paramref name="maxRows"/> rows of <paramref name="dimension"/> values.</summary>
    /// <param name="maxRows">The largest batch.</param>
    /// <param name="dimension">The values per row (the embedding's dimension).</param>
    public PairwiseDistances(int maxRows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        (MaxRows, Dimension) = (maxRows, dimension);
        _workspace = new GemmWorkspace<float>(maxRows, maxRows, dimension, transposeB: true);
        _squaredNorms = new float[maxRows];
    }

    /// <summary>The largest batch.</summary>
    public int MaxRows { get; }

    /// <summary>The values per row.</summary>
    public int Dimension { get; }

    /// <summary>Writes the rows × rows matrix of distances between the rows of <paramref name="embeddings"/>.</summary>
    /// <param name="embeddings">rows × <see cref="Dimension"/> values, row after row.</param>
    /// <param name="rows">1 ≤ rows ≤ <see cref="MaxRows"/>.</param>
    /// <param name="distances">Receives rows × rows values: D_ij at [i·rows + j].</param>
    /// <param name="squared">Write D_ij² instead of D_ij.</param>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs, or rows is out of range.</exception>
    public void Compute(ReadOnlySpan<float> embeddings, int rows, Span<float> distances, bool squared = false)
    {
        if (rows < 1 || rows > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows must be between 1 and the {MaxRows} these buffers were made for.");
        }

        if (embeddings.Length < rows * Dimension)
        {
            throw new ArgumentException($"embeddings holds {embeddings.Length} values; {rows} rows of {Dimension} need {rows * Dimension}.", nameof(embeddings));
        }

        if (distances.Length < rows * rows)
        {
            throw new ArgumentException($"distances holds {distances.Length} values; {rows} rows need {rows * rows}.", nameof(distances));
        }

        // G = X·Xᵀ, then D² = n_i + n_j − 2·G_ij with n the Gram matrix's diagonal.
        Gemm.Multiply(rows, rows, Dimension, embeddings, Dimension, false, embeddings, Dimension, true, distances, rows, false, _workspace);
        var norms = _squaredNorms.AsSpan(0, rows);
        for (int i = 0; i < rows; i++)
        {
            norms[i] = distances[(i * rows) + i];
        }

        for (int i = 0; i < rows; i++)
        {
            var row = distances.Slice(i * rows, rows);
            if (squared)
            {
                FromGram<Squared>(row, norms, norms[i]);
            }
            else
            {
                FromGram<Root>(row, norms, norms[i]);
            }

            row[i] = 0;
        }
    }

    // row_j ← f(max(0, n_i + n_j − 2·row_j)) in one pass, f = √ or the identity.
    private static void FromGram<TFinish>(Span<float> row, ReadOnlySpan<float> norms, float normI)
        where TFinish : struct, IFinish
    {
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float n = ref MemoryMarshal.GetReference(norms);
        var ni = new Vector<float>(normI);
        var minusTwo = new Vector<float>(-2f);
        int j = 0;
        for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count)
        {
            var squared = Vector.Max(Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref r, (nuint)j), minusTwo, Vector.LoadUnsafe(ref n, (nuint)j) + ni), Vector<float>.Zero);
            TFinish.Apply(squared).StoreUnsafe(ref r, (nuint)j);
        }

        for (; j < row.Length; j++)
        {
            row[j] = TFinish.Apply(MathF.Max(MathF.FusedMultiplyAdd(row[j], -2f, norms[j] + normI), 0f));
        }
    }

    private interface IFinish
    {
        static abstract Vector<float> Apply(Vector<float> squared);

        static abstract float Apply(float squared);
    }

    private readonly struct Squared : IFinish
    {
        public static Vector<float> Apply(Vector<float> squared) => squared;

        public static float Apply(float squared) => squared;
    }

    private readonly struct Root : IFinish
    {
        public static Vector<float> Apply(Vector<float> squared) => Vector.SquareRoot(squared);

        public static float Apply(float squared) => MathF.Sqrt(squared);
    }
}

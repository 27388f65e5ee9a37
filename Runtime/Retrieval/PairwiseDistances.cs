using System.Numerics.Tensors;
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
            TensorPrimitives.MultiplyAdd(row, -2f, norms, row);
            TensorPrimitives.Add(row, norms[i], row);
            TensorPrimitives.Max(row, 0f, row);
            if (!squared)
            {
                TensorPrimitives.Sqrt(row, row);
            }

            row[i] = 0;
        }
    }
}

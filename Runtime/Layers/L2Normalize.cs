using System.Numerics;
using System.Numerics.Tensors;

namespace AutoDiff.Layers;

/// <summary>
/// Scales each sample to unit length: y = x / max(‖x‖₂, ε), ε = 1e-12 (PyTorch's <c>F.normalize</c>). The
/// head of an embedding network: distances between outputs then lie in [0, 2] and the cosine similarity of
/// two outputs is their dot product.
/// </summary>
/// <remarks>
/// Backward: ∂L/∂x = (∂L/∂y − y·(y·∂L/∂y)) / ‖x‖ — the upstream gradient without its component along y,
/// divided by the norm (and ∂L/∂y / ε when ‖x‖ ≤ ε, where the map is x / ε).
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class L2Normalize<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Epsilon = T.CreateChecked(1e-12);

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random) => input;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        int size = InputShape.Size;
        for (int s = 0; s < batch; s++)
        {
            var x = input.Slice(s * size, size);
            TensorPrimitives.Divide(x, T.Max(TensorPrimitives.Norm(x), Epsilon), output.Slice(s * size, size));
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int size = InputShape.Size;
        for (int s = 0; s < batch; s++)
        {
            var x = input.Slice(s * size, size);
            var y = output.Slice(s * size, size);
            var dy = outputGradient.Slice(s * size, size);
            var dx = inputGradient.Slice(s * size, size);
            T norm = TensorPrimitives.Norm(x);
            if (norm > Epsilon)
            {
                // dx = (dy − y·(y·dy)) / ‖x‖
                TensorPrimitives.MultiplyAdd(y, -TensorPrimitives.Dot(y, dy), dy, dx);
                TensorPrimitives.Divide(dx, norm, dx);
            }
            else
            {
                TensorPrimitives.Divide(dy, Epsilon, dx);
            }
        }
    }
}

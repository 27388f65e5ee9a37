using System.Numerics;

namespace AutoDiff.Layers;

/// <summary>Takes each sample C × H × W as the vector of its C·H·W values (row-major, as PyTorch's <c>Flatten</c>).</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Flatten<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random) => TensorShape.Vector(input.Size);

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        input[..(batch * InputShape.Size)].CopyTo(output);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (!inputGradient.IsEmpty)
        {
            outputGradient[..(batch * InputShape.Size)].CopyTo(inputGradient);
        }
    }
}

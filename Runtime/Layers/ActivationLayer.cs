using System.Numerics;

namespace AutoDiff.Layers;

/// <summary>
/// An elementwise activation y = f(x) over the operator struct the generator emits for a
/// <see cref="DifferentiableAttribute"/> function (<c>ReluOperator</c>, <c>TanhOperator</c>,
/// <c>new LeakyReluOperator(0.01f)</c>): the JIT specialises the layer for the operator, so the forward
/// and backward passes are the generated span kernels with no virtual call.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TOp">The generated operator.</typeparam>
/// <param name="op">The operator, with its constants (a slope, an α).</param>
public sealed class ActivationLayer<T, TOp>(TOp op = default) : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IActivation<T>
{
    /// <summary>The operator.</summary>
    public TOp Operator { get; } = op;

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random) => input;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        int count = batch * InputShape.Size;
        Operator.Forward(input[..count], output[..count]);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (!inputGradient.IsEmpty)
        {
            int count = batch * InputShape.Size;
            Operator.Backward(input[..count], outputGradient[..count], inputGradient[..count]);
        }
    }
}

namespace AutoDiff;

/// <summary>
/// An elementwise activation y = f(x), as the struct the generator emits next to a
/// <see cref="DifferentiableAttribute"/> method of one differentiable parameter (<c>ReluOperator</c> for
/// <c>Relu</c>). Generic code constrained to a struct of this interface (<c>ActivationLayer&lt;TOp&gt;</c>)
/// is specialised by the JIT for each operator: no virtual call, no delegate — the operator-struct
/// pattern of <c>System.Numerics.Tensors.TensorPrimitives</c>. A struct holds the method's
/// <see cref="ConstantAttribute"/> parameters (a slope, an α) as fields.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IActivation<T>
    where T : struct
{
    /// <summary>f(x) of one value.</summary>
    /// <param name="x">The input.</param>
    T Value(T x);

    /// <summary>destinationᵢ = f(xᵢ); in place allowed.</summary>
    /// <param name="x">The inputs.</param>
    /// <param name="destination">The outputs, as long as <paramref name="x"/>.</param>
    void Forward(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>dXᵢ = upstreamᵢ · f′(xᵢ): the vector-Jacobian product.</summary>
    /// <param name="x">The inputs of the forward pass.</param>
    /// <param name="upstream">∂L/∂y.</param>
    /// <param name="dX">Receives ∂L/∂x.</param>
    void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> upstream, Span<T> dX);
}

/// <summary>
/// An elementwise loss ℓ(target, prediction), as the struct the generator emits next to a
/// <see cref="DifferentiableAttribute"/> method of a <see cref="NoDiffAttribute"/> target and a
/// differentiable prediction (<c>HuberOperator</c> for <c>Huber</c>); see <see cref="IActivation{T}"/>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILoss<T>
    where T : struct
{
    /// <summary>(1/N)·Σᵢ ℓ(targetᵢ, predictionᵢ), and its gradient, in one pass.</summary>
    /// <param name="target">The targets.</param>
    /// <param name="prediction">The predictions.</param>
    /// <param name="dPrediction">Receives ∂mean/∂predictionᵢ.</param>
    T Mean(ReadOnlySpan<T> target, ReadOnlySpan<T> prediction, Span<T> dPrediction);

    /// <summary>Σᵢ ℓ(targetᵢ, predictionᵢ), and its gradient, in one pass.</summary>
    /// <param name="target">The targets.</param>
    /// <param name="prediction">The predictions.</param>
    /// <param name="dPrediction">Receives ∂sum/∂predictionᵢ.</param>
    T Sum(ReadOnlySpan<T> target, ReadOnlySpan<T> prediction, Span<T> dPrediction);

    /// <summary>destinationᵢ = ℓ(targetᵢ, predictionᵢ) (the reduction PyTorch calls 'none').</summary>
    /// <param name="target">The targets.</param>
    /// <param name="prediction">The predictions.</param>
    /// <param name="destination">Receives one loss per element.</param>
    void Forward(ReadOnlySpan<T> target, ReadOnlySpan<T> prediction, Span<T> destination);
}

/// <summary>
/// A loss of a row of scores and one class index per row (a cross-entropy, a multi-class hinge), as the
/// struct the generator emits next to a <see cref="DifferentiableAttribute"/> method of a differentiable
/// span and an <see cref="int"/> label; see <see cref="IActivation{T}"/>.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IClassificationLoss<T>
    where T : struct
{
    /// <summary>The mean of the loss over the rows of a batch, and its gradient.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="scores">rows × classes scores (logits), row after row.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="dScores">Receives ∂mean/∂scores.</param>
    T Mean(int rows, ReadOnlySpan<T> scores, ReadOnlySpan<int> labels, Span<T> dScores);

    /// <summary>The sum of the loss over the rows of a batch, and its gradient.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="scores">rows × classes scores (logits), row after row.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="dScores">Receives ∂sum/∂scores.</param>
    T Sum(int rows, ReadOnlySpan<T> scores, ReadOnlySpan<int> labels, Span<T> dScores);

    /// <summary>The loss of each row (the reduction PyTorch calls 'none').</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="scores">rows × classes scores (logits), row after row.</param>
    /// <param name="labels">The class of each row.</param>
    /// <param name="destination">Receives one loss per row.</param>
    void Forward(int rows, ReadOnlySpan<T> scores, ReadOnlySpan<int> labels, Span<T> destination);
}

namespace AutoDiff;

/// <summary>
/// The activations of the course notes and PyTorch's <c>torch.nn</c>, each written as scalar C# marked
/// <see cref="DifferentiableAttribute"/>: what ships is the generated code — for <c>Relu</c>, the span
/// kernels <c>Relu(x, destination)</c> and <c>ReluBackward(x, upstream, dX)</c>, the lanes, the scalar
/// <c>ReluGradient</c>, and the operator struct <c>ReluOperator</c> for <c>ActivationLayer&lt;TOp&gt;</c>.
/// Kinks follow PyTorch: the derivative at a kink is that of the branch the source takes there
/// (relu′(0) = 0, leaky_relu′(0) = slope, elu′(0) = α).
/// </summary>
public static partial class Activations
{
    /// <summary>SELU's scale λ (Klambauer et al., 2017), as in PyTorch.</summary>
    public const float SeluScale = 1.0507009873554804934193349852946f;

    /// <summary>SELU's α, as in PyTorch.</summary>
    public const float SeluAlpha = 1.6732632423543772848170429916717f;

    private const float InverseSqrt2 = 0.70710678118654752440f;
    private const float Sqrt2OverPi = 0.79788456080286535588f;

    /// <summary>σ(x) = 1/(1 + e⁻ˣ), computed without overflow for any x. σ′ = σ(1 − σ).</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Sigmoid(float x) => AD.Sigmoid(x);

    /// <summary>tanh x. tanh′ = 1 − tanh².</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|): exact for large |x|, no overflow. softplus′ = σ.</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Softplus(float x) => AD.Softplus(x);

    /// <summary>
    /// softminus(x) = x − softplus(x) (the notes' sibling of softplus), computed as −softplus(−x), which is
    /// the same number without the cancellation of x − softplus(x) for large x. softminus′ = 1 − σ(x) = σ(−x).
    /// </summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Softminus(float x) => -AD.Softplus(-x);

    /// <summary>relu(x) = max(0, x); relu′(0) = 0 as in PyTorch (max gives a tie to its first argument), and relu(NaN) = NaN.</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Relu(float x) => MathF.Max(0f, x);

    /// <summary>leaky_relu(x) = x for x &gt; 0, else slope·x (PyTorch's default slope is 0.01).</summary>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    [Differentiable]
    public static float LeakyRelu(float x, [Constant] float negativeSlope) => x > 0f ? x : negativeSlope * x;

    /// <summary>prelu(x, a) = x for x &gt; 0, else a·x, with a learnable slope a: ∂/∂a = x for x ≤ 0, else 0 (a layer sums it over the elements that share a).</summary>
    /// <param name="x">The input.</param>
    /// <param name="slope">The learnable slope a.</param>
    [Differentiable]
    public static float Prelu(float x, float slope) => x > 0f ? x : slope * x;

    /// <summary>relu6(x) = min(max(x, 0), 6); the derivative is 1 strictly between 0 and 6, else 0 (PyTorch's hardtanh).</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Relu6(float x) => x <= 0f ? 0f : x >= 6f ? 6f : x;

    /// <summary>elu(x) = x for x &gt; 0, else α·(eˣ − 1), with an accurate eˣ − 1 near 0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">α (PyTorch's default is 1).</param>
    [Differentiable]
    public static float Elu(float x, [Constant] float alpha) => x > 0f ? x : alpha * AD.ExpM1(x);

    /// <summary>selu(x) = λ·(x for x &gt; 0, else α·(eˣ − 1)) with PyTorch's λ = <see cref="SeluScale"/> and α = <see cref="SeluAlpha"/>.</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Selu(float x) => SeluScale * (x > 0f ? x : SeluAlpha * AD.ExpM1(x));

    /// <summary>gelu(x) = x·Φ(x) = ½x·(1 + erf(x/√2)), the exact GELU (PyTorch's default, approximate = 'none').</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Gelu(float x) => 0.5f * x * (1f + AD.Erf(x * InverseSqrt2));

    /// <summary>½x·(1 + tanh(√(2/π)·(x + 0.044715x³))): PyTorch's GELU with approximate = 'tanh'.</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float GeluTanh(float x) => 0.5f * x * (1f + MathF.Tanh(Sqrt2OverPi * (x + 0.044715f * x * x * x)));

    /// <summary>silu(x) = x·σ(x) (also called swish).</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Silu(float x) => x * AD.Sigmoid(x);

    /// <summary>mish(x) = x·tanh(softplus(x)).</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Mish(float x) => x * MathF.Tanh(AD.Softplus(x));

    /// <summary>softsign(x) = x/(1 + |x|).</summary>
    /// <param name="x">The input.</param>
    [Differentiable]
    public static float Softsign(float x) => x / (1f + MathF.Abs(x));

    /// <summary>log Σᵢ e^(xᵢ) of a row, without overflow; its gradient is softmax(x), which <see cref="Softmax(int, ReadOnlySpan{float}, Span{float})"/> uses.</summary>
    /// <param name="x">The row.</param>
    [Differentiable]
    public static float LogSumExp(ReadOnlySpan<float> x) => AD.LogSumExp(x);
}

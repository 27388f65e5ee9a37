using System.Runtime.CompilerServices;

namespace AutoDiff;

/// <summary>
/// Functions a <see cref="DifferentiableAttribute"/> method may call besides <see cref="Math"/> and
/// <see cref="MathF"/>: numerically careful forms the generator knows the derivatives of, and the
/// <see cref="System.Numerics.Vector{T}"/> forms the generated kernels call.
/// </summary>
/// <remarks>
/// .NET 10's <c>double.LogP1</c> and <c>double.ExpM1</c> are computed as <c>log(1 + x)</c> and
/// <c>exp(x) − 1</c>, which lose every digit near 0 (<c>float.LogP1(1e-8f)</c> is 0). The forms here
/// keep full relative precision there.
/// </remarks>
public static partial class AD
{
    /// <summary>
    /// log(1 + x), accurate for small |x|: below |x| = 0.5 the series 2·atanh(z) with z = x/(2 + x),
    /// above ln(1 + x); the same formulas as the Vector&lt;double&gt; form. Within 4 ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1P(double x)
    {
        if (!(Math.Abs(x) < 0.5))
        {
            return Math.Log(1.0 + x);
        }

        double z = x / (2.0 + x);
        double z2 = z * z;
        double p = 1.0 / 21;
        for (int k = 9; k >= 0; k--)
        {
            p = (p * z2) + (1.0 / ((2 * k) + 1));
        }

        return (z + z) * p;
    }

    /// <summary>
    /// The value of <paramref name="x"/>, through which no gradient flows in a [Differentiable] method (PyTorch's
    /// <c>detach</c>, JAX's <c>stop_gradient</c>): ∂StopGradient(x)/∂x is taken as 0, so x is a constant to the
    /// derivatives of what uses it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StopGradient(float x) => x;

    /// <inheritdoc cref="StopGradient(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double StopGradient(double x) => x;

    /// <summary>log(1 + x) in single precision, computed in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1P(float x) => (float)Log1P((double)x);

    /// <summary>
    /// eˣ − 1, accurate for small |x|: the Taylor polynomial of degree 16 below |x| = 0.5, eˣ − 1 above;
    /// the same formulas as the Vector&lt;double&gt; form. Within 4 ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpM1(double x)
    {
        if (!(Math.Abs(x) < 0.5))
        {
            return Math.Exp(x) - 1.0;
        }

        double p = 1.0;
        for (int k = 16; k >= 2; k--)
        {
            p = 1.0 + (x * p * (1.0 / k));
        }

        return x * p;
    }

    /// <summary>eˣ − 1 in single precision, computed in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpM1(float x) => (float)ExpM1((double)x);

    /// <summary>
    /// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), computed with e = e^−|x| as 1/(1 + e) for x ≥ 0 and
    /// e/(1 + e) below, so neither side overflows; σ′(x) = σ(x)(1 − σ(x)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        double positive = 1.0 / (1.0 + e);
        return x < 0 ? e * positive : positive;
    }

    /// <inheritdoc cref="Sigmoid(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float positive = 1f / (1f + e);
        return x < 0 ? e * positive : positive;
    }

    /// <summary>softplus(x) = log(1 + eˣ), computed stably as max(x, 0) + log1p(e^−|x|); softplus′ = σ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1P(Math.Exp(-Math.Abs(x)));

    /// <inheritdoc cref="Softplus(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => MathF.Max(x, 0f) + Log1P(MathF.Exp(-MathF.Abs(x)));

    /// <summary>
    /// softplus(x) and its derivative σ(x) from one e = e^−|x|: the same values as <see cref="Softplus(double)"/>
    /// and <see cref="Sigmoid(double)"/>, for one exponential instead of two (generated gradients call it).
    /// </summary>
    /// <param name="x">The argument.</param>
    /// <param name="sigmoid">Receives σ(x) = softplus′(x).</param>
    /// <returns>softplus(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SoftplusGradient(double x, out double sigmoid)
    {
        double e = Math.Exp(-Math.Abs(x));
        double positive = 1.0 / (1.0 + e);
        sigmoid = x < 0 ? e * positive : positive;
        return Math.Max(x, 0.0) + Log1P(e);
    }

    /// <summary>softplus(x) and σ(x) from one e^−|x|, the same values as <see cref="Softplus(float)"/> and <see cref="Sigmoid(float)"/>.</summary>
    /// <param name="x">The argument.</param>
    /// <param name="sigmoid">Receives σ(x) = softplus′(x).</param>
    /// <returns>softplus(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SoftplusGradient(float x, out float sigmoid)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float positive = 1f / (1f + e);
        sigmoid = x < 0 ? e * positive : positive;
        return MathF.Max(x, 0f) + Log1P(e);
    }

    /// <summary>The sign of x: 1, −1, or x itself for ±0 and NaN (unlike <see cref="Math.Sign(double)"/>, never throws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double x) => x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x;

    /// <inheritdoc cref="Sign(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sign(float x) => x > 0f ? 1f : x < 0f ? -1f : x;
}

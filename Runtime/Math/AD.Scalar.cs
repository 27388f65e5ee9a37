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
    /// <summary>log(1 + x), accurate for small |x| (within 2 ulp where <see cref="Math.Log(double)"/> is correctly rounded).</summary>
    /// <remarks>Goldberg's identity: with u = 1 ⊕ x, log1p(x) = log(u)·x/(u − 1), exact in the rounding of u.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        double d = u - 1.0;
        if (d == 0.0)
        {
            return x;
        }

        return double.IsPositiveInfinity(u) ? u : Math.Log(u) * (x / d);
    }

    /// <summary>log(1 + x) in single precision, computed in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1P(float x) => (float)Log1P((double)x);

    /// <summary>eˣ − 1, accurate for small |x|.</summary>
    /// <remarks>Kahan's identity: with u = eˣ rounded, expm1(x) = (u − 1)·x/log(u).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        double d = u - 1.0;
        if (d == 0.0)
        {
            return x;
        }

        if (d == -1.0 || double.IsPositiveInfinity(u))
        {
            return d;
        }

        return d * x / Math.Log(u);
    }

    /// <summary>eˣ − 1 in single precision, computed in double and rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpM1(float x) => (float)ExpM1((double)x);

    /// <summary>The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ); σ′(x) = σ(x)(1 − σ(x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <inheritdoc cref="Sigmoid(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>softplus(x) = log(1 + eˣ), computed stably as max(x, 0) + log1p(e^−|x|); softplus′ = σ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => Math.Max(x, 0.0) + Log1P(Math.Exp(-Math.Abs(x)));

    /// <inheritdoc cref="Softplus(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => MathF.Max(x, 0f) + Log1P(MathF.Exp(-MathF.Abs(x)));

    /// <summary>The sign of x: 1, −1, or x itself for ±0 and NaN (unlike <see cref="Math.Sign(double)"/>, never throws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double x) => x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x;

    /// <inheritdoc cref="Sign(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sign(float x) => x > 0f ? 1f : x < 0f ? -1f : x;
}

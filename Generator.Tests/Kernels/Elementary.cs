using System;
using AutoDiff;

namespace Kernels;

// One kernel per primitive of the accepted language, composed with a little arithmetic so that
// the chain rule is exercised too.
public static partial class Elementary
{
    [Differentiable]
    public static float Polynomial(float x, float y) => 3f * x * x * y - x / (1f + y * y) + 2f;

    [Differentiable]
    public static float Negation(float x, float y) => -(x - y) * -x;

    [Differentiable]
    public static float Quotient(float x, float y) => (x + 2f) / (y * y + 0.5f);

    [Differentiable]
    public static float Exp(float x) => MathF.Exp(0.5f * x) - 1f;

    [Differentiable, Domain(0.05, 5)]
    public static float Log(float x) => MathF.Log(x) * x;

    [Differentiable, Domain(0.05, 5)]
    public static float Log2(float x) => MathF.Log2(x * 3f);

    [Differentiable, Domain(0.05, 5)]
    public static float Log10(float x) => MathF.Log10(x) + x;

    [Differentiable, Domain(0.05, 5)]
    public static float Sqrt(float x) => MathF.Sqrt(x) * MathF.Sqrt(x + 1f);

    [Differentiable]
    public static float Abs(float x, float y) => MathF.Abs(x - y) * y;

    [Differentiable]
    public static float Tanh(float x) => MathF.Tanh(x) * MathF.Tanh(x);

    [Differentiable]
    public static float Hyperbolic(float x) => MathF.Sinh(x) - MathF.Cosh(0.5f * x);

    [Differentiable]
    public static float Trigonometric(float x, float y) => MathF.Sin(x * y) + MathF.Cos(x);

    // Atan2 away from its branch cut (x > 0) and the origin.
    [Differentiable]
    public static float InverseTangent(float x, float y) => MathF.Atan(x * y) * y + MathF.Atan2(y - x, x * x + 0.5f);

    // tan(x/2) away from its poles at ±π.
    [Differentiable, Domain(-2, 2)]
    public static float Tangent(float x, float y) => MathF.Tan(0.5f * x) * y + MathF.Tan(x * y * 0.25f);

    [Differentiable, Domain(-0.9, 0.9)]
    public static float InverseTrigonometric(float x, float y) => MathF.Asin(x * y) + MathF.Acos(0.5f * x) * y + MathF.Atanh(x * 0.8f);

    [Differentiable, Domain(1.1, 4)]
    public static float InverseHyperbolic(float x) => MathF.Asinh(x * x - 3f) + MathF.Acosh(x) * x;

    // ∛ of negative values too (∛(−8) = −2), away from 0 where the derivative is infinite.
    [Differentiable, Domain(0.2, 4)]
    public static float CubeRoot(float x) => MathF.Cbrt(x) * x + MathF.Cbrt(-2f * x);

    // float's ExpM1 and LogP1 are emitted as AD.ExpM1 and AD.Log1P (accurate; .NET's are naive).
    [Differentiable, Domain(-2, 2)]
    public static float TypeFunctions(float x, float y) => float.Exp2(x) - float.Exp10(0.3f * x * y) + float.ExpM1(x) * float.LogP1(y * y) + float.Hypot(x, y + 3f);

    // Patterns of constants and a switch expression with a when clause on a discard arm: selects in every form.
    [Differentiable, Domain(-2, 2)]
    public static float Patterns(float x, float y) =>
        (x * y) switch { < -1f => -y, _ when x > 0.5f => x * x, >= 1f and < 4f => x + y, _ => y * MathF.Tanh(x) } + (x is > 0f and < 1f or < -1.5f ? x : 0f);

    // Written with the primitives in .NET's formulas (Rules.Composites): Log(x, b), Lerp, DegreesToRadians, RadiansToDegrees.
    [Differentiable, Domain(0.5, 3)]
    public static float Composites(float x, float y) =>
        MathF.Log(x, y + 1.5f) + float.Lerp(x, y * y, 0.25f * x) + float.DegreesToRadians(x * y) - float.RadiansToDegrees(0.01f * y);

    // AsinPi, AcosPi, AtanPi, Atan2Pi as .NET computes them: asin x / π … (Rules.Composites).
    [Differentiable, Domain(-0.9, 0.9)]
    public static float HalfTurns(float x, float y) => float.AsinPi(x) + float.AcosPi(0.5f * x) * y + float.AtanPi(x * y) + float.Atan2Pi(y, x * x + 0.5f);

    // The next value up and down: they move as x does.
    [Differentiable]
    public static float Steps(float x, float y) => MathF.BitIncrement(x * x) * y - MathF.BitDecrement(y * 0.5f);

    // The choosers of generic math: the gradient to the argument returned, as for Max and Min.
    [Differentiable]
    public static float Choosers(float x, float y) =>
        MathF.MaxMagnitude(x, y) + 2f * float.MinMagnitude(x - 1f, y) + 3f * float.MaxNumber(x, y * y) - float.MinNumber(x * y, y) +
        float.MaxMagnitudeNumber(0.5f * x, y - 1f) * float.MinMagnitudeNumber(y, x + 0.5f);

    // sin(πx), cos(πx), tan(πx) as .NET computes them (exact at the integers), tan away from its poles.
    [Differentiable, Domain(-2, 2)]
    public static float HalfTurnTrigonometry(float x, float y) => float.SinPi(x * y) + float.CosPi(0.5f * x) * y + float.TanPi(0.2f * x);

    // Exp2M1, Exp10M1, Log2P1, Log10P1 through the accurate expm1 and log1p (away from 0, where .NET's naive ones agree).
    [Differentiable, Domain(0.5, 3)]
    public static float CompositeExponentials(float x) => float.Exp2M1(x) + float.Exp10M1(0.1f * x) + float.Log2P1(x) + float.Log10P1(x);

    // Checked against the method (which runs .NET's naive ExpM1 and LogP1) where the two agree, away from 0; near 0
    // against the series (KernelTests).
    [Differentiable, Domain(0.5, 3)]
    public static float AccurateForms(float x) => float.ExpM1(x) + float.LogP1(x);

    // (x²)^(y²) at x = y = 0: the power rule's y·x^(y−1) would give 0·∞ = NaN for ∂x; the rule gives 0 (PyTorch, clad, Enzyme).
    [Differentiable]
    public static float PowerAtZero(float x, float y) => MathF.Pow(x * x, y * y) + x;

    // Finite differences skip the points within a step of a jump of trunc(x/y) or round(x/y).
    [Differentiable, Domain(0.5, 3)]
    public static float Remainders(float x, float y) => (5f * x) % y * y + MathF.IEEERemainder(3f * x, y + 0.1f) + x % 2f;

    [Differentiable, Domain(0.1, 3)]
    public static float Power(float x, float y) => MathF.Pow(x, y) + MathF.Pow(x, 3f) - MathF.Pow(x, 0.5f);

    [Differentiable]
    public static float PowerOfConstant(float x) => MathF.Pow(2f, x);

    [Differentiable]
    public static float MaxMin(float x, float y) => MathF.Max(x, y) * 2f + MathF.Min(x * x, y);

    // The sign argument gets no gradient: y reaches the result through the factor y only.
    [Differentiable]
    public static float CopySign(float x, float y) => MathF.CopySign(x * x + 1f, y) * x + MathF.CopySign(x, y - 0.5f) * y;

    [Differentiable]
    public static float FusedMultiplyAdd(float x, float y) => MathF.FusedMultiplyAdd(x, y * y, x - y) * y;

    [Differentiable]
    public static float Clamp(float x) => Math.Clamp(x * 2f, -1f, 1.5f) * x;

    [Differentiable]
    public static float Helpers(float x) => AD.Sigmoid(x) + AD.Softplus(2f * x) + AD.Log1P(x * x) + AD.ExpM1(0.5f * x);

    // Two independent log1p share one call (AD.Log1P(a, b, out …)); the third reads the first, so it stays alone.
    [Differentiable]
    public static float Log1PPair(float x, float y) => AD.Log1P(x * x) * AD.Log1P(y * y) + AD.Log1P(AD.Log1P(x * x) * 0.5f);

    [Differentiable]
    public static float Constants(float x) => MathF.PI * x + MathF.E + Half * x * x;

    private const float Half = 0.5f;
}

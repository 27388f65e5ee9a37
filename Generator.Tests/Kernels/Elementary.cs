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

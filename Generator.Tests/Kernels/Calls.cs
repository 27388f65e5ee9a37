using System;
using AutoDiff;

namespace Kernels;

// The chain rule through calls of other [Differentiable] methods, in this class and another.
public static partial class Calls
{
    [Differentiable]
    public static float Square(float x) => x * x;

    [Differentiable]
    public static float UsesSquare(float x, float y) => Square(x + y) * Square(y);

    [Differentiable]
    public static float UsesOtherClass(float x, float y, [NoDiff] float w) => Activations.Swish(x) + Activations.Scaled(y, w * w, 2f);

    [Differentiable]
    public static float Nested(float x) => Square(Activations.Swish(Square(x) - 1f));

    // A callee of two variables whose second derivatives all differ (∂²/∂a², ∂²/∂a∂b, ∂²/∂b²), called with its
    // arguments crossed: the Hessian form must pick the callee's entries by the right pair.
    [Differentiable]
    public static float Mixed(float a, float b) => a * a * b + MathF.Sin(a * b) + b * b * b;

    [Differentiable]
    public static float UsesMixed(float x, float y, float z) => Mixed(x * z, y + z) * Mixed(y, x);

    [Differentiable]
    public static float ValueOnlyUse(float x, [NoDiff] float t) => x * Activations.Swish(t);
}

public static partial class Activations
{
    [Differentiable]
    public static float Swish(float x) => x * AD.Sigmoid(x);

    [Differentiable]
    public static float Scaled(float x, [NoDiff] float weight, [Constant] float factor) => factor * x * weight + x;
}

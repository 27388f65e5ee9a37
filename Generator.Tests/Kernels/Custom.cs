using System;
using AutoDiff;

namespace Kernels;

// Custom derivatives ([DerivativeOf]): the bodies call code the generator does not read (a loop over a data-dependent
// count, a cast to double), and the derivative is supplied. The kernel tests check each against finite differences
// like every generated gradient, so a wrong hand-written rule fails here.
public static partial class Custom
{
    [Differentiable]
    public static float LogOnePlusSquare(float x) => Plain.LogOnePlusSquare(x);

    // Named as the generated gradient would be: it is the gradient form.
    [DerivativeOf(nameof(LogOnePlusSquare))]
    public static float LogOnePlusSquareGradient(float x, out float dX)
    {
        dX = 2f * x / (1f + x * x);
        return LogOnePlusSquare(x);
    }

    // Parameters of every role, and another name: the generator adds ScaledGradient, which calls it.
    [Differentiable]
    public static float Scaled(float x, [NoDiff] float w, [Constant] float c, float y) => Plain.Product(x, w) * c + Plain.Product(y, y);

    [DerivativeOf(nameof(Scaled))]
    public static float ScaledDerivative(float x, float w, float c, float y, out float dX, out float dY)
    {
        dX = w * c;
        dY = 2f * y;
        return Scaled(x, w, c, y);
    }

    // A caller goes through both derivatives, in every form.
    [Differentiable]
    public static float UsesCustom(float x, float y) => LogOnePlusSquare(x * y) + Scaled(x, 2f, 3f, y) * MathF.Sin(y);
}

// Not [Differentiable]: what a custom derivative lets a method call.
public static class Plain
{
    public static float LogOnePlusSquare(float x) => (float)Math.Log(1 + (double)x * x);

    public static float Product(float a, float b)
    {
        float sum = 0f;
        int count = (int)Math.Abs(a) % 3 + 1;
        for (int i = 0; i < count; i++)
        {
            sum += a * b / count;
        }

        return sum;
    }
}

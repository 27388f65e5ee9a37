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

    // Its Hessian, named as the generated form would be: it is the Hessian form. (2 − 2x²)/(1 + x²)², by hand.
    [DerivativeOf(nameof(LogOnePlusSquare))]
    public static float LogOnePlusSquareHessian(float x, Span<float> gradient, Span<float> hessian)
    {
        float u = 1f + x * x;
        gradient[0] = 2f * x / u;
        hessian[0] = (2f - 2f * x * x) / (u * u);
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

    // ln(1 + x²y) with its gradient and, under another name, its Hessian supplied: the generator adds SoftProductHessian,
    // which calls it, and callers' Hessians go through it. Worked by hand, with u = 1 + x²y: ∂/∂x = 2xy/u, ∂/∂y = x²/u,
    // ∂²/∂x² = 2y(1 − x²y)/u², ∂²/∂x∂y = 2x/u², ∂²/∂y² = −x⁴/u².
    [Differentiable, Domain(0.2, 2)]
    public static float SoftProduct(float x, float y) => Plain.LogOnePlusSquare(x * MathF.Sqrt(y));

    [DerivativeOf(nameof(SoftProduct))]
    public static float SoftProductGradient(float x, float y, out float dX, out float dY)
    {
        float u = 1f + x * x * y;
        dX = 2f * x * y / u;
        dY = x * x / u;
        return SoftProduct(x, y);
    }

    [DerivativeOf(nameof(SoftProduct))]
    public static float SoftProductSecond(float x, float y, Span<float> gradient, Span<float> hessian)
    {
        float u = 1f + x * x * y;
        gradient[0] = 2f * x * y / u;
        gradient[1] = x * x / u;
        hessian[0] = 2f * y * (1f - x * x * y) / (u * u);
        hessian[1] = hessian[2] = 2f * x / (u * u);
        hessian[3] = -(x * x * x * x) / (u * u);
        return SoftProduct(x, y);
    }

    // Callers through the supplied Hessian: one the graph holds, one with a loop whose count is known only when it runs.
    [Differentiable, Domain(0.2, 2)]
    public static float UsesSuppliedHessian(float x, float y) => SoftProduct(x * y, y + 1f) * MathF.Cos(x);

    [Differentiable, Domain(0.2, 2)]
    public static float RepeatsSuppliedHessian(float x, float y)
    {
        float s = x;
        for (int i = 0; i < y * 2f; i++)
        {
            s = SoftProduct(s, y) + 0.5f * x;
        }

        return s;
    }
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

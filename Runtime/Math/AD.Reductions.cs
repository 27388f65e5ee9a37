using System.Numerics;
using System.Runtime.Intrinsics;

using AutoDiff.CompilerServices;

namespace AutoDiff;

// The reductions a [Differentiable] method over spans may call. These bodies are the plain reference
// semantics (what calling the method itself computes); the generator turns each call into fused
// Vector<T> passes and differentiates it.
public static partial class AD
{
    /// <summary>Σᵢ aᵢ.</summary>
    /// <param name="a">The row.</param>
    public static float Sum(ReadOnlySpan<float> a) => Sum(a, static x => x);

    /// <summary>Σᵢ aᵢ.</summary>
    /// <param name="a">The row.</param>
    public static double Sum(ReadOnlySpan<double> a) => Sum(a, static x => x);

    /// <summary>Σᵢ f(aᵢ): a map over the elements, then their sum. In a [Differentiable] method, f is differentiated elementwise.</summary>
    /// <param name="a">The row.</param>
    /// <param name="f">The function of one element: an expression lambda.</param>
    public static float Sum(ReadOnlySpan<float> a, Func<float, float> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double sum = 0;
        foreach (var x in a)
        {
            sum += f(x);
        }

        return (float)sum;
    }

    /// <summary>Σᵢ f(aᵢ): a map over the elements, then their sum. In a [Differentiable] method, f is differentiated elementwise.</summary>
    /// <param name="a">The row.</param>
    /// <param name="f">The function of one element: an expression lambda.</param>
    public static double Sum(ReadOnlySpan<double> a, Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        double sum = 0;
        foreach (var x in a)
        {
            sum += f(x);
        }

        return sum;
    }

    /// <summary>Σᵢ f(aᵢ, bᵢ) over two rows of one length.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    /// <param name="f">The function of one pair of elements: an expression lambda.</param>
    public static float Sum(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Func<float, float, float> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        KernelGuard.SameLength(a.Length, b.Length, nameof(b), nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += f(a[i], b[i]);
        }

        return (float)sum;
    }

    /// <summary>Σᵢ f(aᵢ, bᵢ) over two rows of one length.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    /// <param name="f">The function of one pair of elements: an expression lambda.</param>
    public static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Func<double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        KernelGuard.SameLength(a.Length, b.Length, nameof(b), nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += f(a[i], b[i]);
        }

        return sum;
    }

    /// <summary>Σᵢ f(aᵢ, bᵢ, cᵢ) over three rows of one length.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    /// <param name="c">The third row.</param>
    /// <param name="f">The function of one triple of elements: an expression lambda.</param>
    public static float Sum(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Func<float, float, float, float> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        KernelGuard.SameLength(a.Length, b.Length, nameof(b), nameof(a));
        KernelGuard.SameLength(a.Length, c.Length, nameof(c), nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += f(a[i], b[i], c[i]);
        }

        return (float)sum;
    }

    /// <summary>Σᵢ f(aᵢ, bᵢ, cᵢ) over three rows of one length.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    /// <param name="c">The third row.</param>
    /// <param name="f">The function of one triple of elements: an expression lambda.</param>
    public static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, Func<double, double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        KernelGuard.SameLength(a.Length, b.Length, nameof(b), nameof(a));
        KernelGuard.SameLength(a.Length, c.Length, nameof(c), nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += f(a[i], b[i], c[i]);
        }

        return sum;
    }

    /// <summary>(1/n)·Σᵢ aᵢ (NaN for an empty row).</summary>
    /// <param name="a">The row.</param>
    public static float Mean(ReadOnlySpan<float> a) => Sum(a) / a.Length;

    /// <summary>(1/n)·Σᵢ aᵢ (NaN for an empty row).</summary>
    /// <param name="a">The row.</param>
    public static double Mean(ReadOnlySpan<double> a) => Sum(a) / a.Length;

    /// <summary>maxᵢ aᵢ (−∞ for an empty row, NaN if any element is). Its gradient is shared evenly by the elements that tie for the maximum, as torch.max's.</summary>
    /// <param name="a">The row.</param>
    public static float Max(ReadOnlySpan<float> a)
    {
        float max = float.NegativeInfinity;
        foreach (var x in a)
        {
            max = MathF.Max(max, x);
        }

        return max;
    }

    /// <summary>maxᵢ aᵢ (−∞ for an empty row, NaN if any element is). Its gradient is shared evenly by the elements that tie for the maximum, as torch.max's.</summary>
    /// <param name="a">The row.</param>
    public static double Max(ReadOnlySpan<double> a)
    {
        double max = double.NegativeInfinity;
        foreach (var x in a)
        {
            max = Math.Max(max, x);
        }

        return max;
    }

    /// <summary>minᵢ aᵢ (+∞ for an empty row, NaN if any element is). Its gradient is shared evenly by the elements that tie for the minimum, as torch.min's.</summary>
    /// <param name="a">The row.</param>
    public static float Min(ReadOnlySpan<float> a)
    {
        float min = float.PositiveInfinity;
        foreach (var x in a)
        {
            min = MathF.Min(min, x);
        }

        return min;
    }

    /// <summary>minᵢ aᵢ (+∞ for an empty row, NaN if any element is). Its gradient is shared evenly by the elements that tie for the minimum, as torch.min's.</summary>
    /// <param name="a">The row.</param>
    public static double Min(ReadOnlySpan<double> a)
    {
        double min = double.PositiveInfinity;
        foreach (var x in a)
        {
            min = Math.Min(min, x);
        }

        return min;
    }

    /// <summary>log Σᵢ exp(aᵢ), computed as m + log Σᵢ exp(aᵢ − m) with m = max a, so it neither overflows nor underflows. Its gradient is softmax(a).</summary>
    /// <param name="a">The row.</param>
    public static float LogSumExp(ReadOnlySpan<float> a)
    {
        float m = Max(a);
        float shift = float.IsInfinity(m) ? 0 : m;
        double sum = 0;
        foreach (var x in a)
        {
            sum += MathF.Exp(x - shift);
        }

        return MathF.Log((float)sum) + shift;
    }

    /// <summary>log Σᵢ exp(aᵢ), computed as m + log Σᵢ exp(aᵢ − m) with m = max a, so it neither overflows nor underflows. Its gradient is softmax(a).</summary>
    /// <param name="a">The row.</param>
    public static double LogSumExp(ReadOnlySpan<double> a)
    {
        double m = Max(a);
        double shift = double.IsInfinity(m) ? 0 : m;
        double sum = 0;
        foreach (var x in a)
        {
            sum += Math.Exp(x - shift);
        }

        return Math.Log(sum) + shift;
    }

    /// <summary>Σᵢ aᵢbᵢ.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of the same length.</param>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Sum(a, b, static (x, y) => x * y);

    /// <summary>Σᵢ aᵢbᵢ.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of the same length.</param>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Sum(a, b, static (x, y) => x * y);

    /// <summary>‖a‖₂ = √(Σᵢ aᵢ²). Its gradient a/‖a‖ is NaN at a = 0: divide by max(‖a‖, ε) where a row may vanish.</summary>
    /// <param name="a">The row.</param>
    public static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Sum(a, static x => x * x));

    /// <summary>‖a‖₂ = √(Σᵢ aᵢ²). Its gradient a/‖a‖ is NaN at a = 0: divide by max(‖a‖, ε) where a row may vanish.</summary>
    /// <param name="a">The row.</param>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Sum(a, static x => x * x));

    /// <summary>‖a − b‖₂² = Σᵢ (aᵢ − bᵢ)².</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of the same length.</param>
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Sum(a, b, static (x, y) => (x - y) * (x - y));

    /// <summary>‖a − b‖₂² = Σᵢ (aᵢ − bᵢ)².</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of the same length.</param>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Sum(a, b, static (x, y) => (x - y) * (x - y));
}

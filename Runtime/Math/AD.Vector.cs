using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoDiff;

// The Vector<T> forms of the functions Vector<T> lacks, written once from Vector.Exp and Vector.Log.
// Accuracy (measured by Runtime.Tests/VectorMathTests against Math over wide ranges) is stated on each.
public static partial class AD
{
    /// <summary>Lane-wise log(1 + x) by Goldberg's identity; within 4 ulp of <see cref="Log1P(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1P(Vector<float> x)
    {
        var u = Vector<float>.One + x;
        var d = u - Vector<float>.One;
        var r = Vector.Log(u) * (x / d);
        r = Vector.ConditionalSelect(Vector.Equals<float>(d, Vector<float>.Zero), x, r);
        return Vector.ConditionalSelect(Vector.IsPositiveInfinity(u), u, r);
    }

    /// <summary>Lane-wise log(1 + x) by Goldberg's identity; within 4 ulp of <see cref="Log1P(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log1P(Vector<double> x)
    {
        var u = Vector<double>.One + x;
        var d = u - Vector<double>.One;
        var r = Vector.Log(u) * (x / d);
        r = Vector.ConditionalSelect(Vector.Equals<double>(d, Vector<double>.Zero), x, r);
        return Vector.ConditionalSelect(Vector.IsPositiveInfinity(u), u, r);
    }

    /// <summary>Lane-wise eˣ − 1 by Kahan's identity; within 4 ulp of <see cref="ExpM1(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpM1(Vector<float> x)
    {
        var u = Vector.Exp(x);
        var d = u - Vector<float>.One;
        var r = d * x / Vector.Log(u);
        r = Vector.ConditionalSelect(Vector.Equals<float>(d, Vector<float>.Zero), x, r);
        var saturated = Vector.Equals<float>(d, new Vector<float>(-1f)) | Vector.IsPositiveInfinity(u);
        return Vector.ConditionalSelect(saturated, d, r);
    }

    /// <summary>Lane-wise eˣ − 1 by Kahan's identity; within 4 ulp of <see cref="ExpM1(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> ExpM1(Vector<double> x)
    {
        var u = Vector.Exp(x);
        var d = u - Vector<double>.One;
        var r = d * x / Vector.Log(u);
        r = Vector.ConditionalSelect(Vector.Equals<double>(d, Vector<double>.Zero), x, r);
        var saturated = Vector.Equals<double>(d, new Vector<double>(-1.0)) | Vector.IsPositiveInfinity(u);
        return Vector.ConditionalSelect(saturated, d, r);
    }

    /// <summary>Lane-wise tanh x = sign(x)·e/(e + 2) with e = expm1(min(2|x|, 40)); within 4 ulp of <see cref="MathF.Tanh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        var e = ExpM1(Vector.Min(Vector.Abs(x) * 2f, new Vector<float>(40f)));
        return Vector.CopySign(e / (e + new Vector<float>(2f)), x);
    }

    /// <summary>Lane-wise tanh x = sign(x)·e/(e + 2) with e = expm1(min(2|x|, 40)); within 4 ulp of <see cref="Math.Tanh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x)
    {
        var e = ExpM1(Vector.Min(Vector.Abs(x) * 2.0, new Vector<double>(40.0)));
        return Vector.CopySign(e / (e + new Vector<double>(2.0)), x);
    }

    /// <summary>Lane-wise sinh, computed in double and rounded once: within 1 ulp of <see cref="MathF.Sinh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sinh(Vector<float> x)
    {
        return Vector.Narrow(Sinh(Vector.WidenLower(x)), Sinh(Vector.WidenUpper(x)));
    }

    /// <summary>
    /// Lane-wise sinh: (e + e/(e + 1))/2 with e = expm1(|x|) below |x| = 1, else h²/2 − 1/(2h²) with
    /// h = e^{|x|/2} (no overflow before sinh itself overflows); within 4 ulp of <see cref="Math.Sinh"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sinh(Vector<double> x)
    {
        var half = new Vector<double>(0.5);
        var a = Vector.Abs(x);
        var e = ExpM1(Vector.Min(a, Vector<double>.One));
        var small = half * (e + e / (e + Vector<double>.One));
        var h = Vector.Exp(half * a);
        var large = half * h * h - half / (h * h);
        var r = Vector.ConditionalSelect(Vector.LessThan<double>(a, Vector<double>.One), small, large);
        return Vector.CopySign(r, x);
    }

    /// <summary>Lane-wise cosh, computed in double and rounded once: within 1 ulp of <see cref="MathF.Cosh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Cosh(Vector<float> x)
    {
        return Vector.Narrow(Cosh(Vector.WidenLower(x)), Cosh(Vector.WidenUpper(x)));
    }

    /// <summary>Lane-wise cosh = h²/2 + 1/(2h²) with h = e^{|x|/2}; within 4 ulp of <see cref="Math.Cosh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Cosh(Vector<double> x)
    {
        var half = new Vector<double>(0.5);
        var h = Vector.Exp(half * Vector.Abs(x));
        return half * h * h + half / (h * h);
    }

    /// <summary>Lane-wise log₁₀ x = ln x / ln 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log10(Vector<float> x) => Vector.Log(x) * (1f / 2.30258509299404568f);

    /// <summary>Lane-wise log₁₀ x = ln x / ln 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log10(Vector<double> x) => Vector.Log(x) * (1.0 / 2.30258509299404568);

    /// <summary>Lane-wise xʸ computed in double as e^{y ln x} and rounded once: within 1 ulp of <see cref="MathF.Pow"/> (see <see cref="Pow(Vector{double}, Vector{double})"/> for the special cases).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Pow(Vector<float> x, Vector<float> y)
    {
        return Vector.Narrow(
            Pow(Vector.WidenLower(x), Vector.WidenLower(y)),
            Pow(Vector.WidenUpper(x), Vector.WidenUpper(y)));
    }

    /// <summary>
    /// Lane-wise xʸ = e^{y ln |x|}, negated for x &lt; 0 and odd integer y, NaN for x &lt; 0 and
    /// non-integer y, 1 for y = 0 or x = 1, as <see cref="Math.Pow"/>. The relative error grows with the
    /// exponent: about (2 + |y ln x|) ulp. The sign of a zero result is not kept for x = −0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Pow(Vector<double> x, Vector<double> y)
    {
        var r = Vector.Exp(y * Vector.Log(Vector.Abs(x)));
        var negative = Vector.LessThan<double>(x, Vector<double>.Zero);
        r = Vector.ConditionalSelect(negative & Vector.IsOddInteger(y), -r, r);
        r = Vector.ConditionalSelect(Vector.AndNot(negative, Vector.IsInteger(y)), new Vector<double>(double.NaN), r);
        var one = Vector.Equals<double>(y, Vector<double>.Zero) | Vector.Equals<double>(x, Vector<double>.One);
        return Vector.ConditionalSelect(one, Vector<double>.One, r);
    }

    /// <summary>Lane-wise xʸ for a scalar exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Pow(Vector<float> x, float y) => Pow(x, new Vector<float>(y));

    /// <summary>Lane-wise xʸ for a scalar exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Pow(Vector<double> x, double y) => Pow(x, new Vector<double>(y));

    /// <summary>Lane-wise σ(x) = 1 / (1 + e⁻ˣ), as <see cref="Sigmoid(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));

    /// <summary>Lane-wise σ(x) = 1 / (1 + e⁻ˣ), as <see cref="Sigmoid(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sigmoid(Vector<double> x) => Vector<double>.One / (Vector<double>.One + Vector.Exp(-x));

    /// <summary>Lane-wise softplus(x) = max(x, 0) + log1p(e^−|x|), as <see cref="Softplus(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) => Vector.Max(x, Vector<float>.Zero) + Log1P(Vector.Exp(-Vector.Abs(x)));

    /// <summary>Lane-wise softplus(x) = max(x, 0) + log1p(e^−|x|), as <see cref="Softplus(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Softplus(Vector<double> x) => Vector.Max(x, Vector<double>.Zero) + Log1P(Vector.Exp(-Vector.Abs(x)));

    /// <summary>Lane-wise sign: 1, −1, or the lane itself for ±0 and NaN, as <see cref="Sign(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sign(Vector<float> x)
    {
        var r = Vector.ConditionalSelect(Vector.GreaterThan<float>(x, Vector<float>.Zero), Vector<float>.One, x);
        return Vector.ConditionalSelect(Vector.LessThan<float>(x, Vector<float>.Zero), -Vector<float>.One, r);
    }

    /// <summary>Lane-wise sign: 1, −1, or the lane itself for ±0 and NaN, as <see cref="Sign(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sign(Vector<double> x)
    {
        var r = Vector.ConditionalSelect(Vector.GreaterThan<double>(x, Vector<double>.Zero), Vector<double>.One, x);
        return Vector.ConditionalSelect(Vector.LessThan<double>(x, Vector<double>.Zero), -Vector<double>.One, r);
    }
}

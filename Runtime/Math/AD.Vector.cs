using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiff;

// The Vector<T> forms of the functions Vector<T> lacks (the float ones computed by AD.FloatLanes.cs, which also
// gives them their Vector512<float> forms). Accuracy (measured by Runtime.Tests/VectorMathTests against Math over wide ranges) is stated on each.
public static partial class AD
{
    /// <summary>
    /// Lane-wise log(1 + x) in single precision: with u = 1 + x rounded and c = (1 + x) − u its rounding error,
    /// ln(u + c) from the reduction u = (1 + f)·2ᵉ as e·ln 2 + ln(1 + f + c·2⁻ᵉ) — no division. log1p(±0) = ±0,
    /// log1p(−1) = −∞, below −1 and NaN give NaN, ∞ gives ∞. Within 3 ulp (2 measured by the tests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1P(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Log1P(x);

    /// <inheritdoc cref="Log1P(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1P(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Log1P(x);

    /// <summary>
    /// Lane-wise log(1 + a) and log(1 + b) at once: one test of both for the fast path, then the two reductions and
    /// polynomials, independent chains the processor overlaps. A loop that needs both (MSLE: log1p of the
    /// prediction and of the target) runs faster than with two calls, with <see cref="Vector512{T}"/> too. When
    /// every lane of both is in the fast range, the same bits as <see cref="Log1P(Vector{float})"/> of each;
    /// otherwise both take its general path (within the same 3 ulp, special values as it gives them). The
    /// generator emits it for two independent log1p of one statement list.
    /// </summary>
    /// <param name="a">The first lanes.</param>
    /// <param name="b">The second lanes.</param>
    /// <param name="log1pB">Receives log(1 + b).</param>
    /// <returns>log(1 + a).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log1P(Vector<float> a, Vector<float> b, out Vector<float> log1pB) =>
        FloatLanes<Vector<float>, VectorOps>.Log1P(a, b, out log1pB);

    /// <inheritdoc cref="Log1P(Vector{float}, Vector{float}, out Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1P(Vector512<float> a, Vector512<float> b, out Vector512<float> log1pB) =>
        FloatLanes<Vector512<float>, Vector512Ops>.Log1P(a, b, out log1pB);

    /// <summary>Lane-wise log(1 + a) and log(1 + b), as two calls of <see cref="Log1P(Vector{double})"/>.</summary>
    /// <param name="a">The first lanes.</param>
    /// <param name="b">The second lanes.</param>
    /// <param name="log1pB">Receives log(1 + b).</param>
    /// <returns>log(1 + a).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log1P(Vector<double> a, Vector<double> b, out Vector<double> log1pB)
    {
        log1pB = Log1P(b);
        return Log1P(a);
    }

    /// <summary>
    /// Lane-wise log(1 + x): below |x| = 0.5 the series 2·atanh(z) = 2(z + z³/3 + … + z²¹/21) with
    /// z = x/(2 + x), which keeps full relative precision near 0 (Vector.Log near 1 does not); above,
    /// ln(1 + x). Within 4 ulp of an exact reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log1P(Vector<double> x)
    {
        var z = x / (new Vector<double>(2.0) + x);
        var z2 = z * z;
        var p = new Vector<double>(1.0 / 21);
        for (int k = 9; k >= 0; k--)
        {
            p = (p * z2) + new Vector<double>(1.0 / ((2 * k) + 1));
        }

        var small = (z + z) * p;
        var large = Vector.Log(Vector<double>.One + x);
        return Vector.ConditionalSelect(Vector.LessThan<double>(Vector.Abs(x), new Vector<double>(0.5)), small, large);
    }

    /// <summary>
    /// Lane-wise eˣ − 1 in float, full relative precision near 0: with x = n·ln 2 + r, |r| ≤ ½ln 2,
    /// eˣ − 1 = 2ⁿ·(eʳ − 1) + (2ⁿ − 1), one rounding by FMA, and eʳ − 1 = r·(1 + r·q(r)) from its Taylor series
    /// to r⁸/8!; beyond |x| = 17, e^x − 1 directly (the −1 no longer costs precision). Within 2 ulp; −0 stays −0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpM1(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.ExpM1(x);

    /// <inheritdoc cref="ExpM1(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpM1(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.ExpM1(x);

    /// <summary>
    /// Lane-wise eˣ − 1: the Taylor polynomial of degree 16 below |x| = 0.5 (full relative precision near
    /// 0), eˣ − 1 above. Within 4 ulp of an exact reference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> ExpM1(Vector<double> x)
    {
        // x·(1 + x/2·(1 + x/3·(1 + … (1 + x/16))))
        var p = Vector<double>.One;
        for (int k = 16; k >= 2; k--)
        {
            p = Vector<double>.One + (x * p * (1.0 / k));
        }

        var small = x * p;
        var large = Exp(x) - Vector<double>.One;
        return Vector.ConditionalSelect(Vector.LessThan<double>(Vector.Abs(x), new Vector<double>(0.5)), small, large);
    }

    /// <summary>Lane-wise tanh x = sign(x)·e/(e + 2) with e = expm1(min(2|x|, 40)); within 4 ulp of <see cref="MathF.Tanh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Tanh(x);

    /// <inheritdoc cref="Tanh(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Tanh(x);

    /// <summary>Lane-wise tanh x = sign(x)·e/(e + 2) with e = expm1(min(2|x|, 40)); within 4 ulp of <see cref="Math.Tanh"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x)
    {
        var e = ExpM1(Vector.MinNative(new Vector<double>(40.0), Vector.Abs(x) * 2.0));
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
        var h = Exp(half * a);
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
        var h = Exp(half * Vector.Abs(x));
        return half * h * h + half / (h * h);
    }

    /// <summary>Lane-wise log₁₀ x = ln x / ln 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log10(Vector<float> x) => Log(x) * (1f / 2.30258509299404568f);

    /// <summary>Lane-wise log₁₀ x = ln x / ln 10.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log10(Vector<double> x) => Vector.Log(x) * (1.0 / 2.30258509299404568);

    /// <summary>
    /// Lane-wise xʸ, computed in double as e^{y ln |x|} and rounded once: within 1 ulp of
    /// <see cref="MathF.Pow"/>; negated for x &lt; 0 and odd integer y, NaN for x &lt; 0 and non-integer y,
    /// 1 for y = 0 or x = 1, as <see cref="MathF.Pow"/>. The sign of a zero result is not kept for x = −0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Pow(Vector<float> x, Vector<float> y) =>
        Vector.Narrow(
            PowByExpLog(Vector.WidenLower(x), Vector.WidenLower(y)),
            PowByExpLog(Vector.WidenUpper(x), Vector.WidenUpper(y)));

    /// <summary>
    /// Lane-wise xʸ by <see cref="Math.Pow"/> on each lane: exactly the scalar result. A double power with
    /// a varying exponent has no fast vector form of full accuracy here; constant integer exponents are
    /// rewritten by the generator into products and never reach this.
    /// </summary>
    public static unsafe Vector<double> Pow(Vector<double> x, Vector<double> y) => PerLane(x, y, &Math.Pow);

    // e^{y ln |x|} with Math.Pow's signs and special cases; relative error about |y ln x| ulp of double,
    // far below a float ulp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> PowByExpLog(Vector<double> x, Vector<double> y)
    {
        var r = Exp(y * Vector.Log(Vector.Abs(x)));
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

    /// <summary>Lane-wise σ(x) with e = e^−|x|: 1/(1 + e) for x ≥ 0, e/(1 + e) below, as <see cref="Sigmoid(float)"/>; within 4 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Sigmoid(x);

    /// <inheritdoc cref="Sigmoid(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Sigmoid(x);

    /// <summary>Lane-wise σ(x) with e = e^−|x|: 1/(1 + e) for x ≥ 0, e/(1 + e) below, as <see cref="Sigmoid(double)"/>; within 4 ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sigmoid(Vector<double> x)
    {
        var e = Exp(-Vector.Abs(x));
        var positive = Vector<double>.One / (Vector<double>.One + e);
        return Vector.ConditionalSelect(Vector.LessThan<double>(x, Vector<double>.Zero), e * positive, positive);
    }

    /// <summary>Lane-wise softplus(x) = max(x, 0) + log1p(e^−|x|), as <see cref="Softplus(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Softplus(x);

    /// <inheritdoc cref="Softplus(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Softplus(x);

    /// <summary>Lane-wise softplus(x) = max(x, 0) + log1p(e^−|x|), as <see cref="Softplus(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Softplus(Vector<double> x) => Vector.Max(x, Vector<double>.Zero) + Log1P(Exp(-Vector.Abs(x)));

    /// <summary>Lane-wise softplus(x) and σ(x) from one e^−|x|: the lanes of <see cref="Softplus(Vector{float})"/> and <see cref="Sigmoid(Vector{float})"/>.</summary>
    /// <param name="x">The lanes.</param>
    /// <param name="sigmoid">Receives σ(x) = softplus′(x).</param>
    /// <returns>softplus(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SoftplusGradient(Vector<float> x, out Vector<float> sigmoid) =>
        FloatLanes<Vector<float>, VectorOps>.SoftplusGradient(x, out sigmoid);

    /// <inheritdoc cref="SoftplusGradient(Vector{float}, out Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SoftplusGradient(Vector512<float> x, out Vector512<float> sigmoid) =>
        FloatLanes<Vector512<float>, Vector512Ops>.SoftplusGradient(x, out sigmoid);

    /// <summary>Lane-wise softplus(x) and σ(x) from one e^−|x|: the lanes of <see cref="Softplus(Vector{double})"/> and <see cref="Sigmoid(Vector{double})"/>.</summary>
    /// <param name="x">The lanes.</param>
    /// <param name="sigmoid">Receives σ(x) = softplus′(x).</param>
    /// <returns>softplus(x).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> SoftplusGradient(Vector<double> x, out Vector<double> sigmoid)
    {
        var e = Exp(-Vector.Abs(x));
        var positive = Vector<double>.One / (Vector<double>.One + e);
        sigmoid = Vector.ConditionalSelect(Vector.LessThan<double>(x, Vector<double>.Zero), e * positive, positive);
        return Vector.Max(x, Vector<double>.Zero) + Log1P(e);
    }

    // vfixupimm's response per class of x, a nibble each from the lowest: quiet NaN → x, signalling NaN → quiet
    // NaN(x), ±0 → x, +1 → +1, −∞ → −1, +∞ → +1, negative → −1, positive → +1 (codes 1, 2, 1, 0xA, 9, 0xA, 9, 0xA).
    private const int SignFixupTable = unchecked((int)0xA9A9A121);

    /// <summary>Lane-wise sign: 1, −1, or the lane itself for ±0 and NaN, as <see cref="Sign(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sign(Vector<float> x)
    {
        // AVX-512: one vfixupimmps maps each class of x to its sign (2 compares and 2 blends otherwise).
        if (Avx512F.VL.IsSupported && Vector<float>.Count == Vector256<float>.Count)
        {
            return Avx512F.VL.Fixup(x.AsVector256(), x.AsVector256(), Vector256.Create(SignFixupTable), 0).AsVector();
        }

        if (Avx512F.IsSupported && Vector<float>.Count == Vector512<float>.Count)
        {
            return Avx512F.Fixup(x.AsVector512(), x.AsVector512(), Vector512.Create(SignFixupTable), 0).AsVector();
        }

        var r = Vector.ConditionalSelect(Vector.GreaterThan<float>(x, Vector<float>.Zero), Vector<float>.One, x);
        return Vector.ConditionalSelect(Vector.LessThan<float>(x, Vector<float>.Zero), -Vector<float>.One, r);
    }

    /// <inheritdoc cref="Sign(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sign(Vector512<float> x)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.Fixup(x, x, Vector512.Create(SignFixupTable), 0);
        }

        var r = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, x);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -Vector512<float>.One, r);
    }

    /// <summary>Lane-wise sign: 1, −1, or the lane itself for ±0 and NaN, as <see cref="Sign(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sign(Vector<double> x)
    {
        if (Avx512F.VL.IsSupported && Vector<double>.Count == Vector256<double>.Count)
        {
            return Avx512F.VL.Fixup(x.AsVector256(), x.AsVector256(), Vector256.Create((long)SignFixupTable), 0).AsVector();
        }

        if (Avx512F.IsSupported && Vector<double>.Count == Vector512<double>.Count)
        {
            return Avx512F.Fixup(x.AsVector512(), x.AsVector512(), Vector512.Create((long)SignFixupTable), 0).AsVector();
        }

        var r = Vector.ConditionalSelect(Vector.GreaterThan<double>(x, Vector<double>.Zero), Vector<double>.One, x);
        return Vector.ConditionalSelect(Vector.LessThan<double>(x, Vector<double>.Zero), -Vector<double>.One, r);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoDiff;

// A single-precision vector logarithm of our own: .NET 10's Vector.Log(Vector<float>) costs ~2–2.5 ns
// per element here, barely less than scalar MathF.Log; this polynomial costs a fraction of that at the
// same accuracy (Runtime.Tests/VectorMathTests measures both).
public static partial class AD
{
    private const float Sqrt1Over2 = 0.707106781186547524f;

    /// <summary>
    /// Lane-wise ln x in single precision: x = m·2ᵉ with m in [√½, √2), ln m = f − f²/2 + f³·P(f) for f = m − 1
    /// with Cephes's degree-8 minimax P, plus e·ln 2 in two parts. Subnormals are scaled first; ln 0 = −∞,
    /// ln of a negative number or NaN is NaN, ln ∞ = ∞. Within 2 ulp.
    /// </summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        // Subnormal inputs: scale by 2²³ so the exponent field holds their magnitude.
        var subnormal = Vector.LessThan(x, new Vector<float>(1.17549435e-38f));
        var scaled = Vector.ConditionalSelect(subnormal, x * 8388608f, x);
        var bits = Vector.AsVectorInt32(scaled);
        var exponent = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(126);
        exponent = Vector.ConditionalSelect(subnormal, exponent - new Vector<int>(23), exponent);

        // m in [0.5, 1); below √½ use 2m and one less in the exponent, so f = m − 1 lies in [√½ − 1, √2 − 1).
        var m = Vector.AsVectorSingle((bits & new Vector<int>(0x007FFFFF)) | new Vector<int>(0x3F000000));
        var low = Vector.LessThan(m, new Vector<float>(Sqrt1Over2));
        var e = Vector.ConvertToSingle(exponent + low);   // low is −1 (all bits) where true
        var f = Vector.ConditionalSelect(low, m + m, m) - Vector<float>.One;

        var z = f * f;
        var p = new Vector<float>(7.0376836292E-2f);
        p = (p * f) + new Vector<float>(-1.1514610310E-1f);
        p = (p * f) + new Vector<float>(1.1676998740E-1f);
        p = (p * f) + new Vector<float>(-1.2420140846E-1f);
        p = (p * f) + new Vector<float>(1.4249322787E-1f);
        p = (p * f) + new Vector<float>(-1.6668057665E-1f);
        p = (p * f) + new Vector<float>(2.0000714765E-1f);
        p = (p * f) + new Vector<float>(-2.4999993993E-1f);
        p = (p * f) + new Vector<float>(3.3333331174E-1f);
        var y = (p * f * z) + (e * -2.12194440e-4f) - (z * 0.5f);
        var result = f + y + (e * 0.693359375f);

        // Special values: ln 0 = −∞, ln(x < 0) = NaN, ln ∞ = ∞, NaN stays NaN.
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), new Vector<float>(float.NegativeInfinity), result);
        result = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero) | ~Vector.Equals(x, x), new Vector<float>(float.NaN), result);
        return Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
    }

    /// <summary>Lane-wise ln x in double precision (<see cref="Vector.Log(Vector{double})"/>).</summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log(Vector<double> x) => Vector.Log(x);
}

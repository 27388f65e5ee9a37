using System.Numerics;

namespace AutoDiff;

// Functions whose lanes run the scalar function on each lane: exactly its result, at the scalar function's speed.
// The generator emits them for the lanes of Math's functions that have no fast vector form of full accuracy here.
public static partial class AD
{
    /// <summary>Lane-wise tangent, <see cref="MathF.Tan"/> on each lane.</summary>
    public static unsafe Vector<float> Tan(Vector<float> x) => PerLane(x, &MathF.Tan);

    /// <summary>Lane-wise tangent, <see cref="Math.Tan"/> on each lane.</summary>
    public static unsafe Vector<double> Tan(Vector<double> x) => PerLane(x, &Math.Tan);

    /// <summary>Lane-wise next value above x, <see cref="MathF.BitIncrement"/> on each lane.</summary>
    public static unsafe Vector<float> BitIncrement(Vector<float> x) => PerLane(x, &MathF.BitIncrement);

    /// <summary>Lane-wise next value above x, <see cref="Math.BitIncrement"/> on each lane.</summary>
    public static unsafe Vector<double> BitIncrement(Vector<double> x) => PerLane(x, &Math.BitIncrement);

    /// <summary>Lane-wise next value below x, <see cref="MathF.BitDecrement"/> on each lane.</summary>
    public static unsafe Vector<float> BitDecrement(Vector<float> x) => PerLane(x, &MathF.BitDecrement);

    /// <summary>Lane-wise next value below x, <see cref="Math.BitDecrement"/> on each lane.</summary>
    public static unsafe Vector<double> BitDecrement(Vector<double> x) => PerLane(x, &Math.BitDecrement);

    /// <summary>Lane-wise sin(π·x), <see cref="float.SinPi(float)"/> on each lane (exact at the integers).</summary>
    public static unsafe Vector<float> SinPi(Vector<float> x) => PerLane(x, &float.SinPi);

    /// <summary>Lane-wise sin(π·x), <see cref="double.SinPi(double)"/> on each lane (exact at the integers).</summary>
    public static unsafe Vector<double> SinPi(Vector<double> x) => PerLane(x, &double.SinPi);

    /// <summary>Lane-wise cos(π·x), <see cref="float.CosPi(float)"/> on each lane.</summary>
    public static unsafe Vector<float> CosPi(Vector<float> x) => PerLane(x, &float.CosPi);

    /// <summary>Lane-wise cos(π·x), <see cref="double.CosPi(double)"/> on each lane.</summary>
    public static unsafe Vector<double> CosPi(Vector<double> x) => PerLane(x, &double.CosPi);

    /// <summary>Lane-wise tan(π·x), <see cref="float.TanPi(float)"/> on each lane.</summary>
    public static unsafe Vector<float> TanPi(Vector<float> x) => PerLane(x, &float.TanPi);

    /// <summary>Lane-wise tan(π·x), <see cref="double.TanPi(double)"/> on each lane.</summary>
    public static unsafe Vector<double> TanPi(Vector<double> x) => PerLane(x, &double.TanPi);

    /// <summary>Lane-wise arcsine, <see cref="MathF.Asin"/> on each lane: in [−π/2, π/2], NaN outside [−1, 1].</summary>
    public static unsafe Vector<float> Asin(Vector<float> x) => PerLane(x, &MathF.Asin);

    /// <summary>Lane-wise arcsine, <see cref="Math.Asin"/> on each lane: in [−π/2, π/2], NaN outside [−1, 1].</summary>
    public static unsafe Vector<double> Asin(Vector<double> x) => PerLane(x, &Math.Asin);

    /// <summary>Lane-wise arccosine, <see cref="MathF.Acos"/> on each lane: in [0, π], NaN outside [−1, 1].</summary>
    public static unsafe Vector<float> Acos(Vector<float> x) => PerLane(x, &MathF.Acos);

    /// <summary>Lane-wise arccosine, <see cref="Math.Acos"/> on each lane: in [0, π], NaN outside [−1, 1].</summary>
    public static unsafe Vector<double> Acos(Vector<double> x) => PerLane(x, &Math.Acos);

    /// <summary>Lane-wise arctangent, <see cref="MathF.Atan"/> on each lane: in (−π/2, π/2).</summary>
    public static unsafe Vector<float> Atan(Vector<float> x) => PerLane(x, &MathF.Atan);

    /// <summary>Lane-wise arctangent, <see cref="Math.Atan"/> on each lane: in (−π/2, π/2).</summary>
    public static unsafe Vector<double> Atan(Vector<double> x) => PerLane(x, &Math.Atan);

    /// <summary>Lane-wise angle of the point (x, y), <see cref="MathF.Atan2"/> on each lane: in [−π, π].</summary>
    public static unsafe Vector<float> Atan2(Vector<float> y, Vector<float> x) => PerLane(y, x, &MathF.Atan2);

    /// <summary>Lane-wise angle of the point (x, y), <see cref="Math.Atan2"/> on each lane: in [−π, π].</summary>
    public static unsafe Vector<double> Atan2(Vector<double> y, Vector<double> x) => PerLane(y, x, &Math.Atan2);

    /// <summary>Lane-wise inverse hyperbolic sine, <see cref="MathF.Asinh"/> on each lane.</summary>
    public static unsafe Vector<float> Asinh(Vector<float> x) => PerLane(x, &MathF.Asinh);

    /// <summary>Lane-wise inverse hyperbolic sine, <see cref="Math.Asinh"/> on each lane.</summary>
    public static unsafe Vector<double> Asinh(Vector<double> x) => PerLane(x, &Math.Asinh);

    /// <summary>Lane-wise inverse hyperbolic cosine, <see cref="MathF.Acosh"/> on each lane: NaN below 1.</summary>
    public static unsafe Vector<float> Acosh(Vector<float> x) => PerLane(x, &MathF.Acosh);

    /// <summary>Lane-wise inverse hyperbolic cosine, <see cref="Math.Acosh"/> on each lane: NaN below 1.</summary>
    public static unsafe Vector<double> Acosh(Vector<double> x) => PerLane(x, &Math.Acosh);

    /// <summary>Lane-wise inverse hyperbolic tangent, <see cref="MathF.Atanh"/> on each lane: NaN outside [−1, 1].</summary>
    public static unsafe Vector<float> Atanh(Vector<float> x) => PerLane(x, &MathF.Atanh);

    /// <summary>Lane-wise inverse hyperbolic tangent, <see cref="Math.Atanh"/> on each lane: NaN outside [−1, 1].</summary>
    public static unsafe Vector<double> Atanh(Vector<double> x) => PerLane(x, &Math.Atanh);

    /// <summary>Lane-wise cube root ∛x, <see cref="MathF.Cbrt"/> on each lane (negative for negative x).</summary>
    public static unsafe Vector<float> Cbrt(Vector<float> x) => PerLane(x, &MathF.Cbrt);

    /// <summary>Lane-wise cube root ∛x, <see cref="Math.Cbrt"/> on each lane (negative for negative x).</summary>
    public static unsafe Vector<double> Cbrt(Vector<double> x) => PerLane(x, &Math.Cbrt);

    /// <summary>Lane-wise 2ˣ, <see cref="float.Exp2(float)"/> on each lane.</summary>
    public static unsafe Vector<float> Exp2(Vector<float> x) => PerLane(x, &float.Exp2);

    /// <summary>Lane-wise 2ˣ, <see cref="double.Exp2(double)"/> on each lane.</summary>
    public static unsafe Vector<double> Exp2(Vector<double> x) => PerLane(x, &double.Exp2);

    /// <summary>Lane-wise 10ˣ, <see cref="float.Exp10(float)"/> on each lane.</summary>
    public static unsafe Vector<float> Exp10(Vector<float> x) => PerLane(x, &float.Exp10);

    /// <summary>Lane-wise 10ˣ, <see cref="double.Exp10(double)"/> on each lane.</summary>
    public static unsafe Vector<double> Exp10(Vector<double> x) => PerLane(x, &double.Exp10);

    /// <summary>Lane-wise √(x² + y²) without intermediate overflow, <see cref="float.Hypot(float, float)"/> on each lane.</summary>
    public static unsafe Vector<float> Hypot(Vector<float> x, Vector<float> y) => PerLane(x, y, &float.Hypot);

    /// <summary>Lane-wise √(x² + y²) without intermediate overflow, <see cref="double.Hypot(double, double)"/> on each lane.</summary>
    public static unsafe Vector<double> Hypot(Vector<double> x, Vector<double> y) => PerLane(x, y, &double.Hypot);

    /// <summary>Lane-wise C# remainder x % y = x − y·trunc(x/y), exact, with the sign of x (C's fmod).</summary>
    public static unsafe Vector<float> Remainder(Vector<float> x, Vector<float> y) => PerLane(x, y, &FloatRemainder);

    /// <summary>Lane-wise C# remainder x % y = x − y·trunc(x/y), exact, with the sign of x (C's fmod).</summary>
    public static unsafe Vector<double> Remainder(Vector<double> x, Vector<double> y) => PerLane(x, y, &DoubleRemainder);

    /// <summary>Lane-wise x − y·round(x/y) (halves to even), <see cref="MathF.IEEERemainder"/> on each lane.</summary>
    public static unsafe Vector<float> IeeeRemainder(Vector<float> x, Vector<float> y) => PerLane(x, y, &MathF.IEEERemainder);

    /// <summary>Lane-wise x − y·round(x/y) (halves to even), <see cref="Math.IEEERemainder"/> on each lane.</summary>
    public static unsafe Vector<double> IeeeRemainder(Vector<double> x, Vector<double> y) => PerLane(x, y, &Math.IEEERemainder);

    private static float FloatRemainder(float x, float y) => x % y;

    private static double DoubleRemainder(double x, double y) => x % y;

    private static unsafe Vector<T> PerLane<T>(Vector<T> x, delegate*<T, T> f)
        where T : unmanaged
    {
        Span<T> result = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = f(x[i]);
        }

        return Vector.Create<T>(result);
    }

    private static unsafe Vector<T> PerLane<T>(Vector<T> x, Vector<T> y, delegate*<T, T, T> f)
        where T : unmanaged
    {
        Span<T> result = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = f(x[i], y[i]);
        }

        return Vector.Create<T>(result);
    }
}

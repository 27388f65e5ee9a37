namespace AutoDiff.Runtime.Tests.Numerics;

/// <summary>Distances in units in the last place, and independent high-accuracy references.</summary>
public static class Ulp
{
    public static double Distance(float expected, float actual)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual))
        {
            return float.IsNaN(expected) && float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }

        if (expected == actual)
        {
            return 0;
        }

        return System.Math.Abs((double)Ordered(BitConverter.SingleToInt32Bits(expected)) - Ordered(BitConverter.SingleToInt32Bits(actual)));

        static long Ordered(int bits) => bits < 0 ? int.MinValue - (long)bits : bits;
    }

    public static double Distance(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }

        if (expected == actual)
        {
            return 0;
        }

        return (double)Int128.Abs(Ordered(BitConverter.DoubleToInt64Bits(expected)) - Ordered(BitConverter.DoubleToInt64Bits(actual)));

        static Int128 Ordered(long bits) => bits < 0 ? (Int128)long.MinValue - bits : bits;
    }

    /// <summary>log(1 + x) to about 1 ulp: 2·atanh(x/(2 + x)) as a series below |x| = 0.5, else Math.Log(1 + x).</summary>
    public static double Log1P(double x)
    {
        if (System.Math.Abs(x) >= 0.5 || double.IsNaN(x))
        {
            return System.Math.Log(1 + x);
        }

        double z = x / (2 + x), z2 = z * z, term = z, sum = 0;
        for (int k = 0; k < 60 && term != 0; k++)
        {
            sum += term / ((2 * k) + 1);
            term *= z2;
        }

        return 2 * sum;
    }

    /// <summary>eˣ − 1 to about 1 ulp: the Taylor series below |x| = 0.5, else Math.Exp(x) − 1.</summary>
    public static double ExpM1(double x)
    {
        if (System.Math.Abs(x) >= 0.5 || double.IsNaN(x))
        {
            return System.Math.Exp(x) - 1;
        }

        double term = x, sum = 0;
        for (int k = 2; k < 40 && term != 0; k++)
        {
            sum += term;
            term *= x / k;
        }

        return sum;
    }

    /// <summary>Points spread over [−max, −min] ∪ [min, max] logarithmically, plus ±0.</summary>
    public static IEnumerable<double> Spread(double min, double max, int count, bool negative = true)
    {
        yield return 0;
        double ratio = System.Math.Pow(max / min, 1.0 / (count - 1));
        double v = min;
        for (int i = 0; i < count; i++, v *= ratio)
        {
            yield return v;
            if (negative)
            {
                yield return -v;
            }
        }
    }
}

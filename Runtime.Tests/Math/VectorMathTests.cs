using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace AutoDiff.Runtime.Tests.Numerics;

/// <summary>
/// The accuracy the XML docs of <see cref="AD"/> state, measured lane by lane against an independent
/// reference over wide ranges (max ulp error printed, asserted against the documented bound).
/// </summary>
public sealed class VectorMathTests(ITestOutputHelper output)
{
    public static TheoryData<string, double> FloatCases => new()
    {
        { "Log1P", 4 }, { "ExpM1", 2 }, { "Tanh", 4 }, { "Sinh", 1 }, { "Cosh", 1 },
        { "Sigmoid", 4 }, { "Softplus", 4 }, { "Log10", 4 }, { "Log", 2 }, { "Exp", 2 },
        { "SoftplusGradient", 4 }, { "SoftplusGradient.Sigmoid", 4 },
    };

    public static TheoryData<string, double> DoubleCases => new()
    {
        { "Log1P", 4 }, { "ExpM1", 4 }, { "Tanh", 4 }, { "Sinh", 4 }, { "Cosh", 4 },
        { "Sigmoid", 4 }, { "Softplus", 4 }, { "Log10", 4 },
    };

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void Float_lanes_are_accurate(string function, double maxUlp)
    {
        var (vector, reference, domain) = FloatFunction(function);
        AssertWorst($"{function}(float)", maxUlp, domain.Select(x => (float)x), x => Ulp.Distance((float)reference(x), vector(new Vector<float>(x))[0]));
    }

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Double_lanes_are_accurate(string function, double maxUlp)
    {
        var (vector, reference, domain) = DoubleFunction(function);
        AssertWorst($"{function}(double)", maxUlp, domain, x => Ulp.Distance(reference(x), vector(new Vector<double>(x))[0]));
    }

    // The largest ulp error over the domain, printed and checked against the documented bound.
    private void AssertWorst<T>(string name, double maxUlp, IEnumerable<T> domain, Func<T, double> error)
    {
        double worst = 0;
        T? at = default;
        foreach (var x in domain)
        {
            double e = error(x);
            if (e > worst)
            {
                (worst, at) = (e, x);
            }
        }

        output.WriteLine($"{name}: max {worst} ulp at {at}");
        Assert.True(worst <= maxUlp, $"{name}: {worst} ulp at {at} (documented: {maxUlp})");
    }

    // The functions with a Vector512<float> form (which the generated kernels use on AVX-512 hardware), each as a
    // lane function of both widths.
    public static TheoryData<string> Float512Cases => new() { "Log1P", "ExpM1", "Tanh", "Sigmoid", "Softplus", "Log", "Exp", "SoftplusGradient", "SoftplusGradient.Sigmoid", "Log1P.Pair", "Log1P.Pair.Second" };

    [Theory]
    [MemberData(nameof(Float512Cases))]
    public void Float_512_bit_lanes_give_the_bits_of_the_Vector_lanes(string function)
    {
        // Every value of the function's accuracy domain and the special values, (a) in all 16 lanes at once,
        // which takes the path the Vector<float> form takes with all its lanes equal: the same bits; and (b) 16
        // different values per vector (fast and general paths mixed as they come), each lane within the
        // documented bound of the double reference. The pair form of log1p (of x and of −x/2) is compared with
        // its Vector<float> pair form, both results, in (a).
        var (narrow, wide) = Float512Function(function);
        bool pair = function.StartsWith("Log1P.Pair", StringComparison.Ordinal);
        var (_, reference, domain) = FloatFunction(pair ? "Log1P" : function);
        double bound = (double)FloatCases.Single(c => (string)c[0] == (pair ? "Log1P" : function))[1];
        var values = domain.Select(x => (float)x)
            .Concat(new[] { 0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -1f, 1e-40f, 100f, -100f })
            .ToArray();
        foreach (var x in values)
        {
            var expected = narrow(new Vector<float>(x))[0];
            var actual = wide(Vector512.Create(x));
            for (int lane = 0; lane < Vector512<float>.Count; lane++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual[lane]) || (float.IsNaN(expected) && float.IsNaN(actual[lane])),
                    $"{function}({x:R}): lane {lane} {actual[lane]:R}, Vector<float> {expected:R}");
            }
        }

        if (pair)
        {
            return;
        }

        double worst = 0;
        var lanes = new float[Vector512<float>.Count];
        for (int start = 0; start < values.Length; start += lanes.Length)
        {
            for (int lane = 0; lane < lanes.Length; lane++)
            {
                lanes[lane] = values[(start + lane) % values.Length];
            }

            var actual = wide(Vector512.Create(lanes));
            for (int lane = 0; lane < lanes.Length; lane++)
            {
                double exact = reference(lanes[lane]);
                if (double.IsNaN(exact))
                {
                    Assert.True(float.IsNaN(actual[lane]), $"{function}({lanes[lane]:R}) = {actual[lane]:R}, not NaN");
                    continue;
                }

                worst = System.Math.Max(worst, Ulp.Distance((float)exact, actual[lane]));
            }
        }

        output.WriteLine($"{function}(Vector512<float>), lanes mixed: max {worst} ulp");
        Assert.True(worst <= bound, $"{function}: {worst} ulp (documented: {bound})");
    }

    private static (Func<Vector<float>, Vector<float>> Narrow, Func<Vector512<float>, Vector512<float>> Wide) Float512Function(string name) => name switch
    {
        "Log1P" => (AD.Log1P, AD.Log1P),
        "ExpM1" => (AD.ExpM1, AD.ExpM1),
        "Tanh" => (AD.Tanh, AD.Tanh),
        "Sigmoid" => (AD.Sigmoid, AD.Sigmoid),
        "Softplus" => (AD.Softplus, AD.Softplus),
        "Log" => (AD.Log, AD.Log),
        "Exp" => (AD.Exp, AD.Exp),
        "SoftplusGradient" => (x => AD.SoftplusGradient(x, out _), x => AD.SoftplusGradient(x, out _)),
        "SoftplusGradient.Sigmoid" => (x => { AD.SoftplusGradient(x, out var s); return s; }, x => { AD.SoftplusGradient(x, out var s); return s; }),

        "Log1P.Pair" => (x => AD.Log1P(x, -x * 0.5f, out _), x => AD.Log1P(x, -x * 0.5f, out _)),
        "Log1P.Pair.Second" => (x => { AD.Log1P(x, -x * 0.5f, out var b); return b; }, x => { AD.Log1P(x, -x * 0.5f, out var b); return b; }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public void Pow_is_within_one_ulp_in_float_and_exact_in_double()
    {
        double worstFloat = 0;
        var random = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            double x = System.Math.Exp((random.NextDouble() * 20) - 10) * (random.Next(4) == 0 ? -1 : 1);
            double y = random.Next(3) == 0 ? random.Next(-6, 7) : (random.NextDouble() * 16) - 8;
            float xf = (float)x, yf = (float)y;
            float expectedF = (float)System.Math.Pow(xf, yf);
            worstFloat = System.Math.Max(worstFloat, Ulp.Distance(expectedF, AD.Pow(new Vector<float>(xf), new Vector<float>(yf))[0]));

            Assert.Equal(System.Math.Pow(x, y), AD.Pow(new Vector<double>(x), new Vector<double>(y))[0]);
        }

        output.WriteLine($"Pow: float max {worstFloat} ulp");
        Assert.True(worstFloat <= 1, $"Pow(float): {worstFloat} ulp");
    }

    [Fact]
    public void Pow_special_cases_follow_Math_Pow()
    {
        (double X, double Y)[] cases = { (-2, 3), (-2, 2), (-2, 0.5), (0, 2), (0, -1), (0, 0), (double.NaN, 0), (1, double.NaN), (2, 0), (-8, 1.0 / 3) };
        foreach (var (x, y) in cases)
        {
            Assert.Equal(System.Math.Pow(x, y), AD.Pow(new Vector<double>(x), new Vector<double>(y))[0]);
            Assert.Equal(MathF.Pow((float)x, (float)y), AD.Pow(new Vector<float>((float)x), new Vector<float>((float)y))[0]);
        }
    }

    [Fact]
    public void Atan_and_Atan2_give_the_scalar_result_in_every_lane()
    {
        // Distinct lanes, so a lane mixed up with another fails: special values, both signs, every quadrant.
        double[] x = { -0.0, 0.0, 1.0, -1.0, 1e-300, -3e7, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.5, -2.5, 7.0, 1e-8, -1e-8, 123.25, -0.75 };
        for (int start = 0; start + Vector<float>.Count <= x.Length; start++)
        {
            var xd = Vector.Create<double>(x.AsSpan(start, Vector<double>.Count));
            var yd = Vector.Create<double>(x.AsSpan(x.Length - Vector<double>.Count - (start % 2), Vector<double>.Count));
            var xf = Vector.Create<float>(x.AsSpan(start, Vector<float>.Count).ToArray().Select(v => (float)v).ToArray());
            var yf = Vector.Create<float>(x.AsSpan(x.Length - Vector<float>.Count - (start % 2), Vector<float>.Count).ToArray().Select(v => (float)v).ToArray());
            for (int i = 0; i < Vector<double>.Count; i++)
            {
                Assert.Equal(System.Math.Atan(xd[i]), AD.Atan(xd)[i]);
                Assert.Equal(System.Math.Atan2(yd[i], xd[i]), AD.Atan2(yd, xd)[i]);
            }

            for (int i = 0; i < Vector<float>.Count; i++)
            {
                Assert.Equal(MathF.Atan(xf[i]), AD.Atan(xf)[i]);
                Assert.Equal(MathF.Atan2(yf[i], xf[i]), AD.Atan2(yf, xf)[i]);
            }
        }
    }

    [Fact]
    public void Special_values_propagate()
    {
        foreach (var f in new Func<Vector<float>, Vector<float>>[] { AD.Log1P, AD.ExpM1, AD.Tanh, AD.Sinh, AD.Cosh, AD.Sigmoid, AD.Softplus, AD.Sign })
        {
            Assert.True(float.IsNaN(f(new Vector<float>(float.NaN))[0]));
        }

        Assert.True(double.IsNaN(AD.Tanh(new Vector<double>(double.NaN))[0]));
        Assert.Equal(1f, AD.Tanh(new Vector<float>(float.PositiveInfinity))[0]);
        Assert.Equal(-1f, AD.Tanh(new Vector<float>(float.NegativeInfinity))[0]);
        Assert.Equal(-1.0, AD.Tanh(new Vector<double>(double.NegativeInfinity))[0]);
        Assert.Equal(float.PositiveInfinity, AD.Log1P(new Vector<float>(float.PositiveInfinity))[0]);
        Assert.Equal(float.NegativeInfinity, AD.Log(new Vector<float>(0f))[0]);
        Assert.Equal(float.PositiveInfinity, AD.Exp(new Vector<float>(89f))[0]);
        Assert.Equal(0f, AD.Exp(new Vector<float>(-200f))[0]);
        Assert.Equal(0f, AD.Exp(new Vector<float>(float.NegativeInfinity))[0]);
        Assert.Equal(float.PositiveInfinity, AD.Exp(new Vector<float>(float.PositiveInfinity))[0]);
        Assert.True(float.IsNaN(AD.Exp(new Vector<float>(float.NaN))[0]));
        Assert.Equal(MathF.Exp(-100f), AD.Exp(new Vector<float>(-100f))[0]); // a subnormal result
        Assert.True(float.IsNaN(AD.Log(new Vector<float>(-1f))[0]));
        Assert.True(float.IsNaN(AD.Log(new Vector<float>(float.NaN))[0]));
        Assert.Equal(float.PositiveInfinity, AD.Log(new Vector<float>(float.PositiveInfinity))[0]);
        Assert.True(float.IsNaN(AD.Log1P(new Vector<float>(-2f))[0]));
        Assert.Equal(float.NegativeInfinity, AD.Log1P(new Vector<float>(-1f))[0]);
        Assert.Equal(-1f, AD.ExpM1(new Vector<float>(float.NegativeInfinity))[0]);
        Assert.Equal(float.PositiveInfinity, AD.ExpM1(new Vector<float>(float.PositiveInfinity))[0]);
        Assert.Equal(100f, AD.Softplus(new Vector<float>(100f))[0]);
        Assert.Equal(0f, AD.Sigmoid(new Vector<float>(-200f))[0]);
        Assert.Equal(float.PositiveInfinity, AD.Cosh(new Vector<float>(100f))[0]);
        Assert.Equal(System.Math.Cosh(710.0), AD.Cosh(new Vector<double>(710.0))[0], 1e-15 * System.Math.Cosh(710.0));
    }

    [Fact]
    public void Two_float_log1p_at_once_give_the_lanes_of_one_at_a_time()
    {
        // Both vectors in the fast range: the same bits as two calls. A special lane in either (NaN, −1, below −1,
        // ∞, beyond 2¹⁰⁰): both take the general path, within the documented 3 ulp, with its special values.
        var random = new Random(11);
        float[] specials = { float.NaN, -1f, -2f, float.PositiveInfinity, 3e30f };
        int n = Vector<float>.Count, withSpecials = 0;
        double worst = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var a = new float[n];
            var b = new float[n];
            for (int k = 0; k < n; k++)
            {
                a[k] = RandomArgument(random);
                b[k] = RandomArgument(random);
            }

            bool special = random.Next(8) == 0;
            if (special)
            {
                (random.Next(2) == 0 ? a : b)[random.Next(n)] = specials[random.Next(specials.Length)];
                withSpecials++;
            }

            var pairA = AD.Log1P(new Vector<float>(a), new Vector<float>(b), out var pairB);
            var oneA = AD.Log1P(new Vector<float>(a));
            var oneB = AD.Log1P(new Vector<float>(b));
            for (int k = 0; k < n; k++)
            {
                foreach (var (x, pair, one) in new[] { (a[k], pairA[k], oneA[k]), (b[k], pairB[k], oneB[k]) })
                {
                    if (!special)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(one), BitConverter.SingleToInt32Bits(pair));
                        continue;
                    }

                    double error = Ulp.Distance((float)Ulp.Log1P(x), pair);
                    worst = System.Math.Max(worst, error);
                    Assert.True(error <= 3, $"log1p({x}) = {pair} at once, {one} alone");
                    Assert.Equal(float.IsNegative(x) && x == 0, float.IsNegative(pair) && pair == 0);
                }
            }
        }

        output.WriteLine($"pairs with a special lane: {withSpecials}; worst {worst} ulp there");
        Assert.True(withSpecials > 1000);

        static float RandomArgument(Random random) => random.Next(10) switch
        {
            0 => 0f,
            1 => -0f,
            2 => (float)((random.NextDouble() * 1.999) - 0.9995),
            3 => -(float)(System.Math.Exp((random.NextDouble() * 30) - 30) * 0.999), // in (−1, 0)
            _ => (float)System.Math.Exp((random.NextDouble() * 40) - 30),
        };
    }

    [Fact]
    public void Float_expm1_and_tanh_hold_their_bounds_on_a_dense_grid_across_every_branch()
    {
        // Every reduction step n = round(x/ln 2) from −25 to 25, the n = 0 polynomial, and both sides of |x| = 17.
        double worstExpM1 = 0, worstTanh = 0;
        for (int i = -20_000; i <= 20_000; i++)
        {
            float x = i * 1e-3f;
            worstExpM1 = System.Math.Max(worstExpM1, Ulp.Distance((float)Ulp.ExpM1(x), AD.ExpM1(new Vector<float>(x))[0]));
            worstTanh = System.Math.Max(worstTanh, Ulp.Distance((float)System.Math.Tanh(x), AD.Tanh(new Vector<float>(x))[0]));
        }

        output.WriteLine($"ExpM1(float) on [−20, 20] by 0.001: max {worstExpM1} ulp; Tanh(float): max {worstTanh} ulp");
        Assert.True(worstExpM1 <= 2, $"ExpM1: {worstExpM1} ulp");
        Assert.True(worstTanh <= 4, $"Tanh: {worstTanh} ulp");
        Assert.True(float.IsNegative(AD.ExpM1(new Vector<float>(-0f))[0]), "ExpM1(−0) is −0");
        Assert.True(float.IsNaN(AD.ExpM1(new Vector<float>(float.NaN))[0]));
    }

    [Fact]
    public void Float_log_and_log1p_agree_on_their_fast_path_and_their_general_path()
    {
        // A vector whose lanes are all ordinary takes the fast path; one special lane (NaN here) sends the whole
        // vector through the general path. Every grid point is checked both ways, against a double reference.
        double worstLog = 0, worstLog1P = 0;
        var lanes = new float[Vector<float>.Count];
        for (int i = 0; i < 40_000; i++)
        {
            float x = (float)System.Math.Exp((i - 20_000) * 2e-3);     // e^−40 … e^40
            float y = i % 2 == 0 ? x : -x / (1 + x);                    // log1p also over (−1, 0)
            foreach (bool special in new[] { false, true })
            {
                Array.Fill(lanes, x);
                lanes[^1] = special ? float.NaN : x;
                worstLog = System.Math.Max(worstLog, Ulp.Distance((float)System.Math.Log(x), AD.Log(new Vector<float>(lanes))[0]));
                Array.Fill(lanes, y);
                lanes[^1] = special ? float.NaN : y;
                var log1p = AD.Log1P(new Vector<float>(lanes));
                worstLog1P = System.Math.Max(worstLog1P, Ulp.Distance((float)Ulp.Log1P(y), log1p[0]));
                Assert.True(!special || float.IsNaN(log1p[lanes.Length - 1]));
            }
        }

        output.WriteLine($"Log(float) over e^±40, both paths: max {worstLog} ulp; Log1P(float) over (−1, e^40): max {worstLog1P} ulp");
        Assert.True(worstLog <= 1, $"Log: {worstLog} ulp");
        Assert.True(worstLog1P <= 3, $"Log1P: {worstLog1P} ulp");
        Assert.True(float.IsNegative(AD.Log1P(new Vector<float>(-0f))[0]), "Log1P(−0) is −0");
        Assert.Equal(-1e-30f, AD.Log1P(new Vector<float>(-1e-30f))[0]);
        Assert.Equal(MathF.Log(1e-40f), AD.Log(new Vector<float>(1e-40f))[0], 1e-5f);   // a subnormal input
    }

    [Fact]
    public void Softplus_gradient_gives_the_bits_of_softplus_and_sigmoid_computed_apart()
    {
        // The generated kernels call SoftplusGradient where a softplus's derivative is needed too; it must not
        // change a single value against Softplus and Sigmoid, whatever the path (fast, special, scalar).
        float[] special = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-45f, -100f, 100f];
        var xs = Enumerable.Range(-40_000, 80_001).Select(i => i * 2.5e-3f).Concat(special).ToArray();
        var lanes = new float[Vector<float>.Count];
        for (int start = 0; start < xs.Length; start += lanes.Length)
        {
            for (int k = 0; k < lanes.Length; k++)
            {
                lanes[k] = xs[System.Math.Min(start + k, xs.Length - 1)];
            }

            var v = new Vector<float>(lanes);
            var value = AD.SoftplusGradient(v, out var sigmoid);
            Assert.Equal(AD.Softplus(v), value);
            Assert.Equal(AD.Sigmoid(v), sigmoid);
            for (int k = 0; k < lanes.Length; k++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(AD.Softplus(lanes[k])), BitConverter.SingleToInt32Bits(AD.SoftplusGradient(lanes[k], out float s)));
                Assert.Equal(BitConverter.SingleToInt32Bits(AD.Sigmoid(lanes[k])), BitConverter.SingleToInt32Bits(s));
                var d = new Vector<double>(lanes[k]);
                Assert.Equal(AD.Softplus(d), AD.SoftplusGradient(d, out var sd));
                Assert.Equal(AD.Sigmoid(d), sd);
            }
        }
    }

    [Fact]
    public void Vector_sign_maps_every_class_of_float_and_double()
    {
        // Lane by lane, so that the AVX-512 fix-up and the compare-and-blend paths meet the same values; also the
        // Vector512<float> form.
        float[] inputs = [0f, -0f, float.NaN, 1f, -1f, 1e-45f, -1e-45f, float.PositiveInfinity, float.NegativeInfinity, 3.5f, -1e30f];
        float[] expected = [0f, -0f, float.NaN, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f];
        var lanes = new float[Vector<float>.Count];
        var doubles = new double[Vector<double>.Count];
        var wide = new float[Vector512<float>.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            for (int k = 0; k < lanes.Length; k++)
            {
                lanes[k] = inputs[(i + k) % inputs.Length];
            }

            for (int k = 0; k < wide.Length; k++)
            {
                wide[k] = inputs[(i + k) % inputs.Length];
            }

            var signWide = AD.Sign(Vector512.Create(wide));
            for (int k = 0; k < wide.Length; k++)
            {
                float want = expected[(i + k) % inputs.Length];
                Assert.True(float.IsNaN(want) ? float.IsNaN(signWide[k]) : BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(signWide[k]), $"Sign({wide[k]:R}) as Vector512 = {signWide[k]:R}");
            }

            for (int k = 0; k < doubles.Length; k++)
            {
                doubles[k] = inputs[(i + k) % inputs.Length];
            }

            var sign = AD.Sign(new Vector<float>(lanes));
            var signDouble = AD.Sign(new Vector<double>(doubles));
            for (int k = 0; k < lanes.Length; k++)
            {
                float want = expected[(i + k) % inputs.Length];
                Assert.True(float.IsNaN(want) ? float.IsNaN(sign[k]) : BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(sign[k]), $"Sign({lanes[k]:R}) = {sign[k]:R}");
            }

            for (int k = 0; k < doubles.Length; k++)
            {
                double want = expected[(i + k) % inputs.Length];
                Assert.True(double.IsNaN(want) ? double.IsNaN(signDouble[k]) : BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(signDouble[k]), $"Sign({doubles[k]:R}) = {signDouble[k]:R}");
            }
        }
    }

    [Fact]
    public void Scalar_log1p_and_expm1_keep_full_precision_near_zero()
    {
        // .NET's own float.LogP1(1e-8f) is 0: the reason these exist.
        foreach (var x in Ulp.Spread(1e-30, 1e-2, 200))
        {
            Assert.True(Ulp.Distance(Ulp.Log1P(x), AD.Log1P(x)) <= 2, $"Log1P({x:R})");
            Assert.True(Ulp.Distance(Ulp.ExpM1(x), AD.ExpM1(x)) <= 2, $"ExpM1({x:R})");
            Assert.True(Ulp.Distance((float)Ulp.Log1P((float)x), AD.Log1P((float)x)) <= 1, $"Log1P({(float)x:R}f)");
            Assert.True(Ulp.Distance((float)Ulp.ExpM1((float)x), AD.ExpM1((float)x)) <= 1, $"ExpM1({(float)x:R}f)");
        }

        Assert.Equal(1e-8f, AD.Log1P(1e-8f));
    }

    [Fact]
    public void Sign_is_zero_at_zero_and_never_throws()
    {
        Assert.Equal(0f, AD.Sign(0f));
        Assert.Equal(1f, AD.Sign(3f));
        Assert.Equal(-1.0, AD.Sign(-0.5));
        Assert.True(double.IsNaN(AD.Sign(double.NaN)));
        Assert.Equal(new Vector<float>(-1f), AD.Sign(new Vector<float>(-2f)));
    }

    private static (Func<Vector<float>, Vector<float>> Vector, Func<double, double> Reference, IEnumerable<double> Domain) FloatFunction(string name) => name switch
    {
        "Log1P" => (AD.Log1P, Ulp.Log1P, Ulp.Spread(1e-30, 1e30, 4000, negative: false).Concat(Ulp.Spread(1e-30, 0.999, 2000).Where(v => v < 0))),
        "ExpM1" => (AD.ExpM1, Ulp.ExpM1, Ulp.Spread(1e-30, 88, 6000)),
        "Tanh" => (AD.Tanh, System.Math.Tanh, Ulp.Spread(1e-30, 100, 6000)),
        "Sinh" => (AD.Sinh, System.Math.Sinh, Ulp.Spread(1e-30, 89, 6000)),
        "Cosh" => (AD.Cosh, System.Math.Cosh, Ulp.Spread(1e-30, 89, 6000)),
        "Sigmoid" => (AD.Sigmoid, x => 1 / (1 + System.Math.Exp(-x)), Ulp.Spread(1e-30, 100, 6000)),
        "Softplus" => (AD.Softplus, x => System.Math.Max(x, 0) + Ulp.Log1P(System.Math.Exp(-System.Math.Abs(x))), Ulp.Spread(1e-30, 1e4, 6000)),
        "Log10" => (AD.Log10, System.Math.Log10, Ulp.Spread(1e-30, 1e30, 6000, negative: false)),

        // softplus and σ from one e^−|x|; the dense grid crosses e = √2 − 1 (|x| ≈ 0.8814), where log1p(e) changes its reduction.
        "SoftplusGradient" => (x => AD.SoftplusGradient(x, out _), x => System.Math.Max(x, 0) + Ulp.Log1P(System.Math.Exp(-System.Math.Abs(x))),
            Ulp.Spread(1e-30, 1e4, 6000).Concat(Enumerable.Range(-20_000, 40_001).Select(i => i * 1e-3))),
        "SoftplusGradient.Sigmoid" => (x => { AD.SoftplusGradient(x, out var sigmoid); return sigmoid; }, x => 1 / (1 + System.Math.Exp(-x)),
            Ulp.Spread(1e-30, 100, 6000).Concat(Enumerable.Range(-20_000, 40_001).Select(i => i * 1e-3))),
        "Exp" => (AD.Exp, System.Math.Exp, Ulp.Spread(1e-30, 88.7, 20000).Concat(Enumerable.Range(0, 4000).Select(i => -87.0 - (i * 0.00425)))),
        "Log" => (AD.Log, System.Math.Log, Ulp.Spread(1e-44, 3e38, 20000, negative: false).Concat(Enumerable.Range(0, 20000).Select(i => 0.5 + (i / 20000.0)))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static (Func<Vector<double>, Vector<double>> Vector, Func<double, double> Reference, IEnumerable<double> Domain) DoubleFunction(string name) => name switch
    {
        "Log1P" => (AD.Log1P, Ulp.Log1P, Ulp.Spread(1e-300, 1e300, 4000, negative: false).Concat(Ulp.Spread(1e-300, 0.999, 2000).Where(v => v < 0))),
        "ExpM1" => (AD.ExpM1, Ulp.ExpM1, Ulp.Spread(1e-300, 709, 6000)),
        "Tanh" => (AD.Tanh, System.Math.Tanh, Ulp.Spread(1e-300, 100, 6000)),
        "Sinh" => (AD.Sinh, System.Math.Sinh, Ulp.Spread(1e-300, 710, 6000)),
        "Cosh" => (AD.Cosh, System.Math.Cosh, Ulp.Spread(1e-300, 710, 6000)),
        "Sigmoid" => (AD.Sigmoid, x => 1 / (1 + System.Math.Exp(-x)), Ulp.Spread(1e-300, 700, 6000)),
        "Softplus" => (AD.Softplus, x => System.Math.Max(x, 0) + Ulp.Log1P(System.Math.Exp(-System.Math.Abs(x))), Ulp.Spread(1e-300, 1e4, 6000)),
        "Log10" => (AD.Log10, System.Math.Log10, Ulp.Spread(1e-300, 1e300, 6000, negative: false)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}

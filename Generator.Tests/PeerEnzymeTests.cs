namespace AutoDiff.Generator.Tests;

/// <summary>
/// Eleven of Enzyme's reverse-mode integration tests (<c>enzyme/test/Integration/ReverseMode</c>) and one of its
/// forward-mode ones, transliterated to C# by this work's author (not independently): <c>insertsort_sum.c</c> (an
/// insertion sort in place by swaps through a temporary, a while loop on the data, then the sum of the larger half; its
/// result through a return instead of a pointer), <c>mycos.c</c>'s <c>my_sin</c> (a Taylor series over a
/// <c>uint64_t</c> counter, each term divided by a recursive <c>factorial</c> that is not differentiated: a method of
/// integers called as it is), <c>manymax.c</c> (a running maximum over an array, from a start value and from 0),
/// <c>rwrloop.c</c> (a sum of squares over a 10 × 10 array read as one span, each element zeroed after it is read, the
/// column count passed as <c>ref int</c> and set to 7 before the return), <c>readwriteread.c</c> (helpers that read,
/// write and read again one double passed by <c>ref</c>, and its void entry point, whose result goes through a pointer:
/// its FVjp), <c>frexp.c</c> (the mantissa through <c>Math.ILogB</c>, an int read as a value, since .NET has no frexp),
/// <c>loops.c</c>, <c>loopsdouble.c</c> and <c>loopstriple.c</c> (void functions of float pointers summing in double
/// 100, 100² and 100³ times, ref and out floats here: their FVjp) and <c>ForwardMode/loops.c</c> (its FJvp),
/// <c>insertsort_sum_min.c</c> (the sort with <c>long long</c> counters) and <c>fwdsolve.c</c> (forward substitution
/// into a span written in place: its FVjp, and its output weighted by the adjoints Enzyme seeds it with, called from a
/// method returning the sum, whose gradient is Enzyme's too). Each against the derivative Enzyme's test asserts; the
/// series' derivatives against the series differentiated term by term.
/// </summary>
public sealed class PeerEnzymeTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Enzyme
        {
            public static ulong Factorial(ulong x) => x == 0 ? 1 : x * Factorial(x - 1);

            [Differentiable]
            public static double MySin(double x)
            {
                double result = 0;
                ulong n = 12;
                for (ulong i = 0; i <= n; i++)
                {
                    if (i % 2 == 0) continue;
                    result += Math.Pow(x, i) / Factorial(i) * (i % 4 == 1 ? 1 : -1);
                }

                return result;
            }

            [Differentiable]
            public static float InsertsortSumLong(float[] array, long n)
            {
                float sum = 0;
                for (long i = 1; i < n; i++)
                {
                    long j = i;
                    while (j > 0 && array[j - 1] < array[j])
                    {
                        float tmp = array[j];
                        array[j] = array[j - 1];
                        array[j - 1] = tmp;
                        j -= 1;
                    }
                }

                for (int i = 0; i < n / 2; i++)
                {
                    sum += array[i];
                }

                return sum;
            }

            // loops.c, loopsdouble.c and loopstriple.c as Enzyme writes them: void compute_loops(float* a, float* b, float* ret),
            // float inputs summed in double 100, 100² and 100³ times, the result through a pointer (ref and out here; C
            // converts the double to float where C# needs the cast). Enzyme's reverse mode (FVjp) and, for loops.c,
            // ForwardMode/loops.c's forward mode (FJvp).
            [Differentiable]
            public static void Loops(ref float a, ref float b, out float ret)
            {
                double sum0 = 0.0;
                for (int i = 0; i < 100; i++)
                {
                    sum0 += a + b;
                }

                ret = (float)sum0;
            }

            [Differentiable]
            public static void LoopsDouble(ref float a, ref float b, out float ret)
            {
                double sum0 = 0.0;
                for (int i = 0; i < 100; i++)
                {
                    double sum1 = 0.0;
                    for (int j = 0; j < 100; j++)
                    {
                        sum1 += a + b;
                    }

                    sum0 += sum1;
                }

                ret = (float)sum0;
            }

            [Differentiable]
            public static void LoopsTriple(ref float a, ref float b, out float ret)
            {
                double sum0 = 0.0;
                for (int i = 0; i < 100; i++)
                {
                    double sum1 = 0.0;
                    for (int j = 0; j < 100; j++)
                    {
                        double sum2 = 0.0;
                        for (int k = 0; k < 100; k++)
                        {
                            sum2 += a + b;
                        }

                        sum1 += sum2;
                    }

                    sum0 += sum1;
                }

                ret = (float)sum0;
            }

            // fwdsolve.c: forward_sub(int N, double* L, double* b, double* out), out written in place (its FVjp is Enzyme's
            // reverse mode with out's shadow seeded), and its output weighted by the adjoints Enzyme seeds it with, so
            // that the gradient of the sum is Enzyme's (dL, db) too.
            [Differentiable]
            public static void ForwardSubInPlace(int n, ReadOnlySpan<double> l, ReadOnlySpan<double> b, Span<double> output)
            {
                for (int i = 0; i < n; i++)
                {
                    double tmp = b[i];
                    if (i > 1)
                    {
                        for (int j = 0; j < i - 1; j++)
                        {
                            tmp -= l[(i * n) + j] * output[j];
                        }
                    }

                    output[i] = tmp;
                }
            }

            [Differentiable]
            public static double ForwardSub(int n, ReadOnlySpan<double> l, ReadOnlySpan<double> b, [NoDiff] ReadOnlySpan<double> seed)
            {
                var output = new double[n];
                ForwardSubInPlace(n, l, b, output);
                double weighted = 0;
                for (int i = 0; i < n; i++)
                {
                    weighted += seed[i] * output[i];
                }

                return weighted;
            }

            // frexp's mantissa, which .NET does not have: x / 2^(ilogb(x) + 1), in [0.5, 1).
            [Differentiable]
            public static double Frexp(double x)
            {
                int exp = Math.ILogB(x) + 1;
                return x / Math.Pow(2, exp);
            }

            [Differentiable]
            public static double ManyMax(double[] a, int n, double start)
            {
                for (int i = 0; i < n; i++)
                {
                    if (a[i] > start)
                        start = a[i];
                }

                return start;
            }

            [Differentiable]
            public static double ManyMaxFromZero(double[] a, int n)
            {
                double start = 0.0f;
                for (int i = 0; i < n; i++)
                {
                    if (a[i] > start)
                        start = a[i];
                }

                return start;
            }

            [Differentiable]
            public static double ReadWriteReadLoop(Span<double> a, ref int n)
            {
                double sum = 0;
                for (int i = 0; i < 10; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        sum += a[10 * i + j] * a[10 * i + j];
                        a[10 * i + j] = 0;
                    }
                }

                n = 7;
                return sum;
            }

            // A caller follows what the callee writes through its ref int: n is 7 after the call.
            [Differentiable]
            public static double ScaledByWhatItLeaves(double[] a)
            {
                int n = 10;
                double sum = ReadWriteReadLoop(a, ref n);
                return sum * n;
            }

            [Differentiable] public static double FRead(ref double x) { double product = x * x; return product; }
            [Differentiable] public static void GWrite(ref double x, double product) { x = x * product; }
            [Differentiable] public static double HRead(ref double x) => x;

            [Differentiable]
            public static double ReadWriteRead(ref double x)
            {
                double product = FRead(ref x);
                GWrite(ref x, product);
                double ret = HRead(ref x);
                return ret;
            }

            // The void entry point, readwriteread(double* x, double* ret), as Enzyme differentiates it (FVjp).
            [Differentiable]
            public static void ReadWriteReadEntry(ref double x, out double ret)
            {
                ret = ReadWriteRead(ref x);
            }

            [Differentiable]
            public static float InsertsortSum(float[] array, int n)
            {
                float sum = 0;
                for (int i = 1; i < n; i++)
                {
                    int j = i;
                    while (j > 0 && array[j - 1] < array[j])
                    {
                        float tmp = array[j];
                        array[j] = array[j - 1];
                        array[j - 1] = tmp;
                        j -= 1;
                    }
                }

                for (int i = 0; i < n / 2; i++)
                {
                    sum += array[i];
                }

                return sum;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Enzyme"));

    private delegate float SortGradient(ReadOnlySpan<float> array, int n, Span<float> dArray);

    private delegate double Derivative(double x, out double dX);

    private delegate double Hessian(double x, Span<double> gradient, Span<double> hessian);

    [Fact]
    public void The_sorted_sum_has_the_gradient_Enzyme_asserts()
    {
        var array = Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray(); // Enzyme's unsorted_array_init
        var d = new float[10];
        float sum = Compiled.Value.GetMethod("InsertsortSumGradient")!.CreateDelegate<SortGradient>()(array, 10, d);
        Assert.Equal(5f, sum);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 0f : 1f), d);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)(i % 2)), array); // sorted on a copy
    }

    [Theory]
    [InlineData(1.23)]
    [InlineData(-0.4)]
    public void The_series_derivatives_are_the_series_differentiated_term_by_term(double x)
    {
        // Σ over odd k ≤ 11 of ±xᵏ/k!: its first and second derivatives, term by term.
        double first = 0, second = 0, factorial = 1;
        for (int k = 1; k <= 11; k++)
        {
            factorial *= k;
            if (k % 2 == 1)
            {
                double sign = k % 4 == 1 ? 1 : -1;
                first += sign * k * Math.Pow(x, k - 1) / factorial;
                second += k >= 2 ? sign * k * (k - 1) * Math.Pow(x, k - 2) / factorial : 0;
            }
        }

        var type = Compiled.Value;
        type.GetMethod("MySinGradient", [typeof(double), typeof(double).MakeByRefType()])!.CreateDelegate<Derivative>()(x, out double dX);
        Numerics.Close(first, dX, 1e-12, "my_sin'");
        var gradient = new double[1];
        var hessian = new double[1];
        type.GetMethod("MySinHessian", [typeof(double), typeof(Span<double>), typeof(Span<double>)])!.CreateDelegate<Hessian>()(x, gradient, hessian);
        Numerics.Close(second, hessian[0], 1e-12, "my_sin''");
    }

    private delegate double MaxGradient(ReadOnlySpan<double> a, int n, double start, Span<double> dA, out double dStart);

    private delegate double MaxFromZeroGradient(ReadOnlySpan<double> a, int n, Span<double> dA);

    private delegate double LoopGradient(ReadOnlySpan<double> a, int n, Span<double> dA);

    private delegate double SpanGradient(ReadOnlySpan<double> a, Span<double> dA);

    [Fact]
    public void The_running_maximum_has_the_gradients_manymax_asserts()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("ManyMaxGradient")!.CreateDelegate<MaxGradient>();
        var d = new double[5];
        Assert.Equal(102.0, gradient([1, 2, 3, 102, 5], 5, 3.14, d, out double dStart));
        Assert.Equal([0.0, 0, 0, 1, 0], d);
        Assert.Equal(0.0, dStart);

        Assert.Equal(102.0, type.GetMethod("ManyMaxFromZeroGradient")!.CreateDelegate<MaxFromZeroGradient>()([1, 2, 3, 4, 102], 5, d));
        Assert.Equal([0.0, 0, 0, 0, 1], d);

        Assert.Equal(102.0, gradient([1, 2, 3, 4, 5], 5, 102.0, d, out dStart));
        Assert.Equal([0.0, 0, 0, 0, 0], d);
        Assert.Equal(1.0, dStart);
    }

    [Fact]
    public void A_sum_of_squares_that_zeroes_what_it_reads_and_writes_its_ref_int_has_the_gradient_rwrloop_asserts()
    {
        var type = Compiled.Value;
        var a = Enumerable.Range(0, 100).Select(k => (double)((k / 10 * 100) + (k % 10))).ToArray(); // a[i][j] = i·100 + j
        var d = new double[100];
        int n = 10;
        double sum = type.GetMethod("ReadWriteReadLoopGradient")!.CreateDelegate<LoopGradient>()(a, n, d);
        Assert.Equal(a.Sum(v => v * v), sum);
        Assert.Equal(a.Select(v => 2 * v), d); // Enzyme: d_a[i][j] = 2·(i·100 + j)
        Assert.Equal(10, n); // the generated forms take n by value, and a as a copy
        Assert.Equal(5.0, a[5]);

        // Its caller reads n = 7 after the call: 7·Σa², gradient 14·a; the first 7 columns alone are read then.
        double scaled = type.GetMethod("ScaledByWhatItLeavesGradient")!.CreateDelegate<SpanGradient>()(a, d);
        Assert.Equal(7 * a.Sum(v => v * v), scaled);
        Assert.Equal(a.Select(v => 14 * v), d);
    }

    [Fact]
    public void Reading_writing_and_reading_a_ref_double_again_has_the_gradient_readwriteread_asserts()
    {
        var gradient = Compiled.Value.GetMethod("ReadWriteReadGradient", [typeof(double), typeof(double).MakeByRefType()])!.CreateDelegate<Derivative>();
        Assert.Equal(8.0, gradient(2.0, out double dX)); // x·x², read after the helper wrote it
        Assert.Equal(3 * 2.0 * 2.0, dX); // Enzyme: 3·x²
    }

    [Fact]
    public void The_mantissa_has_the_derivative_frexp_asserts()
    {
        var gradient = Compiled.Value.GetMethod("FrexpGradient", [typeof(double), typeof(double).MakeByRefType()])!.CreateDelegate<Derivative>();
        foreach (double x in new[] { 0.9, 1.0, 1.2, 2.0, 2.3, 32.0, 33.0, 0.25, 0.26, -0.9, -1.0, -1.2, -2.0, -2.3, 32.0, -33.0 }) // Enzyme's data
        {
            double mantissa = gradient(x, out double dX);
            Assert.InRange(Math.Abs(mantissa), 0.5, 0.99999999);
            Assert.Equal(mantissa / x, dX, 1e-10); // Enzyme: d/dx = f(x)/x, the exponent's step not differentiated
        }
    }

    private delegate void LoopsVjp(ref float a, ref float b, out float ret, ref float dA, ref float dB, float dRet);

    private delegate void LoopsJvp(ref float a, ref float b, out float ret, ref float tA, ref float tB, out float tRet);

    [Theory]
    [InlineData("Loops", 100f)]
    [InlineData("LoopsDouble", 100f * 100)]
    [InlineData("LoopsTriple", 100f * 100 * 100)]
    public void Void_loops_through_pointers_have_the_gradients_loops_asserts(string name, float count)
    {
        var vjp = Compiled.Value.GetMethod(name + "Vjp")!.CreateDelegate<LoopsVjp>();
        float a = 2f, b = 3f, dA = 0f, dB = 0f;
        vjp(ref a, ref b, out float ret, ref dA, ref dB, 1f); // Enzyme: da = db = 0 on entry, dret = 1
        Assert.Equal(count, dA); // Enzyme: 100 (100·100, 100·100·100), to 1e-10
        Assert.Equal(count, dB);
        Assert.Equal(count * 5f, ret);
        Assert.Equal((2f, 3f), (a, b)); // read, not written
    }

    [Fact]
    public void The_void_loop_has_the_tangent_ForwardMode_loops_asserts()
    {
        var jvp = Compiled.Value.GetMethod("LoopsJvp")!.CreateDelegate<LoopsJvp>();
        float a = 2f, b = 3f, tA = 1f, tB = 1f;
        jvp(ref a, ref b, out float ret, ref tA, ref tB, out float tRet); // Enzyme: da = db = 1
        Assert.Equal(200f, tRet); // Enzyme: dret = 200, to 1e-10
        Assert.Equal(500f, ret);
        Assert.Equal((1f, 1f), (tA, tB)); // a and b are left as they were: so are their tangents
    }

    private delegate void SolveVjp(int n, ReadOnlySpan<double> l, ReadOnlySpan<double> b, Span<double> output, Span<double> dL, Span<double> dB, Span<double> dOutput);

    private delegate void ReadWriteReadVjp(ref double x, out double ret, ref double dX, double dRet);

    [Fact]
    public void Forward_substitution_as_Enzyme_writes_it_has_the_gradient_fwdsolve_asserts()
    {
        var l = Enumerable.Range(0, 9).Select(i => (double)i).ToArray(); // Enzyme's L[i] = i for the gradient
        double[] b = [0.1, 0.2, 0.3], output = [7, 8, 9], dOutput = [10000, 20000, 30000];
        var dL = new double[9];
        var dB = new double[3];
        Compiled.Value.GetMethod("ForwardSubInPlaceVjp")!.CreateDelegate<SolveVjp>()(3, l, b, output, dL, dB, dOutput);
        Assert.Equal([0.0, 0, 0, 0, 0, 0, -3000, 0, 0], dL); // Enzyme: real_dL[6] = −3000, the rest 0
        Assert.Equal([-170000.0, 20000, 30000], dB); // Enzyme: real_db
        Assert.Equal([0.1, 0.2, 0.3 - (6 * 0.1)], output); // the solution: out[2] = b[2] − L[6]·out[0]
        Assert.Equal([0.0, 0, 0], dOutput); // what out held on entry is never read: Enzyme zeroes its shadow
    }

    [Fact]
    public void The_void_entry_point_of_readwriteread_has_the_gradient_Enzyme_asserts()
    {
        var vjp = Compiled.Value.GetMethod("ReadWriteReadEntryVjp")!.CreateDelegate<ReadWriteReadVjp>();
        double x = 2.0, dX = 0.0;
        vjp(ref x, out double ret, ref dX, 1.0);
        Assert.Equal(3 * 2.0 * 2.0, dX); // Enzyme: 3·x², the shadow of x zero on entry
        Assert.Equal(8.0, ret);
        Assert.Equal(8.0, x); // g_write left x·x² in x

        // x is a result too: with its upstream gradient 1 the gradient adds ∂(x·x²)/∂x.
        x = 2.0;
        dX = 1.0;
        vjp(ref x, out ret, ref dX, 1.0);
        Assert.Equal((3 * 2.0 * 2.0) + (3 * 2.0 * 2.0), dX);
    }

    private delegate float LongSortGradient(ReadOnlySpan<float> array, long n, Span<float> dArray);

    private delegate double SolveGradient(int n, ReadOnlySpan<double> l, ReadOnlySpan<double> b, ReadOnlySpan<double> seed, Span<double> dL, Span<double> dB);

    [Fact]
    public void The_sort_with_long_counters_has_the_gradient_insertsort_sum_min_asserts()
    {
        var array = Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray();
        var d = new float[10];
        Assert.Equal(5f, Compiled.Value.GetMethod("InsertsortSumLongGradient")!.CreateDelegate<LongSortGradient>()(array, 10L, d));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 0f : 1f), d);
    }

    [Fact]
    public void Forward_substitution_has_the_gradient_fwdsolve_asserts()
    {
        var l = Enumerable.Range(0, 9).Select(i => (double)i).ToArray(); // Enzyme's L[i] = i for the gradient
        double[] b = [0.1, 0.2, 0.3], seed = [10000, 20000, 30000];
        var dL = new double[9];
        var dB = new double[3];
        Compiled.Value.GetMethod("ForwardSubGradient")!.CreateDelegate<SolveGradient>()(3, l, b, seed, dL, dB);
        Assert.Equal([0.0, 0, 0, 0, 0, 0, -3000, 0, 0], dL); // Enzyme: real_dL[6] = −3000, the rest 0
        Assert.Equal([-170000.0, 20000, 30000], dB);
    }
}

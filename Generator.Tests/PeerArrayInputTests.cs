namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode tests of array inputs (<c>test/Arrays/ArrayInputsReverseMode.C</c>), transliterated to C# by this
/// work's author (not independently): a pointer the function reads becomes a <c>ReadOnlySpan&lt;T&gt;</c>, one it writes
/// an array (the gradient works on a copy, so the caller's array is left as it was), a C array local a local array
/// (<c>double arr[4] = {1. + i, 0., y}</c> with its zero written out), a <c>double&amp;</c> parameter <c>ref</c>, a
/// <c>size_t</c> counter an int, a parameter clad's test leaves out of the gradient ([NoDiff]). Each gradient is
/// compared to what clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005). 13 of the 14 functions it
/// differentiates are taken; not transliterated: <c>func5</c>, whose printed derivative is with respect to an int (clad
/// differentiates through the conversion; an int takes no gradient here).
/// </summary>
public sealed class PeerArrayInputTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladArrays
        {
            [Differentiable]
            public static double AddArr(ReadOnlySpan<double> arr, int n)
            {
                double ret = 0;
                for (int i = 0; i < n; i++)
                {
                    ret += arr[i];
                }

                return ret;
            }

            [Differentiable]
            public static double F(ReadOnlySpan<double> arr) => AddArr(arr, 3);

            [Differentiable]
            public static float Func(float[] a, ReadOnlySpan<float> b)
            {
                float sum = 0;
                for (int i = 0; i < 3; i++)
                {
                    a[i] *= b[i];
                    sum += a[i];
                }

                return sum;
            }

            [Differentiable]
            public static float Helper(float x) => 2 * x;

            [Differentiable]
            public static float Func2(ReadOnlySpan<float> a)
            {
                float sum = 0;
                for (int i = 0; i < 3; i++)
                    sum += Helper(a[i]);
                return sum;
            }

            [Differentiable]
            public static float Func3(float[] a, ReadOnlySpan<float> b)
            {
                float sum = 0;
                for (int i = 0; i < 3; i++)
                    sum += a[i] += b[i];
                return sum;
            }

            [Differentiable]
            public static double Func4(double x)
            {
                double[] arr = { x, 2 * x, x * x };
                double sum = 0;
                for (int i = 0; i < 3; i++)
                {
                    sum += AddArr(arr, 3);
                }

                return sum;
            }

            [Differentiable]
            public static double Func6(double seed)
            {
                double sum = 0;
                for (int i = 0; i < 3; i++)
                {
                    double[] arr = { seed, seed * i, seed + i };
                    sum += AddArr(arr, 3);
                }

                return sum;
            }

            [Differentiable]
            public static double InvSquare(ReadOnlySpan<double> @params) => 1 / (@params[0] * @params[0]);

            [Differentiable]
            public static double Func7(ReadOnlySpan<double> @params)
            {
                double @out = 0.0;
                for (int i = 0; i < 1; ++i)
                {
                    double[] paramsPrime = { @params[0] };
                    @out = @out + InvSquare(paramsPrime);
                }

                return @out;
            }

            [Differentiable]
            public static double Helper2(double i, ReadOnlySpan<double> arr, int n) => arr[0] * i;

            [Differentiable]
            public static double Func8(double i, double[] arr, int n)
            {
                double res = 0;
                arr[0] = 1;
                res = Helper2(i, arr, n);
                arr[0] = 5;
                return res;
            }

            [Differentiable]
            public static void Modify(ref double elem, double val)
            {
                elem = val;
            }

            [Differentiable]
            public static double Func9(double i, double j)
            {
                double[] arr = new double[5];
                for (int idx = 0; idx < 5; ++idx)
                {
                    Modify(ref arr[idx], i);
                }

                return arr[0] + arr[1] + arr[2] + arr[3] + arr[4];
            }

            [Differentiable]
            public static double Sq(ref double elem)
            {
                elem = elem * elem;
                return elem;
            }

            [Differentiable]
            public static double Func10(double[] arr, int n)
            {
                double res = 0;
                for (int i = 0; i < n; ++i)
                {
                    res += Sq(ref arr[i]);
                }

                return res;
            }

            [Differentiable]
            public static double Func11(double seed)
            {
                double sum = 0;
                for (int i = 0; i < 3; i++)
                {
                    double[] arr = new double[3];
                    arr[0] = seed;
                    arr[1] = seed * i;
                    arr[2] = seed + i;
                    sum += AddArr(arr, 3);
                }

                return sum;
            }

            [Differentiable]
            public static double Func12(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> y)
            {
                double prod = 0;
                for (int i = 0; i < 3; ++i)
                    prod += x[i] * y[i];
                return prod;
            }

            [Differentiable]
            public static double Func13(ReadOnlySpan<double> x, double y)
            {
                double prod = 0;
                for (int i = 0; i < 2; ++i)
                {
                    double[] arr = { 1.0 + i, 0.0, y, 0.0 };
                    prod += (arr[0] * x[0]) + (arr[1] * x[1]) + (arr[2] * x[2]) + (arr[3] * x[3]);
                }

                return prod; // 3 * x[0] + 2 * x[2] * y
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladArrays"));

    private delegate double RowGradient(ReadOnlySpan<double> arr, Span<double> dArr);

    private delegate float PairGradient(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dA, Span<float> dB);

    private delegate float FloatRowGradient(ReadOnlySpan<float> a, Span<float> dA);

    private delegate double CountedGradient(ReadOnlySpan<double> arr, int n, Span<double> dArr);

    private delegate double NoDiffGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dX);

    private delegate double RowScalarGradient(ReadOnlySpan<double> x, double y, Span<double> dX, out double dY);

    private delegate double ScalarArrayGradient(double i, ReadOnlySpan<double> arr, int n, out double dI, Span<double> dArr);

    private static TDelegate Gradient<TDelegate>(string name)
        where TDelegate : Delegate => Compiled.Value.GetMethod(name + "Gradient")!.CreateDelegate<TDelegate>();

    private static void Printed(string name, IEnumerable<double> actual, params double[] expected) =>
        Assert.True(actual.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 0.005) && actual.Count() == expected.Length,
            $"{name}: gradient ({string.Join(", ", actual)}), clad prints ({string.Join(", ", expected)})");

    [Fact]
    public void The_gradients_over_arrays_are_the_ones_clad_prints()
    {
        var d = new double[3];
        Gradient<RowGradient>("F")([1, 2, 3], d);
        Printed("f", d, 1, 1, 1);

        var (da, db) = (new float[3], new float[3]);
        float[] a1 = [1, 1, 1];
        Gradient<PairGradient>("Func")(a1, [2, 5, 2], da, db);
        Printed("func (a)", da.Select(v => (double)v), 2, 5, 2);
        Assert.Equal([1f, 1f, 1f], a1); // written on a copy

        Gradient<FloatRowGradient>("Func2")([2, 3, 4], da);
        Printed("func2", da.Select(v => (double)v), 2, 2, 2);

        Gradient<PairGradient>("Func3")([1, 1, 1], [2, 5, 2], da, db);
        Printed("func3 (b)", db.Select(v => (double)v), 1, 1, 1);

        d = new double[1];
        Gradient<RowGradient>("Func7")([2.0], d);
        Printed("func7", d, -0.25);

        d = new double[5];
        Gradient<ScalarArrayGradient>("Func8")(3, [1, 2, 3, 4, 5], 5, out double dI, d);
        Printed("func8", [dI], 1);

        double[] arr3 = [1, 2, 3, 4, 5];
        Gradient<CountedGradient>("Func10")(arr3, 5, d);
        Printed("func10 (arr)", d, 2, 4, 6, 8, 10); // sq(double& elem) returns a value and writes the element

        d = new double[3];
        Gradient<NoDiffGradient>("Func12")([1, 2, 3], [5, 6, 7], d);
        Printed("func12", d, 5, 6, 7);

        d = new double[4];
        Gradient<RowScalarGradient>("Func13")([1, 2, 3, 4], 5, d, out double dY);
        Printed("func13", d.Append(dY), 3, 0, 10, 0, 6);
    }

    [Theory]
    [InlineData("Func4", 1.0, 15.0)] // a local array of the parameter, summed by a helper three times
    [InlineData("Func6", 1.0, 9.0)] // a local array declared in a loop
    [InlineData("Func11", 1.0, 9.0)] // the same, its elements written one by one
    public void The_derivative_through_local_arrays_is_the_one_clad_prints(string name, double x, double expected) =>
        CladChecks.GradientPrinted(Compiled.Value, name, [x], [expected]);

    [Fact]
    public void The_gradient_through_a_void_helper_writing_elements_is_the_one_clad_prints() =>
        CladChecks.GradientPrinted(Compiled.Value, "Func9", [3.0, 5.0], [5.0, 0.0]);
}

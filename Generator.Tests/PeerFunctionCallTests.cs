namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's gradients through void helpers that return their results by reference (<c>test/Gradient/FunctionCalls.C</c>:
/// <c>fn3</c> calls <c>update1(double&amp; i, double&amp; j)</c> twice, <c>fn14</c> calls the empty
/// <c>emptyFn(double&amp; x, double y)</c>; <c>fn27</c>, <c>fn29</c>, <c>fn32</c> call helpers that write an array in
/// place, <c>fn4</c> and <c>fn5</c> functions that write it and return a value, <c>fn13</c> and <c>fn20</c> pass
/// pointers with offsets to functions that read them, <c>fn26</c> and <c>fn30</c> arrays of different lengths to methods
/// that read them at fixed indices, <c>fn31</c> and <c>fn33</c> pass a pointer to a local; <c>fn2</c> and <c>fn24</c>
/// call functions that return a value and write their reference parameters, <c>fn15</c> calls one as a statement with an
/// assignment for its argument, <c>fn6</c>, <c>fn9</c>, <c>fn10</c>, <c>fn18</c>, <c>fn23</c>, <c>fn25</c> and <c>fn35</c>
/// default arguments, <c>const double&amp;</c> parameters, <c>std::max</c>/<c>min</c>/<c>clamp</c>, a function defined
/// later, a <c>bool</c> argument), transliterated to C# by this work's author (not independently): a C++ reference
/// parameter or a pointer to one value becomes <c>ref</c> (<c>in</c> where it is const), a pointer to elements a span
/// (<c>Span&lt;double&gt;</c> where the helper writes them), a pointer plus an offset a slice. Each gradient is compared
/// to what clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005). Not transliterated: the functions that
/// return references (<c>fn7</c>, <c>fn28</c>, <c>fnIdLoop</c>), template functions (<c>fn1</c>, <c>fn19</c>: a
/// [Differentiable] method is not generic), a pointer to a scalar passed as an array (<c>fn12</c>, <c>fn17</c>,
/// <c>fn21</c>), a string parameter (<c>fn8</c>), recursion (<c>fn16</c>), clad's own custom-derivative namespaces
/// (<c>fn11</c>, <c>fn22</c>), and <c>fn34</c>, whose derivative clad takes through a conversion to int.
/// </summary>
public sealed class PeerFunctionCallTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladFunctionCalls
        {
            [Differentiable]
            public static void Update1(ref double i, ref double j)
            {
                i += j;
                j += j;
            }

            [Differentiable]
            public static double Fn3(double i, double j)
            {
                Update1(ref i, ref j);
                Update1(ref i, ref j);
                return i;
            }

            [Differentiable]
            public static void EmptyFn(ref double x, double y)
            {
            }

            [Differentiable]
            public static double Fn14(double x, double y)
            {
                EmptyFn(ref x, y);
                return x + y;
            }

            [Differentiable]
            public static void Mult(Span<double> x, double y)
            {
                for (int i = 0; i < 3; ++i)
                {
                    x[i] *= y;
                }
            }

            [Differentiable]
            public static double Fn27(double u, double v)
            {
                double[] arr = { u, v, 1 };
                double sum = arr[0] * arr[1] * arr[2];
                Mult(arr, u);
                return sum + arr[2];
            }

            [Differentiable]
            public static void Foo(Span<double> x)
            {
                x[0] = x[0] * x[0];
            }

            [Differentiable]
            public static double Fn29(double[] x)
            {
                Foo(x);
                return x[0] * x[1];
            }

            [Differentiable]
            public static void InnerFunction(ref double @out, bool flag, ReadOnlySpan<double> c)
            {
                if (flag)
                {
                    @out = c[0];
                }
            }

            [Differentiable]
            public static double Fn31(double[] variables)
            {
                double @out = 0.0;
                InnerFunction(ref @out, true, variables);
                return @out;
            }

            [Differentiable]
            public static void FastInterp(ReadOnlySpan<double> coefs, ReadOnlySpan<double> sumParam, ReadOnlySpan<double> diffParam, Span<double> @out)
            {
                ReadOnlySpan<double> sum = sumParam;
                ReadOnlySpan<double> diff = diffParam;
                double x = coefs[0];
                @out[0] += x * (diff[0] + (x * sum[0]));
            }

            [Differentiable]
            public static double Fn32(double[] @params)
            {
                double[] t3 = { @params[0] };
                double[] t2 = new double[1];
                double[] xlArr = { 3.0, 4.0 };
                FastInterp(t3, xlArr, xlArr.AsSpan(1), t2);
                return t2[0];
            }

            [Differentiable]
            public static double Sum(double[] arr, int n)
            {
                double res = 0;
                for (int i = 0; i < n; ++i)
                {
                    res += arr[i];
                }

                arr[0] += 10 * arr[0];
                return res;
            }

            [Differentiable]
            public static void Twice(ref double d)
            {
                d = 2 * d;
            }

            [Differentiable]
            public static double Fn4(double[] arr, int n)
            {
                double res = 0;
                res += Sum(arr, n);
                for (int i = 0; i < n; ++i)
                {
                    Twice(ref arr[i]);
                    res += arr[i];
                }

                return res;
            }

            [Differentiable]
            public static double Modify2(double[] arr)
            {
                arr[0] = (5 * arr[0]) + arr[1];
                return 1;
            }

            [Differentiable]
            public static double Fn5(double[] arr, int n)
            {
                double temp = Modify2(arr);
                return arr[0];
            }

            [Differentiable]
            public static double Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => a[0] * b[0];

            [Differentiable]
            public static double Fn13(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
            {
                double[] wCopy = new double[2];
                for (int i = 0; i < 2; ++i)
                {
                    wCopy[i] = w[i];
                }

                return Multiply(x, wCopy.AsSpan(1));
            }

            [Differentiable]
            public static double WeightedSum(ReadOnlySpan<double> x, ReadOnlySpan<double> w) => (w[0] * x[0]) + (w[1] * x[1]);

            [Differentiable]
            public static double Fn20(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> w)
            {
                ReadOnlySpan<double> auxW = w[1..];
                return WeightedSum(x, auxW);
            }

            [Differentiable]
            public static double InnerFunc(ReadOnlySpan<double> @params, ReadOnlySpan<double> constants) => @params[0] * constants[0];

            [Differentiable]
            public static double Fn26(ReadOnlySpan<double> @params, [NoDiff] ReadOnlySpan<double> constants) => InnerFunc(@params, constants);

            [Differentiable]
            public static double FlexibleInterp(ReadOnlySpan<double> @params, ReadOnlySpan<double> high)
            {
                double total = 1.0;
                for (int i = 0; i < 1; ++i)
                {
                    total += @params[i];
                }

                return total;
            }

            [Differentiable]
            public static double Fn30(ReadOnlySpan<double> @params, [NoDiff] ReadOnlySpan<double> xlArr) => FlexibleInterp(@params, xlArr[2..]);

            [Differentiable]
            public static double ConstantFn(double i) => 5;

            [Differentiable]
            public static double Modify1(ref double i, ref double j)
            {
                i += j;
                j += j;
                double res = i + j;
                return res;
            }

            [Differentiable]
            public static double Fn2(double i, double j)
            {
                double temp = 0;
                temp = Modify1(ref i, ref j);
                temp = Modify1(ref i, ref j);
                return i;
            }

            [Differentiable]
            public static double Fn6(double i = 0, double j = 0) => i * j;

            [Differentiable]
            public static double CustomMax(in double a, in double b) => a > b ? a : b;

            [Differentiable]
            public static double Fn9(double x, double y) => CustomMax(x * y, y);

            [Differentiable]
            public static double Fn10(double x, double y)
            {
                double @out = x;
                @out = Math.Max(@out, 0.0);
                @out = Math.Min(@out, 10.0);
                @out = Math.Clamp(@out, 3.0, 7.0);
                return @out * y;
            }

            [Differentiable]
            public static double Fn15(double x, double y)
            {
                ConstantFn(y += x);
                return y;
            }

            [Differentiable]
            public static double Fn18(double x, double y) => SqDefinedLater(x) + SqDefinedLater(y);

            [Differentiable]
            public static double IdentityWithBool(double x, bool b) => x;

            [Differentiable]
            public static double Fn23(double x) => IdentityWithBool(x, true);

            [Differentiable]
            public static double UnusedReturn(ref double x) => x *= 2;

            [Differentiable]
            public static double Fn24(double x)
            {
                UnusedReturn(ref x);
                return x;
            }

            [Differentiable]
            public static double Fn25(double x) => x;

            [Differentiable]
            public static double Fn25DefinedLater(double x) => Fn25(x);

            [Differentiable]
            public static double Fn35(double x, double y)
            {
                double valMax = Math.Min(x, y); // std::max(x, y, std::greater<double>())
                double valMin = Math.Max(x, y); // std::min(x, y, std::greater<double>())
                return (2 * valMax) - (3 * valMin);
            }

            [Differentiable]
            public static double SqDefinedLater(double x) => x * x;

            [Differentiable]
            public static double IdenFunc(double x) => x;

            [Differentiable]
            public static void InnerFn(ReadOnlySpan<double> coefs, ref double @out)
            {
                double b = IdenFunc(coefs[0]);
                @out = b;
            }

            [Differentiable]
            public static double Fn33(double[] @params)
            {
                double @out = 0;
                InnerFn(@params, ref @out);
                return @out;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladFunctionCalls"));

    private delegate double Gradient(double x, double y, out double dX, out double dY);

    private delegate double Derivative(double x, out double dX);

    private delegate double ArrayGradient(ReadOnlySpan<double> x, Span<double> dX);

    private delegate double CountedArrayGradient(ReadOnlySpan<double> x, int n, Span<double> dX);

    private delegate double WeightedGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> w, Span<double> dX);

    [Theory]
    [InlineData("Fn3", 3.0, 5.0, 1.0, 3.0)]
    [InlineData("Fn14", 3.0, 5.0, 1.0, 1.0)]
    [InlineData("Fn27", 2.0, 1.0, 2.0, 2.0)] // mult(arr, u) scales a local array in place
    [InlineData("Fn2", 3.0, 5.0, 1.0, 3.0)] // temp = modify1(i, j): a method returning a value that writes its ref parameters, its value unread
    [InlineData("Fn6", 3.0, 5.0, 5.0, 3.0)]
    [InlineData("Fn9", 3.0, 5.0, 5.0, 3.0)] // custom_max(const double&, const double&): in parameters
    [InlineData("Fn10", 8.0, 5.0, 0.0, 7.0)] // std::max, std::min, std::clamp
    [InlineData("Fn15", 6.0, -2.0, 1.0, 1.0)] // constantFn(y += x); as a statement: its value dropped, the assignment run
    [InlineData("Fn18", 3.0, 5.0, 6.0, 10.0)]
    [InlineData("Fn35", 10.0, 1.0, -3.0, 2.0)] // std::max and std::min with std::greater: Math.Min and Math.Max
    public void The_gradient_through_a_call_is_the_one_clad_prints(string name, double x, double y, double dX, double dY)
    {
        var gradient = Compiled.Value.GetMethod(name + "Gradient", [typeof(double), typeof(double), typeof(double).MakeByRefType(), typeof(double).MakeByRefType()])!
            .CreateDelegate<Gradient>(); // the scalar form, not the lanes form
        gradient(x, y, out double gX, out double gY);
        Assert.True(Math.Abs(gX - dX) <= 0.005 && Math.Abs(gY - dY) <= 0.005, $"{name}({x}, {y}): gradient ({gX:R}, {gY:R}), clad prints ({dX:F2}, {dY:F2})");
    }

    // modify1(i, j) returns (i + j) + 2j = i + 3j of what i and j held on entry; its own forms take them by value.
    [Fact]
    public void The_forms_of_a_method_writing_its_ref_parameters_differentiate_the_value_it_returns()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("Modify1Gradient", [typeof(double), typeof(double), typeof(double).MakeByRefType(), typeof(double).MakeByRefType()])!
            .CreateDelegate<Gradient>();
        Assert.Equal(18.0, gradient(3.0, 5.0, out double dI, out double dJ));
        Assert.Equal((1.0, 3.0), (dI, dJ));

        var jvp = type.GetMethod("Modify1Jvp")!;
        var arguments = new object?[] { 3.0, 5.0, 0.5, -2.0, null };
        Assert.Equal(18.0, (double)jvp.Invoke(null, arguments)!);
        Assert.Equal(0.5 - 6.0, (double)arguments[4]!);

        var lanes = type.GetMethod("Modify1", [typeof(System.Numerics.Vector<double>), typeof(System.Numerics.Vector<double>)])!; // lane by lane, each through a copy
        Assert.Equal(new System.Numerics.Vector<double>(18.0), (System.Numerics.Vector<double>)lanes.Invoke(null, [new System.Numerics.Vector<double>(3.0), new System.Numerics.Vector<double>(5.0)])!);

        var halve = Activator.CreateInstance(type.GetNestedType("UnusedReturnOperator")!)!; // an activation: Value passes the method a copy
        Assert.Equal(6.0, (double)halve.GetType().GetMethod("Value")!.Invoke(halve, [3.0])!);
    }

    [Theory]
    [InlineData("Fn23", 3.0, 1.0)] // identity_with_bool(x, true)
    [InlineData("Fn24", 3.0, 2.0)] // unused_return(x);: x *= 2 through a reference, its value dropped
    [InlineData("Fn25DefinedLater", 3.0, 1.0)]
    public void The_derivative_through_a_call_is_the_one_clad_prints(string name, double x, double dX)
    {
        var gradient = Compiled.Value.GetMethod(name + "Gradient", [typeof(double), typeof(double).MakeByRefType()])!.CreateDelegate<Derivative>();
        gradient(x, out double gX);
        Assert.True(Math.Abs(gX - dX) <= 0.005, $"{name}({x}): derivative {gX:R}, clad prints {dX:F2}");
    }

    [Theory]
    [InlineData("Fn13", new[] { 2.0 }, new[] { 2.0, 3.0 }, new[] { 3.0 })] // multiply(x, wCopy + 1): a slice of a local array
    [InlineData("Fn20", new[] { 3.0, 5.0 }, new[] { -1.0, 2.0, 3.0 }, new[] { 2.0, 3.0 })] // auxW = w + 1: a span local naming a slice
    [InlineData("Fn26", new[] { 3.0, 5.0 }, new[] { -1.0, 2.0, 3.0 }, new[] { -1.0, 0.0 })] // inner_func(params, constants): spans of 2 and 3
    [InlineData("Fn30", new[] { 3.0, 5.0 }, new[] { -1.0, 2.0, 3.0 }, new[] { 1.0, 0.0 })] // flexibleInterp(params, xlArr + 2): 2 and 1
    public void The_gradient_with_respect_to_the_first_array_is_the_one_clad_prints(string name, double[] x, double[] w, double[] expected)
    {
        var gradient = Compiled.Value.GetMethod(name + "Gradient", [typeof(ReadOnlySpan<double>), typeof(ReadOnlySpan<double>), typeof(Span<double>)])!
            .CreateDelegate<WeightedGradient>(); // w is [NoDiff], clad's gradient(fn, "x")
        var d = new double[x.Length];
        gradient(x, w, d);
        Assert.True(d.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 0.005), $"{name}: gradient ({string.Join(", ", d)}), clad prints ({string.Join(", ", expected)})");
    }

    [Theory]
    [InlineData("Fn4", new[] { 23.0, 3.0, 3.0, 3.0, 3.0 })] // sum(arr, n) returns a value and writes arr[0]: inlined where it is called
    [InlineData("Fn5", new[] { 5.0, 1.0, 0.0, 0.0, 0.0 })] // modify2(arr), whose value nothing reads
    public void The_gradient_through_a_method_writing_its_array_and_returning_a_value_is_the_one_clad_prints(string name, double[] expected)
    {
        var gradient = Compiled.Value.GetMethod(name + "Gradient", [typeof(ReadOnlySpan<double>), typeof(int), typeof(Span<double>)])!.CreateDelegate<CountedArrayGradient>();
        var d = new double[5];
        gradient([1.0, 2.0, 3.0, 4.0, 5.0], 5, d); // clad's arr
        Assert.True(d.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 0.005), $"{name}: gradient ({string.Join(", ", d)}), clad prints ({string.Join(", ", expected)})");
    }

    [Theory]
    [InlineData("Fn29", 24.0, 9.0)] // foo writes x[0] in place
    [InlineData("Fn31", 1.0, 0.0)] // inner_function(&out, true, variables): a pointer to a scalar, ref here
    [InlineData("Fn32", 22.0, 0.0)] // fast_interp(t3, xlArr, xlArr + 1, t2): pointer arithmetic, a slice here
    [InlineData("Fn33", 1.0, 0.0)]
    public void The_gradient_through_a_helper_writing_an_array_is_the_one_clad_prints(string name, double d0, double d1)
    {
        var gradient = Compiled.Value.GetMethod(name + "Gradient", [typeof(ReadOnlySpan<double>), typeof(Span<double>)])!.CreateDelegate<ArrayGradient>();
        var d = new double[2];
        gradient([3.0, 4.0], d); // clad's x_arr
        Assert.True(Math.Abs(d[0] - d0) <= 0.005 && Math.Abs(d[1] - d1) <= 0.005, $"{name}(3, 4): gradient ({d[0]:R}, {d[1]:R}), clad prints ({d0:F2}, {d1:F2})");
    }
}

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's forward-mode tests of call arguments (<c>test/FirstDerivative/CallArguments.C</c>), transliterated to C# by
/// this work's author (not independently): <c>const</c> parameters as plain ones, clad's custom derivative of <c>f</c>
/// as a [DerivativeOf] method, pointers as spans (<c>nullptr</c> as the same span again: C# has no null span to pass),
/// <c>printf</c> as Console.Write, <c>*(xlArr + getBin(…))</c> as <c>xlArr[(int)GetBin(…)]</c>. Each derivative is
/// compared, through the Jvp and the gradient, to what clad's test prints (its CHECK-EXEC line). 9 of the 12 functions it differentiates
/// are taken (<c>sqrt_func</c>, which prints nothing, against its derivative worked by hand); not transliterated:
/// <c>f_const_args_func_4</c> … <c>_6</c>, which take a struct (<c>Vec</c>) as a parameter.
/// </summary>
public sealed class PeerCallArgumentTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladCallArguments
        {
            [Differentiable]
            public static float F(float y) => y * y - 10;

            [DerivativeOf(nameof(F))]
            public static float FDerivative(float y, out float dY)
            {
                dY = 2 * y;
                return y * y - 10;
            }

            [Differentiable] public static float G(float x) => F(x * x * x);

            [Differentiable] public static float SqrtFunc(float x, float y) => MathF.Sqrt(x * x + y * y) - y;

            [Differentiable] public static float FConstArgsFunc1(float x, float y) => x * x + y * y - 1.0f;

            [Differentiable] public static float FConstArgsFunc2(float x, float y) => x * x + y * y - 1.0f;

            [Differentiable] public static float FConstArgsFunc3(float x, float y) => x * x + y * y - 1.0f;

            [Differentiable] public static float FConstHelper(float x) => x * x;

            [Differentiable] public static float FConstArgsFunc7(float x, float y) => FConstHelper(x) + FConstHelper(y) - y;

            [Differentiable] public static float FConstArgsFunc8(float x, float y) => FConstHelper(x) + FConstHelper(y) - y;

            [Differentiable]
            public static float FLiteralHelper(float x, char ch, ReadOnlySpan<float> p, ReadOnlySpan<float> q)
            {
                if (ch == 'a')
                    return x * x;
                return -x * x;
            }

            [Differentiable]
            public static float FLiteralArgsFunc(float x, float y, ReadOnlySpan<float> z)
            {
                Console.Write("hello world ");
                return x * FLiteralHelper(x, 'a', z, z);
            }

            public static uint GetBin(double low, double high, double val, uint numBins)
            {
                double binWidth = (high - low) / numBins;
                return val >= high ? numBins - 1 : (uint)Math.Abs((val - low) / binWidth);
            }

            [Differentiable]
            public static float FCallInlineFxn(ReadOnlySpan<float> @params, ReadOnlySpan<float> obs, ReadOnlySpan<float> xlArr)
            {
                float t116 = xlArr[(int)GetBin(0.0, 1.0, @params[0], 1)];
                return t116 * @params[0];
            }

            public static float F9(float x) // clad's f9.execute(1.F, 2.F, &z) with z = 3, along x
            {
                float[] z = { 3f };
                FLiteralArgsFuncJvp(x, 2f, z, 1f, 0f, new float[1], out float tangent);
                return tangent;
            }

            public static float F10(float @params) // clad's f10.execute(&params, &obs, &xlArr), along params[0]
            {
                var d = new float[1];
                FCallInlineFxnGradient(new[] { @params }, new[] { 5f }, new[] { 7f }, d, new float[1], new float[1]);
                return d[0];
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladCallArguments"));

    [Theory]
    [InlineData("G", 6.0, new double[] { 1 })]
    [InlineData("SqrtFunc", 0.6, new double[] { 3, 4 })] // x / √(x² + y²), worked by hand: clad prints nothing
    [InlineData("FConstArgsFunc1", 2.0, new double[] { 1, 2 })]
    [InlineData("FConstArgsFunc2", 2.0, new double[] { 1, 2 })]
    [InlineData("FConstArgsFunc3", 2.0, new double[] { 1, 2 })]
    [InlineData("FConstArgsFunc7", 2.0, new double[] { 1, 2 })]
    [InlineData("FConstArgsFunc8", 2.0, new double[] { 1, 2 })]
    public void The_derivative_is_the_one_clad_prints(string name, double expected, double[] point) =>
        PeerChecks.ForwardAndReverse(Compiled.Value, name, 0, expected, point);

    [Fact]
    public void A_literal_argument_and_a_printf_leave_the_derivative_clad_prints()
    {
        float derivative = (float)Compiled.Value.GetMethod("F9")!.Invoke(null, [1f])!;
        Assert.True(Math.Abs(derivative - 3f) <= 4e-6f, $"f9: {derivative:R}, clad prints 3.00");
    }

    [Fact]
    public void An_index_computed_by_a_function_of_the_data_leaves_the_derivative_clad_prints()
    {
        float derivative = (float)Compiled.Value.GetMethod("F10")!.Invoke(null, [1f])!;
        Assert.True(Math.Abs(derivative - 7f) <= 4e-6f, $"f10: {derivative:R}, clad prints 7.00");
    }
}

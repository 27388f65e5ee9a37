namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's forward-mode tests of the built-in functions (<c>test/FirstDerivative/BuiltinDerivatives.C</c>),
/// transliterated to C# by this work's author (not independently): <c>std::</c> functions as their Math, MathF,
/// float and double counterparts (<c>::fmodf</c> as <c>%</c>, <c>std::remainder</c> as Math.IEEERemainder,
/// <c>std::erf</c> as AD.Erf, <c>std::erfc(x)</c> as 1 − AD.Erf(x), <c>std::max</c> and <c>std::min</c> with
/// <c>std::greater</c> as Math.Min and Math.Max), a function whose derivative clad's test supplies (<c>f1</c>,
/// <c>custom_f13</c>) with a [DerivativeOf] method. Each derivative with respect to the first parameter is compared,
/// through the Jvp (a tangent of 1 along it) and through the gradient, to what clad's test prints (its CHECK-EXEC line,
/// six decimals). 44 of the 48 functions it differentiates are taken (<c>f8</c>, a float parameter of a double function,
/// since 2026-12-07, later; <c>f10</c>, a float beside an int, whose gradient is taped, since 2026-12-08); not
/// transliterated: <c>fdim</c>, <c>expint</c>, <c>beta</c> and <c>lgamma</c>, which .NET does not have. Taken but not compared: <c>fmin(0.5, 0.5)</c>, a tie, where clad gives the derivative to the second
/// argument and AutoDiff to the first (the derivative does not exist there; PyTorch's <c>torch.minimum</c> splits it).
/// </summary>
public sealed class PeerBuiltinDerivativeTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladBuiltins
        {
            [Differentiable] public static float Sq(float x) => x * x;
            [Differentiable] public static float F0(float x) => Sq(x);
            [Differentiable] public static float F1(float x) => MathF.Sin(x);

            [DerivativeOf(nameof(F1))]
            public static float F1Derivative(float x, out float dX)
            {
                dX = MathF.Cos(x);
                return MathF.Sin(x);
            }

            [Differentiable] public static float F2(float x) => MathF.Cos(x);
            [Differentiable] public static float F3(float x, float y) => MathF.Sin(x) + MathF.Sin(y);
            [Differentiable] public static float F4(float x, float y) => MathF.Sin(x * x) + MathF.Sin(y * y);
            [Differentiable] public static float F5(float x) => MathF.Exp(x);
            [Differentiable] public static float F6(float x) => MathF.Exp(x * x);
            [Differentiable] public static float F7(float x) => MathF.Pow(x, 2f);
            [Differentiable] public static double F8(float x) => Math.Pow(x, 2);
            [Differentiable] public static float F9(float x, float y) => MathF.Pow(x, y);
            [Differentiable] public static double F10(float x, int y) => Math.Pow(x, y);
            [Differentiable] public static double F11(double x, double y) => Math.Pow(1.0 - x, 2) + (100.0 * Math.Pow(y - Math.Pow(x, 2), 2));
            [Differentiable] public static double F12(double a, double b) => Math.FusedMultiplyAdd(a, b, b);
            [Differentiable] public static double CustomF13(double x) => Math.Exp(x);

            [DerivativeOf(nameof(CustomF13))]
            public static double CustomF13Derivative(double x, out double dX)
            {
                dX = Math.Exp(x);
                return Math.Exp(x);
            }

            [Differentiable] public static double F13(double x) => CustomF13(x);
            [Differentiable] public static double F14(double x) => Math.Pow(x, 3);
            [Differentiable] public static double F15(double y, double x) => Math.Atan2(y, x);
            [Differentiable] public static float F16(float x) => MathF.Acos(x);
            [Differentiable]
            public static double F17(double x)
            {
                double y = Math.Abs(x);
                return 2 * y;
            }

            [Differentiable] public static double F18(double x) => x * x;
            [Differentiable] public static double FTan(double x) => Math.Tan(x);
            [Differentiable] public static double FCosh(double x) => Math.Cosh(x);
            [Differentiable] public static double FSinh(double x) => Math.Sinh(x);
            [Differentiable] public static double FAsin(double x) => Math.Asin(x);
            [Differentiable] public static double FAtan(double x) => Math.Atan(x);
            [Differentiable] public static double FLog10(double x) => Math.Log10(x);
            [Differentiable] public static double FLog2(double x) => Math.Log2(x);
            [Differentiable] public static double FCbrt(double x) => Math.Cbrt(x);
            [Differentiable] public static double FHypot(double x, double y) => double.Hypot(x, y);
            [Differentiable] public static double FFmodf(double x, double y) => x % y;
            [Differentiable] public static double FRemainder(double x, double y) => Math.IEEERemainder(x, y);
            [Differentiable] public static double FFmaxf(double x, double y) => Math.Max(x, y);
            [Differentiable] public static double FFmin(double x, double y) => Math.Min(x, y);
            [Differentiable] public static double FExp2f(double x) => double.Exp2(x);
            [Differentiable] public static double FExpm1l(double x) => double.ExpM1(x);
            [Differentiable] public static double FLog1pl(double x) => double.LogP1(x);
            [Differentiable] public static double FTanhl(double x) => Math.Tanh(x);
            [Differentiable] public static double FAsinhf(double x) => Math.Asinh(x);
            [Differentiable] public static double FAcoshl(double x) => Math.Acosh(x);
            [Differentiable] public static double FAtanhl(double x) => Math.Atanh(x);
            [Differentiable] public static double FErff(double x) => AD.Erf(x);
            [Differentiable] public static double FErfc(double x) => 1.0 - AD.Erf(x);
            [Differentiable] public static double FPowZero(double x, double y) => Math.Pow(x, y);
            [Differentiable] public static double FCustomMax(double x, double y) => Math.Min(x, y); // std::max(x, y, std::greater<double>())
            [Differentiable] public static double FCustomMin(double x, double y) => Math.Max(x, y); // std::min(x, y, std::greater<double>())
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladBuiltins"));

    [Theory]
    [InlineData("F0", 2.0, new double[] { 1 })]
    [InlineData("F1", -0.952413, new double[] { 60 })]
    [InlineData("F2", 0.304811, new double[] { 60 })]
    [InlineData("F3", -0.952413, new double[] { 60, 30 })]
    [InlineData("F4", 115.805412, new double[] { 60, 30 })]
    [InlineData("F5", 20.085537, new double[] { 3 })]
    [InlineData("F6", 48618.503906, new double[] { 3 })]
    [InlineData("F7", 6.0, new double[] { 3 })]
    [InlineData("F8", 6.0, new double[] { 3 })]
    [InlineData("F9", 108.0, new double[] { 3, 4 })]
    [InlineData("F11", -4.0, new double[] { -1, 1 })] // clad prints its gradient: {-4.00, 0.00}
    [InlineData("F12", 1.0, new double[] { 2, 1 })] // clad prints ∂/∂b = 3 (below)
    [InlineData("F13", 2.718282, new double[] { 1 })] // through custom_f13's supplied derivative
    [InlineData("F14", 3.0, new double[] { 1 })]
    [InlineData("F15", 0.12, new double[] { 4, 3 })]
    [InlineData("F16", -2.294157, new double[] { 0.9 })]
    [InlineData("F17", -2.0, new double[] { -3 })]
    [InlineData("F18", 2.0, new double[] { 1 })]
    [InlineData("FTan", 1.298446, new double[] { 0.5 })]
    [InlineData("FCosh", 0.521095, new double[] { 0.5 })]
    [InlineData("FSinh", 1.127626, new double[] { 0.5 })]
    [InlineData("FAsin", 1.154701, new double[] { 0.5 })]
    [InlineData("FAtan", 0.8, new double[] { 0.5 })]
    [InlineData("FLog10", 0.868589, new double[] { 0.5 })]
    [InlineData("FLog2", 2.88539, new double[] { 0.5 })]
    [InlineData("FCbrt", 0.529134, new double[] { 0.5 })]
    [InlineData("FHypot", 0.707107, new double[] { 0.5, 0.5 })]
    [InlineData("FFmodf", 1.0, new double[] { 0.5, 0.5 })]
    [InlineData("FRemainder", 1.0, new double[] { 0.5, 0.5 })]
    [InlineData("FFmaxf", 1.0, new double[] { 1, 0.5 })]
    [InlineData("FExp2f", 0.980258, new double[] { 0.5 })]
    [InlineData("FExpm1l", 1.648721, new double[] { 0.5 })]
    [InlineData("FLog1pl", 0.666667, new double[] { 0.5 })]
    [InlineData("FTanhl", 0.786448, new double[] { 0.5 })]
    [InlineData("FAsinhf", 0.894427, new double[] { 0.5 })]
    [InlineData("FAcoshl", 0.894427, new double[] { 1.5 })]
    [InlineData("FAtanhl", 1.333333, new double[] { 0.5 })]
    [InlineData("FErff", 0.878783, new double[] { 0.5 })]
    [InlineData("FErfc", -0.878783, new double[] { 0.5 })]
    [InlineData("FPowZero", 0.0, new double[] { 0, 0 })]
    [InlineData("FCustomMax", 1.0, new double[] { 1, 2 })]
    [InlineData("FCustomMin", 0.0, new double[] { 2, 3 })]
    public void The_derivative_along_the_first_parameter_is_the_one_clad_prints(string name, double expected, double[] point) =>
        PeerChecks.ForwardAndReverse(Compiled.Value, name, 0, expected, point);

    [Theory]
    [InlineData("F3", 0.154251, new double[] { 60, 30 })]
    [InlineData("F4", 3.974802, new double[] { 60, 30 })]
    [InlineData("F9", 88.987595, new double[] { 3, 4 })]
    [InlineData("F11", 0.0, new double[] { -1, 1 })]
    [InlineData("F12", 3.0, new double[] { 2, 1 })]
    [InlineData("F15", -0.16, new double[] { 4, 3 })]
    public void The_derivative_along_the_second_parameter_is_the_one_clad_prints(string name, double expected, double[] point) =>
        PeerChecks.ForwardAndReverse(Compiled.Value, name, 1, expected, point);

    private delegate double F10Gradient(float x, int y, out float dX);

    private delegate double F10Jvp(float x, int y, float tX, out double tangent);

    // double f10(float x, int y) { return std::pow(x, y); }: clad prints f10_darg0(3, 4) = 108 and f10_grad's
    // {108.000000, 88} (the second through the int, which C# does not differentiate).
    [Fact]
    public void F10_a_float_beside_an_int_has_the_derivative_clad_prints()
    {
        var type = Compiled.Value;
        double value = type.GetMethod("F10Gradient")!.CreateDelegate<F10Gradient>()(3f, 4, out float dX);
        type.GetMethod("F10Jvp")!.CreateDelegate<F10Jvp>()(3f, 4, 1f, out double tangent);
        Assert.Equal(81.0, value);
        Assert.Equal(108.0, dX, 1e-4);
        Assert.Equal(108.0, tangent, 1e-4);
    }
}

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's gradients through void helpers that return their results by reference (<c>test/Gradient/FunctionCalls.C</c>:
/// <c>fn3</c> calls <c>update1(double&amp; i, double&amp; j)</c> twice, <c>fn14</c> calls the empty
/// <c>emptyFn(double&amp; x, double y)</c>), transliterated to C# by this work's author (not independently): a C++
/// reference parameter becomes <c>ref</c>. Each gradient is compared to what clad's test prints (its CHECK-EXEC line, to
/// 2 decimals: within 0.005). The functions of that file that pass array elements by reference (<c>twice(arr[i])</c>)
/// or return references are not transliterated.
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
        }
        """;

    private delegate double Gradient(double x, double y, out double dX, out double dY);

    [Theory]
    [InlineData("Fn3", 3.0, 5.0, 1.0, 3.0)]
    [InlineData("Fn14", 3.0, 5.0, 1.0, 1.0)]
    public void The_gradient_through_a_void_helper_is_the_one_clad_prints(string name, double x, double y, double dX, double dY)
    {
        var run = GeneratorHarness.Run(Source);
        Assert.Empty(run.GeneratorDiagnostics);
        var gradient = run.Load().GetType("CladFunctionCalls", throwOnError: true)!.GetMethod(name + "Gradient", [typeof(double), typeof(double), typeof(double).MakeByRefType(), typeof(double).MakeByRefType()])!
            .CreateDelegate<Gradient>(); // the scalar form, not the lanes form
        gradient(x, y, out double gX, out double gY);
        Assert.True(Math.Abs(gX - dX) <= 0.005 && Math.Abs(gY - dY) <= 0.005, $"{name}({x}, {y}): gradient ({gX:R}, {gY:R}), clad prints ({dX:F2}, {dY:F2})");
    }
}

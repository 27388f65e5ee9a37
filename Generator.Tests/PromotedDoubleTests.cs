namespace AutoDiff.Generator.Tests;

/// <summary>
/// Float methods written the way C# code was before MathF: <c>(float)Math.Exp(x)</c>, <c>(float)(x * 0.5)</c>,
/// <c>(float)((double)y * y)</c>. The double computed inside a cast back to float is taken as float (its gradient and
/// value computed in float), in the graph and in a taped loop; each gradient against central differences of the same
/// math written in double by hand beside it.
/// </summary>
public sealed class PromotedDoubleTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Legacy
        {
            [Differentiable]
            public static float Graph(float x, float y) => (float)Math.Exp(x * 0.5) * y + (float)(Math.Sin(x) * 2.0) + (float)((double)y * y);

            public static double GraphInDouble(double x, double y) => Math.Exp(x * 0.5) * y + Math.Sin(x) * 2.0 + y * y;

            [Differentiable]
            public static float Taped(float x, float y, int n)
            {
                float s = 0f;
                for (int i = 0; i < n; i++)
                {
                    s += (float)Math.Tanh(s * 0.5 + x) * y + (float)Math.Pow(y, 2.0);
                }

                return s;
            }

            public static double TapedInDouble(double x, double y, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    s += Math.Tanh(s * 0.5 + x) * y + Math.Pow(y, 2.0);
                }

                return s;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Legacy"));

    private delegate float Gradient2(float x, float y, out float dX, out float dY);

    private delegate float TapedGradient(float x, float y, int n, out float dX, out float dY);

    [Fact]
    public void A_graph_method_gets_the_gradient_of_its_math_in_double_to_float_precision()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("GraphGradient", [typeof(float), typeof(float), typeof(float).MakeByRefType(), typeof(float).MakeByRefType()])!.CreateDelegate<Gradient2>();
        var inDouble = type.GetMethod("GraphInDouble")!.CreateDelegate<Func<double, double, double>>();
        Check((x, y) => (gradient((float)x, (float)y, out var dX, out var dY), dX, dY), inDouble);
    }

    [Fact]
    public void A_taped_loop_gets_the_gradient_of_its_math_in_double_to_float_precision()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("TapedGradient")!.CreateDelegate<TapedGradient>();
        var inDouble = type.GetMethod("TapedInDouble")!.CreateDelegate<Func<double, double, int, double>>();
        Check((x, y) => (gradient((float)x, (float)y, 3, out var dX, out var dY), dX, dY), (x, y) => inDouble(x, y, 3));
    }

    private static void Check(Func<double, double, (float Value, float DX, float DY)> gradient, Func<double, double, double> inDouble)
    {
        var random = new Random(11);
        for (int point = 0; point < 20; point++)
        {
            // Points that are floats, so that the double reference sees the same inputs.
            double x = (float)((random.NextDouble() * 2) - 1), y = (float)((random.NextDouble() * 2) - 1);
            var (value, dX, dY) = gradient(x, y);
            var (fdX, _) = Numerics.CentralDifference(v => inDouble(v[0], v[1]), [x, y], 0);
            var (fdY, _) = Numerics.CentralDifference(v => inDouble(v[0], v[1]), [x, y], 1);
            Assert.True(Numerics.RelativeError(inDouble(x, y), value) <= 1e-5, $"value {value:R} at ({x}, {y}), in double {inDouble(x, y):R}");
            Assert.True(Numerics.RelativeError(fdX, dX) <= 1e-5, $"∂/∂x {dX:R} at ({x}, {y}), differences in double {fdX:R}");
            Assert.True(Numerics.RelativeError(fdY, dY) <= 1e-5, $"∂/∂y {dY:R} at ({x}, {y}), differences in double {fdY:R}");
        }
    }
}

namespace AutoDiff.Generator.Tests;

/// <summary>
/// A float parameter of a double method of scalars (clad's <c>double f8(float x)</c>), read where C# widens it to
/// double: the method computes in double, its gradient with respect to the float is a float, its tangent a float; and a
/// double parameter of a float method, read through a cast to float: the method computes in float, the double's partial
/// a double (the cast's derivative 1, as PyTorch's <c>.float()</c>). Each form against central differences of the same
/// math written in double by hand beside it, at points that are floats (so the reference sees the same inputs).
/// </summary>
public sealed class MixedPrecisionTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Mixed
        {
            [Differentiable]
            public static double Weighted(double x, float y, [NoDiff] float w, [Constant] float c) =>
                Math.Sin(x * y) + ((double)y * y * w) + Math.Exp(c * x);

            public static double WeightedInDouble(double x, double y, double w, double c) =>
                Math.Sin(x * y) + (y * y * w) + Math.Exp(c * x);

            [Differentiable]
            public static double Single(float s) => (Math.Pow(s, 3) / 3.0) + Math.Log(1.0 + ((double)s * s));

            [Differentiable]
            public static float Scaled(float x, double scale) => MathF.Tanh(x * (float)scale) + ((float)scale * (float)scale) + (float)Math.Exp(scale * 0.5);

            public static double ScaledInDouble(double x, double scale) => Math.Tanh(x * scale) + (scale * scale) + Math.Exp(scale * 0.5);
        }
        """;

    private const double W = 0.75, C = 0.25;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Mixed"));

    private delegate double WeightedGradient(double x, float y, float w, float c, out double dX, out float dY);

    private delegate double WeightedJvp(double x, float y, float w, float c, double tX, float tY, out double tangent);

    private delegate double WeightedHessian(double x, float y, float w, float c, Span<double> gradient, Span<double> hessian);

    private delegate double SingleGradient(float s, out float dS);

    private delegate float ScaledGradient(float x, double scale, out float dX, out double dScale);

    private delegate float ScaledJvp(float x, double scale, float tX, double tScale, out float tangent);

    private static double Reference(double[] v) =>
        (double)Compiled.Value.GetMethod("WeightedInDouble")!.Invoke(null, [v[0], v[1], W, C])!;

    [Fact]
    public void The_gradient_is_the_double_math_s_with_the_float_s_partial_rounded_to_float()
    {
        var gradient = Compiled.Value.GetMethod("WeightedGradient")!.CreateDelegate<WeightedGradient>();
        foreach (var (x, y) in Points())
        {
            double value = gradient(x, y, (float)W, (float)C, out double dX, out float dY);
            Assert.Equal(Reference([x, y]), value, 14);
            var (fdX, _) = Numerics.CentralDifference(Reference, [x, y], 0);
            var (fdY, _) = Numerics.CentralDifference(Reference, [x, y], 1);
            Numerics.Close(fdX, dX, 1e-8, $"∂/∂x at ({x}, {y})");
            Numerics.Close(fdY, dY, 1e-6, $"∂/∂y (a float) at ({x}, {y})");
            Assert.Equal((float)fdY, dY, 1e-5f);
        }
    }

    [Fact]
    public void The_Jvp_is_the_gradient_along_the_tangent_and_the_Hessian_the_second_differences_of_the_math()
    {
        var type = Compiled.Value;
        var jvp = type.GetMethod("WeightedJvp")!.CreateDelegate<WeightedJvp>();
        var hessianForm = type.GetMethod("WeightedHessian")!.CreateDelegate<WeightedHessian>();
        var random = new Random(5);
        foreach (var (x, y) in Points())
        {
            var gradient = new double[2];
            var hessian = new double[4];
            hessianForm(x, y, (float)W, (float)C, gradient, hessian);
            double tX = random.NextDouble() - 0.5;
            float tY = (float)(random.NextDouble() - 0.5);
            jvp(x, y, (float)W, (float)C, tX, tY, out double tangent);
            Numerics.Close((gradient[0] * tX) + (gradient[1] * tY), tangent, 1e-12, $"Jvp at ({x}, {y})");

            Assert.Equal(hessian[1], hessian[2]);
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    // Second differences of the double reference: the generated gradient takes y as a float, which
                    // a step finer than a float's spacing would not move.
                    int row = i;
                    var (fd, _) = Numerics.CentralDifference(v => Numerics.CentralDifference(Reference, v, row).Derivative, [x, y], j);
                    Numerics.Close(fd, hessian[(i * 2) + j], 1e-6, $"∂²/∂{i}∂{j} at ({x}, {y})");
                }
            }
        }
    }

    [Fact]
    public void A_method_of_one_float_parameter_returns_a_double_and_a_float_gradient()
    {
        var gradient = Compiled.Value.GetMethod("SingleGradient")!.CreateDelegate<SingleGradient>();
        foreach (float s in new[] { -0.8f, 0.3f, 1.7f })
        {
            double value = gradient(s, out float dS);
            Assert.Equal((Math.Pow(s, 3) / 3.0) + Math.Log(1.0 + ((double)s * s)), value, 14);
            Assert.Equal((float)(((double)s * s) + (2.0 * s / (1.0 + ((double)s * s)))), dS); // s² + 2s/(1 + s²), worked by hand
        }
    }

    [Fact]
    public void A_float_method_taking_a_double_computes_in_float_and_gives_the_double_its_partial()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("ScaledGradient")!.CreateDelegate<ScaledGradient>();
        var jvp = type.GetMethod("ScaledJvp")!.CreateDelegate<ScaledJvp>();
        var inDouble = type.GetMethod("ScaledInDouble")!.CreateDelegate<Func<double, double, double>>();
        foreach (var (x, scale) in Points())
        {
            float value = gradient((float)x, scale, out float dX, out double dScale);
            var (fdX, _) = Numerics.CentralDifference(v => inDouble(v[0], v[1]), [x, scale], 0);
            var (fdScale, _) = Numerics.CentralDifference(v => inDouble(v[0], v[1]), [x, scale], 1);
            Numerics.Close(inDouble(x, scale), value, 1e-6, $"value at ({x}, {scale})");
            Numerics.Close(fdX, dX, 1e-5, $"∂/∂x at ({x}, {scale})");
            Numerics.Close(fdScale, dScale, 1e-5, $"∂/∂scale (a double) at ({x}, {scale})");
            jvp((float)x, scale, 0.5f, -0.25, out float tangent);
            Numerics.Close((dX * 0.5) - (dScale * 0.25), tangent, 1e-6, $"Jvp at ({x}, {scale})");
        }
    }

    [Fact]
    public void Only_the_scalar_forms_are_generated()
    {
        var type = Compiled.Value;
        var forms = type.GetMethods().Where(m => m.Name.StartsWith("Weighted", StringComparison.Ordinal) && m.Name != "WeightedInDouble")
            .Select(m => m.Name).Order().ToArray();
        Assert.Equal(["Weighted", "WeightedGradient", "WeightedHessian", "WeightedJvp"], forms);
        Assert.Null(type.GetNestedType("WeightedOperator"));
        Assert.Equal(["Scaled", "ScaledGradient", "ScaledHessian", "ScaledJvp"],
            type.GetMethods().Where(m => m.Name.StartsWith("Scaled", StringComparison.Ordinal) && m.Name != "ScaledInDouble").Select(m => m.Name).Order().ToArray());
    }

    private static IEnumerable<(double X, float Y)> Points()
    {
        var random = new Random(17);
        for (int i = 0; i < 12; i++)
        {
            yield return ((float)((random.NextDouble() * 2) - 1), (float)((random.NextDouble() * 2) - 1));
        }
    }
}

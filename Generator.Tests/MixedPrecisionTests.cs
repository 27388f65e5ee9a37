namespace AutoDiff.Generator.Tests;

/// <summary>
/// A float parameter of a double method of scalars (clad's <c>double f8(float x)</c>), read where C# widens it to
/// double: the method computes in double, its gradient with respect to the float is a float, its tangent a float; and a
/// double parameter of a float method, read through a cast to float: the method computes in float, the double's partial
/// a double (the cast's derivative 1, as PyTorch's <c>.float()</c>). Each form against central differences of the same
/// math written in double by hand beside it, at points that are floats (so the reference sees the same inputs). The same
/// for bodies whose gradient is taped (a loop of n steps, clad's <c>f10(float x, int n)</c>), with their Hessian-vector
/// product, and for a float method that accumulates in a double local (computed in double throughout).
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

            // Taped (a loop of n steps): clad's f10(float x, int n) and a float recurrence driven by a double rate.
            [Differentiable]
            public static double Power(float x, int n, double c)
            {
                double r = 1.0;
                for (int i = 0; i < n; i++)
                {
                    r *= x;
                }

                return (r * c) + Math.Sin(x * c);
            }

            public static double PowerInDouble(double x, int n, double c)
            {
                double r = 1.0;
                for (int i = 0; i < n; i++)
                {
                    r *= x;
                }

                return (r * c) + Math.Sin(x * c);
            }

            [Differentiable]
            public static float Damped(float x, double rate, int steps)
            {
                float r = x;
                for (int i = 0; i < steps; i++)
                {
                    r = (float)(r * rate) + (0.5f * MathF.Sin(r));
                }

                return r;
            }

            // A float method that accumulates in double: computed in double throughout, its forms returning float.
            [Differentiable]
            public static float Accumulated(float x, float y, int n)
            {
                double sum = 0.0;
                float scale = 0.5f * y;
                for (int i = 1; i <= n; i++)
                {
                    sum += (x * scale) + MathF.Sin(x * i) + Math.Exp(-(double)y * i);
                }

                return (float)(sum / n);
            }

            public static double AccumulatedInDouble(double x, double y, int n)
            {
                double sum = 0.0;
                double scale = 0.5 * y;
                for (int i = 1; i <= n; i++)
                {
                    sum += (x * scale) + Math.Sin(x * i) + Math.Exp(-y * i);
                }

                return sum / n;
            }

            public static double DampedInDouble(double x, double rate, int steps)
            {
                double r = x;
                for (int i = 0; i < steps; i++)
                {
                    r = (r * rate) + (0.5 * Math.Sin(r));
                }

                return r;
            }
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

    private delegate double PowerGradient(float x, int n, double c, out float dX, out double dC);

    private delegate double PowerJvp(float x, int n, double c, float tX, double tC, out double tangent);

    private delegate double PowerHessian(float x, int n, double c, Span<double> gradient, Span<double> hessian);

    private delegate double PowerHessianVectorProduct(float x, int n, double c, float vX, double vC, out float hvX, out double hvC);

    private delegate float DampedGradient(float x, double rate, int steps, out float dX, out double dRate);

    private delegate float DampedJvp(float x, double rate, int steps, float tX, double tRate, out float tangent);

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

            HessianMatches(Reference, [x, y], hessian, 1e-6, $"({x}, {y})");
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
        Assert.Equal(["Power", "PowerGradient", "PowerHessian", "PowerHessianVectorProduct", "PowerJvp"],
            type.GetMethods().Where(m => m.Name.StartsWith("Power", StringComparison.Ordinal) && m.Name != "PowerInDouble").Select(m => m.Name).Order().ToArray());
    }

    [Fact]
    public void A_taped_double_method_of_a_float_and_an_int_has_every_scalar_form_against_the_double_math()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("PowerGradient")!.CreateDelegate<PowerGradient>();
        var jvp = type.GetMethod("PowerJvp")!.CreateDelegate<PowerJvp>();
        var hessianForm = type.GetMethod("PowerHessian")!.CreateDelegate<PowerHessian>();
        var product = type.GetMethod("PowerHessianVectorProduct")!.CreateDelegate<PowerHessianVectorProduct>();
        var inDouble = type.GetMethod("PowerInDouble")!.CreateDelegate<Func<double, int, double, double>>();
        foreach (int n in new[] { 0, 1, 3, 6 })
        {
            foreach (var (x, c) in Points())
            {
                double Reference(double[] v) => inDouble(v[0], n, v[1]);
                double value = gradient((float)x, n, c, out float dX, out double dC);
                Assert.Equal(inDouble(x, n, c), value, 14);
                Numerics.Close(Numerics.CentralDifference(Reference, [x, c], 0).Derivative, dX, 1e-6, $"∂/∂x (a float) at n = {n}, ({x}, {c})");
                Numerics.Close(Numerics.CentralDifference(Reference, [x, c], 1).Derivative, dC, 1e-8, $"∂/∂c at n = {n}, ({x}, {c})");

                jvp((float)x, n, c, 0.5f, -0.25, out double tangent);
                var g = new double[2];
                var hessian = new double[4];
                hessianForm((float)x, n, c, g, hessian);
                Numerics.Close((g[0] * 0.5) - (g[1] * 0.25), tangent, 1e-12, $"Jvp at n = {n}, ({x}, {c})");
                HessianMatches(Reference, [x, c], hessian, 1e-6, $"n = {n}, ({x}, {c})");

                double directional = product((float)x, n, c, 0.5f, -0.25, out float hvX, out double hvC);
                Numerics.Close(tangent, directional, 1e-12, $"the product's directional derivative at n = {n}");
                Numerics.Close((hessian[0] * 0.5) - (hessian[1] * 0.25), hvX, 1e-6, $"(∇²F·v)ₓ (a float) at n = {n}, ({x}, {c})");
                Numerics.Close((hessian[2] * 0.5) - (hessian[3] * 0.25), hvC, 1e-12, $"(∇²F·v)_c at n = {n}, ({x}, {c})");
            }
        }
    }

    [Fact]
    public void A_taped_float_method_of_a_double_rate_computes_in_float_and_gives_the_double_its_partial()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("DampedGradient")!.CreateDelegate<DampedGradient>();
        var jvp = type.GetMethod("DampedJvp")!.CreateDelegate<DampedJvp>();
        var inDouble = type.GetMethod("DampedInDouble")!.CreateDelegate<Func<double, double, int, double>>();
        foreach (int steps in new[] { 0, 1, 4 })
        {
            foreach (var (x, rate) in Points())
            {
                double Reference(double[] v) => inDouble(v[0], v[1], steps);
                float value = gradient((float)x, rate, steps, out float dX, out double dRate);
                Numerics.Close(inDouble(x, rate, steps), value, 1e-5, $"value at {steps} steps, ({x}, {rate})");
                Numerics.Close(Numerics.CentralDifference(Reference, [x, rate], 0).Derivative, dX, 1e-4, $"∂/∂x at {steps} steps, ({x}, {rate})");
                Numerics.Close(Numerics.CentralDifference(Reference, [x, rate], 1).Derivative, dRate, 1e-4, $"∂/∂rate (a double) at {steps} steps, ({x}, {rate})");
                jvp((float)x, rate, steps, 0.5f, -0.25, out float tangent);
                Numerics.Close((dX * 0.5) - (dRate * 0.25), tangent, 1e-6, $"Jvp at {steps} steps, ({x}, {rate})");
            }
        }
    }

    private delegate float AccumulatedGradient(float x, float y, int n, out float dX, out float dY);

    private delegate float AccumulatedJvp(float x, float y, int n, float tX, float tY, out float tangent);

    private delegate float AccumulatedHessian(float x, float y, int n, Span<float> gradient, Span<float> hessian);

    private delegate float AccumulatedHessianVectorProduct(float x, float y, int n, float vX, float vY, out float hvX, out float hvY);

    [Fact]
    public void A_float_method_with_a_double_accumulator_computes_in_double_and_returns_floats()
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("AccumulatedGradient")!.CreateDelegate<AccumulatedGradient>();
        var jvp = type.GetMethod("AccumulatedJvp")!.CreateDelegate<AccumulatedJvp>();
        var hessianForm = type.GetMethod("AccumulatedHessian")!.CreateDelegate<AccumulatedHessian>();
        var product = type.GetMethod("AccumulatedHessianVectorProduct")!.CreateDelegate<AccumulatedHessianVectorProduct>();
        var inDouble = type.GetMethod("AccumulatedInDouble")!.CreateDelegate<Func<double, double, int, double>>();
        foreach (int n in new[] { 1, 4, 9 })
        {
            foreach (var (x, y) in Points())
            {
                double Reference(double[] v) => inDouble(v[0], v[1], n);
                float value = gradient((float)x, y, n, out float dX, out float dY);
                Numerics.Close(inDouble(x, y, n), value, 1e-6, $"value at n = {n}, ({x}, {y})");
                Numerics.Close(Numerics.CentralDifference(Reference, [x, y], 0).Derivative, dX, 1e-6, $"∂/∂x at n = {n}, ({x}, {y})");
                Numerics.Close(Numerics.CentralDifference(Reference, [x, y], 1).Derivative, dY, 1e-6, $"∂/∂y at n = {n}, ({x}, {y})");
                jvp((float)x, y, n, 0.5f, -0.25f, out float tangent);
                Numerics.Close((dX * 0.5) - (dY * 0.25), tangent, 1e-6, $"Jvp at n = {n}");
                var g = new float[2];
                var hessian = new float[4];
                hessianForm((float)x, y, n, g, hessian);
                HessianMatches(Reference, [x, y], [.. hessian.Select(h => (double)h)], 1e-5, $"n = {n}, ({x}, {y})");

                product((float)x, y, n, 0.5f, -0.25f, out float hvX, out float hvY);
                Numerics.Close((hessian[0] * 0.5) - (hessian[1] * 0.25), hvX, 1e-6, $"(∇²F·v)ₓ at n = {n}");
                Numerics.Close((hessian[2] * 0.5) - (hessian[3] * 0.25), hvY, 1e-6, $"(∇²F·v)_y at n = {n}");
            }
        }
    }

    // A symmetric 2 × 2 Hessian, entry by entry against second central differences of the double reference (at float
    // points: the generated forms take a float parameter, which a step finer than a float's spacing would not move).
    private static void HessianMatches(Func<double[], double> reference, double[] point, double[] hessian, double tolerance, string at)
    {
        Assert.Equal(hessian[1], hessian[2]);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                int row = i;
                var (fd, _) = Numerics.CentralDifference(v => Numerics.CentralDifference(reference, v, row).Derivative, point, j);
                Numerics.Close(fd, hessian[(i * 2) + j], tolerance, $"∂²/∂{i}∂{j} at {at}");
            }
        }
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

using AutoDiff.CompilerServices;

namespace AutoDiff.Runtime.Tests.Kernels;

/// <summary>
/// The dual numbers a taped gradient's Hessian runs over: each function's value is the double function's, and its
/// tangent is the derivative, checked against a five-point central difference of the double function (error O(h⁴)) at
/// points inside its domain (a point within a step of a kink or jump, where two step sizes disagree, is passed over; at
/// least 15 of each function's 20 are checked); the ties and steps follow the gradient's rules.
/// </summary>
public sealed class DualTests
{
    private static readonly (string Name, Func<Dual<double>, Dual<double>> Dual, Func<double, double> Value, double Low, double High)[] Unary =
    {
        ("Exp", Dual<double>.Exp, Math.Exp, -3, 3),
        ("Exp2", Dual<double>.Exp2, v => Math.Pow(2, v), -3, 3),
        ("Exp10", Dual<double>.Exp10, v => Math.Pow(10, v), -2, 2),
        ("Log", Dual<double>.Log, Math.Log, 0.1, 5),
        ("Log2", Dual<double>.Log2, Math.Log2, 0.1, 5),
        ("Log10", Dual<double>.Log10, Math.Log10, 0.1, 5),
        ("Sqrt", Dual<double>.Sqrt, Math.Sqrt, 0.1, 5),
        ("Cbrt", Dual<double>.Cbrt, Math.Cbrt, 0.1, 5),
        ("Tanh", Dual<double>.Tanh, Math.Tanh, -3, 3),
        ("Sinh", Dual<double>.Sinh, Math.Sinh, -3, 3),
        ("Cosh", Dual<double>.Cosh, Math.Cosh, -3, 3),
        ("Sin", Dual<double>.Sin, Math.Sin, -3, 3),
        ("Cos", Dual<double>.Cos, Math.Cos, -3, 3),
        ("Tan", Dual<double>.Tan, Math.Tan, -1.2, 1.2),
        ("SinPi", Dual<double>.SinPi, double.SinPi, -3, 3),
        ("BitIncrement", Dual<double>.BitIncrement, Math.BitIncrement, -3, 3),
        ("BitDecrement", Dual<double>.BitDecrement, Math.BitDecrement, -3, 3),
        ("CosPi", Dual<double>.CosPi, double.CosPi, -3, 3),
        ("TanPi", Dual<double>.TanPi, double.TanPi, -0.4, 0.4),
        ("Asin", Dual<double>.Asin, Math.Asin, -0.9, 0.9),
        ("Acos", Dual<double>.Acos, Math.Acos, -0.9, 0.9),
        ("Atan", Dual<double>.Atan, Math.Atan, -3, 3),
        ("Asinh", Dual<double>.Asinh, Math.Asinh, -3, 3),
        ("Acosh", Dual<double>.Acosh, Math.Acosh, 1.1, 5),
        ("Atanh", Dual<double>.Atanh, Math.Atanh, -0.9, 0.9),
        ("Abs", Dual<double>.Abs, Math.Abs, -3, 3),
        ("Sigmoid", Dual<double>.Sigmoid, AD.Sigmoid, -5, 5),
        ("Softplus", Dual<double>.Softplus, AD.Softplus, -5, 5),
        ("Log1P", Dual<double>.Log1P, AD.Log1P, -0.9, 5),
        ("ExpM1", Dual<double>.ExpM1, AD.ExpM1, -3, 3),
        ("Erf", Dual<double>.Erf, AD.Erf, -3, 3),
        ("Negate", a => -a, v => -v, -3, 3),
    };

    private static readonly (string Name, Func<Dual<double>, Dual<double>, Dual<double>> Dual, Func<double, double, double> Value, double Low, double High)[] Binary =
    {
        ("Add", (a, b) => a + b, (a, b) => a + b, -3, 3),
        ("Subtract", (a, b) => a - b, (a, b) => a - b, -3, 3),
        ("Multiply", (a, b) => a * b, (a, b) => a * b, -3, 3),
        ("Divide", (a, b) => a / b, (a, b) => a / b, 0.5, 3),
        ("Remainder", (a, b) => a % b, (a, b) => a % b, 0.5, 7),
        ("Pow", Dual<double>.Pow, Math.Pow, 0.5, 3),
        ("Max", Dual<double>.Max, Math.Max, -3, 3),
        ("Min", Dual<double>.Min, Math.Min, -3, 3),
        ("MaxMagnitude", Dual<double>.MaxMagnitude, Math.MaxMagnitude, -3, 3),
        ("MinMagnitude", Dual<double>.MinMagnitude, Math.MinMagnitude, -3, 3),
        ("MaxNumber", Dual<double>.MaxNumber, double.MaxNumber, -3, 3),
        ("MinNumber", Dual<double>.MinNumber, double.MinNumber, -3, 3),
        ("MaxMagnitudeNumber", Dual<double>.MaxMagnitudeNumber, double.MaxMagnitudeNumber, -3, 3),
        ("MinMagnitudeNumber", Dual<double>.MinMagnitudeNumber, double.MinMagnitudeNumber, -3, 3),
        ("Atan2", Dual<double>.Atan2, Math.Atan2, 0.5, 3),
        ("Hypot", Dual<double>.Hypot, double.Hypot, -3, 3),
        ("IEEERemainder", Dual<double>.IEEERemainder, Math.IEEERemainder, 0.5, 7),
        ("Ieee754Remainder", Dual<double>.Ieee754Remainder, double.Ieee754Remainder, 0.5, 7),
        ("CopySign", Dual<double>.CopySign, Math.CopySign, -3, 3),
    };

    [Fact]
    public void Every_unary_function_carries_its_derivative()
    {
        var random = new Random(20261206);
        foreach (var (name, dual, value, low, high) in Unary)
        {
            int checkedPoints = 0;
            for (int point = 0; point < 20; point++)
            {
                double x = low + (random.NextDouble() * (high - low));
                var result = dual(new Dual<double>(x, 1.0));
                Assert.Equal(value(x), result.Value);
                checkedPoints += CheckDerivative(name, x, value, result.Tangent);
            }

            Assert.True(checkedPoints >= 15, $"{name}: {checkedPoints} points checked");
        }
    }

    [Fact]
    public void Every_binary_function_carries_both_partial_derivatives()
    {
        var random = new Random(20261207);
        foreach (var (name, dual, value, low, high) in Binary)
        {
            int checkedPoints = 0;
            for (int point = 0; point < 20; point++)
            {
                double a = low + (random.NextDouble() * (high - low)), b = low + (random.NextDouble() * (high - low));
                var alongA = dual(new Dual<double>(a, 1.0), b);
                var alongB = dual(a, new Dual<double>(b, 1.0));
                Assert.Equal(value(a, b), alongA.Value);
                checkedPoints += CheckDerivative(name + " ∂a", a, v => value(v, b), alongA.Tangent) & CheckDerivative(name + " ∂b", b, v => value(a, v), alongB.Tangent);
            }

            Assert.True(checkedPoints >= 15, $"{name}: {checkedPoints} points checked");
        }
    }

    [Fact]
    public void Clamp_and_fused_multiply_add_carry_every_partial_derivative()
    {
        var inside = Dual<double>.Clamp(new Dual<double>(0.5, 2.0), new Dual<double>(0.0, 3.0), new Dual<double>(1.0, 5.0));
        var below = Dual<double>.Clamp(new Dual<double>(-0.5, 2.0), new Dual<double>(0.0, 3.0), new Dual<double>(1.0, 5.0));
        var above = Dual<double>.Clamp(new Dual<double>(1.5, 2.0), new Dual<double>(0.0, 3.0), new Dual<double>(1.0, 5.0));
        Assert.Equal((0.5, 2.0), (inside.Value, inside.Tangent));
        Assert.Equal((0.0, 3.0), (below.Value, below.Tangent));
        Assert.Equal((1.0, 5.0), (above.Value, above.Tangent));

        // (a·b + c)˙ = ȧ·b + a·ḃ + ċ = 1·3 + 2·5 + 7.
        var fma = Dual<double>.FusedMultiplyAdd(new Dual<double>(2.0, 1.0), new Dual<double>(3.0, 5.0), new Dual<double>(4.0, 7.0));
        Assert.Equal((10.0, 20.0), (fma.Value, fma.Tangent));

        // ∛x at −8: −2, and (∛x)˙ = ∛x / (3x) = 1/12 (RootN takes a negative x where n is odd).
        var root = Dual<double>.RootN(new Dual<double>(-8.0, 1.0), 3);
        Assert.Equal(-2.0, root.Value);
        Assert.Equal(1.0 / 12.0, root.Tangent, 1e-15);
    }

    [Fact]
    public void Ties_steps_and_constants_follow_the_gradients_rules()
    {
        Assert.Equal(0.0, Dual<double>.Abs(new Dual<double>(0.0, 1.0)).Tangent); // |x|′(0) = 0, as the gradient
        Assert.Equal(2.0, Dual<double>.Max(new Dual<double>(1.0, 2.0), new Dual<double>(1.0, 3.0)).Tangent); // a tie goes to the first
        Assert.Equal(2.0, Dual<double>.Min(new Dual<double>(1.0, 2.0), new Dual<double>(1.0, 3.0)).Tangent);
        Assert.Equal(3.0, Dual<double>.MaxMagnitude(new Dual<double>(-1.0, 2.0), new Dual<double>(1.0, 3.0)).Tangent); // |−1| = |1|: .NET returns 1, so 1's tangent
        Assert.Equal(2.0, Dual<double>.MaxNumber(new Dual<double>(1.0, 2.0), new Dual<double>(double.NaN, 3.0)).Tangent); // the NaN ignored
        Assert.Equal(0.0, Dual<double>.Round(new Dual<double>(1.4, 1.0)).Tangent);
        Assert.Equal(0.0, Dual<double>.Truncate(new Dual<double>(1.4, 1.0)).Tangent);
        Assert.Equal(0.0, Dual<double>.StopGradient(new Dual<double>(1.4, 1.0)).Tangent);
        Assert.Equal(-1, Dual<double>.Sign(new Dual<double>(-1.4, 1.0)));

        // A constant exponent of a negative base: ln of the base is NaN, but the exponent's tangent is 0, so no NaN.
        var cube = Dual<double>.Pow(new Dual<double>(-2.0, 1.0), 3.0);
        Assert.Equal((-8.0, 12.0), (cube.Value, cube.Tangent));

        // x^0 at x = 0, and 0^y: the gradient's 0 where PyTorch gives 0.
        Assert.Equal(0.0, Dual<double>.Pow(new Dual<double>(0.0, 1.0), new Dual<double>(0.0, 1.0)).Tangent);
        Assert.Equal((int)3.9, (int)new Dual<double>(3.9, 1.0));
    }

    [Fact]
    public void Comparisons_look_at_the_values_and_equality_at_both_parts()
    {
        var a = new Dual<double>(1.0, 5.0);
        var b = new Dual<double>(1.0, -5.0);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a <= b && a >= b && !(a < b) && !(a > b));
        Assert.False(a.Equals(b));
        Assert.True(a.Equals(new Dual<double>(1.0, 5.0)));
        Assert.True(new Dual<double>(0.5, 0.0) < 1.0); // a constant converts, tangent 0
    }

    [Fact]
    public void Float_functions_give_the_float_functions_values()
    {
        foreach (float x in new[] { -2.5f, -0.3f, 0.7f, 3.1f })
        {
            Assert.Equal(AD.Sigmoid(x), Dual<float>.Sigmoid(x).Value);
            Assert.Equal(AD.Softplus(x), Dual<float>.Softplus(x).Value);
            Assert.Equal(AD.Erf(x), Dual<float>.Erf(x).Value);
            Assert.Equal(MathF.Tanh(x), Dual<float>.Tanh(x).Value);
            Assert.Equal(MathF.IEEERemainder(x, 0.6f), Dual<float>.IEEERemainder(x, 0.6f).Value);
        }
    }

    private static double FivePoint(Func<double, double> f, double x, double h) =>
        ((8 * (f(x + h) - f(x - h))) - (f(x + (2 * h)) - f(x - (2 * h)))) / (12 * h);

    // 1 where the derivative was checked, 0 where the point is too near a kink or jump to difference.
    private static int CheckDerivative(string name, double x, Func<double, double> f, double actual)
    {
        double h = 1e-3 * Math.Max(1.0, Math.Abs(x));
        double expected = FivePoint(f, x, h), finer = FivePoint(f, x, h / 4);
        double scale = Math.Max(1.0, Math.Abs(expected));
        if (Math.Abs(expected - finer) > 1e-6 * scale)
        {
            return 0;
        }

        Assert.True(Math.Abs(expected - actual) / scale < 1e-7, $"{name} at {x:R}: tangent {actual:R}, differences {expected:R}");
        return 1;
    }
}

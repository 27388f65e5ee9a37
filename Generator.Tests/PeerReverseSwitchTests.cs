namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode switch tests (<c>test/Gradient/Switch.C</c>) and unary-minus tests
/// (<c>test/Gradient/UnaryMinus.C</c>), transliterated to C# by this work's author (not independently): a C
/// <c>enum</c> parameter a C# enum (switched on by its members), a declaration in a switch's condition a local before
/// it. Each gradient is compared to what clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005). Of
/// Switch.C's 8 functions, 5 are taken; not transliterated: <c>fn1</c>, <c>fn2</c> and <c>fn3</c>, whose sections fall
/// through into the next (a case label inside a block, statements before the first case), which C# does not allow,
/// and <c>fn6</c>, which switches on <c>int res = u * v</c> and prints a derivative through that int. Both of
/// UnaryMinus.C's functions are taken. An enum local kept across a loop (its value on the tape as its underlying
/// integer) is checked against central differences.
/// </summary>
public sealed class PeerReverseSwitchTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public enum Op
        {
            Add,
            Sub,
            Mul,
            Div,
        }

        public static partial class CladSwitch
        {
            [Differentiable]
            public static double Fn4(double i, double j)
            {
                double res = 0;
                switch (1)
                {
                    case 0:
                        res += i * i * j * j;
                        break;
                    case 1:
                        int counter = 2;
                        while (counter-- > 0)
                        {
                            res += i * j;
                        }

                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn5(double i, double j)
            {
                double res = 0;
                int count = 1;
                switch (count)
                {
                    case 1:
                        res += i * j;
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn7(double u, double v)
            {
                double res = 0;
                for (int i = 0; i < 5; ++i)
                {
                    switch (i)
                    {
                        case 0:
                        case 1:
                        case 2:
                            res += u;
                            break;
                        case 3:
                        default:
                            res += v;
                            break;
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn24(double x, double y, Op op)
            {
                double res = 0;
                switch (op)
                {
                    case Op.Add:
                        res = x + y;
                        break;
                    case Op.Sub:
                        res = x - y;
                        break;
                    case Op.Mul:
                        res = x * y;
                        break;
                    case Op.Div:
                        res = x / y;
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double SwitchReturn(double x, double y, int k)
            {
                switch (k)
                {
                    case 0: return x * x;
                    case 1: return x * y;
                    default: return y * y;
                }
            }

            [Differentiable]
            public static double F1(double x) => -(-(-1)) * -(-(-x));

            [Differentiable]
            public static double F2(double x, double y) => (-2 * -(-(-x)) * -y) - (1 * (-y) * (-(-x)));

            public enum Mode : byte
            {
                Plain = 1,
                Squared = 3,
            }

            // Not clad's: an enum local kept across a loop, compared by a pattern and by ==, with a default argument.
            [Differentiable]
            public static double Modes(double x, Mode mode = Mode.Squared)
            {
                double s = x;
                Mode m = mode;
                for (int i = 0; i < 3; i++)
                {
                    s = m == Mode.Squared ? s * s * 0.5 : s + Math.Sin(s);
                    m = m is Mode.Squared ? Mode.Plain : Mode.Squared;
                }

                return s + (int)m;
            }

            [Differentiable]
            public static double Moded(double x) => Modes(x) + Modes(x, Mode.Plain);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladSwitch"));

    [Theory]
    [InlineData("Fn4", 3.0, 5.0, 10.0, 6.0)]
    [InlineData("Fn5", 3.0, 5.0, 5.0, 3.0)]
    [InlineData("Fn7", 3.0, 5.0, 3.0, 2.0)]
    [InlineData("F2", 3.0, 4.0, -4.0, -3.0)]
    public void The_gradient_is_the_one_clad_prints(string name, double x, double y, double expectedX, double expectedY) =>
        CladChecks.GradientPrinted(Compiled.Value, name, [x, y], [expectedX, expectedY]);

    [Fact]
    public void The_derivative_of_nested_unary_minuses_is_the_one_clad_prints() =>
        CladChecks.GradientPrinted(Compiled.Value, "F1", [5.0], [1.0]);

    [Theory]
    [InlineData(0, 1.0, 1.0)] // Add
    [InlineData(1, 1.0, -1.0)] // Sub
    [InlineData(2, 5.0, 3.0)] // Mul
    [InlineData(3, 0.2, -0.12)] // Div
    public void The_gradient_switched_on_an_enum_is_the_one_clad_prints(int op, double expectedX, double expectedY)
    {
        var type = Compiled.Value;
        var gradient = type.GetMethod("Fn24Gradient")!;
        var arguments = new object?[] { 3.0, 5.0, Enum.ToObject(type.Assembly.GetType("Op")!, op), null, null };
        gradient.Invoke(null, arguments);
        Assert.True(Math.Abs((double)arguments[3]! - expectedX) <= 0.005 && Math.Abs((double)arguments[4]! - expectedY) <= 0.005,
            $"fn24(3, 5, {op}): gradient ({arguments[3]}, {arguments[4]}), clad prints ({expectedX}, {expectedY})");
    }

    [Fact]
    public void The_gradient_returned_from_a_section_is_the_one_clad_prints()
    {
        var gradient = Compiled.Value.GetMethod("SwitchReturnGradient")!;
        var arguments = new object?[] { 3.0, 5.0, 0, null, null };
        gradient.Invoke(null, arguments);
        Assert.Equal((6.0, 0.0), ((double)arguments[3]!, (double)arguments[4]!));
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void An_enum_kept_across_a_loop_gives_the_gradient_of_central_differences(double x)
    {
        var type = Compiled.Value;
        var original = type.GetMethods().Single(m => m.Name == "Moded" && m.ReturnType == typeof(double));
        var gradient = type.GetMethods().Single(m => m.Name == "ModedGradient" && m.GetParameters()[0].ParameterType == typeof(double));
        var arguments = new object?[] { x, null };
        double value = (double)gradient.Invoke(null, arguments)!;
        Numerics.Close((double)original.Invoke(null, [x])!, value, 1e-12, "Moded value");
        var (expected, smooth) = Numerics.CentralDifference(p => (double)original.Invoke(null, [p[0]])!, [x], 0);
        Assert.True(smooth);
        Numerics.Close(expected, (double)arguments[1]!, 1e-6, "Moded derivative");
    }
}

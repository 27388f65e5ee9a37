namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode assignment tests (<c>test/Gradient/Assignments.C</c>), transliterated to C# by this work's author
/// (not independently): parameters assigned, chained and nested assignments, steps and compound assignments of array
/// elements, references to parameters and locals (<c>ref double a = ref i</c>), a <c>const</c> local a plain one, an
/// initializer list a local array, <c>std::fma</c> <c>Math.FusedMultiplyAdd</c>. What C# has no form for is written as
/// the statements C++ runs: an assignment used as a target (<c>(t *= x) *= y</c>, <c>(t = x) = y</c>, and
/// <c>(c ? (t = x) : (t = y)) *= y</c>) as the assignments in order (an if/else for the conditional), the comma in
/// <c>y = (y++, x)</c> as <c>y++; y = x;</c>. Each gradient is compared to the one clad's test prints (its CHECK-EXEC
/// line, to 2 decimals: within 0.005), and the value FGradient returns to F's own. 29 of its 30 functions are taken (f7's
/// <c>x = ++t[0]</c>, f8's <c>t[3] = y *= t[0] = t[1] = t[2]</c>, f13's <c>x * (y = x)</c> and f22's
/// <c>x = y = x = 0</c> since assignments inside expressions are run before their statement); not transliterated:
/// <c>f25</c>, which returns a <c>short</c> (a [Differentiable] method returns float or double).
/// </summary>
public sealed class PeerAssignmentTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladAssignments
        {
            [Differentiable]
            public static double F1(double x, double y)
            {
                x = y;
                return y;
            }

            [Differentiable]
            public static double F2(double x, double y)
            {
                if (x < y)
                    x = y;
                return x;
            }

            [Differentiable]
            public static double F3(double x, double y)
            {
                x = x;
                x = x * x;
                y = x * x;
                x = y;
                return y;
            }

            [Differentiable]
            public static double F4(double x, double y)
            {
                y = x;
                x = 0;
                return y;
            }

            [Differentiable]
            public static double F5(double x, double y)
            {
                double t = x * x;
                if (x < 0)
                {
                    t = -t;
                    return t;
                }

                if (y < 0)
                {
                    double z = t;
                    t = -t;
                }

                return t;
            }

            [Differentiable]
            public static double F6(double x, double y)
            {
                double t = x * x;
                if (x < 0)
                {
                    t = -t;
                    return t;
                }

                if (y < 0)
                {
                    double z = t;
                    t = -t;
                }

                return t;
            }

            [Differentiable]
            public static double F7(double x, double y)
            {
                double[] t = { 1, x, x * x };
                t[0]++;
                t[0]--;
                ++t[0];
                --t[0];
                t[0] = x;
                x = y;
                t[0] += t[1];
                t[0] *= t[1];
                t[0] /= t[1];
                t[0] -= t[1];
                x = ++t[0];
                return t[0];
            }

            [Differentiable]
            public static double F8(double x, double y)
            {
                double[] t = { 1, x, y, 1 };
                t[3] = y *= t[0] = t[1] = t[2];
                return t[3];
            }

            [Differentiable]
            public static double F9(double x, double y)
            {
                double t = x;
                t *= x;
                t *= y;
                return t;
            }

            [Differentiable]
            public static double F10(double x, double y)
            {
                double t = x;
                t = x = y;
                return t;
            }

            [Differentiable]
            public static double F11(double x, double y)
            {
                double t = x;
                t = x;
                t = y;
                return t;
            }

            [Differentiable]
            public static double F12(double x, double y)
            {
                double t;
                if (x > y)
                    t = x;
                else
                    t = y;
                t *= y;
                return t;
            }

            [Differentiable]
            public static double F13(double x, double y)
            {
                double t = x * (y = x);
                return t * y;
            }

            [Differentiable]
            public static double F14(double i, double j)
            {
                ref double a = ref i;
                a = 2 * i;
                a += i;
                a *= i;
                return i;
            }

            [Differentiable]
            public static double F15(double i, double j)
            {
                double b = i * j;
                ref double a = ref b;
                ref double c = ref i;
                ref double d = ref j;
                a *= i;
                b += 2 * i;
                c += 3 * i;
                d *= 3 * j;
                return a + c + d;
            }

            [Differentiable]
            public static double F16(double i, double j)
            {
                ref double a = ref i;
                ref double b = ref a;
                ref double c = ref b;
                c *= 4 * j;
                return i;
            }

            [Differentiable]
            public static double F17(double i, double j, double k)
            {
                j = 2 * i;
                return j;
            }

            [Differentiable]
            public static double F18(double i, double j, double k)
            {
                k = 2 * i + 2 * j;
                k += i;
                return k;
            }

            [Differentiable]
            public static double F19(double a, double b) => Math.FusedMultiplyAdd(a, b, b);

            [Differentiable]
            public static double F20(double x, double y)
            {
                ref double r = ref x;
                r = 3;
                x = r * y;
                return x;
            }

            [Differentiable]
            public static double F21(double x, double y)
            {
                y++;
                y = x;
                return y;
            }

            [Differentiable]
            public static double F22(double x, double y)
            {
                double t = x = y = x = 0;
                return t;
            }

            [Differentiable]
            public static double F23(double x, double y)
            {
                double[] list = { 1.0, x + y };
                double res = 5;
                if (x > y)
                {
                    var reference = list;
                    res = reference[reference.Length - 1];
                }

                return res;
            }

            [Differentiable]
            public static double ConstVal(double y, [NoDiff] double x)
            {
                double z = y;
                y *= z;
                return y * x;
            }

            [Differentiable]
            public static double ConstValConstCast(double y, double x)
            {
                double z = x;
                y *= z;
                return y * x;
            }

            [Differentiable]
            public static double ConstValInput(double x) => x;

            [Differentiable]
            public static double F24(double x, double y)
            {
                double sum = x + y;
                double zero = default;
                return sum + zero * x;
            }

            [Differentiable]
            public static double F26(double x, double y)
            {
                double l = x;
                l /= y;
                return l;
            }

            [Differentiable]
            public static double F27(double x, double y)
            {
                x *= y + 1.0;
                return x;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladAssignments"));

    // point: F's arguments; expected: the partials clad prints, over its first parameters (f17 prints ∂/∂i alone,
    // f18 ∂/∂i and ∂/∂j; constVal's gradient is over y alone, x [NoDiff] here).
    [Theory]
    [InlineData("F1", new[] { 3.0, 4 }, new[] { 0.0, 1 })]
    [InlineData("F2", new[] { 3.0, 4 }, new[] { 0.0, 1 })]
    [InlineData("F3", new[] { 2.0, 100 }, new[] { 32.0, 0 })]
    [InlineData("F4", new[] { 3.0, 4 }, new[] { 1.0, 0 })]
    [InlineData("F5", new[] { -3.0, 4 }, new[] { 6.0, 0 })]
    [InlineData("F6", new[] { 3.0, -4 }, new[] { -6.0, 0 })]
    [InlineData("F7", new[] { 3.0, 4 }, new[] { 1.0, 0 })]
    [InlineData("F8", new[] { 3.0, 4 }, new[] { 0.0, 8 })]
    [InlineData("F9", new[] { 3.0, 4 }, new[] { 24.0, 9 })]
    [InlineData("F10", new[] { 3.0, 4 }, new[] { 0.0, 1 })]
    [InlineData("F11", new[] { 3.0, 4 }, new[] { 0.0, 1 })]
    [InlineData("F12", new[] { 3.0, 4 }, new[] { 0.0, 8 })]
    [InlineData("F13", new[] { 3.0, 4 }, new[] { 27.0, 0 })]
    [InlineData("F14", new[] { 3.0, 4 }, new[] { 96.0, 0 })]
    [InlineData("F15", new[] { 3.0, 4 }, new[] { 30.0, 33 })]
    [InlineData("F16", new[] { 3.0, 4 }, new[] { 16.0, 12 })]
    [InlineData("F17", new[] { 3.0, 4, 5 }, new[] { 2.0 })]
    [InlineData("F18", new[] { 3.0, 4, 5 }, new[] { 3.0, 2 })]
    [InlineData("F19", new[] { 1.0, 2 }, new[] { 2.0, 2 })]
    [InlineData("F20", new[] { 1.0, 2 }, new[] { 0.0, 3 })]
    [InlineData("F21", new[] { 6.0, 4 }, new[] { 1.0, 0 })]
    [InlineData("F22", new[] { 6.0, 4 }, new[] { 0.0, 0 })]
    [InlineData("F23", new[] { 7.0, 5 }, new[] { 1.0, 1 })]
    [InlineData("ConstVal", new[] { 3.0, 4 }, new[] { 24.0 })]
    [InlineData("ConstValConstCast", new[] { 3.0, 4 }, new[] { 16.0, 24 })]
    [InlineData("ConstValInput", new[] { 3.0 }, new[] { 1.0 })]
    [InlineData("F24", new[] { 7.0, 5 }, new[] { 1.0, 1 })]
    [InlineData("F26", new[] { 8.0, 2 }, new[] { 0.5, -2 })]
    [InlineData("F27", new[] { 3.0, 4 }, new[] { 5.0, 3 })]
    public void The_gradient_is_the_one_clad_prints(string name, double[] point, double[] expected) =>
        CladChecks.GradientPrinted(Compiled.Value, name, point, expected);

    /// <summary>
    /// clad's forward-mode <c>test/FirstDerivative/Assignments.C</c> differentiates f1 … f4 of this file again; it prints
    /// no values, so the derivatives are worked by hand (f1 = y; f2 = max(x, y) by its branch; f3 = x⁴; f4 = x), through
    /// the Jvp and the gradient. f2 at (5, 3), where the branch is not taken, found the graph taking the assignment in
    /// it as unconditional (f2(5, 3) gave 3); reverse mode's test prints f2 only at (3, 4).
    /// </summary>
    [Theory]
    [InlineData("F1", new double[] { 3, 5 }, 0, 0.0)]
    [InlineData("F1", new double[] { 3, 5 }, 1, 1.0)]
    [InlineData("F2", new double[] { 3, 5 }, 0, 0.0)]
    [InlineData("F2", new double[] { 3, 5 }, 1, 1.0)]
    [InlineData("F2", new double[] { 5, 3 }, 0, 1.0)]
    [InlineData("F2", new double[] { 5, 3 }, 1, 0.0)]
    [InlineData("F3", new double[] { 2, 5 }, 0, 32.0)]
    [InlineData("F3", new double[] { 2, 5 }, 1, 0.0)]
    [InlineData("F4", new double[] { 2, 5 }, 0, 1.0)]
    [InlineData("F4", new double[] { 2, 5 }, 1, 0.0)]
    public void Forward_mode_gives_the_derivative_worked_by_hand(string name, double[] point, int along, double expected) =>
        PeerChecks.ForwardAndReverse(Compiled.Value, name, along, expected, point);
}

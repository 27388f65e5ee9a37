namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode early-return tests (<c>test/Gradient/EarlyReturns.C</c>), transliterated to C# by this work's
/// author (not independently): returns before the end, in a branch, in a loop, before declarations, a reference to a
/// local (<c>ref double r = ref a</c>) and a <c>const</c> local (a plain one). Each gradient is compared to the one
/// clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005) on every path it prints, and the value
/// FGradient returns to F's own. 10 of its 12 functions are taken; not transliterated: <c>recEarly</c> and
/// <c>callsRec</c> (recursion: AD0010). A struct local (<c>Pair p;</c>) stays one, with a reference to it; C++'s
/// <c>Seeded s;</c>, which runs the member initializers (both 0), is <c>Seeded s = default;</c>.
/// </summary>
public sealed class PeerEarlyReturnTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladEarlyReturns
        {
            [Differentiable]
            public static double NoEarly(double x, double y) => x * y;

            [Differentiable]
            public static double SingleEarly(double x, double y)
            {
                if (x > y)
                    return x * x;
                return x * y;
            }

            [Differentiable]
            public static double MultiEarly(double x, double y)
            {
                if (x > 10)
                    return x;
                if (y > 10)
                    return y * y;
                return x * y;
            }

            [Differentiable]
            public static double LoopEarly(double x, double y)
            {
                double s = 0;
                for (int i = 0; i < 5; ++i)
                {
                    s += x * y;
                    if (s > 20)
                        return s;
                }

                return s;
            }

            [Differentiable]
            public static double MidEarly(double x, double y)
            {
                double a = x * y;
                double b = a + x;
                if (b > 50)
                    return a * b;
                return b * y;
            }

            [Differentiable]
            public static double NestedEarlyReturn(double x, double y)
            {
                if (x > 0)
                {
                    x = x * y;
                }

                if (x < 0)
                {
                    return 0;
                }

                return x;
            }

            [Differentiable]
            public static double DeclAfterEarly(double x, double y)
            {
                if (y == 0)
                    return 1;
                double n = y;
                double a = n + x;
                double b = n, c = 2 * x;
                a *= b;
                return a + c;
            }

            [Differentiable]
            public static double RefAfterEarly(double x, double y)
            {
                if (y == 0)
                    return 1;
                double a = x * y;
                ref double r = ref a;
                double c = r * r;
                double d = c * c;
                return d;
            }

            [Differentiable]
            public static double StructRefAfterEarly(double x, double y)
            {
                if (y == 0)
                    return 1;
                Pair p;
                p.a = x * y;
                p.b = x + y;
                ref Pair r = ref p;
                double d = r.a * r.b;
                return d;
            }

            [Differentiable]
            public static double NontrivialRefAfterEarly(double x, double y)
            {
                if (y == 0)
                    return 1;
                Seeded s = default;
                s.a = x * y;
                s.b = x + y;
                ref Seeded r = ref s;
                double d = r.a * r.b;
                return d;
            }
        }

        public struct Pair
        {
            public double a;
            public double b;
        }

        public struct Seeded
        {
            public double a = 0.0;
            public double b = 0.0;

            public Seeded()
            {
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladEarlyReturns"));

    [Theory]
    [InlineData("NoEarly", 3.0, 5.0, 5.0, 3.0)]
    [InlineData("SingleEarly", 5.0, 3.0, 10.0, 0.0)]
    [InlineData("SingleEarly", 3.0, 5.0, 5.0, 3.0)]
    [InlineData("MultiEarly", 20.0, 1.0, 1.0, 0.0)]
    [InlineData("MultiEarly", 1.0, 20.0, 0.0, 40.0)]
    [InlineData("MultiEarly", 2.0, 3.0, 3.0, 2.0)]
    [InlineData("LoopEarly", 2.0, 3.0, 12.0, 8.0)]
    [InlineData("LoopEarly", 1.0, 1.0, 5.0, 5.0)]
    [InlineData("MidEarly", 8.0, 7.0, 896.0, 960.0)]
    [InlineData("MidEarly", 6.0, 7.0, 56.0, 90.0)]
    [InlineData("NestedEarlyReturn", 5.0, 3.0, 3.0, 5.0)]
    [InlineData("NestedEarlyReturn", -5.0, 3.0, 0.0, 0.0)]
    [InlineData("DeclAfterEarly", 3.0, 0.0, 0.0, 0.0)]
    [InlineData("DeclAfterEarly", 3.0, 5.0, 7.0, 13.0)]
    [InlineData("RefAfterEarly", 1.0, 2.0, 64.0, 32.0)]
    [InlineData("RefAfterEarly", 1.0, 0.0, 0.0, 0.0)]
    [InlineData("StructRefAfterEarly", 1.0, 2.0, 8.0, 5.0)]
    [InlineData("StructRefAfterEarly", 1.0, 0.0, 0.0, 0.0)]
    [InlineData("NontrivialRefAfterEarly", 1.0, 2.0, 8.0, 5.0)]
    public void The_gradient_is_the_one_clad_prints(string name, double x, double y, double expectedX, double expectedY) =>
        CladChecks.GradientPrinted(Compiled.Value, name, [x, y], [expectedX, expectedY]);
}

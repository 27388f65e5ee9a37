using AutoDiff.Generator.Tests.Infrastructure;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's <c>test/FirstDerivative/CompoundAssignments.C</c>, transliterated to C# by this work's author (not
/// independently): every compound assignment and step on a parameter, and <c>x = (y += x)</c>, an assignment whose
/// value is another. clad prints each derivative along x at (100, 100) (its CHECK-EXEC lines, 2 decimals; f5, which it
/// does not print, is x itself, derivative 1): the gradient's ∂/∂x and the Jvp along x match those to 0.005.
/// </summary>
public sealed class PeerCompoundAssignmentTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladCompound
        {
            [Differentiable]
            public static double F1(double x, double y)
            {
                x += y;
                x += x;
                x -= y;
                x -= x;
                return x; // == 0
            }

            [Differentiable]
            public static double F2(double x, double y)
            {
                x *= y;
                x *= x;
                x /= y;
                x /= x;
                return x; // == 1
            }

            [Differentiable]
            public static double F3(double x)
            {
                x++;
                x--;
                ++x;
                --x;
                return x; // == x
            }

            [Differentiable]
            public static double F4(double x, double y)
            {
                x = (y += x);
                return x; // == x + y
            }

            [Differentiable]
            public static double F5(double x, double y)
            {
                x /= Math.Pow(2.0, y);
                x *= Math.Pow(2.0, y);
                return x; // == x
            }

            public static double AlongX(string name, bool forward) => (name, forward) switch
            {
                ("F1", true) => Tangent(F1Jvp(100, 100, 1, 0, out var t), t),
                ("F1", false) => Partial(F1Gradient(100, 100, out var d, out _), d),
                ("F2", true) => Tangent(F2Jvp(100, 100, 1, 0, out var t), t),
                ("F2", false) => Partial(F2Gradient(100, 100, out var d, out _), d),
                ("F3", true) => Tangent(F3Jvp(100, 1, out var t), t),
                ("F3", false) => Partial(F3Gradient(100, out var d), d),
                ("F4", true) => Tangent(F4Jvp(100, 100, 1, 0, out var t), t),
                ("F4", false) => Partial(F4Gradient(100, 100, out var d, out _), d),
                ("F5", true) => Tangent(F5Jvp(100, 100, 1, 0, out var t), t),
                _ => Partial(F5Gradient(100, 100, out var d, out _), d),
            };

            private static double Tangent(double value, double tangent) => tangent;

            private static double Partial(double value, double partial) => partial;
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladCompound"));

    [Theory]
    [InlineData("F1", 0.00)]
    [InlineData("F2", 0.00)]
    [InlineData("F3", 1.00)]
    [InlineData("F4", 1.00)]
    [InlineData("F5", 1.00)]
    public void The_derivative_along_x_is_the_one_clad_prints(string name, double printed)
    {
        foreach (bool forward in new[] { true, false })
        {
            double derivative = (double)Compiled.Value.GetMethod("AlongX")!.Invoke(null, [name, forward])!;
            Assert.True(Math.Abs(derivative - printed) <= 0.005, $"{name}(100, 100): {(forward ? "Jvp" : "gradient")} {derivative:R}, clad prints {printed:F2}");
        }
    }
}

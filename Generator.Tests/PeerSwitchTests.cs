using AutoDiff.Generator.Tests.Infrastructure;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's <c>test/FirstDerivative/Switch.C</c>, transliterated to C# by this work's author (not independently): four
/// functions of (i, j, choice) whose switch picks the math (cases that share a section, <c>default</c> in the middle, a
/// nested switch on a constant). clad differentiates them in forward mode with respect to i and prints the derivative at
/// i = 3, j = 5 for each choice (its CHECK-EXEC lines, 2 decimals): here the gradient's ∂/∂i and the Jvp along i match
/// those to 0.005. C# changes: clad's <c>switch (int diff_choice = choice + 1)</c> declares the local before the switch
/// (C# has no declaration there); a section C++ lets fall out of the switch ends with <c>break</c>.
/// </summary>
public sealed class PeerSwitchTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladSwitch
        {
            [Differentiable]
            public static double Fn1(double i, double j, int choice)
            {
                double a = 0, b = 0;
                double c = i + j;
                switch (choice)
                {
                    case 1:
                        a = i * i;
                        b = a / (a * j);
                        break;
                    case 2:
                        a = i * j;
                        b = a / (a + i);
                        break;
                    case 3:
                        a = j * j;
                        b = a / (a * i);
                        break;
                    default:
                        a = i * i;
                        b = j * j;
                        break;
                }

                return a + b + c;
            }

            [Differentiable]
            public static double Fn2(double i, double j, int choice)
            {
                double a = 0, b = 0;
                double c = i + j;
                int diffChoice = choice + 1;
                switch (diffChoice)
                {
                    case 1:
                        a = i;
                        b = a / (a * j);
                        break;
                    default:
                        a = i * i;
                        b = j * j;
                        break;
                    case 2:
                        a = j;
                        b = a / (a + i);
                        break;
                    case 3:
                        a = 1;
                        b = (i / j) * i;
                        break;
                }

                return a + b + c;
            }

            [Differentiable]
            public static double Fn3(double i, double j, int choice)
            {
                double a = 0;
                switch (choice)
                {
                    case 0:
                    case 1:
                    default:
                        a = ((i * i) + (j / i)) * i;
                        break;
                }

                return a;
            }

            [Differentiable]
            public static double Fn4(double i, double j, int choice)
            {
                double a = 0, b = 0;
                switch (choice)
                {
                    case 0:
                        {
                            a = i + j;
                            switch (0)
                            {
                                case 0: b = i * i; break;
                                case 1: b = i * j; break;
                                default: b = j * j; break;
                            }
                        }

                        break;
                    case 1:
                        {
                            a = i * i;
                            b = i * i / j;
                            break;
                        }

                    default:
                        {
                            a = i * j;
                            switch (1)
                            {
                                case 0: b = i * i; break;
                                case 1: b = i * j; break;
                                default: b = j * j; break;
                            }

                            break;
                        }
                }

                return a + b;
            }

            public static double Fn1AlongI(double i, double j, int choice, bool forward) => forward ? Tangent(Fn1Jvp(i, j, choice, 1, 0, out var t), t) : Partial(Fn1Gradient(i, j, choice, out var d, out _), d);

            public static double Fn2AlongI(double i, double j, int choice, bool forward) => forward ? Tangent(Fn2Jvp(i, j, choice, 1, 0, out var t), t) : Partial(Fn2Gradient(i, j, choice, out var d, out _), d);

            public static double Fn3AlongI(double i, double j, int choice, bool forward) => forward ? Tangent(Fn3Jvp(i, j, choice, 1, 0, out var t), t) : Partial(Fn3Gradient(i, j, choice, out var d, out _), d);

            public static double Fn4AlongI(double i, double j, int choice, bool forward) => forward ? Tangent(Fn4Jvp(i, j, choice, 1, 0, out var t), t) : Partial(Fn4Gradient(i, j, choice, out var d, out _), d);

            private static double Tangent(double value, double tangent) => tangent;

            private static double Partial(double value, double partial) => partial;
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladSwitch"));

    // TEST_SWITCH_CASES(fn, start, end): the derivative along i at (3, 5) for choice = start..end, as clad prints it.
    [Theory]
    [InlineData("Fn1", new[] { 7.00, 7.00, 6.00, 0.89, 7.00 })]
    [InlineData("Fn2", new[] { 2.00, 0.92, 2.20, 7.00, 7.00 })]
    [InlineData("Fn3", new[] { 27.00, 27.00, 27.00 })]
    [InlineData("Fn4", new[] { 7.00, 7.20, 10.00, 10.00 })]
    public void The_derivative_along_i_for_each_choice_is_the_one_clad_prints(string name, double[] printed)
    {
        var along = Compiled.Value.GetMethod(name + "AlongI")!;
        for (int choice = 0; choice < printed.Length; choice++)
        {
            foreach (bool forward in new[] { true, false })
            {
                double derivative = (double)along.Invoke(null, [3.0, 5.0, choice, forward])!;
                Assert.True(Math.Abs(derivative - printed[choice]) <= 0.005,
                    $"{name}(3, 5, {choice}): {(forward ? "Jvp" : "gradient")} {derivative:R}, clad prints {printed[choice]:F2}");
            }
        }
    }
}

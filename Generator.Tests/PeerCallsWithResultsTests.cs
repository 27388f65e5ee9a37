using AutoDiff.Generator.Tests.Infrastructure;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's <c>test/FirstDerivative/FunctionCallsWithResults.C</c>, transliterated to C# by this work's author (not
/// independently): calls whose results feed other calls, a helper that squares its argument in place (<c>ref</c> here),
/// nested calls, an array written by one helper and summed by another, a <c>const int</c> local. clad prints each
/// derivative along i at (3, 5) (its CHECK-EXEC lines, 2 decimals): the gradient's ∂/∂i and the Jvp along i match
/// those to 0.005. C# changes: <c>double&amp;&amp;</c> parameters are plain ones. Not taken: fn4
/// (string parameters), fn5 and fn6 (recursion: AD0010), fn10 (a random generator), and test_1..test_4 (custom
/// derivatives of overloads).
/// </summary>
public sealed class PeerCallsWithResultsTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladCallsWithResults
        {
            [Differentiable]
            public static double SumOfSquares(double u, double v) => (u * u) + (v * v);

            [Differentiable]
            public static double Fn1(double i, double j)
            {
                double res = SumOfSquares(i, j);
                res += SumOfSquares(j, i);
                return res;
            }

            [Differentiable]
            public static double SumOfPairwiseProduct(double u, double v, double w) => (u * v) + (v * w) + (w * u);

            [Differentiable]
            public static double Fn2(double i, double j)
            {
                double res = Fn1(i, j);
                res += SumOfPairwiseProduct(res, i, j);
                return res;
            }

            [Differentiable]
            public static void SquareInplace(ref double u)
            {
                u = u * u;
            }

            [Differentiable]
            public static double Fn3(double i, double j)
            {
                SquareInplace(ref i);
                double res = i;
                return res;
            }

            [Differentiable]
            public static double HelperFn(double i, double j) => i + j;

            [Differentiable]
            public static double Fn7(double i, double j) => HelperFn(HelperFn(7 * i, 9 * j), i + j);

            [Differentiable]
            public static void ModifyArr(Span<double> arr, int n, double val)
            {
                for (int i = 0; i < n; ++i)
                {
                    arr[i] = val;
                }
            }

            [Differentiable]
            public static double Sum(ReadOnlySpan<double> arr, int n)
            {
                double val = 0;
                for (int i = 0; i < n; ++i)
                {
                    val += arr[i];
                }

                return val;
            }

            [Differentiable]
            public static double CheckAndReturn(double x, char c)
            {
                if (c == 'a')
                {
                    return x;
                }

                return 1;
            }

            [Differentiable]
            public static double Fn8(double i, double j)
            {
                double[] arr = new double[5];
                ModifyArr(arr, 5, i * j);
                return CheckAndReturn(Sum(arr, 5), 'a') * Math.Tanh(1.0);
            }

            [Differentiable]
            public static double G(double x) => x;

            [Differentiable]
            public static double Fn9(double i, double j)
            {
                const int k = 1;
                return G(i) * G(j) * k;
            }

            public static double AlongI(string name, bool forward)
            {
                double d = 0, t = 0;
                _ = (name, forward) switch
                {
                    ("Fn1", true) => Fn1Jvp(3, 5, 1, 0, out t),
                    ("Fn1", false) => Fn1Gradient(3, 5, out d, out _),
                    ("Fn2", true) => Fn2Jvp(3, 5, 1, 0, out t),
                    ("Fn2", false) => Fn2Gradient(3, 5, out d, out _),
                    ("Fn3", true) => Fn3Jvp(3, 5, 1, 0, out t),
                    ("Fn3", false) => Fn3Gradient(3, 5, out d, out _),
                    ("Fn7", true) => Fn7Jvp(3, 5, 1, 0, out t),
                    ("Fn7", false) => Fn7Gradient(3, 5, out d, out _),
                    ("Fn8", true) => Fn8Jvp(3, 5, 1, 0, out t),
                    ("Fn8", false) => Fn8Gradient(3, 5, out d, out _),
                    ("Fn9", true) => Fn9Jvp(3, 5, 1, 0, out t),
                    _ => Fn9Gradient(3, 5, out d, out _),
                };
                return forward ? t : d;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladCallsWithResults"));

    [Theory]
    [InlineData("Fn1", 12.00)]
    [InlineData("Fn2", 181.00)]
    [InlineData("Fn3", 6.00)] // square_inplace(i): a ref parameter squared in place
    [InlineData("Fn7", 8.00)]
    [InlineData("Fn8", 19.04)] // modifyArr(arr, 5, i * j), then sum(arr, 5)
    [InlineData("Fn9", 5.00)]
    public void The_derivative_along_i_is_the_one_clad_prints(string name, double printed)
    {
        foreach (bool forward in new[] { true, false })
        {
            double derivative = (double)Compiled.Value.GetMethod("AlongI")!.Invoke(null, [name, forward])!;
            Assert.True(Math.Abs(derivative - printed) <= 0.005, $"{name}(3, 5): {(forward ? "Jvp" : "gradient")} {derivative:R}, clad prints {printed:F2}");
        }
    }
}

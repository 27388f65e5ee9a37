namespace AutoDiff.Generator.Tests;

/// <summary>
/// Two of Enzyme's reverse-mode integration tests (<c>enzyme/test/Integration/ReverseMode</c>), transliterated to C# by
/// this work's author (not independently): <c>insertsort_sum.c</c> (an insertion sort in place by swaps through a
/// temporary, a while loop on the data, then the sum of the larger half; its result through a return instead of a
/// pointer) and <c>mycos.c</c>'s <c>my_sin</c> (a Taylor series over a <c>uint64_t</c> counter, each term divided by
/// a recursive <c>factorial</c> that is not differentiated: a method of integers called as it is). Enzyme's test asserts
/// the gradient of the sort (1 for the elements that end in the larger half, 0 for the others) and the second
/// derivative of the series; the series' derivatives are compared here to the series differentiated term by term.
/// </summary>
public sealed class PeerEnzymeTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Enzyme
        {
            public static ulong Factorial(ulong x) => x == 0 ? 1 : x * Factorial(x - 1);

            [Differentiable]
            public static double MySin(double x)
            {
                double result = 0;
                ulong n = 12;
                for (ulong i = 0; i <= n; i++)
                {
                    if (i % 2 == 0) continue;
                    result += Math.Pow(x, i) / Factorial(i) * (i % 4 == 1 ? 1 : -1);
                }

                return result;
            }

            [Differentiable]
            public static float InsertsortSum(float[] array, int n)
            {
                float sum = 0;
                for (int i = 1; i < n; i++)
                {
                    int j = i;
                    while (j > 0 && array[j - 1] < array[j])
                    {
                        float tmp = array[j];
                        array[j] = array[j - 1];
                        array[j - 1] = tmp;
                        j -= 1;
                    }
                }

                for (int i = 0; i < n / 2; i++)
                {
                    sum += array[i];
                }

                return sum;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Enzyme"));

    private delegate float SortGradient(ReadOnlySpan<float> array, int n, Span<float> dArray);

    private delegate double Derivative(double x, out double dX);

    private delegate double Hessian(double x, Span<double> gradient, Span<double> hessian);

    [Fact]
    public void The_sorted_sum_has_the_gradient_Enzyme_asserts()
    {
        var array = Enumerable.Range(0, 10).Select(i => (float)(i % 2)).ToArray(); // Enzyme's unsorted_array_init
        var d = new float[10];
        float sum = Compiled.Value.GetMethod("InsertsortSumGradient")!.CreateDelegate<SortGradient>()(array, 10, d);
        Assert.Equal(5f, sum);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 0f : 1f), d);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)(i % 2)), array); // sorted on a copy
    }

    [Theory]
    [InlineData(1.23)]
    [InlineData(-0.4)]
    public void The_series_derivatives_are_the_series_differentiated_term_by_term(double x)
    {
        // Σ over odd k ≤ 11 of ±xᵏ/k!: its first and second derivatives, term by term.
        double first = 0, second = 0, factorial = 1;
        for (int k = 1; k <= 11; k++)
        {
            factorial *= k;
            if (k % 2 == 1)
            {
                double sign = k % 4 == 1 ? 1 : -1;
                first += sign * k * Math.Pow(x, k - 1) / factorial;
                second += k >= 2 ? sign * k * (k - 1) * Math.Pow(x, k - 2) / factorial : 0;
            }
        }

        var type = Compiled.Value;
        type.GetMethod("MySinGradient", [typeof(double), typeof(double).MakeByRefType()])!.CreateDelegate<Derivative>()(x, out double dX);
        Numerics.Close(first, dX, 1e-12, "my_sin'");
        var gradient = new double[1];
        var hessian = new double[1];
        type.GetMethod("MySinHessian", [typeof(double), typeof(Span<double>), typeof(Span<double>)])!.CreateDelegate<Hessian>()(x, gradient, hessian);
        Numerics.Close(second, hessian[0], 1e-12, "my_sin''");
    }
}

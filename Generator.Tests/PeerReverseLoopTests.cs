namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode loop tests (<c>test/Gradient/Loops.C</c>), transliterated to C# by this work's author (not
/// independently): a <c>for</c> stays a <c>for</c>, <c>while (counter--)</c> on an int becomes
/// <c>while (counter-- != 0)</c> and an assignment tested as a number (<c>(res = i * j)</c>) <c>(res = i * j) != 0</c>, a
/// pointer becomes a span (an array where the function writes it), an initializer list a local array, a range-for a
/// foreach, an iterator over ints an index, a <c>const</c> local a plain one, <c>#pragma clad checkpoint loop</c> is
/// dropped. C++'s comma in a loop's condition (<c>(res += i * j), c &lt; 3</c>), which C# has no form for, becomes its
/// first part as the body's first statement and the test after it (<c>if (!(c &lt; 3)) break;</c>). Each gradient is
/// compared to the one clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005); the value FGradient
/// returns to F's own. 48 of the file's 52 functions are taken; not transliterated: <c>f_const</c>, <c>fn10</c> and
/// <c>fn13</c>, which add a double into an int (<c>int sq = b * b</c>, <c>b += i*i + j</c> with <c>int b</c>): clad
/// differentiates through that conversion as if it were none and prints 12 and 18 where the truncated function's
/// derivative is 0 (a C# int carries no gradient; the conversion needs a cast, which makes the step visible), and
/// <c>fn42</c>, a struct with a <c>std::vector</c> member.
/// </summary>
public sealed class PeerReverseLoopTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladReverseLoops
        {
            [Differentiable]
            public static double F1(double x)
            {
                double t = 1;
                for (int i = 0; i < 3; i++)
                    t *= x;
                return t;
            }

            [Differentiable]
            public static double F2(double x)
            {
                double t = 1;
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                        t *= x;
                return t;
            }

            [Differentiable]
            public static double F3(double x)
            {
                double t = 1;
                for (int i = 0; i < 3; i++)
                {
                    t *= x;
                    if (i == 1)
                        return t;
                }

                return t;
            }

            [Differentiable]
            public static double F4(double x)
            {
                double t = 1;
                for (int i = 0; i < 3; t *= x)
                    i++;
                return t;
            }

            [Differentiable]
            public static double F5(double x)
            {
                for (int i = 0; i < 10; i++)
                    x++;
                return x;
            }

            [Differentiable]
            public static double FConstLocal(double x)
            {
                double res = 0;
                for (int i = 0; i < 3; ++i)
                {
                    double n = x + i;
                    res += x * n;
                }

                return res;
            }

            [Differentiable]
            public static double FSum(ReadOnlySpan<double> p, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    s += p[i];
                return s;
            }

            [Differentiable]
            public static double Sq(double x) => x * x;

            [Differentiable]
            public static double FSumSquares(ReadOnlySpan<double> p, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                    s += Sq(p[i]);
                return s;
            }

            // log-likelihood of n-dimensional gaussian distribution with covariance sigma^2*I
            [Differentiable]
            public static double FLogGaus([NoDiff] ReadOnlySpan<double> x, ReadOnlySpan<double> p, [NoDiff] double n, [NoDiff] double sigma)
            {
                double power = 0;
                for (int i = 0; i < n; i++)
                    power += Sq(x[i] - p[i]);
                power = -power / (2 * Sq(sigma));
                double gaus = 1.0 / Math.Sqrt(Math.Pow(2 * Math.PI, n) * sigma) * Math.Exp(power);
                return Math.Log(gaus);
            }

            [Differentiable]
            public static double F6(double i, double j)
            {
                double a = 0;
                for (int counter = 0; counter < 3; ++counter)
                {
                    double b = i * i;
                    double c = j * j;
                    b += j;
                    a += b + c + i;
                }

                return a;
            }

            [Differentiable]
            public static double Fn7(double i, double j)
            {
                double a = 0;
                int counter = 3;
                while (counter-- != 0)
                    a += i * i + j;
                return a;
            }

            [Differentiable]
            public static double Fn8(double i, double j)
            {
                double a = 0;
                int counter = 3;
                while (counter > 0)
                    do
                    {
                        a += i * i + j;
                    } while (--counter != 0);
                return a;
            }

            [Differentiable]
            public static double Fn9(double i, double j)
            {
                int counter, counterAgain;
                counter = counterAgain = 3;
                double a = 0;
                while (counter-- != 0)
                {
                    counterAgain = 3;
                    while (counterAgain-- != 0)
                    {
                        a += i * i + j;
                    }
                }

                return a;
            }

            [Differentiable]
            public static double Fn11(double i, double j)
            {
                int counter = 3;
                double a = 0;
                do
                {
                    a += i * i + j;
                    counter -= 1;
                } while (counter != 0);
                return a;
            }

            [Differentiable]
            public static double Fn12(double i, double j)
            {
                int counter = 3;
                double a = 0;
                do
                {
                    int counterAgain = 3;
                    do
                    {
                        a += i * i + j;
                        counterAgain -= 1;
                        do
                            a += j;
                        while (false);
                    } while (counterAgain != 0);
                    counter -= 1;
                } while (counter != 0);
                return a;
            }

            [Differentiable]
            public static double Fn14(double i, double j)
            {
                int choice = 5;
                double res = 0;
                while (choice-- != 0)
                {
                    if (choice > 3)
                    {
                        res += i;
                        continue;
                    }

                    if (choice > 1)
                    {
                        res += j;
                        continue;
                    }

                    if (choice > 0)
                    {
                        res += i * j;
                        continue;
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn15(double i, double j)
            {
                int choice = 5;
                double res = 0;
                while (choice-- != 0)
                {
                    if (choice > 2)
                        continue;
                    int anotherChoice = 3;
                    while (anotherChoice-- != 0)
                    {
                        if (anotherChoice > 1)
                        {
                            res += i;
                            continue;
                        }

                        if (anotherChoice > 0)
                        {
                            res += j;
                        }
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn16(double i, double j)
            {
                int counter = 5;
                double res = 0;
                for (int ii = 0; ii < counter; ++ii)
                {
                    if (ii == 4)
                    {
                        res += i * j;
                        break;
                    }

                    if (ii > 2)
                    {
                        res += 2 * i;
                        continue;
                    }

                    res += i + j;
                }

                return res;
            }

            [Differentiable]
            public static double Fn17(double i, double j)
            {
                int counter = 5;
                double res = 0;
                for (int ii = 0; ii < counter; ++ii)
                {
                    int jj = ii;
                    if (ii < 2)
                        continue;
                    while (jj-- != 0)
                    {
                        if (jj < 3)
                        {
                            res += i * j;
                            break;
                        }
                        else
                        {
                            continue;
                        }
        #pragma warning disable CS0162 // clad's test has the unreachable statement too
                        res += i * i * j * j;
        #pragma warning restore CS0162
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn18(double i, double j)
            {
                int choice = 5;
                double res = 0;
                for (int counter = 0; counter < choice; ++counter)
                    if (counter < 2)
                        res += i + j;
                    else if (counter < 4)
                        continue;
                    else
                    {
                        res += 2 * i + 2 * j;
                        break;
                    }

                return res;
            }

            [Differentiable]
            public static double Fn19(ReadOnlySpan<double> arr, int n)
            {
                double res = 0;
                for (int i = 0; i < n; ++i)
                {
                    ref readonly double r = ref arr[i];
                    res += r;
                }

                return res;
            }

            [Differentiable]
            public static double FLoopInitVar(double lower, double upper)
            {
                double sum = 0;
                double numPoints = 10000;
                double interval = (upper - lower) / numPoints;
                for (double x = lower; x <= upper; x += interval)
                {
                    sum += x * x * interval;
                }

                return sum;
            }

            [Differentiable]
            public static double Fn20(double[] arr, int n)
            {
                double res = 0;
                for (int i = 0; i < n; ++i)
                {
                    res += arr[i] *= 5;
                }

                return res;
            }

            [Differentiable]
            public static double Fn21(double x)
            {
                double res = 0;
                for (int i = 0; i < 5; ++i)
                {
                    double[] arr = { 1, x, 2 };
                    res += arr[0] + arr[1];
                }

                return res;
            }

            [Differentiable]
            public static double Fn22(double param)
            {
                double @out = 0.0;
                for (int i = 0; i < 1; i++)
                {
                    double[] arr = { 1.0 };
                    @out += arr[0] * param;
                }

                return @out;
            }

            [Differentiable]
            public static double Fn23(double i, double j)
            {
                double res = 0;
                for (int c = 0; (res = i * j) != 0; ++c)
                {
                    if (c == 1)
                        break;
                }

                return res;
            }

            // C++'s comma in a condition, (res += i * j), c < 3: its first part a statement at the top of the body, the
            // test after it (as C++ runs them, before each pass's test).
            [Differentiable]
            public static double Fn24(double i, double j)
            {
                double res = 0;
                for (int c = 0; ; ++c)
                {
                    res += i * j;
                    if (!(c < 3))
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn25(double i, double j)
            {
                double res = 0;
                for (int c = 0; ; ++c)
                {
                    res += i * j;
                    if (!(c < 3))
                        break;
                    if (c == 1)
                    {
                        res = 8 * i * j;
                        break;
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn26(double i, double j)
            {
                double res = 0;
                for (int c = 0; (res += i * j) != 0; ++c, res = 7 * i * j)
                {
                    if (c == 0)
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn27(double i, double j)
            {
                double res = 0;
                for (int c = 0; (res += i * j) != 0; ++c)
                {
                    if (c == 2)
                        break;
                    res = c * i * j;
                }

                return res;
            }

            [Differentiable]
            public static double Fn28(double i, double j)
            {
                double res = 0;
                for (int c = 0; ; ++c)
                {
                    res = i * j;
                    if (!(c < 2))
                        break;
                    res = 3 * i * j;
                }

                return res;
            }

            [Differentiable]
            public static double Fn29(double i, double j)
            {
                double res = 0;
                for (int c = 0; ; ++c, res = 3 * i * j)
                {
                    res = i * j;
                    if (!(c < 1))
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn30(double i, double j)
            {
                double res = 0;
                for (int c = 0; (c == 0) && (res = i * j) != 0; ++c) { }
                return res;
            }

            [Differentiable]
            public static double Fn31(double i, double j)
            {
                double res = 0;
                for (int c = 0; ; ++c)
                {
                    res = i * j;
                    res = 2 * i * j;
                    if (!(c < 3))
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn32(double i, double j)
            {
                double res = 0;
                for (int c = 0; (res += i * j) != 0; ++c)
                {
                    for (int d = 0; (res += i * j) != 0; ++d)
                    {
                        if (d == 1)
                        {
                            res += i * j;
                            break;
                        }
                    }

                    if (c == 1)
                    {
                        res += i * j;
                        break;
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn33(double i, double j)
            {
                double res = 0;
                for (int c = 0; (res = i * j) != 0; ++c)
                {
                    if ((res += i * j) != 0 && (c == 1))
                    {
                        break;
                    }

                    if ((c == 0) && (res += i * j) != 0)
                    {
                        break;
                    }
                }

                return res;
            }

            [Differentiable]
            public static double Fn34(double x, double y)
            {
                double r = 0;
                double[] a = { y, x * y, x * x + y };
                foreach (var i in a)
                {
                    r += i * i;
                }

                return r;
            }

            [Differentiable]
            public static double Fn35(double x, double y)
            {
                double r = 0;
                double[] a = { x, x * y, 0 };
                foreach (var i in a)
                {
                    foreach (var j in a)
                    {
                        if (r <= x * x)
                        {
                            r += i * j;
                        }
                        else if (r > x * x)
                        {
                            break;
                        }
                    }
                }

                return r;
            }

            [Differentiable]
            public static double Fn36(double x, double y)
            {
                double[] a = { 1, 2, 3 };
                double sum = 0;
                foreach (var i in a)
                {
                    if (sum > x)
                    {
                        continue;
                    }
                    else if (true)
                    {
                        sum += Math.Sin(i) * x;
                    }
                }

                return sum;
            }

            [Differentiable]
            public static double Fn37(double x, double y)
            {
                double[] range = { x, 4.0, y };
                double sum = 0;
                foreach (var elem in range)
                    sum += elem;
                return sum;
            }

            [Differentiable]
            public static double Fn38(double x, double y)
            {
                double sum = 0;
                if (x > 0)
                {
                    double[] range = { 1.0, x, 2.0, y, 3.0 };
                    foreach (var elem in range)
                        sum += elem;
                }

                return sum;
            }

            // The iterator over an initializer list of ints: an index over an int array.
            [Differentiable]
            public static double Fn39(double x)
            {
                double res = 0;
                int[] range = { 1, 2, 3 };
                for (int i = 0; i != range.Length; i++)
                {
                    res += x * range[i];
                }

                return res;
            }

            [Differentiable]
            public static double Fn40(double u, double v)
            {
                double res = 11 * u;
                for (int i = 0; i < 3; i++)
                {
                    res += u * i;
                    continue;
                }

                return res;
            }

            [Differentiable]
            public static double Fn41(double u, double v)
            {
                double res = 0;
                for (int i = 1; i < 3; i++)
                {
                    res += i * u;
                    if (i == 1)
                        break;
                }

                return res;
            }

            [Differentiable]
            public static double Fn43(ReadOnlySpan<double> x, [NoDiff] double y)
            {
                double @out = 0.0;
                for (int i = 0; i < 3; i++)
                {
                    double t4 = x[i];
                    @out += 1.0 / t4;
                }

                return @out;
            }

            [Differentiable]
            public static double Fn44(double u, double v)
            {
                double sum = 0;
                for (int i = 0; i != 1;)
                {
                    sum += u + v;
                    break;
                }

                return sum;
            }

            [Differentiable]
            public static double Fn45(double x, double y)
            {
                double sum = 0;
                for (int i = 0; i < 100; ++i)
                {
                    double t1 = x;
                    double t2 = y / t1;
                    sum += Math.Pow(t2, 2);
                }

                return sum;
            }

            [Differentiable]
            public static double Fn46(double x, double y)
            {
                double sum = 0;
                int i = 0;
                while (i < 50)
                {
                    double t1 = x;
                    double t2 = y / t1;
                    sum += Math.Pow(t2, 2);
                    ++i;
                }

                do
                {
                    double t1 = x;
                    double t2 = y / t1;
                    sum += Math.Pow(t2, 2);
                    ++i;
                } while (i < 100);
                return sum;
            }

            // clad's main: the gradients over arrays, each as clad's test calls it.
            public static double[] FSumAt() { var d = new double[5]; FSumGradient(new double[] { 1, 2, 3, 4, 5 }, 5, d); return d; }

            public static double[] FSumSquaresAt() { var d = new double[5]; FSumSquaresGradient(new double[] { 1, 2, 3, 4, 5 }, 5, d); return d; }

            public static double[] FLogGausAt() { var d = new double[5]; FLogGausGradient(new double[] { 1, 1, 1, 1, 1 }, new double[] { 1, 2, 3, 4, 5 }, 5, 2.0, d); return d; }

            public static double[] Fn19At() { var d = new double[5]; Fn19Gradient(new double[5], 5, d); return d; }

            public static double[] Fn20At() { var d = new double[5]; Fn20Gradient(new double[] { 1, 1, 1, 1, 1 }, 5, d); return d; }

            public static double[] Fn43At() { var d = new double[3]; Fn43Gradient(new double[] { 1, 2, 3 }, 5, d); return d; }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladReverseLoops"));

    [Theory]
    [InlineData("F1", new[] { 3.0 }, new[] { 27.0 })]
    [InlineData("F2", new[] { 3.0 }, new[] { 59049.0 })]
    [InlineData("F3", new[] { 3.0 }, new[] { 6.0 })]
    [InlineData("F4", new[] { 3.0 }, new[] { 27.0 })]
    [InlineData("F5", new[] { 3.0 }, new[] { 1.0 })]
    [InlineData("FConstLocal", new[] { 3.0 }, new[] { 21.0 })]
    [InlineData("F6", new[] { 3.0, 5 }, new[] { 21.0, 33 })]
    [InlineData("Fn7", new[] { 3.0, 5 }, new[] { 18.0, 3 })]
    [InlineData("Fn8", new[] { 3.0, 5 }, new[] { 18.0, 3 })]
    [InlineData("Fn9", new[] { 3.0, 5 }, new[] { 54.0, 9 })]
    [InlineData("Fn11", new[] { 3.0, 5 }, new[] { 18.0, 3 })]
    [InlineData("Fn12", new[] { 3.0, 5 }, new[] { 54.0, 18 })]
    [InlineData("Fn14", new[] { 3.0, 5 }, new[] { 6.0, 5 })]
    [InlineData("Fn15", new[] { 3.0, 5 }, new[] { 3.0, 3 })]
    [InlineData("Fn16", new[] { 3.0, 5 }, new[] { 10.0, 6 })]
    [InlineData("Fn17", new[] { 3.0, 5 }, new[] { 15.0, 9 })]
    [InlineData("Fn18", new[] { 3.0, 5 }, new[] { 4.0, 4 })]
    [InlineData("FLoopInitVar", new[] { 1.0, 2 }, new[] { -1.0, 4 })]
    [InlineData("Fn21", new[] { 5.0 }, new[] { 5.0 })]
    [InlineData("Fn22", new[] { 5.0 }, new[] { 1.0 })]
    [InlineData("Fn23", new[] { 3.0, 5 }, new[] { 5.0, 3 })]
    [InlineData("Fn24", new[] { 3.0, 5 }, new[] { 20.0, 12 })]
    [InlineData("Fn25", new[] { 3.0, 5 }, new[] { 40.0, 24 })]
    [InlineData("Fn26", new[] { 3.0, 5 }, new[] { 5.0, 3 })]
    [InlineData("Fn27", new[] { 3.0, 5 }, new[] { 10.0, 6 })]
    [InlineData("Fn28", new[] { 3.0, 5 }, new[] { 5.0, 3 })]
    [InlineData("Fn29", new[] { 3.0, 5 }, new[] { 5.0, 3 })]
    [InlineData("Fn30", new[] { 3.0, 5 }, new[] { 5.0, 3 })]
    [InlineData("Fn31", new[] { 3.0, 5 }, new[] { 10.0, 6 })]
    [InlineData("Fn32", new[] { 3.0, 5 }, new[] { 45.0, 27 })]
    [InlineData("Fn33", new[] { 3.0, 5 }, new[] { 15.0, 9 })]
    [InlineData("Fn34", new[] { 2.0, 2 }, new[] { 64.0, 32 })]
    [InlineData("Fn35", new[] { 2.0, 2 }, new[] { 12.0, 4 })]
    [InlineData("Fn36", new[] { 1.0, 1 }, new[] { 1.75, 0 })]
    [InlineData("Fn37", new[] { 1.0, 1 }, new[] { 1.0, 1 })]
    [InlineData("Fn38", new[] { 6.0, 3 }, new[] { 1.0, 1 })]
    [InlineData("Fn39", new[] { 9.0 }, new[] { 6.0 })]
    [InlineData("Fn40", new[] { 2.0, 3 }, new[] { 14.0, 0 })]
    [InlineData("Fn41", new[] { 2.0, 3 }, new[] { 1.0, 0 })]
    [InlineData("Fn44", new[] { 2.0, 3 }, new[] { 1.0, 1 })]
    [InlineData("Fn45", new[] { 1.0, 0.5 }, new[] { -50.0, 100 })]
    [InlineData("Fn46", new[] { 1.0, 0.5 }, new[] { -50.0, 100 })]
    public void The_gradient_is_the_one_clad_prints(string name, double[] point, double[] expected) =>
        CladChecks.GradientPrinted(Compiled.Value, name, point, expected);

    /// <summary>The gradients over arrays, called as clad's main calls them (fn19's test prints nothing: 1 per element is the math).</summary>
    [Theory]
    [InlineData("FSumAt", new[] { 1.0, 1, 1, 1, 1 })]
    [InlineData("FSumSquaresAt", new[] { 2.0, 4, 6, 8, 10 })]
    [InlineData("FLogGausAt", new[] { 0.0, -0.25, -0.50, -0.75, -1.00 })]
    [InlineData("Fn19At", new[] { 1.0, 1, 1, 1, 1 })]
    [InlineData("Fn20At", new[] { 5.0, 5, 5, 5, 5 })]
    [InlineData("Fn43At", new[] { -1.0, -0.25, -0.11 })]
    public void The_gradient_over_an_array_is_the_one_clad_prints(string name, double[] expected)
    {
        var d = (double[])Compiled.Value.GetMethod(name)!.Invoke(null, null)!;
        Assert.Equal(expected.Length, d.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(d[k] - expected[k]) <= 0.005, $"{name}: element {k} is {d[k]:R}, clad prints {expected[k]:F2}");
        }
    }
}

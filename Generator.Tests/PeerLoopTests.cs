using System.Reflection;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's forward-mode loop tests (<c>test/FirstDerivative/Loops.C</c>), its Hessian of a loop left by an early
/// return (<c>test/Hessian/EarlyReturns.C</c>) its Hessians over arrays (<c>test/Hessian/Arrays.C</c>) and its Hessians assembled from Hessian-vector products
/// (<c>test/Hessian/VectorProducts.C</c>, 3 of 3) and through calls (<c>test/Hessian/ZeroTangentCalls.C</c>, 4 of 4), transliterated to C# by this work's author (not independently): a
/// <c>for</c> stays a <c>for</c>, <c>while (b)</c> on an int becomes <c>while (b != 0)</c>, a pointer becomes a span,
/// an initializer list a local array (of ints too). A C++ declaration used as a loop's condition (<c>while (double a = b)</c>), which
/// C# has no form for, becomes the test it makes and a declaration in the body. Each derivative is compared to the
/// value clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005). All 25 functions of Loops.C are
/// accepted (the six that assign inside a loop's condition, <c>(r = x) != 0</c>, since such conditions are taken).
/// </summary>
public sealed class PeerLoopTests
{
    private const string Accepted = """
        using System;
        using AutoDiff;

        public static partial class CladLoops
        {
            [Differentiable]
            public static double F1(double x, int y)
            {
                double r = 1.0;
                for (int i = 0; i < y; i = i + 1)
                    r = r * x;
                return r;
            }

            [Differentiable]
            public static double F1Inc(double x, int y)
            {
                double r = 1.0;
                for (int i = 0; i < y; i++)
                    r *= x;
                return r;
            }

            [Differentiable]
            public static double F2(double x, int y)
            {
                for (int i = 0; i < y; i = i + 1)
                    x = x * x;
                return x;
            }

            [Differentiable]
            public static double F2Inc(double x, int y)
            {
                for (int i = 0; i < y; i++)
                    x *= x;
                return x;
            }

            [Differentiable]
            public static double F3(double x, int y)
            {
                double r = 1.0;
                for (int i = 0; i < y; r = r * x)
                    i = i + 1;
                return r;
            }

            [Differentiable]
            public static double F3Inc(double x, int y)
            {
                double r = 1.0;
                for (int i = 0; i < y; r *= x)
                    i++;
                return r;
            }

            [Differentiable]
            public static double F4(double x, int y)
            {
                double r = 1;
                int i;
                for (i = 0; i < y; r = r * Math.Sin(x))
                    i = i + 1;
                return r;
            }

            [Differentiable]
            public static double F4Inc(double x, int y)
            {
                double r = 1;
                int i;
                for (i = 0; i < y; r *= Math.Sin(x))
                    i++;
                return r;
            }

            [Differentiable]
            public static double Fn5(double i, double j)
            {
                int b = 3;
                double a = 0;
                while (b != 0)
                {
                    a += i;
                    b -= 1;
                }
                return a;
            }

            [Differentiable]
            public static double Fn6(double i, double j)
            {
                int b = 3;
                double a = 0;
                do
                {
                    a += i;
                    b -= 1;
                } while (b != 0);
                return a;
            }

            // while (double a = b): the test b != 0, and a declared in the body.
            [Differentiable]
            public static double Fn7(double i, double j)
            {
                int b = 3;
                double res = 0;
                while (b != 0)
                {
                    double a = b;
                    a += i;
                    res += a;
                    b -= 1;
                }
                b = 1;
                while (b != 0)
                    b -= 1;
                return res;
            }

            [Differentiable]
            public static double Fn8(double i, double j)
            {
                do
                    continue;
                while (false);
                return i * i;
            }

            // while (int num = counter): the test counter != 0, and num declared in the body.
            [Differentiable]
            public static double Fn9(double i, double j)
            {
                int counter = 4;
                double a = i * j;
                while (counter != 0)
                {
                    int num = counter;
                    counter -= 1;
                    if (num == 2)
                        continue;
                    a += i * i;
                }
                return a;
            }

            // for (…; size_t max_count = n; …) and if (double y = x): the tests n != 0 and y != 0.
            [Differentiable]
            public static double Fn10(double x, int n)
            {
                double res = 0;
                for (int count = 0; n != 0; ++count)
                {
                    int maxCount = n;
                    if (count >= maxCount)
                        break;
                    double y = x;
                    if (y != 0)
                        res += y * y;
                }
                return res;
            }

            // for (…; double c = x; …): the test x != 0, and c declared in the body.
            [Differentiable]
            public static double Fn12(double x, double y)
            {
                double r = 0;
                for (int i = 0; x != 0; ++i)
                {
                    double c = x;
                    if (i == 3) break;
                    c += x;
                    r = c;
                }
                return r;
            }

            // auto dl = {u, v, u*v} and an iterator loop over it: a local array and foreach.
            [Differentiable]
            public static double Fn18(double u, double v)
            {
                double[] dl = { u, v, u * v };
                double res = 0;
                foreach (var i in dl)
                    res += i;
                return res;
            }

            [Differentiable]
            public static double Fn19(double x, double y)
            {
                double res = 0;
                double[] f = { x * x, 2 * x * y, y * y, x, y };
                foreach (var i in f)
                {
                    if (i == x)
                        break;
                    res += i;
                }
                return res;
            }

            [Differentiable]
            public static double Fn20(double x)
            {
                int[] a = { 5 };
                foreach (var i in a)
                    x += i * x;
                return x;
            }

            [Differentiable]
            public static double Fn21(double x, double y)
            {
                int[] coefficients = { 4, 7, 3 };
                double res = 0;
                foreach (var i in coefficients)
                {
                    if (i % 2 == 0)
                        continue;
                    res += x * y * i;
                }
                return res;
            }

            // An assignment used as a value in a loop's condition (clad: for (; r = x;), while (x = 0)).
            [Differentiable]
            public static double Fn11(double x, double y)
            {
                double r = 0;
                for (int i = 0; (r = x) != 0; ++i)
                {
                    if (i == 3) break;
                    r += x;
                }
                return r;
            }

            [Differentiable]
            public static double Fn13(double u, double v)
            {
                double res = 0;
                for (; (res = u * v) != 0 && (u = 0) != 0;) { }
                return res;
            }

            [Differentiable]
            public static double Fn14(double x)
            {
                double r = 0;
                double t = x;
                for (int i = 0; (r = t) != 0 || false; ++i)
                {
                    if (i == 3) break;
                    x += r;
                }
                return x;
            }

            [Differentiable]
            public static double Fn15(double u, double v)
            {
                double res = 0;
                for (; !((res = u * v) != 0);) { }
                return 2 * res;
            }

            [Differentiable]
            public static double Fn16(double x)
            {
                while ((x = 0) != 0) { }
                return x;
            }

            [Differentiable]
            public static double Fn17(double x)
            {
                while ((x = 0) != 0 || false) { }
                return x;
            }
        }

        public static partial class CladEarlyReturns
        {
            // poly(double* coefs, int n) of clad's Hessian/EarlyReturns.C: for n = 3 the early return is taken and the
            // loop never entered.
            [Differentiable]
            public static double Poly(ReadOnlySpan<double> coefs, int n)
            {
                int degree = n - 1;

                if (degree == 2)
                    return coefs[2] * coefs[1] + coefs[1] * coefs[0];

                double t = 1.0;
                double result = coefs[0];
                for (int i = 1; i < degree; i++)
                {
                    result = result + t * coefs[i];
                    t *= coefs[0];
                }
                return result;
            }

            public static double PolyColumn(double[] c, int n, double[] v, double[] hv) => PolyHessianVectorProduct(c, n, v, hv);
        }

        // clad's Hessian/Arrays.C: a scalar beside an array, no loop (taped for its signature).
        public static partial class CladHessianArrays
        {
            [Differentiable]
            public static double F(double i, ReadOnlySpan<double> j) => i * j[0] * j[1];

            [Differentiable]
            public static double G(double i, ReadOnlySpan<double> j) => i * (j[0] + j[1]);

            [Differentiable]
            public static double H(ReadOnlySpan<double> arr, ReadOnlySpan<double> weights, double multiplier)
            {
                // return square of weighted sum.
                double weightedSum = arr[0] * weights[0];
                weightedSum += arr[1] * weights[1];
                weightedSum += arr[2] * weights[2];
                weightedSum *= multiplier;
                return weightedSum * weightedSum;
            }

            // x = (i, j[0], j[1]) and (arr, weights, multiplier), a direction v of the same shape.
            public static double FColumn(double[] x, double[] v, double[] hv) =>
                FHessianVectorProduct(x[0], x.AsSpan(1, 2), v[0], v.AsSpan(1, 2), out hv[0], hv.AsSpan(1, 2));

            public static double GColumn(double[] x, double[] v, double[] hv) =>
                GHessianVectorProduct(x[0], x.AsSpan(1, 2), v[0], v.AsSpan(1, 2), out hv[0], hv.AsSpan(1, 2));

            public static double HColumn(double[] x, double[] v, double[] hv) =>
                HHessianVectorProduct(x.AsSpan(0, 3), x.AsSpan(3, 3), x[6], v.AsSpan(0, 3), v.AsSpan(3, 3), v[6], hv.AsSpan(0, 3), hv.AsSpan(3, 3), out hv[6]);
        }

        // clad's Hessian/VectorProducts.C: Hessians assembled from Hessian-vector products, over an array and a scalar,
        // over one array of two (the other read only), and over one scalar of two.
        public static partial class CladVectorProducts
        {
            [Differentiable]
            public static double ManyDirections(ReadOnlySpan<double> p, double q) => p[0] * p[1] * p[2] + p[3] * q * q;

            [Differentiable]
            public static double SomeDirections(ReadOnlySpan<double> p, [NoDiff] ReadOnlySpan<double> x) => p[0] * p[0] * x[0] + p[1] * p[1] * p[1] * x[1];

            [Differentiable]
            public static double TwoSubsets(double x, double y) => x * x * y + y * y;

            // x = (p[0..3], q), a direction v of the same shape.
            public static double ManyDirectionsColumn(double[] x, double[] v, double[] hv) =>
                ManyDirectionsHessianVectorProduct(x.AsSpan(0, 4), x[4], v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), out hv[4]);

            // x = p, at clad's x = (1.5, 0.5).
            public static double SomeDirectionsColumn(double[] x, double[] v, double[] hv) =>
                SomeDirectionsHessianVectorProduct(x, new[] { 1.5, 0.5 }, v, hv);

            // The Hessian over (x, y), of which clad's two subsets are the diagonal.
            public static double TwoSubsetsHessian(double x, double y, double[] hessian) => TwoSubsetsHessian(x, y, new double[2], hessian);
        }

        // clad's Hessian/ZeroTangentCalls.C: forward mode and Hessians through calls of cube (a const parameter, which C#
        // has not, is a plain one; the functor's operator() a static method).
        public static partial class CladZeroTangentCalls
        {
            [Differentiable]
            public static double Cube(double u) => u * u * u;

            [Differentiable]
            public static double SumOfCubes(double x, double y) => Cube(x) + Cube(y);

            [Differentiable]
            public static double SumOfCubesNonConst(double x, double y) => Cube(x) + Cube(y);

            [Differentiable]
            public static double SumOfCubesArr(ReadOnlySpan<double> p) => Cube(p[0]) + Cube(p[1]);

            public static double SumOfCubesArrColumn(double[] x, double[] v, double[] hv) => SumOfCubesArrHessianVectorProduct(x, v, hv);
        }
        """;


    private static readonly Lazy<Assembly> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(Accepted);
        Assert.Empty(run.GeneratorDiagnostics);
        return run.Load();
    });

    /// <summary>clad's printed derivative with respect to the first parameter, at clad's points (M_PI/4 for F4).</summary>
    [Theory]
    [InlineData("F1", 20.0, 10.0, 2.0)]
    [InlineData("F1Inc", 20.0, 10.0, 2.0)]
    [InlineData("F2", 4000.0, 10.0, 2.0)]
    [InlineData("F2Inc", 4000.0, 10.0, 2.0)]
    [InlineData("F3", 20.0, 10.0, 2.0)]
    [InlineData("F3Inc", 20.0, 10.0, 2.0)]
    [InlineData("F4", 0.50, Math.PI / 4, 8.0)]
    [InlineData("F4Inc", 0.50, Math.PI / 4, 8.0)]
    [InlineData("Fn5", 3.0, 3.0, 5.0)]
    [InlineData("Fn6", 3.0, 3.0, 5.0)]
    [InlineData("Fn7", 3.0, 3.0, 5.0)]
    [InlineData("Fn8", 6.0, 3.0, 5.0)]
    [InlineData("Fn9", 23.0, 3.0, 5.0)]
    [InlineData("Fn10", 30.0, 3.0, 5.0)]
    [InlineData("Fn12", 2.0, 3.0, 5.0)]
    [InlineData("Fn12", 2.0, -3.0, 6.0)]
    [InlineData("Fn12", 2.0, 1.0, 5.0)]
    [InlineData("Fn18", 6.0, 3.0, 5.0)]
    [InlineData("Fn19", 14.0, 5.0, 2.0)]
    [InlineData("Fn20", 6.0, 5.0)]
    [InlineData("Fn21", 10.0, 5.0, 1.0)]
    [InlineData("Fn11", 1.0, 3.0, 5.0)]
    [InlineData("Fn11", 1.0, -3.0, 6.0)]
    [InlineData("Fn11", 1.0, 1.0, 5.0)]
    [InlineData("Fn13", 4.0, 3.0, 4.0)]
    [InlineData("Fn13", 5.0, -3.0, 5.0)]
    [InlineData("Fn13", 6.0, 1.0, 6.0)]
    [InlineData("Fn14", 4.0, 3.0)]
    [InlineData("Fn14", 4.0, -3.0)]
    [InlineData("Fn14", 4.0, 1.0)]
    [InlineData("Fn15", 6.0, 7.0, 3.0)]
    [InlineData("Fn16", 0.0, 5.0)]
    [InlineData("Fn17", 0.0, 5.0)]
    public void Forward_mode_gives_the_derivative_clad_prints(string name, double expected, params double[] point)
    {
        var type = Compiled.Value.GetType("CladLoops", throwOnError: true)!;
        static bool Scalars(MethodInfo m) => m.GetParameters().Select(p => p.ParameterType.IsByRef ? p.ParameterType.GetElementType() : p.ParameterType)
            .All(t => t == typeof(double) || t == typeof(int));
        var original = type.GetMethods().Single(m => m.Name == name && Scalars(m)); // not the lanes or span forms
        var parameters = original.GetParameters();
        var jvp = type.GetMethods().Single(m => m.Name == name + "Jvp" && Scalars(m));

        // F's arguments, then a tangent per differentiable (double) parameter: 1 for the first, 0 for the rest.
        var arguments = parameters.Select((p, k) => p.ParameterType == typeof(int) ? (object)(int)point[k] : point[k])
            .Concat(parameters.Where(p => p.ParameterType == typeof(double)).Select((_, k) => (object)(k == 0 ? 1.0 : 0.0)))
            .Append(null)
            .ToArray();
        double value = (double)jvp.Invoke(null, arguments)!;
        Numerics.Close((double)original.Invoke(null, arguments.Take(parameters.Length).ToArray())!, value, 1e-12, name + " Jvp value");
        double tangent = (double)arguments[^1]!;
        Assert.True(Math.Abs(tangent - expected) <= 0.005, $"{name}: d/d{parameters[0].Name} = {tangent:R}, clad prints {expected:F2}");
    }

    /// <summary>The Hessian of poly over the coefficients, a column per unit direction of the Hessian-vector product.</summary>
    [Theory]
    [InlineData(3, new[] { 0.0, 1, 0, 1, 0, 1, 0, 1, 0 })]
    [InlineData(4, new[] { 0.0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 })]
    public void The_Hessian_of_a_loop_left_by_an_early_return_is_the_one_clad_prints(int n, double[] expected)
    {
        var call = Compiled.Value.GetType("CladEarlyReturns", throwOnError: true)!.GetMethod("PolyColumn")!
            .CreateDelegate<Func<double[], int, double[], double[], double>>();
        double[] c = new[] { 0.3, 0.7, 0.2, 0.5 }[..n];
        for (int j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1.0;
            var column = new double[n];
            call(c, n, unit, column);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(column[i] - expected[(i * n) + j]) <= 0.005, $"poly(c, {n}): H[{i},{j}] = {column[i]:R}, clad prints {expected[(i * n) + j]:F2}");
            }
        }
    }

    /// <summary>
    /// clad's Hessian/Arrays.C: the full Hessians of f and g over (i, j[0], j[1]) at (2, 3, 4), and the diagonal of h's
    /// over (arr, weights, multiplier) at ((1, 2, 3), (4, 5, 6), 2), as clad prints them, a column per unit direction.
    /// </summary>
    [Theory]
    [InlineData("F", new[] { 2.0, 3, 4 }, new[] { 0.0, 4, 3, 4, 0, 2, 3, 2, 0 })]
    [InlineData("G", new[] { 2.0, 3, 4 }, new[] { 0.0, 1, 1, 1, 0, 0, 1, 0, 0 })]
    [InlineData("H", new[] { 1.0, 2, 3, 4, 5, 6, 2 }, new[] { 128.0, 200, 288, 8, 32, 72, 2048 })]
    public void Hessians_over_arrays_are_the_ones_clad_prints(string name, double[] x, double[] expected) =>
        HessianByColumns("CladHessianArrays", name, x, expected);

    /// <summary>
    /// clad's Hessian/VectorProducts.C: manyDirections's over (p[0:3], q) at p = (2, 3, 5, 7), q = 11, and
    /// someDirections's over p[0:1] at p = (2, 3), x = (1.5, 0.5), as clad prints them, a column per unit direction.
    /// </summary>
    [Theory]
    [InlineData("ManyDirections", new[] { 2.0, 3, 5, 7, 11 }, new[] { 0.0, 5, 3, 0, 0, 5, 0, 2, 0, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0, 22, 0, 0, 0, 22, 14 })]
    [InlineData("SomeDirections", new[] { 2.0, 3 }, new[] { 3.0, 0, 0, 9 })]
    public void Hessians_from_vector_products_are_the_ones_clad_prints(string name, double[] x, double[] expected) =>
        HessianByColumns("CladVectorProducts", name, x, expected);

    /// <summary>clad's twoSubsets at (2, 3): ∂²/∂x² = 6 and ∂²/∂y² = 2, as it prints them.</summary>
    [Fact]
    public void The_Hessian_over_one_scalar_of_two_is_the_one_clad_prints()
    {
        var hessianOf = Compiled.Value.GetType("CladVectorProducts", throwOnError: true)!
            .GetMethod("TwoSubsetsHessian", [typeof(double), typeof(double), typeof(double[])])!
            .CreateDelegate<Func<double, double, double[], double>>();
        var hessian = new double[4];
        hessianOf(2, 3, hessian);
        Assert.True(Math.Abs(hessian[0] - 6) <= 0.005, $"∂²/∂x² = {hessian[0]:R}, clad prints 6.00");
        Assert.True(Math.Abs(hessian[3] - 2) <= 0.005, $"∂²/∂y² = {hessian[3]:R}, clad prints 2.00");
    }

    /// <summary>
    /// clad's Hessian/ZeroTangentCalls.C at (2, 3): d/dx and d/dy of sumOfCubes (and its non-const twin) by forward mode,
    /// [12.00, 27.00]; their Hessians, and the array functor's over p[0:1], [12.00, 0.00, 0.00, 18.00].
    /// </summary>
    [Fact]
    public void Forward_mode_and_Hessians_through_calls_are_the_ones_clad_prints()
    {
        var type = Compiled.Value.GetType("CladZeroTangentCalls", throwOnError: true)!;
        foreach (var name in new[] { "SumOfCubes", "SumOfCubesNonConst" })
        {
            var jvp = type.GetMethod(name + "Jvp")!.CreateDelegate<Jvp2>();
            jvp(2, 3, 1, 0, out double dx);
            jvp(2, 3, 0, 1, out double dy);
            Assert.True(Math.Abs(dx - 12) <= 0.005 && Math.Abs(dy - 27) <= 0.005, $"{name}: [{dx:R}, {dy:R}], clad prints [12.00, 27.00]");

            var hessianOf = type.GetMethod(name + "Hessian", [typeof(double), typeof(double), typeof(Span<double>), typeof(Span<double>)])!
                .CreateDelegate<Hessian2>();
            var hessian = new double[4];
            hessianOf(2, 3, new double[2], hessian);
            Assert.Equal([12.0, 0, 0, 18], hessian.Select(h => Math.Round(h, 2)));
        }

        HessianByColumns("CladZeroTangentCalls", "SumOfCubesArr", [2.0, 3], [12.0, 0, 0, 18]);
    }

    private delegate double Jvp2(double x, double y, double tX, double tY, out double tangent);

    private delegate double Hessian2(double x, double y, Span<double> gradient, Span<double> hessian);

    private static void HessianByColumns(string type, string name, double[] x, double[] expected)
    {
        var column = Compiled.Value.GetType(type, throwOnError: true)!.GetMethod(name + "Column")!
            .CreateDelegate<Func<double[], double[], double[], double>>();
        int n = x.Length;
        bool diagonalOnly = expected.Length == n;
        for (int j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1.0;
            var hv = new double[n];
            column(x, unit, hv);
            for (int i = diagonalOnly ? j : 0; i < (diagonalOnly ? j + 1 : n); i++)
            {
                double clad = diagonalOnly ? expected[j] : expected[(i * n) + j];
                Assert.True(Math.Abs(hv[i] - clad) <= 0.005, $"{name}: H[{i},{j}] = {hv[i]:R}, clad prints {clad:F2}");
            }
        }
    }
}

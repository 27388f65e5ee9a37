namespace AutoDiff.Generator.Tests;

/// <summary>
/// clad's reverse-mode tests of straight-line code, conditions and declarations (<c>test/Gradient/Gradients.C</c>),
/// transliterated to C# by this work's author (not independently): a C++ <c>const double</c> parameter is <c>in</c>,
/// <c>const double&amp;</c> a <c>ref readonly</c> local, a condition that C++ reads as a number (<c>if (x += x)</c>,
/// <c>i*j &amp;&amp; …</c>) compares with zero, a declaration in a condition (<c>if (int cond = flag)</c>, <c>if (int a =
/// 12; a &lt;= 0)</c>) a local before it, the member function <c>S::f</c> a static method with its fields as
/// [Constant] parameters, clad's custom pullback of <c>sum_of_powers</c> a [DerivativeOf] method. Each gradient is
/// compared to the one clad's test prints (its CHECK-EXEC line, to 2 decimals: within 0.005), and those clad's test
/// differentiates without printing to central differences in double. 47 of the 50 functions it differentiates are
/// taken (<c>fn_global_var_use</c>'s global a static field); not transliterated: <c>f_types</c> (an int, a float and a
/// double parameter returning <c>unsigned</c>), <c>f_reuse_global</c> (a global written: AD0011), and
/// <c>fn_template_non_type&lt;15&gt;</c> (a template).
/// </summary>
public sealed class PeerGradientTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class CladGradients
        {
            [Differentiable] public static double FAdd1(double x, double y) => x + y;
            [Differentiable] public static double FAdd2(double x, double y) => 3 * x + 4 * y;
            [Differentiable] public static double FAdd3(double x, double y) => 3 * x + 4 * y * 4;
            [Differentiable] public static double FSub1(double x, double y) => x - y;
            [Differentiable] public static double FSub2(double x, double y) => 3 * x - 4 * y;
            [Differentiable] public static double FMult1(double x, double y) => x * y;
            [Differentiable] public static double FMult2(double x, double y) => 3 * x * 4 * y;
            [Differentiable] public static double FDiv1(double x, double y) => x / y;
            [Differentiable] public static double FDiv2(double x, double y) => 3 * x / (4 * y);
            [Differentiable] public static double FDiv3(double x, double y) => (x = y) / (y * y);
            [Differentiable] public static double FC(double x, double y) => -x * y + (x + y) * (x / y) - x * x;
            [Differentiable] public static double FRosenbrock(double x, double y) => (x - 1) * (x - 1) + 100 * (y - x * x) * (y - x * x);
            [Differentiable] public static double FCond1(double x, double y) => x > y ? x : y;
            [Differentiable] public static double FCond2(double x, double y) => x > y ? x : (y > 0 ? y : -y);
            [Differentiable] public static double FCond3(double x, double c) => c > 0 ? x + c : x - c;
            [Differentiable] public static double FCond4(double x, double y)
            {
                int i = 0;
                double[] arr = { x, y };
                if (x > 0)
                {
                    y = arr[i] * x;
                }
                return y;
            }
            [Differentiable] public static double FIf1(double x, double y)
            {
                if (x > y)
                    return x;
                else
                    return y;
            }
            [Differentiable] public static double FIf2(double x, double y)
            {
                if (x > y)
                    return x;
                else if (y > 0)
                    return y;
                else
                    return -y;
            }
            [Differentiable] public static double SF([Constant] double c1, [Constant] double c2, double x, double y) => c1 * x + c2 * y;
            [Differentiable] public static double SumOfPowers(double x, double y, double z, double p) => Math.Pow(x, p) + Math.Pow(y, p) + Math.Pow(z, p);
            [DerivativeOf(nameof(SumOfPowers))]
            public static double SumOfPowersDerivative(double x, double y, double z, double p, out double dX, out double dY, out double dZ, out double dP)
            {
                dX = p * Math.Pow(x, p - 1);
                dY = p * Math.Pow(y, p - 1);
                dZ = p * Math.Pow(z, p - 1);
                dP = Math.Pow(x, p) * Math.Log(x) + Math.Pow(y, p) * Math.Log(y) + Math.Pow(z, p) * Math.Log(z);
                return SumOfPowers(x, y, z, p);
            }
            [Differentiable] public static double FNorm(double x, double y, double z, double d) => Math.Pow(SumOfPowers(x, y, z, d), 1 / d);
            [Differentiable] public static double FPowZero(double x, double y) => Math.Pow(x, y);
            [Differentiable] public static double FSin(double x, double y) => (Math.Sin(x) + Math.Sin(y)) * (x + y);
            [Differentiable] public static double FDecls1(double x, double y)
            {
                double a = 3 * x;
                double b = 5 * y;
                double c = a + b;
                return 2 * c;
            }
            [Differentiable] public static double FDecls2(double x, double y)
            {
                double a = x * x;
                double b = x * y;
                double c = y * y;
                return a + 2 * b + c;
            }
            [Differentiable] public static double FDecls3(double x, double y)
            {
                double a = 3 * x;
                double c = 333 * y;
                if (x > 1)
                    return 2 * a;
                else if (x < -1)
                    return -2 * a;
                double b = a * a;
                return b;
            }
            [Differentiable] public static double FIssue138(double x, double y)
            {
                double _t1 = 1; // clad: expect it not to collide with _t*
                return x * x * x * x + y * y * y * y;
            }
            [Differentiable] public static double FConst(in double a, in double b) => a * b;
            [Differentiable] public static double FConstReference(double i, double j)
            {
                double a = i;
                ref readonly double ar = ref a;
                double res = 2 * ar;
                return res;
            }
            [Differentiable] public static double FConst02(double i, double j)
            {
                double a = i;
                double res = a;
                return res;
            }
            [Differentiable] public static float RunningSum(float[] p, int n)
            {
                for (int i = 1; i < n; i++)
                {
                    p[i] += p[i - 1];
                }
                return p[n - 1];
            }
            [Differentiable] public static double FnIncrementInReturn(double i, double j)
            {
                double temp = i;
                return (++i) * temp;
            }
            [Differentiable] public static double FnDiv(double x) => -0.5 / x;
            [Differentiable] public static double FnCondDecl(double x, double y)
            {
                int flag = 1;
                if (flag != 0) // if (int cond = flag)
                    return y * y;
                return x * x + y * y;
            }
            [Differentiable] public static double FnCondSideEff(double x)
            {
                if ((x += x) != 0)
                {
                    return x;
                }
                return x;
            }
            [Differentiable] public static double FnCondInit(double x)
            {
                {
                    int a = 12;
                    if (a <= 0)
                    {
                        return x + x * x;
                    }
                }
                return x;
            }
            [Differentiable] public static double FnNullStmts(double x)
            {
                return x;
        #pragma warning disable CS0162 // unreachable, as in clad's test
                ;
                ;
        #pragma warning restore CS0162
            }
            [Differentiable] public static double FnConstCondOp(double x) => x + (x > 0 ? 1.0 : 0.0);
            [Differentiable] public static double FnEmptyIfBlock(double x)
            {
                double res = 0;
                if (x > 0)
                    ;
                return res;
            }
            [Differentiable] public static double FnEmptyIfElse(double x)
            {
                double res = 0;
                if ((res = 0) != 0)
                    ;
                else
                {
                    res = 5 * x;
                }
                return res;
            }
            [Differentiable] public static double FnCondFalse(double i, double j)
            {
                double res = 0;
                if (i * j != 0 && res > 0)
                {
                    res = 6 * i * j;
                }
                return res;
            }
            [Differentiable] public static double FnCondAddAssign(double i, double j)
            {
                double res = 0;
                if ((res = 2 * i * j) != 0 && (res += 3 * i * j) != 0 && (res += 5 * i * j) != 0)
                {
                    res += 6 * i * j;
                }
                return res;
            }
            [Differentiable] public static double FMult3(double i, double j)
            {
                i = (i + j) * (i < 10 ? i : j);
                return i;
            }
            [Differentiable] public static double FConstDenom(double x, double y)
            {
                const double m = 0.5;
                return x * y / m;
            }
            [Differentiable] public static double FRefInRhs(double x, double y)
            {
                if (x != 55)
                {
                    ref double refX = ref x;
                    ref double refY = ref y;
                    return refY * (refX + y);
                }
                return 1;
            }
            private static double s_global = 7;

            [Differentiable] public static double FnGlobalVarUse(double i, double j)
            {
                ref double r = ref s_global;
                return r * i;
            }

            [Differentiable] public static double FStaticAssert(double x, double y) => x + y;
            [Differentiable] public static double FInfinity(double x, double y)
            {
                const double inf = double.PositiveInfinity;
                if (x < inf)
                    return y;
                return x + y;
            }
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "CladGradients"));

    [Theory]
    [InlineData("FAdd1", 1.0, 1.0, 1.0, 1.0)]
    [InlineData("FAdd2", 1.0, 1.0, 3.0, 4.0)]
    [InlineData("FAdd3", 1.0, 1.0, 3.0, 16.0)]
    [InlineData("FSub1", 1.0, 1.0, 1.0, -1.0)]
    [InlineData("FSub2", 1.0, 1.0, 3.0, -4.0)]
    [InlineData("FMult1", 1.0, 1.0, 1.0, 1.0)]
    [InlineData("FMult2", 1.0, 1.0, 12.0, 12.0)]
    [InlineData("FDiv1", 1.0, 1.0, 1.0, -1.0)]
    [InlineData("FDiv2", 1.0, 1.0, 0.75, -0.75)]
    [InlineData("FDiv3", 1.0, 1.0, 0.0, -1.0)] // (x = y) / (y * y)
    [InlineData("FC", 1.0, 1.0, 0.0, -2.0)]
    [InlineData("FRosenbrock", 1.0, 1.0, 0.0, 0.0)]
    [InlineData("FCond1", 3.0, 2.0, 1.0, 0.0)]
    [InlineData("FCond2", 3.0, -1.0, 1.0, 0.0)]
    [InlineData("FCond3", 3.0, -1.0, 1.0, -1.0)]
    [InlineData("FCond4", 3.0, -1.0, 6.0, 0.0)] // a local array { x, y } read at an int local
    [InlineData("FIf1", 3.0, 2.0, 1.0, 0.0)]
    [InlineData("FIf2", -5.0, -4.0, 0.0, -1.0)]
    [InlineData("FDecls1", 3.0, 3.0, 6.0, 10.0)]
    [InlineData("FDecls2", 2.0, 2.0, 8.0, 8.0)]
    [InlineData("FDecls3", 3.0, 0.0, 6.0, 0.0)]
    [InlineData("FDecls3", -3.0, 0.0, -6.0, 0.0)]
    [InlineData("FDecls3", 0.5, 0.0, 9.0, 0.0)]
    [InlineData("FDecls3", 0.0, 100.0, 0.0, 0.0)]
    [InlineData("FIssue138", 1.0, 2.0, 4.0, 32.0)]
    [InlineData("FConst", 2.0, 3.0, 3.0, 2.0)] // const double parameters: in
    [InlineData("FConstReference", 5.0, 2.0, 2.0, 0.0)]
    [InlineData("FConst02", 8.0, 5.0, 1.0, 0.0)]
    [InlineData("FnIncrementInReturn", 3.0, 2.0, 7.0, 0.0)] // (++i) * temp
    [InlineData("FnCondFalse", 3.0, 5.0, 0.0, 0.0)]
    [InlineData("FnCondAddAssign", 3.0, 5.0, 80.0, 48.0)] // assignments in a condition's && chain
    [InlineData("FMult3", 3.0, 5.0, 11.0, 3.0)]
    [InlineData("FConstDenom", 3.0, 5.0, 10.0, 6.0)]
    [InlineData("FRefInRhs", 3.0, 5.0, 5.0, 13.0)] // ref locals to the parameters
    [InlineData("FRefInRhs", 55.0, 5.0, 0.0, 0.0)]
    [InlineData("FnGlobalVarUse", 3.0, 5.0, 7.0, 0.0)] // a reference to a global: a static field, read as a value
    [InlineData("FStaticAssert", -3.0, 4.0, 1.0, 1.0)]
    [InlineData("FInfinity", -3.0, 4.0, 0.0, 1.0)]
    public void The_gradient_is_the_one_clad_prints(string name, double x, double y, double expectedX, double expectedY) =>
        CladChecks.GradientPrinted(Compiled.Value, name, [x, y], [expectedX, expectedY]);

    [Theory]
    [InlineData("FnDiv", 2.0, 0.125)] // clad prints 0.12: 0.5 / 4
    [InlineData("FnCondSideEff", 0.0, 2.0)] // if (x += x)
    [InlineData("FnCondSideEff", 1.0, 2.0)]
    [InlineData("FnCondInit", 0.0, 1.0)]
    [InlineData("FnCondInit", -1.0, 1.0)]
    [InlineData("FnConstCondOp", 0.0, 1.0)]
    [InlineData("FnEmptyIfBlock", 0.0, 0.0)]
    [InlineData("FnEmptyIfElse", 1.0, 5.0)]
    public void The_derivative_is_the_one_clad_prints(string name, double x, double expected) =>
        CladChecks.GradientPrinted(Compiled.Value, name, [x], [expected]);

    // Differentiated by clad's test without a printed value: against central differences in double.
    [Theory]
    [InlineData("SF", new[] { 1.5, -2.0, 0.7, 1.3 })] // S::f with c1, c2 [Constant]
    [InlineData("FNorm", new[] { 1.2, 0.8, 2.1, 3.0 })] // through sum_of_powers' supplied derivative
    [InlineData("FPowZero", new[] { 1.7, 2.5 })]
    [InlineData("FSin", new[] { 0.4, -1.1 })]
    [InlineData("FnCondDecl", new[] { 0.4, -1.1 })]
    [InlineData("FnNullStmts", new[] { 0.4 })]
    public void The_gradient_clad_does_not_print_matches_central_differences(string name, double[] point)
    {
        var type = Compiled.Value;
        var original = type.GetMethod(name, point.Select(_ => typeof(double)).ToArray())!;
        var gradient = type.GetMethods().Single(m => m.Name == name + "Gradient" && m.GetParameters().All(p => p.ParameterType == typeof(double) || p.ParameterType == typeof(double).MakeByRefType()));
        var arguments = point.Cast<object?>().Concat(Enumerable.Repeat<object?>(null, gradient.GetParameters().Length - point.Length)).ToArray();
        gradient.Invoke(null, arguments);
        var differentiable = original.GetParameters().Select((p, i) => (p, i)).Where(q => !q.p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "ConstantAttribute")).Select(q => q.i).ToArray();
        for (int k = 0; k < differentiable.Length; k++)
        {
            var (expected, smooth) = Numerics.CentralDifference(x => (double)original.Invoke(null, x.Cast<object>().ToArray())!, point, differentiable[k]);
            Assert.True(smooth);
            Numerics.Close(expected, (double)arguments[point.Length + k]!, 1e-6, $"{name}: ∂/∂{original.GetParameters()[differentiable[k]].Name}");
        }
    }

    // running_sum(float* p, int n): the prefix sums written in place, p[n − 1] returned = Σ p[i], so each partial is 1.
    [Fact]
    public void The_running_sum_written_in_place_has_a_gradient_of_ones()
    {
        var gradient = Compiled.Value.GetMethod("RunningSumGradient")!;
        var d = new float[4];
        var p = new float[] { 0.5f, -1.5f, 2f, 3f };
        var run = gradient.CreateDelegate<RunningSum>();
        Assert.Equal(4f, run(p, 4, d));
        Assert.Equal([1f, 1f, 1f, 1f], d);
        Assert.Equal([0.5f, -1.5f, 2f, 3f], p); // the caller's array is not written: the gradient works on a copy
    }

    private delegate float RunningSum(ReadOnlySpan<float> p, int n, Span<float> dP);
}

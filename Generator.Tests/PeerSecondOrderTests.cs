namespace AutoDiff.Generator.Tests;

/// <summary>
/// The peers' forward-mode and Hessian tests, transliterated to C# (the functions rewritten in the accepted language, a
/// C++ object's fields as [Constant] parameters), each against the value clad's test prints (its CHECK-EXEC line):
/// clad's <c>test/Hessian/Hessians.C</c>, <c>test/Hessian/BuiltinDerivatives.C</c>,
/// <c>test/Hessian/NestedFunctionCalls.C</c>, <c>test/Hessian/TBR.C</c>, <c>test/FirstDerivative/BuiltinDerivatives.C</c>, and
/// <c>test/FirstDerivative/BasicArithmeticAll.C</c> (3 of 4: not <c>basic_1</c>, a derivative with respect to an int),
/// <c>DependencyTracking.C</c> (1 of 1) and <c>Variables.C</c> (5 of 8: not its calls
/// of functions with a string parameter and their custom derivatives, nor the std::string local's twin), and
/// <c>FunctionCalls.C</c> (6 of 10: not test_1, test_2, test_4 and test_5, of ints and floats with clad's custom derivatives of int
/// overloads; test_7, whose loop steps its counter through a void function of an int reference, since 2026-12-08). A Hessian is
/// compared to the printed matrix (clad prints it row-major to 2 decimals, so within 0.005); a first derivative, the
/// Jvp along a unit direction, to the 6 decimals printed (within 1e-6 relative: some of clad's functions run in float).
/// </summary>
public sealed class PeerSecondOrderTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        public static partial class Hessians
        {
            [Differentiable] public static double CubedAdd(double a, double b) => a * a * a + b * b * b;
            [Differentiable] public static double Suvat(double u, double t) => (u * t) + ((0.5) * (9.81) * (t * t));
            [Differentiable]
            public static double Cond3(double x, double c)
            {
                if (c > 0)
                {
                    return (x * x * x) + (c * c * c);
                }
                else
                {
                    return (x * x * x) - (c * c * c);
                }
            }
            [Differentiable] public static double Power10(double x) => x * x * x * x * x * x * x * x * x * x;
            [Differentiable] public static double SomeMethod(double i, double j) => i * i * j + j * j * i;
            [Differentiable] public static double MemFn1([Constant] double x, [Constant] double y, double i, double j) => x * y * i * j;
            [Differentiable]
            public static double MemFn2([Constant] double x, [Constant] double y, double i, double j)
            {
                double a = x * i * j;
                double b = 4 * a;
                return b * y * y * i;
            }
            [Differentiable] public static double DefaultArguments(double i, double j) => 2 * i * j;
        }

        public static partial class BuiltinHessians
        {
            [Differentiable] public static double F1(double x) => Math.Sin(x) + Math.Cos(x);
            [Differentiable] public static double F2(double x) => Math.Exp(x);
            [Differentiable] public static double F3(double x) => Math.Log(x);
            [Differentiable] public static double F4(double x) => Math.Pow(x, 4.0);
            [Differentiable] public static double F5(double x) => Math.Pow(2.0, x);
            [Differentiable] public static double F6(double x, double y) => Math.Pow(x, y);
            [Differentiable] public static double F7(double x, double y) => Math.Sin(x) + Math.Exp(y);
            [Differentiable] public static double F8(double x, double y) => (x * x + y * y) / 2 + x * y;
        }

        // clad's Hessian/TBR.C: a loop of three steps, one assignment linear and one not.
        public static partial class Tbr
        {
            [Differentiable]
            public static double LinearAndNonlinear(double x, double y)
            {
                double a = x * y;
                double s = a;
                for (int i = 0; i < 3; ++i)
                {
                    s = s + a;
                    a = a * x;
                }

                return s * a;
            }
        }

        public static partial class NestedCalls
        {
            [Differentiable] public static double F(double x, double y) => x * x + y * y;

            [Differentiable]
            public static double F2(double x, double y)
            {
                double ans = F(x, y);
                return ans;
            }
        }

        public static partial class FirstDerivatives
        {
            [Differentiable] public static double F1(double x) => Math.Sin(x);
            [Differentiable] public static double F2(double x) => Math.Cos(x);
            [Differentiable] public static double F3(double x, double y) => Math.Sin(x) + Math.Sin(y);
            [Differentiable] public static double F4(double x, double y) => Math.Sin(x * x) + Math.Sin(y * y);
            [Differentiable] public static double F5(double x) => Math.Exp(x);
            [Differentiable] public static double F6(double x) => Math.Exp(x * x);
            [Differentiable] public static double F7(double x) => Math.Pow(x, 2.0);
            [Differentiable] public static double F9(double x, double y) => Math.Pow(x, y);
            [Differentiable] public static double F11(double x, double y) => Math.Pow((1.0 - x), 2) + 100.0 * Math.Pow(y - Math.Pow(x, 2), 2);
            [Differentiable] public static double F12(double a, double b) => Math.FusedMultiplyAdd(a, b, b);
            [Differentiable] public static double F13(double x) => Math.Exp(x);
            [Differentiable] public static double F14(double x) => Math.Pow(x, 3);
        }

        // clad's FirstDerivative/BasicArithmeticAll.C: C++'s chained compound assignments ((t *= j) *= (i *= i)), which
        // C# has no form for (an assignment is not a variable), as the statements they run in order.
        public static partial class BasicArithmetic
        {
            [Differentiable]
            public static double Fn1(double i, double j)
            {
                double t = 1;
                t *= j;
                t *= (i *= i);
                return t;
            }

            [Differentiable]
            public static double Fn2(double i, double j)
            {
                double t = i * i * j * j;
                t /= i * j;
                t *= j;
                return t;
            }

            [Differentiable]
            public static double Fn3(double i, double j)
            {
                double t = 1;
                t *= i * j;
                t *= j;
                t *= i;
                return t;
            }
        }

        // clad's FirstDerivative/DependencyTracking.C and Variables.C (f_x, f_ops1, f_ops2, f_sin, and f_string, whose
        // string local C# keeps as a string). Its Assignments.C is reverse mode's f1 … f4: PeerAssignmentTests.
        public static partial class Straight
        {
            [Differentiable]
            public static double Tracked(double x)
            {
                double result = 0.0;
                if (x < 0)
                    result = -x * x;
                else
                    result = x * x;
                return result;
            }

            [Differentiable]
            public static double FX(double x)
            {
                double t0 = x;
                double t1 = t0;
                return t1;
            }

            [Differentiable]
            public static double FOps1(double x)
            {
                double t0 = x;
                double t1 = 2 * x;
                double t2 = 0;
                double t3 = t1 * 2 + t2;
                return t3;
            }

            [Differentiable]
            public static double FOps2(double x)
            {
                double t0 = x;
                double t1 = 2 * x;
                double t2 = 5;
                double t3 = t1 * x + t2;
                return t3;
            }

            [Differentiable]
            public static double FSin(double x, double y)
            {
                double xsin = Math.Sin(x);
                double ysin = Math.Sin(y);
                var xt = xsin * xsin;
                var yt = ysin * ysin;
                return xt + yt;
            }

            [Differentiable]
            public static double FString(double x)
            {
                string s = "string literal";
                return x;
            }
        }

        // clad's FirstDerivative/FunctionCalls.C, its functions of doubles (test_6, test_8 … test_11; an uninitialized
        // enum local is default in C#, which requires it; a static member function is a static method marked
        // [Differentiable]; assert is Debug.Assert).
        public enum E { A, B, C }

        public static partial class Calls
        {
            [Differentiable] public static double Test6(double x, double y) => Math.Sin(x) + Math.Cos(y);

            [Differentiable] public static double FuncWithEnum(double x, E e) => x * x;

            // test_7: the loop's counter stepped by a void function of an int reference (C#: ref int); the counter is
            // named k, since C# does not let a loop's int i hide the parameter i as C++ does.
            [Differentiable] public static void Increment(ref int i) { ++i; }

            [Differentiable]
            public static double Test7(double i, double j)
            {
                double res = 0;
                for (int k = 0; k < 5; Increment(ref k))
                {
                    res += k * j;
                }

                return res;
            }

            [Differentiable]
            public static double Test8(double x)
            {
                E e = default;
                return FuncWithEnum(x, e);
            }

            [Differentiable] public static double StaticMethod(double x) => x;

            [Differentiable] public static double Test9(double x) => StaticMethod(x);

            public static void SomeImportantVoidFunc(double y) => System.Diagnostics.Debug.Assert(y >= 1);

            [Differentiable]
            public static double Test10(double x)
            {
                SomeImportantVoidFunc(1);
                return x;
            }

            public static void OpaqueConfig(int a, object p)
            {
            }

            [Differentiable]
            public static double Test11(double x)
            {
                OpaqueConfig(1, null);
                return x * x;
            }
        }
        """;

    private static readonly Lazy<IReadOnlyList<IKernelDriver<double>>> Drivers = new(() => KernelDrivers.Build<double>(Source).Drivers);

    [Theory]
    [InlineData("Hessians.CubedAdd", new double[] { 1, 2 }, new[] { 6.00, 0.00, 0.00, 12.00 })]
    [InlineData("Hessians.Suvat", new double[] { 1, 2 }, new[] { 0.00, 1.00, 1.00, 9.81 })]
    [InlineData("Hessians.Cond3", new double[] { 5, -2 }, new[] { 30.00, 0.00, 0.00, 12.00 })]
    [InlineData("Hessians.Power10", new double[] { 5 }, new[] { 35156250.00 })]
    [InlineData("Hessians.SomeMethod", new double[] { 3, 5 }, new[] { 10.00, 16.00, 16.00, 6.00 })]
    [InlineData("Hessians.MemFn1", new double[] { 3, 5, 7, 9 }, new[] { 0.00, 15.00, 15.00, 0.00 })]
    [InlineData("Hessians.MemFn2", new double[] { 3, 5, 7, 9 }, new[] { 5400.00, 4200.00, 4200.00, 0.00 })]
    [InlineData("Hessians.DefaultArguments", new double[] { 3, 5 }, new[] { 0.00, 2.00, 2.00, 0.00 })]
    [InlineData("BuiltinHessians.F1", new double[] { 0 }, new[] { -1.00 })]
    [InlineData("BuiltinHessians.F2", new double[] { 1 }, new[] { 2.72 })]
    [InlineData("BuiltinHessians.F3", new double[] { 1 }, new[] { -1.00 })]
    [InlineData("BuiltinHessians.F4", new double[] { 3 }, new[] { 108.00 })]
    [InlineData("BuiltinHessians.F5", new double[] { 3 }, new[] { 3.84 })]
    [InlineData("BuiltinHessians.F6", new double[] { 3, 4 }, new[] { 108.00, 145.65, 145.65, 97.76 })]
    [InlineData("BuiltinHessians.F7", new double[] { 3, 4 }, new[] { -0.14, 0.00, 0.00, 54.60 })]
    [InlineData("BuiltinHessians.F8", new double[] { 3, 4 }, new[] { 1.00, 1.00, 1.00, 1.00 })]
    [InlineData("NestedCalls.F2", new double[] { 3, 4 }, new[] { 2.00, 0.00, 0.00, 2.00 })]
    [InlineData("Tbr.LinearAndNonlinear", new double[] { 1.5, 2.5 }, new[] { 3786.33, 879.61, 879.61, 87.33 })]
    [InlineData("FirstDerivatives.F13", new double[] { 1 }, new[] { 2.72 })]
    [InlineData("FirstDerivatives.F14", new double[] { 1 }, new[] { 6.0 })]
    public void Hessian_as_clad_prints_it(string name, double[] x, double[] printed)
    {
        var kernel = Drivers.Value.Single(d => d.Name == name);
        int k = kernel.Roles.Count(r => r == "diff");
        var hessian = new double[k * k];
        kernel.Hessian(x, new double[k], hessian);
        for (int i = 0; i < printed.Length; i++)
        {
            Assert.True(Math.Abs(hessian[i] - printed[i]) <= 0.005, $"{name}: H[{i}] = {hessian[i]:R}, clad prints {printed[i]:F2}");
        }
    }

    [Theory]
    [InlineData("FirstDerivatives.F1", new double[] { 60 }, 0, -0.952413)]
    [InlineData("FirstDerivatives.F2", new double[] { 60 }, 0, 0.304811)]
    [InlineData("FirstDerivatives.F3", new double[] { 60, 30 }, 0, -0.952413)]
    [InlineData("FirstDerivatives.F3", new double[] { 60, 30 }, 1, 0.154251)]
    [InlineData("FirstDerivatives.F4", new double[] { 60, 30 }, 0, 115.805412)]
    [InlineData("FirstDerivatives.F4", new double[] { 60, 30 }, 1, 3.974802)]
    [InlineData("FirstDerivatives.F5", new double[] { 3 }, 0, 20.085537)]
    [InlineData("FirstDerivatives.F6", new double[] { 3 }, 0, 48618.503906)]
    [InlineData("FirstDerivatives.F7", new double[] { 3 }, 0, 6.000000)]
    [InlineData("FirstDerivatives.F9", new double[] { 3, 4 }, 0, 108.000000)]
    [InlineData("FirstDerivatives.F9", new double[] { 3, 4 }, 1, 88.987595)]
    [InlineData("FirstDerivatives.F11", new double[] { -1, 1 }, 0, -4.0)]
    [InlineData("FirstDerivatives.F11", new double[] { -1, 1 }, 1, 0.0)]
    [InlineData("FirstDerivatives.F12", new double[] { 2, 1 }, 1, 3.000000)]
    [InlineData("FirstDerivatives.F14", new double[] { 1 }, 0, 3.000000)]
    [InlineData("BasicArithmetic.Fn1", new double[] { 3, 5 }, 0, 30.00)]
    [InlineData("BasicArithmetic.Fn1", new double[] { 5, 7 }, 0, 70.00)]
    [InlineData("BasicArithmetic.Fn2", new double[] { 3, 5 }, 0, 25.00)]
    [InlineData("BasicArithmetic.Fn2", new double[] { 5, 7 }, 0, 49.00)]
    [InlineData("BasicArithmetic.Fn3", new double[] { 3, 5 }, 0, 150.00)]
    [InlineData("BasicArithmetic.Fn3", new double[] { 5, 7 }, 0, 490.00)]
    // DependencyTracking.C and Variables.C print no values (their checks are of clad's code): the derivatives worked by
    // hand. The tracked f = x·|x|; f_x = x; f_ops1 = 4x; f_ops2 = 2x² + 5; f_sin = sin²x + sin²y; f_string = x.
    [InlineData("Straight.Tracked", new double[] { 1.5 }, 0, 3.0)]
    [InlineData("Straight.Tracked", new double[] { -1.5 }, 0, 3.0)]
    [InlineData("Straight.FX", new double[] { 3 }, 0, 1.0)]
    [InlineData("Straight.FOps1", new double[] { 3 }, 0, 4.0)]
    [InlineData("Straight.FOps2", new double[] { 3 }, 0, 12.0)]
    [InlineData("Straight.FSin", new double[] { 0.5, 2 }, 0, 0.841470984807897)] // 2·sin(0.5)·cos(0.5) = sin(1)
    [InlineData("Straight.FSin", new double[] { 0.5, 2 }, 1, -0.756802495307928)] // sin(4)
    [InlineData("Straight.FString", new double[] { 3 }, 0, 1.0)]
    // FunctionCalls.C prints no values either: sin x + cos y, x², x, x, x²; test_7 = Σₖ₌₀⁴ k·j = 10·j (the parameter i
    // hidden by the loop's counter).
    [InlineData("Calls.Test6", new double[] { 0.5, 2 }, 0, 0.877582561890373)] // cos(0.5)
    [InlineData("Calls.Test6", new double[] { 0.5, 2 }, 1, -0.909297426825682)] // −sin(2)
    [InlineData("Calls.Test7", new double[] { 1, 2 }, 0, 0.0)]
    [InlineData("Calls.Test7", new double[] { 1, 2 }, 1, 10.0)]
    [InlineData("Calls.Test8", new double[] { 3 }, 0, 6.0)]
    [InlineData("Calls.Test9", new double[] { 3 }, 0, 1.0)]
    [InlineData("Calls.Test10", new double[] { 3 }, 0, 1.0)]
    [InlineData("Calls.Test11", new double[] { 3 }, 0, 6.0)]
    public void Forward_mode_derivative_as_clad_prints_it(string name, double[] x, int along, double printed)
    {
        var kernel = Drivers.Value.Single(d => d.Name == name);
        var direction = new double[kernel.Roles.Count(r => r == "diff")];
        direction[along] = 1;
        kernel.Jvp(x, direction, out var derivative);
        Assert.True(Math.Abs(derivative - printed) <= (1e-6 * Math.Max(1, Math.Abs(printed))) + 5e-7, $"{name}: ∂/∂x{along} = {derivative:R}, clad prints {printed}");
    }
}

using CsCheck;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Random methods whose gradient is taped — loops whose count comes from the data (for, while, do, nested),
/// recurrences, int, long, byte, char and bool locals, every compound assignment, parameters assigned, if/else, loops left by
/// break, continue and return, local arrays written at computed indices, arrays made inside loops and arrays given to
/// other locals (state = next, a swap through a third name), AD's reductions over those arrays, switch statements — are generated from a grammar of statements, compiled with the generator and checked
/// against central differences in double (the gradient; the Hessian, the gradient over dual numbers, against central
/// differences of the gradient; the Jvp, the lanes, and the tape left empty). 10 seeded
/// batches of 50 methods run in one compilation each; a failure is shrunk by CsCheck to a minimal source.
/// </summary>
public sealed class TapedProgramTests
{
    private const int Batches = 10;
    private const int FunctionsPerBatch = 50;
    private const int Points = 8;

    private static int s_checkedPartials;
    private static int s_checkedSeconds;
    private static int s_taped;
    private static int s_keepingArrays;
    private static int s_callingHelpers;
    private static int s_passingByRef;

    [Fact]
    public void Random_taped_methods_have_gradients_that_match_finite_differences()
    {
        s_checkedPartials = 0;
        s_checkedSeconds = 0;
        s_taped = 0;
        s_keepingArrays = 0;
        s_callingHelpers = 0;
        s_passingByRef = 0;
        int checkedFunctions = GeneratedBatches.Check(Body, Batches, FunctionsPerBatch, firstStream: 101, Check, Source);

        Assert.True(checkedFunctions >= 500);
        Assert.Equal(checkedFunctions, s_taped); // every method went through the tape, none through the graph
        Assert.True(s_keepingArrays >= checkedFunctions / 4, $"only {s_keepingArrays} methods give an array local another array");
        Assert.True(s_callingHelpers >= checkedFunctions / 4, $"only {s_callingHelpers} methods call the helpers over arrays");
        Assert.True(s_passingByRef >= checkedFunctions / 10, $"only {s_passingByRef} methods pass a ref argument to a helper that returns a value");
        Assert.True(s_checkedPartials >= checkedFunctions * Points, $"only {s_checkedPartials} partial derivatives were checked");
        Assert.True(s_checkedSeconds >= checkedFunctions * Points, $"only {s_checkedSeconds} second derivatives were checked");
    }

    // The property test's methods, and helpers over arrays the statements call: one writes a span in place, one writes
    // its array and returns a value, two return a value and write their ref parameters (all inlined where they are
    // called), one reads a span.
    private static string Source(IEnumerable<string> bodies) => PropertyTests.Source(bodies) + """

        public static partial class ArrayHelpers
        {
            [Differentiable]
            public static void Relax(Span<double> v, double w)
            {
                for (int i = 1; i < v.Length; i++)
                {
                    v[i] = (0.5 * v[i]) + (0.25 * Math.Tanh(w * v[i - 1]));
                }
            }

            [Differentiable]
            public static double Drain(double[] arr, int n)
            {
                double res = 0.0;
                for (int i = 0; i < n; i++)
                {
                    res += 0.5 * Math.Sin(arr[i]);
                    arr[i] *= 0.75;
                }

                return res;
            }

            [Differentiable]
            public static double Nudge(ref double p, ref double q, double r)
            {
                p = (0.5 * p) + (0.25 * Math.Tanh(q * r));
                q *= 0.75;
                return Math.Sin(p) + q;
            }

            [Differentiable]
            public static double Halve(ref double p) => p *= 0.5;

            [Differentiable]
            public static double Total(ReadOnlySpan<double> v)
            {
                double t = 0.0;
                foreach (var e in v)
                {
                    t += Math.Tanh(e);
                }

                return t;
            }
        }
        """;

    private static List<(int Index, string Message)> Check(List<string> bodies)
    {
        Interlocked.Add(ref s_callingHelpers, bodies.Count(body => body.Contains("ArrayHelpers.", StringComparison.Ordinal)));
        Interlocked.Add(ref s_passingByRef, bodies.Count(body => body.Contains("(ref ", StringComparison.Ordinal)));
        return PropertyTests.CheckFunctions(bodies, CheckOne, run =>
        {
            var functions = run.Sources.Where(file => file.Key.Contains(".Functions.F", StringComparison.Ordinal)).Select(file => file.Value).ToList(); // not the helpers
            Interlocked.Add(ref s_taped, functions.Count(s => s.Contains("Tape<double>.ForThisThread", StringComparison.Ordinal)));
            Interlocked.Add(ref s_keepingArrays, functions.Count(s => s.Contains(".PushArray(", StringComparison.Ordinal)));
        }, Source);
    }

    private static string? CheckOne(IKernelDriver<double> driver)
    {
        var random = new Random(driver.Name.GetHashCode(StringComparison.Ordinal));
        var tape = AutoDiff.CompilerServices.Tape<double>.ForThisThread;
        for (int point = 0; point < Points; point++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var d = new double[2];
            double value = driver.Gradient(x, d);
            if (tape.ValueCount != 0 || tape.IntCount != 0 || tape.ArrayCount != 0)
            {
                return $"the tape holds {tape.ValueCount} values, {tape.IntCount} ints and {tape.ArrayCount} arrays after the call";
            }

            if (!double.IsFinite(value))
            {
                continue;
            }

            if (PropertyTests.CheckValueAndGradient(driver, x, value, d, ref s_checkedPartials) is { } wrong)
            {
                return wrong;
            }

            var direction = new[] { random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2 };
            driver.Jvp(x, direction, out var tangent);
            double dot = (d[0] * direction[0]) + (d[1] * direction[1]);
            if (double.IsFinite(dot) && Numerics.RelativeError(dot, tangent, 1) > 1e-12)
            {
                return $"Jvp tangent {tangent:R} differs from gradient · t = {dot:R}";
            }

            if (PropertyTests.CheckHessian(driver, x, ref s_checkedSeconds) is { } wrongSecond)
            {
                return wrongSecond;
            }

            var lanes = driver.LanesGradient(x.Select(v => new System.Numerics.Vector<double>(v)).ToArray(), new System.Numerics.Vector<double>[2]);
            if (Numerics.RelativeError(value, lanes[0], 1) > 1e-12)
            {
                return $"lane value {lanes[0]:R} differs from scalar {value:R}";
            }
        }

        return null;
    }

    // ---- The grammar --------------------------------------------------------------------------------

    // The doubles every statement may read and assign (x and y are parameters: assigning them is allowed); t and c
    // are read only, t is [NoDiff] and gives the loops their count n, c is [Constant].
    private static readonly string[] Reals = { "a", "b" };
    private static readonly string[] Targets = { "a", "b", "a", "b", "x", "y" };

    // A value of T: the property test's expressions over the doubles, the elements of the arrays s and u, the ints
    // read as numbers (m, and c0, c1: the counters of the enclosing loops), the long q, the byte w and the char k.
    private static Gen<string> Value(int depth, int loops) =>
        PropertyTests.Expression(depth, Reals.Concat(Counters(loops).Select(c => $"(0.25 * {c})"))
            .Concat(["(0.5 * m)", "s[0]", "s[(m % 3 + 3) % 3]", "u[2]", "(1e-10 * q)", "(0.01 * w)", "(0.1 * (k % 5))"]).ToArray());

    private static IEnumerable<string> Counters(int loops) => Enumerable.Range(0, loops).Select(l => $"c{l}");

    private static Gen<string> Condition(int loops) => Weighted(new[]
    {
        (3, Value(1, loops).Select(e => $"{e} > 0.5")),
        (1, Value(1, loops).Select(e => $"{e} is > 0.25 and < 1.5 or < -1.0")),
        (1, Gen.Const("m is 0 or > 2")),
        (1, Gen.Const("f")),
        (1, Gen.Const("m % 3 == 1")),
        (1, Gen.Const("a < b")),
    }.Concat(Counters(loops).Select(c => (1, Gen.Const($"{c} % 2 == 0")))).ToArray());

    // An assignment that keeps the doubles bounded however often a loop runs it (a factor in [0.25, 0.75], a divisor in
    // [1, 2], a step of at most 1/2; deconstructions too), and a count that depends on a is capped: every loop ends.
    private static Gen<string> Assignment(int loops) =>
        from target in Gen.OneOf(Targets.Select(Gen.Const).ToArray())
        from e in Value(2, loops)
        from form in Gen.Int[0, 9]
        select form switch
        {
            8 => $"{target} = Damp({e}, 0.5) + 0.25 * {target};", // the method's local functions, below its return
            9 => $"b = 0.5 * Mix(a) + 0.25 * Damp({e}, 0.5);",
            6 => $"(a, b) = (0.5 * b + 0.25 * Math.Sin({e}), 0.75 * a);", // every value computed before any is assigned
            7 => $"({target}, m) = (0.5 * {target} + 0.25 * Math.Tanh({e} + m), (m * 3 + 1) % 7);",
            0 => $"{target} = Math.Tanh({e});",
            1 => $"{target} += 0.5 * Math.Sin({e});",
            2 => $"{target} -= 0.25 * Math.Tanh({e});",
            3 => $"{target} *= 0.5 + 0.25 * Math.Tanh({e});",
            4 => $"{target} /= 1.5 + 0.5 * Math.Tanh({e});",
            _ => $"{target} = 0.5 * {target} + 0.25 * Math.Sin({e});",
        };

    private static Gen<string> IntOrBool(int loops) => Gen.OneOf(
        Gen.Const("m = (m * 3 + 1) % 7;"),
        Gen.Const("m++;"),
        Gen.Const("m -= 2;"),
        Gen.Const("q = q % 5_000_000_000L + 3_000_000_000L * m;"),
        Gen.Const("q--;"),
        Gen.Const("m = (int)(q % 5);"),
        Gen.Const("m = int.Clamp(m - 1, -3, 4) + Math.Max(m % 2, 0);"), // methods of integers, called as they are
        Gen.Const("(m, q) = ((int)(q % 5), q - m);"),
        Gen.Const("Pull();"),
        Gen.Const("if (Damp(a, 1.0) > 0.25) { b *= 0.75; }"),
        Gen.Const("f = !f;"),
        Gen.Const("w += 37;"), // wraps past 255, as C# wraps it
        Gen.Const("w = (byte)(w * 3 + m);"),
        Gen.Const("k++;"),
        Gen.Const("k = (char)('a' + (m % 3 + 3) % 3);"),
        Value(1, loops).Select(e => $"f = {e} > a;"),
        loops > 0 ? Gen.Const($"m += c{loops - 1};") : Gen.Const("m *= 2;"));

    // The arrays: an element of s written at an index computed from m (bounded as the doubles are), s given a new
    // array each element of which is computed from the old one's (state = next; inside a loop, one array per pass),
    // s and u swapped through a third name, the helpers called over them, whole and sliced, and AD's reductions over
    // them: a sum over a function (of both rows, in an if's condition too), a dot product, a log-sum-exp; and helpers
    // that write the doubles through ref parameters and return a value, called as statements and for their values.
    private static Gen<string> ArrayStatement(int loops) =>
        from e in Value(1, loops)
        from kind in Gen.Int[0, 12]
        from byRef in Gen.Int[0, 2]
        select kind switch
        {
            12 => byRef switch
            {
                0 => $"ArrayHelpers.Nudge(ref a, ref b, {e});",
                1 => $"y = (0.5 * y) + (0.25 * ArrayHelpers.Nudge(ref x, ref a, {e}));",
                _ => "b -= 0.25 * ArrayHelpers.Halve(ref y);",
            },
            9 => $"a = (0.5 * a) + (0.25 * Math.Tanh(AD.Sum(s, v => Math.Sin(v * {e}))));",
            10 => "b += (0.1 * AD.Dot(s, u)) - (0.05 * AD.LogSumExp(s[1..]));",
            11 => $"if (AD.Sum(u, s, (x, y) => (x * y) + {e}) > 0.5) {{ a *= 0.75; }}",
            4 => $"ArrayHelpers.Relax(s, {e});",
            5 => $"ArrayHelpers.Relax(u.AsSpan(1), {e});",
            6 => "a = (0.5 * a) + (0.25 * ArrayHelpers.Drain(s, 2));",
            7 => "b += 0.25 * Math.Tanh(ArrayHelpers.Total(s[1..]));",
            8 => "b -= 0.1 * ArrayHelpers.Total(u.AsSpan(0, 2));",
            0 => $"s[(m % 3 + 3) % 3] = 0.5 * s[(m % 3 + 3) % 3] + 0.25 * Math.Sin({e});",
            1 => $"s[1] += 0.25 * Math.Tanh({e});",
            2 => $"{{\nvar next = new double[3];\nfor (int j = 0; j < 3; j++)\n{{\nnext[j] = 0.5 * s[(j + 1) % 3] + 0.25 * Math.Tanh({e});\n}}\ns = next;\n}}\n",
            _ => "{\nvar old = s;\ns = u;\nu = old;\n}\n",
        };

    // Inside a loop: leave it, skip to its next iteration, or return from the method, under a condition (in a switch
    // section, where a break would leave the switch, not the loop: skip or return).
    private static Gen<string> Exit(int loops, bool inSwitch) =>
        from condition in Condition(loops)
        from kind in Gen.Int[inSwitch ? 1 : 0, 2]
        from result in Value(1, loops)
        select kind switch
        {
            0 => $"if ({condition}) {{ break; }}",
            1 => $"if ({condition}) {{ continue; }}",
            _ => $"if ({condition}) {{ return {result}; }}",
        };

    // A loop at nesting level `loops` with counter c{loops}: a for over a count from the data, a while on the data,
    // a do, a while whose condition steps the counter down; each stops within n + 3 iterations (the counter is stepped
    // first, so a continue cannot skip it).
    private static Gen<string> Loop(int depth, int loops)
    {
        string c = $"c{loops}";
        return from kind in Gen.Int[0, 3]
               from bound in Gen.OneOf(Gen.Const("n"), Gen.Const("n + 1"), Gen.Const("3"), Gen.Const("(Math.Abs(a) < 3.0 ? 1 + (int)(Math.Abs(a) * 2.0) : 7)"))
               from test in Value(1, loops)
               from body in Block(depth - 1, loops + 1)
               select kind switch
               {
                   0 => $"for (int {c} = 0; {c} < {bound}; {c}++)\n{{\n{body}}}\n",
                   1 => $"{{\nint {c} = 0;\nwhile ({c} < {bound} && {test} < 1.5)\n{{\n{c}++;\n{body}}}\n}}\n",
                   3 => $"{{\nint {c} = {bound};\nwhile ({c}-- > 0)\n{{\n{body}}}\n}}\n",
                   _ => $"{{\nint {c} = 0;\ndo\n{{\n{c}++;\n{body}}}\nwhile ({c} < {bound});\n}}\n",
               };
    }

    private static Gen<string> If(int depth, int loops, bool inSwitch) =>
        from condition in Condition(loops)
        from whenTrue in Block(depth - 1, loops, inSwitch)
        from whenFalse in Gen.Frequency((1, Gen.Const(string.Empty)), (1, Block(depth - 1, loops, inSwitch)))
        select whenFalse.Length == 0
            ? $"if ({condition})\n{{\n{whenTrue}}}\n"
            : $"if ({condition})\n{{\n{whenTrue}}}\nelse\n{{\n{whenFalse}}}\n";

    // A switch on an int from the data, a loop's counter or a bool: cases sharing a section (or a pattern: case 0 or 2,
    // case > 2), a default in the middle or none (then no section may run), each section ended by its break.
    private static Gen<string> Switch(int depth, int loops) =>
        from governing in Gen.OneOf(Gen.Const("m % 3"), Gen.Const("n % 4"), Gen.Const("f"), Gen.Const(loops > 0 ? $"c{loops - 1} % 3" : "(int)(q % 3)"))
        from first in Block(depth - 1, loops, inSwitch: true)
        from second in Block(depth - 1, loops, inSwitch: true)
        from third in Block(depth - 1, loops, inSwitch: true)
        from withDefault in Gen.Bool
        from patterns in Gen.Bool
        select governing == "f"
            ? $"switch (f)\n{{\ncase true:\n{first}break;\ndefault:\n{second}break;\n}}\n"
            : $"switch ({governing})\n{{\n{(patterns ? "case 0 or 2:" : "case 0:\ncase 2:")}\n{first}break;\n{(withDefault ? "default" : "case 1")}:\n{second}break;\n" +
              $"{(patterns ? "case > 2:" : "case 3:")}\n{third}break;\n}}\n";

    private static Gen<string> Statement(int depth, int loops, bool inSwitch = false)
    {
        var kinds = new List<(int, Gen<string>)> { (4, Assignment(loops)), (1, IntOrBool(loops)), (1, ArrayStatement(loops)) };
        if (depth > 0)
        {
            kinds.Add((1, If(depth, loops, inSwitch)));
            kinds.Add((1, Switch(depth, loops)));
        }

        if (depth > 0 && loops < 2)
        {
            kinds.Add((2, Loop(depth, loops)));
        }

        if (loops > 0)
        {
            kinds.Add((1, Exit(loops, inSwitch)));
        }

        return Weighted(kinds);
    }

    // Gen.Frequency over a list whose length varies: each choice repeated as often as its weight.
    private static Gen<string> Weighted(IEnumerable<(int Weight, Gen<string> Choice)> choices) =>
        Gen.OneOf(choices.SelectMany(c => Enumerable.Repeat(c.Choice, c.Weight)).ToArray());

    private static Gen<string> Block(int depth, int loops, bool inSwitch = false) =>
        Statement(depth, loops, inSwitch).Array[1, 3].Select(statements => string.Concat(statements.Select(s => s.TrimEnd('\n') + "\n")));

    // n, an int computed from the data, is what the graph cannot hold: every method is taped.
    private static readonly Gen<string> Body =
        from first in PropertyTests.Expression(1, Array.Empty<string>())
        from second in PropertyTests.Expression(1, new[] { "a" })
        from before in Block(1, 0)
        from loop in Loop(2, 0)
        from after in Block(2, 0)
        from result in PropertyTests.Expression(2, Reals)
        select "{\n" +
               $"double a = {first};\ndouble b = {second};\nint m = 1;\nbool f = x > y;\nint n = 1 + (int)(Math.Abs(t) * 2.0);\n" +
               "long q = 3_000_000_000L * n;\nbyte w = 200;\nchar k = 'a';\ndouble[] s = { a, b, 0.5 };\ndouble[] u = new double[3];\n" +
               before + loop + after +
               $"return {result} + 0.5 * s[1] - 0.25 * u[0];\n" +
               "static double Damp(double v, double by) => by * Math.Tanh(v);\n" +
               "double Mix(double v)\n{\ndouble r = (0.5 * v) + (0.25 * Math.Sin(b));\nreturn r;\n}\n" +
               "void Pull()\n{\na = (0.75 * a) + (0.25 * Math.Tanh(b));\nm++;\n}\n}";
}

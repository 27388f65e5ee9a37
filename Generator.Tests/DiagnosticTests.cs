using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generator.Tests;

/// <summary>One test per diagnostic: its id, and its exact span, marked [|like this|] in the source.</summary>
public sealed class DiagnosticTests
{
    // AD.Sum(x) in a taped loop is a call of its runtime twin (TapedSpanTests.Reduced), AD.Sum(x, v => v * v) a loop
    // (TapedSpanTests.SummedFunctions); a function passed as a method or a delegate is not taken.
    [Fact]
    public void AD0008_a_reduction_of_a_method_group_inside_a_taped_loop() => Expect("AD0008", """
        private static float Square(float v) => v * v;

        [Differentiable]
        public static float F(ReadOnlySpan<float> x, [Constant] float n)
        {
            float s = AD.Sum(x) + AD.Sum(x, v => v * v);
            for (int i = 0; i < n; i++) { s = s + [|AD.Sum(x, Square)|]; }
            return s;
        }
        """, says: "AD's reductions take their function as a lambda written at the call, the arguments in order (AD.Sum(a, x => x * x)); write it so, or put it in a [Differentiable] method of its own and call that");

    // A method over spans that passes a span to another is taped too, though it has no loop: the message says so.
    [Fact]
    public void AD0008_a_reduction_of_named_arguments_beside_a_call_over_the_same_span() => Expect("AD0008", """
        [Differentiable]
        public static double Energy(ReadOnlySpan<double> a) => AD.LogSumExp(a) + 0.5 * AD.Dot(a, a);

        [Differentiable]
        public static double Outer(ReadOnlySpan<double> a) => Energy(a) * a[0] + AD.Sum(a) + [|AD.Sum(f: x => x * x, a: a)|];
        """, says: "or that passes a span to another method), AD's reductions take their function as a lambda written at the call");

    [Fact]
    public void AD0011_a_sum_over_a_function_with_a_block_body() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> a, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { s += AD.Sum(a, [|x => { return x * s; }|]); }
            return s;
        }
        """, says: "write the function as an expression (x => x * x)");

    // The sum runs before its statement: a variable the statement writes besides its target would be read early.
    [Fact]
    public void AD0011_a_sum_over_a_function_in_a_statement_that_writes_what_it_reads() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> a, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { s = ([|s += 1|]) + AD.Sum(a, x => x * s); }
            return s;
        }
        """, says: "assign it in a statement of its own, before or after");

    // A method of spans and scalars, a loop the graph cannot hold: the taped gradient, with the scalar's own
    // gradient and an int count (TapedSpanTests checks such gradients' values).
    [Fact]
    public void A_loop_over_a_count_in_a_method_over_spans_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> x, float w, int n)
        {
            float s = 0f;
            for (int i = 0; i < 1000; i++) { s += x[i % n] * w * i; }
            return s;
        }

        public static float G(float[] x) => FGradient(x, 2f, 3, new float[x.Length], out float dW) + dW;
        """);

    // In a method of scalars, a loop the graph cannot unroll gets a gradient written statement by statement with a
    // tape (the kernels under Kernels/Taped.cs check its values); what that form cannot take is reported.
    [Fact]
    public void A_loop_whose_count_depends_on_the_data_in_a_method_of_scalars_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(float x, [NoDiff] float n)
        {
            float s = 0f;
            for (int i = 0; i < n; i++) { s = s + x; }
            while (x > 1f) { x *= 0.5f; }
            for (int i = 0; i < 1000; i++) { s += x * i; }
            return s;
        }

        [Differentiable]
        public static float G(float a) => F(a, 3f) + FGradient(a, 2f, out _) + FJvp(a, 2f, 1f, out _);
        """);

    [Fact]
    public void AD0011_a_stackalloc_span_created_inside_a_taped_loop() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int n)
        {
            float s = 0f;
            for (int i = 0; i < n; i++)
            {
                Span<float> [|t = stackalloc float[2]|];
                t[0] = x;
                s += t[0] * t[1];
            }

            return s;
        }
        """, says: "inside a loop, an array of float made with new float[n]");

    [Fact]
    public void AD0011_an_array_local_given_what_is_not_an_array_local_nor_a_new_array() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> a, double x)
        {
            var state = new double[a.Length];
            [|state = a.ToArray()|];
            state[0] = x;
            return state[0] * state[1];
        }
        """, says: "assign an array local of double another one (state = next) or a new one (state = new double[n])");

    // An assignment inside an expression runs before its statement (TapedSpanTests.Nested): not where the statement
    // reads what it writes, which C# reads before.
    [Fact]
    public void AD0011_an_assignment_inside_an_expression_that_the_statement_reads() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double t = 0;
            for (int i = 0; i < n; i++) { t += [|x|] * (x = t + 1); }
            return t;
        }
        """, says: "read in a statement that assigns it inside an expression");

    // A deconstruction is read one level deep, from a tuple written out (DeconstructionTests checks the gradients of
    // those taken), in the graph and in the tape alike.
    [Fact]
    public void AD0011_a_nested_deconstruction() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, double y)
        {
            double a, b, c;
            (a, [|(b, c)|]) = (x, (y, x * y));
            return a * b + c;
        }
        """, says: "deconstruct one level into locals and parameters");

    [Fact]
    public void AD0011_deconstructing_a_call_that_returns_a_tuple() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double a = 0, b = 1;
            for (int i = 0; i < n; i++) { (a, b) = [|Step(a, b, x)|]; }
            return a + b;
        }

        private static (double, double) Step(double a, double b, double x) => (b, a * x);
        """, says: "write the values as a tuple, (a, b) = (x, y), or assign each in a statement");

    [Fact]
    public void AD0011_deconstructing_into_an_element_of_a_span() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> s, double x, int n)
        {
            Span<double> t = stackalloc double[2];
            double a = 0;
            for (int i = 0; i < n; i++) { ([|t[0]|], a) = (a + s[i], x * t[0]); }
            return a + t[0];
        }
        """, says: "then assign the element from a local");

    // A local function is differentiated where it is called (LocalFunctionTests): not one that calls itself, nor a call
    // of one with a block of statements that runs only sometimes or in a loop's condition (its body would run before the
    // statement, always; one of a single expression is read as that expression there), nor one inside an expression of
    // a function that writes the method's locals.
    [Fact]
    public void AD0010_a_local_function_that_calls_itself() => Expect("AD0010", """
        [Differentiable]
        public static double F(double x)
        {
            return Halved(x);

            static double Halved(double v) => 0.5 * [|Halved(v)|];
        }
        """, says: "'F' calls itself through 'Halved'");

    [Fact]
    public void AD0011_a_call_of_a_local_function_under_a_condition() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { s += x > 0 ? [|Half(x)|] : x; }
            return s;

            static double Half(double v)
            {
                double h = 0.5 * v;
                return h;
            }
        }
        """, says: "or choose with if/else");

    [Fact]
    public void AD0011_a_call_of_a_local_function_in_a_loop_s_condition() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double s = 0;
            int i = 0;
            while ([|More(i, n)|]) { s += x; i++; }
            return s;

            static bool More(int i, int n) => i < n;
        }
        """, says: "compute it in a statement of its own (var v = More(…);) and read v here");

    [Fact]
    public void AD0011_a_local_function_that_writes_the_method_s_local_called_inside_an_expression() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { double t = 1 + [|Add(x)|]; s += t; }
            return s;

            double Add(double v) { s += v; return s; }
        }
        """, says: "call it as a statement of its own, or have it return what it computes");

    // A static array is a table the method reads (GuardAndTableTests): writing it would be seen outside the call.
    [Fact]
    public void AD0011_writing_an_element_of_a_static_array() => Expect("AD0011", """
        private static readonly double[] Table = { 1.0, 2.0 };

        [Differentiable]
        public static double F(double x, int n)
        {
            for (int i = 0; i < n; i++) { [|Table[0] = x|]; }
            return Table[0] * x;
        }
        """, says: "copy it into a local array");

    // A taped gradient reads Math.Floor and its kin as values where an int or a condition takes them
    // (TapedSpanTests.Rounded), not where their zero derivative would be multiplied into a gradient.
    [Fact]
    public void AD0011_math_floor_of_a_value_with_a_gradient_in_a_taped_body() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { s += [|Math.Floor(x * i)|] * x; }
            return s;
        }
        """, says: "'Math.Floor' of a value that may carry a gradient");

    // A span of ints is read only: the generated forms take it as a ReadOnlySpan<int>.
    [Fact]
    public void AD0011_writing_the_elements_of_an_int_array_parameter() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> x, int[] at)
        {
            double s = 0;
            for (int i = 0; i < at.Length; i++) { s += x[at[i]]; [|at[i]|] = 0; }
            return s;
        }
        """, says: "Writing to the elements of the int parameter 'at'");

    // A sum over a function runs as a loop before its statement: not where the function reads what the statement
    // writes (here through a ref argument; a call that C# runs before the sum could write it first).
    [Fact]
    public void AD0011_a_sum_over_a_function_that_reads_what_its_statement_writes() => Expect("AD0011", """
        [Differentiable]
        public static void Scale(ref double v, double by) => v *= by;

        [Differentiable]
        public static double F(ReadOnlySpan<double> a, double w)
        {
            Scale([|ref w|], AD.Sum(a, x => x * w));
            return w;
        }
        """, says: "in the statement of a sum over a function, which runs before the statement");

    [Fact]
    public void AD0011_a_local_assigned_inside_the_declaration_that_declares_it() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) { double t = x, u = ([|t = 2 * x|]) * t; s += u; }
            return s;
        }
        """, says: "assigned inside the declaration that declares it");

    [Fact]
    public void AD0011_one_variable_assigned_twice_inside_an_expression() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int n)
        {
            double t = 0, y = 0;
            for (int i = 0; i < n; i++) { t += ([|y = x|]) + (y = 2 * x); }
            return t + y;
        }
        """, says: "assigned twice in one statement, not along one chain");

    // Left by break, continue or return, the tests are undone where the exit numbers say they ran
    // (TapedSpanTests.SteppedExits checks the gradients).
    [Fact]
    public void A_condition_that_steps_a_counter_in_a_loop_left_by_break_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(float x, int n)
        {
            float s = 0f;
            while (n-- > 0)
            {
                if (s > 3f) { break; }
                s += x * n;
            }

            return s;
        }
        """);

    // Writing an element of an array parameter was AD0011; the taped gradient works on a copy made on entry
    // (TapedSpanTests.InPlace checks such gradients).
    [Fact]
    public void AD0011_is_no_longer_reported_for_an_element_of_an_array_parameter_written() => Expect(null, """
        [Differentiable]
        public static float F(float[] a, int n)
        {
            for (int i = 0; i < n; i++)
            {
                a[i] = a[i] * 2f;
            }

            return a[0];
        }
        """);

    [Fact]
    public void AD0011_a_value_that_may_carry_a_gradient_passed_to_NoDiff_in_a_taped_method() => Expect("AD0011", """
        [Differentiable]
        public static float Scaled(float x, [NoDiff] float weight) => x * weight;

        [Differentiable]
        public static float F(float x, [NoDiff] float w)
        {
            float s = 0f;
            while (s < 3f) { s += Scaled(x, w) + Scaled(x, [|s|]); }
            return s;
        }
        """, says: "parameter 'weight' of 'Scaled', computed from values that may carry a gradient");

    [Fact]
    public void AD0011_a_slice_of_a_slice_passed_to_a_method_over_spans() => Expect("AD0011", """
        [Differentiable]
        public static float Total(ReadOnlySpan<float> a, int n)
        {
            float s = 0f;
            for (int i = 0; i < n; i++) { s += a[i]; }
            return s;
        }

        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => Total([|a.Slice(1).Slice(1)|], 2) * a[0];
        """, says: "pass a span parameter or a local array or span of float, whole or sliced (a.Slice(i, n), a.AsSpan(i, n), a[i..j])");

    [Fact]
    public void AD0011_a_range_of_an_array_passed_to_a_helper_that_writes_it() => Expect("AD0011", """
        [Differentiable]
        public static void Relax(Span<double> v, double w)
        {
            for (int i = 1; i < v.Length; i++) { v[i] += w * v[i - 1]; }
        }

        [Differentiable]
        public static double F(double[] a, double w)
        {
            Relax([|a[..3]|], w);
            return a[2];
        }
        """, says: "pass a view of them, which the helper's writes reach: a.AsSpan(start, length)");

    [Fact]
    public void AD0011_a_span_local_given_another_span() => Expect("AD0011", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n)
        {
            ReadOnlySpan<double> s = a;
            double total = 0.0;
            for (int i = 0; i < n; i++) { total += s[i]; }
            [|s = b|];
            return total + s[0];
        }
        """, says: "declare a span local for each row or slice it names");

    [Fact]
    public void AD0011_a_local_array_passed_to_a_method_that_writes_its_array_parameter_in_a_statement_that_reads_it_too() => Expect("AD0011", """
        [Differentiable]
        public static double Sum(double[] arr, int n)
        {
            double res = 0;
            for (int i = 0; i < n; ++i) { res += arr[i]; }
            arr[0] += 10 * arr[0];
            return res;
        }

        [Differentiable]
        public static double F(double x, double y)
        {
            var buf = new double[] { x, y };
            double s = Sum([|buf|], 2) + buf[1];
            return s + buf[0] * y;
        }
        """, says: "'buf' passed to 'Sum', which writes the elements of its array parameter 'arr' (so the caller's elements change)");

    [Fact]
    public void AD0011_a_parameter_passed_to_an_array_parameter_which_the_generated_code_has_as_a_span() => Expect("AD0011", """
        [Differentiable]
        public static float Total(float[] a)
        {
            float s = 0f;
            foreach (var v in a) { s += v * v; }
            return s;
        }

        [Differentiable]
        public static float F(float[] x, float w)
        {
            float[] copy = { x[0], w };
            return Total(copy) * Total([|x|]);
        }
        """, says: "declare 'a' as ReadOnlySpan<float> (an array converts to it)");

    [Fact]
    public void AD0011_a_span_that_carries_a_gradient_passed_to_a_NoDiff_span() => Expect("AD0011", """
        [Differentiable]
        public static float Weighted(ReadOnlySpan<float> a, [NoDiff] ReadOnlySpan<float> weights)
        {
            float s = 0f;
            for (int i = 0; i < a.Length; i++) { s += a[i] * weights[i]; }
            return s;
        }

        [Differentiable]
        public static float F(ReadOnlySpan<float> a, [NoDiff] ReadOnlySpan<float> w) => Weighted(a, w) + Weighted(w, [|a|]);
        """, says: "parameter 'weights' of 'Weighted', computed from values that may carry a gradient");

    [Fact]
    public void AD0011_an_assignment_to_the_right_of_an_operand_it_changes_in_a_condition() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int n)
        {
            float s = 1f;
            while ([|s < (s = s * x)|])
            {
                n--;
                if (n < 0) { break; }
            }

            return s;
        }
        """, says: "assign in a statement of its own before the test");

    [Fact]
    public void AD0011_an_assignment_inside_an_expression_whose_target_the_statement_reads_again() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int n)
        {
            float s = 0f, t = 0f;
            for (int i = 0; i < n; i++)
            {
                s += (t = x * i) * 2f + [|t|];
            }

            return s;
        }
        """, says: "read in a statement that assigns it inside an expression");

    [Fact]
    public void AD0011_a_void_helper_that_is_not_Differentiable() => Expect("AD0011", """
        public static void Polar(float r, float t, out float x, out float y) { x = r * MathF.Cos(t); y = r * MathF.Sin(t); }

        [Differentiable]
        public static float F(float r, float t)
        {
            [|Polar(r, t, out var x, out var y)|];
            return x * y;
        }
        """, says: "mark it [Differentiable]: a void method whose results are its out and ref parameters");

    [Fact]
    public void AD0011_a_return_before_the_end_of_a_void_helper() => Expect("AD0011", """
        [Differentiable]
        public static void Clip(ref float v, float limit)
        {
            if (v < limit) { [|return;|] }
            v = limit;
        }
        """, says: "leave the helper at its end");

    [Fact]
    public void AD0011_an_element_passed_by_reference_at_an_index_the_call_changes() => Expect("AD0011", """
        [Differentiable]
        public static void Both(ref float v, out float w)
        {
            w = v;
            v *= 2f;
        }

        [Differentiable]
        public static float F(float x)
        {
            float[] a = new float[4];
            float y = x;
            Both(ref y, out a[[|(int)y|]]);
            return a[0] * y;
        }
        """, says: "compute the index into a local the call does not take");

    [Fact]
    public void AD0010_a_void_helper_that_calls_itself() => Expect("AD0010", """
        [Differentiable]
        public static void Halve(ref float v, int n)
        {
            v *= 0.5f;
            if (n > 0) { [|Halve(ref v, n - 1)|]; }
        }
        """);

    [Fact]
    public void AD0011_a_ref_local_bound_again() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int n)
        {
            float[] a = { x, 2f * x };
            ref float [|e = ref a[0]|];
            for (int i = 0; i < n; i++)
            {
                e += x;
                e = ref a[1];
            }

            return a[0] * a[1];
        }
        """, says: "declare a ref local for each binding");

    [Fact]
    public void A_void_method_that_is_not_differentiable_runs_as_written_with_values_constants_and_bools() => Expect(null, """
        public static void Check(float value, int step, bool strict, string label) => System.Diagnostics.Debug.Assert(!strict || value > -1f, label);

        [Differentiable]
        public static float F(float x, float y)
        {
            const string Label = "z is bounded";
            float z = x * y;
            Check(z + 1f, 2, z > 0f, Label);
            System.Diagnostics.Debug.Assert(z > -100f, "z " + Label);
            return z * x;
        }
        """);

    [Fact]
    public void AD0011_a_void_method_that_is_not_differentiable_called_with_an_object() => Expect("AD0011", """
        public static void Log(object value)
        {
        }

        [Differentiable]
        public static float F(float x)
        {
            Log([|new object()|]);
            return x * x;
        }
        """, says: "pass values of float, integers, bools, constants or $\"…\" of them");

    [Fact]
    public void AD0011_a_method_group_as_a_reductions_function() => Expect("AD0011", """
        [Differentiable]
        public static float Square(float u) => u * u;

        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => AD.Sum(a, [|Square|]);
        """, says: "write it as a lambda: u => Square(u)");

    [Fact]
    public void AD0011_a_struct_local_made_by_its_constructor() => Expect("AD0011", """
        public struct Point
        {
            public float X, Y;

            public Point(float x, float y) => (X, Y) = (x, y);
        }

        [Differentiable]
        public static float F(float x)
        {
            var p = [|new Point(x, 2f * x)|];
            return p.X * p.Y;
        }
        """, says: "default or new Point { field = … } (no constructor), or assign its fields");

    [Fact]
    public void AD0011_a_struct_local_with_a_field_of_another_type() => Expect("AD0011", """
        public struct Counted
        {
            public float Sum;
            public int Count;
        }

        [Differentiable]
        public static float F(float x)
        {
            [|Counted|] c = default;
            c.Sum = x * x;
            return c.Sum;
        }
        """, says: "locals of a struct whose fields are float");

    [Fact]
    public void AD0008_a_struct_local_passed_whole_to_a_method_that_is_not_differentiable() => Expect("AD0008", """
        public struct Point
        {
            public float X, Y;
        }

        public static float Norm(Point p) => p.X * p.X + p.Y * p.Y;

        [Differentiable]
        public static float F(float x)
        {
            Point p;
            p.X = x;
            p.Y = 2f * x;
            return [|Norm(p)|];
        }
        """, says: "'Norm' is neither a known function nor [Differentiable]");

    // AD0001 is retired: a loop the graph cannot unroll is taped, and the tape takes break, continue and return
    // (the kernels under Kernels/Taped.cs and TapedSpanTests check such gradients' values).
    [Fact]
    public void AD0001_is_no_longer_reported_a_loop_left_early_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(float x, int n)
        {
            if (x > 5f) { return x; }
            for (int i = 0; i < n; i++)
            {
                if (x > 2f) { break; }
                if (i % 2 == 0) { continue; }
                while (x < 0.5f) { if (x < 0f) { return -x; } x += 0.25f; }
                x *= 1.5f;
            }

            return x;
        }

        public static float G(float a) => FGradient(a, 3, out float d) + d;
        """);

    [Fact]
    public void AD0008_a_function_the_taped_gradient_does_not_know() => Expect("AD0008", """
        [Differentiable]
        public static float F(float x)
        {
            while (x > 1f) { x = [|MathF.ReciprocalEstimate(x)|] * 0.5f; }
            return x;
        }
        """, says: "knows Exp, Exp2, Exp10, Log");

    [Fact]
    public void AD0011_foreach_over_anything_but_a_span_parameter() => Expect("AD0011", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a)
        {
            float s = 0f;
            foreach (var v in [|new[] { 1f, 2f }|]) { s += v; }
            return s + a[0];
        }
        """, says: "A foreach over anything but a span or an array");

    [Fact]
    public void AD0002_assignment_to_a_span_parameter() => Expect("AD0002", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a)
        {
            [|a|] = a.Slice(1);
            return AD.Sum(a, v => v * v);
        }
        """);

    [Fact]
    public void AD0003_out_parameter_of_a_method_that_returns_a_value() => Expect("AD0003", """
        [Differentiable]
        public static float F(float x, [|out|] float y)
        {
            y = x;
            return x * x;
        }
        """);

    [Fact]
    public void A_ref_float_of_a_method_that_returns_a_value_is_a_value_to_its_forms_and_inlined_where_it_is_called() => Expect(null, """
        [Differentiable]
        public static float Modify(ref float i, float by) => i *= by;

        [Differentiable]
        public static float G(float a, float b)
        {
            Modify(ref a, b);
            float v = Modify(ref b, 2f);
            return a * v + ModifyGradient(a, b, out _, out _);
        }
        """);

    // A call that writes what its statement reads elsewhere is not inlined (C# reads the variable before the call).
    [Fact]
    public void AD0011_a_variable_passed_by_ref_to_a_method_returning_a_value_that_the_statement_reads_again() => Expect("AD0011", """
        [Differentiable]
        public static double Modify(ref double i, ref double j)
        {
            i += j;
            return i * j;
        }

        [Differentiable]
        public static double F(double x, double y)
        {
            double t = Modify([|ref x|], ref y) + x;
            return t;
        }
        """, says: "'ref x' passed by reference to 'Modify', which may write it, where the statement reads it too");

    [Fact]
    public void AD0003_in_span_parameter() => Expect("AD0003", """
        [Differentiable]
        public static float F(float y, [|in|] ReadOnlySpan<float> a) => y * AD.Sum(a);
        """);

    [Fact]
    public void A_float_passed_in_or_ref_readonly_is_a_value() => Expect(null, """
        [Differentiable]
        public static float F(in float x, ref readonly float y) => x * y;

        [Differentiable]
        public static float G(float a) => F(a, a) + FGradient(a, 2f, out _, out _);
        """);

    [Fact]
    public void AD0004_instance_method() => Expect("AD0004", """
        [Differentiable]
        public float [|F|](float x) => x * x;
        """, isStatic: false);

    [Fact]
    public void AD0005_type_not_partial() => Expect("AD0005", """
        using System;
        using AutoDiff;

        public static class [|K|]
        {
            [Differentiable]
            public static float F(float x) => x * x;
        }
        """, wrap: false);

    // (float)(x * 2.5) and (float)Math.Exp(x) were AD0006; a cast back to float takes the double inside as float
    // (PromotedDoubleTests checks their gradients). A double value that is not cast back still is AD0006.
    [Fact]
    public void AD0006_double_literal_in_a_float_method_compared_without_a_cast() => Expect("AD0006", """
        [Differentiable]
        public static float F(float x) => x * [|2.5|] > 1f ? x : 2f * x;
        """);

    [Fact]
    public void AD0006_Math_instead_of_MathF_without_a_cast_back() => Expect("AD0006", """
        [Differentiable]
        public static float F(float x) => [|Math.Exp(x)|] > 2.0 ? x : 2f * x;
        """);

    // Since 2026-12-08 a float method of scalars computes in double where it keeps a double local (MixedPrecisionTests).
    [Fact]
    public void A_double_local_in_a_float_method_of_scalars_is_computed_in_double() => Expect(null, """
        [Differentiable]
        public static float F(float x)
        {
            double t = Math.Exp(x);
            return (float)t * x;
        }
        """);

    [Fact]
    public void AD0006_double_parameter_in_a_float_method_whose_gradient_is_supplied() => Expect("AD0006", """
        [Differentiable]
        public static float F(float x, [|double|] y) => x;

        [DerivativeOf(nameof(F))]
        public static float FDerivative(float x, double y, out float dX, out double dY)
        {
            dX = 1f;
            dY = 0.0;
            return x;
        }
        """, says: "declare 'y' as float");

    // A float parameter of a double method of scalars is read as double where C# widens it (MixedPrecisionTests checks
    // its gradients, graph and taped); float arithmetic on it and spans beside it still need one type.
    [Fact]
    public void AD0006_float_arithmetic_on_a_float_parameter_of_a_double_method() => Expect("AD0006", """
        [Differentiable]
        public static double F(double x, float y) => x + [|y|] * y;
        """, says: "widen it where it is read, as in (double)y");

    [Fact]
    public void AD0006_float_arithmetic_on_a_float_parameter_in_a_taped_body() => Expect("AD0006", """
        [Differentiable]
        public static double F(double x, float y, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += x * [|(y * y)|];
            return s;
        }
        """, says: "widen it where it is read, as in (double)y");

    // A float method with a double local computes in double (MixedPrecisionTests); another method cannot call it.
    [Fact]
    public void AD0006_a_call_of_a_float_method_that_computes_in_double() => Expect("AD0006", """
        [Differentiable]
        public static float Summed(float a, int n)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++) sum += a * i;
            return (float)sum;
        }

        [Differentiable]
        public static float F(float x) => [|Summed(x, 3)|] * 2f;
        """, says: "'Summed' computes in double (a float method with double locals)");

    // One the tape cannot take either keeps the double local's diagnostic.
    [Fact]
    public void AD0006_a_double_local_of_a_float_method_over_a_span() => Expect("AD0006", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a)
        {
            [|double|] sum = 0.0;
            for (int i = 0; i < a.Length; i++) sum += a[i];
            return (float)sum;
        }
        """, says: "declare 'sum' as float");

    [Fact]
    public void AD0006_double_parameter_of_a_float_method_read_without_a_cast() => Expect("AD0006", """
        [Differentiable]
        public static float F(float x, double s) => x * [|s|] > 1.0 ? x : 2f * x;
        """, says: "narrow it where it is read, as in (float)s");

    [Fact]
    public void AD0006_float_parameter_beside_a_span() => Expect("AD0006", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> a, [NoDiff] [|float|] y) => AD.Sum(a) * y;
        """, says: "declare 'y' as double");

    [Fact]
    public void AD0007_decimal_parameter() => Expect("AD0007", """
        [Differentiable]
        public static float F(float x, [|decimal|] n) => x;
        """, says: "integers (int, long, short, char …) and bools as counts and switches");

    [Fact]
    public void AD0007_integer_return() => Expect("AD0007", """
        [Differentiable]
        public static [|int|] F(float x) => 1;
        """);

    [Fact]
    public void AD0008_unknown_method() => Expect("AD0008", """
        public static float Helper(float x) => x;

        [Differentiable]
        public static float F(float x) => [|Helper(x)|] * 2f;
        """);

    [Fact]
    public void AD0006_names_the_parameter_of_the_other_type_not_the_matching_result()
    {
        var run = GeneratorHarness.Run("""
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static double Half(float x, double y) => y * 0.5;

                [Differentiable]
                public static double F(double x) => Half(1f, x) + x;
            }
            """);
        var message = run.GeneratorDiagnostics.Where(d => d.Id == "AD0006").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
            .Single(m => m.Contains("'Half'", StringComparison.Ordinal));
        Assert.Equal("This is 'float' in a [Differentiable] method of 'double': use one type throughout ('Half' takes it for 'x'; call a double version of it)", message);
    }

    [Fact]
    public void Parameters_and_locals_named_by_keywords_compile()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F(float @out, float @params, [NoDiff] float @double)
                {
                    float @in = @out * @params;
                    return MathF.Exp(@in) + @double * @out;
                }

                [Differentiable]
                public static float Row(ReadOnlySpan<float> @base, [Constant] float @int) => AD.Sum(@base, @class => @class * @int);
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void AD0021_a_caller_of_a_rejected_method_gets_one_error_at_the_call()
    {
        const string Source = """
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float Bad(float x) => x is var y && y > 0f ? y : 0f;

                [Differentiable]
                public static float Middle(float x) => Bad(x) + x;

                [Differentiable]
                public static float Caller(float x) => Middle(x) * 2f;
            }
            """;
        var run = GeneratorHarness.Run(Source);
        Assert.Empty(run.CompilationErrors);
        Assert.Equal(["AD0011", "AD0021", "AD0021"], run.GeneratorDiagnostics.Select(d => d.Id).Order());
        var caller = run.GeneratorDiagnostics.Single(d => d.Id == "AD0021" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith("'Middle'", StringComparison.Ordinal));
        Assert.Equal(Source.IndexOf("Middle(x) * 2f", StringComparison.Ordinal), caller.Location.SourceSpan.Start);
        Assert.Equal("Middle(x)".Length, caller.Location.SourceSpan.Length);
    }

    [Fact]
    public void A_recurrence_over_the_row_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> x, [Constant] float w)
        {
            float h = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                h = MathF.Tanh(w * h + x[i]);
            }

            return h;
        }
        """);

    [Fact]
    public void A_loop_over_the_row_inside_another_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> x)
        {
            float s = 0f;
            foreach (var a in x)
            {
                foreach (var b in x) { s += a * b; }
            }

            return s;
        }
        """);

    [Fact]
    public void AD0011_a_reduction_inside_a_loop_over_the_row() => Expect("AD0011", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            float s = 0f;
            foreach (var x in a)
            {
                s += x * [|AD.Sum(b, v => v * v)|] + AD.Sum(b, v => v is var w && w > 0f ? w : 0f); // a pattern that declares: the tape cannot take it either
            }

            return s;
        }
        """);

    [Fact]
    public void The_counter_of_a_loop_over_the_row_as_a_number_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> x)
        {
            float s = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                s += i * x[i];
            }

            return s;
        }
        """);

    [Fact]
    public void AD0022_a_derivative_of_a_method_that_does_not_exist() => Expect("AD0022", """
        [Differentiable]
        public static double F(double x) => x * x;

        [DerivativeOf([|"G"|])]
        public static double GGradient(double x, out double dX) { dX = 2 * x; return x * x; }
        """);

    [Fact]
    public void AD0022_a_derivative_of_a_method_not_marked_differentiable() => Expect("AD0022", """
        public static double F(double x) => x * x;

        [DerivativeOf([|nameof(F)|])]
        public static double FGradient(double x, out double dX) { dX = 2 * x; return x * x; }
        """);

    [Fact]
    public void AD0022_a_second_derivative_for_one_method() => Expect("AD0022", """
        [Differentiable]
        public static double F(double x) => x * x;

        [DerivativeOf(nameof(F))]
        public static double FGradient(double x, out double dX) { dX = 2 * x; return x * x; }

        [DerivativeOf([|nameof(F)|])]
        public static double FDerivative(double x, out double dX) { dX = 2 * x; return x * x; }
        """);

    [Fact]
    public void AD0023_a_derivative_without_an_out_per_differentiable_parameter()
    {
        Expect("AD0023", """
            [Differentiable]
            public static double F(double x, [NoDiff] double t, double y) => x * t * y;

            [[|DerivativeOf(nameof(F))|]]
            public static double FGradient(double x, double t, double y, out double dX) { dX = t * y; return F(x, t, y); }
            """);

        // The message gives the signature to write, with the NoDiff parameter kept and getting no out.
        var run = GeneratorHarness.Run("""
            using AutoDiff;
            public static partial class K
            {
                [Differentiable]
                public static double F(double x, [NoDiff] double t, double y) => x * t * y;

                [DerivativeOf(nameof(F))]
                public static double FDerivative(double x, double t, out double dX, out double dY) { dX = dY = 0; return 0; }
            }
            """);
        var message = Assert.Single(run.GeneratorDiagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'static double FDerivative(double x, double t, double y, out double dX, out double dY)'", message, StringComparison.Ordinal);
        Assert.Contains("it has 4 parameters, not 5", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AD0023_is_no_longer_reported_for_a_derivative_of_a_method_over_spans_named_FGradient() => Expect(null, """
        [Differentiable]
        public static double F(ReadOnlySpan<double> x) => AD.Sum(x);

        [DerivativeOf(nameof(F))]
        public static double FGradient(ReadOnlySpan<double> x, Span<double> dX) { dX.Fill(1); return F(x); }
        """);

    [Fact]
    public void AD0023_a_derivative_of_a_method_over_spans_without_the_spans_gradient() => Expect("AD0023", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> x, double w) => AD.Sum(x) * w;

        [[|DerivativeOf(nameof(F))|]]
        public static double FDerivative(ReadOnlySpan<double> x, double w, out double dW) { dW = AD.Sum(x); return dW * w; }
        """, says: "static double FDerivative(System.ReadOnlySpan<double> x, double w, System.Span<double> dX, out double dW)");

    [Fact]
    public void AD0022_a_Hessian_supplied_without_the_gradient() => Expect("AD0022", """
        [Differentiable]
        public static double F(double x, double y) => x * y;

        [DerivativeOf([|nameof(F)|])]
        public static double FHessian(double x, double y, Span<double> gradient, Span<double> hessian) { gradient[0] = y; gradient[1] = x; hessian[0] = hessian[3] = 0; hessian[1] = hessian[2] = 1; return x * y; }
        """, says: "add [DerivativeOf(nameof(F))] static double FGradient(double x, double y, out double dX, out double dY)");

    [Fact]
    public void AD0022_a_second_Hessian_for_one_method() => Expect("AD0022", """
        [Differentiable]
        public static double F(double x) => x * x;

        [DerivativeOf(nameof(F))]
        public static double FGradient(double x, out double dX) { dX = 2 * x; return x * x; }

        [DerivativeOf(nameof(F))]
        public static double FHessian(double x, Span<double> gradient, Span<double> hessian) { gradient[0] = 2 * x; hessian[0] = 2; return x * x; }

        [DerivativeOf([|nameof(F)|])]
        public static double FSecond(double x, Span<double> gradient, Span<double> hessian) { gradient[0] = 2 * x; hessian[0] = 2; return x * x; }
        """, says: "already has its Hessian in 'FHessian'");

    [Fact]
    public void AD0023_a_supplied_Hessian_whose_outputs_are_not_spans_of_the_method_s_type() => Expect("AD0023", """
        [Differentiable]
        public static double F(double x) => x * x;

        [DerivativeOf(nameof(F))]
        public static double FGradient(double x, out double dX) { dX = 2 * x; return x * x; }

        [[|DerivativeOf(nameof(F))|]]
        public static double FSecond(double x, Span<float> gradient, Span<double> hessian) { gradient[0] = 2f * (float)x; hessian[0] = 2; return x * x; }
        """, says: "static double FSecond(double x, System.Span<double> gradient, System.Span<double> hessian)");

    [Fact]
    public void AD0023_a_supplied_Hessian_vector_product_of_a_method_over_spans_whose_product_is_not_written_to_a_span() => Expect("AD0023", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> x, double w) => AD.Sum(x) * w;

        [DerivativeOf(nameof(F))]
        public static double FGradient(ReadOnlySpan<double> x, double w, Span<double> dX, out double dW) { dX.Fill(w); dW = AD.Sum(x); return dW * w; }

        [[|DerivativeOf(nameof(F))|]]
        public static double FSecond(ReadOnlySpan<double> x, double w, ReadOnlySpan<double> vX, double vW, double[] hvX, out double hvW) { hvW = AD.Sum(vX); hvX.AsSpan().Fill(vW); return 0; }
        """, says: "static double FSecond(System.ReadOnlySpan<double> x, double w, System.ReadOnlySpan<double> vX, double vW, System.Span<double> hvX, out double hvW)");

    [Fact]
    public void AD0022_a_Hessian_vector_product_supplied_without_the_gradient() => Expect("AD0022", """
        [Differentiable]
        public static double F(ReadOnlySpan<double> x) => AD.Sum(x);

        [DerivativeOf([|nameof(F)|])]
        public static double FHessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> vX, Span<double> hvX) { hvX.Clear(); return AD.Sum(vX); }
        """, says: "a Hessian-vector product is supplied without the gradient it differentiates");

    [Fact]
    public void A_caller_of_a_method_whose_derivative_does_not_fit_gets_one_error_at_the_call()
    {
        const string Source = """
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F(float x) => x * x;

                [DerivativeOf(nameof(F))]
                public static float FGradient(float x, out double dX) { dX = 2 * x; return x * x; }

                [Differentiable]
                public static float Caller(float x) => F(x) * 2f;
            }
            """;
        var run = GeneratorHarness.Run(Source);
        Assert.Empty(run.CompilationErrors);
        Assert.Equal(["AD0021", "AD0023"], run.GeneratorDiagnostics.Select(d => d.Id).Order());
    }

    [Theory]
    [InlineData("build_property.RunAnalyzers")]
    [InlineData("build_property.RunAnalyzersDuringBuild")]
    public void With_analyzers_off_the_generator_reports_a_bad_signature_itself(string property)
    {
        const string Source = """
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F(float x, out float y)
                {
                    y = x;
                    return x * y;
                }
            }
            """;
        var reported = Diagnostics(new BuildProperty(property, "false"));
        Assert.Equal("AD0003", Assert.Single(reported).Id);

        Assert.Empty(Diagnostics(new BuildProperty(property, "true"))); // the analyzer reports it; no duplicate

        static ImmutableArray<Diagnostic> Diagnostics(BuildProperty options) =>
            CSharpGeneratorDriver.Create([new DifferentiableGenerator().AsSourceGenerator()], optionsProvider: options)
                .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(Source), out _, out _)
                .GetRunResult().Results.Single().Diagnostics;
    }

    private sealed class BuildProperty(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(key, value);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(string.Empty, string.Empty);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(string.Empty, string.Empty);

        private sealed class Options(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? found)
            {
                found = name == key ? value : null;
                return found is not null;
            }
        }
    }

    [Fact]
    public void AD0008_on_a_library_function_does_not_ask_to_mark_it()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F(float x) => MathF.ReciprocalEstimate(x) + x;
            }
            """);
        var message = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "AD0008").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("'MathF.ReciprocalEstimate(float)' is neither a known function nor [Differentiable]: it is compiled library code", message, StringComparison.Ordinal);
        Assert.DoesNotContain("mark it", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AD0009_non_differentiable_function() => Expect("AD0009", """
        [Differentiable]
        public static float F(float x) => [|MathF.Floor(x * 2f)|] + x;
        """, says: "x % p or Math.IEEERemainder(x, p), whose derivative in x is 1");

    // Round with digits or a mode is Round: piecewise constant (it was AD0008, an unknown function).
    [Fact]
    public void AD0009_round_with_digits_or_a_mode() => Expect("AD0009", """
        [Differentiable]
        public static double F(double x) => [|Math.Round(x * 2, 1, MidpointRounding.AwayFromZero)|] + x;
        """, says: "'Math.Round' has no useful derivative");

    [Fact]
    public void AD0009_is_not_reported_for_NoDiff_data() => Expect(null, """
        [Differentiable]
        public static float F(float x, [NoDiff] float t) => MathF.Floor(t) * x + MathF.Sign(t);
        """);

    [Fact]
    public void AD0010_direct_recursion() => Expect("AD0010", """
        [Differentiable]
        public static float F(float x) => x > 1f ? [|F(x - 1f)|] : x;
        """);

    [Fact]
    public void AD0010_mutual_recursion() => Expect("AD0010", """
        [Differentiable]
        public static float F(float x) => [|G(x)|] + 1f;

        [Differentiable]
        public static float G(float x) => x > 0f ? F(x - 1f) : x;
        """, expectedCount: 2);

    // A switch statement is taped (PeerSwitchTests, Kernels/Taped.cs SwitchedSteps check what it computes).
    [Fact]
    public void A_switch_statement_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(float x)
        {
            switch (x > 0f) { case true: return x; default: return -x; }
        }
        """);

    // x = (y += x) is taken (PeerCompoundAssignmentTests); an assignment inside another to the same variable is not.
    [Fact]
    public void AD0011_an_assignment_inside_another_to_the_same_variable() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, float y)
        {
            x = ([|x += y|]);
            return x;
        }
        """, says: "assign in two statements");

    [Fact]
    public void AD0011_a_switch_case_with_a_when_clause() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int k)
        {
            switch (k)
            {
                case 1 or 2:
                    return 2f * x;
                [|case > 2 when x > 0f:|]
                    return x;
                default:
                    return -x;
            }
        }
        """, says: "write constant cases and patterns of constants (case > 2:, case 1 or 2:), or if/else");

    [Fact]
    public void AD0011_a_pattern_that_declares() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x) => x is [|var y|] && y > 0f ? y : 0f;
        """, says: "test with constants and comparisons (is > 0 and < 1, is 0 or 1, is not 0)");

    [Fact]
    public void AD0011_a_switch_expression_without_a_discard_arm_last() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x) => x [|switch|] { > 0f => x, <= 0f => -x };
        """, says: "end it with _ => the value where no other arm matches");

    [Fact]
    public void AD0011_a_break_before_the_end_of_a_switch_section() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int k)
        {
            float y = x;
            switch (k)
            {
                case 1:
                    if (x > 1f)
                    {
                        [|break;|]
                    }

                    y = x * x;
                    break;
            }

            return y;
        }
        """, says: "end the section with its break");

    [Fact]
    public void AD0011_a_switch_on_a_float() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int k)
        {
            float y = x;
            for (int i = 0; i < k; i++)
            {
                switch ([|y|])
                {
                    case 1f:
                        y = 0f;
                        break;
                }
            }

            return y;
        }
        """, says: "switch on an int, or write if/else");

    [Fact]
    public void An_exclusive_or_of_conditions_the_graph_refuses_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(float x) => (x > 0f) ^ (x < 1f) ? x : 0f;
        """);

    [Fact]
    public void AD0012_an_instance_member() => Expect("AD0012", """
        private sealed class Holder
        {
            public float Scale = 2f;
        }

        private static readonly Holder s_holder = new();

        [Differentiable]
        public static float F(float x) => x * [|s_holder.Scale|];
        """);

    // A static field or property is a value with no gradient, read by the taped gradient where the method reads it
    // (TapedSpanTests.Fields, PeerOptimalTests check the gradients); a double one in float code is cast.
    [Fact]
    public void A_static_field_or_property_is_read_as_a_value() => Expect(null, """
        private static float s_scale = 2f;
        private static readonly double Offset = 0.5;
        private static int Rounds => 2;

        [Differentiable]
        public static float F(float x) => (x * s_scale) + (float)Offset + (Rounds > 1 ? x : 0f);
        """);

    [Fact]
    public void AD0013_Constant_argument_varies() => Expect("AD0013", """
        [Differentiable]
        public static float G(float x, [Constant] float c) => x * c;

        [Differentiable]
        public static float F(float x) => G(x, [|x * 2f|]);
        """);

    [Fact]
    public void AD0014_generic_method() => Expect("AD0014", """
        [Differentiable]
        public static float [|F|]<T>(float x) => x;
        """);

    [Fact]
    public void AD0015_only_constant_parameters() => Expect("AD0015", """
        [Differentiable]
        public static float [|F|]([Constant] float c) => c * c;
        """);

    [Fact]
    public void AD0016_two_roles() => Expect("AD0016", """
        [Differentiable]
        public static float F(float x, [NoDiff, Constant] float [|c|]) => x * c;
        """);

    [Fact]
    public void AD0017_differentiable_value_into_NoDiff_parameter() => Expect("AD0017", """
        [Differentiable]
        public static float G(float x, [NoDiff] float w) => x * w;

        [Differentiable]
        public static float F(float x, float y) => G(y, [|x + 1f|]);
        """);

    [Fact]
    public void AD0018_differentiable_scalar_in_a_row_method() => Expect("AD0018", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a, float [|margin|]) => AD.Sum(a, x => x is var y && y > 0f ? y : 0f) + margin; // a pattern that declares: the tape cannot take it either
        """, says: "the error beside this one says what stops that");

    // Where the tape takes the body, margin gets its gradient (TapedSpanTests.Margin and SummedFunctions check the values).
    [Fact]
    public void AD0018_is_lifted_where_the_tape_takes_the_body() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a, float margin) => AD.Sum(a) + AD.Sum(a, x => x * x * margin);
        """);

    [Fact]
    public void AD0019_slice_passed_to_a_reduction() => Expect("AD0019", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => AD.Sum([|a.Slice(1)|]) + AD.Sum(a, x => x is var y && y > 0f ? y : 0f); // a pattern that declares: the tape cannot take it either
        """);

    [Fact]
    public void AD0020_index_used_as_a_number() => Expect("AD0020", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a, int k) => a[k] * [|k|] + AD.Sum(a, x => x is var y && y > 0f ? y : 0f); // a pattern that declares: the tape cannot take it either
        """);

    // An int used as a number is the tape's to take: where the tape stops too, its reason is reported beside AD0020 (a
    // tuple local here), which alone would advise passing the int as a double and hide what stops both.
    [Fact]
    public void What_stops_the_tape_is_reported_beside_AD0020() => Expect("AD0011", """
        [Differentiable]
        public static double F(double x, int c)
        {
            double y = x * c;
            if (c == 2)
            {
                [|var|] t = (x, y);
                return t.Item1;
            }

            return y;
        }
        """, says: "declare locals of double");

    [Fact]
    public void A_span_captured_by_a_lambda_is_left_to_the_compiler() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => AD.Sum(a, x => x - AD.Max(a));
        """, compiles: false);

    [Fact]
    public void AD0011_block_lambda() => Expect("AD0011", """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => AD.Sum(a, [|x => { return x * x; }|]);
        """);

    // Writing an element of an array of ints was AD0011; it is kept on the int tape (TapedSpanTests.Permuted checks
    // such gradients). An index that reads the array it writes is not.
    [Fact]
    public void AD0011_an_int_array_indexed_by_itself_where_it_is_written() => Expect("AD0011", """
        [Differentiable]
        public static float F(float x, int n)
        {
            int[] order = { 2, 0, 1 };
            order[[|order[1]|]] = n;
            return x * order[0];
        }
        """, says: "compute the index into an int local first");

    [Fact]
    public void An_index_the_graph_cannot_hold_is_taped() => Expect(null, """
        [Differentiable]
        public static float F(ReadOnlySpan<float> a, [NoDiff] float w) => a[(int)w] * AD.Sum(a); // was AD0011 (index with an int parameter)
        """);

    // A call of a method over spans was AD0011; the taped gradient follows it (TapedSpanTests checks such gradients' values).
    [Fact]
    public void AD0011_is_no_longer_reported_for_a_call_of_a_row_method() => Expect(null, """
        [Differentiable]
        public static float G(ReadOnlySpan<float> a) => AD.Sum(a);

        [Differentiable]
        public static float F(ReadOnlySpan<float> a) => G(a) * 2f;
        """);

    [Fact]
    public void AD0007_int_parameter_without_a_span() => Expect("AD0007", """
        [Differentiable]
        public static float F(float x, [|int|] k) => MathF.Floor(x) + k; // Floor: the graph's, not the tape's
        """);

    [Fact]
    public void Every_descriptor_has_a_test_and_a_help_link()
    {
        var ids = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("AD", StringComparison.Ordinal))
            .Select(n => n[..6]).ToHashSet();
        for (int i = 1; i <= 17; i++)
        {
            var id = $"AD{i:0000}";
            Assert.Contains(id, ids);
            var descriptor = Diagnostics.DiagnosticDescriptors.Find(id);
            Assert.NotNull(descriptor);
            Assert.Contains(id.ToLowerInvariant(), descriptor!.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Signature_diagnostics_come_from_the_analyzer_alone_so_an_editor_shows_them_once_while_typing()
    {
        const string Source = "using AutoDiff;\n\npublic class K\n{\n    [Differentiable]\n    public float F(out float x) { x = 1f; return x * x; }\n}\n";
        var run = GeneratorHarness.Run(Source);

        Assert.Empty(run.Driver.GetRunResult().Diagnostics);
        Assert.Empty(run.Sources);
        var analyzer = GeneratorHarness.Analyze(run.Input);
        Assert.Equal(["AD0003", "AD0004", "AD0005"], analyzer.Select(d => d.Id).Order());
        Assert.All(analyzer, d => Assert.Same(run.Input.SyntaxTrees[0], d.Location.SourceTree));
    }

    private static void Expect(string? id, string members, bool isStatic = true, bool wrap = true, int expectedCount = 1, bool compiles = true, string? says = null)
    {
        var source = wrap
            ? "using System;\nusing AutoDiff;\n\npublic " + (isStatic ? "static " : string.Empty) + "partial class K\n{\n" + members + "\n}\n"
            : members;
        var (text, span) = Parse(source);
        var run = GeneratorHarness.Run(text);
        var ours = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("AD", StringComparison.Ordinal)).ToList();
        if (id is null)
        {
            Assert.Empty(ours);
            Assert.Equal(compiles, run.CompilationErrors.IsEmpty);
            return;
        }

        Assert.Equal(expectedCount, ours.Count(d => d.Id == id));
        Assert.DoesNotContain(ours, d => d.Id == "AD0000");
        var diagnostic = ours.First(d => d.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(message));
        if (says is not null)
        {
            Assert.Contains(says, message, StringComparison.Ordinal);
        }

        // No code is generated for a method with an error, so nothing cascades from it.
        Assert.DoesNotContain(run.CompilationErrors, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    private static (string Text, TextSpan Span) Parse(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        if (start < 0)
        {
            return (marked, default);
        }

        int end = marked.IndexOf("|]", start, StringComparison.Ordinal);
        var text = marked.Remove(end, 2).Remove(start, 2);
        return (text, TextSpan.FromBounds(start, end - 2));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// The emitted source, one baseline per language feature. Most pin the scalar <c>…Gradient</c> method,
/// where the differentiation and simplification show; two pin a whole file with every form.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = "using System;\nusing AutoDiff;\n\nnamespace Snapshots;\n\n";

    [Fact]
    public void Expression_body() => VerifyGradient(nameof(Expression_body), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) => 3f * x * x * y - x / y;
        }
        """);

    [Fact]
    public void Block_with_locals() => VerifyGradient(nameof(Block_with_locals), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y)
            {
                var sum = x + y;
                float product = x * y;
                return sum * product - product;
            }
        }
        """);

    [Fact]
    public void If_else_chain_with_returns() => VerifyGradient(nameof(If_else_chain_with_returns), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x)
            {
                if (x < -1f)
                    return -x;
                else if (x < 1f)
                    return x * x;
                else
                    return 2f * x - 1f;
            }
        }
        """);

    [Fact]
    public void Local_reassigned_in_branches_becomes_a_select() => VerifyGradient(nameof(Local_reassigned_in_branches_becomes_a_select), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y)
            {
                var a = x;
                if (y > 0f)
                    a = a * y;
                else
                    a = -a;
                return a * a;
            }
        }
        """);

    [Fact]
    public void Conditional_operator() => VerifyGradient(nameof(Conditional_operator), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) => x > y ? x * y : y;
        }
        """);

    [Fact]
    public void Patterns_and_a_switch_expression() => VerifyGradient(nameof(Patterns_and_a_switch_expression), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) => x is > 0f and < 1f or < -2f
                ? y * x
                : (x * y) switch { < -1f => -y, >= 1f and < 4f => x * x, _ => y };
        }
        """);

    [Fact]
    public void A_struct_local_with_a_ref_to_it() => VerifyGradient(nameof(A_struct_local_with_a_ref_to_it), """
        public struct Pair
        {
            public float A, B;
        }

        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y)
            {
                var p = new Pair { A = x * y };
                ref Pair r = ref p;
                r.B += x + y;
                return p.A * r.B;
            }
        }
        """);

    [Fact]
    public void Comparisons_and_logic() => VerifyGradient(nameof(Comparisons_and_logic), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y)
            {
                bool inside = x >= -1f && x <= 1f;
                return inside || !(y != 0f) ? x * y : x + y;
            }
        }
        """);

    [Fact]
    public void Math_functions() => VerifyGradient(nameof(Math_functions), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) =>
                MathF.Exp(x) + MathF.Log(y) + MathF.Log2(y) + MathF.Log10(y) + MathF.Sqrt(y) + MathF.Abs(x)
                + MathF.Tanh(x) + MathF.Sinh(x) + MathF.Cosh(x) + MathF.Sin(x) + MathF.Cos(x) + MathF.Pow(y, x)
                + MathF.Max(x, y) + MathF.Min(x, y) + Math.Clamp(x, -1f, 1f);
        }
        """);

    [Fact]
    public void Unrolled_loop() => VerifyGradient(nameof(Unrolled_loop), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float w, float x)
            {
                float h = 0f;
                for (int t = 0; t < 3; t++)
                {
                    h = MathF.Tanh(w * h + x * t);
                }

                return h;
            }
        }
        """);

    [Fact]
    public void Taped_loop_left_by_break_continue_and_return() => VerifyGradient(nameof(Taped_loop_left_by_break_continue_and_return), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, int n)
            {
                float s = 0f;
                for (int i = 0; i < n; i++)
                {
                    if (i % 2 == 0) { continue; }
                    s = s * x + 1f;
                    if (s > 8f) { break; }
                    if (s < 0f) { return s * s; }
                }

                return s;
            }
        }
        """);

    [Fact]
    public void Taped_Hessian_over_dual_numbers_through_a_call() => VerifyGradient(nameof(Taped_Hessian_over_dual_numbers_through_a_call), """
        public static partial class K
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                double s = 0.0;
                while (s < 4.0)
                {
                    s += G(x, s) * y + 0.5;
                }

                return s;
            }

            [Differentiable]
            public static double G(double u, double v) => u * v + Math.Exp(u);
        }
        """, "FHessian", "FGradientOverDuals");

    [Fact]
    public void Taped_call_of_a_method_over_spans() => VerifyGradient(nameof(Taped_call_of_a_method_over_spans), """
        public static partial class K
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> x, double w)
            {
                Span<double> scaled = stackalloc double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    scaled[i] = x[i] * w;
                }

                return Total(scaled, 2) + Total(x, x.Length) * w;
            }

            [Differentiable]
            public static double Total(ReadOnlySpan<double> a, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    s += a[i] * a[i];
                }

                return s;
            }
        }
        """, "FGradient", "FGradientOverDuals");

    [Fact]
    public void Switch_statement() => VerifyGradient(nameof(Switch_statement), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y, int choice)
            {
                float a = 0f;
                switch (choice)
                {
                    case 1:
                    case 2:
                        a = x * y;
                        break;
                    default:
                        a = MathF.Sin(x);
                        break;
                    case 3:
                        return y;
                }

                return a * x;
            }
        }
        """);

    [Fact]
    public void Taped_Jvp_and_Hessian_vector_product_over_a_span() => VerifyGradient(nameof(Taped_Jvp_and_Hessian_vector_product_over_a_span), """
        public static partial class K
        {
            [Differentiable]
            public static float F(ReadOnlySpan<float> x, float w)
            {
                float h = 0f;
                foreach (var v in x)
                {
                    h = MathF.Tanh(w * h + v);
                }

                return h * h;
            }
        }
        """, "FJvp", "FOverDuals", "FHessianVectorProduct", "FGradientOverDuals");

    [Fact]
    public void Array_parameter_taken_as_a_span() => VerifyGradient(nameof(Array_parameter_taken_as_a_span), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float[] a, float w)
            {
                float h = 0f;
                foreach (var v in a)
                {
                    h = MathF.Tanh(w * h + v);
                }

                return h;
            }
        }
        """);

    [Fact]
    public void Local_span_written_and_read_in_a_taped_loop() => VerifyGradient(nameof(Local_span_written_and_read_in_a_taped_loop), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, int n)
            {
                Span<float> h = stackalloc float[n + 1];
                h[0] = x;
                for (int i = 1; i <= n; i++)
                {
                    h[i] = MathF.Tanh(h[i - 1] * x);
                    h[i] += h[0];
                }

                return h[n];
            }
        }
        """);

    [Fact]
    public void Taped_loop_whose_reverse_takes_a_reductions_partials_from_the_tape() => VerifyGradient(nameof(Taped_loop_whose_reverse_takes_a_reductions_partials_from_the_tape), """
        public static partial class K
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> a, double w)
            {
                double s = 0.0;
                for (int i = 0; i < a.Length; i += 2)
                {
                    s = Math.Tanh((w * AD.Dot(a, a)) + s);
                }

                return s;
            }
        }
        """);

    [Fact]
    public void Arrays_made_in_a_loop_and_given_to_another_local() => VerifyGradient(nameof(Arrays_made_in_a_loop_and_given_to_another_local), """
        public static partial class K
        {
            [Differentiable]
            public static double F(ReadOnlySpan<double> a, double w)
            {
                var state = new double[a.Length];
                for (int t = 0; t < 2; t++)
                {
                    var next = new double[a.Length];
                    for (int i = 0; i < a.Length; i++)
                    {
                        next[i] = Math.Tanh((w * state[i]) + a[i]);
                    }

                    state = next;
                }

                return state[0];
            }
        }
        """);

    [Fact]
    public void Slice_passed_to_a_method_over_spans() => VerifyGradient(nameof(Slice_passed_to_a_method_over_spans), """
        public static partial class K
        {
            [Differentiable]
            public static double Squares(ReadOnlySpan<double> a)
            {
                double s = 0.0;
                foreach (var v in a)
                {
                    s += v * v;
                }

                return s;
            }

            [Differentiable]
            public static double F(ReadOnlySpan<double> x, int i) => Squares(x.Slice(i, 2)) + Squares(x[^2..]);
        }
        """);

    [Fact]
    public void Loop_whose_count_is_known_only_when_it_runs() => VerifyGradient(nameof(Loop_whose_count_is_known_only_when_it_runs), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float w, float x, [NoDiff] float n)
            {
                float h = 0f;
                for (int t = 0; t < n; t++)
                {
                    if (t % 2 == 0)
                    {
                        h = MathF.Tanh(w * h + x * t);
                    }
                }

                return h * h;
            }
        }
        """);

    [Fact]
    public void Loop_over_a_row() => VerifyGradient(nameof(Loop_over_a_row), """
        public static partial class K
        {
            [Differentiable]
            public static float F(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
            {
                float dot = 0f, squares = 0f;
                for (int i = 0; i < a.Length; i++)
                {
                    dot += a[i] * b[i];
                    squares = squares + a[i] * a[i];
                }

                return dot / MathF.Sqrt(squares + 1f);
            }
        }
        """, "FRow");

    [Fact]
    public void Runtime_helpers() => VerifyGradient(nameof(Runtime_helpers), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x) => AD.Sigmoid(x) + AD.Softplus(x) + AD.Log1P(x) + AD.ExpM1(x);
        }
        """);

    [Fact]
    public void Call_of_another_differentiable_method() => VerifyGradient(nameof(Call_of_another_differentiable_method), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) => Other.Swish(x * y) + Other.Swish(y);
        }

        public static partial class Other
        {
            [Differentiable]
            public static float Swish(float z) => z * AD.Sigmoid(z);
        }
        """);

    private const string SecondOrder = """
        public static partial class K
        {
            [Differentiable]
            public static double F(double x, double y, [Constant] double c) => Other.Mixed(x * y, c) + Math.Exp(x) * AD.Softplus(y);
        }

        public static partial class Other
        {
            [Differentiable]
            public static double Mixed(double a, double b) => a * a * b + Math.Sin(a * b);
        }
        """;

    [Fact]
    public void Forward_mode() => VerifyGradient(nameof(Forward_mode), SecondOrder, "FJvp");

    [Fact]
    public void Hessian_through_a_call_and_a_softplus() => VerifyGradient(nameof(Hessian_through_a_call_and_a_softplus), SecondOrder, "FHessian");

    [Fact]
    public void Every_form_of_a_method_with_a_custom_derivative() => VerifyFile(nameof(Every_form_of_a_method_with_a_custom_derivative), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, [Constant] float c) => Library.Gamma(x) * c;

            [DerivativeOf(nameof(F))]
            public static float FDerivative(float x, float c, out float dX)
            {
                dX = Library.Gamma(x) * Library.Digamma(x) * c;
                return F(x, c);
            }
        }

        public static class Library
        {
            public static float Gamma(float x) => x;

            public static float Digamma(float x) => 1f / x;
        }
        """);

    [Fact]
    public void Double_precision() => VerifyGradient(nameof(Double_precision), """
        public static partial class K
        {
            [Differentiable]
            public static double F(double x, double y) => Math.Log(1 + Math.Exp(x)) * y + 0.5 * y * y;
        }
        """);

    [Fact]
    public void Shared_subexpressions_are_computed_once()
    {
        var method = VerifyGradient(nameof(Shared_subexpressions_are_computed_once), """
            public static partial class K
            {
                [Differentiable]
                public static float F(float x) => MathF.Log(1f + MathF.Exp(x));
            }
            """);

        // e^x is computed once and shared by the value and the gradient, and so is 1 + e^x.
        Assert.Equal(1, Count(method, "MathF.Exp("));
        Assert.Equal(1, Count(method, "1f + "));
    }

    [Fact]
    public void Every_form_of_a_loss_with_NoDiff_and_Constant_parameters() => VerifyFile(nameof(Every_form_of_a_loss_with_NoDiff_and_Constant_parameters), """
        public static partial class Losses
        {
            [Differentiable]
            public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
            {
                var r = prediction - target;
                var a = MathF.Abs(r);
                if (a <= delta)
                    return 0.5f * r * r;
                return delta * (a - 0.5f * delta);
            }
        }
        """);

    [Fact]
    public void A_float_kernel_with_exp_or_log_gets_a_Vector512_loop()
    {
        // BCE with logits: its kernel has 512-bit steps too (lanes functions on Vector512<float>, with no
        // Vector<T> inside), which the runtime's loops run where 512-bit vectors are preferred and Vector<T> is
        // narrower, leaving the last elements to the Vector<T> steps. Huber (arithmetic only) and double kernels
        // have no 512-bit steps.
        var text = Generate("""
            public static partial class Losses
            {
                [Differentiable]
                public static float Logistic([NoDiff] float target, float logit) => AD.Softplus(logit) - target * logit;
            }
            """, out _);
        Snapshot.Verify(nameof(A_float_kernel_with_exp_or_log_gets_a_Vector512_loop), text);
        Assert.Contains("private ref struct LogisticKernel : global::AutoDiff.CompilerServices.IWideElementwiseKernel<float>", text, StringComparison.Ordinal);
        foreach (var loop in new[] { "ForwardWide(", "BackwardWide(", "SumWide(", "MeanWide(" })
        {
            Assert.Contains("global::AutoDiff.CompilerServices.Elementwise<float>." + loop, text, StringComparison.Ordinal);
        }

        var wideSteps = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.Text.EndsWith("512", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "Backward512", "Forward512", "Mean512" }, wideSteps.Select(m => m.Identifier.Text).Order(StringComparer.Ordinal));
        Assert.All(wideSteps, m => Assert.DoesNotContain("global::System.Numerics.Vector", m.ToString(), StringComparison.Ordinal));
        Assert.Contains("global::AutoDiff.AD.SoftplusGradient(logit, out var ", text, StringComparison.Ordinal);
        var huber = Generate("""
            public static partial class Losses
            {
                [Differentiable]
                public static float Huber([NoDiff] float target, float prediction) => MathF.Abs(prediction - target) <= 1f ? 0.5f * (prediction - target) * (prediction - target) : MathF.Abs(prediction - target) - 0.5f;
            }
            """, out _);
        Assert.DoesNotContain("Vector512", huber, StringComparison.Ordinal);
        var inDouble = Generate("""
            public static partial class Losses
            {
                [Differentiable]
                public static double Logistic([NoDiff] double target, double logit) => AD.Softplus(logit) - target * logit;
            }
            """, out _);
        Assert.DoesNotContain("Vector512", inDouble, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_and_backward_scale_once()
    {
        // The gradient of Huber with δ = 1 is select(|r| ≤ 1, r, sign r): the mean multiplies it by 1/N and the
        // backward kernel by the upstream gradient after the choice, not in each branch.
        var text = Generate("""
            public static partial class Losses
            {
                [Differentiable]
                public static float UnitHuber([NoDiff] float target, float prediction)
                {
                    var r = prediction - target;
                    var a = MathF.Abs(r);
                    return a <= 1f ? 0.5f * r * r : a - 0.5f;
                }
            }
            """, out _);
        Snapshot.Verify(nameof(Mean_and_backward_scale_once), text);
        Assert.Matches(@"var (\w+) = global::System\.Numerics\.Vector\.ConditionalSelect\(\w+, r, global::AutoDiff\.AD\.Sign\(r\)\);\s+lanes\.Store\(\1 \* scale, dPrediction\);", text);
        Assert.Matches(@"var (\w+) = global::System\.Numerics\.Vector\.LessThanOrEqual<float>\(a, global::System\.Numerics\.Vector<float>\.One\);\s+" +
            @"var (\w+) = global::System\.Numerics\.Vector\.ConditionalSelect\(\1, r, global::AutoDiff\.AD\.Sign\(r\)\);\s+lanes\.Store\(\2 \* upstreamV, dPrediction\);", text);

        // A power-of-two constant joins the seed once per loop (Prepare): MSE's mean gradient is r·(2/N), one
        // multiplication per element.
        var mse = Generate("""
            public static partial class Losses
            {
                [Differentiable]
                public static float Squared([NoDiff] float target, float prediction) => (prediction - target) * (prediction - target);
            }
            """, out _);
        var hoisted = System.Text.RegularExpressions.Regex.Match(mse, @"(\w+) = 2f \* scale;").Groups[1].Value;
        Assert.Matches(@"lanes\.Store\(\w+ \* " + hoisted + @", dPrediction\);", mse);
    }

    [Fact]
    public void Every_form_in_double_nested_types() => VerifyFile(nameof(Every_form_in_double_nested_types), """
        public static partial class Outer
        {
            internal partial struct Activations
            {
                [Differentiable]
                internal static double Softsign(double x) => x / (1 + Math.Abs(x));
            }
        }
        """);

    // Float code written before MathF: the double inside a cast back to float is taken as float by the graph (no tape),
    // so the method gets the graph's gradient and vectorized lanes.
    [Fact]
    public void Math_in_a_float_method_cast_back_to_float() => VerifyGradient(nameof(Math_in_a_float_method_cast_back_to_float), """
        public static partial class K
        {
            [Differentiable]
            public static float F(float x, float y) => (float)Math.Exp(x * 0.5) * y + (float)Math.Log(1.0 + (double)y * y);
        }
        """);

    [Fact]
    public void Every_form_of_a_double_method_taking_a_float() => VerifyFile(nameof(Every_form_of_a_double_method_taking_a_float), """
        public static partial class K
        {
            [Differentiable]
            public static double F(double x, float y, [Constant] float c) => Math.Pow(y, 2) * x + Math.Exp(c * x);
        }
        """);

    // A void method's own form: its vector-Jacobian product, the sweeps then the method for its results.
    [Fact]
    public void The_vector_Jacobian_product_of_a_void_method() => VerifyFile(nameof(The_vector_Jacobian_product_of_a_void_method), """
        public static partial class K
        {
            [Differentiable]
            public static void Step(Span<double> state, double dt, out double energy)
            {
                state[0] += dt * state[1];
                energy = state[0] * state[0];
            }
        }
        """);

    // A local function of one expression is lowered where it is called: the generated code is the math, no call.
    [Fact]
    public void A_local_function_inlined_by_the_graph() => VerifyFile(nameof(A_local_function_inlined_by_the_graph), """
        public static partial class K
        {
            [Differentiable]
            public static double F(double x, double y)
            {
                return Sq(x - y) + Sq(Math.Sin(x));

                static double Sq(double v) => v * v;
            }
        }
        """);

    // A rotation's second value reads x, which the first assigns: it is computed into a temporary first (yNew); the
    // step count makes the gradient taped, and FHessian is the taped gradient over dual numbers, once per scalar.
    [Fact]
    public void A_deconstruction_in_a_taped_loop() => VerifyFile(nameof(A_deconstruction_in_a_taped_loop), """
        public static partial class K
        {
            [Differentiable]
            public static double Rotate(double x, double y, double angle, int steps)
            {
                double c = Math.Cos(angle), s = Math.Sin(angle);
                for (int k = 0; k < steps; k++)
                {
                    (x, y) = ((c * x) - (s * y), (s * x) + (c * y));
                }

                return x + y;
            }
        }
        """);

    [Fact]
    public void Every_form_of_a_row_loss_with_a_log_sum_exp_and_an_index() => VerifyFile(nameof(Every_form_of_a_row_loss_with_a_log_sum_exp_and_an_index), """
        public static partial class Losses
        {
            [Differentiable]
            public static float CrossEntropy(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - logits[target];
        }
        """);

    [Fact]
    public void Reductions_of_one_pass_share_it()
    {
        // Dot(a, b), Norm(a) and Norm(b) read nothing computed before them: one pass computes all three.
        var text = Generate("""
            public static partial class K
            {
                [Differentiable]
                public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
                    AD.Dot(a, b) / (MathF.Max(AD.Norm(a), 1e-8f) * MathF.Max(AD.Norm(b), 1e-8f));
            }
            """, out _);
        Snapshot.Verify(nameof(Reductions_of_one_pass_share_it), text);
        var kernel = text.Substring(text.IndexOf("private static float CosineRow(", StringComparison.Ordinal));
        kernel = kernel.Substring(0, kernel.IndexOf("private static float CosineRowValue(", StringComparison.Ordinal));
        Assert.Equal(2, Count(kernel, " <= n - ")); // the forward pass, the gradient pass
    }

    [Fact]
    public void Two_independent_log1p_share_one_call_in_vector_code()
    {
        // MSLE's two log1p, of the prediction and of the target, computed in one call (one fast-path test; 1.44 →
        // 1.22 ns per element); a log1p of a log1p cannot join the one it reads; the scalar forms keep one call each.
        var text = Generate("""
            public static partial class K
            {
                [Differentiable]
                public static float F([NoDiff] float t, float p) => (AD.Log1P(p) - AD.Log1P(t)) * AD.Log1P(AD.Log1P(p));
            }
            """, out _);
        var vectorCode = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.ToString().Contains("Log1P(", StringComparison.Ordinal) && m.ParameterList.Parameters[0].Type!.ToString() != "float")
            .Select(m => m.ToString()).ToList();
        var lanes = vectorCode[0];
        Snapshot.Verify(nameof(Two_independent_log1p_share_one_call_in_vector_code), lanes.Replace("\r\n", "\n"));
        Assert.Equal(2, Count(lanes, "global::AutoDiff.AD.Log1P("));
        Assert.Equal(1, Count(lanes, "global::AutoDiff.AD.Log1P(p, t, out var "));
        // Every vector method (the value, gradient and Hessian lanes; the forward, backward and mean steps, at 512 bits
        // too) pairs the two.
        Assert.Equal(9, vectorCode.Count);
        Assert.All(vectorCode, code => Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"global::AutoDiff\.AD\.Log1P\(\w+, \w+, out var ")));
        var scalar = text.Substring(text.IndexOf("public static float FGradient(", StringComparison.Ordinal));
        scalar = scalar.Substring(0, scalar.IndexOf("/// <summary>", StringComparison.Ordinal));
        Assert.Equal(0, Count(scalar, "out var"));
    }

    [Fact]
    public void Of_200_methods_no_generated_line_of_code_is_longer_than_300_characters()
    {
        // A long operand gets a local (a select's condition at 512 bits), and a row's last, overlapping vector is
        // stored by one call (Lanes.StoreSelected): before both, 41 lines of the 200 methods were 301–328
        // characters. Doc comments are prose and may be longer; a method's own signature is the user's.
        string source = File.ReadAllText(Path.Combine(TestPaths.Project, "Sources", "TwoHundredMethods.cs"));
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.CompilationErrors);
        var tooLong = run.Sources.SelectMany(s => s.Value.Split('\n').Select(line => (File: s.Key, Line: line)))
            .Where(l => l.Line.Length > 300 && !l.Line.TrimStart().StartsWith("///", StringComparison.Ordinal) &&
                        !l.Line.TrimStart().StartsWith("public static", StringComparison.Ordinal) && !l.Line.TrimStart().StartsWith("private static", StringComparison.Ordinal))
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong.Take(3).Select(l => $"{l.File}: {l.Line.Length}: {l.Line.Trim()}")));
    }

    // The scalar forms named (FGradient where none is), in that order.
    private static string VerifyGradient(string name, string source, params string[] forms)
    {
        var text = Generate(source, out var hint);
        var methods = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToArray();
        var snippet = string.Concat((forms.Length > 0 ? forms : ["FGradient"]).Select(form => methods
            .First(m => m.Identifier.Text == form && !m.ParameterList.Parameters[0].Type!.ToString().Contains("Vector", StringComparison.Ordinal))
            .ToFullString().Replace("\r\n", "\n")));
        Snapshot.Verify(name, $"// {hint}\n{snippet}");
        return snippet;
    }

    private static void VerifyFile(string name, string source) => Snapshot.Verify(name, Generate(source, out _));

    private static string Generate(string source, out string hint)
    {
        var run = GeneratorHarness.Run(Usings + source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        var first = run.Sources.OrderBy(s => s.Key, StringComparer.Ordinal).First(s => !s.Key.Contains(".Other.", StringComparison.Ordinal));
        hint = first.Key;
        return first.Value;
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

using System.Collections.Generic;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Rules;

/// <summary>
/// The one table of derivatives, in the spirit of PyTorch's <c>derivatives.yaml</c> and JAX's
/// <c>defjvp</c>: for each primitive, the vector-Jacobian product for each argument, written with the
/// upstream gradient <c>g</c>, the arguments <c>x</c> and the node's own result <c>r</c> (so d eˣ = g·r
/// reuses the forward value). Adding a function means adding a row here, an <see cref="Op"/>, and its
/// emission. Kinks follow PyTorch: |x|′(0) = 0, max/min send the gradient to their first argument on a tie.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>A row: the contribution to each argument's adjoint, or −1 where none flows (a condition).</summary>
    public delegate int[] Rule(GraphBuilder b, Node n, int r, int g);

    private const double Ln2 = 0.69314718055994530942;
    private const double Ln10 = 2.30258509299404568402;
    private const double TwoOverSqrtPi = 1.12837916709551257390;

    private static readonly Dictionary<Op, Rule> Table = new()
    {
        [Op.Add] = (b, n, r, g) => new[] { g, g },
        [Op.Subtract] = (b, n, r, g) => new[] { g, b.Negate(g) },
        [Op.Multiply] = (b, n, r, g) => new[] { b.Multiply(g, n[1]), b.Multiply(g, n[0]) },
        [Op.Divide] = (b, n, r, g) => new[] { b.Divide(g, n[1]), b.Negate(b.Divide(b.Multiply(g, r), n[1])) },
        [Op.Negate] = (b, n, r, g) => new[] { b.Negate(g) },
        [Op.Exp] = (b, n, r, g) => new[] { b.Multiply(g, r) },
        [Op.Log] = (b, n, r, g) => new[] { b.Divide(g, n[0]) },
        [Op.Log2] = (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(Ln2), n[0])) },
        [Op.Log10] = (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(Ln10), n[0])) },
        [Op.Sqrt] = (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(2), r)) },
        [Op.Abs] = (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Sign, n[0])) },
        [Op.Tanh] = (b, n, r, g) => new[] { b.Multiply(g, b.Subtract(b.Constant(1), b.Multiply(r, r))) },
        [Op.Sinh] = (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Cosh, n[0])) },
        [Op.Cosh] = (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Sinh, n[0])) },
        [Op.Sin] = (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Cos, n[0])) },
        [Op.Cos] = (b, n, r, g) => new[] { b.Negate(b.Multiply(g, b.Function(Op.Sin, n[0]))) },
        [Op.Tan] = (b, n, r, g) => new[] { b.Multiply(g, b.Add(b.Constant(1), b.Multiply(r, r))) },   // 1 + tan²x
        [Op.Asin] = (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0])))) },
        [Op.Acos] = (b, n, r, g) => new[] { b.Negate(b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0]))))) },
        [Op.Atan] = (b, n, r, g) => new[] { b.Divide(g, b.Add(b.Constant(1), b.Multiply(n[0], n[0]))) },
        [Op.Asinh] = (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Add(b.Multiply(n[0], n[0]), b.Constant(1)))) },
        [Op.Acosh] = (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Multiply(n[0], n[0]), b.Constant(1)))) },
        [Op.Atanh] = (b, n, r, g) => new[] { b.Divide(g, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0]))) },
        [Op.Cbrt] = (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(3), b.Multiply(r, r))) },   // 1/(3·∛x²)
        [Op.Exp2] = (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Constant(Ln2))) },
        [Op.Exp10] = (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Constant(Ln10))) },
        // hypot(x, y) = √(x² + y²): ∂x = x/hypot, ∂y = y/hypot; at the origin 0/0 = NaN, as PyTorch's hypot.
        [Op.Hypot] = (b, n, r, g) =>
        {
            var scaled = b.Divide(g, r);
            return new[] { b.Multiply(scaled, n[0]), b.Multiply(scaled, n[1]) };
        },
        // x % y = x − y·trunc(x/y) and IEEERemainder(x, y) = x − y·round(x/y): ∂x = 1, ∂y = −trunc(x/y) (resp.
        // −round(x/y)) between the jumps (PyTorch's fmod and remainder take the same, with floor for remainder).
        [Op.Remainder] = (b, n, r, g) => new[] { g, b.Negate(b.Multiply(g, b.Function(Op.Truncate, b.Divide(n[0], n[1])))) },
        [Op.IeeeRemainder] = (b, n, r, g) => new[] { g, b.Negate(b.Multiply(g, b.Function(Op.Round, b.Divide(n[0], n[1])))) },
        // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²); at the origin both are 0/0 = NaN, as in PyTorch.
        [Op.Atan2] = (b, n, r, g) =>
        {
            var scaled = b.Divide(g, b.Add(b.Multiply(n[0], n[0]), b.Multiply(n[1], n[1])));
            return new[] { b.Multiply(scaled, n[1]), b.Negate(b.Multiply(scaled, n[0])) };
        },
        [Op.Pow] = (b, n, r, g) => new[]
        {
            // d/da aᵇ = b·aᵇ⁻¹, and 0 where b = 0 (aᵇ = 1 for every a: at a = 0 the formula would give 0·∞ = NaN;
            // PyTorch, clad and Enzyme give 0)
            b.Select(
                b.Compare(Op.Equal, n[1], b.Constant(0)),
                b.Constant(0),
                b.Multiply(g, b.Multiply(n[1], b.Function(Op.Pow, n[0], b.Subtract(n[1], b.Constant(1)))))),
            // d/db aᵇ = aᵇ·ln a, taken as 0 where a = 0 and b ≥ 0 (PyTorch's convention)
            b.IsActive(n[1])
                ? b.Select(
                    b.And(b.Compare(Op.Equal, n[0], b.Constant(0)), b.Compare(Op.GreaterThanOrEqual, n[1], b.Constant(0))),
                    b.Constant(0),
                    b.Multiply(g, b.Multiply(r, b.Function(Op.Log, n[0]))))
                : -1,
        },
        [Op.Max] = (b, n, r, g) => Route(b, b.Compare(Op.GreaterThanOrEqual, n[0], n[1]), g),
        [Op.Min] = (b, n, r, g) => Route(b, b.Compare(Op.LessThanOrEqual, n[0], n[1]), g),
        [Op.Sigmoid] = (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Subtract(b.Constant(1), r))) },
        [Op.Softplus] = (b, n, r, g) => new[] { b.Multiply(g, b.SoftplusSlope(r)) },   // σ(x), sharing softplus's e^−|x|
        [Op.Log1P] = (b, n, r, g) => new[] { b.Divide(g, b.Add(b.Constant(1), n[0])) },
        [Op.ExpM1] = (b, n, r, g) => new[] { b.Multiply(g, b.Add(r, b.Constant(1))) },
        [Op.Erf] = (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Constant(TwoOverSqrtPi), b.Function(Op.Exp, b.Negate(b.Multiply(n[0], n[0]))))) },
        // copysign(x, y) = |x|·sgn(y): d/dx = sign(x)·sgn(y) (0 at x = 0), and y only chooses the sign, so it gets
        // nothing (PyTorch's copysign: zero gradient for `other`).
        [Op.CopySign] = (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Function(Op.Sign, n[0]), b.Function(Op.CopySign, b.Constant(1), n[1]))), -1 },
        [Op.FusedMultiplyAdd] = (b, n, r, g) => new[] { b.Multiply(g, n[1]), b.Multiply(g, n[0]), g },
        [Op.Select] = (b, n, r, g) => new[] { -1, b.Select(n[0], g, b.Constant(0)), b.Select(n[0], b.Constant(0), g) },
        [Op.Call] = CallRule,
        // s = σ(x) read off the softplus node p = softplus(x) as 1 − e⁻ᵖ: ds/dp = e⁻ᵖ = 1 − s. Only second
        // derivatives (the Hessian form) differentiate a gradient, where this node lives.
        [Op.SoftplusSlope] = (b, n, r, g) => new[] { b.Multiply(g, b.Subtract(b.Constant(1), r)) },

        // Rows. The body of a reduction is element-level: g reaches every element.
        [Op.Sum] = (b, n, r, g) => new[] { g },

        // torch.max over a whole tensor shares the gradient evenly among the elements that tie for the maximum.
        [Op.MaxOf] = (b, n, r, g) =>
        {
            var isMax = b.Compare(Op.Equal, n[0], r);
            var ties = b.Sum(b.Select(isMax, b.Constant(1), b.Constant(0)));
            return new[] { b.Select(isMax, b.Divide(g, ties), b.Constant(0)) };
        },

        // a[k]: the index gets nothing; the reverse pass scatters g into dA[k] (KernelModel.Scatters).
        [Op.At] = (b, n, r, g) => new[] { -1 },
        [Op.NoGradient] = (b, n, r, g) => new[] { -1 },
    };

    /// <summary>The adjoint contributions of node <paramref name="r"/> to its arguments, given its adjoint <paramref name="g"/>.</summary>
    public static int[] Backward(GraphBuilder builder, int r, int g)
    {
        var node = builder[r];
        if (!Table.TryGetValue(node.Op, out var rule))
        {
            // Piecewise-constant functions and booleans carry no gradient; the parser rejects a
            // piecewise-constant function of a differentiable value before it gets here.
            var none = new int[node.Arity];
            for (int i = 0; i < none.Length; i++)
            {
                none[i] = -1;
            }

            return none;
        }

        return rule(builder, node, r, g);
    }

    // Sends g to the first argument where the condition holds, else to the second.
    private static int[] Route(GraphBuilder b, int firstWins, int g)
    {
        var zero = b.Constant(0);
        return new[] { b.Select(firstWins, g, zero), b.Select(firstWins, zero, g) };
    }

    // The chain rule through another [Differentiable] method: g times the partial its generated
    // gradient returns for each differentiable parameter.
    private static int[] CallRule(GraphBuilder b, Node n, int r, int g)
    {
        var callee = b.Callees[n.Index];
        var result = new int[n.Arity];
        int k = 0;
        for (int i = 0; i < n.Arity; i++)
        {
            result[i] = callee.Parameters[i].Role == ParameterRole.Differentiable
                ? b.Multiply(g, b.CallPartial(r, k++))
                : -1;
        }

        return result;
    }

    /// <summary>The primitives that have a row.</summary>
    internal static IEnumerable<Op> Rows => Table.Keys;
}

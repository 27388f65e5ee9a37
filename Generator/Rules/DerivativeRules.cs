using System.Collections.Generic;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Rules;

/// <summary>
/// The one table of derivatives, in the spirit of PyTorch's <c>derivatives.yaml</c> and JAX's
/// <c>defjvp</c>: for each primitive, the vector-Jacobian product for each argument, written with the
/// upstream gradient <c>g</c>, the arguments <c>x</c> and the node's own result <c>r</c> (so d eˣ = g·r
/// reuses the forward value). A function's row is in <see cref="Functions"/>, with its names, spellings and cost;
/// the graph's own primitives (arithmetic, choices, calls, row reductions) have theirs here. Kinks follow PyTorch:
/// |x|′(0) = 0, max/min send the gradient to their first argument on a tie.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>A row: the contribution to each argument's adjoint, or −1 where none flows (a condition).</summary>
    public delegate int[] Rule(GraphBuilder b, Node n, int r, int g);

    // The graph's own primitives here; the functions' rows are in Functions (with their names and spellings).
    private static readonly Dictionary<Op, Rule> Table = new()
    {
        [Op.Add] = (b, n, r, g) => new[] { g, g },
        [Op.Subtract] = (b, n, r, g) => new[] { g, b.Negate(g) },
        [Op.Multiply] = (b, n, r, g) => new[] { b.Multiply(g, n[1]), b.Multiply(g, n[0]) },
        [Op.Divide] = (b, n, r, g) => new[] { b.Divide(g, n[1]), b.Negate(b.Divide(b.Multiply(g, r), n[1])) },
        [Op.Negate] = (b, n, r, g) => new[] { b.Negate(g) },
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

    static DerivativeRules()
    {
        foreach (var function in Functions.All)
        {
            if (function.Rule is not null)
            {
                Table.Add(function.Op, function.Rule);
            }
        }
    }

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

using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Rules;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    /// <summary>Reverse mode over the DAG: one short loop over the nodes in reverse topological order.</summary>
    internal static class Differentiator
    {
        public static KernelModel Differentiate(MethodModel method)
        {
            var builder = new GraphBuilder(method);
            if (method.IsRow)
            {
                // One reverse pass, seeded by a scale: 1 for a row's gradient, 1/rows for a batch mean,
                // the upstream gradient of the row for a backward kernel.
                var scatters = new List<Scatter>();
                var rowGradient = Reverse(builder, method, builder.Seed(SeedKind.Uniform), scatters);
                var none = EquatableArray<int>.Empty;
                return new KernelModel(method, builder.ToGraph(), none, rowGradient, none, scatters.ToEquatableArray());
            }

            var gradient = Reverse(builder, method, builder.Constant(1), null);
            var scale = builder.Seed(SeedKind.Uniform);
            var seeded = Reverse(builder, method, scale, null);
            var upstream = builder.Seed(SeedKind.Varying);
            var backward = Reverse(builder, method, upstream, null);
            var scaled = Cheaper(builder, new[] { method.Output }, gradient, seeded, scale);
            var vectorJacobian = Cheaper(builder, Array.Empty<int>(), gradient, backward, upstream);
            return new KernelModel(method, builder.ToGraph(), gradient, scaled, vectorJacobian);
        }

        /// <summary>
        /// The gradient of each parameter times a seed (the mean's 1/N, a backward kernel's upstream gradient):
        /// the reverse pass seeded with it, or the gradient times it, whichever leaves the loop fewer operations
        /// per element besides those of <paramref name="alsoComputed"/> (ties keep the seeded one). Seeding folds
        /// the seed into a constant factor (MSE: (2/N)·r, one multiplication); multiplying afterwards scales a
        /// choice once instead of in each branch (Huber with δ = 1: select(|r| ≤ 1, r, sign r)·(1/N), one
        /// multiplication instead of two). Both are the same value up to the rounding of a product.
        /// </summary>
        private static EquatableArray<int> Cheaper(GraphBuilder builder, int[] alsoComputed, EquatableArray<int> gradient, EquatableArray<int> seeded, int seed)
        {
            var roots = new List<int>(alsoComputed);
            var chosen = new int[gradient.Count];
            for (int k = 0; k < chosen.Length; k++)
            {
                int product = builder.Multiply(gradient[k], seed);
                int seededCost = builder.PerElementCost(roots.Append(seeded[k]));
                int productCost = builder.PerElementCost(roots.Append(product));
                chosen[k] = productCost < seededCost ? product : seeded[k];
                roots.Add(chosen[k]);
            }

            return chosen.ToEquatableArray();
        }

        /// <summary>
        /// The gradient node of each differentiable parameter, for the output's adjoint <paramref name="seed"/>.
        /// In a row method, a span's gradient is element-level (the adjoint of its Element), and every
        /// <c>a[k]</c> read adds a scatter.
        /// </summary>
        private static EquatableArray<int> Reverse(GraphBuilder builder, MethodModel method, int seed, List<Scatter>? scatters)
        {
            // An element-level node's contribution to a row-level argument (a margin, a[k], a max captured
            // in an AD.Sum lambda) is summed over the row: kept apart, and reduced once when the argument is reached.
            var adjoints = new Dictionary<int, int> { [method.Output] = seed };
            var perElement = new Dictionary<int, int>();
            for (int id = method.Output; id >= 0; id--)
            {
                if (perElement.TryGetValue(id, out var elementwise))
                {
                    var reduced = builder.Sum(elementwise);
                    adjoints[id] = adjoints.TryGetValue(id, out var rowwise) ? builder.Add(rowwise, reduced) : reduced;
                }

                if (!builder.IsActive(id) || !adjoints.TryGetValue(id, out var g))
                {
                    continue;
                }

                var node = builder[id];
                if (node.Op == Op.At && scatters is not null)
                {
                    scatters.Add(new Scatter(node.Index, node[0], g));
                    continue;
                }

                var contributions = DerivativeRules.Backward(builder, id, g);
                bool crossing = builder.IsVarying(id) && method.IsRow;
                for (int i = 0; i < contributions.Length; i++)
                {
                    int arg = node[i];
                    if (contributions[i] < 0 || !builder.IsActive(arg))
                    {
                        continue;
                    }

                    var target = crossing && !builder.IsVarying(arg) ? perElement : adjoints;
                    target[arg] = target.TryGetValue(arg, out var sum) ? builder.Add(sum, contributions[i]) : contributions[i];
                }
            }

            var gradients = new List<int>();
            for (int p = 0; p < method.Parameters.Count; p++)
            {
                if (method.Parameters[p].Role == ParameterRole.Differentiable)
                {
                    int leaf = method.Parameters[p].Shape == ParameterShape.Span ? builder.Element(p) : builder.Parameter(p);
                    gradients.Add(adjoints.TryGetValue(leaf, out var adjoint) ? adjoint : builder.Constant(0));
                }
            }

            return gradients.ToEquatableArray();
        }
    }
}

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
        public static KernelModel Differentiate(MethodModel method) => Differentiate(method, secondOrder: true);

        // secondOrder: also the Hessian-vector product of a row method (not of that product itself).
        private static KernelModel Differentiate(MethodModel method, bool secondOrder)
        {
            // A method over spans whose gradient is taped has that gradient alone, a void method its FVjp: nothing to differentiate here.
            if ((method.IsRow || method.IsVoid) && method.TapeGradient.Count > 0)
            {
                return new KernelModel(method, method.Graph, EquatableArray<int>.Empty, EquatableArray<int>.Empty, EquatableArray<int>.Empty);
            }

            var builder = new GraphBuilder(method);
            if (method.IsRow)
            {
                // One reverse pass, seeded by a scale: 1 for a row's gradient, 1/rows for a batch mean,
                // the upstream gradient of the row for a backward kernel.
                var scatters = new List<Scatter>();
                var rowGradient = Reverse(builder, method, builder.Seed(SeedKind.Uniform), scatters);
                var none = EquatableArray<int>.Empty;
                var hessianVector = secondOrder && method.HasJvp ? Differentiate(DirectionalDerivative(method), secondOrder: false) : null;
                return new KernelModel(method, builder.ToGraph(), none, rowGradient, none, scatters.ToEquatableArray(), HessianVector: hessianVector);
            }

            var gradient = Reverse(builder, method, builder.Constant(1), null);
            var scale = builder.Seed(SeedKind.Uniform);
            var seeded = Reverse(builder, method, scale, null);
            var upstream = builder.Seed(SeedKind.Varying);
            var backward = Reverse(builder, method, upstream, null);
            var scaled = Cheaper(builder, new[] { method.Output }, gradient, seeded, scale);
            var vectorJacobian = Cheaper(builder, Array.Empty<int>(), gradient, backward, upstream);
            var tangent = Jvp(builder, method);
            // A taped gradient's Hessian runs that gradient over dual numbers (the emitter writes it), a supplied one is
            // called: none from the graph.
            var hessian = method.HasHessian && method.TapeGradient.Count == 0 && method.SuppliedHessian is null
                ? Hessian(builder, method, gradient)
                : EquatableArray<int>.Empty;
            var columns = EquatableArray<int>.Empty;
            if (hessian.Count > 0 && Extra(builder, hessian, gradient.Append(method.Output)) > HessianInlineLimit)
            {
                // Written out, the Hessian would be k copies of the gradient's work (a long unrolled loop): instead one
                // forward pass over the gradient along a direction given at run time, called once per column.
                var alongDirection = Forward(builder, gradient, node => node.Op == Op.Parameter ? builder.Tangent(node.Index) : -1);
                columns = gradient.Select(g => alongDirection.TryGetValue(g, out var entry) ? entry : builder.Constant(0)).ToEquatableArray();
                hessian = EquatableArray<int>.Empty;
            }

            return new KernelModel(method, builder.ToGraph(), gradient, scaled, vectorJacobian, Scatters: default, tangent, hessian, HessianColumns: columns);
        }

        /// <summary>
        /// For a method over spans F(x, …), the row method D(x, …, vX, …) = Σⱼ ∂F/∂x[j]·vX[j] (forward mode, each
        /// differentiable span's direction a [NoDiff] span beside it). Its row gradient is ∇²F·v: reverse over forward,
        /// the cost of a few gradients, never the Hessian itself. D's value is F's Jvp. Through a call D reads the
        /// callee's partials, and its gradient their derivatives, the callee's Hessian.
        /// </summary>
        private static MethodModel DirectionalDerivative(MethodModel method)
        {
            var scope = new Emit.NameScope(method.Parameters.Select(p => p.Name));
            var parameters = method.Parameters.ToList();
            var direction = new Dictionary<int, int>();
            for (int p = 0; p < method.Parameters.Count; p++)
            {
                if (method.Parameters[p].Role == ParameterRole.Differentiable && method.Parameters[p].Shape == ParameterShape.Span)
                {
                    direction[p] = parameters.Count;
                    parameters.Add(new ParameterModel(scope.Fresh("v" + Emit.NameScope.Pascal(method.Parameters[p].Name)), ParameterRole.NoDiff, ParameterShape.Span));
                }
            }

            var builder = new GraphBuilder(parameters, method.Callees.ToArray());
            for (int i = 0; i < method.Graph.Count; i++)
            {
                builder.Replay(method.Graph[i], method.Names[i]);
            }

            var tangents = Forward(builder, new[] { method.Output }, node => node.Op switch
            {
                Op.Element => builder.Element(direction[node.Index]),
                Op.At => builder.At(direction[node.Index], node[0]),
                _ => -1,
            });
            int output = tangents.TryGetValue(method.Output, out var t) ? t : builder.Constant(0);
            return method with
            {
                Name = method.Name + "HessianVectorProduct", // its private row kernels are named after it
                Parameters = parameters.ToEquatableArray(),
                Graph = builder.ToGraph(),
                Names = builder.ToNames(),
                Output = output,
            };
        }

        /// <summary>Σ ∂F/∂xᵢ·tXᵢ: one forward pass over F's nodes, each differentiable parameter's tangent a leaf.</summary>
        private static int Jvp(GraphBuilder builder, MethodModel method)
        {
            var tangents = Forward(builder, new[] { method.Output }, node => node.Op == Op.Parameter ? builder.Tangent(node.Index) : -1);
            return tangents.TryGetValue(method.Output, out var t) ? t : builder.Constant(0);
        }

        /// <summary>
        /// Forward over reverse: the tangent of every gradient node along each parameter in turn is a column of the
        /// Hessian; only the upper triangle is kept, so the form writes a symmetric matrix by construction.
        /// </summary>
        private static EquatableArray<int> Hessian(GraphBuilder builder, MethodModel method, EquatableArray<int> gradient)
        {
            var differentiable = new List<int>();
            for (int p = 0; p < method.Parameters.Count; p++)
            {
                if (method.Parameters[p].Role == ParameterRole.Differentiable)
                {
                    differentiable.Add(p);
                }
            }

            int k = differentiable.Count;
            var columns = new Dictionary<int, int>[k];
            for (int j = 0; j < k; j++)
            {
                int along = differentiable[j];
                columns[j] = Forward(builder, gradient, node => node.Op == Op.Parameter && node.Index == along ? builder.Constant(1) : -1);
            }

            var upper = new List<int>();
            for (int i = 0; i < k; i++)
            {
                for (int j = i; j < k; j++)
                {
                    upper.Add(columns[j].TryGetValue(gradient[i], out var entry) ? entry : builder.Constant(0));
                }
            }

            return upper.ToEquatableArray();
        }

        /// <summary>The most nodes the written-out Hessian may add to what the gradient computes; beyond, it goes by columns.</summary>
        internal const int HessianInlineLimit = 1500;

        // The nodes `outputs` read that `shared` does not.
        private static int Extra(GraphBuilder builder, IEnumerable<int> outputs, IEnumerable<int> shared)
        {
            var already = new HashSet<int>(Reachable(builder, shared));
            return Reachable(builder, outputs).Count(id => !already.Contains(id));
        }

        /// <summary>
        /// Forward mode over the nodes <paramref name="roots"/> read: the tangent of each node that has one (a node
        /// without is constant along the direction), given each leaf's (a parameter, a span's element or a[k]; −1 for
        /// none) by <paramref name="leafTangent"/>. A primitive's
        /// tangent is its reverse rule fed each argument's tangent as the adjoint — the rule is linear in it — so the
        /// one table of derivatives serves both modes. Through a call, the callee's generated gradient and Hessian.
        /// </summary>
        private static Dictionary<int, int> Forward(GraphBuilder builder, IEnumerable<int> roots, Func<Node, int> leafTangent)
        {
            var tangents = new Dictionary<int, int>();
            foreach (int id in Reachable(builder, roots))
            {
                var node = builder[id];
                int tangent = -1;
                switch (node.Op)
                {
                    case Op.Parameter or Op.Element or Op.At:
                        tangent = builder.IsActive(id) ? leafTangent(node) : -1;
                        break;
                    case Op.Sum when TangentOf(node[0]) is var body && body >= 0:
                        tangent = builder.Sum(body);
                        break;
                    case Op.MaxOf when TangentOf(node[0]) is var body && body >= 0:
                        // The tangent of a maximum is its arg-max element's, shared evenly among ties (the reverse rule's split).
                        var isMax = builder.Compare(Op.Equal, node[0], id);
                        var ties = builder.Sum(builder.Select(isMax, builder.Constant(1), builder.Constant(0)));
                        tangent = builder.Divide(builder.Sum(builder.Select(isMax, body, builder.Constant(0))), ties);
                        break;
                    case Op.Sum or Op.MaxOf:
                        break;
                    case Op.Select:
                        int whenTrue = TangentOf(node[1]), whenFalse = TangentOf(node[2]);
                        if (whenTrue >= 0 || whenFalse >= 0)
                        {
                            tangent = builder.Select(node[0], OrZero(whenTrue), OrZero(whenFalse));
                        }

                        break;
                    case Op.CallPartial:
                        // ∂(∂callee/∂xₖ) = Σₘ ∂²callee/∂xₖ∂xₘ · t(argₘ), from the callee's generated Hessian.
                        var call = builder[node[0]];
                        var callee = builder.Callees[call.Index];
                        int count = callee.Parameters.Count(p => p.Role == ParameterRole.Differentiable);
                        for (int i = 0, m = 0; i < call.Arity; i++)
                        {
                            if (callee.Parameters[i].Role != ParameterRole.Differentiable)
                            {
                                continue;
                            }

                            if (TangentOf(call[i]) is var t && t >= 0)
                            {
                                tangent = Plus(tangent, builder.Multiply(builder.CallSecond(node[0], node.Index, m, count), t));
                            }

                            m++;
                        }

                        break;
                    default:
                        for (int i = 0; i < node.Arity; i++)
                        {
                            if (TangentOf(node[i]) is var t && t >= 0 && DerivativeRules.Backward(builder, id, t)[i] is var contribution && contribution >= 0)
                            {
                                tangent = Plus(tangent, contribution);
                            }
                        }

                        break;
                }

                if (tangent >= 0)
                {
                    tangents[id] = tangent;
                }
            }

            return tangents;

            int TangentOf(int id) => tangents.TryGetValue(id, out var t) ? t : -1;
            int OrZero(int t) => t >= 0 ? t : builder.Constant(0);
            int Plus(int sum, int term) => sum < 0 ? term : builder.Add(sum, term);
        }

        /// <summary>The nodes <paramref name="roots"/> read, themselves included, in topological (id) order.</summary>
        private static IEnumerable<int> Reachable(GraphBuilder builder, IEnumerable<int> roots)
        {
            var seen = new HashSet<int>();
            var stack = new Stack<int>(roots);
            while (stack.Count > 0)
            {
                int id = stack.Pop();
                if (seen.Add(id))
                {
                    foreach (var arg in builder[id].Args)
                    {
                        stack.Push(arg);
                    }
                }
            }

            return seen.OrderBy(id => id);
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

                bool crossing = builder.IsVarying(id) && method.IsRow;
                if (node.Op == Op.CallPartial)
                {
                    // A callee's partial ∂G/∂xₖ (read by a directional derivative, whose gradient this is) passes
                    // g·∂²G/∂xₖ∂xₘ to the call's m-th differentiable argument: the callee's Hessian.
                    var call = builder[node[0]];
                    var callee = builder.Callees[call.Index];
                    int count = callee.Parameters.Count(p => p.Role == ParameterRole.Differentiable);
                    for (int i = 0, m = 0; i < call.Arity; i++)
                    {
                        if (callee.Parameters[i].Role == ParameterRole.Differentiable)
                        {
                            Add(call[i], builder.Multiply(g, builder.CallSecond(node[0], node.Index, m++, count)));
                        }
                    }

                    continue;
                }

                var contributions = DerivativeRules.Backward(builder, id, g);
                for (int i = 0; i < contributions.Length; i++)
                {
                    if (contributions[i] >= 0)
                    {
                        Add(node[i], contributions[i]);
                    }
                }

                void Add(int arg, int contribution)
                {
                    if (builder.IsActive(arg))
                    {
                        var target = crossing && !builder.IsVarying(arg) ? perElement : adjoints;
                        target[arg] = target.TryGetValue(arg, out var sum) ? builder.Add(sum, contribution) : contribution;
                    }
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

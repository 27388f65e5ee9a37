using System.Collections.Generic;
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
            var gradient = Reverse(builder, method, builder.Constant(1));
            var scaled = Reverse(builder, method, builder.Seed(SeedKind.Uniform));
            var backward = Reverse(builder, method, builder.Seed(SeedKind.Varying));
            return new KernelModel(method, builder.ToGraph(), gradient, scaled, backward);
        }

        /// <summary>The gradient node of each differentiable parameter, for the output's adjoint <paramref name="seed"/>.</summary>
        private static EquatableArray<int> Reverse(GraphBuilder builder, MethodModel method, int seed)
        {
            var adjoints = new Dictionary<int, int> { [method.Output] = seed };
            for (int id = method.Output; id >= 0; id--)
            {
                if (!builder.IsActive(id) || !adjoints.TryGetValue(id, out var g))
                {
                    continue;
                }

                var node = builder[id];
                var contributions = DerivativeRules.Backward(builder, id, g);
                for (int i = 0; i < contributions.Length; i++)
                {
                    int arg = node[i];
                    if (contributions[i] < 0 || !builder.IsActive(arg))
                    {
                        continue;
                    }

                    adjoints[arg] = adjoints.TryGetValue(arg, out var sum) ? builder.Add(sum, contributions[i]) : contributions[i];
                }
            }

            var gradients = new List<int>();
            for (int p = 0; p < method.Parameters.Count; p++)
            {
                if (method.Parameters[p].Role == ParameterRole.Differentiable)
                {
                    int parameter = builder.Parameter(p);
                    gradients.Add(adjoints.TryGetValue(parameter, out var adjoint) ? adjoint : builder.Constant(0));
                }
            }

            return gradients.ToEquatableArray();
        }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Rules;

/// <summary>
/// AutoDiff.AD's reductions over a row, as compositions of the graph's primitives (a sum or maximum over the
/// elements, and the functions of <see cref="Functions"/>): their derivatives follow from those primitives' rules.
/// </summary>
internal static class Reductions
{
    /// <summary>The names of AD's reductions over spans.</summary>
    public static readonly ImmutableHashSet<string> Names =
        ImmutableHashSet.Create("Sum", "Mean", "LogSumExp", "Max", "Min", "Dot", "Norm", "SquaredDistance");

    /// <summary>
    /// AD.<paramref name="name"/> of the spans whose elements are <paramref name="elements"/> (element-level nodes);
    /// −1 where AD has no such reduction of that many spans. AD.Sum with a lambda is the parser's (it lowers the
    /// lambda's body).
    /// </summary>
    /// <param name="graph">Where the nodes go.</param>
    /// <param name="name">The reduction: Sum, Mean, LogSumExp, Max, Min, Dot, Norm, SquaredDistance.</param>
    /// <param name="elements">One element node per span argument, at least one.</param>
    public static int Lower(GraphBuilder graph, string name, IReadOnlyList<int> elements)
    {
        int x = elements[0];
        switch (name)
        {
            case "Sum":
                return graph.Sum(x);
            case "Mean":
                return graph.Divide(graph.Sum(x), graph.Length());
            case "Max":
                return graph.MaxOf(x);
            case "Min":
                // −max(−a): the same value bit for bit (negation is exact), its gradient shared by the ties as max's.
                return graph.Negate(graph.MaxOf(graph.Negate(x)));
            case "LogSumExp":
                // m + log Σ exp(x − m), m = max x (0 where infinite, as torch.logsumexp); no gradient flows through m.
                int max = graph.MaxOf(x);
                int infinite = graph.Compare(Op.Equal, graph.Function(Op.Abs, max), graph.Constant(double.PositiveInfinity));
                int shift = graph.NoGradient(graph.Select(infinite, graph.Constant(0), max));
                graph.Name(shift, "shift");
                int sum = graph.Sum(graph.Function(Op.Exp, graph.Subtract(x, shift)));
                return graph.Add(graph.Function(Op.Log, sum), shift);
            case "Dot" when elements.Count == 2:
                return graph.Sum(graph.Multiply(x, elements[1]));
            case "Norm":
                return graph.Function(Op.Sqrt, graph.Sum(graph.Multiply(x, x)));
            case "SquaredDistance" when elements.Count == 2:
                int difference = graph.Subtract(x, elements[1]);
                return graph.Sum(graph.Multiply(difference, difference));
            default:
                return -1;
        }
    }
}

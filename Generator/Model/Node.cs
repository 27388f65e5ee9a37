using System;

namespace AutoDiff.Generator.Model;

/// <summary>
/// One node of the expression DAG: an operation on earlier nodes (<see cref="Args"/> are indices into
/// the graph, always smaller than the node's own index, so the graph is in topological order).
/// </summary>
/// <remarks>Structurally equatable: hash-consing on it gives common-subexpression elimination for free.</remarks>
internal sealed record Node(Op Op, EquatableArray<int> Args, double Value = 0, int Index = 0)
{
    public int Arity => Args.Count;

    public int this[int i] => Args[i];

    public bool Equals(Node? other) =>
        other is not null && Op == other.Op && Index == other.Index && Args.Equals(other.Args) &&
        (Op != Op.Constant || BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value)) &&
        (Op != Op.BoolConstant || Value == other.Value);

    public override int GetHashCode()
    {
        unchecked
        {
            int hash = ((int)Op * 397) ^ Index;
            hash = (hash * 31) + Args.GetHashCode();
            return (hash * 31) + (Op is Op.Constant or Op.BoolConstant ? Value.GetHashCode() : 0);
        }
    }
}

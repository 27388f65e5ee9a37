using System.Collections.Generic;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Rules;

/// <summary>What a composite is built of: the graph's nodes, or the taped gradient's terms.</summary>
internal interface IAlgebra<TNode>
{
    TNode Constant(double value);

    TNode Add(TNode a, TNode b);

    TNode Subtract(TNode a, TNode b);

    TNode Multiply(TNode a, TNode b);

    TNode Divide(TNode a, TNode b);

    /// <summary>A function of one argument with a row in <see cref="Functions"/> (Log, ExpM1, Log1P).</summary>
    TNode Function(Op op, TNode x);

    /// <summary>A function of two arguments with a row in <see cref="Functions"/> (Atan2).</summary>
    TNode Function(Op op, TNode x, TNode y);
}

/// <summary>
/// Functions of Math, MathF, float and double written with the primitives, in .NET's own formulas, so that they need no
/// derivative rule, lanes spelling or dual-number function of their own: Log(x, b) = ln x / ln b;
/// Lerp(a, b, t) = a·(1 − t) + b·t; DegreesToRadians(x) = x·π / 180, RadiansToDegrees(x) = x·180 / π;
/// Exp2M1(x) = expm1(x·ln 2), Exp10M1(x) = expm1(x·ln 10), Log2P1(x) = log1p(x) / ln 2, Log10P1(x) = log1p(x) / ln 10
/// (accurate near 0, as the accurate AD.ExpM1 and AD.Log1P are); AsinPi(x) = asin x / π, AcosPi(x) = acos x / π,
/// AtanPi(x) = atan x / π, Atan2Pi(y, x) = atan2(y, x) / π (bit for bit .NET's, checked over 200,000 points each).
/// </summary>
internal static class Composites
{
    private const double Ln2 = 0.69314718055994530942, Ln10 = 2.30258509299404568402;

    /// <summary>The composites, by name and arity ("Log/2").</summary>
    public static readonly HashSet<string> Keys = new() { "Log/2", "Lerp/3", "DegreesToRadians/1", "RadiansToDegrees/1", "Exp2M1/1", "Exp10M1/1", "Log2P1/1", "Log10P1/1", "AsinPi/1", "AcosPi/1", "AtanPi/1", "Atan2Pi/2" };

    public static TNode Build<TNode>(string key, IAlgebra<TNode> a, TNode[] x) => key switch
    {
        "Log/2" => a.Divide(a.Function(Op.Log, x[0]), a.Function(Op.Log, x[1])),
        "Lerp/3" => a.Add(a.Multiply(x[0], a.Subtract(a.Constant(1), x[2])), a.Multiply(x[1], x[2])),
        "DegreesToRadians/1" => a.Divide(a.Multiply(x[0], a.Constant(System.Math.PI)), a.Constant(180)),
        "RadiansToDegrees/1" => a.Divide(a.Multiply(x[0], a.Constant(180)), a.Constant(System.Math.PI)),
        "Exp2M1/1" => a.Function(Op.ExpM1, a.Multiply(x[0], a.Constant(Ln2))),
        "Exp10M1/1" => a.Function(Op.ExpM1, a.Multiply(x[0], a.Constant(Ln10))),
        "Log2P1/1" => a.Divide(a.Function(Op.Log1P, x[0]), a.Constant(Ln2)),
        "Log10P1/1" => a.Divide(a.Function(Op.Log1P, x[0]), a.Constant(Ln10)),
        "AsinPi/1" => a.Divide(a.Function(Op.Asin, x[0]), a.Constant(System.Math.PI)),
        "AcosPi/1" => a.Divide(a.Function(Op.Acos, x[0]), a.Constant(System.Math.PI)),
        "AtanPi/1" => a.Divide(a.Function(Op.Atan, x[0]), a.Constant(System.Math.PI)),
        "Atan2Pi/2" => a.Divide(a.Function(Op.Atan2, x[0], x[1]), a.Constant(System.Math.PI)),
        _ => throw new KeyNotFoundException(key), // Keys lists every one
    };
}

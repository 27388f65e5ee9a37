using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Rules;

/// <summary>How a function is written in scalar code.</summary>
internal enum ScalarSpelling : byte
{
    /// <summary><c>MathF.Exp(x)</c> in float, <c>Math.Exp(x)</c> in double.</summary>
    Math,

    /// <summary><c>float.Exp2(x)</c>, <c>double.Exp2(x)</c>: functions Math lacks.</summary>
    Typed,

    /// <summary><c>AD.Sigmoid(x)</c>: the runtime's own (accurate log1p and expm1, σ, softplus, erf, sign).</summary>
    Helper,
}

/// <summary>How a function is written on lanes (<c>Vector&lt;T&gt;</c>, <c>Vector512&lt;T&gt;</c>).</summary>
internal enum LanesSpelling : byte
{
    /// <summary><c>AD.Exp(v)</c>: the runtime's lanes function, for both widths.</summary>
    Helper,

    /// <summary><c>Vector.Abs(v)</c> or <c>Vector512.Abs(v)</c>: the BCL's own, for the width.</summary>
    VectorClass,
}

/// <summary>What one element of a function costs, which decides parts and passes.</summary>
internal enum Cost : byte
{
    /// <summary>A few instructions (abs, max, √, rounding).</summary>
    Cheap,

    /// <summary>A transcendental evaluation or more: a kernel of them goes parallel at shorter lengths, and a row of them runs apart from a cheap row.</summary>
    Transcendental,
}

/// <summary>
/// One function the generator knows: where users write it (<paramref name="MathNames"/> on Math, MathF, float and
/// double; <paramref name="HelperNames"/> on AutoDiff.AD), its arity, its derivative, how it is written in scalar
/// and lanes code, its cost, and whether a kernel with it may take 512-bit steps (the runtime has it at 512 bits).
/// </summary>
/// <param name="Op">The graph's primitive.</param>
/// <param name="Arity">How many arguments.</param>
/// <param name="MathNames">Its names on Math, MathF, float and double (none for AD's own).</param>
/// <param name="HelperNames">Its names on AutoDiff.AD.</param>
/// <param name="Name">The name the generated code calls, in scalar and lanes code.</param>
/// <param name="Scalar">How scalar code calls it.</param>
/// <param name="Lanes">How lanes code calls it.</param>
/// <param name="Cost">What an element costs.</param>
/// <param name="Wide">The runtime has it at 512 bits: a kernel of such functions may take 512-bit steps.</param>
/// <param name="Rule">Its vector-Jacobian product (see <see cref="DerivativeRules"/>); null for functions without a gradient (rounding).</param>
internal sealed record Function(
    Op Op,
    int Arity,
    string[] MathNames,
    string[] HelperNames,
    string Name,
    ScalarSpelling Scalar,
    LanesSpelling Lanes,
    Cost Cost,
    bool Wide,
    DerivativeRules.Rule? Rule)
{
    /// <summary>The name of its lanes form where that differs from <see cref="Name"/> (AD.IeeeRemainder for Math.IEEERemainder).</summary>
    public string? LanesName { get; init; }

    /// <summary>The name of its lanes form on <c>Vector</c> where that differs from <c>Vector512</c>'s (√: Vector.SquareRoot, Vector512.Sqrt).</summary>
    public string? VectorName { get; init; }
}

/// <summary>
/// The one table of functions: adding one is a row here and its tests (and its lanes form in the runtime's AD where
/// the BCL has none). The arithmetic, comparisons, choices, calls and row reductions are the graph's own primitives
/// (<see cref="DerivativeRules"/>, the renderer).
/// </summary>
internal static class Functions
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Ln10 = 2.30258509299404568402;
    private const double TwoOverSqrtPi = 1.12837916709551257390;

    private static readonly string[] None = new string[0];

    /// <summary>Every function, in the order of <see cref="Model.Op"/>.</summary>
    public static readonly Function[] All =
    {
        Math1(Op.Exp, "Exp", LanesSpelling.Helper, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Multiply(g, r) }),
        Math1(Op.Log, "Log", LanesSpelling.Helper, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Divide(g, n[0]) }),
        Math1(Op.Log2, "Log2", LanesSpelling.VectorClass, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(Ln2), n[0])) }),
        Math1(Op.Log10, "Log10", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(Ln10), n[0])) }),
        Math1(Op.Sqrt, "Sqrt", LanesSpelling.VectorClass, Cost.Cheap, wide: true, (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(2), r)) }) with { VectorName = "SquareRoot" },
        Math1(Op.Abs, "Abs", LanesSpelling.VectorClass, Cost.Cheap, wide: true, (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Sign, n[0])) }),
        Math1(Op.Tanh, "Tanh", LanesSpelling.Helper, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Multiply(g, b.Subtract(b.Constant(1), b.Multiply(r, r))) }),
        Math1(Op.Sinh, "Sinh", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Cosh, n[0])) }),
        Math1(Op.Cosh, "Cosh", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Sinh, n[0])) }),
        Math1(Op.Sin, "Sin", LanesSpelling.VectorClass, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Multiply(g, b.Function(Op.Cos, n[0])) }),
        Math1(Op.Cos, "Cos", LanesSpelling.VectorClass, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Negate(b.Multiply(g, b.Function(Op.Sin, n[0]))) }),
        Math1(Op.Tan, "Tan", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Multiply(g, b.Add(b.Constant(1), b.Multiply(r, r))) }), // 1 + tan²x
        Math1(Op.Asin, "Asin", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0])))) }),
        Math1(Op.Acos, "Acos", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Negate(b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0]))))) }),
        Math1(Op.Atan, "Atan", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Add(b.Constant(1), b.Multiply(n[0], n[0]))) }),

        // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²); at the origin both are 0/0 = NaN, as in PyTorch.
        Math(Op.Atan2, 2, "Atan2", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) =>
        {
            var scaled = b.Divide(g, b.Add(b.Multiply(n[0], n[0]), b.Multiply(n[1], n[1])));
            return new[] { b.Multiply(scaled, n[1]), b.Negate(b.Multiply(scaled, n[0])) };
        }),
        Math1(Op.Asinh, "Asinh", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Add(b.Multiply(n[0], n[0]), b.Constant(1)))) }),
        Math1(Op.Acosh, "Acosh", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Function(Op.Sqrt, b.Subtract(b.Multiply(n[0], n[0]), b.Constant(1)))) }),
        Math1(Op.Atanh, "Atanh", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Subtract(b.Constant(1), b.Multiply(n[0], n[0]))) }),
        Math1(Op.Cbrt, "Cbrt", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Divide(g, b.Multiply(b.Constant(3), b.Multiply(r, r))) }), // 1/(3·∛x²)

        // float's and double's own (not Math's).
        Typed(Op.Exp2, 1, "Exp2", (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Constant(Ln2))) }),
        Typed(Op.Exp10, 1, "Exp10", (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Constant(Ln10))) }),

        // hypot(x, y) = √(x² + y²): ∂x = x/hypot, ∂y = y/hypot; at the origin 0/0 = NaN, as PyTorch's hypot.
        Typed(Op.Hypot, 2, "Hypot", (b, n, r, g) =>
        {
            var scaled = b.Divide(g, r);
            return new[] { b.Multiply(scaled, n[0]), b.Multiply(scaled, n[1]) };
        }),

        // sin(πx)′ = π·cos(πx), cos(πx)′ = −π·sin(πx), tan(πx)′ = π·(1 + tan²(πx)), each through .NET's own (exact at the
        // integers where sin(π·x) is not).
        Typed(Op.SinPi, 1, "SinPi", (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Constant(System.Math.PI), b.Function(Op.CosPi, n[0]))) }),
        Typed(Op.CosPi, 1, "CosPi", (b, n, r, g) => new[] { b.Negate(b.Multiply(g, b.Multiply(b.Constant(System.Math.PI), b.Function(Op.SinPi, n[0])))) }),
        Typed(Op.TanPi, 1, "TanPi", (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Constant(System.Math.PI), b.Add(b.Constant(1), b.Multiply(r, r)))) }),

        // One step up or down to the next floating-point number moves as x does.
        Math1(Op.BitIncrement, "BitIncrement", LanesSpelling.Helper, Cost.Cheap, wide: false, (b, n, r, g) => new[] { g }),
        Math1(Op.BitDecrement, "BitDecrement", LanesSpelling.Helper, Cost.Cheap, wide: false, (b, n, r, g) => new[] { g }),

        // x % y = x − y·trunc(x/y) and IEEERemainder(x, y) = x − y·round(x/y): ∂x = 1, ∂y = −trunc(x/y) (resp.
        // −round(x/y)) between the jumps (PyTorch's fmod and remainder take the same, with floor for remainder).
        // C#'s % is an operator: the parser reads it, the renderer writes it; its lanes form is AD.Remainder.
        new Function(Op.Remainder, 2, None, None, "Remainder", ScalarSpelling.Helper, LanesSpelling.Helper, Cost.Transcendental, Wide: false,
            (b, n, r, g) => new[] { g, b.Negate(b.Multiply(g, b.Function(Op.Truncate, b.Divide(n[0], n[1])))) }),
        new Function(Op.IeeeRemainder, 2, new[] { "IEEERemainder" }, None, "IEEERemainder", ScalarSpelling.Math, LanesSpelling.Helper, Cost.Transcendental, Wide: false,
            (b, n, r, g) => new[] { g, b.Negate(b.Multiply(g, b.Function(Op.Round, b.Divide(n[0], n[1])))) }) with { LanesName = "IeeeRemainder" },

        Math(Op.Pow, 2, "Pow", LanesSpelling.Helper, Cost.Transcendental, wide: false, (b, n, r, g) => new[]
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
        }),

        // Kinks follow PyTorch: max/min send the gradient to their first argument on a tie.
        Math(Op.Max, 2, "Max", LanesSpelling.VectorClass, Cost.Cheap, wide: true, (b, n, r, g) => Route(b, b.Compare(Op.GreaterThanOrEqual, n[0], n[1]), g)),
        Math(Op.Min, 2, "Min", LanesSpelling.VectorClass, Cost.Cheap, wide: true, (b, n, r, g) => Route(b, b.Compare(Op.LessThanOrEqual, n[0], n[1]), g)),

        // The choosers of .NET's generic math: the gradient goes to the argument returned (the first where both are
        // equal), as for max and min.
        Math(Op.MaxMagnitude, 2, "MaxMagnitude", LanesSpelling.VectorClass, Cost.Cheap, wide: false, (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),
        Math(Op.MinMagnitude, 2, "MinMagnitude", LanesSpelling.VectorClass, Cost.Cheap, wide: false, (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),
        new Function(Op.MaxNumber, 2, new[] { "MaxNumber" }, None, "MaxNumber", ScalarSpelling.Typed, LanesSpelling.VectorClass, Cost.Cheap, Wide: false,
            (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),
        new Function(Op.MinNumber, 2, new[] { "MinNumber" }, None, "MinNumber", ScalarSpelling.Typed, LanesSpelling.VectorClass, Cost.Cheap, Wide: false,
            (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),
        new Function(Op.MaxMagnitudeNumber, 2, new[] { "MaxMagnitudeNumber" }, None, "MaxMagnitudeNumber", ScalarSpelling.Typed, LanesSpelling.VectorClass, Cost.Cheap, Wide: false,
            (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),
        new Function(Op.MinMagnitudeNumber, 2, new[] { "MinMagnitudeNumber" }, None, "MinMagnitudeNumber", ScalarSpelling.Typed, LanesSpelling.VectorClass, Cost.Cheap, Wide: false,
            (b, n, r, g) => Route(b, b.Compare(Op.Equal, r, n[0]), g)),

        // The runtime's (AD): σ, softplus, the accurate log1p and expm1 (also float's and double's LogP1 and ExpM1,
        // which .NET 10 computes naively: all the digits of a small x lost), erf.
        Helper(Op.Sigmoid, "Sigmoid", None, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(r, b.Subtract(b.Constant(1), r))) }),
        Helper(Op.Softplus, "Softplus", None, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Multiply(g, b.SoftplusSlope(r)) }), // σ(x), sharing softplus's e^−|x|
        Helper(Op.Log1P, "Log1P", new[] { "LogP1" }, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Divide(g, b.Add(b.Constant(1), n[0])) }),
        Helper(Op.ExpM1, "ExpM1", new[] { "ExpM1" }, Cost.Transcendental, wide: true, (b, n, r, g) => new[] { b.Multiply(g, b.Add(r, b.Constant(1))) }),
        Helper(Op.Erf, "Erf", None, Cost.Transcendental, wide: false, (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Constant(TwoOverSqrtPi), b.Function(Op.Exp, b.Negate(b.Multiply(n[0], n[0]))))) }),

        // copysign(x, y) = |x|·sgn(y): d/dx = sign(x)·sgn(y) (0 at x = 0), and y only chooses the sign, so it gets
        // nothing (PyTorch's copysign: zero gradient for `other`).
        Math(Op.CopySign, 2, "CopySign", LanesSpelling.VectorClass, Cost.Cheap, wide: true,
            (b, n, r, g) => new[] { b.Multiply(g, b.Multiply(b.Function(Op.Sign, n[0]), b.Function(Op.CopySign, b.Constant(1), n[1]))), -1 }),
        Math(Op.FusedMultiplyAdd, 3, "FusedMultiplyAdd", LanesSpelling.VectorClass, Cost.Cheap, wide: true, (b, n, r, g) => new[] { b.Multiply(g, n[1]), b.Multiply(g, n[0]), g }),

        // Piecewise constant: no gradient (the parser rejects one of a differentiable value).
        new Function(Op.Sign, 1, new[] { "Sign" }, new[] { "Sign" }, "Sign", ScalarSpelling.Helper, LanesSpelling.Helper, Cost.Cheap, Wide: true, Rule: null),
        Math1(Op.Floor, "Floor", LanesSpelling.VectorClass, Cost.Cheap, wide: true, rule: null),
        Math1(Op.Ceiling, "Ceiling", LanesSpelling.VectorClass, Cost.Cheap, wide: true, rule: null),
        Math1(Op.Round, "Round", LanesSpelling.VectorClass, Cost.Cheap, wide: true, rule: null),
        Math1(Op.Truncate, "Truncate", LanesSpelling.VectorClass, Cost.Cheap, wide: true, rule: null),
    };

    private static readonly Dictionary<Op, Function> ByOp = All.ToDictionary(f => f.Op);

    /// <summary>The functions of Math, MathF, float and double, by "Name/arity".</summary>
    public static readonly IReadOnlyDictionary<string, Op> ByMathName =
        All.SelectMany(f => f.MathNames.Select(name => (Key: $"{name}/{f.Arity}", f.Op))).ToDictionary(x => x.Key, x => x.Op);

    /// <summary>The functions of AutoDiff.AD, by "Name/arity".</summary>
    public static readonly IReadOnlyDictionary<string, Op> ByHelperName =
        All.SelectMany(f => f.HelperNames.Select(name => (Key: $"{name}/{f.Arity}", f.Op))).ToDictionary(x => x.Key, x => x.Op);

    /// <summary>The row of <paramref name="op"/>, if it is a function.</summary>
    public static Function? Of(Op op) => ByOp.TryGetValue(op, out var function) ? function : null;

    private static Function Math1(Op op, string name, LanesSpelling lanes, Cost cost, bool wide, DerivativeRules.Rule? rule) =>
        Math(op, 1, name, lanes, cost, wide, rule);

    private static Function Math(Op op, int arity, string name, LanesSpelling lanes, Cost cost, bool wide, DerivativeRules.Rule? rule) =>
        new(op, arity, new[] { name }, None, name, ScalarSpelling.Math, lanes, cost, wide, rule);

    private static Function Typed(Op op, int arity, string name, DerivativeRules.Rule rule) =>
        new(op, arity, new[] { name }, None, name, ScalarSpelling.Typed, LanesSpelling.Helper, Cost.Transcendental, Wide: false, rule);

    private static Function Helper(Op op, string name, string[] mathNames, Cost cost, bool wide, DerivativeRules.Rule rule) =>
        new(op, 1, mathNames, new[] { name }, name, ScalarSpelling.Helper, LanesSpelling.Helper, cost, wide, rule);

    // Sends g to the first argument where the condition holds, else to the second.
    private static int[] Route(GraphBuilder b, int firstWins, int g)
    {
        var zero = b.Constant(0);
        return new[] { b.Select(firstWins, g, zero), b.Select(firstWins, zero, g) };
    }
}

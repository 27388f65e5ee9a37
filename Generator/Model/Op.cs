namespace AutoDiff.Generator.Model;

/// <summary>The primitives of the expression graph. Each differentiable one has one row in <see cref="Rules.DerivativeRules"/>.</summary>
internal enum Op : byte
{
    // Leaves.
    Parameter,   // Index: the method's parameter.
    Constant,    // Value.
    BoolConstant, // Value: 1 or 0.
    Seed,        // The adjoint of the output; Index: a SeedKind. Only in gradient graphs.

    // Arithmetic.
    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,

    // Functions of Math/MathF and AutoDiff.AD.
    Exp,
    Log,
    Log2,
    Log10,
    Sqrt,
    Abs,
    Tanh,
    Sinh,
    Cosh,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,       // Args: y, x. The angle of the point (x, y) (Math.Atan2).
    Asinh,
    Acosh,
    Atanh,
    Cbrt,
    Exp2,        // 2^x (float.Exp2, double.Exp2).
    Exp10,       // 10^x (float.Exp10, double.Exp10).
    Hypot,       // Args: x, y. √(x² + y²) without overflow (float.Hypot, double.Hypot).
    SinPi,       // sin(π·x), exact at the integers (float.SinPi, double.SinPi).
    CosPi,       // cos(π·x) (float.CosPi, double.CosPi).
    TanPi,       // tan(π·x) (float.TanPi, double.TanPi).
    BitIncrement, // The next double (float) above x (Math.BitIncrement): ∂ = 1.
    BitDecrement, // The next double (float) below x (Math.BitDecrement): ∂ = 1.
    Remainder,   // Args: x, y. C#'s x % y: x − y·trunc(x/y), the sign of x (C's fmod, PyTorch's torch.fmod).
    IeeeRemainder, // Args: x, y. x − y·round(x/y), halves to even (Math.IEEERemainder).
    Pow,
    Max,
    Min,
    MaxMagnitude, // Args: x, y. The one of larger magnitude (Math.MaxMagnitude); the gradient to the one returned.
    MinMagnitude, // Args: x, y. The one of smaller magnitude (Math.MinMagnitude).
    MaxNumber,    // Args: x, y. The larger, a NaN ignored (double.MaxNumber).
    MinNumber,    // Args: x, y. The smaller, a NaN ignored (double.MinNumber).
    MaxMagnitudeNumber, // Args: x, y. The one of larger magnitude, a NaN ignored (double.MaxMagnitudeNumber).
    MinMagnitudeNumber, // Args: x, y. The one of smaller magnitude, a NaN ignored (double.MinMagnitudeNumber).
    Sigmoid,
    Softplus,
    Log1P,
    ExpM1,
    Erf,
    CopySign,    // Args: the magnitude x, the sign y. |x| with the sign of y (Math.CopySign); no gradient flows to y.
    FusedMultiplyAdd, // Args: x, y, z. x·y + z rounded once (Math.FusedMultiplyAdd).

    // Piecewise-constant functions: allowed only where no gradient flows through them.
    Sign,
    Floor,
    Ceiling,
    Round,
    Truncate,

    // Booleans.
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,

    // Control.
    Select,      // Args: condition, when true, when false.

    // Calls of other [Differentiable] methods. Index: the callee (MethodModel.Callees).
    Call,
    CallPartial, // Args: the Call node. Index: which differentiable parameter of the callee.
    SoftplusSlope, // Args: the Softplus node. σ(x), from the e^−|x| softplus(x) computed (AD.SoftplusGradient).

    // Rows (methods with span parameters). A node is element-level when it depends on an Element
    // not under a reduction; the reductions and everything else are row-level.
    Element,     // Leaf. Index: the span parameter. Element j of the row, inside a reduction.
    Sum,         // Args: an element-level body. The sum of the body over the row.
    MaxOf,       // Args: an element-level body. Its maximum over the row (torch.max: ties share the gradient).
    At,          // Args: the index node. Index: the span parameter. a[k].
    Length,      // Leaf. The length of the row.
    NoGradient,  // Args: x. The value of x, through which no gradient flows (the shift of a log-sum-exp).

    // Forward mode (the Jvp and Hessian forms).
    Tangent,     // Leaf. Index: a differentiable parameter. The direction's component along it (tX of FJvp).
    CallSecond,  // Args: the Call node. Index: K·k + m (k ≤ m) for the callee's K differentiable parameters: ∂²callee/∂xₖ∂xₘ.
}

/// <summary>Where the seed of a reverse pass comes from.</summary>
internal enum SeedKind
{
    /// <summary>A scalar broadcast to every element (the 1/N of a mean).</summary>
    Uniform = 0,

    /// <summary>One value per element (the upstream gradient of a backward kernel).</summary>
    Varying = 1,
}

internal static class OpFacts
{
    public static bool IsBoolean(Op op) => op is Op.BoolConstant or (>= Op.LessThan and <= Op.Not);

    public static bool IsPiecewiseConstant(Op op) => op is >= Op.Sign and <= Op.Truncate;

    public static bool IsReduction(Op op) => op is Op.Sum or Op.MaxOf;

    /// <summary>
    /// The functions that cost a transcendental evaluation or more per element (<see cref="Rules.Cost"/>), and calls
    /// of other methods: a kernel of them goes parallel at shorter lengths, and a row of them runs apart from a cheap
    /// row.
    /// </summary>
    public static bool IsCostly(Op op) => op == Op.Call || Rules.Functions.Of(op)?.Cost == Rules.Cost.Transcendental;

    public static bool IsCommutative(Op op) => op is Op.Add or Op.Multiply or Op.Equal or Op.NotEqual or Op.And or Op.Or;
}

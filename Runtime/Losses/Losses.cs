namespace AutoDiff;

/// <summary>
/// The losses of the course notes, each written as scalar C# marked <see cref="DifferentiableAttribute"/>,
/// in Keras's argument order (target, prediction). What ships is the generated code: for an elementwise
/// loss such as <see cref="SquaredError(float, float)"/>, <c>SquaredErrorMean(target, prediction, dPrediction)</c> is
/// PyTorch's <c>MSELoss()</c> (reduction 'mean', the default) with its gradient in the same pass,
/// <c>SquaredErrorSum</c> is reduction 'sum', and <c>SquaredError(target, prediction, destination)</c>
/// with <c>SquaredErrorBackward</c> is 'none'. A loss of rows (<see cref="CrossEntropy(ReadOnlySpan{float}, int)"/>)
/// gets <c>CrossEntropyMean(rows, logits, targets, dLogits)</c> (the mean over rows), <c>…Sum</c>,
/// <c>CrossEntropy(rows, …, destination)</c>, <c>…Backward</c> and the per-row <c>CrossEntropyGradient</c>.
/// The README maps each to its PyTorch and Keras name.
/// </summary>
public static partial class Losses
{
    // ---- Regression -------------------------------------------------------------------------------

    /// <summary>(p − t)²: the term of the mean squared error (PyTorch <c>MSELoss</c>, Keras <c>mean_squared_error</c>).</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    [Differentiable]
    public static float SquaredError([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return r * r;
    }

    /// <summary>|p − t|: the term of the mean absolute error (PyTorch <c>L1Loss</c>, Keras <c>mean_absolute_error</c>); its derivative at p = t is 0.</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    [Differentiable]
    public static float AbsoluteError([NoDiff] float target, float prediction) => MathF.Abs(prediction - target);

    /// <summary>
    /// (ln(1 + p) − ln(1 + t))²: the term of the mean squared logarithmic error (Keras
    /// <c>mean_squared_logarithmic_error</c>), with an accurate log1p near 0. It uses the natural log, as
    /// Keras and PyTorch do; the course notes' table uses log₁₀, so MSLE ÷ (ln 10)² reproduces its figures
    /// (30 vs 20 → 0.02861). Keras also clips p and t at ε below; this does not.
    /// </summary>
    /// <param name="target">The target t (&gt; −1).</param>
    /// <param name="prediction">The prediction p (&gt; −1).</param>
    [Differentiable]
    public static float SquaredLogError([NoDiff] float target, float prediction)
    {
        var r = AD.Log1P(prediction) - AD.Log1P(target);
        return r * r;
    }

    /// <summary>Huber: ½r² for |r| ≤ δ, else δ·(|r| − ½δ), with r = p − t (PyTorch <c>HuberLoss(delta)</c>, the notes' L_δ).</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    /// <param name="delta">δ &gt; 0, where the loss turns from quadratic to linear (PyTorch's default is 1; PyTorch refuses δ ≤ 0, and
    /// for δ ≤ 0 this formula is not Huber's).</param>
    /// <remarks>
    /// The linear branch is written as copysign(δ, r)·r − ½δ² (one fused multiply-add, one rounding), which is δ·|r| − ½δ²
    /// for δ &gt; 0: its gradient is then
    /// copysign(δ, r), one bitwise instruction a vector, where δ·(|r| − ½δ) differentiates to δ·sign(r), whose sign(0) = 0
    /// and NaN cases cost a fix-up and a multiplication. A NaN residual fails |r| &gt; δ and takes the quadratic branch:
    /// value and gradient NaN, as in PyTorch.
    /// </remarks>
    [Differentiable]
    public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
    {
        var r = prediction - target;
        return MathF.Abs(r) > delta ? MathF.FusedMultiplyAdd(MathF.CopySign(delta, r), r, -0.5f * delta * delta) : 0.5f * r * r;
    }

    /// <summary>Smooth L1: ½r²/β for |r| &lt; β, else |r| − ½β, with r = p − t (PyTorch <c>SmoothL1Loss(beta)</c>; β = 0 is L1).</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    /// <param name="beta">β ≥ 0 (PyTorch's default is 1).</param>
    [Differentiable]
    public static float SmoothL1([NoDiff] float target, float prediction, [Constant] float beta)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        return a < beta ? 0.5f * r * r / beta : a - 0.5f * beta;
    }

    /// <summary>log cosh(p − t), computed as |r| + softplus(−2|r|) − ln 2 so it never overflows (Keras <c>log_cosh</c>). Its derivative is tanh(r).</summary>
    /// <param name="target">The target t.</param>
    /// <param name="prediction">The prediction p.</param>
    [Differentiable]
    public static float LogCosh([NoDiff] float target, float prediction)
    {
        var a = MathF.Abs(prediction - target);
        return a + AD.Softplus(-2f * a) - 0.693147180559945309f;
    }

    // ---- Binary classification -----------------------------------------------------------------------

    /// <summary>
    /// Binary cross-entropy of a probability p: −(t·ln p + (1 − t)·ln(1 − p)), each log clamped at −100 as
    /// PyTorch's <c>BCELoss</c> does, so p = 0 or 1 gives a finite loss. Inside (0, 1) the gradient is
    /// PyTorch's (p − t)/(p(1 − p)); where a log is clamped (p = 0 or 1 exactly) it is the derivative of the
    /// clamped value, 0, where PyTorch divides by max(p(1 − p), 1e-12).
    /// </summary>
    /// <param name="target">The target t ∈ [0, 1].</param>
    /// <param name="prediction">The probability p ∈ [0, 1].</param>
    [Differentiable]
    public static float BinaryCrossEntropy([NoDiff] float target, float prediction) =>
        -(target * MathF.Max(MathF.Log(prediction), -100f) + (1f - target) * MathF.Max(AD.Log1P(-prediction), -100f));

    /// <summary>Binary cross-entropy of a logit z: softplus(z) − t·z, stable for any z (PyTorch <c>BCEWithLogitsLoss</c>). Its derivative is σ(z) − t.</summary>
    /// <param name="target">The target t ∈ [0, 1].</param>
    /// <param name="logit">The logit z.</param>
    [Differentiable]
    public static float BinaryCrossEntropyWithLogits([NoDiff] float target, float logit) => AD.Softplus(logit) - target * logit;

    /// <summary>Hinge: max(1 − t·p, 0) with t ∈ {−1, +1} (Keras <c>hinge</c>); at the kink the derivative is the linear branch's, −t, as Keras's and torch.clamp_min's.</summary>
    /// <param name="target">The label t, −1 or +1.</param>
    /// <param name="prediction">The score p.</param>
    [Differentiable]
    public static float Hinge([NoDiff] float target, float prediction) => MathF.Max(1f - target * prediction, 0f);

    /// <summary>Squared hinge: max(0, 1 − t·p)² with t ∈ {−1, +1} (Keras <c>squared_hinge</c>).</summary>
    /// <param name="target">The label t, −1 or +1.</param>
    /// <param name="prediction">The score p.</param>
    [Differentiable]
    public static float SquaredHinge([NoDiff] float target, float prediction)
    {
        var h = MathF.Max(1f - target * prediction, 0f);
        return h * h;
    }
}

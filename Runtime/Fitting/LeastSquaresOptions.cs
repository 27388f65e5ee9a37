namespace AutoDiff.Fitting;

/// <summary>
/// Settings of <see cref="LeastSquares"/>. The defaults ask for everything double can resolve (as Ceres Solver's NIST
/// evaluation does): tolerances at machine precision and a bound on steps that only a diverging fit reaches.
/// </summary>
public sealed class LeastSquaresOptions
{
    /// <summary>Machine epsilon of double, 2⁻⁵², the default of every tolerance.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Stop when a step's actual and predicted relative reductions of the cost, 1 − (S(b + p)/S(b)) and its linear model's,
    /// are both at most this. Default: machine epsilon.
    /// </summary>
    public double FunctionTolerance { get; init; } = MachineEpsilon;

    /// <summary>Stop when the trust region's radius Δ ≤ this · ‖D·b‖ (a relative change of the scaled parameters). Default: machine epsilon.</summary>
    public double ParameterTolerance { get; init; } = MachineEpsilon;

    /// <summary>
    /// Stop when max over j of |Jⱼᵀ·r| / (‖Jⱼ‖·‖r‖), the cosine between the residuals and the Jacobian's columns, is at
    /// most this. Default: machine epsilon.
    /// </summary>
    public double GradientTolerance { get; init; } = MachineEpsilon;

    /// <summary>The most steps to try. Default: 10,000.</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>The first trust region's radius as a multiple of ‖D·b₀‖ (MINPACK's <c>factor</c>). Default: 100.</summary>
    public double InitialStepBound { get; init; } = 100;

    /// <summary>
    /// A weight wᵢ ≥ 0 per observation (1/σᵢ² for measurement errors σᵢ), or null for equal weights. The solver minimises
    /// Σ wᵢ·(yᵢ − f(b; xᵢ))².
    /// </summary>
    public double[]? Weights { get; init; }

    internal void Validate(int observations)
    {
        Positive(FunctionTolerance, nameof(FunctionTolerance));
        Positive(ParameterTolerance, nameof(ParameterTolerance));
        Positive(GradientTolerance, nameof(GradientTolerance));
        Positive(InitialStepBound, nameof(InitialStepBound));
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "The most steps to try must be at least 1.");
        }

        if (Weights is { } weights)
        {
            if (weights.Length != observations)
            {
                throw new ArgumentException($"{nameof(Weights)} has {weights.Length} entries but there are {observations} observations.", nameof(Weights));
            }

            for (int i = 0; i < weights.Length; i++)
            {
                if (!(weights[i] >= 0) || double.IsPositiveInfinity(weights[i]))
                {
                    throw new ArgumentOutOfRangeException(nameof(Weights), weights[i], $"Weight {i} must be finite and at least 0.");
                }
            }
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }
}

namespace AutoDiff.Fitting;

/// <summary>
/// f at x, with its gradient and Hessian written: the shape of a generated <c>FHessian</c> wrapped over a point,
/// <c>(x, g, h) =&gt; Model.FHessian(x[0], x[1], g, h)</c>.
/// </summary>
/// <param name="x">The point (n values).</param>
/// <param name="gradient">Receives ∂f/∂xᵢ (n values).</param>
/// <param name="hessian">Receives ∂²f/∂xᵢ∂xⱼ at [i·n + j] (n × n values, row-major).</param>
/// <returns>f(x).</returns>
public delegate double HessianObjective(ReadOnlySpan<double> x, Span<double> gradient, Span<double> hessian);

/// <summary>Why <see cref="Newton.Minimize"/> stopped.</summary>
public enum NewtonTermination
{
    /// <summary>max |∂f/∂xᵢ| fell to <see cref="NewtonOptions.GradientTolerance"/>.</summary>
    GradientTolerance,

    /// <summary>No step along the Newton direction decreased f (at a minimum to machine precision, or where f is inaccurate); the best point is kept.</summary>
    NoProgress,

    /// <summary><see cref="NewtonOptions.MaxIterations"/> iterations were taken.</summary>
    MaxIterations,
}

/// <summary>The outcome of <see cref="Newton.Minimize"/>; the point passed in holds the minimiser found.</summary>
/// <param name="Value">f at the point left.</param>
/// <param name="GradientNorm">max |∂f/∂xᵢ| there.</param>
/// <param name="Iterations">Newton steps taken.</param>
/// <param name="Evaluations">Calls of the objective.</param>
/// <param name="Termination">Why it stopped.</param>
public readonly record struct NewtonResult(double Value, double GradientNorm, int Iterations, int Evaluations, NewtonTermination Termination)
{
    /// <summary>Whether the gradient tolerance was met.</summary>
    public bool Converged => Termination == NewtonTermination.GradientTolerance;
}

/// <summary>Settings of <see cref="Newton"/>.</summary>
public sealed class NewtonOptions
{
    /// <summary>Stop when max |∂f/∂xᵢ| is at most this. Default 1e-10.</summary>
    public double GradientTolerance { get; init; } = 1e-10;

    /// <summary>The most Newton steps. Default 100 (a Newton method that needs more is on the wrong problem).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>The most objective evaluations in one backtracking line search. Default 40.</summary>
    public int MaxLineSearchEvaluations { get; init; } = 40;

    /// <summary>Armijo's sufficient-decrease constant c₁: a step α is taken when f(x + αd) ≤ f(x) + c₁·α·∇fᵀd. Default 10⁻⁴.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    internal void Validate()
    {
        if (MaxIterations < 1 || MaxLineSearchEvaluations < 1)
        {
            throw new ArgumentOutOfRangeException(MaxIterations < 1 ? nameof(MaxIterations) : nameof(MaxLineSearchEvaluations), "Must be at least 1.");
        }

        if (!(GradientTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "The tolerance must be at least 0.");
        }

        if (!(SufficientDecrease > 0 && SufficientDecrease < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(SufficientDecrease), SufficientDecrease, "Armijo's constant must lie in (0, ½).");
        }
    }
}

/// <summary>
/// Newton's method with a line search, for small problems whose Hessian the generator writes (<c>FHessian</c>): each
/// step solves (H + μI)·d = −∇f by Cholesky, with μ = 0 where H is positive definite and otherwise the smallest
/// multiple of the identity tried (10⁻³·max |Hᵢᵢ|, ×10 each time) that makes it so (Nocedal and Wright, <i>Numerical
/// Optimization</i>, algorithm 3.3), then backtracks from α = 1 until Armijo's condition holds. Near a minimum with a
/// positive definite Hessian it takes full steps and converges quadratically.
/// </summary>
/// <remarks>
/// The cost per step is one objective evaluation per trial step (with its Hessian) and an n³/6 factorisation: meant
/// for n up to a few hundred. Every buffer is allocated by the constructor; <see cref="Minimize"/> and
/// <see cref="Step"/> allocate nothing.
/// </remarks>
public sealed class Newton
{
    private readonly NewtonOptions _options;
    private readonly double[] _g;
    private readonly double[] _h;
    private readonly double[] _l;        // the Cholesky factor of H + μI
    private readonly double[] _d;        // the direction
    private readonly double[] _trial;
    private readonly double[] _trialG;
    private readonly double[] _trialH;
    private double _f = double.NaN;
    private int _evaluations;

    /// <summary>Allocates the state for problems of <paramref name="dimension"/> variables.</summary>
    /// <param name="dimension">n, the number of variables (1 to 4,096).</param>
    /// <param name="options">Tolerances and limits; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is outside 1..4,096.</exception>
    public Newton(int dimension, NewtonOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 4096);
        _options = options ?? new NewtonOptions();
        _options.Validate();
        Dimension = dimension;
        (_g, _d, _trial, _trialG) = (new double[dimension], new double[dimension], new double[dimension], new double[dimension]);
        (_h, _l, _trialH) = (new double[dimension * dimension], new double[dimension * dimension], new double[dimension * dimension]);
    }

    /// <summary>n, the number of variables.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Minimises f from <paramref name="x"/>, leaving the best point found in it.
    /// </summary>
    /// <param name="objective">f, its gradient and its Hessian at a point.</param>
    /// <param name="x">The start; receives the minimiser found.</param>
    /// <returns>f and max |∂f/∂xᵢ| at the point left, the steps and evaluations, and why it stopped.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="Dimension"/> values, or f, its gradient or its Hessian is not finite at the start.</exception>
    public NewtonResult Minimize(HessianObjective objective, Span<double> x)
    {
        Start(objective, x);
        for (int iteration = 0; ; iteration++)
        {
            double norm = MaxAbs(_g);
            if (norm <= _options.GradientTolerance)
            {
                return new NewtonResult(_f, norm, iteration, _evaluations, NewtonTermination.GradientTolerance);
            }

            if (iteration == _options.MaxIterations)
            {
                return new NewtonResult(_f, norm, iteration, _evaluations, NewtonTermination.MaxIterations);
            }

            if (!TakeStep(objective, x))
            {
                return new NewtonResult(_f, norm, iteration, _evaluations, NewtonTermination.NoProgress);
            }
        }
    }

    /// <summary>
    /// One Newton step from <paramref name="x"/>, for a caller that watches the path (a plot): evaluates f at x,
    /// takes the step and leaves the new point in x.
    /// </summary>
    /// <param name="objective">f, its gradient and its Hessian at a point.</param>
    /// <param name="x">The point; receives the next one (unchanged when no step decreased f).</param>
    /// <returns>f at the new point.</returns>
    /// <exception cref="ArgumentException">As <see cref="Minimize"/>.</exception>
    public double Step(HessianObjective objective, Span<double> x)
    {
        Start(objective, x);
        TakeStep(objective, x);
        return _f;
    }

    private void Start(HessianObjective objective, Span<double> x)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"'x' has {x.Length} values; this Newton was made for {Dimension}.", nameof(x));
        }

        _evaluations = 1;
        _f = objective(x, _g, _h);
        if (!double.IsFinite(_f) || !AllFinite(_g) || !AllFinite(_h))
        {
            throw new ArgumentException($"The objective is {_f} at the start, or its gradient or Hessian is not finite there: start where all three are finite.", nameof(objective));
        }
    }

    // Direction, line search, and the move: false when no trial point decreased f.
    private bool TakeStep(HessianObjective objective, Span<double> x)
    {
        Direction();
        double slope = 0;
        for (int i = 0; i < _d.Length; i++)
        {
            slope += _g[i] * _d[i];
        }

        double step = 1;
        for (int trial = 0; trial < _options.MaxLineSearchEvaluations; trial++)
        {
            for (int i = 0; i < _d.Length; i++)
            {
                _trial[i] = x[i] + (step * _d[i]);
            }

            double f = objective(_trial, _trialG, _trialH);
            _evaluations++;
            if (double.IsFinite(f) && f <= _f + (_options.SufficientDecrease * step * slope) && AllFinite(_trialG) && AllFinite(_trialH))
            {
                _trial.CopyTo(x);
                _trialG.CopyTo(_g, 0);
                _trialH.CopyTo(_h, 0);
                _f = f;
                return true;
            }

            // Backtrack to the minimiser of the quadratic through f(x), the slope and f(x + αd), kept within [α/10, α/2].
            double quadratic = double.IsFinite(f) ? -slope * step * step / (2 * (f - _f - (slope * step))) : step / 10;
            step = Math.Clamp(quadratic, step / 10, step / 2);
        }

        return false;
    }

    // d = −(H + μI)⁻¹·∇f with the smallest μ of 0, 10⁻³·max|Hᵢᵢ|, ×10 … for which H + μI has a Cholesky factor.
    private void Direction()
    {
        int n = Dimension;
        double diagonal = 0;
        for (int i = 0; i < n; i++)
        {
            diagonal = Math.Max(diagonal, Math.Abs(_h[(i * n) + i]));
        }

        double shift = 0;
        while (!Cholesky(shift))
        {
            shift = shift == 0 ? Math.Max(1e-3 * diagonal, 1e-10) : 10 * shift;
        }

        // L·y = −g, then Lᵀ·d = y.
        for (int i = 0; i < n; i++)
        {
            double sum = -_g[i];
            for (int k = 0; k < i; k++)
            {
                sum -= _l[(i * n) + k] * _d[k];
            }

            _d[i] = sum / _l[(i * n) + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = _d[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= _l[(k * n) + i] * _d[k];
            }

            _d[i] = sum / _l[(i * n) + i];
        }
    }

    // The lower-triangular L with L·Lᵀ = H + shift·I, or false where that is not positive definite.
    private bool Cholesky(double shift)
    {
        int n = Dimension;
        for (int j = 0; j < n; j++)
        {
            double pivot = _h[(j * n) + j] + shift;
            for (int k = 0; k < j; k++)
            {
                pivot -= _l[(j * n) + k] * _l[(j * n) + k];
            }

            if (!(pivot > 0))
            {
                return false;
            }

            double root = Math.Sqrt(pivot);
            _l[(j * n) + j] = root;
            for (int i = j + 1; i < n; i++)
            {
                double sum = _h[(i * n) + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= _l[(i * n) + k] * _l[(j * n) + k];
                }

                _l[(i * n) + j] = sum / root;
            }
        }

        return true;
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static bool AllFinite(double[] values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Numerics;

namespace AutoDiff.Fitting;

/// <summary>Why <see cref="Lbfgs{T}.Minimize"/> stopped.</summary>
public enum LbfgsTermination
{
    /// <summary>max |∂f/∂xᵢ| fell to <see cref="LbfgsOptions.GradientTolerance"/>.</summary>
    GradientTolerance,

    /// <summary>An iteration changed f by at most <see cref="LbfgsOptions.FunctionTolerance"/>·max(|f|, 1).</summary>
    FunctionTolerance,

    /// <summary>
    /// No step along the search direction decreased f (at a minimum to machine precision, or where f or its gradient
    /// is inaccurate); the best point found is kept.
    /// </summary>
    NoProgress,

    /// <summary><see cref="LbfgsOptions.MaxIterations"/> iterations were taken.</summary>
    MaxIterations,
}

/// <summary>The outcome of <see cref="Lbfgs{T}.Minimize"/>; the parameters hold the minimiser found.</summary>
/// <param name="Value">f at the parameters left in place.</param>
/// <param name="GradientNorm">max |∂f/∂xᵢ| there.</param>
/// <param name="Iterations">Iterations (line searches) taken.</param>
/// <param name="Evaluations">Calls of the objective.</param>
/// <param name="Termination">Why it stopped.</param>
public readonly record struct LbfgsResult(double Value, double GradientNorm, int Iterations, int Evaluations, LbfgsTermination Termination)
{
    /// <summary>Whether a tolerance was met (not <see cref="LbfgsTermination.MaxIterations"/> or <see cref="LbfgsTermination.NoProgress"/>).</summary>
    public bool Converged => Termination is LbfgsTermination.GradientTolerance or LbfgsTermination.FunctionTolerance;
}

/// <summary>Settings of <see cref="Lbfgs{T}"/>; the defaults are <c>torch.optim.LBFGS</c>'s with the strong-Wolfe line search, tightened to what double resolves.</summary>
public sealed class LbfgsOptions
{
    /// <summary>The number of (s, y) pairs kept, m. Default 10 (SciPy's; PyTorch keeps 100).</summary>
    public int History { get; init; } = 10;

    /// <summary>Stop when max |∂f/∂xᵢ| is at most this. Default 1e-10.</summary>
    public double GradientTolerance { get; init; } = 1e-10;

    /// <summary>
    /// Stop when an iteration changes f by at most this times max(|f|, 1). Default 1e-15: f has stopped changing in
    /// double, which leaves x about √ε·(its scale) from the minimiser (SciPy's default is 2.2e-9, PyTorch's 1e-9
    /// absolute). 0 turns the test off: the iterations then stop at <see cref="GradientTolerance"/> or when one no
    /// longer decreases f at all (<see cref="LbfgsTermination.NoProgress"/>).
    /// </summary>
    public double FunctionTolerance { get; init; } = 1e-15;

    /// <summary>The most iterations. Default 1,000.</summary>
    public int MaxIterations { get; init; } = 1_000;

    /// <summary>The most objective evaluations in one line search. Default 25 (PyTorch's max_eval = 1.25·max_iter per step is per call).</summary>
    public int MaxLineSearchEvaluations { get; init; } = 25;

    /// <summary>Armijo's sufficient-decrease constant c₁ of the strong Wolfe conditions. Default 10⁻⁴.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <summary>The curvature constant c₂ of the strong Wolfe conditions, c₁ &lt; c₂ &lt; 1. Default 0.9.</summary>
    public double Curvature { get; init; } = 0.9;

    internal void Validate()
    {
        if (History < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, "The history must keep at least one pair.");
        }

        if (MaxIterations < 1 || MaxLineSearchEvaluations < 1)
        {
            throw new ArgumentOutOfRangeException(MaxIterations < 1 ? nameof(MaxIterations) : nameof(MaxLineSearchEvaluations), "Must be at least 1.");
        }

        if (!(GradientTolerance >= 0) || !(FunctionTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(!(GradientTolerance >= 0) ? nameof(GradientTolerance) : nameof(FunctionTolerance), "Tolerances must be at least 0.");
        }

        if (!(SufficientDecrease > 0 && SufficientDecrease < Curvature && Curvature < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Curvature), $"The Wolfe constants need 0 < c₁ < c₂ < 1; got c₁ = {SufficientDecrease}, c₂ = {Curvature}.");
        }
    }
}

/// <summary>
/// Limited-memory BFGS with a strong-Wolfe line search (Nocedal and Wright, <i>Numerical Optimization</i>, algorithms
/// 7.4, 3.5 and 3.6), for any objective whose gradient the generator wrote, and for a network's parameters where a
/// full batch fits in one pass (<c>torch.optim.LBFGS(line_search_fn='strong_wolfe')</c>, SciPy's L-BFGS-B without bounds).
/// </summary>
/// <remarks>
/// <para>
/// The shape is <c>torch.optim.LBFGS</c>'s: the parameters and their gradient buffers are registered once, and
/// <see cref="Minimize"/> takes a closure that computes f at the parameters' current values, writes ∂f/∂x into the
/// gradient buffers and returns f. For a <c>[Differentiable] static double F(ReadOnlySpan&lt;double&gt; x)</c>:
/// <code>
/// var x = start.ToArray(); var dX = new double[x.Length];
/// var result = new Lbfgs&lt;double&gt;([(x, dX)]).Minimize(() =&gt; Model.FGradient(x, dX));
/// </code>
/// For a network, the closure runs the forward pass, the loss's gradient and the backward pass.
/// </para>
/// <para>
/// The direction is −H·g by the two-loop recursion over the last m pairs sᵢ = xᵢ₊₁ − xᵢ, yᵢ = gᵢ₊₁ − gᵢ, with
/// H₀ = (sᵀy / yᵀy)·I. The line search brackets a step meeting f(x + αd) ≤ f(x) + c₁·α·gᵀd and |g(x + αd)ᵀd| ≤ c₂·|gᵀd|
/// and zooms in by cubic interpolation, safeguarded by bisection. The first step is min(1, 1/‖g‖₁), as PyTorch's.
/// State is kept in <typeparamref name="T"/>, dot products are summed in double. Every buffer ((2m + 5)·n values) is
/// allocated by the constructor; <see cref="Minimize"/> allocates nothing.
/// </para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Lbfgs<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Memory<T>[] _values;
    private readonly Memory<T>[] _gradients;
    private readonly LbfgsOptions _options;
    private readonly T[][] _s;
    private readonly T[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private readonly T[] _x;        // the current point
    private readonly T[] _g;        // its gradient
    private readonly T[] _d;        // the search direction
    private readonly T[] _best;     // the best trial point of a line search, and
    private readonly T[] _bestGradient; // its gradient

    /// <summary>Registers the parameters and allocates the state.</summary>
    /// <param name="parameters">Each parameter's values and its gradient buffer (of equal lengths), as the other optimizers take them.</param>
    /// <param name="options">Tolerances and limits; null for the defaults.</param>
    /// <exception cref="ArgumentException">No parameters, or a gradient's length differs from its parameter's.</exception>
    public Lbfgs(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, LbfgsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        if (list.Count == 0 || list.Sum(p => (long)p.Value.Length) == 0)
        {
            throw new ArgumentException("L-BFGS needs at least one parameter value.", nameof(parameters));
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Value.Length != list[i].Gradient.Length)
            {
                throw new ArgumentException(
                    $"Parameter {i} has {list[i].Value.Length} values but its gradient has {list[i].Gradient.Length}: they must have the same length.", nameof(parameters));
            }
        }

        _options = options ?? new LbfgsOptions();
        _options.Validate();
        _values = list.Select(p => p.Value).ToArray();
        _gradients = list.Select(p => p.Gradient).ToArray();
        int n = checked((int)list.Sum(p => (long)p.Value.Length));
        Count = n;
        _s = Enumerable.Range(0, _options.History).Select(_ => new T[n]).ToArray();
        _y = Enumerable.Range(0, _options.History).Select(_ => new T[n]).ToArray();
        _rho = new double[_options.History];
        _alpha = new double[_options.History];
        (_x, _g, _d, _best, _bestGradient) = (new T[n], new T[n], new T[n], new T[n], new T[n]);
    }

    /// <summary>The number of values optimised.</summary>
    public int Count { get; }

    /// <summary>
    /// Minimises f from the parameters' current values, leaving the best point found in them (and its gradient in the
    /// gradient buffers).
    /// </summary>
    /// <param name="objective">Computes f at the parameters' current values, writes ∂f/∂x into the gradient buffers and returns f.</param>
    /// <returns>f and max |∂f/∂xᵢ| at the point left, the iterations and evaluations, and why it stopped.</returns>
    /// <exception cref="ArgumentException">f or its gradient is not finite at the starting point.</exception>
    public LbfgsResult Minimize(Func<double> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int history = 0, newest = -1, evaluations = 1;
        double f = objective();
        Gather(_x, _g);
        double gradientNorm = MaxAbs(_g);
        if (!double.IsFinite(f) || !double.IsFinite(gradientNorm))
        {
            throw new ArgumentException($"The objective is {f} with a gradient of largest magnitude {gradientNorm} at the start: start where f and its gradient are finite.", nameof(objective));
        }

        for (int iteration = 0; ; iteration++)
        {
            if (gradientNorm <= _options.GradientTolerance)
            {
                return Finish(f, gradientNorm, iteration, evaluations, LbfgsTermination.GradientTolerance);
            }

            if (iteration == _options.MaxIterations)
            {
                return Finish(f, gradientNorm, iteration, evaluations, LbfgsTermination.MaxIterations);
            }

            Direction(history, newest);
            double slope = Dot(_g, _d);
            if (!(slope < 0))
            {
                // Not a descent direction (the curvature pairs went stale): start again from steepest descent.
                history = 0;
                Direction(0, newest);
                slope = Dot(_g, _d);
            }

            double first = iteration == 0 ? Math.Min(1, 1 / SumAbs(_g)) : 1;
            var (step, fNew, used) = LineSearch(objective, f, slope, first);
            evaluations += used;
            if (step == 0)
            {
                return Finish(f, gradientNorm, iteration, evaluations, LbfgsTermination.NoProgress);
            }

            // s = x_new − x, y = g_new − g; the pair is kept where sᵀy > 0 (the strong Wolfe conditions ensure it).
            int slot = (newest + 1) % _s.Length;
            var s = _s[slot];
            var y = _y[slot];
            for (int i = 0; i < _x.Length; i++)
            {
                s[i] = _best[i] - _x[i];
                y[i] = _bestGradient[i] - _g[i];
            }

            double sy = Dot(s, y);
            if (sy > 1e-10 * Math.Sqrt(Dot(s, s) * Dot(y, y)))
            {
                _rho[slot] = 1 / sy;
                newest = slot;
                history = Math.Min(history + 1, _s.Length);
            }

            _best.CopyTo(_x, 0);
            _bestGradient.CopyTo(_g, 0);
            double change = f - fNew;
            f = fNew;
            gradientNorm = MaxAbs(_g);
            if (gradientNorm > _options.GradientTolerance)
            {
                if (_options.FunctionTolerance > 0 && change <= _options.FunctionTolerance * Math.Max(Math.Abs(f), 1))
                {
                    return Finish(f, gradientNorm, iteration + 1, evaluations, LbfgsTermination.FunctionTolerance);
                }

                if (!(change > 0))
                {
                    return Finish(f, gradientNorm, iteration + 1, evaluations, LbfgsTermination.NoProgress);
                }
            }
        }
    }

    // d = −H·g by the two-loop recursion over the newest `history` pairs.
    private void Direction(int history, int newest)
    {
        for (int i = 0; i < _d.Length; i++)
        {
            _d[i] = -_g[i];
        }

        int slots = _s.Length;
        for (int k = 0; k < history; k++)
        {
            int j = (newest - k + slots) % slots;
            _alpha[j] = _rho[j] * Dot(_s[j], _d);
            Axpy(-_alpha[j], _y[j], _d);
        }

        if (history > 0)
        {
            var y = _y[newest];
            double gamma = 1 / (_rho[newest] * Dot(y, y));
            Scale(gamma, _d);
        }

        for (int k = history - 1; k >= 0; k--)
        {
            int j = (newest - k + slots) % slots;
            double beta = _rho[j] * Dot(_y[j], _d);
            Axpy(_alpha[j] - beta, _s[j], _d);
        }
    }

    /// <summary>
    /// A step α along d meeting the strong Wolfe conditions (bracketing, then zooming by safeguarded cubic
    /// interpolation); leaves x + αd and its gradient in the best-point buffers and returns α (0 where no trial point
    /// decreased f), f there, and the evaluations made.
    /// </summary>
    private (double Step, double Value, int Evaluations) LineSearch(Func<double> objective, double f0, double slope0, double step)
    {
        double c1 = _options.SufficientDecrease, c2 = _options.Curvature;
        double bestStep = 0, bestValue = f0;
        double previousStep = 0, previousValue = f0, previousSlope = slope0;
        int evaluations = 0;
        double lo = 0, hi = 0, fLo = f0, fHi = 0, slopeLo = slope0, slopeHi = 0;
        bool zoom = false;

        while (evaluations < _options.MaxLineSearchEvaluations)
        {
            var (value, slope) = Evaluate(objective, step);
            evaluations++;
            if (double.IsFinite(value) && value < bestValue)
            {
                (bestStep, bestValue) = (step, value);
                Gather(_best, _bestGradient);
            }

            bool finite = double.IsFinite(value) && double.IsFinite(slope);
            if (!zoom)
            {
                if (!finite || value > f0 + (c1 * step * slope0) || (evaluations > 1 && value >= previousValue))
                {
                    (lo, fLo, slopeLo, hi, fHi, slopeHi, zoom) = (previousStep, previousValue, previousSlope, step, value, slope, true);
                }
                else if (Math.Abs(slope) <= -c2 * slope0)
                {
                    return Accept(step, value, evaluations);
                }
                else if (slope >= 0)
                {
                    (lo, fLo, slopeLo, hi, fHi, slopeHi, zoom) = (step, value, slope, previousStep, previousValue, previousSlope, true);
                }
                else
                {
                    // Extrapolate: the cubic's minimiser, at least 1.01·α and at most 10·α beyond the last step.
                    double next = Cubic(previousStep, previousValue, previousSlope, step, value, slope, step + (0.01 * (step - previousStep)), 10 * step);
                    (previousStep, previousValue, previousSlope) = (step, value, slope);
                    step = next;
                    continue;
                }
            }
            else
            {
                if (!finite || value > f0 + (c1 * step * slope0) || value >= fLo)
                {
                    (hi, fHi, slopeHi) = (step, value, slope);
                }
                else
                {
                    if (Math.Abs(slope) <= -c2 * slope0)
                    {
                        return Accept(step, value, evaluations);
                    }

                    if (slope * (hi - lo) >= 0)
                    {
                        (hi, fHi, slopeHi) = (lo, fLo, slopeLo);
                    }

                    (lo, fLo, slopeLo) = (step, value, slope);
                }
            }

            // The interval is below what the parameters can resolve: take the best point found.
            if (Math.Abs(hi - lo) * MaxAbs(_d) <= 1e-16 * Math.Max(MaxAbs(_x), 1))
            {
                break;
            }

            // Zoom: the cubic's minimiser in [lo, hi], or the midpoint where it falls within 10% of an end or is not finite.
            double low = Math.Min(lo, hi), high = Math.Max(lo, hi);
            step = double.IsFinite(fHi) && double.IsFinite(slopeHi)
                ? Cubic(lo, fLo, slopeLo, hi, fHi, slopeHi, low, high)
                : double.NaN;
            double margin = 0.1 * (high - low);
            if (!double.IsFinite(step) || step < low + margin || step > high - margin)
            {
                step = 0.5 * (low + high);
            }
        }

        return bestStep > 0 ? (bestStep, bestValue, evaluations) : (0, f0, evaluations);
    }

    // The point that met the Wolfe conditions, still in the parameters, becomes the next point (a trial of lower f
    // may have been seen on the way: an extrapolation beyond the sufficient-decrease line).
    private (double Step, double Value, int Evaluations) Accept(double step, double value, int evaluations)
    {
        Gather(_best, _bestGradient);
        return (step, value, evaluations);
    }

    // The minimiser of the cubic through (a, fa, ga) and (b, fb, gb), clamped to [low, high]; the bisection of the
    // bounds where the cubic has none (Nocedal and Wright, eq. 3.59).
    private static double Cubic(double a, double fa, double ga, double b, double fb, double gb, double low, double high)
    {
        double d1 = ga + gb - (3 * (fa - fb) / (a - b));
        double square = (d1 * d1) - (ga * gb);
        if (!(square >= 0) || a == b)
        {
            return 0.5 * (low + high);
        }

        double d2 = Math.Sign(b - a) * Math.Sqrt(square);
        double t = b - ((b - a) * (gb + d2 - d1) / (gb - ga + (2 * d2)));
        return double.IsFinite(t) ? Math.Clamp(t, low, high) : 0.5 * (low + high);
    }

    // Writes x + α·d into the parameters, calls the objective and returns f and the slope g·d there.
    private (double Value, double Slope) Evaluate(Func<double> objective, double step)
    {
        T a = T.CreateTruncating(step);
        int offset = 0;
        foreach (var value in _values)
        {
            var span = value.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = _x[offset + i] + (a * _d[offset + i]);
            }

            offset += span.Length;
        }

        double f = objective();
        double slope = 0;
        offset = 0;
        foreach (var gradient in _gradients)
        {
            var span = gradient.Span;
            for (int i = 0; i < span.Length; i++)
            {
                slope += double.CreateTruncating(span[i]) * double.CreateTruncating(_d[offset + i]);
            }

            offset += span.Length;
        }

        return (f, slope);
    }

    // Copies the parameters and their gradients into flat buffers.
    private void Gather(T[] values, T[] gradients)
    {
        int offset = 0;
        for (int p = 0; p < _values.Length; p++)
        {
            _values[p].Span.CopyTo(values.AsSpan(offset));
            _gradients[p].Span.CopyTo(gradients.AsSpan(offset));
            offset += _values[p].Length;
        }
    }

    // Leaves x (and its gradient) in the parameters.
    private LbfgsResult Finish(double f, double gradientNorm, int iterations, int evaluations, LbfgsTermination termination)
    {
        int offset = 0;
        for (int p = 0; p < _values.Length; p++)
        {
            _x.AsSpan(offset, _values[p].Length).CopyTo(_values[p].Span);
            _g.AsSpan(offset, _values[p].Length).CopyTo(_gradients[p].Span);
            offset += _values[p].Length;
        }

        return new LbfgsResult(f, gradientNorm, iterations, evaluations, termination);
    }

    private static double Dot(T[] a, T[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        }

        return sum;
    }

    private static void Axpy(double a, T[] x, T[] y)
    {
        T scale = T.CreateTruncating(a);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += scale * x[i];
        }
    }

    private static void Scale(double a, T[] x)
    {
        T scale = T.CreateTruncating(a);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= scale;
        }
    }

    private static double MaxAbs(T[] x)
    {
        double largest = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = Math.Abs(double.CreateTruncating(x[i]));
            largest = v > largest || double.IsNaN(v) ? v : largest;
        }

        return largest;
    }

    private static double SumAbs(T[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Abs(double.CreateTruncating(x[i]));
        }

        return sum;
    }
}

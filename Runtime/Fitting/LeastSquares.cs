namespace AutoDiff.Fitting;

/// <summary>
/// Nonlinear least squares: the parameters b that minimise S(b) = Σᵢ wᵢ·(yᵢ − f(b; xᵢ))² for a model f whose gradient
/// the generator wrote, by Levenberg–Marquardt with a trust region and scaled steps.
/// </summary>
/// <remarks>
/// <para>
/// The method is MINPACK's <c>lmder</c> (Moré 1978; Moré, Garbow and Hillstrom 1980), which Ceres Solver's and SciPy's
/// <c>method='lm'</c> follow in substance. Each outer iteration factors the Jacobian once, J·P = Q·R, with Householder
/// reflections and column pivoting. A step p solves min ‖J·p + r‖ subject to ‖D·p‖ ≤ Δ: for a trial damping λ,
/// Givens rotations reduce [R; √λ·D] to a triangle (the same factors serve every λ), and a safeguarded Newton
/// iteration on λ brings ‖D·p‖ to Δ. JᵀJ is never formed, so the condition number is not squared: problems as
/// ill-conditioned as NIST's Lanczos, MGH09 and MGH10 keep their digits. D holds the Jacobian's largest column norms
/// so far (invariance to the parameters' units); Δ grows after good steps and shrinks after poor ones from the ratio of
/// actual to predicted reduction, and a step that makes the model non-finite (a power of a negative base, an
/// overflowing exponential) counts as a poor one.
/// </para>
/// <para>
/// The model's values and gradients come together (the generated <c>…Gradient</c> form), so each step costs one pass
/// over the observations, and the Jacobian of an accepted step is the one its evaluation produced. A fit allocates its
/// workspace (two m × n Jacobians and a few vectors) and its result once; the iterations allocate nothing.
/// </para>
/// </remarks>
public static class LeastSquares
{
    /// <summary>Fits y ≈ f(b; x) for a model of one predictor.</summary>
    /// <param name="model">The model's value and gradient: the generated <c>…Gradient</c> of <c>[Differentiable] static double F(ReadOnlySpan&lt;double&gt; b, [NoDiff] double x)</c>.</param>
    /// <param name="x">The predictor of each observation.</param>
    /// <param name="y">The response of each observation.</param>
    /// <param name="start">The starting parameters b₀ (their count is the model's).</param>
    /// <param name="options">Tolerances, weights and limits; null for the defaults.</param>
    /// <returns>The estimate, its standard errors, S(b̂) and why the solver stopped.</returns>
    /// <exception cref="ArgumentException">x and y differ in length, there are fewer observations than parameters, or the model is not finite at the start.</exception>
    public static FitResult Fit(ModelGradient model, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> start, LeastSquaresOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"{nameof(x)} has {x.Length} observations but {nameof(y)} has {y.Length}: give one predictor per response.", nameof(x));
        }

        return Solve(new PredictorModel(model, x), y, start, options ?? Default);
    }

    /// <summary>Fits yᵢ ≈ f(b; i) for a model that reads its own predictors (several per observation, for example).</summary>
    /// <param name="model">Observation i's value and gradient.</param>
    /// <param name="y">The response of each observation; its length is the number of observations.</param>
    /// <param name="start">The starting parameters b₀ (their count is the model's).</param>
    /// <param name="options">Tolerances, weights and limits; null for the defaults.</param>
    /// <returns>The estimate, its standard errors, S(b̂) and why the solver stopped.</returns>
    /// <exception cref="ArgumentException">There are fewer observations than parameters, or the model is not finite at the start.</exception>
    public static FitResult Fit(ObservationGradient model, ReadOnlySpan<double> y, ReadOnlySpan<double> start, LeastSquaresOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Solve(new IndexedModel(model), y, start, options ?? Default);
    }

    private static readonly LeastSquaresOptions Default = new();

    // MINPACK's thresholds: a step is taken when it achieves this fraction of the predicted reduction.
    private const double AcceptRatio = 1e-4;

    // Gauss–Newton converges linearly where residuals are large and curved (ENSO, MGH09: each step 0.64 of the one
    // before), so polishing from 1e-8 to 1e-16 can take 40 steps; most problems settle in 2 or 3.
    private const int MaxPolishSteps = 100;

    private static FitResult Solve<TModel>(TModel model, ReadOnlySpan<double> y, ReadOnlySpan<double> start, LeastSquaresOptions options)
        where TModel : IObservationModel, allows ref struct
    {
        int m = y.Length;
        int n = start.Length;
        if (n == 0)
        {
            throw new ArgumentException("There are no parameters to fit.", nameof(start));
        }

        if (m < n)
        {
            throw new ArgumentException($"There are {m} observations for {n} parameters: a fit needs at least as many observations as parameters.", nameof(y));
        }

        for (int j = 0; j < n; j++)
        {
            if (!double.IsFinite(start[j]))
            {
                throw new ArgumentException($"Starting parameter {j} is {start[j]}: every starting value must be finite.", nameof(start));
            }
        }

        for (int i = 0; i < m; i++)
        {
            if (!double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Response {i} is {y[i]}: every response must be finite.", nameof(y));
            }
        }

        options.Validate(m);
        var w = new Workspace(m, n, options.Weights);
        var b = start.ToArray();

        double norm = w.Evaluate(ref model, b, y, w.Residuals, w.Jacobian);
        if (!double.IsFinite(norm))
        {
            throw new ArgumentException(
                $"The model or its gradient is not finite at the starting parameters (observation {w.FirstNonFinite}): start where the model is defined.", nameof(start));
        }

        double initialCost = norm * norm;
        int iterations = 0;
        int evaluations = 1;
        FitTermination? termination = norm == 0 ? FitTermination.ExactFit : null;
        double delta = 0, scaledNorm = 0, damping = 0;
        var diagonal = w.Diagonal;

        while (termination is null)
        {
            w.Factor();
            var qtr = w.QtResiduals.AsSpan(0, n);
            if (iterations == 0)
            {
                for (int j = 0; j < n; j++)
                {
                    diagonal[j] = w.ColumnNorms[j] == 0 ? 1 : w.ColumnNorms[j];
                    w.Work1[j] = diagonal[j] * b[j];
                }

                scaledNorm = PivotedQr.Norm(w.Work1);
                delta = options.InitialStepBound * scaledNorm;
                if (delta == 0)
                {
                    delta = options.InitialStepBound;
                }
            }

            // The scaled gradient: the largest cosine between r and a column of J.
            double gradientNorm = 0;
            for (int j = 0; j < n; j++)
            {
                int l = w.Pivots[j];
                if (w.ColumnNorms[l] != 0)
                {
                    double sum = 0;
                    for (int i = 0; i <= j; i++)
                    {
                        sum += w.Jacobian[(j * m) + i] * (qtr[i] / norm);
                    }

                    gradientNorm = Math.Max(gradientNorm, Math.Abs(sum / w.ColumnNorms[l]));
                }
            }

            if (gradientNorm <= Math.Max(options.GradientTolerance, LeastSquaresOptions.MachineEpsilon))
            {
                termination = FitTermination.GradientTolerance;
                break;
            }

            for (int j = 0; j < n; j++)
            {
                diagonal[j] = Math.Max(diagonal[j], w.ColumnNorms[j]);
            }

            // Try steps until one reduces S enough; each shrinks or grows the trust region.
            double ratio;
            do
            {
                damping = TrustRegionStep.Damping(w.Jacobian, m, n, w.Pivots, diagonal, qtr, delta, damping, w.Step, w.SDiagonal, w.Work1, w.Work2);
                for (int j = 0; j < n; j++)
                {
                    w.Step[j] = -w.Step[j];
                    w.Trial[j] = b[j] + w.Step[j];
                    w.Work1[j] = diagonal[j] * w.Step[j];
                }

                double stepNorm = PivotedQr.Norm(w.Work1);
                if (iterations == 0)
                {
                    delta = Math.Min(delta, stepNorm);
                }

                double trialNorm = w.Evaluate(ref model, w.Trial, y, w.TrialResiduals, w.TrialJacobian);
                iterations++;
                evaluations++;

                double actual = trialNorm < 10 * norm ? 1 - ((trialNorm / norm) * (trialNorm / norm)) : -1;

                // The reduction the linear model predicts: ‖J·p‖² + 2λ‖D·p‖², relative to ‖r‖².
                for (int j = 0; j < n; j++)
                {
                    w.Work1[j] = 0;
                    double pj = w.Step[w.Pivots[j]];
                    for (int i = 0; i <= j; i++)
                    {
                        w.Work1[i] += w.Jacobian[(j * m) + i] * pj;
                    }
                }

                double linear = PivotedQr.Norm(w.Work1) / norm;
                double damped = Math.Sqrt(damping) * stepNorm / norm;
                double predicted = (linear * linear) + (2 * damped * damped);
                double directional = -((linear * linear) + (damped * damped));
                ratio = predicted != 0 ? actual / predicted : 0;

                if (ratio <= 0.25)
                {
                    double shrink = actual >= 0 ? 0.5 : 0.5 * directional / (directional + (0.5 * actual));
                    if (trialNorm >= 10 * norm || shrink < 0.1)
                    {
                        shrink = 0.1;
                    }

                    delta = shrink * Math.Min(delta, stepNorm / 0.1);
                    damping /= shrink;
                }
                else if (damping == 0 || ratio >= 0.75)
                {
                    delta = stepNorm / 0.5;
                    damping *= 0.5;
                }

                if (ratio >= AcceptRatio)
                {
                    w.Accept(b);
                    norm = trialNorm;
                    for (int j = 0; j < n; j++)
                    {
                        w.Work1[j] = diagonal[j] * b[j];
                    }

                    scaledNorm = PivotedQr.Norm(w.Work1);
                }

                double functionTolerance = Math.Max(options.FunctionTolerance, LeastSquaresOptions.MachineEpsilon);
                if (norm == 0)
                {
                    termination = FitTermination.ExactFit;
                }
                else if (Math.Abs(actual) <= functionTolerance && predicted <= functionTolerance && 0.5 * ratio <= 1)
                {
                    termination = FitTermination.FunctionTolerance;
                }
                else if (delta <= Math.Max(options.ParameterTolerance, LeastSquaresOptions.MachineEpsilon) * scaledNorm)
                {
                    termination = FitTermination.ParameterTolerance;
                }
                else if (iterations >= options.MaxIterations)
                {
                    termination = FitTermination.MaxIterations;
                }
            }
            while (ratio < AcceptRatio && termination is null);
        }

        if (termination != FitTermination.MaxIterations && termination != FitTermination.ExactFit)
        {
            evaluations += Polish(ref model, y, b, ref norm, w);
        }

        // Standard errors from the QR factors of the Jacobian at b̂.
        double finalNorm = w.Evaluate(ref model, b, y, w.Residuals, w.Jacobian);
        evaluations++;
        var errors = w.StandardErrors(finalNorm * finalNorm);
        return new FitResult(b, errors, finalNorm * finalNorm, initialCost, m, iterations, evaluations, termination.Value);
    }

    /// <summary>
    /// Gauss–Newton steps from the converged point while they contract. The trust region stops when S can no longer
    /// tell steps apart (its relative change at machine precision, or the rounding of the model's values), which leaves
    /// the parameters only about √ε·(their standard errors) from the minimum: the first-order condition Jᵀr = 0 still
    /// determines them to about ε·κ(J). A step is taken while it is small (‖D·p‖ ≤ 10⁻⁶·‖D·b‖), shorter than the one
    /// before, changes some parameter by more than ε relative, and leaves ‖r‖ within 5·10⁻¹¹ of its value plus the
    /// rounding of the model's values (64·ε·‖√w·y‖): a change no statistic of the fit can see. Returns the evaluations made.
    /// </summary>
    private static int Polish<TModel>(ref TModel model, ReadOnlySpan<double> y, double[] b, ref double norm, Workspace w)
        where TModel : IObservationModel, allows ref struct
    {
        int m = y.Length;
        int n = b.Length;
        var diagonal = w.Diagonal;
        double previousStep = double.PositiveInfinity;
        double noise = 64 * LeastSquaresOptions.MachineEpsilon * w.WeightedNorm(y);
        int evaluations = 1;
        norm = w.Evaluate(ref model, b, y, w.Residuals, w.Jacobian);
        for (int k = 0; k < MaxPolishSteps && norm > 0; k++)
        {
            w.Factor();
            TrustRegionStep.GaussNewton(w.Jacobian, m, n, w.Pivots, w.QtResiduals, w.Step, w.Work1);
            for (int j = 0; j < n; j++)
            {
                w.Trial[j] = b[j] - w.Step[j];
                w.Work1[j] = diagonal[j] * w.Step[j];
                w.Work2[j] = diagonal[j] * b[j];
            }

            double stepNorm = PivotedQr.Norm(w.Work1);
            bool settled = true;
            for (int j = 0; j < n; j++)
            {
                settled &= Math.Abs(w.Step[j]) <= LeastSquaresOptions.MachineEpsilon * Math.Abs(b[j]);
            }

            if (settled || !(stepNorm < previousStep) || stepNorm > 1e-6 * PivotedQr.Norm(w.Work2))
            {
                break;
            }

            double trialNorm = w.Evaluate(ref model, w.Trial, y, w.TrialResiduals, w.TrialJacobian);
            evaluations++;
            if (!(trialNorm <= (norm * (1 + 5e-11)) + noise))
            {
                break;
            }

            w.Accept(b);
            norm = trialNorm;
            previousStep = stepNorm;
        }

        return evaluations;
    }

    /// <summary>Every buffer of one fit, allocated once.</summary>
    private sealed class Workspace
    {
        private readonly int _m;
        private readonly int _n;
        private readonly double[]? _rootWeights;
        private readonly double[] _row;

        public Workspace(int m, int n, double[]? weights)
        {
            _m = m;
            _n = n;
            _rootWeights = weights?.Select(Math.Sqrt).ToArray();
            _row = new double[n];
            Jacobian = new double[m * n];
            TrialJacobian = new double[m * n];
            Residuals = new double[m];
            TrialResiduals = new double[m];
            QtResiduals = new double[m];
            Pivots = new int[n];
            RDiagonal = new double[n];
            ColumnNorms = new double[n];
            Diagonal = new double[n];
            Step = new double[n];
            Trial = new double[n];
            SDiagonal = new double[n];
            Work1 = new double[n];
            Work2 = new double[n];
        }

        public double[] Jacobian { get; set; }

        public double[] TrialJacobian { get; set; }

        public double[] Residuals { get; set; }

        public double[] TrialResiduals { get; set; }

        public double[] QtResiduals { get; }

        public int[] Pivots { get; }

        public double[] RDiagonal { get; }

        public double[] ColumnNorms { get; }

        public double[] Diagonal { get; }

        public double[] Step { get; }

        public double[] Trial { get; }

        public double[] SDiagonal { get; }

        public double[] Work1 { get; }

        public double[] Work2 { get; }

        /// <summary>J·P = Q·R in place, Qᵀ·r into <see cref="QtResiduals"/>, and R's diagonal into the triangle.</summary>
        public void Factor()
        {
            PivotedQr.Factor(Jacobian, _m, _n, Pivots, RDiagonal, ColumnNorms, Work1);
            Residuals.CopyTo(QtResiduals, 0);
            PivotedQr.ApplyQTransposed(Jacobian, _m, _n, QtResiduals);
            for (int j = 0; j < _n; j++)
            {
                Jacobian[(j * _m) + j] = RDiagonal[j];
            }
        }

        /// <summary>The trial point becomes the current one: its parameters into b, its residuals and Jacobian by swapping buffers.</summary>
        public void Accept(double[] b)
        {
            Trial.CopyTo(b, 0);
            (Residuals, TrialResiduals) = (TrialResiduals, Residuals);
            (Jacobian, TrialJacobian) = (TrialJacobian, Jacobian);
        }

        /// <summary>‖√w·y‖: the scale of the model's values, whose rounding makes ‖r‖ noisy.</summary>
        public double WeightedNorm(ReadOnlySpan<double> y)
        {
            var scaled = TrialResiduals.AsSpan(0, _m);
            for (int i = 0; i < _m; i++)
            {
                scaled[i] = (_rootWeights is null ? 1 : _rootWeights[i]) * y[i];
            }

            return PivotedQr.Norm(scaled);
        }

        /// <summary>The first observation whose value or gradient was not finite in the last evaluation.</summary>
        public int FirstNonFinite { get; private set; }

        /// <summary>
        /// rᵢ = √wᵢ·(f(b; i) − yᵢ) and the Jacobian ∂r/∂b (column-major) at b; returns ‖r‖, or +∞ when a value or
        /// gradient is not finite.
        /// </summary>
        public double Evaluate<TModel>(ref TModel model, ReadOnlySpan<double> b, ReadOnlySpan<double> y, Span<double> residuals, Span<double> jacobian)
            where TModel : IObservationModel, allows ref struct
        {
            var row = _row.AsSpan();
            for (int i = 0; i < _m; i++)
            {
                double value = model.Evaluate(b, i, row);
                double root = _rootWeights is null ? 1 : _rootWeights[i];
                double residual = root * (value - y[i]);
                residuals[i] = residual;
                bool finite = double.IsFinite(residual);
                for (int j = 0; j < _n; j++)
                {
                    double d = root * row[j];
                    jacobian[(j * _m) + i] = d;
                    finite &= double.IsFinite(d);
                }

                if (!finite)
                {
                    FirstNonFinite = i;
                    return double.PositiveInfinity;
                }
            }

            return PivotedQr.Norm(residuals[.._m]);
        }

        /// <summary>√(s²·[(JᵀJ)⁻¹]ⱼⱼ) from J·P = Q·R: (JᵀJ)⁻¹ = P·R⁻¹·R⁻ᵀ·Pᵀ, so entry j is the squared norm of a row of R⁻¹.</summary>
        public double[] StandardErrors(double cost)
        {
            var errors = new double[_n];
            int freedom = _m - _n;
            PivotedQr.Factor(Jacobian, _m, _n, Pivots, RDiagonal, ColumnNorms, Work1);
            double largest = Math.Abs(RDiagonal[0]);
            bool singular = false;
            for (int j = 0; j < _n; j++)
            {
                singular |= Math.Abs(RDiagonal[j]) <= largest * LeastSquaresOptions.MachineEpsilon * _m;
            }

            if (freedom <= 0 || singular)
            {
                Array.Fill(errors, double.NaN);
                return errors;
            }

            // R⁻¹ column by column into the upper triangle of the first n rows (R's diagonal kept aside in RDiagonal).
            var inverse = TrialJacobian.AsSpan(0, _n * _n);
            inverse.Clear();
            for (int k = 0; k < _n; k++)
            {
                inverse[(k * _n) + k] = 1 / RDiagonal[k];
                for (int i = k - 1; i >= 0; i--)
                {
                    double sum = 0;
                    for (int l = i + 1; l <= k; l++)
                    {
                        sum += Jacobian[(l * _m) + i] * inverse[(k * _n) + l];
                    }

                    inverse[(k * _n) + i] = -sum / RDiagonal[i];
                }
            }

            double variance = cost / freedom;
            for (int i = 0; i < _n; i++)
            {
                double sum = 0;
                for (int k = i; k < _n; k++)
                {
                    double e = inverse[(k * _n) + i];
                    sum += e * e;
                }

                errors[Pivots[i]] = Math.Sqrt(variance * sum);
            }

            return errors;
        }
    }
}

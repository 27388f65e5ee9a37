namespace AutoDiff.Fitting;

/// <summary>
/// The Levenberg–Marquardt step of a trust region (MINPACK's <c>lmpar</c>): the damping λ ≥ 0 for which the solution p
/// of min ‖[J; √λ·D]·p − [r; 0]‖ has ‖D·p‖ within 10% of Δ, or λ = 0 when the Gauss–Newton step already lies inside.
/// λ is found by a safeguarded Newton iteration on φ(λ) = ‖D·p(λ)‖ − Δ between bounds that close in on it (at most 10
/// solves, each reusing J's QR factors through <see cref="PivotedQr.SolveDamped"/>).
/// </summary>
internal static class TrustRegionStep
{
    // The smallest positive normal double (MINPACK's dwarf).
    private const double Dwarf = 2.2250738585072014e-308;

    /// <summary>Computes the step into <paramref name="step"/> (solving J·p ≈ r: the caller negates it) and returns λ.</summary>
    /// <param name="r">J's factors (m × n, column-major): R in the upper triangle of the first n rows, diagonal included.</param>
    /// <param name="m">Rows of r.</param>
    /// <param name="n">Columns.</param>
    /// <param name="pivots">J's column pivots.</param>
    /// <param name="diagonal">D (n, original column order), no entry zero.</param>
    /// <param name="qtr">(Qᵀ·r)[..n].</param>
    /// <param name="delta">The trust region's radius Δ.</param>
    /// <param name="damping">The previous λ, the first guess.</param>
    /// <param name="step">Receives p (n).</param>
    /// <param name="sDiagonal">Scratch for the damped triangle's diagonal (n).</param>
    /// <param name="work1">n scratch entries.</param>
    /// <param name="work2">n scratch entries.</param>
    public static double Damping(Span<double> r, int m, int n, ReadOnlySpan<int> pivots, ReadOnlySpan<double> diagonal, ReadOnlySpan<double> qtr,
        double delta, double damping, Span<double> step, Span<double> sDiagonal, Span<double> work1, Span<double> work2)
    {
        int rank = GaussNewton(r, m, n, pivots, qtr, step, work1);
        double scaledNorm = ScaledNorm(diagonal, step, work2);
        double excess = scaledNorm - delta;
        if (excess <= 0.1 * delta)
        {
            return 0;
        }

        // A lower bound on λ from the Newton step at 0 (only where R is non-singular).
        double lower = 0;
        if (rank == n)
        {
            for (int j = 0; j < n; j++)
            {
                int l = pivots[j];
                work1[j] = diagonal[l] * (work2[l] / scaledNorm);
            }

            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int i = 0; i < j; i++)
                {
                    sum += r[(j * m) + i] * work1[i];
                }

                work1[j] = (work1[j] - sum) / r[(j * m) + j];
            }

            double t = PivotedQr.Norm(work1[..n]);
            lower = excess / delta / t / t;
        }

        // An upper bound from the scaled gradient ‖D⁻¹·Jᵀ·r‖ / Δ.
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i <= j; i++)
            {
                sum += r[(j * m) + i] * qtr[i];
            }

            work1[j] = sum / diagonal[pivots[j]];
        }

        double gradientNorm = PivotedQr.Norm(work1[..n]);
        double upper = gradientNorm / delta;
        if (upper == 0)
        {
            upper = Dwarf / Math.Min(delta, 0.1);
        }

        damping = Math.Min(Math.Max(damping, lower), upper);
        if (damping == 0)
        {
            damping = gradientNorm / scaledNorm;
        }

        for (int iteration = 1; ; iteration++)
        {
            if (damping == 0)
            {
                damping = Math.Max(Dwarf, 0.001 * upper);
            }

            double root = Math.Sqrt(damping);
            for (int j = 0; j < n; j++)
            {
                work1[j] = root * diagonal[j];
            }

            PivotedQr.SolveDamped(r, m, n, pivots, work1, qtr, step, sDiagonal, work2);
            scaledNorm = ScaledNorm(diagonal, step, work2);
            double previous = excess;
            excess = scaledNorm - delta;

            // Close enough to Δ, or φ is negative and increasing from λ = 0 on (it cannot get closer), or out of tries.
            if (Math.Abs(excess) <= 0.1 * delta || (lower == 0 && excess <= previous && previous < 0) || iteration == 10)
            {
                return damping;
            }

            // Newton's correction for φ, through the damped triangle S (its transpose is in r's lower triangle).
            for (int j = 0; j < n; j++)
            {
                int l = pivots[j];
                work1[j] = diagonal[l] * (work2[l] / scaledNorm);
            }

            for (int j = 0; j < n; j++)
            {
                work1[j] /= sDiagonal[j];
                double t = work1[j];
                for (int i = j + 1; i < n; i++)
                {
                    work1[i] -= r[(j * m) + i] * t;
                }
            }

            double norm = PivotedQr.Norm(work1[..n]);
            double correction = excess / delta / norm / norm;
            if (excess > 0)
            {
                lower = Math.Max(lower, damping);
            }
            else if (excess < 0)
            {
                upper = Math.Min(upper, damping);
            }

            damping = Math.Max(lower, damping + correction);
        }
    }

    /// <summary>
    /// The Gauss–Newton step p = R⁻¹·(Qᵀ·r) (permuted back), from R's leading non-singular part where R is singular
    /// (the rest of p zero); the caller negates it. Returns that part's size.
    /// </summary>
    public static int GaussNewton(ReadOnlySpan<double> r, int m, int n, ReadOnlySpan<int> pivots, ReadOnlySpan<double> qtr, Span<double> step, Span<double> work)
    {
        int rank = n;
        for (int j = 0; j < n; j++)
        {
            work[j] = qtr[j];
            if (r[(j * m) + j] == 0 && rank == n)
            {
                rank = j;
            }

            if (rank < n)
            {
                work[j] = 0;
            }
        }

        for (int j = rank - 1; j >= 0; j--)
        {
            work[j] /= r[(j * m) + j];
            double t = work[j];
            for (int i = 0; i < j; i++)
            {
                work[i] -= r[(j * m) + i] * t;
            }
        }

        for (int j = 0; j < n; j++)
        {
            step[pivots[j]] = work[j];
        }

        return rank;
    }

    // ‖D·p‖, leaving D·p in scaled.
    private static double ScaledNorm(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> p, Span<double> scaled)
    {
        for (int j = 0; j < diagonal.Length; j++)
        {
            scaled[j] = diagonal[j] * p[j];
        }

        return PivotedQr.Norm(scaled[..diagonal.Length]);
    }
}

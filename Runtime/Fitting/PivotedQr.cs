namespace AutoDiff.Fitting;

/// <summary>
/// The dense linear algebra of <see cref="LeastSquares"/>: Householder QR with column pivoting of an m × n matrix
/// stored column by column, and the damped least-squares solve min ‖[A; D]·x − [b; 0]‖ on the factors by Givens
/// rotations. The algorithms of MINPACK's <c>qrfac</c> and <c>qrsolv</c> (Moré, Garbow and Hillstrom, 1980),
/// written over spans: nothing is allocated, every buffer is the caller's.
/// </summary>
/// <remarks>
/// Why not MathNet.Numerics: its factorizations allocate their results on every call (a solver step would allocate),
/// it has no QR with column pivoting that exposes the pivots and the Householder vectors in place, and the damped
/// solve that reuses one factorization for every trial damping is not a library routine anywhere. The problems are
/// small (n ≤ a few dozen parameters), so a plain column-oriented loop is as fast as a blocked one.
/// </remarks>
internal static class PivotedQr
{
    /// <summary>
    /// Factors A·P = Q·R in place. On return the columns of A hold the Householder vectors v from the diagonal down
    /// (<see cref="ApplyQTransposed"/> reads them), the upper triangle of A's first n rows holds R above its diagonal,
    /// and <paramref name="rDiagonal"/> holds R's diagonal: write it into A's diagonal once Qᵀ is applied.
    /// </summary>
    /// <param name="a">m × n, column j at j·m.</param>
    /// <param name="m">Rows, m ≥ n.</param>
    /// <param name="n">Columns.</param>
    /// <param name="pivots">Receives P: column j of A·P is column pivots[j] of A.</param>
    /// <param name="rDiagonal">Receives R's diagonal (n), non-increasing in magnitude.</param>
    /// <param name="columnNorms">Receives the norms of A's columns before the factorization (n).</param>
    /// <param name="work">n scratch entries.</param>
    public static void Factor(Span<double> a, int m, int n, Span<int> pivots, Span<double> rDiagonal, Span<double> columnNorms, Span<double> work)
    {
        for (int j = 0; j < n; j++)
        {
            double norm = Norm(a.Slice(j * m, m));
            columnNorms[j] = norm;
            rDiagonal[j] = norm;
            work[j] = norm;
            pivots[j] = j;
        }

        for (int j = 0; j < n; j++)
        {
            // Bring the column of largest remaining norm to the pivot position.
            int largest = j;
            for (int k = j + 1; k < n; k++)
            {
                if (rDiagonal[k] > rDiagonal[largest])
                {
                    largest = k;
                }
            }

            if (largest != j)
            {
                var left = a.Slice(j * m, m);
                var right = a.Slice(largest * m, m);
                for (int i = 0; i < m; i++)
                {
                    (left[i], right[i]) = (right[i], left[i]);
                }

                rDiagonal[largest] = rDiagonal[j];
                work[largest] = work[j];
                (pivots[j], pivots[largest]) = (pivots[largest], pivots[j]);
            }

            // The Householder reflection I − v·vᵀ/v₀ that zeroes column j below the diagonal.
            var v = a.Slice((j * m) + j, m - j);
            double vNorm = Norm(v);
            if (vNorm != 0)
            {
                if (v[0] < 0)
                {
                    vNorm = -vNorm;
                }

                for (int i = 0; i < v.Length; i++)
                {
                    v[i] /= vNorm;
                }

                v[0] += 1;

                // Apply it to the remaining columns and downdate their norms, recomputed where cancellation looms.
                for (int k = j + 1; k < n; k++)
                {
                    var column = a.Slice((k * m) + j, m - j);
                    double scale = Dot(v, column) / v[0];
                    for (int i = 0; i < column.Length; i++)
                    {
                        column[i] -= scale * v[i];
                    }

                    if (rDiagonal[k] != 0)
                    {
                        double ratio = column[0] / rDiagonal[k];
                        rDiagonal[k] *= Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)));
                        double relative = rDiagonal[k] / work[k];
                        if (0.05 * relative * relative <= Epsilon)
                        {
                            rDiagonal[k] = Norm(column[1..]);
                            work[k] = rDiagonal[k];
                        }
                    }
                }
            }

            rDiagonal[j] = -vNorm;
        }
    }

    /// <summary>Overwrites b (m) with Qᵀ·b from the Householder vectors <see cref="Factor"/> left in A.</summary>
    public static void ApplyQTransposed(ReadOnlySpan<double> a, int m, int n, Span<double> b)
    {
        for (int j = 0; j < n; j++)
        {
            var v = a.Slice((j * m) + j, m - j);
            if (v[0] != 0)
            {
                var tail = b[j..];
                double scale = -Dot(v, tail) / v[0];
                for (int i = 0; i < tail.Length; i++)
                {
                    tail[i] += scale * v[i];
                }
            }
        }
    }

    /// <summary>
    /// Solves min ‖[A; D]·x − [b; 0]‖ for x, where A·P = Q·R and <paramref name="qtb"/> = (Qᵀ·b)[..n]: Givens rotations
    /// reduce [R; Pᵀ·D·P] to an upper triangle S, whose transpose is left in the strict lower triangle of r's first n
    /// rows (R, diagonal included, is kept) and whose diagonal goes to <paramref name="sDiagonal"/>. A singular S
    /// gives the solution of its leading non-singular part, the rest of x zero.
    /// </summary>
    /// <param name="r">m × n, column-major: R in the upper triangle of its first n rows, diagonal included.</param>
    /// <param name="m">Rows of r (its column stride).</param>
    /// <param name="n">Columns.</param>
    /// <param name="pivots">P from <see cref="Factor"/>.</param>
    /// <param name="diagonal">D's diagonal, in the original column order (n).</param>
    /// <param name="qtb">The first n entries of Qᵀ·b.</param>
    /// <param name="x">Receives the solution (n).</param>
    /// <param name="sDiagonal">Receives S's diagonal (n).</param>
    /// <param name="work">n scratch entries.</param>
    public static void SolveDamped(Span<double> r, int m, int n, ReadOnlySpan<int> pivots, ReadOnlySpan<double> diagonal,
        ReadOnlySpan<double> qtb, Span<double> x, Span<double> sDiagonal, Span<double> work)
    {
        // Copy R's rows into the lower triangle (column j from the diagonal down holds row j of R); keep its diagonal in x.
        for (int j = 0; j < n; j++)
        {
            for (int i = j + 1; i < n; i++)
            {
                r[(j * m) + i] = r[(i * m) + j];
            }

            x[j] = r[(j * m) + j];
            work[j] = qtb[j];
        }

        for (int j = 0; j < n; j++)
        {
            double d = diagonal[pivots[j]];
            if (d != 0)
            {
                sDiagonal[j..n].Clear();
                sDiagonal[j] = d;

                // Rotate row j of D into the triangle; the right-hand side's entry for that row starts at 0.
                double extra = 0;
                for (int k = j; k < n; k++)
                {
                    if (sDiagonal[k] == 0)
                    {
                        continue;
                    }

                    ref double rkk = ref r[(k * m) + k];
                    double cos, sin;
                    if (Math.Abs(rkk) < Math.Abs(sDiagonal[k]))
                    {
                        double cotangent = rkk / sDiagonal[k];
                        sin = 0.5 / Math.Sqrt(0.25 + (0.25 * cotangent * cotangent));
                        cos = sin * cotangent;
                    }
                    else
                    {
                        double tangent = sDiagonal[k] / rkk;
                        cos = 0.5 / Math.Sqrt(0.25 + (0.25 * tangent * tangent));
                        sin = cos * tangent;
                    }

                    rkk = (cos * rkk) + (sin * sDiagonal[k]);
                    double rotated = (cos * work[k]) + (sin * extra);
                    extra = (-sin * work[k]) + (cos * extra);
                    work[k] = rotated;

                    for (int i = k + 1; i < n; i++)
                    {
                        double rik = r[(k * m) + i];
                        r[(k * m) + i] = (cos * rik) + (sin * sDiagonal[i]);
                        sDiagonal[i] = (-sin * rik) + (cos * sDiagonal[i]);
                    }
                }
            }

            // The diagonal now holds S's entry; R's goes back.
            sDiagonal[j] = r[(j * m) + j];
            r[(j * m) + j] = x[j];
        }

        // Back-substitution with S (its transpose is in the lower triangle); a zero pivot ends the non-singular part.
        int rank = n;
        for (int j = 0; j < n; j++)
        {
            if (sDiagonal[j] == 0 && rank == n)
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
            double sum = 0;
            for (int i = j + 1; i < rank; i++)
            {
                sum += r[(j * m) + i] * work[i];
            }

            work[j] = (work[j] - sum) / sDiagonal[j];
        }

        for (int j = 0; j < n; j++)
        {
            x[pivots[j]] = work[j];
        }
    }

    /// <summary>The Euclidean norm, scaled against overflow and underflow (MINPACK's <c>enorm</c> does the same by cases).</summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double scale = 0;
        for (int i = 0; i < v.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(v[i]));
        }

        if (scale == 0 || !double.IsFinite(scale))
        {
            return scale;
        }

        double sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double t = v[i] / scale;
            sum += t * t;
        }

        return scale * Math.Sqrt(sum);
    }

    /// <summary>aᵀb, summed in order.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private const double Epsilon = 2.220446049250313e-16;
}

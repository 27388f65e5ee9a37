using AutoDiff.Cli.Fitting;
using AutoDiff.Fitting;

namespace AutoDiff.Runtime.Tests.Fitting;

public sealed class LeastSquaresTests
{
    private static readonly ModelGradient Line = (b, x, dB) =>
    {
        dB[0] = 1;
        dB[1] = x;
        return b[0] + (b[1] * x);
    };

    // A worked example: y = 2 + 3x plus residuals e = (1, −2, 0, 2, −1), orthogonal to 1 and x, so the least-squares
    // line is exactly (2, 3), S = Σe² = 10, s² = 10/3, Var b₁ = s²/Σ(x − x̄)² = 1/3 and Var b₀ = s²·(1/n + x̄²/Σ(x − x̄)²) = 2.
    [Fact]
    public void A_straight_line_gives_the_textbook_estimates_and_standard_errors()
    {
        double[] x = [0, 1, 2, 3, 4];
        double[] y = [3, 3, 8, 13, 13];
        var result = LeastSquares.Fit(Line, x, y, [0, 0]);
        Assert.True(result.Converged);
        Assert.Equal(2, result.Parameters[0], 12);
        Assert.Equal(3, result.Parameters[1], 12);
        Assert.Equal(10, result.ResidualSumOfSquares, 10);
        Assert.Equal(3, result.DegreesOfFreedom);
        Assert.Equal(Math.Sqrt(2), result.StandardErrors[0], 12);
        Assert.Equal(Math.Sqrt(1.0 / 3), result.StandardErrors[1], 12);
        Assert.Equal(Math.Sqrt(10.0 / 3), result.ResidualStandardDeviation, 12);
        Assert.Contains("b2 = 3", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_on_the_model_fit_exactly()
    {
        double[] x = [0, 1, 2, 3, 4];
        double[] y = [2, 5, 8, 11, 14];
        var result = LeastSquares.Fit(Line, x, y, [10, -10]);
        Assert.Equal(FitTermination.ExactFit, result.Termination);
        Assert.Equal(0, result.ResidualSumOfSquares);
        Assert.Equal([2.0, 3.0], result.Parameters);
    }

    // A weight of 2 is the same observation twice: the same estimate and S.
    [Fact]
    public void A_weight_counts_as_repeated_observations()
    {
        var data = NistDataset.Load(Path.Combine(RepositoryPaths.Root, "data", "nist", "Misra1a.dat"));
        var weights = Enumerable.Range(0, data.Y.Length).Select(i => i % 3 == 0 ? 2.0 : 1.0).ToArray();
        var weighted = LeastSquares.Fit(NistModels.Misra1aGradient, data.X, data.Y, data.Starts[1], new LeastSquaresOptions { Weights = weights });

        var indices = Enumerable.Range(0, data.Y.Length).SelectMany(i => i % 3 == 0 ? new[] { i, i } : [i]).ToArray();
        var repeated = LeastSquares.Fit(NistModels.Misra1aGradient, indices.Select(i => data.X[i]).ToArray(), indices.Select(i => data.Y[i]).ToArray(), data.Starts[1]);

        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(repeated.Parameters[j], weighted.Parameters[j], 1e-9 * Math.Abs(repeated.Parameters[j]));
        }

        Assert.Equal(repeated.ResidualSumOfSquares, weighted.ResidualSumOfSquares, 1e-9 * repeated.ResidualSumOfSquares);
        Assert.NotEqual(LeastSquares.Fit(NistModels.Misra1aGradient, data.X, data.Y, data.Starts[1]).Parameters[0], weighted.Parameters[0], 1e-6);
    }

    // √b·x fitted to y = 0.01x from b = 100: the first Gauss–Newton step goes to b < 0, where the model is NaN. Such a
    // step counts as a poor one (the region shrinks), and the fit goes on to b = 10⁻⁴.
    [Fact]
    public void Steps_where_the_model_is_not_finite_are_refused_and_the_fit_goes_on()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [0.01, 0.02, 0.03, 0.04];
        int nonFinite = 0;
        var result = LeastSquares.Fit(
            (b, xi, dB) =>
            {
                double root = Math.Sqrt(b[0]);
                nonFinite += double.IsNaN(root) ? 1 : 0;
                dB[0] = xi / (2 * root);
                return root * xi;
            },
            x, y, [100]);
        Assert.True(nonFinite > 0);
        Assert.True(result.Converged);
        Assert.Equal(1e-4, result.Parameters[0], 1e-15);
    }

    [Fact]
    public void Both_overloads_give_the_same_bits()
    {
        var data = NistDataset.Load(Path.Combine(RepositoryPaths.Root, "data", "nist", "Misra1a.dat"));
        var byPredictor = LeastSquares.Fit(NistModels.Misra1aGradient, data.X, data.Y, data.Starts[0]);
        var byIndex = LeastSquares.Fit((b, i, dB) => NistModels.Misra1aGradient(b, data.X[i], dB), data.Y, data.Starts[0]);
        Assert.Equal(byPredictor.Parameters, byIndex.Parameters);
        Assert.Equal(byPredictor.StandardErrors, byIndex.StandardErrors);
        Assert.Equal(byPredictor.Iterations, byIndex.Iterations);
    }

    [Fact]
    public void Running_out_of_steps_is_reported_as_not_converged()
    {
        var data = NistDataset.Load(Path.Combine(RepositoryPaths.Root, "data", "nist", "MGH09.dat"));
        var result = LeastSquares.Fit(NistModels.Mgh09Gradient, data.X, data.Y, data.Starts[0], new LeastSquaresOptions { MaxIterations = 3 });
        Assert.False(result.Converged);
        Assert.Equal(FitTermination.MaxIterations, result.Termination);
        Assert.Equal(3, result.Iterations);
        Assert.True(result.ResidualSumOfSquares <= result.InitialResidualSumOfSquares);
    }

    // (b₀ + b₁)·x: only the sum is determined. The fit finds it; the standard errors are NaN, not a number made up.
    [Fact]
    public void A_rank_deficient_model_fits_and_has_no_standard_errors()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [2.1, 3.9, 6.2, 7.8];
        var result = LeastSquares.Fit(
            (b, xi, dB) =>
            {
                dB[0] = xi;
                dB[1] = xi;
                return (b[0] + b[1]) * xi;
            },
            x, y, [1, 0]);
        Assert.True(result.Converged);
        double slope = x.Zip(y, (a, c) => a * c).Sum() / x.Sum(a => a * a);
        Assert.Equal(slope, result.Parameters[0] + result.Parameters[1], 1e-12);
        Assert.All(result.StandardErrors, e => Assert.True(double.IsNaN(e)));
    }

    // The workspace is allocated once per fit: a fit of 3 steps and one of 500 allocate the same bytes.
    [Fact]
    public void The_iterations_allocate_nothing()
    {
        var data = NistDataset.Load(Path.Combine(RepositoryPaths.Root, "data", "nist", "MGH09.dat"));
        ModelGradient model = NistModels.Mgh09Gradient;
        var few = new LeastSquaresOptions { MaxIterations = 3 };
        long Bytes(LeastSquaresOptions? options, out int steps)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var result = LeastSquares.Fit(model, data.X, data.Y, data.Starts[0], options);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            steps = result.Iterations;
            return bytes;
        }

        Bytes(few, out _);
        Bytes(null, out _);
        long shortFit = Bytes(few, out int shortSteps);
        long longFit = Bytes(null, out int longSteps);
        Assert.Equal(3, shortSteps);
        Assert.True(longSteps > 100, $"{longSteps} steps");
        Assert.Equal(shortFit, longFit);
    }

    [Fact]
    public void Bad_arguments_are_named_before_any_work()
    {
        double[] x = [1, 2, 3];
        double[] y = [1, 2, 3];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, x, [1.0, 2], [0, 0])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, [1.0], [1.0], [0, 0])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, x, [1, double.NaN, 3], [0, 0])).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, x, y, [0, double.PositiveInfinity])).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, x, y, [])).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => LeastSquares.Fit((ModelGradient)null!, x, y, [0, 0])).ParamName);

        var notFinite = Assert.Throws<ArgumentException>(() => LeastSquares.Fit((b, xi, dB) => { dB[0] = 1; return Math.Log(b[0] - xi); }, x, y, [2.5]));
        Assert.Equal("start", notFinite.ParamName);
        Assert.Contains("observation 2", notFinite.Message, StringComparison.Ordinal);

        Assert.Equal("Weights", Assert.Throws<ArgumentException>(() => LeastSquares.Fit(Line, x, y, [0, 0], new LeastSquaresOptions { Weights = [1, 1] })).ParamName);
        Assert.Equal("Weights", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquares.Fit(Line, x, y, [0, 0], new LeastSquaresOptions { Weights = [1, -1, 1] })).ParamName);
        Assert.Equal("FunctionTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquares.Fit(Line, x, y, [0, 0], new LeastSquaresOptions { FunctionTolerance = 0 })).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => LeastSquares.Fit(Line, x, y, [0, 0], new LeastSquaresOptions { MaxIterations = 0 })).ParamName);
    }
}

using AutoDiff.Cli.Fitting;
using AutoDiff.Fitting;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A whole nonlinear least-squares fit: NIST's Gauss1 (8 parameters, 250 observations, two Gaussian peaks on an
/// exponential baseline) from its start 2, by <see cref="LeastSquares"/> with the generated Jacobian of
/// <see cref="NistModels.Gauss"/>, beside the same solver on forward-difference Jacobians
/// (<see cref="NistProblems.ForwardDifferences"/> over <see cref="NistModels.Gauss"/> itself: n + 1 model values per
/// observation, as MINPACK's <c>lmdif</c>).
/// The allocated bytes are the fit's workspace and result, the same for any number of iterations (LeastSquaresTests
/// counts them).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class FitBenchmarks
{
    private double[] _x = null!, _y = null!, _start = null!;
    private ModelGradient _generated = null!;
    private ObservationGradient _differences = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = NistDataset.Load(Path.Combine(Repository.Root, "data", "nist", "Gauss1.dat"));
        (_x, _y, _start) = (data.X, data.Y, data.Starts[1]);
        var x = _x;
        _generated = NistModels.GaussGradient;
        _differences = NistProblems.ForwardDifferences((b, i) => NistModels.Gauss(b, x[i]));
    }

    [Benchmark(Baseline = true, Description = "Gauss1 start 2, generated Jacobian")]
    public double Generated() => LeastSquares.Fit(_generated, _x, _y, _start).ResidualSumOfSquares;

    [Benchmark(Description = "Gauss1 start 2, forward differences")]
    public double FiniteDifferences() => LeastSquares.Fit(_differences, _y, _start).ResidualSumOfSquares;
}

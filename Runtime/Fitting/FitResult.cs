using System.Globalization;
using System.Text;

namespace AutoDiff.Fitting;

/// <summary>Why <see cref="LeastSquares"/> stopped.</summary>
public enum FitTermination
{
    /// <summary>
    /// The relative reduction of the cost S(b) = Σ wᵢ·rᵢ², actual and predicted, fell to
    /// <see cref="LeastSquaresOptions.FunctionTolerance"/> (or to what double can resolve).
    /// </summary>
    FunctionTolerance,

    /// <summary>The trust region's radius fell to <see cref="LeastSquaresOptions.ParameterTolerance"/> times ‖D·b‖.</summary>
    ParameterTolerance,

    /// <summary>
    /// The cosine between the residuals and every column of the Jacobian fell to
    /// <see cref="LeastSquaresOptions.GradientTolerance"/> (or to what double can resolve).
    /// </summary>
    GradientTolerance,

    /// <summary>The residuals are all zero: the model fits exactly.</summary>
    ExactFit,

    /// <summary><see cref="LeastSquaresOptions.MaxIterations"/> steps were tried without meeting a tolerance.</summary>
    MaxIterations,
}

/// <summary>
/// The outcome of <see cref="LeastSquares.Fit(ModelGradient, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, LeastSquaresOptions?)"/>:
/// the parameters, their standard errors, the residual sum of squares and why the solver stopped (Ceres Solver's
/// summary, as a value: <see cref="ToString"/> prints it).
/// </summary>
public sealed class FitResult
{
    internal FitResult(double[] parameters, double[] standardErrors, double residualSumOfSquares, double initialResidualSumOfSquares,
        int observations, int iterations, int evaluations, FitTermination termination)
    {
        Parameters = parameters;
        StandardErrors = standardErrors;
        ResidualSumOfSquares = residualSumOfSquares;
        InitialResidualSumOfSquares = initialResidualSumOfSquares;
        Observations = observations;
        Iterations = iterations;
        Evaluations = evaluations;
        Termination = termination;
    }

    /// <summary>The estimated parameters b̂.</summary>
    public double[] Parameters { get; }

    /// <summary>
    /// The standard error of each parameter, √(s²·[(JᵀWJ)⁻¹]ⱼⱼ) with s² = S(b̂)/(m − n) and J the Jacobian at b̂
    /// (computed from its QR factors, never by inverting JᵀWJ). NaN where m = n or J is rank-deficient.
    /// </summary>
    public double[] StandardErrors { get; }

    /// <summary>S(b̂) = Σ wᵢ·(yᵢ − f(b̂; xᵢ))², the weights 1 unless given.</summary>
    public double ResidualSumOfSquares { get; }

    /// <summary>S at the starting point.</summary>
    public double InitialResidualSumOfSquares { get; }

    /// <summary>The number of observations m.</summary>
    public int Observations { get; }

    /// <summary>m − n, the residual degrees of freedom.</summary>
    public int DegreesOfFreedom => Observations - Parameters.Length;

    /// <summary>s = √(S(b̂)/(m − n)), NaN where m = n.</summary>
    public double ResidualStandardDeviation => DegreesOfFreedom > 0 ? Math.Sqrt(ResidualSumOfSquares / DegreesOfFreedom) : double.NaN;

    /// <summary>The steps tried: each solves one damped linear system and evaluates the model once at every observation.</summary>
    public int Iterations { get; }

    /// <summary>The passes over the observations (values and gradients): one per step, one at the start, one at the end for the standard errors.</summary>
    public int Evaluations { get; }

    /// <summary>Why the solver stopped.</summary>
    public FitTermination Termination { get; }

    /// <summary>Whether a tolerance was met (anything but <see cref="FitTermination.MaxIterations"/>).</summary>
    public bool Converged => Termination != FitTermination.MaxIterations;

    /// <summary>A summary: why it stopped, the costs, the steps, and each parameter with its standard error.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{(Converged ? "converged" : "not converged")} ({Termination}) after {Iterations} steps: S = {ResidualSumOfSquares:R} (from {InitialResidualSumOfSquares:R}), m = {Observations}, n = {Parameters.Length}");
        for (int j = 0; j < Parameters.Length; j++)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  b{j + 1} = {Parameters[j]:R} ± {StandardErrors[j]:G6}");
        }

        return text.ToString();
    }
}

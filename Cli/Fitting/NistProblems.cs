using AutoDiff.Fitting;

namespace AutoDiff.Cli.Fitting;

/// <summary>A model's value for observation i, without its gradient.</summary>
/// <param name="parameters">The parameters b.</param>
/// <param name="observation">The observation's index.</param>
/// <returns>The model's value.</returns>
public delegate double ObservationValue(ReadOnlySpan<double> parameters, int observation);

/// <summary>Which of <see cref="NistModels"/> fits which NIST dataset, and a fit of a dataset from one of its starts.</summary>
public static class NistProblems
{
    /// <summary>The model of a dataset of one predictor, by the dataset's name; null for Nelson (two predictors) and unknown names.</summary>
    public static ModelGradient? Model(string name) => name switch
    {
        "Misra1a" or "BoxBOD" => NistModels.Misra1aGradient,
        "Chwirut1" or "Chwirut2" => NistModels.ChwirutGradient,
        "Lanczos1" or "Lanczos2" or "Lanczos3" => NistModels.LanczosGradient,
        "Gauss1" or "Gauss2" or "Gauss3" => NistModels.GaussGradient,
        "DanWood" => NistModels.DanWoodGradient,
        "Kirby2" => NistModels.Kirby2Gradient,
        "MGH17" => NistModels.Mgh17Gradient,
        "Misra1c" => NistModels.Misra1cGradient,
        "Misra1d" => NistModels.Misra1dGradient,
        "ENSO" => NistModels.EnsoGradient,
        "MGH09" => NistModels.Mgh09Gradient,
        "Rat42" => NistModels.Rat42Gradient,
        "MGH10" => NistModels.Mgh10Gradient,
        "Bennett5" => NistModels.Bennett5Gradient,
        _ => null,
    };

    /// <summary>Whether a model for the dataset is here.</summary>
    public static bool Has(string name) => name == "Nelson" || Model(name) is not null;

    /// <summary>
    /// Fits the dataset's model from start <paramref name="start"/> (1 or 2, as NIST numbers them). Nelson's response is
    /// log y, as NIST's model says.
    /// </summary>
    /// <exception cref="ArgumentException">No model for the dataset here, or no such start.</exception>
    /// <param name="data">The dataset.</param>
    /// <param name="start">NIST's starting point, 1 or 2.</param>
    /// <param name="options">The solver's options; null for the defaults.</param>
    /// <param name="forwardDifferences">Replace the generated Jacobian by forward differences (for comparison).</param>
    public static FitResult Fit(NistDataset data, int start, LeastSquaresOptions? options = null, bool forwardDifferences = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (start < 1 || start > data.Starts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"{data.Name} has starts 1 to {data.Starts.Length}.");
        }

        var b0 = data.Starts[start - 1];
        if (data.Name == "Nelson")
        {
            var (time, temperature) = (data.Predictors[0], data.Predictors[1]);
            return forwardDifferences
                ? LeastSquares.Fit(ForwardDifferences((b, i) => NistModels.Nelson(b, time[i], temperature[i])), Response(data), b0, options)
                : LeastSquares.Fit((b, i, dB) => NistModels.NelsonGradient(b, time[i], temperature[i], dB), Response(data), b0, options);
        }

        var model = Model(data.Name) ?? throw new ArgumentException($"No model for the dataset '{data.Name}' here.", nameof(data));
        var x = data.X;
        return forwardDifferences
            ? LeastSquares.Fit(ForwardDifferences((b, i) => Value(model, b, x[i])), data.Y, b0, options)
            : LeastSquares.Fit(model, x, data.Y, b0, options);
    }

    /// <summary>
    /// The model's values with a forward-difference gradient, (f(b + hⱼeⱼ) − f(b))/hⱼ with hⱼ = √ε·max(|bⱼ|, 1), as a
    /// solver without derivatives computes it from n + 1 values (MINPACK's <c>lmdif</c>): what the generated Jacobian is
    /// compared with.
    /// </summary>
    /// <param name="value">The model's value for observation i.</param>
    public static ObservationGradient ForwardDifferences(ObservationValue value) => (b, i, dB) =>
    {
        Span<double> shifted = stackalloc double[b.Length];
        b.CopyTo(shifted);
        double f = value(b, i);
        for (int j = 0; j < b.Length; j++)
        {
            double h = Math.Sqrt(LeastSquaresOptions.MachineEpsilon) * Math.Max(Math.Abs(b[j]), 1);
            shifted[j] = b[j] + h;
            dB[j] = (value(shifted, i) - f) / h;
            shifted[j] = b[j];
        }

        return f;
    };

    private static double Value(ModelGradient model, ReadOnlySpan<double> b, double x)
    {
        Span<double> unused = stackalloc double[b.Length];
        return model(b, x, unused);
    }

    /// <summary>The response the model fits: y, or log y for Nelson.</summary>
    public static double[] Response(NistDataset data) => data.Name == "Nelson" ? data.Y.Select(y => Math.Log(y)).ToArray() : data.Y;

    /// <summary>The fitted model's value at observation i (every predictor of the dataset at i).</summary>
    public static double Predict(NistDataset data, ReadOnlySpan<double> b, int observation)
    {
        Span<double> gradient = stackalloc double[b.Length];
        return data.Name == "Nelson"
            ? NistModels.NelsonGradient(b, data.Predictors[0][observation], data.Predictors[1][observation], gradient)
            : Model(data.Name)!(b, data.X[observation], gradient);
    }

    /// <summary>The model's value at any x, for a dataset of one predictor.</summary>
    public static double Predict(string name, ReadOnlySpan<double> b, double x)
    {
        Span<double> gradient = stackalloc double[b.Length];
        return Model(name)!(b, x, gradient);
    }
}

namespace AutoDiff.Fitting;

/// <summary>
/// A model of one predictor, y ≈ f(b; x), and its gradient: returns f(b; x) and writes ∂f/∂bⱼ into
/// <paramref name="dParameters"/>. The generated row gradient of
/// <c>[Differentiable] static double Model(ReadOnlySpan&lt;double&gt; b, [NoDiff] double x)</c>, <c>ModelGradient</c>, has
/// this shape: pass the method group.
/// </summary>
/// <param name="parameters">The parameters b.</param>
/// <param name="x">The predictor of one observation.</param>
/// <param name="dParameters">Receives ∂f/∂b, one entry per parameter.</param>
/// <returns>The model's value f(b; x).</returns>
public delegate double ModelGradient(ReadOnlySpan<double> parameters, double x, Span<double> dParameters);

/// <summary>
/// A model of any number of predictors per observation, and its gradient: returns the model's value for observation
/// <paramref name="observation"/> and writes ∂f/∂bⱼ into <paramref name="dParameters"/>. Wrap a generated gradient of
/// several predictors, for example <c>(b, i, dB) =&gt; Models.NelsonGradient(b, x1[i], x2[i], dB)</c>.
/// </summary>
/// <param name="parameters">The parameters b.</param>
/// <param name="observation">The observation's index i, 0 ≤ i &lt; the number of observations.</param>
/// <param name="dParameters">Receives ∂f/∂b, one entry per parameter.</param>
/// <returns>The model's value for observation i.</returns>
public delegate double ObservationGradient(ReadOnlySpan<double> parameters, int observation, Span<double> dParameters);

/// <summary>The solver's view of a model: observation i's value and gradient row. Structs, so the JIT specialises the solver.</summary>
internal interface IObservationModel
{
    double Evaluate(ReadOnlySpan<double> parameters, int observation, Span<double> dParameters);
}

/// <summary>A <see cref="ModelGradient"/> with its predictors.</summary>
internal readonly ref struct PredictorModel(ModelGradient model, ReadOnlySpan<double> x) : IObservationModel
{
    private readonly ReadOnlySpan<double> _x = x;

    public double Evaluate(ReadOnlySpan<double> parameters, int observation, Span<double> dParameters) =>
        model(parameters, _x[observation], dParameters);
}

/// <summary>An <see cref="ObservationGradient"/>.</summary>
internal readonly struct IndexedModel(ObservationGradient model) : IObservationModel
{
    public double Evaluate(ReadOnlySpan<double> parameters, int observation, Span<double> dParameters) =>
        model(parameters, observation, dParameters);
}

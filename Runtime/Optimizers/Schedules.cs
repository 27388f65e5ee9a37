namespace AutoDiff.Optimizers;

/// <summary>A learning-rate schedule: the factor by which step t (from 1) scales the optimizer's base rate. Composes with any optimizer.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The factor for step <paramref name="step"/>.</summary>
    /// <param name="step">t ≥ 1.</param>
    double Factor(long step);
}

/// <summary>Multiplies the rate by γ every <c>stepSize</c> steps (PyTorch <c>StepLR</c>): γ^⌊(t − 1)/stepSize⌋.</summary>
/// <param name="stepSize">Steps between decays, ≥ 1.</param>
/// <param name="gamma">The decay γ.</param>
public sealed class StepSchedule(int stepSize, double gamma) : ILearningRateSchedule
{
    private readonly int _stepSize = stepSize >= 1 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be at least 1.");

    /// <inheritdoc/>
    public double Factor(long step) => Math.Pow(gamma, (step - 1) / _stepSize);
}

/// <summary>γ^(t − 1) (PyTorch <c>ExponentialLR</c>).</summary>
/// <param name="gamma">The decay per step.</param>
public sealed class ExponentialSchedule(double gamma) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double Factor(long step) => Math.Pow(gamma, step - 1);
}

/// <summary>Cosine annealing from 1 to <c>minimum</c> over <c>period</c> steps (PyTorch <c>CosineAnnealingLR</c> with η_min = minimum·η): m + (1 − m)(1 + cos(π(t − 1)/T))/2, then m.</summary>
/// <param name="period">T, the steps of the half cosine, ≥ 1.</param>
/// <param name="minimum">The final factor m, in [0, 1].</param>
public sealed class CosineSchedule(int period, double minimum = 0) : ILearningRateSchedule
{
    private readonly int _period = period >= 1 ? period : throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");

    /// <inheritdoc/>
    public double Factor(long step) =>
        step - 1 >= _period ? minimum : minimum + ((1 - minimum) * (1 + Math.Cos(Math.PI * (step - 1) / _period)) / 2);
}

/// <summary>Linear warm-up over <c>warmupSteps</c> steps (t/warmupSteps), then the schedule <c>then</c> (counted from the end of the warm-up), or 1.</summary>
/// <param name="warmupSteps">Steps of warm-up, ≥ 1.</param>
/// <param name="then">The schedule after the warm-up, or null.</param>
public sealed class WarmupSchedule(int warmupSteps, ILearningRateSchedule? then = null) : ILearningRateSchedule
{
    private readonly int _warmup = warmupSteps >= 1 ? warmupSteps : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The warm-up must last at least 1 step.");

    /// <inheritdoc/>
    public double Factor(long step) => step <= _warmup ? (double)step / _warmup : then?.Factor(step - _warmup) ?? 1.0;
}

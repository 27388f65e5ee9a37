namespace AutoDiff.Benchmarks;

/// <summary>The Huber loss as a user writes it; the generator emits <c>HuberMean</c> and the other kernels.</summary>
public static partial class HuberLoss
{
    /// <summary>½r² for |r| ≤ δ, else δ(|r| − ½δ), with r = prediction − target.</summary>
    [Differentiable]
    public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        if (a <= delta)
        {
            return 0.5f * r * r;
        }

        return delta * (a - 0.5f * delta);
    }
}

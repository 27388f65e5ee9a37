namespace AutoDiff.Cli;

/// <summary>A user's own functions, written as plain scalar C#: the generator adds their gradients and kernels.</summary>
public static partial class DemoFunctions
{
    /// <summary>Huber loss with threshold δ: ½r² for |r| ≤ δ, else δ(|r| − ½δ), with r = prediction − target.</summary>
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

    /// <summary>log cosh(prediction − target), written stably: |r| + log1p(e^−2|r|) − ln 2.</summary>
    [Differentiable]
    public static double LogCosh([NoDiff] double target, double prediction)
    {
        var a = Math.Abs(prediction - target);
        return a + AD.Log1P(Math.Exp(-2 * a)) - 0.69314718055994530942;
    }

    /// <summary>A smooth function of two variables, with a branch and a call of another [Differentiable] method.</summary>
    [Differentiable]
    public static double Bump(double x, double y)
    {
        var s = Swish(x * y);
        if (x > y)
        {
            return s + Math.Sin(x) * y;
        }

        return s - Math.Cos(y) * x;
    }

    /// <summary>SiLU / swish: x·σ(x).</summary>
    [Differentiable]
    public static double Swish(double x) => x * AD.Sigmoid(x);

    /// <summary>Rosenbrock's valley (1 − x₀)² + 100·(x₁ − x₀²)², minimum 0 at (1, 1): an objective for <see cref="AutoDiff.Fitting.Lbfgs{T}"/>.</summary>
    [Differentiable]
    public static double Rosenbrock(ReadOnlySpan<double> x)
    {
        var a = 1 - x[0];
        var b = x[1] - (x[0] * x[0]);
        return (a * a) + (100 * b * b);
    }

    /// <summary>
    /// Rosenbrock's valley in two scalars, (1 − x)² + 100·(y − x²)²: the generator writes its gradient for the first-order
    /// optimizers and its Hessian (<c>RosenbrockXYHessian</c>) for <see cref="AutoDiff.Fitting.Newton"/>.
    /// </summary>
    [Differentiable]
    public static double RosenbrockXY(double x, double y)
    {
        var a = 1 - x;
        var b = y - (x * x);
        return (a * a) + (100 * b * b);
    }

    /// <summary>The saddle x² − y²: a minimum along x, a maximum along y.</summary>
    [Differentiable]
    public static double Saddle(double x, double y) => (x * x) - (y * y);
}

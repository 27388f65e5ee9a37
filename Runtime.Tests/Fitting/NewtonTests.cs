using AutoDiff.Cli;
using AutoDiff.Fitting;

namespace AutoDiff.Runtime.Tests.Fitting;

public sealed class NewtonTests
{
    private static readonly HessianObjective Rosenbrock = (x, g, h) => DemoFunctions.RosenbrockXYHessian(x[0], x[1], g, h);

    // The generated Hessian of a [Differentiable] method, as a user passes it: from (−1.5, 2), where the Hessian is
    // indefinite, to (1, 1) within 1e-10 in tens of steps (the first-order optimizers of `plot optimizers` are still
    // in the valley after 600).
    [Fact]
    public void Rosenbrocks_valley_from_minus_one_and_a_half_two()
    {
        double[] x = [-1.5, 2];
        var result = new Newton(2).Minimize(Rosenbrock, x);
        Assert.True(result.Converged, result.Termination.ToString());
        Assert.Equal(1, x[0], 1e-10);
        Assert.Equal(1, x[1], 1e-10);
        Assert.True(result.Value < 1e-20, $"f = {result.Value}");
        Assert.InRange(result.Iterations, 5, 60);
        Assert.Equal(DemoFunctions.RosenbrockXY(x[0], x[1]), result.Value);
    }

    // f = ½xᵀAx − bᵀx with A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]] (positive definite) and b = (1, 2, 3): one full
    // Newton step from anywhere lands on A⁻¹b. By hand: x₀ = (1 − x₁)/4 and x₂ = (3 − x₁)/2 from rows 1 and 3, then
    // row 2 gives 9x₁ = 1: x = (2/9, 1/9, 13/9).
    [Fact]
    public void A_quadratic_in_one_step()
    {
        double[,] a = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };
        double[] b = [1, 2, 3];
        HessianObjective quadratic = (x, g, h) =>
        {
            double f = 0;
            for (int i = 0; i < 3; i++)
            {
                double ax = 0;
                for (int j = 0; j < 3; j++)
                {
                    ax += a[i, j] * x[j];
                    h[(i * 3) + j] = a[i, j];
                }

                g[i] = ax - b[i];
                f += (0.5 * x[i] * ax) - (b[i] * x[i]);
            }

            return f;
        };

        double[] x = [10, -7, 3];
        var result = new Newton(3).Minimize(quadratic, x);
        Assert.True(result.Converged);
        Assert.Equal(1, result.Iterations);
        Assert.Equal(2.0 / 9, x[0], 1e-14);
        Assert.Equal(1.0 / 9, x[1], 1e-14);
        Assert.Equal(13.0 / 9, x[2], 1e-14);
    }

    // At the saddle x² − y² the Hessian diag(2, −2) is indefinite: the shifted step still descends, so Newton leaves
    // along y instead of converging to the saddle point as the unmodified method would.
    [Fact]
    public void An_indefinite_Hessian_still_gives_descent()
    {
        double[] x = [-1.5, 0.001];
        var newton = new Newton(2);
        double previous = DemoFunctions.Saddle(x[0], x[1]);
        for (int step = 0; step < 20; step++)
        {
            double value = newton.Step((p, g, h) => DemoFunctions.SaddleHessian(p[0], p[1], g, h), x);
            Assert.True(value < previous, $"step {step}: f went from {previous} to {value}");
            previous = value;
        }

        Assert.True(Math.Abs(x[1]) > 0.005, $"y = {x[1]}: still at the saddle (it started at 0.001)");
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new Newton(0)).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new Newton(2, new NewtonOptions { MaxIterations = 0 })).ParamName);
        Assert.Equal("SufficientDecrease", Assert.Throws<ArgumentOutOfRangeException>(() => new Newton(2, new NewtonOptions { SufficientDecrease = 0.5 })).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new Newton(2).Minimize(Rosenbrock, new double[3])).ParamName);
        var e = Assert.Throws<ArgumentException>(() => new Newton(1).Minimize((x, g, h) => Math.Log(x[0]), new double[] { -1 }));
        Assert.Equal("objective", e.ParamName);
    }

    [Fact]
    public void Minimize_allocates_nothing()
    {
        var newton = new Newton(2);
        double[] x = new double[2];
        void Minimize()
        {
            (x[0], x[1]) = (-1.5, 2);
            newton.Minimize(Rosenbrock, x);
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Minimize, calls: 1, warmup: 1));
    }
}

using AutoDiff.Cli;
using AutoDiff.Data;
using AutoDiff.Fitting;
using AutoDiff.Layers;

namespace AutoDiff.Runtime.Tests.Fitting;

public sealed class LbfgsTests
{
    // The generated gradient of a [Differentiable] span method, as a user passes it.
    [Fact]
    public void Rosenbrocks_valley_from_the_classic_start()
    {
        double[] x = [-1.2, 1];
        var dX = new double[2];
        var result = new Lbfgs<double>([(x, dX)]).Minimize(() => DemoFunctions.RosenbrockGradient(x, dX));
        Assert.True(result.Converged, result.Termination.ToString());
        Assert.Equal(1, x[0], 1e-9);
        Assert.Equal(1, x[1], 1e-9);
        Assert.True(result.Value < 1e-18, $"f = {result.Value}");
        Assert.InRange(result.Iterations, 10, 100);
        Assert.Equal(DemoFunctions.Rosenbrock(x), result.Value);
    }

    // The extended Rosenbrock function of 100 variables (pairs (x₂ᵢ, x₂ᵢ₊₁)), minimum 0 at all ones, over two
    // parameter segments: the optimizer treats them as one vector.
    [Fact]
    public void A_hundred_variables_in_two_segments()
    {
        var first = new double[60];
        var second = new double[40];
        var (dFirst, dSecond) = (new double[60], new double[40]);
        for (int i = 0; i < 100; i++)
        {
            (i < 60 ? first : second)[i < 60 ? i : i - 60] = i % 2 == 0 ? -1.2 : 1;
        }

        double Objective()
        {
            double f = 0;
            for (int i = 0; i < 100; i += 2)
            {
                double a = i < 60 ? first[i] : second[i - 60];
                double b = i + 1 < 60 ? first[i + 1] : second[i + 1 - 60];
                double u = 1 - a, v = b - (a * a);
                f += (u * u) + (100 * v * v);
                double da = (-2 * u) - (400 * v * a), db = 200 * v;
                if (i < 60)
                {
                    dFirst[i] = da;
                }
                else
                {
                    dSecond[i - 60] = da;
                }

                if (i + 1 < 60)
                {
                    dFirst[i + 1] = db;
                }
                else
                {
                    dSecond[i + 1 - 60] = db;
                }
            }

            return f;
        }

        var result = new Lbfgs<double>([(first, dFirst), (second, dSecond)]).Minimize(Objective);
        Assert.True(result.Converged, result.Termination.ToString());
        Assert.All(first.Concat(second), v => Assert.Equal(1, v, 1e-7));
    }

    // ½xᵀAx − bᵀx with A tridiagonal (4 on the diagonal, −1 beside it): the minimiser solves A·x = b, which the Thomas
    // algorithm gives directly. The fit stops when f no longer changes in double (x about √ε from the solution); the
    // error is then bounded by the gradient it reports, |x − x*| ≤ ‖A⁻¹‖·‖g‖₂ ≤ √n·max|gᵢ|/2 (λmin(A) > 2).
    [Fact]
    public void A_convex_quadratic_reaches_the_solution_of_its_linear_system()
    {
        const int n = 50;
        var b = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        var x = new double[n];
        var g = new double[n];
        var result = new Lbfgs<double>([(x, g)]).Minimize(() =>
        {
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                double ax = (4 * x[i]) - (i > 0 ? x[i - 1] : 0) - (i < n - 1 ? x[i + 1] : 0);
                g[i] = ax - b[i];
                f += (0.5 * x[i] * ax) - (b[i] * x[i]);
            }

            return f;
        });

        // Thomas: forward elimination, then back substitution.
        var c = new double[n];
        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            double pivot = 4 + (i > 0 ? c[i - 1] : 0);
            c[i] = -1 / pivot;
            d[i] = (b[i] + (i > 0 ? d[i - 1] : 0)) / pivot;
        }

        var solution = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            solution[i] = d[i] - (c[i] * (i < n - 1 ? solution[i + 1] : 0));
        }

        Assert.True(result.Converged, result.Termination.ToString());
        Assert.True(result.GradientNorm < 1e-7, $"max |g| = {result.GradientNorm}");
        double bound = Math.Sqrt(n) * result.GradientNorm / 2;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(solution[i], x[i], bound);
        }
    }

    // A full batch of 256 digits fits in one pass: L-BFGS on a network's float parameters, the closure running forward,
    // loss and backward as torch.optim.LBFGS's does, drives the training loss from ln 10 to memorisation.
    [Fact]
    public void Trains_a_network_on_a_full_batch()
    {
        const int batch = 256;
        var mnist = Mnist.Load(RepositoryPaths.Mnist, training: false);
        var images = mnist.Images.AsSpan(0, batch * Mnist.Pixels).ToArray();
        var labels = mnist.Labels.AsSpan(0, batch).ToArray();
        var network = new Network<float>(new TensorShape(1, 28, 28), batch, 7, new Flatten<float>(), new Dense<float>(784, 32), new ActivationLayer<float, AutoDiff.Activations.TanhOperator>(), new Dense<float>(32, 10, Initialization.Glorot));
        var loss = default(Losses.CrossEntropyOperator);
        double Objective()
        {
            var scores = network.Forward(images, batch, training: true);
            double value = loss.Mean(batch, scores, labels, network.OutputGradient(0));
            network.Backward();
            return value;
        }

        double initial = Objective();
        var lbfgs = new Lbfgs<float>(network.OptimizerParameters, new LbfgsOptions { MaxIterations = 150 });
        var result = lbfgs.Minimize(Objective);
        Assert.InRange(initial, 1.5, 4);
        Assert.True(result.Value < 0.01, $"loss {initial:F3} → {result.Value:F5} after {result.Iterations} iterations ({result.Termination})");
        Assert.Equal(result.Value, Objective(), 1e-6);
    }

    [Fact]
    public void Minimize_allocates_nothing()
    {
        double[] x = [-1.2, 1];
        var dX = new double[2];
        var lbfgs = new Lbfgs<double>([(x, dX)]);
        Func<double> objective = () => DemoFunctions.RosenbrockGradient(x, dX);
        int iterations = 0;
        void Minimize()
        {
            (x[0], x[1]) = (-1.2, 1);
            iterations = lbfgs.Minimize(objective).Iterations;
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Minimize, calls: 1, warmup: 1));
        Assert.True(iterations > 10);
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_changes()
    {
        double[] x = [1, 2];
        var g = new double[2];
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Lbfgs<double>([(x, new double[1])])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Lbfgs<double>([])).ParamName);
        Assert.Equal("History", Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs<double>([(x, g)], new LbfgsOptions { History = 0 })).ParamName);
        Assert.Equal("Curvature", Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs<double>([(x, g)], new LbfgsOptions { Curvature = 1e-5 })).ParamName);
        var error = Assert.Throws<ArgumentException>(() => new Lbfgs<double>([(x, g)]).Minimize(() => double.NaN));
        Assert.Equal("objective", error.ParamName);
        Assert.Equal([1.0, 2.0], x);
    }
}

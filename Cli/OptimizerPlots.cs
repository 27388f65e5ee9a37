using AutoDiff.Fitting;
using AutoDiff.Optimizers;
using ScottPlot;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff plot optimizers</c>: every optimizer from the same start on the Rosenbrock valley and on the saddle
/// x² − y², its path over the function (a heatmap and contour lines of log(1 + f)), and the loss against the step.
/// The first-order optimizers take the generated gradients, Newton's method the generated Hessians.
/// </summary>
internal static class OptimizerPlots
{
    private delegate double Function(double x, double y, out double dx, out double dy);

    public static string Draw(string folder)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 2);
        Problem(multiplot.GetPlot(0), multiplot.GetPlot(1), "Rosenbrock valley (1 − x)² + 100(y − x²)² from (−1.5, 2)",
            DemoFunctions.RosenbrockXYGradient, (x, g, h) => DemoFunctions.RosenbrockXYHessian(x[0], x[1], g, h), (-1.5, 2.0),
            steps: 600, (-2.0, 2.0), (-1.0, 3.0), rosenbrock: true);
        Problem(multiplot.GetPlot(2), multiplot.GetPlot(3), "Saddle x² − y² from (−1.5, 0.001)",
            DemoFunctions.SaddleGradient, (x, g, h) => DemoFunctions.SaddleHessian(x[0], x[1], g, h), (-1.5, 0.001),
            steps: 150, (-2.0, 2.0), (-2.0, 2.0), rosenbrock: false);
        var path = Path.Combine(folder, "optimizers.png");
        multiplot.SavePng(path, 1600, 1300);
        return path;
    }

    // Learning rates chosen per problem so that each optimizer shows its character (and none diverges on Rosenbrock).
    private static (string Name, Func<(Memory<double>, Memory<double>)[], Optimizer<double>> Create)[] Optimizers(bool rosenbrock) =>
    [
        ("SGD", p => new Sgd<double>(p, rosenbrock ? 1e-3 : 0.05)),
        ("momentum 0.9", p => new Sgd<double>(p, rosenbrock ? 1e-3 : 0.05, momentum: 0.9)),
        ("Nesterov 0.9", p => new Sgd<double>(p, rosenbrock ? 1e-3 : 0.05, momentum: 0.9, nesterov: true)),
        ("Adagrad", p => new Adagrad<double>(p, rosenbrock ? 0.5 : 0.1)),
        ("RMSProp", p => new RmsProp<double>(p, 0.01)),
        ("Adadelta", p => new Adadelta<double>(p, 1.0)),
        ("Adam", p => new Adam<double>(p, rosenbrock ? 0.05 : 0.02)),
    ];

    private static void Problem(Plot paths, Plot losses, string title, Function f, HessianObjective hessian, (double X, double Y) start, int steps,
        (double Low, double High) xRange, (double Low, double High) yRange, bool rosenbrock)
    {
        // The function, as a heatmap of log(1 + f − min) over the window.
        const int size = 160;
        var grid = new double[size, size];
        double minimum = double.PositiveInfinity;
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                double x = xRange.Low + ((xRange.High - xRange.Low) * column / (size - 1));
                double y = yRange.High - ((yRange.High - yRange.Low) * row / (size - 1));
                grid[row, column] = f(x, y, out _, out _);
                minimum = Math.Min(minimum, grid[row, column]);
            }
        }

        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                grid[row, column] = Math.Log(1 + grid[row, column] - minimum);
            }
        }

        var heatmap = paths.Add.Heatmap(grid);
        heatmap.Extent = new CoordinateRect(xRange.Low, xRange.High, yRange.Low, yRange.High);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();

        // Contour lines of the same log(1 + f − min) over the heatmap.
        var points = new Coordinates3d[size, size];
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                double x = xRange.Low + ((xRange.High - xRange.Low) * column / (size - 1));
                double y = yRange.High - ((yRange.High - yRange.Low) * row / (size - 1));
                points[row, column] = new Coordinates3d(x, y, grid[row, column]);
            }
        }

        var contours = paths.Add.ContourLines(points, 12);
        contours.LineColor = Colors.White.WithAlpha(0.5);

        foreach (var (name, create) in Optimizers(rosenbrock))
        {
            var value = new[] { start.X, start.Y };
            var gradient = new double[2];
            var optimizer = create([(value, gradient)]);
            var xs = new List<double> { value[0] };
            var ys = new List<double> { value[1] };
            var loss = new List<double>();
            for (int step = 0; step < steps; step++)
            {
                loss.Add(f(value[0], value[1], out gradient[0], out gradient[1]));
                optimizer.Step();
                if (!double.IsFinite(value[0]) || !double.IsFinite(value[1]) || Math.Abs(value[0]) > 1e3 || Math.Abs(value[1]) > 1e3)
                {
                    break; // left the picture for good
                }

                xs.Add(value[0]);
                ys.Add(value[1]);
            }

            Draw(name, xs, ys, loss);
        }

        // Newton's method: a step solves with the Hessian (shifted where it is not positive definite) and backtracks.
        {
            var point = new[] { start.X, start.Y };
            var newton = new Newton(2);
            var xs = new List<double> { point[0] };
            var ys = new List<double> { point[1] };
            var loss = new List<double> { f(point[0], point[1], out _, out _) };
            for (int step = 0; step < steps && Math.Abs(point[0]) <= 1e3 && Math.Abs(point[1]) <= 1e3; step++)
            {
                double before = loss[^1];
                double value = newton.Step(hessian, point);
                if (value == before && point[0] == xs[^1] && point[1] == ys[^1])
                {
                    break; // converged: no step changes the point
                }

                xs.Add(point[0]);
                ys.Add(point[1]);
                loss.Add(value);
            }

            Draw("Newton (Hessian)", xs, ys, loss, Colors.Gold);
        }

        void Draw(string name, List<double> xs, List<double> ys, List<double> loss, Color? color = null)
        {
            var line = paths.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            var curve = losses.Add.ScatterLine(Enumerable.Range(0, loss.Count).Select(i => (double)i).ToArray(),
                loss.Select(v => rosenbrock ? Math.Log10(Math.Max(v, 1e-12)) : v).ToArray());
            curve.LegendText = name;
            curve.LineWidth = 2;
            if (color is { } c)
            {
                line.Color = c;
                curve.Color = c;
            }
        }

        paths.Title(title);
        paths.Axes.SetLimits(xRange.Low, xRange.High, yRange.Low, yRange.High);
        paths.ShowLegend(Alignment.UpperRight);
        losses.Title(rosenbrock ? "log₁₀ loss against step" : "loss against step");
        losses.XLabel("step");
        if (!rosenbrock)
        {
            losses.Axes.SetLimitsY(-5, 3);
        }

        losses.ShowLegend(Alignment.LowerLeft);
    }
}

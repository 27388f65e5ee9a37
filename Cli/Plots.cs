using ScottPlot;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff plot activations|losses [--out DIR]</c>: every activation beside its generated derivative, and
/// the regression and margin losses with their gradients, drawn with ScottPlot from the generated span kernels.
/// </summary>
internal static class Plots
{
    public const string Usage = "plot activations|losses|optimizers [--out DIR]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? what = args.Length > 0 ? args[0] : null;
        string folder = "plots";
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                folder = args[++i];
            }
            else
            {
                error.WriteLine($"autodiff plot: unknown argument '{args[i]}'. Usage: autodiff {Usage}");
                return 2;
            }
        }

        Func<string, string>? draw = what switch
        {
            "activations" => Activations,
            "losses" => Losses,
            "optimizers" => OptimizerPlots.Draw,
            _ => null,
        };
        if (draw is null)
        {
            error.WriteLine(what is null
                ? $"autodiff plot: say what to draw. Usage: autodiff {Usage}"
                : $"autodiff plot: no figure called '{what}'. Usage: autodiff {Usage}");
            return 2;
        }

        if (Train.CannotWrite(folder) is string problem)
        {
            error.WriteLine($"autodiff plot: {problem}");
            return 2;
        }

        try
        {
            output.WriteLine($"wrote {draw(folder)}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff plot: cannot write the figure into '{folder}': {e.Message}");
            return 1;
        }
    }

    private static string Activations(string folder)
    {
        var x = Range(-5, 5, 801);
        var curves = new (string Name, (double[] Y, double[] D) Curve)[]
        {
            ("sigmoid", Curve(new AutoDiff.Activations.SigmoidOperator(), x)),
            ("tanh", Curve(new AutoDiff.Activations.TanhOperator(), x)),
            ("softplus", Curve(new AutoDiff.Activations.SoftplusOperator(), x)),
            ("softminus", Curve(new AutoDiff.Activations.SoftminusOperator(), x)),
            ("relu", Curve(new AutoDiff.Activations.ReluOperator(), x)),
            ("leaky relu (slope 0.1)", Curve(new AutoDiff.Activations.LeakyReluOperator(0.1f), x)),
            ("prelu (slope 0.25)", Prelu(x, 0.25f)),
            ("relu6", Curve(new AutoDiff.Activations.Relu6Operator(), Range(-2, 8, 801))),
            ("elu (α = 1)", Curve(new AutoDiff.Activations.EluOperator(1f), x)),
            ("selu", Curve(new AutoDiff.Activations.SeluOperator(), x)),
            ("gelu", Curve(new AutoDiff.Activations.GeluOperator(), x)),
            ("gelu (tanh)", Curve(new AutoDiff.Activations.GeluTanhOperator(), x)),
            ("silu", Curve(new AutoDiff.Activations.SiluOperator(), x)),
            ("mish", Curve(new AutoDiff.Activations.MishOperator(), x)),
            ("softsign", Curve(new AutoDiff.Activations.SoftsignOperator(), x)),
        };

        var multiplot = new Multiplot();
        multiplot.AddPlots(curves.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(4, 4);
        for (int i = 0; i < curves.Length; i++)
        {
            var plot = multiplot.GetPlot(i);
            var xs = curves[i].Name == "relu6" ? Range(-2, 8, 801) : x;
            AddPair(plot, xs, curves[i].Curve.Y, curves[i].Curve.D, "f(x)", "f′(x), generated");
            plot.Title(curves[i].Name);
            if (curves[i].Name == "softminus")
            {
                plot.ShowLegend(Alignment.LowerRight);
            }
        }

        var path = Path.Combine(folder, "activations.png");
        multiplot.SavePng(path, 1600, 1400);
        return path;
    }

    private static string Losses(string folder)
    {
        var residual = Range(-3, 3, 601);
        var zeros = new float[residual.Length];
        var regression = new (string Name, (double[] Y, double[] D) Curve)[]
        {
            ("squared error", Loss(new AutoDiff.Losses.SquaredErrorOperator(), zeros, residual)),
            ("absolute error", Loss(new AutoDiff.Losses.AbsoluteErrorOperator(), zeros, residual)),
            ("Huber (δ = 1)", Loss(new AutoDiff.Losses.HuberOperator(1f), zeros, residual)),
            ("smooth L1 (β = 0.5)", Loss(new AutoDiff.Losses.SmoothL1Operator(0.5f), zeros, residual)),
            ("log cosh", Loss(new AutoDiff.Losses.LogCoshOperator(), zeros, residual)),
        };

        // Margin losses of a positive example (t = +1) over the score p, so the margin is t·p = p.
        var margin = Range(-2, 3, 501);
        var positive = Enumerable.Repeat(1f, margin.Length).ToArray();
        var margins = new (string Name, (double[] Y, double[] D) Curve)[]
        {
            ("hinge", Loss(new AutoDiff.Losses.HingeOperator(), positive, margin)),
            ("squared hinge", Loss(new AutoDiff.Losses.SquaredHingeOperator(), positive, margin)),
            ("BCE with logits", Loss(new AutoDiff.Losses.BinaryCrossEntropyWithLogitsOperator(), positive, margin)),
        };

        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 2);
        Family(multiplot.GetPlot(0), multiplot.GetPlot(2), residual, regression, "residual r = prediction − target");
        Family(multiplot.GetPlot(1), multiplot.GetPlot(3), margin, margins, "margin t·p (target t = +1)");
        multiplot.GetPlot(0).Title("Regression losses");
        multiplot.GetPlot(2).Title("Their generated gradients ∂loss/∂prediction");
        multiplot.GetPlot(1).Title("Margin losses");
        multiplot.GetPlot(3).Title("Their generated gradients ∂loss/∂p");
        var path = Path.Combine(folder, "losses.png");
        multiplot.SavePng(path, 1400, 1000);
        return path;
    }

    private static void Family(Plot values, Plot gradients, float[] x, (string Name, (double[] Y, double[] D) Curve)[] curves, string axis)
    {
        var xs = x.Select(v => (double)v).ToArray();
        foreach (var (name, (y, d)) in curves)
        {
            var value = values.Add.ScatterLine(xs, y);
            value.LegendText = name;
            value.LineWidth = 2;
            var gradient = gradients.Add.ScatterLine(xs, d);
            gradient.LegendText = name;
            gradient.LineWidth = 2;
        }

        foreach (var plot in new[] { values, gradients })
        {
            plot.XLabel(axis);
            plot.ShowLegend(Alignment.UpperCenter);
        }

        values.Axes.SetLimitsY(-0.2, 4);
    }

    private static void AddPair(Plot plot, float[] x, double[] y, double[] d, string value, string derivative)
    {
        var xs = x.Select(v => (double)v).ToArray();
        var f = plot.Add.ScatterLine(xs, y);
        f.LegendText = value;
        f.LineWidth = 2;
        var g = plot.Add.ScatterLine(xs, d);
        g.LegendText = derivative;
        g.LineWidth = 2;
        g.LinePattern = LinePattern.Dashed;
        plot.ShowLegend(Alignment.UpperLeft);
    }

    private static (double[] Y, double[] D) Curve<TOp>(TOp op, float[] x)
        where TOp : struct, IActivation<float>
    {
        var y = new float[x.Length];
        var d = new float[x.Length];
        op.Forward(x, y);
        op.Backward(x, Enumerable.Repeat(1f, x.Length).ToArray(), d);
        return (ToDouble(y), ToDouble(d));
    }

    private static (double[] Y, double[] D) Prelu(float[] x, float slope)
    {
        var slopes = Enumerable.Repeat(slope, x.Length).ToArray();
        var y = new float[x.Length];
        var d = new float[x.Length];
        AutoDiff.Activations.Prelu(x, slopes, y);
        AutoDiff.Activations.PreluBackward(x, slopes, Enumerable.Repeat(1f, x.Length).ToArray(), d, new float[x.Length]);
        return (ToDouble(y), ToDouble(d));
    }

    private static (double[] Y, double[] D) Loss<TLoss>(TLoss loss, float[] target, float[] prediction)
        where TLoss : struct, ILoss<float>
    {
        var y = new float[target.Length];
        var d = new float[target.Length];
        loss.Forward(target, prediction, y);
        loss.Sum(target, prediction, d);
        return (ToDouble(y), ToDouble(d));
    }

    private static float[] Range(double low, double high, int count) =>
        Enumerable.Range(0, count).Select(i => (float)(low + ((high - low) * i / (count - 1)))).ToArray();

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}

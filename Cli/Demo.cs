using System.Globalization;

namespace AutoDiff.Cli;

/// <summary><c>autodiff demo</c>: differentiate a few functions and check every gradient against finite differences.</summary>
internal static class Demo
{
    public static int Run(TextWriter output)
    {
        output.WriteLine("AutoDiff demo: gradients generated at compile time, checked against central finite differences (double).");
        output.WriteLine();
        output.WriteLine($"{"function",-28} {"value",14} {"gradient",16} {"finite diff.",16} {"rel. error",10}");
        double worst = 0;

        foreach (var (x, y) in new[] { (0.3, 1.7), (2.0, -0.5), (-1.2, -1.5) })
        {
            double value = DemoFunctions.BumpGradient(x, y, out var dX, out var dY);
            worst = Math.Max(worst, Row(output, $"Bump({x}, {y}) ∂/∂x", value, dX, Central(v => DemoFunctions.Bump(v, y), x)));
            worst = Math.Max(worst, Row(output, $"Bump({x}, {y}) ∂/∂y", value, dY, Central(v => DemoFunctions.Bump(x, v), y)));
        }

        foreach (var p in new[] { 0.2, 3.0, -40.0 })
        {
            double value = DemoFunctions.LogCoshGradient(1.0, p, out var dPrediction);
            worst = Math.Max(worst, Row(output, $"LogCosh(1, {p}) ∂/∂prediction", value, dPrediction, Central(v => DemoFunctions.LogCosh(1.0, v), p)));
        }

        // The fused one-pass kernel over spans: the mean Huber loss and its gradient, vectorized.
        var target = new float[10];
        var prediction = new float[10];
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = i;
            prediction[i] = i + ((i - 4.5f) * 0.7f);
        }

        var dPredictions = new float[10];
        float mean = DemoFunctions.HuberMean(target, prediction, 1f, dPredictions);
        output.WriteLine();
        output.WriteLine($"HuberMean over 10 elements (δ = 1): {mean.ToString("R", CultureInfo.InvariantCulture)}");
        output.WriteLine("∂mean/∂prediction: " + string.Join(", ", dPredictions.Select(g => g.ToString("0.###", CultureInfo.InvariantCulture))));

        output.WriteLine();
        bool ok = worst < 1e-6;
        output.WriteLine(ok ? $"All gradients agree with finite differences (worst relative error {worst:E1})." : $"MISMATCH: worst relative error {worst:E1}");
        return ok ? 0 : 1;
    }

    private static double Central(Func<double, double> f, double x)
    {
        const double h = 1e-5;
        return (f(x + h) - f(x - h)) / (2 * h);
    }

    private static double Row(TextWriter output, string name, double value, double gradient, double numeric)
    {
        double error = Math.Abs(gradient - numeric) / Math.Max(1e-3, Math.Abs(numeric));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {value,14:G8} {gradient,16:G10} {numeric,16:G10} {error,10:E1}"));
        return error;
    }
}

using System.Numerics;

namespace AutoDiff.Generator.Tests.Infrastructure;

public static class Numerics
{
    /// <summary>
    /// ∂f/∂xᵢ by central differences with one Richardson step (error O(h⁴)); also reports whether
    /// f looks smooth there: a kink within h makes the two step sizes disagree.
    /// </summary>
    public static (double Derivative, bool Smooth) CentralDifference(Func<double[], double> f, double[] x, int i, double h = 1e-3)
    {
        double D(double step)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += step;
            minus[i] -= step;
            return (f(plus) - f(minus)) / (2 * step);
        }

        double coarse = D(h), fine = D(h / 2);
        double richardson = (4 * fine - coarse) / 3;
        double finer = D(h / 4);
        double richardsonFine = (4 * finer - fine) / 3;
        bool smooth = Math.Abs(richardson - richardsonFine) <= 1e-9 * Math.Max(1, Math.Abs(richardson));
        return (richardsonFine, smooth);
    }

    /// <summary>|a − b| / max(|a|, |b|, floor): relative error, absolute below <paramref name="floor"/>.</summary>
    public static double RelativeError(double a, double b, double floor = 1e-2) =>
        a.Equals(b) ? 0 : Math.Abs(a - b) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);

    public static void Close<T>(T expected, T actual, double tolerance, string what)
        where T : struct, INumberBase<T>
    {
        double e = double.CreateChecked(expected), a = double.CreateChecked(actual);
        if (double.IsNaN(e) && double.IsNaN(a))
        {
            return;
        }

        double error = RelativeError(e, a, floor: 1);
        Assert.True(error <= tolerance, $"{what}: expected {e:R}, got {a:R} (relative error {error:E2} > {tolerance:E1})");
    }
}

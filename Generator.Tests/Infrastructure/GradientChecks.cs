namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>Gradient checks against central differences in double, shared by the test kernels and the runtime's own sources.</summary>
public static class GradientChecks
{
    /// <summary>
    /// At <paramref name="points"/> random smooth points of the domain: the generated scalar gradient equals
    /// central differences of the method itself to 1e-7, and its value equals the method's.
    /// </summary>
    public static void Elementwise(IKernelDriver<double> kernel, Random random, int points)
    {
        int accepted = 0;
        for (int attempt = 0; attempt < 20 * points && accepted < points; attempt++)
        {
            var (low, high) = kernel.Domain;
            var x = kernel.Roles.Select(_ => low + (random.NextDouble() * (high - low))).ToArray();
            var d = new double[kernel.Roles.Count(r => r == "diff")];
            double value = kernel.Gradient(x, d);

            // The same value as the method itself, up to the rounding of algebraic rewrites (x·x for Pow(x, 2)).
            Numerics.Close(kernel.Value(x), value, 1e-14, kernel.Name + " value");

            var checks = new List<(int Parameter, double Expected, double Actual)>();
            bool smooth = true;
            for (int p = 0, k = 0; p < x.Length; p++)
            {
                if (kernel.Roles[p] != "diff")
                {
                    continue;
                }

                var (fd, ok) = Numerics.CentralDifference(kernel.Value, x, p);
                smooth &= ok;
                checks.Add((p, fd, d[k++]));
            }

            if (!smooth)
            {
                continue; // a kink (max, |x|, a branch) within the step: not a point to check
            }

            accepted++;
            foreach (var (p, fd, g) in checks)
            {
                double error = Numerics.RelativeError(fd, g);
                Assert.True(error <= 1e-7,
                    $"{kernel.Name}: ∂/∂x{p} at ({string.Join(", ", x)}) is {g:R}, finite differences give {fd:R} (relative error {error:E2})");
            }
        }

        Assert.True(accepted >= points, $"{kernel.Name}: only {accepted} smooth points found");
    }

    /// <summary>
    /// For one random row of every length 1..67: the generated row gradient equals central differences of
    /// the method itself (the runtime's reference reductions) to 1e-7, at every element of every span.
    /// </summary>
    public static void Rows(IRowDriver<double> kernel, Random random, Func<string[], int, int, Random, double[][]> sample)
    {
        int accepted = 0;
        for (int n = 1; n <= 67; n++)
        {
            var x = sample(kernel.Kinds, n, 1, random);
            var d = kernel.Kinds.Where(k => k == "span").Select(_ => new double[n]).ToArray();
            double value = kernel.Gradient(x, d);
            Numerics.Close(kernel.Value(x), value, 1e-13, $"{kernel.Name} value at n = {n}");

            var checks = new List<(int P, int I, double Fd, double G)>();
            bool smooth = true;
            for (int p = 0, k = 0; p < x.Length; p++)
            {
                if (kernel.Kinds[p] != "span")
                {
                    continue;
                }

                for (int i = 0; i < n; i++)
                {
                    var (fd, ok) = Numerics.CentralDifference(v => kernel.Value(Replace(x, p, v)), x[p], i, h: 1e-3);
                    smooth &= ok;
                    checks.Add((p, i, fd, d[k][i]));
                }

                k++;
            }

            if (!smooth)
            {
                continue; // a kink (max, hinge) within the step
            }

            accepted++;
            foreach (var (p, i, fd, g) in checks)
            {
                double error = Numerics.RelativeError(fd, g);
                Assert.True(error <= 1e-7, $"{kernel.Name}, n = {n}: ∂/∂x{p}[{i}] is {g:R}, finite differences give {fd:R} (relative error {error:E2})");
            }
        }

        Assert.True(accepted >= 40, $"{kernel.Name}: only {accepted} smooth rows of 67");
    }

    private static double[][] Replace(double[][] x, int p, double[] value)
    {
        var copy = (double[][])x.Clone();
        copy[p] = value;
        return copy;
    }
}

using System.Numerics;

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
    /// At <paramref name="points"/> random points and directions: the forward-mode form returns the method's value and
    /// Σ ∂F/∂xᵢ·tᵢ equal to the generated gradient's dot product with the direction to 1e-12 (relative to Σ|∂F/∂xᵢ·tᵢ|,
    /// the scale of its rounding).
    /// </summary>
    public static void Jvp(IKernelDriver<double> kernel, Random random, int points)
    {
        var (low, high) = kernel.Domain;
        int k = kernel.Roles.Count(r => r == "diff");
        for (int point = 0; point < points; point++)
        {
            var x = kernel.Roles.Select(_ => low + (random.NextDouble() * (high - low))).ToArray();
            var t = Enumerable.Range(0, k).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
            var d = new double[k];
            double value = kernel.Gradient(x, d);
            double jvpValue = kernel.Jvp(x, t, out var tangent);
            Numerics.Close(value, jvpValue, 1e-14, kernel.Name + " Jvp value");
            double expected = 0, scale = 0;
            for (int i = 0; i < k; i++)
            {
                expected += d[i] * t[i];
                scale += Math.Abs(d[i] * t[i]);
            }

            if (!double.IsFinite(expected))
            {
                Assert.False(double.IsFinite(tangent), $"{kernel.Name}: the gradient is not finite at ({string.Join(", ", x)}), the tangent is {tangent:R}");
                continue;
            }

            double error = Math.Abs(expected - tangent) / Math.Max(scale, 1e-2);
            Assert.True(error <= 1e-12,
                $"{kernel.Name}: the tangent at ({string.Join(", ", x)}) along ({string.Join(", ", t)}) is {tangent:R}, gradient · t is {expected:R} (error {error:E2})");
        }
    }

    /// <summary>
    /// At <paramref name="points"/> random smooth points: the Hessian form's value and gradient are the gradient form's,
    /// its Hessian is exactly symmetric, and column j equals central differences of the generated gradient along xⱼ
    /// to 1e-6. Then the lanes form (FHessian over vectors): the points a lane each (every lane one point where a
    /// [Constant] is shared by the lanes), its value and gradient the gradient form's, its upper triangle the same
    /// differences to 1e-6.
    /// </summary>
    public static void Hessian(IKernelDriver<double> kernel, Random random, int points)
    {
        Assert.True(kernel.HasHessian, $"{kernel.Name} has no Hessian form");
        var (low, high) = kernel.Domain;
        int k = kernel.Roles.Count(r => r == "diff");
        var diffs = Enumerable.Range(0, kernel.Roles.Length).Where(p => kernel.Roles[p] == "diff").ToArray();
        int accepted = 0;
        var smoothPoints = new List<(double[] X, double Value, double[] D, List<(int I, int J, double Fd)> Fd)>();
        for (int attempt = 0; attempt < 20 * points && accepted < points; attempt++)
        {
            var x = kernel.Roles.Select(_ => low + (random.NextDouble() * (high - low))).ToArray();
            var d = new double[k];
            var gradient = new double[k];
            var hessian = new double[k * k];
            double value = kernel.Gradient(x, d);
            Numerics.Close(value, kernel.Hessian(x, gradient, hessian), 1e-14, kernel.Name + " Hessian value");
            for (int i = 0; i < k; i++)
            {
                Numerics.Close(d[i], gradient[i], 1e-14, $"{kernel.Name} Hessian form's ∂/∂x{diffs[i]}");
                for (int j = 0; j < i; j++)
                {
                    Assert.Equal(hessian[(i * k) + j], hessian[(j * k) + i]);
                }
            }

            var checks = new List<(int I, int J, double Fd)>();
            bool smooth = true;
            for (int i = 0; i < k; i++)
            {
                int row = i;
                for (int j = 0; j < k; j++)
                {
                    var (fd, ok) = Numerics.CentralDifference(v => GradientEntry(kernel, v, row), x, diffs[j]);
                    smooth &= ok;
                    checks.Add((i, j, fd));
                }
            }

            if (!smooth)
            {
                continue; // a kink within the step
            }

            accepted++;
            foreach (var (i, j, fd) in checks)
            {
                double h = hessian[(i * k) + j];
                double error = Numerics.RelativeError(fd, h);
                Assert.True(error <= 1e-6,
                    $"{kernel.Name}: ∂²/∂x{diffs[i]}∂x{diffs[j]} at ({string.Join(", ", x)}) is {h:R}, differences of the gradient give {fd:R} (relative error {error:E2})");
            }

            smoothPoints.Add((x, value, d, checks));
        }

        Assert.True(accepted >= points, $"{kernel.Name}: only {accepted} smooth points found");
        LanesHessian(kernel, smoothPoints, k);
    }

    private static void LanesHessian(IKernelDriver<double> kernel, List<(double[] X, double Value, double[] D, List<(int I, int J, double Fd)> Fd)> points, int k)
    {
        int lanes = Vector<double>.Count;
        bool shared = kernel.Roles.Contains("const");
        for (int first = 0; first < points.Count; first += shared ? 1 : lanes)
        {
            var inLane = Enumerable.Range(0, lanes).Select(l => points[shared ? first : (first + l) % points.Count]).ToArray();
            var x = kernel.Roles.Select((_, p) => new Vector<double>(inLane.Select(point => point.X[p]).ToArray())).ToArray();
            var gradient = new Vector<double>[k];
            var upper = new Vector<double>[k * (k + 1) / 2];
            var value = kernel.LanesHessian(x, gradient, upper);
            for (int l = 0; l < lanes; l++)
            {
                var point = inLane[l];
                Numerics.Close(point.Value, value[l], 1e-14, $"{kernel.Name} lanes Hessian value, lane {l}");
                for (int i = 0, entry = 0; i < k; i++)
                {
                    Numerics.Close(point.D[i], gradient[i][l], 1e-14, $"{kernel.Name} lanes Hessian's ∂/∂x{i}, lane {l}");
                    for (int j = i; j < k; j++, entry++)
                    {
                        double fd = point.Fd.Single(c => c.I == i && c.J == j).Fd, h = upper[entry][l];
                        double error = Numerics.RelativeError(fd, h);
                        Assert.True(error <= 1e-6,
                            $"{kernel.Name}: the lanes Hessian's ∂²/∂x{i}∂x{j} in lane {l} at ({string.Join(", ", point.X)}) is {h:R}, differences of the gradient give {fd:R} (relative error {error:E2})");
                    }
                }
            }
        }
    }

    private static double GradientEntry(IKernelDriver<double> kernel, double[] x, int i)
    {
        var d = new double[kernel.Roles.Count(r => r == "diff")];
        kernel.Gradient(x, d);
        return d[i];
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

    /// <summary>
    /// For one random row and direction of every length 1..67: the Hessian-vector product and the Jvp return the
    /// gradient's dot product with the direction (to 1e-12 of Σ|∂F/∂x·v|; the Jvp the value too), and the first writes central differences of the generated row
    /// gradient along the direction, (∇F(x + hv) − ∇F(x − hv))/2h with Richardson's extrapolation, to 1e-6.
    /// </summary>
    public static void RowsHessianVector(IRowDriver<double> kernel, Random random, Func<string[], int, int, Random, double[][]> sample)
    {
        var diffs = Enumerable.Range(0, kernel.Kinds.Length).Where(p => kernel.Kinds[p] == "span").ToArray();
        int accepted = 0;
        for (int n = 1; n <= 67; n++)
        {
            var x = sample(kernel.Kinds, n, 1, random);
            var v = diffs.Select(_ => Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            var hv = diffs.Select(_ => new double[n]).ToArray();
            var d = diffs.Select(_ => new double[n]).ToArray();
            double directional = kernel.HessianVector(x, v, hv);
            kernel.Gradient(x, d);
            double dot = 0, scale = 0;
            for (int k = 0; k < diffs.Length; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    dot += d[k][i] * v[k][i];
                    scale += Math.Abs(d[k][i] * v[k][i]);
                }
            }

            Assert.True(Math.Abs(directional - dot) <= 1e-12 * Math.Max(scale, 1e-2), $"{kernel.Name}, n = {n}: returned {directional:R}, ∇F·v = {dot:R}");
            double value = kernel.Jvp(x, v, out var tangent);
            Numerics.Close(kernel.Value(x), value, 1e-13, $"{kernel.Name}, n = {n}: Jvp value");
            Assert.True(Math.Abs(tangent - dot) <= 1e-12 * Math.Max(scale, 1e-2), $"{kernel.Name}, n = {n}: Jvp tangent {tangent:R}, ∇F·v = {dot:R}");

            // Central differences of the gradient along v, at steps h, h/2, h/4.
            double[][] GradientAt(double step)
            {
                var moved = (double[][])x.Clone();
                for (int k = 0; k < diffs.Length; k++)
                {
                    moved[diffs[k]] = x[diffs[k]].Select((value, i) => value + (step * v[k][i])).ToArray();
                }

                var g = diffs.Select(_ => new double[n]).ToArray();
                kernel.Gradient(moved, g);
                return g;
            }

            const double h = 1e-3;
            var steps = new[] { h, h / 2, h / 4 }.Select(step => (Plus: GradientAt(step), Minus: GradientAt(-step), Step: step)).ToArray();
            bool smooth = true;
            var checks = new List<(int K, int I, double Fd)>();
            for (int k = 0; k < diffs.Length; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    var central = steps.Select(s => (s.Plus[k][i] - s.Minus[k][i]) / (2 * s.Step)).ToArray();
                    double coarse = ((4 * central[1]) - central[0]) / 3, fine = ((4 * central[2]) - central[1]) / 3;
                    smooth &= Math.Abs(coarse - fine) <= 1e-9 * Math.Max(1, Math.Abs(fine));
                    checks.Add((k, i, fine));
                }
            }

            if (!smooth)
            {
                continue; // a kink (max, hinge) within the step
            }

            accepted++;
            foreach (var (k, i, fd) in checks)
            {
                double error = Numerics.RelativeError(fd, hv[k][i]);
                Assert.True(error <= 1e-6, $"{kernel.Name}, n = {n}: (∇²F·v) of x{diffs[k]}[{i}] is {hv[k][i]:R}, differences of the gradient give {fd:R} (relative error {error:E2})");
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

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>Checks of a method's scalar forms through adapters over arrays that a test's source declares beside it.</summary>
public static class FormChecks
{
    /// <summary>
    /// <paramref name="name"/>'s forms, as static methods of <paramref name="forms"/> over arrays — <c>F(x)</c>,
    /// <c>FGradient(x, g)</c>, <c>FJvp(x, t, tangent)</c>, <c>FHessian(x, g, h)</c>, each returning the value — at each
    /// point: every value the method's, the gradient against central differences of the method (1e-7), the Jvp against
    /// the gradient along a direction (1e-12), the Hessian form's gradient the gradient's and its Hessian against central
    /// differences of the gradient (1e-6).
    /// </summary>
    public static void GradientJvpAndHessian(Type forms, string name, int k, IEnumerable<double[]> points)
    {
        var f = forms.GetMethod(name)!.CreateDelegate<Func<double[], double>>();
        var gradientForm = forms.GetMethod(name + "Gradient")!.CreateDelegate<Func<double[], double[], double>>();
        var jvp = forms.GetMethod(name + "Jvp")!.CreateDelegate<Func<double[], double[], double[], double>>();
        var hessianForm = forms.GetMethod(name + "Hessian")!.CreateDelegate<Func<double[], double[], double[], double>>();
        double[] Gradient(double[] x)
        {
            var g = new double[k];
            Assert.Equal(f(x), gradientForm(x, g), 12);
            return g;
        }

        var random = new Random(17);
        foreach (var x in points)
        {
            string at = $"at ({string.Join(", ", x)})";
            var g = Gradient(x);
            for (int i = 0; i < k; i++)
            {
                Numerics.Close(Numerics.CentralDifference(f, x, i).Derivative, g[i], 1e-7, $"{name}: ∂/∂x{i} {at}");
            }

            var t = Enumerable.Range(0, k).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var tangent = new double[1];
            Assert.Equal(f(x), jvp(x, t, tangent), 12);
            Numerics.Close(g.Zip(t, (a, b) => a * b).Sum(), tangent[0], 1e-12, $"{name}: the Jvp {at}");

            var gradient = new double[k];
            var hessian = new double[k * k];
            Assert.Equal(f(x), hessianForm(x, gradient, hessian), 12);
            for (int i = 0; i < k; i++)
            {
                Numerics.Close(g[i], gradient[i], 1e-12, $"{name}: the Hessian form's gradient {at}");
                for (int j = 0; j < k; j++)
                {
                    var (second, _) = Numerics.CentralDifference(v => Gradient(v)[j], x, i);
                    Numerics.Close(second, hessian[(i * k) + j], 1e-6, $"{name}: ∂²/∂x{i}∂x{j} {at}");
                }
            }
        }
    }
}

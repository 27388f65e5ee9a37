namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>The peers' tests: a generated gradient against the one clad's test prints.</summary>
public static class CladChecks
{
    /// <summary>
    /// F(point) of doubles through its FGradient (one <c>out double</c> per parameter): the value against F's own
    /// (1e-12), and the first partials against what clad prints (2 decimals: within 0.005).
    /// </summary>
    public static void GradientPrinted(Type type, string name, double[] point, double[] expected)
    {
        var original = type.GetMethods().Single(m => m.Name == name && m.GetParameters().Length == point.Length &&
                                                     m.GetParameters().All(p => (p.ParameterType.IsByRef ? p.ParameterType.GetElementType() : p.ParameterType) == typeof(double))); // in double too
        var gradient = type.GetMethods().Single(m => m.Name == name + "Gradient" && m.GetParameters().Length > point.Length &&
                                                     m.GetParameters().Take(point.Length).All(p => p.ParameterType == typeof(double)));
        int outs = gradient.GetParameters().Length - point.Length;
        var arguments = point.Cast<object?>().Concat(Enumerable.Repeat<object?>(null, outs)).ToArray();
        double value = (double)gradient.Invoke(null, arguments)!;
        Numerics.Close((double)original.Invoke(null, point.Cast<object>().ToArray())!, value, 1e-12, name + " value");
        for (int k = 0; k < expected.Length; k++)
        {
            double d = (double)arguments[point.Length + k]!;
            Assert.True(Math.Abs(d - expected[k]) <= 0.005, $"{name}({string.Join(", ", point)}): partial {k} = {d:R}, clad prints {expected[k]:F2}");
        }
    }
}

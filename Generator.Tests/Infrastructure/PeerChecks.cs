namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>Checks shared by the peers' transliterated tests.</summary>
public static class PeerChecks
{
    /// <summary>
    /// The derivative of <paramref name="name"/> (of <paramref name="type"/>, every parameter a number) along parameter
    /// <paramref name="along"/> at <paramref name="point"/>, through FJvp with a tangent of 1 along it and through
    /// FGradient's partial, against the value the peer prints; a float method is run in float (clad's float functions
    /// print float results): within a few float ulps of the printed value.
    /// </summary>
    public static void ForwardAndReverse(Type type, string name, int along, double expected, double[] point)
    {
        var original = type.GetMethods().Single(m => m.Name == name && m.ReturnType.IsPrimitive); // not the lanes form
        var t = original.ReturnType;
        object Of(double v) => t == typeof(float) ? (object)(float)v : v;
        var jvp = type.GetMethod(name + "Jvp")!;
        var jvpArguments = point.Select(Of).Concat(point.Select((_, k) => Of(k == along ? 1 : 0))).Append(null).ToArray();
        jvp.Invoke(null, jvpArguments);
        var gradient = type.GetMethods().Single(m => m.Name == name + "Gradient" && m.GetParameters().Length == 2 * point.Length && m.GetParameters()[0].ParameterType == t);
        var gradientArguments = point.Select(Of).Concat(point.Select(_ => (object?)null)).ToArray();
        gradient.Invoke(null, gradientArguments);
        double tolerance = (t == typeof(float) ? 4e-6 : 1e-6) * (1 + Math.Abs(expected));
        foreach (var (form, value) in new[] { ("Jvp", Convert.ToDouble(jvpArguments[^1])), ("gradient", Convert.ToDouble(gradientArguments[point.Length + along])) })
        {
            Assert.True(Math.Abs(value - expected) <= tolerance, $"{name}({string.Join(", ", point)}): the {form} gives {value:R}, clad prints {expected}");
        }
    }
}

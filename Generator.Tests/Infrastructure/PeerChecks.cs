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
        var jvp = type.GetMethod(name + "Jvp")!;
        var jvpArguments = Arguments(jvp, point.Concat(point.Select((_, k) => k == along ? 1.0 : 0.0)));
        jvp.Invoke(null, jvpArguments);
        var gradient = type.GetMethods().Single(m => m.Name == name + "Gradient" && m.GetParameters().Length == 2 * point.Length && m.GetParameters()[0].ParameterType.IsPrimitive);
        var gradientArguments = Arguments(gradient, point);
        gradient.Invoke(null, gradientArguments);
        double tolerance = (t == typeof(float) ? 4e-6 : 1e-6) * (1 + Math.Abs(expected));
        foreach (var (form, value) in new[] { ("Jvp", Convert.ToDouble(jvpArguments[^1])), ("gradient", Convert.ToDouble(gradientArguments[point.Length + along])) })
        {
            Assert.True(Math.Abs(value - expected) <= tolerance, $"{name}({string.Join(", ", point)}): the {form} gives {value:R}, clad prints {expected}");
        }
    }

    // The values, each as its parameter's type (a float parameter of a double method takes a float), then null for each out.
    private static object?[] Arguments(System.Reflection.MethodInfo method, IEnumerable<double> values)
    {
        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        int i = 0;
        foreach (var value in values)
        {
            arguments[i] = Convert.ChangeType(value, parameters[i].ParameterType, System.Globalization.CultureInfo.InvariantCulture);
            i++;
        }

        return arguments;
    }
}

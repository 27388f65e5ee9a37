using System.Text.RegularExpressions;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// The runtime's own activations and losses (Runtime/Activations, Runtime/Losses), compiled here from
/// their source in double precision, so their generated gradients can be checked against central
/// differences in double (the runtime ships them in float, checked against libtorch in Runtime.Tests).
/// </summary>
public sealed class RuntimeSourceTests
{
    // Where a function is defined (or only meaningful): every parameter is sampled from this interval.
    private static readonly Dictionary<string, (double Low, double High)> Domains = new()
    {
        ["SquaredLogError"] = (0, 5),
        ["BinaryCrossEntropy"] = (0.02, 0.98),
    };

    private static readonly string[] Files =
    [
        "Activations/Activations.cs",
        "Losses/Losses.cs",
        "Losses/RowLosses.cs",
    ];

    [Fact]
    public void Every_runtime_activation_and_loss_has_a_gradient_equal_to_finite_differences_in_double()
    {
        var sources = Files.Select(f => File.ReadAllText(Path.Combine(TestPaths.Repository, "Runtime", f))).Select(AsTestKernels)
            .Append(File.ReadAllText(Path.Combine(TestPaths.Kernels, "Support.cs")))
            .ToArray();
        var elementwise = KernelDrivers.Build<double>(sources).Drivers;
        var rows = RowDrivers.Build<double>(sources);

        // Every [Differentiable] method of those files is checked.
        int declared = sources.Sum(s => Regex.Matches(s, @"\[Differentiable\]").Count);
        Assert.Equal(declared, elementwise.Count + rows.Count);
        Assert.True(elementwise.Count >= 25 && rows.Count >= 12, $"{elementwise.Count} elementwise, {rows.Count} row methods");

        var random = new Random(31);
        foreach (var kernel in elementwise)
        {
            GradientChecks.Elementwise(kernel, random, points: 30);
        }

        foreach (var kernel in rows)
        {
            GradientChecks.Rows(kernel, random, RowKernelTests.Sample);
        }
    }

    // namespace AutoDiff → RuntimeKernels (the test assembly also references the real runtime), float → double,
    // and a [Domain] on the methods that need one.
    private static string AsTestKernels(string source)
    {
        source = source.Replace("namespace AutoDiff;", "using System;\nusing AutoDiff;\n\nnamespace RuntimeKernels;", StringComparison.Ordinal);
        foreach (var (name, (low, high)) in Domains)
        {
            source = Regex.Replace(source, $@"\[Differentiable\](\s+public static float {name}\()",
                $"[Differentiable][Kernels.Domain({low.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {high.ToString(System.Globalization.CultureInfo.InvariantCulture)})]$1");
        }

        return KernelDrivers.ToDouble(source);
    }
}

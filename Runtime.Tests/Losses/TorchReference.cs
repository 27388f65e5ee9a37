using System.Text.Json;

namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>One case of <c>Reference/torch-reference.json</c>, written by Benchmarks/Oracle (libtorch, float64).</summary>
public sealed record ReferenceCase(
    string Name,
    string Kind,
    Dictionary<string, double> Constants,
    double[]? X,
    double[]? Target,
    double[]? Prediction,
    int Rows,
    Dictionary<string, double[]>? Inputs,
    double[] Value,
    double[]? Gradient,
    Dictionary<string, double[]>? Gradients,
    double SlopeGradient)
{
    public override string ToString() => Name;
}

public static class TorchReference
{
    private static readonly Lazy<IReadOnlyList<ReferenceCase>> Cases = new(Load);

    public static IReadOnlyList<ReferenceCase> All => Cases.Value;

    public static ReferenceCase Get(string name) =>
        All.SingleOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No case '{name}' in the reference file: regenerate it with the oracle.");

    private static IReadOnlyList<ReferenceCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "torch-reference.json");
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return document.RootElement.GetProperty("cases").Deserialize<List<ReferenceCase>>(options)!;
    }

    /// <summary>|actual − expected| ≤ absolute + relative·|expected|, NaN only against NaN.</summary>
    public static void Close(double expected, double actual, double relative, double absolute, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        double error = System.Math.Abs(actual - expected);
        Assert.True(error <= absolute + (relative * System.Math.Abs(expected)),
            $"{what}: libtorch gives {expected:R}, AutoDiff {actual:R} (error {error:E2} > {absolute:E1} + {relative:E1}·|expected|)");
    }

    /// <summary>A row loss's per-row values, their sum and every gradient against the reference case, each within tolerance.</summary>
    public static void CloseRows<T>(ReferenceCase c, T[] values, double sum, IReadOnlyDictionary<string, T[]> gradients, double relative, double absolute)
        where T : System.Numerics.INumberBase<T>
    {
        for (int r = 0; r < c.Rows; r++)
        {
            Close(c.Value[r], double.CreateTruncating(values[r]), relative, absolute, $"{c.Name} of row {r}");
        }

        Close(c.Value.Sum(), sum, relative, absolute, $"{c.Name} summed over rows");
        foreach (var (key, expected) in c.Gradients!)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Close(expected[i], double.CreateTruncating(gradients[key][i]), relative, absolute, $"∂{c.Name}/∂{key}[{i}]");
            }
        }
    }
}

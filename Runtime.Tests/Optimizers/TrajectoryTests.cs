using System.Numerics;
using System.Text.Json;
using AutoDiff.Optimizers;

namespace AutoDiff.Runtime.Tests.Optimizers;

/// <summary>
/// Every optimizer and option follows libtorch's trajectory (Reference/torch-optimizers.json, written by
/// Benchmarks/Oracle from TorchSharp's torch.optim in float64) on the Rosenbrock valley from (−1.5, 2) and a
/// 50-dimensional quadratic of condition number 1,000, 100 steps: to 1e-9 in double and 1e-5 in float,
/// relative to max(|value|, 1) (the start is of size 1; a coordinate that has converged to 1e-30 has no
/// relative digits to compare).
/// </summary>
public sealed class TrajectoryTests
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "torch-optimizers.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    });

    public static TheoryData<string> Configurations => new(Reference.Value.GetProperty("configurations").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Double_trajectory_matches_libtorch(string name) => Follow<double>(name, 1e-9);

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Float_trajectory_matches_libtorch(string name) => Follow<float>(name, 1e-5);

    /// <summary>The runtime optimizer for a configuration of the oracle, in the same order of options.</summary>
    internal static Optimizer<T> Create<T>(string name, (Memory<T>, Memory<T>)[] p)
        where T : unmanaged, IFloatingPointIeee754<T> => name switch
        {
            "sgd" => new Sgd<T>(p, 1e-3),
            "sgd-weight-decay" => new Sgd<T>(p, 1e-3, weightDecay: 0.1),
            "momentum" => new Sgd<T>(p, 1e-3, momentum: 0.9),
            "momentum-dampening" => new Sgd<T>(p, 1e-3, momentum: 0.9, dampening: 0.1),
            "nesterov" => new Sgd<T>(p, 1e-3, momentum: 0.9, nesterov: true),
            "adagrad" => new Adagrad<T>(p, 0.1),
            "adagrad-weight-decay" => new Adagrad<T>(p, 0.1, weightDecay: 0.01),
            "rmsprop" => new RmsProp<T>(p, 0.01),
            "rmsprop-centered" => new RmsProp<T>(p, 0.01, centered: true),
            "rmsprop-momentum" => new RmsProp<T>(p, 0.01, momentum: 0.9),
            "rmsprop-centered-momentum-weight-decay" => new RmsProp<T>(p, 0.01, momentum: 0.5, centered: true, weightDecay: 0.01),
            "adadelta" => new Adadelta<T>(p, 1.0),
            "adadelta-weight-decay" => new Adadelta<T>(p, 1.0, weightDecay: 0.01),
            "adam" => new Adam<T>(p, 0.01),
            "adam-amsgrad" => new Adam<T>(p, 0.01, amsgrad: true),
            "adam-weight-decay" => new Adam<T>(p, 0.01, weightDecay: 0.01),
            "adamw" => Adam<T>.AdamW(p, 0.01, weightDecay: 0.01),
            "adamw-amsgrad" => Adam<T>.AdamW(p, 0.01, weightDecay: 0.1, amsgrad: true),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such configuration"),
        };

    /// <summary>∇ of (1 − x)² + 100(y − x²)².</summary>
    internal static void RosenbrockGradient<T>(ReadOnlySpan<T> p, Span<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T x = p[0], y = p[1];
        T two = T.CreateChecked(2), hundred = T.CreateChecked(100);
        g[0] = (-two * (T.One - x)) - (two * two * hundred * x * (y - (x * x)));
        g[1] = two * hundred * (y - (x * x));
    }

    /// <summary>∇ of ½ Σ λᵢ xᵢ², λᵢ = 10^(3i/49).</summary>
    internal static void QuadraticGradient<T>(ReadOnlySpan<T> p, Span<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < p.Length; i++)
        {
            g[i] = T.CreateChecked(System.Math.Pow(10.0, i * (3.0 / (p.Length - 1)))) * p[i];
        }
    }

    private static void Follow<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var configuration = Reference.Value.GetProperty("configurations").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Check<T>(name, "Rosenbrock", [T.CreateChecked(-1.5), T.CreateChecked(2.0)], RosenbrockGradient, configuration.GetProperty("rosenbrock"), Enumerable.Range(1, 100).ToArray(), tolerance);
        var checkpoints = Reference.Value.GetProperty("quadraticCheckpoints").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Check<T>(name, "quadratic", Enumerable.Repeat(T.One, 50).ToArray(), QuadraticGradient, configuration.GetProperty("quadratic"), checkpoints, tolerance);
    }

    private delegate void GradientOf<T>(ReadOnlySpan<T> p, Span<T> g);

    private static void Check<T>(string name, string problem, T[] start, GradientOf<T> gradientOf, JsonElement expected, int[] checkpoints, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = start;
        var gradient = new T[value.Length];
        var optimizer = Create<T>(name, [(value, gradient)]);
        var rows = expected.EnumerateArray().ToArray();
        int row = 0;
        for (int step = 1; step <= checkpoints[^1]; step++)
        {
            gradientOf(value, gradient);
            optimizer.Step();
            if (step != checkpoints[row])
            {
                continue;
            }

            var reference = rows[row++].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < value.Length; i++)
            {
                double actual = double.CreateChecked(value[i]);
                double error = System.Math.Abs(actual - reference[i]) / System.Math.Max(System.Math.Abs(reference[i]), 1);
                Assert.True(error <= tolerance,
                    $"{name} on {problem}, step {step}, coordinate {i}: libtorch {reference[i]:R}, AutoDiff {actual:R} (error {error:E2} > {tolerance:E0})");
            }
        }
    }
}

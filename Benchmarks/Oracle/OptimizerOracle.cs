using System.Text.Json;
using AutoDiff.Benchmarks.Peers;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks.Oracle;

/// <summary>
/// libtorch's optimizer trajectories in float64 (TorchSharp's torch.optim ports): every optimizer and option
/// of the runtime on the Rosenbrock valley from (−1.5, 2) and on a 50-dimensional quadratic with condition
/// number 1,000, 100 steps each, as JSON for Runtime.Tests:
/// <c>dotnet run -c Release --project Benchmarks -- --optimizer-oracle Runtime.Tests/Reference/torch-optimizers.json</c>.
/// </summary>
internal static class OptimizerOracle
{
    public const int Steps = 100;
    public const int Dimensions = 50;

    /// <summary>The steps after which the quadratic's 50 values are recorded (every step for Rosenbrock).</summary>
    public static readonly int[] QuadraticCheckpoints = [1, 2, 3, 5, 10, 20, 50, 100];

    public static int Run(string path)
    {
        LibTorchSharpPatch.Apply();
        var configurations = new (string Name, Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> Create)[]
        {
            ("sgd", p => optim.SGD(p, 1e-3)),
            ("sgd-weight-decay", p => optim.SGD(p, 1e-3, weight_decay: 0.1)),
            ("momentum", p => optim.SGD(p, 1e-3, momentum: 0.9)),
            ("momentum-dampening", p => optim.SGD(p, 1e-3, momentum: 0.9, dampening: 0.1)),
            ("nesterov", p => optim.SGD(p, 1e-3, momentum: 0.9, nesterov: true)),
            ("adagrad", p => optim.Adagrad(p, 0.1)),
            ("adagrad-weight-decay", p => optim.Adagrad(p, 0.1, weight_decay: 0.01)),
            ("rmsprop", p => optim.RMSProp(p, 0.01)),
            ("rmsprop-centered", p => optim.RMSProp(p, 0.01, centered: true)),
            ("rmsprop-momentum", p => optim.RMSProp(p, 0.01, momentum: 0.9)),
            ("rmsprop-centered-momentum-weight-decay", p => optim.RMSProp(p, 0.01, momentum: 0.5, centered: true, weight_decay: 0.01)),
            ("adadelta", p => optim.Adadelta(p, 1.0)),
            ("adadelta-weight-decay", p => optim.Adadelta(p, 1.0, weight_decay: 0.01)),
            ("adam", p => optim.Adam(p, 0.01)),
            ("adam-amsgrad", p => optim.Adam(p, 0.01, amsgrad: true)),
            ("adam-weight-decay", p => optim.Adam(p, 0.01, weight_decay: 0.01)),
            ("adamw", p => optim.AdamW(p, 0.01, weight_decay: 0.01)),
            ("adamw-amsgrad", p => optim.AdamW(p, 0.01, weight_decay: 0.1, amsgrad: true)),
        };

        var results = new List<Dictionary<string, object>>();
        foreach (var (name, create) in configurations)
        {
            results.Add(new()
            {
                ["name"] = name,
                ["rosenbrock"] = Trajectory(create, [-1.5, 2.0], Rosenbrock, Enumerable.Range(1, Steps).ToArray()),
                ["quadratic"] = Trajectory(create, Enumerable.Repeat(1.0, Dimensions).ToArray(), Quadratic, QuadraticCheckpoints),
            });
        }

        var document = new Dictionary<string, object>
        {
            ["generatedBy"] = "dotnet run -c Release --project Benchmarks -- --optimizer-oracle Runtime.Tests/Reference/torch-optimizers.json",
            ["engine"] = $"torch.optim of TorchSharp {typeof(torch).Assembly.GetName().Version} over libtorch, float64",
            ["steps"] = Steps,
            ["quadraticCheckpoints"] = QuadraticCheckpoints,
            ["configurations"] = results,
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document) + "\n");
        File.Move(temporary, path, overwrite: true);
        Console.WriteLine($"{results.Count} optimizer configurations written to {path}");
        return 0;
    }

    // (1 − x)² + 100(y − x²)²
    private static Tensor Rosenbrock(Tensor p) => (1 - p[0]).pow(2) + (100 * (p[1] - p[0].pow(2)).pow(2));

    // ½ Σ λᵢ xᵢ² with λᵢ = 10^(3i/49): condition number 1,000.
    private static Tensor Quadratic(Tensor p)
    {
        var lambda = torch.pow(10.0, torch.arange(0, Dimensions, dtype: ScalarType.Float64) * (3.0 / (Dimensions - 1)));
        return 0.5 * (lambda * p.pow(2)).sum();
    }

    private static double[][] Trajectory(Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> create, double[] start, Func<Tensor, Tensor> f, int[] record)
    {
        using var scope = torch.NewDisposeScope();
        var parameter = new TorchSharp.Modules.Parameter(torch.tensor(start, dtype: ScalarType.Float64));
        var optimizer = create([parameter]);
        var recorded = new List<double[]>();
        for (int step = 1; step <= record.Max(); step++)
        {
            optimizer.zero_grad();
            var loss = f(parameter);
            loss.backward();
            optimizer.step();
            if (record.Contains(step))
            {
                recorded.Add(parameter.detach().data<double>().ToArray());
            }
        }

        return recorded.ToArray();
    }
}

using System.Text.Json;
using AutoDiff.Benchmarks.Peers;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AutoDiff.Benchmarks.Oracle;

/// <summary>
/// Computes libtorch's values and gradients, in float64, for every activation and loss of the runtime on
/// fixed inputs (extremes included: logits ±100, probabilities 0 and 1, zeros for MSLE, ties and hinge
/// kinks), and writes them as JSON for Runtime.Tests, which then needs no libtorch:
/// <c>dotnet run -c Release --project Benchmarks -- --oracle Runtime.Tests/Reference/torch-reference.json</c>.
/// Every input is a float32 value, so the float kernels see exactly the inputs libtorch saw.
/// </summary>
internal static class ReferenceOracle
{
    private static readonly double[] Grid =
        [-100, -30, -10, -6, -3, -1, -0.5, -0.1, -1e-4, 0, 1e-4, 0.1, 0.5, 1, 3, 6, 10, 30, 100];

    public static int Run(string path)
    {
        LibTorchSharpPatch.Apply();
        var random = new Random(20261128);
        var cases = new List<Dictionary<string, object>>();

        // ---- Activations: y = f(x), and dy/dx (the gradient of the sum). ----
        var x = Grid.Concat(Uniform(random, 40, -5, 5)).ToArray();
        Activation(cases, "Sigmoid", x, torch.sigmoid);
        Activation(cases, "Tanh", x, torch.tanh);
        Activation(cases, "Softplus", x, t => F.softplus(t));
        Activation(cases, "Softminus", x, t => t - F.softplus(t));
        Activation(cases, "Relu", x, t => F.relu(t));
        Activation(cases, "LeakyRelu", x, t => F.leaky_relu(t, 0.01), ("negativeSlope", 0.01));
        Activation(cases, "Relu6", x, t => F.relu6(t));
        Activation(cases, "Elu", x, t => F.elu(t, 1.0), ("alpha", 1.0));
        Activation(cases, "Selu", x, t => F.selu(t));
        Activation(cases, "Gelu", x, t => F.gelu(t));
        Activation(cases, "GeluTanh", x, t => 0.5 * t * (1 + torch.tanh(Math.Sqrt(2 / Math.PI) * (t + 0.044715 * t.pow(3)))));
        Activation(cases, "Silu", x, t => F.silu(t));
        Activation(cases, "Mish", x, t => F.mish(t));
        Activation(cases, "Softsign", x, t => t / (1 + t.abs()));
        Prelu(cases, x, 0.25);

        // ---- Elementwise losses: ℓ(t, p) per element, and ∂ℓ/∂p. ----
        var t0 = Uniform(random, 24, -3, 3);
        var p0 = Uniform(random, 24, -3, 3);
        var ties = new[] { 1.0, -2.0, 0.0 };
        var t = t0.Concat(ties).Concat(new[] { 0.0, 0.0, 0.0 }).ToArray();
        var p = p0.Concat(ties).Concat(new[] { 1.0, -1.0, 0.5 }).ToArray(); // ties; Huber's |r| = δ; smooth L1's |r| = β/2
        Elementwise(cases, "SquaredError", t, p, (tt, pp) => (pp - tt).pow(2));
        Elementwise(cases, "AbsoluteError", t, p, (tt, pp) => (pp - tt).abs());
        Elementwise(cases, "Huber", t, p, (tt, pp) => F.huber_loss(pp, tt, reduction: nn.Reduction.None, delta: 1.0), ("delta", 1.0));
        Elementwise(cases, "SmoothL1", t, p, (tt, pp) => F.smooth_l1_loss(pp, tt, reduction: nn.Reduction.None, beta: 1.0), ("beta", 1.0));
        Elementwise(cases, "LogCosh", t, p, (tt, pp) => torch.log(torch.cosh(pp - tt)));

        var tm = new[] { 30.0, 30000, 20, 20, 0, 0, 3, 1e-3 }.Concat(Uniform(random, 16, 0, 10)).ToArray();
        var pm = new[] { 20.0, 20000, 10, 30, 0, 2, 0, 0 }.Concat(Uniform(random, 16, 0, 10)).ToArray();
        Elementwise(cases, "SquaredLogError", tm, pm, (tt, pp) => (torch.log1p(pp) - torch.log1p(tt)).pow(2));

        var tb = new[] { 0.0, 1, 0, 1, 0.3, 0.3, 1, 0, 0.5 }.Concat(Uniform(random, 12, 0, 1)).ToArray();
        var pb = new[] { 0.0, 1, 1e-7, 0.9999999, 0.3, 1e-3, 0.5, 0.5, 0.999 }.Concat(Uniform(random, 12, 0.01, 0.99)).ToArray();
        Elementwise(cases, "BinaryCrossEntropy", tb, pb, (tt, pp) => F.binary_cross_entropy(pp, tt, reduction: nn.Reduction.None));

        var tz = new[] { 0.0, 1, 0, 1, 0.3, 0.3, 1, 0 }.Concat(Uniform(random, 12, 0, 1)).ToArray();
        var z = new[] { 100.0, -100, -100, 100, 0, 30, -30, 1e-4 }.Concat(Uniform(random, 12, -8, 8)).ToArray();
        Elementwise(cases, "BinaryCrossEntropyWithLogits", tz, z, (tt, pp) => F.binary_cross_entropy_with_logits(pp, tt, reduction: nn.Reduction.None));

        var th = new[] { 1.0, -1, 1, -1, 1, -1 }.Concat(Enumerable.Range(0, 14).Select(i => i % 2 == 0 ? 1.0 : -1.0)).ToArray();
        var ph = new[] { 1.0, -1, 0.25, 3, -2, 0.5 }.Concat(Uniform(random, 14, -3, 3)).ToArray(); // t·p = 1: the kink
        Elementwise(cases, "Hinge", th, ph, (tt, pp) => torch.clamp_min(1 - tt * pp, 0));
        Elementwise(cases, "SquaredHinge", th, ph, (tt, pp) => torch.clamp_min(1 - tt * pp, 0).pow(2));

        // ---- Row losses: one value per row, and the gradient of their sum. ----
        const int rows = 6, classes = 10;
        var logits = Uniform(random, rows * classes, -4, 4);
        logits[0] = 100; logits[1] = -100;                 // extremes
        logits[10] = logits[11] = logits[12] = 2;           // ties
        var labels = new double[] { 0, 1, 5, 9, 3, 3 };
        var probabilities = Softmax(Uniform(random, rows * classes, -2, 2), rows, classes);
        probabilities[0] = 0; // a zero probability: 0·log 0 = 0 in KL
        Renormalise(probabilities, rows, classes);

        Rows(cases, "CrossEntropy", rows, new() { ["logits"] = logits, ["target"] = labels }, ["logits"], new(),
            v => F.cross_entropy(v["logits"].reshape(rows, classes), v["target"].to(ScalarType.Int64), reduction: nn.Reduction.None));
        Rows(cases, "CrossEntropySmoothed", rows, new() { ["logits"] = logits, ["target"] = labels }, ["logits"], new() { ["labelSmoothing"] = 0.1 },
            v => F.cross_entropy(v["logits"].reshape(rows, classes), v["target"].to(ScalarType.Int64), reduction: nn.Reduction.None, label_smoothing: 0.1));
        Rows(cases, "CrossEntropyDense", rows, new() { ["logits"] = logits, ["probabilities"] = probabilities }, ["logits"], new(),
            v => -(v["probabilities"].reshape(rows, classes) * F.log_softmax(v["logits"].reshape(rows, classes), 1)).sum(1));
        Rows(cases, "CrossEntropyDenseSmoothed", rows, new() { ["logits"] = logits, ["probabilities"] = probabilities }, ["logits"], new() { ["labelSmoothing"] = 0.1 },
            v => F.cross_entropy(v["logits"].reshape(rows, classes), v["probabilities"].reshape(rows, classes), reduction: nn.Reduction.None, label_smoothing: 0.1));
        var logQ = LogSoftmax(Uniform(random, rows * classes, -3, 3), rows, classes);
        Rows(cases, "KLDivergence", rows, new() { ["input"] = logQ, ["target"] = probabilities }, ["input"], new(),
            v => F.kl_div(v["input"].reshape(rows, classes), v["target"].reshape(rows, classes), reduction: nn.Reduction.None, log_target: false).sum(1));
        var scores = Uniform(random, rows * classes, -2, 2);
        scores[1] = scores[0] - 1; // the kink: s_j − s_k + Δ = 0
        Rows(cases, "MultiMarginHinge", rows, new() { ["scores"] = scores, ["target"] = labels }, ["scores"], new() { ["margin"] = 1.0 },
            v => classes * F.multi_margin_loss(v["scores"].reshape(rows, classes), v["target"].to(ScalarType.Int64), p: 1, margin: 1.0, reduction: nn.Reduction.None));
        var weights = Uniform(random, 24, -1, 1);
        Rows(cases, "L2Penalty", 1, new() { ["weights"] = weights }, ["weights"], new() { ["lambda"] = 0.01 },
            v => (0.01 * v["weights"].pow(2).sum()).reshape(1));

        const int dim = 8;
        var a = Uniform(random, rows * dim, -1, 1);
        var pos = a.Select((v, i) => v + (Math.Round(random.NextDouble() * 0.6 - 0.3, 3))).Select(v => (double)(float)v).ToArray();
        var neg = Uniform(random, rows * dim, -1, 1);
        Rows(cases, "TripletMargin", rows, new() { ["anchor"] = a, ["positive"] = pos, ["negative"] = neg }, ["anchor", "positive", "negative"], new() { ["margin"] = 1.0 },
            v => F.triplet_margin_loss(v["anchor"].reshape(rows, dim), v["positive"].reshape(rows, dim), v["negative"].reshape(rows, dim), margin: 1.0, p: 2, eps: 1e-6, reduction: nn.Reduction.None));
        Rows(cases, "TripletMarginSquared", rows, new() { ["anchor"] = a, ["positive"] = pos, ["negative"] = neg }, ["anchor", "positive", "negative"], new() { ["margin"] = 1.0 },
            v => torch.clamp_min(1.0 + (v["anchor"] - v["positive"]).reshape(rows, dim).pow(2).sum(1) - (v["anchor"] - v["negative"]).reshape(rows, dim).pow(2).sum(1), 0));

        var similar = new double[] { 0, 1, 0, 1, 1, 0 };
        var b = neg.ToArray();
        Array.Copy(a, 0, b, dim, dim); // a dissimilar pair at distance 0
        Rows(cases, "Contrastive", rows, new() { ["a"] = a, ["b"] = b, ["y"] = similar }, ["a", "b"], new() { ["margin"] = 1.5 },
            v =>
            {
                var d2 = (v["a"] - v["b"]).reshape(rows, dim).pow(2).sum(1);
                var d = torch.where(d2 > 0, d2.clamp_min(1e-300).sqrt(), torch.zeros_like(d2));
                return (1 - v["y"]) * 0.5 * d2 + v["y"] * 0.5 * torch.clamp_min(1.5 - d, 0).pow(2);
            });
        var zeroRow = a.ToArray();
        Array.Clear(zeroRow, 0, dim); // a zero row
        Rows(cases, "CosineSimilarity", rows, new() { ["a"] = zeroRow, ["b"] = neg }, ["a", "b"], new(),
            v => F.cosine_similarity(v["a"].reshape(rows, dim), v["b"].reshape(rows, dim), 1, 1e-8));
        var plusMinus = new double[] { 1, -1, 1, -1, -1, 1 };
        Rows(cases, "CosineEmbedding", rows, new() { ["a"] = a, ["b"] = neg, ["y"] = plusMinus }, ["a", "b"], new() { ["margin"] = 0.1 },
            v => F.cosine_embedding_loss(v["a"].reshape(rows, dim), v["b"].reshape(rows, dim), v["y"], 0.1, nn.Reduction.None));

        var document = new Dictionary<string, object>
        {
            ["generatedBy"] = "dotnet run -c Release --project Benchmarks -- --oracle Runtime.Tests/Reference/torch-reference.json",
            ["engine"] = $"libtorch via TorchSharp {typeof(torch).Assembly.GetName().Version}, float64",
            ["cases"] = cases,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = false }) + "\n");
        File.Move(temporary, path, overwrite: true);
        Console.WriteLine($"{cases.Count} cases written to {path}");
        return 0;
    }

    private static double[] Uniform(Random random, int n, double low, double high) =>
        Enumerable.Range(0, n).Select(_ => (double)(float)(low + random.NextDouble() * (high - low))).ToArray();

    private static Tensor Leaf(double[] values) => torch.tensor(values, dtype: ScalarType.Float64).requires_grad_(true);

    private static double[] AsFloat(double[] values) => values.Select(v => (double)(float)v).ToArray();

    private static void Activation(List<Dictionary<string, object>> cases, string name, double[] x, Func<Tensor, Tensor> f, params (string Name, double Value)[] constants)
    {
        x = AsFloat(x);
        using var scope = torch.NewDisposeScope();
        var input = Leaf(x);
        var y = f(input);
        y.sum().backward();
        cases.Add(new()
        {
            ["name"] = name,
            ["kind"] = "activation",
            ["constants"] = constants.ToDictionary(c => c.Name, c => c.Value),
            ["x"] = x,
            ["value"] = y.detach().data<double>().ToArray(),
            ["gradient"] = input.grad!.data<double>().ToArray(),
        });
    }

    private static void Prelu(List<Dictionary<string, object>> cases, double[] x, double slope)
    {
        x = AsFloat(x);
        using var scope = torch.NewDisposeScope();
        var input = Leaf(x);
        var weight = Leaf([slope]);
        var y = F.prelu(input, weight);
        y.sum().backward();
        cases.Add(new()
        {
            ["name"] = "Prelu",
            ["kind"] = "activation",
            ["constants"] = new Dictionary<string, double> { ["slope"] = slope },
            ["x"] = x,
            ["value"] = y.detach().data<double>().ToArray(),
            ["gradient"] = input.grad!.data<double>().ToArray(),
            ["slopeGradient"] = weight.grad!.data<double>().ToArray()[0],
        });
    }

    private static void Elementwise(List<Dictionary<string, object>> cases, string name, double[] target, double[] prediction, Func<Tensor, Tensor, Tensor> f, params (string Name, double Value)[] constants)
    {
        target = AsFloat(target);
        prediction = AsFloat(prediction);
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(target, dtype: ScalarType.Float64);
        var p = Leaf(prediction);
        var loss = f(t, p);
        loss.sum().backward();
        cases.Add(new()
        {
            ["name"] = name,
            ["kind"] = "elementwise",
            ["constants"] = constants.ToDictionary(c => c.Name, c => c.Value),
            ["target"] = target,
            ["prediction"] = prediction,
            ["value"] = loss.detach().data<double>().ToArray(),
            ["gradient"] = p.grad!.data<double>().ToArray(),
        });
    }

    private static void Rows(List<Dictionary<string, object>> cases, string name, int rows, Dictionary<string, double[]> inputs, string[] differentiable,
        Dictionary<string, double> constants, Func<Dictionary<string, Tensor>, Tensor> f)
    {
        inputs = inputs.ToDictionary(i => i.Key, i => AsFloat(i.Value));
        using var scope = torch.NewDisposeScope();
        var tensors = inputs.ToDictionary(i => i.Key, i => differentiable.Contains(i.Key) ? Leaf(i.Value) : torch.tensor(i.Value, dtype: ScalarType.Float64));
        var values = f(tensors);
        values.sum().backward();
        cases.Add(new()
        {
            ["name"] = name,
            ["kind"] = "rows",
            ["rows"] = rows,
            ["constants"] = constants,
            ["inputs"] = inputs,
            ["value"] = values.detach().data<double>().ToArray(),
            ["gradients"] = differentiable.ToDictionary(d => d, d => tensors[d].grad!.data<double>().ToArray()),
        });
    }

    private static double[] Softmax(double[] x, int rows, int columns)
    {
        using var scope = torch.NewDisposeScope();
        return F.softmax(torch.tensor(x).reshape(rows, columns), 1).reshape(-1).data<double>().Select(v => (double)(float)v).ToArray();
    }

    private static double[] LogSoftmax(double[] x, int rows, int columns)
    {
        using var scope = torch.NewDisposeScope();
        return F.log_softmax(torch.tensor(x).reshape(rows, columns), 1).reshape(-1).data<double>().Select(v => (double)(float)v).ToArray();
    }

    // float rounding leaves each row's sum within a few ulp of 1; that is the input both sides see.
    private static void Renormalise(double[] p, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sum += p[(r * columns) + c];
            }

            for (int c = 0; c < columns; c++)
            {
                p[(r * columns) + c] = (float)(p[(r * columns) + c] / sum);
            }
        }
    }
}

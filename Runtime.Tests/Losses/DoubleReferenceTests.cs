namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>
/// Every activation and loss in double (the twins the build writes from the float sources) against libtorch's
/// float64 values and gradients (Reference/torch-reference.json), within 1e-9 relative (plus 1e-12 absolute for
/// values near 0), through the generated double span forms: value, backward or sum, and mean.
/// </summary>
public sealed class DoubleReferenceTests
{
    private const double Relative = 1e-9, Absolute = 1e-12;

    public static TheoryData<string> ActivationNames => new(TorchReference.All.Where(c => c.Kind == "activation").Select(c => c.Name));

    public static TheoryData<string> ElementwiseNames => new(TorchReference.All.Where(c => c.Kind == "elementwise").Select(c => c.Name));

    public static TheoryData<string> RowNames => new(TorchReference.All.Where(c => c.Kind == "rows").Select(c => c.Name));

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Activation_matches_libtorch_in_double(string name)
    {
        var c = TorchReference.Get(name);
        double K(string key) => c.Constants[key];
        switch (name)
        {
            case "Sigmoid": Activation(c, Activations.Sigmoid, Activations.SigmoidBackward); break;
            case "Tanh": Activation(c, Activations.Tanh, Activations.TanhBackward); break;
            case "Softplus": Activation(c, Activations.Softplus, Activations.SoftplusBackward); break;
            case "Softminus": Activation(c, Activations.Softminus, Activations.SoftminusBackward); break;
            case "Relu": Activation(c, Activations.Relu, Activations.ReluBackward); break;
            case "LeakyRelu": Activation(c, (x, d) => Activations.LeakyRelu(x, K("negativeSlope"), d), (x, u, d) => Activations.LeakyReluBackward(x, K("negativeSlope"), u, d)); break;
            case "Relu6": Activation(c, Activations.Relu6, Activations.Relu6Backward); break;
            case "Elu": Activation(c, (x, d) => Activations.Elu(x, K("alpha"), d), (x, u, d) => Activations.EluBackward(x, K("alpha"), u, d)); break;
            case "Selu": Activation(c, Activations.Selu, Activations.SeluBackward); break;
            case "Gelu": Activation(c, Activations.Gelu, Activations.GeluBackward); break;
            case "GeluTanh": Activation(c, Activations.GeluTanh, Activations.GeluTanhBackward); break;
            case "Silu": Activation(c, Activations.Silu, Activations.SiluBackward); break;
            case "Mish": Activation(c, Activations.Mish, Activations.MishBackward); break;
            case "Softsign": Activation(c, Activations.Softsign, Activations.SoftsignBackward); break;
            case "Prelu":
                // One slope shared by every element: its gradient is the sum of the per-element ones.
                var slopes = Enumerable.Repeat(K("slope"), c.X!.Length).ToArray();
                var dSlope = new double[c.X.Length];
                Activation(c, (x, d) => Activations.Prelu(x, slopes, d), (x, u, d) => Activations.PreluBackward(x, slopes, u, d, dSlope));
                TorchReference.Close(c.SlopeGradient, dSlope.Sum(), Relative, Absolute, "∂prelu/∂slope");
                break;
            default: Assert.Fail($"No activation mapped to '{name}'"); break;
        }
    }

    [Theory]
    [MemberData(nameof(ElementwiseNames))]
    public void Elementwise_loss_matches_libtorch_in_double(string name)
    {
        var c = TorchReference.Get(name);
        double K(string key) => c.Constants[key];
        switch (name)
        {
            case "SquaredError": Loss(c, Losses.SquaredError, Losses.SquaredErrorSum, Losses.SquaredErrorMean); break;
            case "AbsoluteError": Loss(c, Losses.AbsoluteError, Losses.AbsoluteErrorSum, Losses.AbsoluteErrorMean); break;
            case "Huber":
                Loss(c, (t, p, d) => Losses.Huber(t, p, K("delta"), d), (t, p, d) => Losses.HuberSum(t, p, K("delta"), d), (t, p, d) => Losses.HuberMean(t, p, K("delta"), d));
                break;
            case "SmoothL1":
                Loss(c, (t, p, d) => Losses.SmoothL1(t, p, K("beta"), d), (t, p, d) => Losses.SmoothL1Sum(t, p, K("beta"), d), (t, p, d) => Losses.SmoothL1Mean(t, p, K("beta"), d));
                break;
            case "LogCosh": Loss(c, Losses.LogCosh, Losses.LogCoshSum, Losses.LogCoshMean); break;
            case "SquaredLogError": Loss(c, Losses.SquaredLogError, Losses.SquaredLogErrorSum, Losses.SquaredLogErrorMean); break;

            // At p = 0 or 1 exactly PyTorch's backward divides 0 by max(p(1 − p), 1e-12); AutoDiff returns the
            // derivative of the clamped value it computes (documented on BinaryCrossEntropy).
            case "BinaryCrossEntropy":
                Loss(c, Losses.BinaryCrossEntropy, Losses.BinaryCrossEntropySum, Losses.BinaryCrossEntropyMean, skipGradient: i => c.Prediction![i] is 0 or 1);
                break;
            case "BinaryCrossEntropyWithLogits": Loss(c, Losses.BinaryCrossEntropyWithLogits, Losses.BinaryCrossEntropyWithLogitsSum, Losses.BinaryCrossEntropyWithLogitsMean); break;
            case "Hinge": Loss(c, Losses.Hinge, Losses.HingeSum, Losses.HingeMean); break;
            case "SquaredHinge": Loss(c, Losses.SquaredHinge, Losses.SquaredHingeSum, Losses.SquaredHingeMean); break;
            default: Assert.Fail($"No loss mapped to '{name}'"); break;
        }
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Row_loss_matches_libtorch_in_double(string name)
    {
        var c = TorchReference.Get(name);
        int rows = c.Rows;
        double[] In(string key) => c.Inputs![key];
        int[] Labels(string key) => c.Inputs![key].Select(v => (int)v).ToArray();
        double K(string key) => c.Constants[key];
        var values = new double[rows];
        var g = c.Gradients!.ToDictionary(pair => pair.Key, pair => new double[pair.Value.Length]);
        double sum;
        switch (name)
        {
            case "CrossEntropy":
                Losses.CrossEntropy(rows, In("logits"), Labels("target"), values);
                sum = Losses.CrossEntropySum(rows, In("logits"), Labels("target"), g["logits"]);
                break;
            case "CrossEntropySmoothed":
                Losses.CrossEntropy(rows, In("logits"), Labels("target"), K("labelSmoothing"), values);
                sum = Losses.CrossEntropySum(rows, In("logits"), Labels("target"), K("labelSmoothing"), g["logits"]);
                break;
            case "CrossEntropyDense":
                Losses.CrossEntropy(rows, In("logits"), In("probabilities"), values);
                sum = Losses.CrossEntropySum(rows, In("logits"), In("probabilities"), g["logits"]);
                break;
            case "CrossEntropyDenseSmoothed":
                Losses.CrossEntropy(rows, In("logits"), In("probabilities"), K("labelSmoothing"), values);
                sum = Losses.CrossEntropySum(rows, In("logits"), In("probabilities"), K("labelSmoothing"), g["logits"]);
                break;
            case "KLDivergence":
                Losses.KLDivergence(rows, In("input"), In("target"), values);
                sum = Losses.KLDivergenceSum(rows, In("input"), In("target"), g["input"]);
                break;
            case "MultiMarginHinge":
                Losses.MultiMarginHinge(rows, In("scores"), Labels("target"), K("margin"), values);
                sum = Losses.MultiMarginHingeSum(rows, In("scores"), Labels("target"), K("margin"), g["scores"]);
                break;
            case "L2Penalty":
                Losses.L2Penalty(rows, In("weights"), K("lambda"), values);
                sum = Losses.L2PenaltySum(rows, In("weights"), K("lambda"), g["weights"]);
                break;
            case "TripletMargin":
                Losses.TripletMargin(rows, In("anchor"), In("positive"), In("negative"), K("margin"), values);
                sum = Losses.TripletMarginSum(rows, In("anchor"), In("positive"), In("negative"), K("margin"), g["anchor"], g["positive"], g["negative"]);
                break;
            case "TripletMarginSquared":
                Losses.TripletMarginSquared(rows, In("anchor"), In("positive"), In("negative"), K("margin"), values);
                sum = Losses.TripletMarginSquaredSum(rows, In("anchor"), In("positive"), In("negative"), K("margin"), g["anchor"], g["positive"], g["negative"]);
                break;
            case "Contrastive":
                Losses.Contrastive(rows, In("a"), In("b"), In("y"), K("margin"), values);
                sum = Losses.ContrastiveSum(rows, In("a"), In("b"), In("y"), K("margin"), g["a"], g["b"]);
                break;
            case "CosineSimilarity":
                Losses.CosineSimilarity(rows, In("a"), In("b"), values);
                sum = Losses.CosineSimilaritySum(rows, In("a"), In("b"), g["a"], g["b"]);
                break;
            case "CosineEmbedding":
                Losses.CosineEmbedding(rows, In("a"), In("b"), In("y"), K("margin"), values);
                sum = Losses.CosineEmbeddingSum(rows, In("a"), In("b"), In("y"), K("margin"), g["a"], g["b"]);
                break;
            default:
                Assert.Fail($"No loss mapped to '{name}'");
                return;
        }

        TorchReference.CloseRows(c, values, sum, g, Relative, Absolute);
    }

    [Fact]
    public void Softmax_and_log_softmax_in_double_match_their_definition()
    {
        const int rows = 3, columns = 7;
        var x = Enumerable.Range(0, rows * columns).Select(i => Math.Sin(i) * 40).ToArray();
        var softmax = new double[x.Length];
        var logSoftmax = new double[x.Length];
        Activations.Softmax(rows, x, softmax);
        Activations.LogSoftmax(rows, x, logSoftmax);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Skip(r * columns).Take(columns).ToArray();
            double max = row.Max();
            double log = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (int j = 0; j < columns; j++)
            {
                TorchReference.Close(Math.Exp(row[j] - log), softmax[(r * columns) + j], 1e-13, 1e-300, $"softmax[{r}, {j}]");
                TorchReference.Close(row[j] - log, logSoftmax[(r * columns) + j], 1e-13, 1e-13, $"log-softmax[{r}, {j}]");
            }
        }
    }

    private static void Activation(ReferenceCase c, Action<ReadOnlySpan<double>, Span<double>> forward, Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>> backward)
    {
        var x = c.X!;
        var value = new double[x.Length];
        var gradient = new double[x.Length];
        forward(x, value);
        backward(x, Enumerable.Repeat(1.0, x.Length).ToArray(), gradient);
        for (int i = 0; i < x.Length; i++)
        {
            TorchReference.Close(c.Value[i], value[i], Relative, Absolute, $"{c.Name}({x[i]:R})");
            TorchReference.Close(c.Gradient![i], gradient[i], Relative, Absolute, $"{c.Name}′({x[i]:R})");
        }
    }

    private static void Loss(
        ReferenceCase c,
        Action<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>> forward,
        Func<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, double> sum,
        Func<ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>, double> mean,
        Func<int, bool>? skipGradient = null)
    {
        var target = c.Target!;
        var prediction = c.Prediction!;
        int n = target.Length;
        var value = new double[n];
        var gradient = new double[n];
        var meanGradient = new double[n];
        forward(target, prediction, value);
        double total = sum(target, prediction, gradient);
        double average = mean(target, prediction, meanGradient);
        for (int i = 0; i < n; i++)
        {
            string at = $"{c.Name}(t = {target[i]:R}, p = {prediction[i]:R})";
            TorchReference.Close(c.Value[i], value[i], Relative, Absolute, at);
            if (skipGradient?.Invoke(i) != true)
            {
                TorchReference.Close(c.Gradient![i], gradient[i], Relative, Absolute, "∂" + at);
                TorchReference.Close(c.Gradient![i] / n, meanGradient[i], Relative, Absolute, "∂mean " + at);
            }
        }

        TorchReference.Close(c.Value.Sum(), total, Relative, Absolute * n, c.Name + " sum");
        TorchReference.Close(c.Value.Average(), average, Relative, Absolute, c.Name + " mean");
    }
}

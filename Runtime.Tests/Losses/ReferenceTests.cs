namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>
/// Every activation and loss against libtorch's float64 values and gradients (Reference/torch-reference.json),
/// through the generated float kernels and operator structs. Tolerances are stated per function: a float
/// kernel is exact to a few float ulp where the function is well conditioned; where it is not (a difference
/// of nearly equal numbers, a kink), the tolerance says so.
/// </summary>
public sealed class ReferenceTests
{
    // Relative and absolute tolerance for float results against a float64 reference.
    private const double Relative = 1e-5, Absolute = 1e-6;

    public static TheoryData<string> ActivationNames => new(TorchReference.All.Where(c => c.Kind == "activation" && c.Name != "Prelu").Select(c => c.Name));

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Activation_matches_libtorch(string name)
    {
        var reference = TorchReference.Get(name);
        switch (name)
        {
            case "Sigmoid": Check(new Activations.SigmoidOperator(), reference); break;
            case "Tanh": Check(new Activations.TanhOperator(), reference); break;
            case "Softplus": Check(new Activations.SoftplusOperator(), reference); break;
            case "Softminus": Check(new Activations.SoftminusOperator(), reference); break;
            case "Relu": Check(new Activations.ReluOperator(), reference); break;
            case "LeakyRelu": Check(new Activations.LeakyReluOperator((float)reference.Constants["negativeSlope"]), reference); break;
            case "Relu6": Check(new Activations.Relu6Operator(), reference); break;
            case "Elu": Check(new Activations.EluOperator((float)reference.Constants["alpha"]), reference); break;
            case "Selu": Check(new Activations.SeluOperator(), reference); break;
            case "Gelu": Check(new Activations.GeluOperator(), reference); break;
            case "GeluTanh": Check(new Activations.GeluTanhOperator(), reference); break;
            case "Silu": Check(new Activations.SiluOperator(), reference); break;
            case "Mish": Check(new Activations.MishOperator(), reference); break;
            case "Softsign": Check(new Activations.SoftsignOperator(), reference); break;
            default: Assert.Fail($"No activation mapped to '{name}'"); break;
        }
    }

    [Fact]
    public void Prelu_matches_libtorch_with_the_gradient_of_its_shared_slope()
    {
        var reference = TorchReference.Get("Prelu");
        var x = Floats(reference.X!);
        float slope = (float)reference.Constants["slope"];
        var slopes = Enumerable.Repeat(slope, x.Length).ToArray();
        var value = new float[x.Length];
        var dX = new float[x.Length];
        var dSlope = new float[x.Length];
        Activations.Prelu(x, slopes, value);
        Activations.PreluBackward(x, slopes, Enumerable.Repeat(1f, x.Length).ToArray(), dX, dSlope);
        for (int i = 0; i < x.Length; i++)
        {
            TorchReference.Close(reference.Value[i], value[i], Relative, Absolute, $"prelu({x[i]})");
            TorchReference.Close(reference.Gradient![i], dX[i], Relative, Absolute, $"prelu′({x[i]})");
        }

        // One slope shared by every element: its gradient is the sum of the per-element ones.
        TorchReference.Close(reference.SlopeGradient, dSlope.Sum(x => (double)x), Relative, 1e-4, "∂/∂slope");
    }

    public static TheoryData<string> ElementwiseNames => new(TorchReference.All.Where(c => c.Kind == "elementwise").Select(c => c.Name));

    [Theory]
    [MemberData(nameof(ElementwiseNames))]
    public void Elementwise_loss_matches_libtorch(string name)
    {
        var reference = TorchReference.Get(name);
        switch (name)
        {
            case "SquaredError": Check(new AutoDiff.Losses.SquaredErrorOperator(), reference); break;
            case "AbsoluteError": Check(new AutoDiff.Losses.AbsoluteErrorOperator(), reference); break;
            case "Huber": Check(new AutoDiff.Losses.HuberOperator((float)reference.Constants["delta"]), reference); break;
            case "SmoothL1": Check(new AutoDiff.Losses.SmoothL1Operator((float)reference.Constants["beta"]), reference); break;

            // log cosh r = |r| + softplus(−2|r|) − ln 2 adds numbers of different size: a few ulp of |r| absolute.
            case "LogCosh": Check(new AutoDiff.Losses.LogCoshOperator(), reference, absolute: 2e-5); break;
            case "SquaredLogError": Check(new AutoDiff.Losses.SquaredLogErrorOperator(), reference); break;

            // Where p = 0 or 1 exactly and the matching log is not clamped (t = 0 at p = 0, t = 1 at p = 1),
            // PyTorch's backward divides 0 by max(p(1 − p), 1e-12) and returns 0; the derivative of the value
            // it computes, which AutoDiff returns, is ±1 there (documented on BinaryCrossEntropy).
            case "BinaryCrossEntropy": Check(new AutoDiff.Losses.BinaryCrossEntropyOperator(), reference, skipGradient: i => reference.Prediction![i] is 0 or 1); break;
            case "BinaryCrossEntropyWithLogits": Check(new AutoDiff.Losses.BinaryCrossEntropyWithLogitsOperator(), reference); break;
            case "Hinge": Check(new AutoDiff.Losses.HingeOperator(), reference); break;
            case "SquaredHinge": Check(new AutoDiff.Losses.SquaredHingeOperator(), reference); break;
            default: Assert.Fail($"No loss mapped to '{name}'"); break;
        }
    }

    public static TheoryData<string> RowNames => new(TorchReference.All.Where(c => c.Kind == "rows").Select(c => c.Name));

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Row_loss_matches_libtorch(string name)
    {
        var c = TorchReference.Get(name);
        int rows = c.Rows;
        float[] In(string key) => Floats(c.Inputs![key]);
        int[] Labels(string key) => c.Inputs![key].Select(v => (int)v).ToArray();
        float K(string key) => (float)c.Constants[key];
        var values = new float[rows];
        var gradients = c.Gradients!.ToDictionary(g => g.Key, g => new float[g.Value.Length]);
        float sum;
        switch (name)
        {
            case "CrossEntropy":
                AutoDiff.Losses.CrossEntropy(rows, In("logits"), Labels("target"), values);
                sum = AutoDiff.Losses.CrossEntropySum(rows, In("logits"), Labels("target"), gradients["logits"]);
                break;
            case "CrossEntropySmoothed":
                AutoDiff.Losses.CrossEntropy(rows, In("logits"), Labels("target"), K("labelSmoothing"), values);
                sum = AutoDiff.Losses.CrossEntropySum(rows, In("logits"), Labels("target"), K("labelSmoothing"), gradients["logits"]);
                break;
            case "CrossEntropyDense":
                AutoDiff.Losses.CrossEntropy(rows, In("logits"), In("probabilities"), values);
                sum = AutoDiff.Losses.CrossEntropySum(rows, In("logits"), In("probabilities"), gradients["logits"]);
                break;
            case "CrossEntropyDenseSmoothed":
                AutoDiff.Losses.CrossEntropy(rows, In("logits"), In("probabilities"), K("labelSmoothing"), values);
                sum = AutoDiff.Losses.CrossEntropySum(rows, In("logits"), In("probabilities"), K("labelSmoothing"), gradients["logits"]);
                break;
            case "KLDivergence":
                AutoDiff.Losses.KLDivergence(rows, In("input"), In("target"), values);
                sum = AutoDiff.Losses.KLDivergenceSum(rows, In("input"), In("target"), gradients["input"]);
                break;
            case "MultiMarginHinge":
                AutoDiff.Losses.MultiMarginHinge(rows, In("scores"), Labels("target"), K("margin"), values);
                sum = AutoDiff.Losses.MultiMarginHingeSum(rows, In("scores"), Labels("target"), K("margin"), gradients["scores"]);
                break;
            case "L2Penalty":
                AutoDiff.Losses.L2Penalty(rows, In("weights"), K("lambda"), values);
                sum = AutoDiff.Losses.L2PenaltySum(rows, In("weights"), K("lambda"), gradients["weights"]);
                break;
            case "TripletMargin":
                AutoDiff.Losses.TripletMargin(rows, In("anchor"), In("positive"), In("negative"), K("margin"), values);
                sum = AutoDiff.Losses.TripletMarginSum(rows, In("anchor"), In("positive"), In("negative"), K("margin"), gradients["anchor"], gradients["positive"], gradients["negative"]);
                break;
            case "TripletMarginSquared":
                AutoDiff.Losses.TripletMarginSquared(rows, In("anchor"), In("positive"), In("negative"), K("margin"), values);
                sum = AutoDiff.Losses.TripletMarginSquaredSum(rows, In("anchor"), In("positive"), In("negative"), K("margin"), gradients["anchor"], gradients["positive"], gradients["negative"]);
                break;
            case "Contrastive":
                AutoDiff.Losses.Contrastive(rows, In("a"), In("b"), In("y"), K("margin"), values);
                sum = AutoDiff.Losses.ContrastiveSum(rows, In("a"), In("b"), In("y"), K("margin"), gradients["a"], gradients["b"]);
                break;
            case "CosineSimilarity":
                AutoDiff.Losses.CosineSimilarity(rows, In("a"), In("b"), values);
                sum = AutoDiff.Losses.CosineSimilaritySum(rows, In("a"), In("b"), gradients["a"], gradients["b"]);
                break;
            case "CosineEmbedding":
                AutoDiff.Losses.CosineEmbedding(rows, In("a"), In("b"), In("y"), K("margin"), values);
                sum = AutoDiff.Losses.CosineEmbeddingSum(rows, In("a"), In("b"), In("y"), K("margin"), gradients["a"], gradients["b"]);
                break;
            default:
                Assert.Fail($"No loss mapped to '{name}'");
                return;
        }

        TorchReference.CloseRows(c, values, sum, gradients, Relative, Absolute);
    }

    private static void Check<TOp>(TOp op, ReferenceCase reference, double absolute = Absolute)
        where TOp : struct, IActivation<float>
    {
        var x = Floats(reference.X!);
        var value = new float[x.Length];
        var gradient = new float[x.Length];
        op.Forward(x, value);
        op.Backward(x, Enumerable.Repeat(1f, x.Length).ToArray(), gradient);
        for (int i = 0; i < x.Length; i++)
        {
            TorchReference.Close(reference.Value[i], value[i], Relative, absolute, $"{reference.Name}({x[i]:R})");
            TorchReference.Close(reference.Value[i], op.Value(x[i]), Relative, absolute, $"{reference.Name}({x[i]:R}), scalar");
            TorchReference.Close(reference.Gradient![i], gradient[i], Relative, absolute, $"{reference.Name}′({x[i]:R})");
        }
    }

    private static void Check<TLoss>(TLoss loss, ReferenceCase reference, double absolute = Absolute, Func<int, bool>? skipGradient = null)
        where TLoss : struct, ILoss<float>
    {
        var target = Floats(reference.Target!);
        var prediction = Floats(reference.Prediction!);
        var value = new float[target.Length];
        var gradient = new float[target.Length];
        var meanGradient = new float[target.Length];
        loss.Forward(target, prediction, value);
        float sum = loss.Sum(target, prediction, gradient);
        float mean = loss.Mean(target, prediction, meanGradient);
        for (int i = 0; i < target.Length; i++)
        {
            string at = $"{reference.Name}(t = {target[i]:R}, p = {prediction[i]:R})";
            TorchReference.Close(reference.Value[i], value[i], Relative, absolute, at);
            if (skipGradient?.Invoke(i) != true)
            {
                TorchReference.Close(reference.Gradient![i], gradient[i], Relative, absolute, "∂" + at);
                TorchReference.Close(reference.Gradient![i] / target.Length, meanGradient[i], Relative, absolute, "∂mean " + at);
            }
        }

        TorchReference.Close(reference.Value.Sum(), sum, Relative, absolute * target.Length, reference.Name + " sum");
        TorchReference.Close(reference.Value.Average(), mean, Relative, absolute, reference.Name + " mean");
    }

    private static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();
}

namespace AutoDiff;

// Losses of whole rows: multi-class and metric learning. The batched kernels take row-major matrices;
// …Mean is the mean over rows (PyTorch's 'mean' for these losses, and 'batchmean' for KL).
public static partial class Losses
{
    // ---- Multi-class ---------------------------------------------------------------------------------

    /// <summary>
    /// Cross-entropy of logits z and a class index k: log Σⱼ e^(zⱼ) − z_k = −log softmax(z)_k (PyTorch
    /// <c>CrossEntropyLoss</c> with class-index targets, Keras <c>sparse_categorical_crossentropy</c> from logits).
    /// Stable for any logits; its gradient is softmax(z) − onehot(k).
    /// </summary>
    /// <param name="logits">The row of logits z.</param>
    /// <param name="target">The class k.</param>
    [Differentiable]
    public static float CrossEntropy(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - logits[target];

    /// <summary>
    /// Cross-entropy with label smoothing ε (PyTorch <c>CrossEntropyLoss(label_smoothing: ε)</c>): the target
    /// is (1 − ε)·onehot(k) + ε/C, so the loss is log Σⱼ e^(zⱼ) − (1 − ε)·z_k − (ε/C)·Σⱼ zⱼ.
    /// </summary>
    /// <param name="logits">The row of C logits z.</param>
    /// <param name="target">The class k.</param>
    /// <param name="labelSmoothing">ε ∈ [0, 1].</param>
    [Differentiable]
    public static float CrossEntropy(ReadOnlySpan<float> logits, int target, [Constant] float labelSmoothing) =>
        AD.LogSumExp(logits) - (1f - labelSmoothing) * logits[target] - labelSmoothing * AD.Mean(logits);

    /// <summary>
    /// Cross-entropy of logits z and a probability row p: Σⱼ pⱼ·(log Σ e^z − zⱼ) (PyTorch <c>CrossEntropyLoss</c>
    /// with probability targets, Keras <c>categorical_crossentropy</c> from logits).
    /// </summary>
    /// <param name="logits">The row of logits z.</param>
    /// <param name="probabilities">The target distribution p.</param>
    [Differentiable]
    public static float CrossEntropy(ReadOnlySpan<float> logits, [NoDiff] ReadOnlySpan<float> probabilities)
    {
        var lse = AD.LogSumExp(logits);
        return AD.Sum(logits, probabilities, (z, p) => p * (lse - z));
    }

    /// <summary>Cross-entropy of probability targets with label smoothing ε: the target is (1 − ε)·p + ε/C.</summary>
    /// <param name="logits">The row of C logits z.</param>
    /// <param name="probabilities">The target distribution p.</param>
    /// <param name="labelSmoothing">ε ∈ [0, 1].</param>
    [Differentiable]
    public static float CrossEntropy(ReadOnlySpan<float> logits, [NoDiff] ReadOnlySpan<float> probabilities, [Constant] float labelSmoothing)
    {
        var lse = AD.LogSumExp(logits);
        var uniform = labelSmoothing / logits.Length;
        return AD.Sum(logits, probabilities, (z, p) => ((1f - labelSmoothing) * p + uniform) * (lse - z));
    }

    /// <summary>
    /// Kullback–Leibler divergence KL(p ‖ q) = Σⱼ pⱼ·(log pⱼ − log qⱼ) from log-probabilities log q and
    /// probabilities p, with 0·log 0 = 0 (PyTorch <c>KLDivLoss</c>, log_target = false; the batched
    /// <c>KLDivergenceMean</c> is its reduction 'batchmean').
    /// </summary>
    /// <param name="input">The log-probabilities log q (a log-softmax output).</param>
    /// <param name="target">The probabilities p.</param>
    [Differentiable]
    public static float KLDivergence(ReadOnlySpan<float> input, [NoDiff] ReadOnlySpan<float> target) =>
        AD.Sum(input, target, (logQ, p) => p > 0f ? p * (MathF.Log(p) - logQ) : 0f);

    /// <summary>
    /// The multi-class (Weston–Watkins) hinge of the notes: Σ_{j≠k} max(0, sⱼ − s_k + Δ). PyTorch's
    /// <c>MultiMarginLoss(margin: Δ)</c> divides this by the number of classes C. Add the notes' λ‖W‖²
    /// with <see cref="L2Penalty(ReadOnlySpan{float}, float)"/>.
    /// </summary>
    /// <param name="scores">The row of class scores s.</param>
    /// <param name="target">The correct class k.</param>
    /// <param name="margin">Δ ≥ 0.</param>
    [Differentiable]
    public static float MultiMarginHinge(ReadOnlySpan<float> scores, int target, [Constant] float margin)
    {
        var correct = scores[target];

        // The sum over every j includes j = k, which adds max(0, Δ) = Δ: take it back out.
        return AD.Sum(scores, s => MathF.Max(0f, s - correct + margin)) - margin;
    }

    /// <summary>The notes' regulariser λ·Σ w² over a row of weights; <c>L2PenaltyGradient(weights, λ, dWeights)</c> writes 2λw.</summary>
    /// <param name="weights">The weights W, flattened.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    [Differentiable]
    public static float L2Penalty(ReadOnlySpan<float> weights, [Constant] float lambda) => lambda * AD.Sum(weights, w => w * w);

    // ---- Metric learning ----------------------------------------------------------------------------

    /// <summary>
    /// The notes' triplet loss max(0, g + D(a, p) − D(a, n)) with D the Euclidean distance ‖x − y + ε‖,
    /// ε = 1e-6, as PyTorch's <c>TripletMarginLoss(margin: g)</c> computes it. At the kink the derivative is the linear branch's, as torch.clamp_min's.
    /// </summary>
    /// <param name="anchor">The anchor's embedding a.</param>
    /// <param name="positive">An embedding p of the same class.</param>
    /// <param name="negative">An embedding n of another class.</param>
    /// <param name="margin">The margin g (PyTorch's default is 1).</param>
    [Differentiable]
    public static float TripletMargin(ReadOnlySpan<float> anchor, ReadOnlySpan<float> positive, ReadOnlySpan<float> negative, [Constant] float margin)
    {
        var toPositive = MathF.Sqrt(AD.Sum(anchor, positive, (a, p) => (a - p + 1e-6f) * (a - p + 1e-6f)));
        var toNegative = MathF.Sqrt(AD.Sum(anchor, negative, (a, n) => (a - n + 1e-6f) * (a - n + 1e-6f)));
        return MathF.Max(margin + toPositive - toNegative, 0f);
    }

    /// <summary>The triplet loss with the squared Euclidean distance: max(0, g + ‖a − p‖² − ‖a − n‖²).</summary>
    /// <param name="anchor">The anchor's embedding a.</param>
    /// <param name="positive">An embedding p of the same class.</param>
    /// <param name="negative">An embedding n of another class.</param>
    /// <param name="margin">The margin g.</param>
    [Differentiable]
    public static float TripletMarginSquared(ReadOnlySpan<float> anchor, ReadOnlySpan<float> positive, ReadOnlySpan<float> negative, [Constant] float margin) =>
        MathF.Max(margin + AD.SquaredDistance(anchor, positive) - AD.SquaredDistance(anchor, negative), 0f);

    /// <summary>
    /// The notes' contrastive (Siamese) loss (1 − Y)·½D² + Y·½·max(0, m − D)², D = ‖a − b‖, with Y = 0 for a
    /// similar pair and Y = 1 for a dissimilar one. D² is used as is, so identical embeddings give a
    /// gradient of 0, not NaN.
    /// </summary>
    /// <param name="a">The first embedding.</param>
    /// <param name="b">The second embedding.</param>
    /// <param name="y">Y: 0 similar, 1 dissimilar.</param>
    /// <param name="margin">The margin m.</param>
    [Differentiable]
    public static float Contrastive(ReadOnlySpan<float> a, ReadOnlySpan<float> b, [NoDiff] float y, [Constant] float margin)
    {
        var squared = AD.SquaredDistance(a, b);
        var distance = squared > 0f ? MathF.Sqrt(squared) : 0f;
        var hinge = MathF.Max(0f, margin - distance);
        return (1f - y) * 0.5f * squared + y * 0.5f * hinge * hinge;
    }

    /// <summary>
    /// Cosine similarity a·b / (max(‖a‖, ε)·max(‖b‖, ε)), ε = 1e-8, as PyTorch's <c>cosine_similarity</c>
    /// computes it; a zero row gives 0 and a finite gradient.
    /// </summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    [Differentiable]
    public static float CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        AD.Dot(a, b) / (MathF.Max(AD.Norm(a), 1e-8f) * MathF.Max(AD.Norm(b), 1e-8f));

    /// <summary>
    /// Cosine embedding loss (PyTorch <c>CosineEmbeddingLoss(margin)</c>): 1 − cos(a, b) for y = 1, and
    /// max(0, cos(a, b) − margin) for y = −1, with cos = a·b / √((‖a‖² + ε)(‖b‖² + ε)), ε = 1e-12, as PyTorch.
    /// </summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    /// <param name="y">1 for a similar pair, −1 for a dissimilar one.</param>
    /// <param name="margin">The margin (PyTorch's default is 0).</param>
    [Differentiable]
    public static float CosineEmbedding(ReadOnlySpan<float> a, ReadOnlySpan<float> b, [NoDiff] float y, [Constant] float margin)
    {
        var cosine = AD.Dot(a, b) / MathF.Sqrt((AD.Sum(a, x => x * x) + 1e-12f) * (AD.Sum(b, x => x * x) + 1e-12f));
        return y > 0f ? 1f - cosine : MathF.Max(0f, cosine - margin);
    }
}

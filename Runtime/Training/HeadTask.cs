using AutoDiff.Data;
using AutoDiff.Layers;

namespace AutoDiff.Training;

/// <summary>
/// What one head of a network learns and how it is scored: its loss (a generated operator struct) and the
/// weight of that loss in the sum the trainer minimises, L = Σ_h weight_h · L_h.
/// </summary>
public abstract class HeadTask
{
    /// <summary>A task whose loss counts <paramref name="weight"/> times.</summary>
    /// <param name="weight">The weight w_h &gt; 0 of the head's loss.</param>
    protected HeadTask(double weight)
    {
        if (!(weight > 0 && double.IsFinite(weight)))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "A head's loss weight must be positive and finite.");
        }

        Weight = weight;
    }

    /// <summary>The weight of the head's loss.</summary>
    public double Weight { get; }

    /// <summary>Softmax cross-entropy on the class labels (PyTorch's <c>CrossEntropyLoss</c>, mean over the batch).</summary>
    /// <param name="weight">The weight of this loss.</param>
    /// <returns>The task.</returns>
    public static HeadTask CrossEntropy(double weight = 1) => new ClassificationTask<Losses.CrossEntropyOperator>(default, weight);

    /// <summary>Mean squared error on the real targets (PyTorch's <c>MSELoss</c>).</summary>
    /// <param name="weight">The weight of this loss.</param>
    /// <returns>The task.</returns>
    public static HeadTask MeanSquaredError(double weight = 1) => new RegressionTask<Losses.SquaredErrorOperator>(default, weight);

    /// <summary>Checks that the data and the head's output suit the task; the message names what does not.</summary>
    /// <param name="data">The data.</param>
    /// <param name="output">The head's output shape.</param>
    /// <param name="head">The head's index, for messages.</param>
    /// <param name="maxBatch">The largest batch <see cref="Loss"/> will see (a task allocates its scratch here).</param>
    internal abstract void Validate(ImageDataset data, TensorShape output, int head, int maxBatch);

    /// <summary>The mean loss over the batch, and ∂(weight · loss)/∂output into <paramref name="gradient"/>.</summary>
    /// <param name="batch">The batch's images.</param>
    /// <param name="output">The head's output.</param>
    /// <param name="labels">The images' classes.</param>
    /// <param name="targets">The images' real targets.</param>
    /// <param name="gradient">Receives the gradient.</param>
    /// <param name="draw">A seed for random choices (random mining), the same on a resumed run.</param>
    internal abstract float Loss(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient, ulong draw);

    /// <summary>Adds the batch's score: correct answers for a classification, Σ |error| for a regression.</summary>
    internal abstract double Score(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets);

    /// <summary>The head's score on <paramref name="data"/> from the sum of its batches' <see cref="Score"/>.</summary>
    internal abstract HeadScore Summarize(double score, ImageDataset data);

    private protected static void Scale(Span<float> gradient, double weight)
    {
        if (weight != 1)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, (float)weight, gradient);
        }
    }
}

/// <summary>A classification head: scores (logits) per class, a loss of the scores and the label.</summary>
/// <typeparam name="TLoss">The generated loss operator (<c>CrossEntropyOperator</c>, <c>MultiMarginHingeOperator</c>).</typeparam>
/// <param name="loss">The operator, with its constants.</param>
/// <param name="weight">The weight of this loss.</param>
public sealed class ClassificationTask<TLoss>(TLoss loss, double weight = 1) : HeadTask(weight)
    where TLoss : struct, IClassificationLoss<float>
{
    /// <inheritdoc/>
    internal override HeadScore Summarize(double score, ImageDataset data) => new(score / data.Count, double.NaN);

    /// <inheritdoc/>
    internal override void Validate(ImageDataset data, TensorShape output, int head, int maxBatch)
    {
        if (data.Labels is null)
        {
            throw new ArgumentException($"Head {head} classifies, but the data has no labels.", nameof(data));
        }

        if (output.Size != data.Classes)
        {
            throw new ArgumentException($"Head {head} outputs {output.Size} scores, but the data has {data.Classes} classes.", nameof(data));
        }
    }

    /// <inheritdoc/>
    internal override float Loss(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient, ulong draw)
    {
        float value = loss.Mean(batch, output, labels[..batch], gradient);
        Scale(gradient, Weight);
        return value;
    }

    /// <inheritdoc/>
    internal override double Score(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        int classes = output.Length / batch, correct = 0;
        for (int r = 0; r < batch; r++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(output.Slice(r * classes, classes)) == labels[r])
            {
                correct++;
            }
        }

        return correct;
    }
}

/// <summary>A regression head: one value per real target, an elementwise loss of prediction and target.</summary>
/// <typeparam name="TLoss">The generated loss operator (<c>SquaredErrorOperator</c>, <c>HuberOperator</c>).</typeparam>
/// <param name="loss">The operator, with its constants.</param>
/// <param name="weight">The weight of this loss.</param>
public sealed class RegressionTask<TLoss>(TLoss loss, double weight = 1) : HeadTask(weight)
    where TLoss : struct, ILoss<float>
{
    /// <inheritdoc/>
    internal override HeadScore Summarize(double score, ImageDataset data) =>
        new(double.NaN, score / ((double)data.Count * data.TargetSize) * data.TargetScale);

    /// <inheritdoc/>
    internal override void Validate(ImageDataset data, TensorShape output, int head, int maxBatch)
    {
        if (data.Targets is null)
        {
            throw new ArgumentException($"Head {head} regresses, but the data has no real targets.", nameof(data));
        }

        if (output.Size != data.TargetSize)
        {
            throw new ArgumentException($"Head {head} outputs {output.Size} values, but the data has {data.TargetSize} targets per image.", nameof(data));
        }
    }

    /// <inheritdoc/>
    internal override float Loss(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient, ulong draw)
    {
        float value = loss.Mean(targets[..output.Length], output, gradient);
        Scale(gradient, Weight);
        return value;
    }

    /// <inheritdoc/>
    internal override double Score(int batch, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += Math.Abs((double)output[i] - targets[i]);
        }

        return sum;
    }
}

using AutoDiff.Layers;

namespace AutoDiff.Data;

/// <summary>
/// Images with what a network learns from them: a class per image, and/or a vector of real targets per
/// image. Images are produced on demand into a caller's buffer, so a dataset may render them (translated
/// MNIST) instead of storing them.
/// </summary>
public abstract class ImageDataset
{
    /// <summary>The number of images.</summary>
    public abstract int Count { get; }

    /// <summary>The shape of one image (channels × height × width).</summary>
    public abstract TensorShape Shape { get; }

    /// <summary>The class of each image, or null when the data has none.</summary>
    public virtual int[]? Labels => null;

    /// <summary>The number of classes the labels are drawn from (0 without labels).</summary>
    public virtual int Classes => 0;

    /// <summary><see cref="Count"/> × <see cref="TargetSize"/> real targets, or null when the data has none.</summary>
    public virtual float[]? Targets => null;

    /// <summary>Real targets per image (0 without targets).</summary>
    public virtual int TargetSize => 0;

    /// <summary>What one unit of a target is worth in the data's own unit (pixels per unit for offsets), for reporting errors.</summary>
    public virtual double TargetScale => 1;

    /// <summary>Writes image <paramref name="index"/> into <paramref name="destination"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <param name="destination"><see cref="Shape"/>.Size values.</param>
    public abstract void CopyImage(int index, Span<float> destination);
}

/// <summary>
/// MNIST as an <see cref="ImageDataset"/>: 1 × 28 × 28 images and their digits, standardised by default as
/// PyTorch's MNIST examples do: (pixel − <see cref="Mnist.Mean"/>) / <see cref="Mnist.StandardDeviation"/>.
/// </summary>
/// <param name="mnist">The loaded images.</param>
/// <param name="standardize">Standardise the pixels (else they stay in [0, 1]).</param>
public sealed class MnistDataset(Mnist mnist, bool standardize = true) : ImageDataset
{
    /// <inheritdoc/>
    public override int Count => mnist.Count;

    /// <inheritdoc/>
    public override TensorShape Shape => new(1, Mnist.Side, Mnist.Side);

    /// <inheritdoc/>
    public override int[] Labels => mnist.Labels;

    /// <inheritdoc/>
    public override int Classes => 10;

    /// <inheritdoc/>
    public override void CopyImage(int index, Span<float> destination)
    {
        mnist.Image(index).CopyTo(destination);
        if (standardize)
        {
            Mnist.Standardize(destination[..Mnist.Pixels]);
        }
    }
}

/// <summary>
/// "Translated MNIST" for the multi-task network: each digit placed at a seeded random offset (x, y) ∈
/// [0, <see cref="MaxOffset"/>]² on a <see cref="Side"/> × <see cref="Side"/> black canvas. The targets are the
/// class and the offset, scaled to [−1, 1] (offset / <see cref="TargetScale"/> − 1).
/// </summary>
public sealed class TranslatedMnist : ImageDataset
{
    /// <summary>The side of the canvas.</summary>
    public const int Side = 40;

    /// <summary>The largest offset of a digit's top-left corner.</summary>
    public const int MaxOffset = Side - Mnist.Side;

    private readonly Mnist _mnist;
    private readonly float[] _targets;

    private readonly bool _standardize;

    /// <summary>Places every digit of <paramref name="mnist"/> at an offset drawn from <paramref name="seed"/>.</summary>
    /// <param name="mnist">The digits.</param>
    /// <param name="seed">The seed of the offsets.</param>
    /// <param name="standardize">Standardise the canvas as <see cref="MnistDataset"/> does (else pixels stay in [0, 1]).</param>
    public TranslatedMnist(Mnist mnist, ulong seed, bool standardize = true)
    {
        ArgumentNullException.ThrowIfNull(mnist);
        _mnist = mnist;
        _standardize = standardize;
        var random = new SeededRandom(seed);
        _targets = new float[mnist.Count * 2];
        for (int i = 0; i < mnist.Count; i++)
        {
            _targets[2 * i] = (float)((random.Next(MaxOffset + 1) / TargetScale) - 1);
            _targets[(2 * i) + 1] = (float)((random.Next(MaxOffset + 1) / TargetScale) - 1);
        }
    }

    /// <inheritdoc/>
    public override int Count => _mnist.Count;

    /// <inheritdoc/>
    public override TensorShape Shape => new(1, Side, Side);

    /// <inheritdoc/>
    public override int[] Labels => _mnist.Labels;

    /// <inheritdoc/>
    public override int Classes => 10;

    /// <summary>(x, y) per image, scaled to [−1, 1].</summary>
    public override float[] Targets => _targets;

    /// <inheritdoc/>
    public override int TargetSize => 2;

    /// <summary>Pixels per target unit: half the largest offset.</summary>
    public override double TargetScale => MaxOffset / 2.0;

    /// <summary>The offset of image <paramref name="index"/> in pixels.</summary>
    /// <param name="index">The image.</param>
    /// <returns>Column and row of the digit's top-left corner.</returns>
    public (int X, int Y) Offset(int index) =>
        ((int)Math.Round((_targets[2 * index] + 1) * TargetScale), (int)Math.Round((_targets[(2 * index) + 1] + 1) * TargetScale));

    /// <inheritdoc/>
    public override void CopyImage(int index, Span<float> destination)
    {
        var canvas = destination[..(Side * Side)];
        canvas.Clear();
        var (x, y) = Offset(index);
        var digit = _mnist.Image(index);
        for (int r = 0; r < Mnist.Side; r++)
        {
            digit.Slice(r * Mnist.Side, Mnist.Side).CopyTo(canvas.Slice(((y + r) * Side) + x, Mnist.Side));
        }

        if (_standardize)
        {
            Mnist.Standardize(canvas);
        }
    }
}

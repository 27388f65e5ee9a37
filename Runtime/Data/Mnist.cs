namespace AutoDiff.Data;

/// <summary>
/// MNIST digits: 28 × 28 grey images as floats in [0, 1] (pixel / 255), one row of 784 per image, and their
/// labels 0–9. The repository ships the original files under <c>data/mnist/</c>.
/// </summary>
public sealed class Mnist
{
    /// <summary>Rows and columns of an image.</summary>
    public const int Side = 28;

    /// <summary>Pixels of an image.</summary>
    public const int Pixels = Side * Side;

    /// <summary>
    /// The most images one load reads: 250,000 (784 MB as floats, 4 × the 60,000 of MNIST's training set), so that a
    /// file whose header claims more cannot take the machine's memory: a file holding more is refused before its
    /// data is read, unless a limit asks for fewer.
    /// </summary>
    public const int MaxImages = 250_000;

    /// <summary>The mean pixel of the training set (in [0, 1]), as PyTorch's examples use it: 0.1307.</summary>
    public const float Mean = 0.1307f;

    /// <summary>The standard deviation of the training set's pixels: 0.3081.</summary>
    public const float StandardDeviation = 0.3081f;

    /// <summary>pixel ← (pixel − <see cref="Mean"/>) / <see cref="StandardDeviation"/>, in place.</summary>
    /// <param name="pixels">Pixels in [0, 1].</param>
    public static void Standardize(Span<float> pixels)
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(pixels, Mean, pixels);
        System.Numerics.Tensors.TensorPrimitives.Multiply(pixels, 1 / StandardDeviation, pixels);
    }

    private Mnist(float[] images, int[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>Every image, row after row: <see cref="Count"/> × <see cref="Pixels"/> values in [0, 1].</summary>
    public float[] Images { get; }

    /// <summary>The digit of each image.</summary>
    public int[] Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * Pixels, Pixels);

    /// <summary>The first <paramref name="count"/> images and labels, copied.</summary>
    /// <param name="count">0 ≤ count ≤ <see cref="Count"/>.</param>
    /// <returns>The smaller set.</returns>
    public Mnist Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new Mnist(Images.AsSpan(0, count * Pixels).ToArray(), Labels.AsSpan(0, count).ToArray());
    }

    /// <summary>Loads the training set (60,000 images) or the test set (10,000) from a folder of the four MNIST files, raw or gzip.</summary>
    /// <param name="folder">The folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-….</param>
    /// <param name="training">The training set, or the test set.</param>
    /// <param name="limit">The most images to read (the first ones; the rest of the files is not read), or null for every image; more than <see cref="MaxImages"/> are refused.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="FileNotFoundException">A file is missing (the message names both forms looked for).</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or truncated, the image size is not 28 × 28, a label is not a digit, the counts of images and labels differ, or more than <see cref="MaxImages"/> would be read; the message names the file.</exception>
    public static Mnist Load(string folder, bool training, int? limit = null)
    {
        string prefix = training ? "train" : "t10k";
        return Load(Find(folder, $"{prefix}-images-idx3-ubyte"), Find(folder, $"{prefix}-labels-idx1-ubyte"), limit);
    }

    /// <summary>Loads images and labels from two IDX files.</summary>
    /// <param name="imagesPath">The images: 3 dimensions, count × 28 × 28.</param>
    /// <param name="labelsPath">The labels: 1 dimension, count digits.</param>
    /// <param name="limit">The most images to read (the first ones; the rest of the files is not read), or null for every image; more than <see cref="MaxImages"/> are refused.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="InvalidDataException">As <see cref="Load(string, bool, int?)"/>.</exception>
    public static Mnist Load(string imagesPath, string labelsPath, int? limit = null)
    {
        int wanted = limit ?? int.MaxValue;
        ArgumentOutOfRangeException.ThrowIfNegative(wanted, nameof(limit));

        var (imageShape, pixels) = Idx.Read(imagesPath, dimensions: 3, wanted, MaxImages);
        if (imageShape[1] != Side || imageShape[2] != Side)
        {
            throw new InvalidDataException($"'{imagesPath}' holds images of {imageShape[1]} × {imageShape[2]} pixels, not {Side} × {Side}.");
        }

        var (labelShape, labelBytes) = Idx.Read(labelsPath, dimensions: 1, wanted);
        if (labelShape[0] != imageShape[0])
        {
            throw new InvalidDataException($"'{imagesPath}' holds {imageShape[0]} images but '{labelsPath}' holds {labelShape[0]} labels.");
        }

        var labels = new int[labelBytes.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] > 9)
            {
                throw new InvalidDataException($"'{labelsPath}': label {i} is {labelBytes[i]}, not a digit 0–9.");
            }

            labels[i] = labelBytes[i];
        }

        var images = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            images[i] = pixels[i] / 255f;
        }

        return new Mnist(images, labels);
    }

    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"MNIST file '{name}.gz' (or '{name}') not found in '{folder}'.", Path.Combine(folder, name + ".gz"));
    }
}

using AutoDiff.Data;
using AutoDiff.Layers;

namespace AutoDiff.Training;

/// <summary>
/// The course notes' "vanilla CNN" for MNIST, in the shapes the <c>autodiff</c> program trains and the
/// benchmarks time: Conv2D(1→16, 5×5, pad 2) → ReLU → MaxPool 2 → Conv2D(16→32, 5×5, pad 2) → ReLU →
/// MaxPool 2 → Flatten → Dense(→128) → ReLU, then one head per task.
/// </summary>
public static class MnistModels
{
    /// <summary>The benchmark net: the trunk on 28 × 28 digits and a Dense(128→10) head of class scores.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <returns>The network (1568 features after the convolutions).</returns>
    public static Network<float> Classifier(int maxBatch, ulong seed) =>
        Network<float>.MultiHead(new TensorShape(1, Mnist.Side, Mnist.Side), maxBatch, seed, Trunk(Mnist.Side), ClassHead());

    /// <summary>The trunk on translated 40 × 40 digits and a Dense(128→2) head of the digit's offset.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <returns>The network.</returns>
    public static Network<float> Locator(int maxBatch, ulong seed) =>
        Network<float>.MultiHead(new TensorShape(1, TranslatedMnist.Side, TranslatedMnist.Side), maxBatch, seed, Trunk(TranslatedMnist.Side), OffsetHead());

    /// <summary>The multi-task network of the notes: one trunk on translated 40 × 40 digits, a class head and an offset head.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <returns>The network; head 0 scores the classes, head 1 the (x, y) offset.</returns>
    public static Network<float> MultiTask(int maxBatch, ulong seed) =>
        Network<float>.MultiHead(new TensorShape(1, TranslatedMnist.Side, TranslatedMnist.Side), maxBatch, seed,
            Trunk(TranslatedMnist.Side), ClassHead(), OffsetHead());

    private static Sequential<float> Trunk(int side) => new(
        new Conv2D<float>(1, 16, 5, padding: 2),
        new ActivationLayer<float, Activations.ReluOperator>(),
        new MaxPool2D<float>(2),
        new Conv2D<float>(16, 32, 5, padding: 2),
        new ActivationLayer<float, Activations.ReluOperator>(),
        new MaxPool2D<float>(2),
        new Flatten<float>(),
        new Dense<float>(32 * (side / 4) * (side / 4), 128),
        new ActivationLayer<float, Activations.ReluOperator>());

    private static Sequential<float> ClassHead() => new(new Dense<float>(128, 10, Initialization.Glorot));

    private static Sequential<float> OffsetHead() => new(new Dense<float>(128, 2, Initialization.Glorot));
}

using AutoDiff.Data;
using AutoDiff.Layers;

namespace AutoDiff.Training;

/// <summary>
/// The course notes' "vanilla CNN" for MNIST, in the shapes the <c>autodiff</c> program trains and the
/// benchmarks time: Conv2D(1→16, 5×5, pad 2) → ReLU → MaxPool 2 → Conv2D(16→32, 5×5, pad 2) → ReLU →
/// MaxPool 2 → Flatten → Dense(→128) → ReLU, then one head per task. Weights and biases start as PyTorch's
/// layers do (<see cref="Initialization.PyTorch"/>): the same distribution as the peer the benchmarks time.
/// </summary>
public static class MnistModels
{
    /// <summary>The benchmark net: the trunk on 28 × 28 digits and a Dense(128→10) head of class scores.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <param name="dropout">Dropout before the head (0: none, the benchmark net).</param>
    /// <returns>The network (1568 features after the convolutions).</returns>
    public static Network<float> Classifier(int maxBatch, ulong seed, double dropout = 0) =>
        Network<float>.MultiHead(new TensorShape(1, Mnist.Side, Mnist.Side), maxBatch, seed, Trunk(Mnist.Side, dropout), ClassHead());

    /// <summary>The trunk on translated 40 × 40 digits and a Dense(128→2) head of the digit's offset.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <param name="dropout">Dropout before the head (0: none).</param>
    /// <returns>The network.</returns>
    public static Network<float> Locator(int maxBatch, ulong seed, double dropout = 0) =>
        Network<float>.MultiHead(new TensorShape(1, TranslatedMnist.Side, TranslatedMnist.Side), maxBatch, seed, Trunk(TranslatedMnist.Side, dropout), OffsetHead());

    /// <summary>The multi-task network of the notes: one trunk on translated 40 × 40 digits, a class head and an offset head.</summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <param name="dropout">Dropout before the heads (0: none).</param>
    /// <returns>The network; head 0 scores the classes, head 1 the (x, y) offset.</returns>
    public static Network<float> MultiTask(int maxBatch, ulong seed, double dropout = 0) =>
        Network<float>.MultiHead(new TensorShape(1, TranslatedMnist.Side, TranslatedMnist.Side), maxBatch, seed,
            Trunk(TranslatedMnist.Side, dropout), ClassHead(), OffsetHead());

    /// <summary>
    /// The embedding network of metric learning: the trunk on 28 × 28 digits and a Dense(128→D) head
    /// normalised to unit length (<see cref="L2Normalize{T}"/>), so the cosine similarity of two images is
    /// the dot product of their embeddings.
    /// </summary>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <param name="dimension">D, the embedding's dimension (32 by default).</param>
    /// <returns>The network.</returns>
    public static Network<float> Embedder(int maxBatch, ulong seed, int dimension = 32) =>
        Network<float>.MultiHead(new TensorShape(1, Mnist.Side, Mnist.Side), maxBatch, seed, Trunk(Mnist.Side, 0),
            new Sequential<float>(new Dense<float>(128, dimension, Initialization.PyTorch), new L2Normalize<float>()));

    private static Sequential<float> Trunk(int side, double dropout) => dropout > 0
        ? new([.. Layers(side), new Dropout<float>(dropout)])
        : new(Layers(side));

    private static Layer<float>[] Layers(int side) => [
        new Conv2D<float>(1, 16, 5, padding: 2, initialization: Initialization.PyTorch),
        new ActivationLayer<float, Activations.ReluOperator>(),
        new MaxPool2D<float>(2),
        new Conv2D<float>(16, 32, 5, padding: 2, initialization: Initialization.PyTorch),
        new ActivationLayer<float, Activations.ReluOperator>(),
        new MaxPool2D<float>(2),
        new Flatten<float>(),
        new Dense<float>(32 * (side / 4) * (side / 4), 128, Initialization.PyTorch),
        new ActivationLayer<float, Activations.ReluOperator>(),
    ];

    private static Sequential<float> ClassHead() => new(new Dense<float>(128, 10, Initialization.PyTorch));

    private static Sequential<float> OffsetHead() => new(new Dense<float>(128, 2, Initialization.PyTorch));
}

using System.Numerics;

namespace AutoDiff.Layers;

/// <summary>The shape of one sample: channels × height × width (a vector of n features is n × 1 × 1).</summary>
/// <param name="Channels">Channels (feature maps).</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>The elements of one sample: channels · height · width.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The shape of a vector of <paramref name="features"/> values.</summary>
    /// <param name="features">The number of values.</param>
    /// <returns>features × 1 × 1.</returns>
    public static TensorShape Vector(int features) => new(features, 1, 1);

    /// <inheritdoc/>
    public override string ToString() => Height == 1 && Width == 1 ? $"{Channels}" : $"{Channels}×{Height}×{Width}";
}

/// <summary>A learnable tensor and its gradient, of equal lengths, allocated once.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="name">What it is, for messages and checkpoints ("conv1.weight").</param>
/// <param name="length">The number of values.</param>
public sealed class Parameter<T>(string name, int length)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>What it is ("weight", "bias"; a network prefixes the layer).</summary>
    public string Name { get; internal set; } = name;

    /// <summary>The values.</summary>
    public T[] Value { get; } = new T[length];

    /// <summary>∂loss/∂value, written by the layer's backward pass (overwritten, not accumulated).</summary>
    public T[] Gradient { get; } = new T[length];
}

/// <summary>
/// One layer of a network on a batch of samples stored one after another (NCHW). Every buffer a training
/// step needs is allocated by <see cref="Build"/>; <see cref="Forward"/> and <see cref="Backward"/> write
/// into the spans they are given and allocate nothing.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TensorShape? _input;
    private TensorShape _output;

    /// <summary>The shape of one input sample, known once built.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built.</exception>
    public TensorShape InputShape => _input ?? throw new InvalidOperationException($"{GetType().Name} is not built: add it to a network.");

    /// <summary>The shape of one output sample, known once built.</summary>
    /// <exception cref="InvalidOperationException">The layer is not built.</exception>
    public TensorShape OutputShape => _input is null ? throw new InvalidOperationException($"{GetType().Name} is not built: add it to a network.") : _output;

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxBatch { get; private set; }

    /// <summary>Whether <see cref="Build"/> has run.</summary>
    public bool IsBuilt => _input is not null;

    /// <summary>The learnable tensors, in a fixed order (weight, then bias).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>Fixes the input shape and the largest batch, allocates the buffers and initialises the parameters.</summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="maxBatch">The largest batch <see cref="Forward"/> will see.</param>
    /// <param name="random">The generator parameters are drawn from.</param>
    /// <returns>The shape of one output sample.</returns>
    /// <exception cref="InvalidOperationException">The layer is already built (a layer belongs to one network).</exception>
    /// <exception cref="ArgumentException">The input shape does not suit the layer (the message says why).</exception>
    public TensorShape Build(TensorShape input, int maxBatch, SeededRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (IsBuilt)
        {
            throw new InvalidOperationException($"{GetType().Name} is already built: a layer belongs to one network.");
        }

        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            throw new ArgumentException($"{GetType().Name} cannot take samples of shape {input}.", nameof(input));
        }

        _output = OnBuild(input, maxBatch, random);
        _input = input;
        MaxBatch = maxBatch;
        return _output;
    }

    /// <summary>Computes the output shape, allocates buffers and initialises parameters.</summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="random">The generator for the initial parameters.</param>
    /// <returns>The shape of one output sample.</returns>
    protected abstract TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random);

    /// <summary>Computes the outputs of <paramref name="batch"/> samples.</summary>
    /// <param name="input">batch × <see cref="InputShape"/> values.</param>
    /// <param name="output">Receives batch × <see cref="OutputShape"/> values.</param>
    /// <param name="batch">The number of samples, 1 ≤ batch ≤ <see cref="MaxBatch"/>.</param>
    /// <param name="training">Training mode (dropout drops; the state for <see cref="Backward"/> is kept).</param>
    public abstract void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training);

    /// <summary>
    /// Back-propagates: writes ∂L/∂parameters into each <see cref="Parameter{T}.Gradient"/> and, unless
    /// <paramref name="inputGradient"/> is empty, ∂L/∂input. Follows the training-mode
    /// <see cref="Forward"/> of the same input, with the parameters unchanged since: a layer may use what its forward
    /// pass computed from them (as PyTorch's autograd uses the tensors saved in the forward pass).
    /// </summary>
    /// <param name="input">The input of the forward pass.</param>
    /// <param name="output">The output of the forward pass.</param>
    /// <param name="outputGradient">∂L/∂output.</param>
    /// <param name="inputGradient">Receives ∂L/∂input; empty when nobody needs it (the first layer).</param>
    /// <param name="batch">The number of samples.</param>
    public abstract void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch);

    /// <summary>State beyond the parameters that a checkpoint must keep (a dropout layer's draw counter).</summary>
    /// <param name="writer">The checkpoint.</param>
    protected internal virtual void WriteState(BinaryWriter writer)
    {
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote.</summary>
    /// <param name="reader">The checkpoint.</param>
    protected internal virtual void ReadState(BinaryReader reader)
    {
    }

    /// <summary>Checks the spans of a forward pass before anything is written.</summary>
    /// <param name="input">The input.</param>
    /// <param name="output">The output.</param>
    /// <param name="batch">The batch.</param>
    protected void CheckForward(ReadOnlySpan<T> input, Span<T> output, int batch)
    {
        CheckBatch(batch);
        Require(input.Length, batch * InputShape.Size, nameof(input));
        Require(output.Length, batch * OutputShape.Size, nameof(output));
    }

    /// <summary>Checks the spans of a backward pass before anything is written.</summary>
    /// <param name="input">The forward input.</param>
    /// <param name="output">The forward output.</param>
    /// <param name="outputGradient">∂L/∂output.</param>
    /// <param name="inputGradient">∂L/∂input, or empty.</param>
    /// <param name="batch">The batch.</param>
    protected void CheckBackward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBatch(batch);
        Require(input.Length, batch * InputShape.Size, nameof(input));
        Require(output.Length, batch * OutputShape.Size, nameof(output));
        Require(outputGradient.Length, batch * OutputShape.Size, nameof(outputGradient));
        if (!inputGradient.IsEmpty)
        {
            Require(inputGradient.Length, batch * InputShape.Size, nameof(inputGradient));
        }
    }

    private void CheckBatch(int batch)
    {
        if (!IsBuilt)
        {
            throw new InvalidOperationException($"{GetType().Name} is not built: add it to a network.");
        }

        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must be between 1 and the {MaxBatch} the layer was built for.");
        }
    }

    private static void Require(int length, int expected, string name)
    {
        if (length < expected)
        {
            throw new ArgumentException($"{name} holds {length} values; the batch needs {expected}.", name);
        }
    }
}

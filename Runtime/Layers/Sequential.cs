using System.Numerics;

namespace AutoDiff.Layers;

/// <summary>
/// Layers applied one after another (PyTorch's <c>Sequential</c>); itself a layer, so a network's trunk
/// and heads are each one. Holds the output and the output gradient of every inner layer, allocated
/// when it is built.
/// </summary>
/// <remarks>
/// A float ReLU (<see cref="ActivationLayer{T, TOp}"/> of <see cref="Activations.ReluOperator"/>) right before a
/// <see cref="MaxPool2D{T}"/> runs inside the pool: max(0, ·) is non-decreasing, so the maximum of the rectified
/// window is max(0, the window's maximum), and its derivative at that maximum is the one the ReLU layer would
/// apply where the gradient lands. The outputs and gradients are the same, bit for bit, NaN included, and a
/// pass over the activations is saved each way; the ReLU's own output and gradient buffers are not kept.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sequential<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] _layers;
    private T[][] _outputs = [];
    private T[][] _gradients = [];

    // Layer i is a ReLU that runs inside the max pool after it (see the remarks).
    private bool[] _insidePool = [];

    /// <summary>A stack of <paramref name="layers"/> (none: the identity).</summary>
    /// <param name="layers">The layers, first to last; each belongs to this stack alone.</param>
    public Sequential(params Layer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentNullException(nameof(layers), $"Layer {i} is null.");
            }

            if (layers[i].IsBuilt || Array.IndexOf(layers, layers[i]) != i)
            {
                throw new ArgumentException($"Layer {i} ({layers[i].GetType().Name}) already belongs to a network.", nameof(layers));
            }
        }

        _layers = layers;
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer<T>> Layers => _layers;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _layers.SelectMany(l => l.Parameters).ToArray();

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random)
    {
        var shape = input;
        _outputs = new T[Math.Max(0, _layers.Length - 1)][];
        _gradients = new T[_outputs.Length][];
        _insidePool = new bool[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            try
            {
                shape = _layers[i].Build(shape, maxBatch, random);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({_layers[i].GetType().Name}): {e.Message}", nameof(input), e);
            }

            // PyTorch's names: the layer's index, then the parameter ("0.weight").
            foreach (var p in _layers[i].Parameters)
            {
                p.Name = $"{i}.{p.Name}";
            }

            if (i < _outputs.Length)
            {
                _outputs[i] = new T[maxBatch * shape.Size];
                _gradients[i] = new T[maxBatch * shape.Size];
            }

            if (i > 0 && _layers[i] is MaxPool2D<T> pool && _layers[i - 1] is ActivationLayer<float, Activations.ReluOperator>)
            {
                // The ReLU's output and gradient are never written: their buffers go.
                _insidePool[i - 1] = pool.RectifiesInput = true;
                (_outputs[i - 1], _gradients[i - 1]) = ([], []);
            }
        }

        return shape;
    }

    // The layer whose output layer i reads: the one before it, or the one before a ReLU run inside a pool; −1 for
    // this stack's input.
    private int Feeding(int i) => i > 0 && _insidePool[i - 1] ? i - 2 : i - 1;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        if (_layers.Length == 0)
        {
            input[..(batch * InputShape.Size)].CopyTo(output);
            return;
        }

        var x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_insidePool[i])
            {
                continue;
            }

            var y = i < _outputs.Length ? _outputs[i].AsSpan(0, batch * _layers[i].OutputShape.Size) : output;
            _layers[i].Forward(x, y, batch, training);
            x = y;
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (_layers.Length == 0)
        {
            if (!inputGradient.IsEmpty)
            {
                outputGradient[..(batch * InputShape.Size)].CopyTo(inputGradient);
            }

            return;
        }

        var dy = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            if (_insidePool[i])
            {
                continue;
            }

            int feeding = Feeding(i);
            ReadOnlySpan<T> x = feeding < 0 ? input : _outputs[feeding].AsSpan(0, batch * _layers[i].InputShape.Size);
            ReadOnlySpan<T> y = i == _layers.Length - 1 ? output : _outputs[i].AsSpan(0, batch * _layers[i].OutputShape.Size);
            Span<T> dx = feeding < 0 ? inputGradient : _gradients[feeding].AsSpan(0, batch * _layers[i].InputShape.Size);
            _layers[i].Backward(x, y, dy, dx, batch);
            dy = dx;
        }
    }

    /// <inheritdoc/>
    protected internal override void WriteState(BinaryWriter writer)
    {
        foreach (var layer in _layers)
        {
            layer.WriteState(writer);
        }
    }

    /// <inheritdoc/>
    protected internal override void ReadState(BinaryReader reader)
    {
        foreach (var layer in _layers)
        {
            layer.ReadState(reader);
        }
    }
}

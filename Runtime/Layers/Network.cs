using System.Numerics;
using System.Numerics.Tensors;

namespace AutoDiff.Layers;

/// <summary>
/// A model: a trunk shared by one or more heads, each head with its own output (the multi-task CNN of the
/// course notes: one trunk, a classification head and a regression head). Built once for a largest batch:
/// every buffer a training step needs is allocated here, and <see cref="Forward"/> and <see cref="Backward"/>
/// allocate nothing.
/// </summary>
/// <remarks>
/// A step: <see cref="Forward"/>, then each head's loss writes ∂L/∂output into <see cref="OutputGradient"/>,
/// then <see cref="Backward"/> back-propagates the heads and adds their gradients at the trunk
/// (∂L/∂trunk = Σ_h ∂L_h/∂trunk, so a weighted loss Σ_h w_h·L_h is a head gradient scaled by w_h).
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T> _trunk;
    private readonly Layer<T>[] _heads;
    private readonly T[] _input;
    private readonly T[] _trunkOutput;
    private readonly T[] _trunkGradient;
    private readonly T[] _headInputGradient;
    private readonly T[][] _outputs;
    private readonly T[][] _outputGradients;
    private int _batch;
    private bool _trained;

    /// <summary>A single-output network: <paramref name="layers"/> one after another.</summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial parameters (and of dropout masks).</param>
    /// <param name="layers">The layers.</param>
    public Network(TensorShape input, int maxBatch, ulong seed, params Layer<T>[] layers)
        : this(input, maxBatch, seed, new Sequential<T>(layers), [new Sequential<T>()])
    {
    }

    /// <summary>A network of a shared <paramref name="trunk"/> and several <paramref name="heads"/> on its output.</summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="maxBatch">The largest batch.</param>
    /// <param name="seed">The seed of the initial parameters (and of dropout masks).</param>
    /// <param name="trunk">The shared layers (a <see cref="Sequential{T}"/>).</param>
    /// <param name="heads">The heads, each taking the trunk's output.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentException">No heads, or a layer does not fit the shape it is given (the message names it).</exception>
    public static Network<T> MultiHead(TensorShape input, int maxBatch, ulong seed, Layer<T> trunk, params Layer<T>[] heads) =>
        new(input, maxBatch, seed, trunk, heads);

    private Network(TensorShape input, int maxBatch, ulong seed, Layer<T> trunk, Layer<T>[] heads)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        if (heads.Length == 0)
        {
            throw new ArgumentException("A network needs at least one head.", nameof(heads));
        }

        var random = new SeededRandom(seed);
        (_trunk, _heads, MaxBatch, InputShape) = (trunk, heads, maxBatch, input);
        var trunkShape = trunk.Build(input, maxBatch, random);
        _input = new T[maxBatch * input.Size];
        _trunkOutput = new T[maxBatch * trunkShape.Size];
        _trunkGradient = new T[maxBatch * trunkShape.Size];
        _headInputGradient = heads.Length > 1 ? new T[maxBatch * trunkShape.Size] : [];
        _outputs = new T[heads.Length][];
        _outputGradients = new T[heads.Length][];
        var shapes = new TensorShape[heads.Length];
        for (int h = 0; h < heads.Length; h++)
        {
            ArgumentNullException.ThrowIfNull(heads[h], nameof(heads));
            shapes[h] = heads[h].Build(trunkShape, maxBatch, random);
            _outputs[h] = new T[maxBatch * shapes[h].Size];
            _outputGradients[h] = new T[maxBatch * shapes[h].Size];
        }

        OutputShapes = shapes;
        Parameters = Name(trunk.Parameters, "trunk").Concat(heads.SelectMany((head, h) => Name(head.Parameters, $"head{h}"))).ToArray();
    }

    /// <summary>The shape of one input sample.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shared layers.</summary>
    internal Layer<T> Trunk => _trunk;

    /// <summary>The heads, each on the trunk's output.</summary>
    internal IReadOnlyList<Layer<T>> HeadLayers => _heads;

    /// <summary>
    /// Writes the network as an ONNX model for ONNX Runtime and the other runtimes that read ONNX: one input
    /// [batch, C, H, W] (or [batch, features]) with a dynamic batch, one named output per head, every parameter as an
    /// initializer (opset 20). Conv2D becomes Conv, MaxPool2D MaxPool, Dense Gemm, Flatten Flatten, Dropout nothing,
    /// L2Normalize x / max(ReduceL2 x, ε), and each activation of the catalogue its operator (Relu, Gelu, …) or a few.
    /// </summary>
    /// <param name="stream">Receives the model's protobuf bytes.</param>
    /// <param name="options">Names, an input standardisation to put inside the graph, a softmax output, metadata; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX counterpart (the message names it); nothing was written.</exception>
    /// <exception cref="ArgumentException">The output names do not fit the heads.</exception>
    public void ExportOnnx(Stream stream, OnnxExportOptions? options = null) => OnnxExport.Write(this, stream, options ?? new OnnxExportOptions());

    /// <summary>The shape of each head's output.</summary>
    public IReadOnlyList<TensorShape> OutputShapes { get; }

    /// <summary>The number of heads.</summary>
    public int Heads => _heads.Length;

    /// <summary>The largest batch.</summary>
    public int MaxBatch { get; }

    /// <summary>Every parameter: the trunk's, then each head's, named by where they sit.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The (value, gradient) pairs an optimizer takes.</summary>
    public IEnumerable<(Memory<T> Value, Memory<T> Gradient)> OptimizerParameters =>
        Parameters.Select(p => ((Memory<T>)p.Value, (Memory<T>)p.Gradient));

    /// <summary>The number of learnable values.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Runs the network on <paramref name="batch"/> samples.</summary>
    /// <param name="input">batch × <see cref="InputShape"/> values.</param>
    /// <param name="batch">1 ≤ batch ≤ <see cref="MaxBatch"/>.</param>
    /// <param name="training">Training mode: dropout drops, and <see cref="Backward"/> may follow.</param>
    /// <returns>The first head's output (the others: <see cref="Output"/>).</returns>
    /// <exception cref="ArgumentException">The input is shorter than the batch needs.</exception>
    public ReadOnlySpan<T> Forward(ReadOnlySpan<T> input, int batch, bool training)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must be between 1 and the {MaxBatch} the network was built for.");
        }

        int size = batch * InputShape.Size;
        if (input.Length < size)
        {
            throw new ArgumentException($"input holds {input.Length} values; a batch of {batch} samples of shape {InputShape} needs {size}.", nameof(input));
        }

        input[..size].CopyTo(_input);
        _batch = batch;
        var trunkOutput = _trunkOutput.AsSpan(0, batch * _trunk.OutputShape.Size);
        _trunk.Forward(_input.AsSpan(0, size), trunkOutput, batch, training);
        for (int h = 0; h < _heads.Length; h++)
        {
            _heads[h].Forward(trunkOutput, Output(h), batch, training);
        }

        _trained = training;
        return Output(0);
    }

    /// <summary>Head <paramref name="head"/>'s output for the last batch.</summary>
    /// <param name="head">0 ≤ head &lt; <see cref="Heads"/>.</param>
    /// <returns>batch × its output shape values.</returns>
    public Span<T> Output(int head) => _outputs[head].AsSpan(0, _batch * OutputShapes[head].Size);

    /// <summary>Where the loss of head <paramref name="head"/> writes ∂L/∂output for <see cref="Backward"/>.</summary>
    /// <param name="head">0 ≤ head &lt; <see cref="Heads"/>.</param>
    /// <returns>batch × its output shape values.</returns>
    public Span<T> OutputGradient(int head) => _outputGradients[head].AsSpan(0, _batch * OutputShapes[head].Size);

    /// <summary>
    /// Back-propagates the gradients in <see cref="OutputGradient"/> of every head through the last
    /// training-mode <see cref="Forward"/>, writing every parameter's gradient.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last forward pass was not in training mode.</exception>
    public void Backward()
    {
        if (!_trained)
        {
            throw new InvalidOperationException("Backward follows a Forward with training: true.");
        }

        int batch = _batch, trunkSize = batch * _trunk.OutputShape.Size;
        var trunkOutput = _trunkOutput.AsSpan(0, trunkSize);
        var trunkGradient = _trunkGradient.AsSpan(0, trunkSize);
        for (int h = 0; h < _heads.Length; h++)
        {
            var target = h == 0 ? trunkGradient : _headInputGradient.AsSpan(0, trunkSize);
            _heads[h].Backward(trunkOutput, Output(h), OutputGradient(h), target, batch);
            if (h > 0)
            {
                TensorPrimitives.Add(trunkGradient, target, trunkGradient);
            }
        }

        _trunk.Backward(_input.AsSpan(0, batch * InputShape.Size), trunkOutput, trunkGradient, [], batch);
    }

    /// <summary>Writes the parameters and the layers' state (dropout counters).</summary>
    /// <param name="writer">The destination.</param>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Parameters.Count);
        foreach (var p in Parameters)
        {
            writer.Write(p.Name);
            writer.Write(p.Value.Length);
            foreach (var v in p.Value)
            {
                writer.Write(double.CreateChecked(v));
            }
        }

        _trunk.WriteState(writer);
        foreach (var head in _heads)
        {
            head.WriteState(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after checking that every parameter matches this network by name and length.</summary>
    /// <param name="reader">The source.</param>
    /// <exception cref="InvalidDataException">The saved network has other parameters; nothing is changed.</exception>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32();
        if (count != Parameters.Count)
        {
            throw new InvalidDataException($"The saved network has {count} parameters; this one has {Parameters.Count}.");
        }

        var values = new T[count][];
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            int length = reader.ReadInt32();
            if (name != Parameters[i].Name || length != Parameters[i].Value.Length)
            {
                throw new InvalidDataException(
                    $"Saved parameter {i} is '{name}' of {length} values; this network's is '{Parameters[i].Name}' of {Parameters[i].Value.Length}.");
            }

            values[i] = new T[length];
            for (int j = 0; j < length; j++)
            {
                values[i][j] = T.CreateChecked(reader.ReadDouble());
            }
        }

        for (int i = 0; i < count; i++)
        {
            values[i].CopyTo(Parameters[i].Value, 0);
        }

        _trunk.ReadState(reader);
        foreach (var head in _heads)
        {
            head.ReadState(reader);
        }
    }

    private static IEnumerable<Parameter<T>> Name(IReadOnlyList<Parameter<T>> parameters, string prefix)
    {
        foreach (var p in parameters)
        {
            p.Name = $"{prefix}.{p.Name}";
        }

        return parameters;
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace AutoDiff.Layers;

/// <summary>
/// A fully connected layer (PyTorch's <c>Linear</c>): y = x · Wᵀ + b for each sample, W of
/// OutFeatures × InFeatures. Gradients: ∂L/∂W = dYᵀ · X, ∂L/∂b = Σ_rows dY, ∂L/∂X = dY · W.
/// </summary>
/// <remarks>
/// The three products run on <see cref="Gemm.MultiplyInParts{T}"/>: split by rows or columns of the
/// result, never across the summed dimension, so the result does not depend on the number of threads.
/// A sample of any shape is taken as its flat vector of <see cref="TensorShape.Size"/> values.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dense<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Parts = 8;
    private readonly Parameter<T> _weight;
    private readonly Parameter<T> _bias;
    private GemmWorkspace<T>[] _workspaces = [];
    private T[] _packedInput = [];

    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/> values.</summary>
    /// <param name="inFeatures">Values per input sample.</param>
    /// <param name="outFeatures">Values per output sample.</param>
    /// <param name="initialization">How the weights are drawn (He by default; Glorot for an output layer read by a loss, or before tanh/sigmoid).</param>
    public Dense(int inFeatures, int outFeatures, Initialization initialization = Initialization.He)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        (InFeatures, OutFeatures, Initialization) = (inFeatures, outFeatures, initialization);
        _weight = new Parameter<T>("weight", outFeatures * inFeatures);
        _bias = new Parameter<T>("bias", outFeatures);
    }

    /// <summary>Values per input sample.</summary>
    public int InFeatures { get; }

    /// <summary>Values per output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>How the weights were drawn.</summary>
    public Initialization Initialization { get; }

    /// <summary>The weights, OutFeatures × InFeatures.</summary>
    public Parameter<T> Weight => _weight;

    /// <summary>The biases.</summary>
    public Parameter<T> Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => [_weight, _bias];

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random)
    {
        if (input.Size != InFeatures)
        {
            throw new ArgumentException($"Dense expects {InFeatures} input values but is given samples of shape {input} ({input.Size} values).", nameof(input));
        }

        Initializer.Fill<T>(_weight.Value, Initialization, InFeatures, OutFeatures, random);
        if (Initialization == Initialization.PyTorch)
        {
            Initializer.Fill<T>(_bias.Value, Initialization, InFeatures, OutFeatures, random);
        }
        // Rows: the batch (forward, ∂X) or the outputs (∂W); depth: inputs, batch or outputs. Only the forward
        // product reads B transposed (Wᵀ, OutFeatures columns), so only it needs packing room for B.
        int m = Math.Max(maxBatch, OutFeatures), k = Math.Max(InFeatures, Math.Max(maxBatch, OutFeatures));
        // The forward product's parts go by columns of the output; they share the input, packed once.
        _packedInput = maxBatch <= Gemm.MBlock ? new T[Gemm.PackedLength(maxBatch, InFeatures)] : [];
        _workspaces = new GemmWorkspace<T>[Parts];
        for (int p = 0; p < Parts; p++)
        {
            _workspaces[p] = new GemmWorkspace<T>(m, OutFeatures, k, transposeB: true);
        }

        return TensorShape.Vector(OutFeatures);
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        Gemm.MultiplyInPartsSharingA<T>(batch, OutFeatures, InFeatures, input, InFeatures, false, _weight.Value, InFeatures, true,
            output, OutFeatures, false, _workspaces, _packedInput);
        for (int r = 0; r < batch; r++)
        {
            var row = output.Slice(r * OutFeatures, OutFeatures);
            TensorPrimitives.Add(row, _bias.Value, row);
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);

        // ∂L/∂W = dYᵀ · X (OutFeatures × InFeatures, summed over the batch).
        Gemm.MultiplyInParts<T>(OutFeatures, InFeatures, batch, outputGradient, OutFeatures, true, input, InFeatures, false,
            _weight.Gradient, InFeatures, false, _workspaces);

        // ∂L/∂b = the column sums of dY, row by row in order.
        Span<T> db = _bias.Gradient;
        db.Clear();
        for (int r = 0; r < batch; r++)
        {
            TensorPrimitives.Add(db, outputGradient.Slice(r * OutFeatures, OutFeatures), db);
        }

        if (!inputGradient.IsEmpty)
        {
            // ∂L/∂X = dY · W.
            Gemm.MultiplyInParts<T>(batch, InFeatures, OutFeatures, outputGradient, OutFeatures, false, _weight.Value, InFeatures, false,
                inputGradient, InFeatures, false, _workspaces);
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace AutoDiff.Layers;

/// <summary>
/// Inverted dropout (PyTorch's <c>Dropout</c>): in training each value is zeroed with probability p and the
/// others scaled by 1 / (1 − p); in evaluation the layer passes its input through. The masks are drawn
/// from the seed and a counter of forward passes, so a resumed run draws the same masks.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dropout<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _mask = [];
    private ulong _seed;

    /// <summary>Dropout with probability <paramref name="probability"/>.</summary>
    /// <param name="probability">The chance p ∈ [0, 1) that a value is zeroed.</param>
    public Dropout(double probability)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must be in [0, 1).");
        }

        Probability = probability;
    }

    /// <summary>The chance that a value is zeroed.</summary>
    public double Probability { get; }

    /// <summary>How many training-mode forward passes have drawn a mask.</summary>
    public long Draws { get; private set; }

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random)
    {
        _mask = new T[maxBatch * input.Size];
        _seed = random.NextUInt64();
        return input;
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        int count = batch * InputShape.Size;
        if (!training || Probability == 0)
        {
            input[..count].CopyTo(output);
            _mask.AsSpan(0, count).Fill(T.One);
            return;
        }

        ulong stream = SeededRandom.Hash(_seed, (ulong)Draws++);
        T keep = T.CreateChecked(1 / (1 - Probability));
        ulong threshold = (ulong)(Probability * (1UL << 53));
        for (int i = 0; i < count; i++)
        {
            T m = (SeededRandom.Hash(stream, (ulong)i) >> 11) >= threshold ? keep : T.Zero;
            _mask[i] = m;
            output[i] = input[i] * m;
        }
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        int count = batch * InputShape.Size;
        TensorPrimitives.Multiply(outputGradient[..count], _mask.AsSpan(0, count), inputGradient);
    }

    /// <inheritdoc/>
    protected internal override void WriteState(BinaryWriter writer) => writer.Write(Draws);

    /// <inheritdoc/>
    protected internal override void ReadState(BinaryReader reader) => Draws = reader.ReadInt64();
}

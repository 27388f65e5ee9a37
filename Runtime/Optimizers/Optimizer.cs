using System.Numerics;
using AutoDiff.Threading;

namespace AutoDiff.Optimizers;

/// <summary>
/// The shape every optimizer shares: parameter and gradient buffers registered at construction, state
/// allocated then, and <see cref="Step"/> walking each parameter once with <see cref="Vector{T}"/> and a
/// scalar tail — split across the cores by <see cref="KernelPool"/> for large parameters, allocating
/// nothing. Updates follow <c>torch.optim</c> operation for operation, so trajectories match PyTorch's.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // Parameters are updated in parts of about this many elements on the kernel pool, from half as many (KernelPool.PartsFor).
    private const int PartElements = 65_536;

    private readonly Memory<T>[] _values;
    private readonly Memory<T>[] _gradients;
    private readonly T[][][] _state;
    private double _learningRate;

    /// <summary>Registers the parameters and allocates <paramref name="slots"/> state buffers for each.</summary>
    /// <param name="parameters">Each parameter's values and its gradient, of equal lengths.</param>
    /// <param name="learningRate">The learning rate η &gt; 0.</param>
    /// <param name="slots">State buffers per parameter (a velocity, moments).</param>
    /// <exception cref="ArgumentException">No parameters, or a gradient's length differs from its parameter's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive and finite.</exception>
    protected Optimizer(IEnumerable<(Memory<T> Value, Memory<T> Gradient)> parameters, double learningRate, int slots)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Value.Length != list[i].Gradient.Length)
            {
                throw new ArgumentException(
                    $"Parameter {i} has {list[i].Value.Length} values but its gradient has {list[i].Gradient.Length}: they must have the same length.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
        _values = list.Select(p => p.Value).ToArray();
        _gradients = list.Select(p => p.Gradient).ToArray();
        _state = list.Select(p => Enumerable.Range(0, slots).Select(_ => new T[p.Value.Length]).ToArray()).ToArray();
    }

    /// <summary>The base learning rate η; a <see cref="Schedule"/> scales it per step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive and finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be positive and finite.");
    }

    /// <summary>A learning-rate schedule, or null for a constant rate.</summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>The number of steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>The learning rate the last step used (after the schedule).</summary>
    public double CurrentLearningRate { get; private set; }

    /// <summary>When true, <see cref="Step"/> first checks every gradient and throws on NaN or ±∞ before changing anything.</summary>
    public bool CheckFinite { get; set; }

    /// <summary>The number of registered parameters.</summary>
    public int ParameterCount => _values.Length;

    /// <summary>One update of every parameter from its gradient.</summary>
    /// <exception cref="InvalidOperationException"><see cref="CheckFinite"/> is set and a gradient is not finite; no parameter was changed.</exception>
    public void Step()
    {
        if (CheckFinite)
        {
            for (int p = 0; p < _gradients.Length; p++)
            {
                int bad = FirstNonFinite(_gradients[p].Span);
                if (bad >= 0)
                {
                    throw new InvalidOperationException(
                        $"The gradient of parameter {p} is {_gradients[p].Span[bad]} at index {bad} before step {Steps + 1}; no parameter was changed.");
                }
            }
        }

        Steps++;
        CurrentLearningRate = LearningRate * (Schedule?.Factor(Steps) ?? 1.0);
        BeginStep(Steps, CurrentLearningRate);
        for (int p = 0; p < _values.Length; p++)
        {
            int length = _values[p].Length;
            int parts = KernelPool.PartsFor(length, PartElements);
            if (parts > 1)
            {
                var job = new Part(this, p);
                KernelPool.Run(ref job, length, parts, Vector<T>.Count);
            }
            else
            {
                Update(p, 0, length);
            }
        }
    }

    /// <summary>
    /// Scales every gradient by min(1, maxNorm / ‖g‖), ‖g‖ the Euclidean norm of all gradients together
    /// (PyTorch's <c>clip_grad_norm_</c>, without its 1e-6 in the denominator); returns ‖g‖ before clipping.
    /// </summary>
    /// <param name="maxNorm">The largest norm allowed, &gt; 0.</param>
    /// <returns>The total norm before clipping.</returns>
    public double ClipGradientNorm(double maxNorm)
    {
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest norm must be positive.");
        }

        double sum = 0;
        foreach (var gradient in _gradients)
        {
            foreach (var g in gradient.Span)
            {
                double v = double.CreateTruncating(g);
                sum += v * v;
            }
        }

        double norm = Math.Sqrt(sum);
        if (norm > maxNorm)
        {
            var factor = T.CreateTruncating(maxNorm / norm);
            foreach (var gradient in _gradients)
            {
                var span = gradient.Span;
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] *= factor;
                }
            }
        }

        return norm;
    }

    /// <summary>
    /// Writes the step count, the base learning rate and every state buffer, so that <see cref="LoadState"/>
    /// on an optimizer built the same way continues exactly as this one would. The bytes end with their SHA-256, so a
    /// damaged state is refused, not loaded.
    /// </summary>
    /// <param name="stream">Where to write.</param>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Kind);
            writer.Write(System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            writer.Write(Steps);
            writer.Write(LearningRate);
            writer.Write(_state.Length);
            foreach (var slots in _state)
            {
                writer.Write(slots.Length);
                foreach (var slot in slots)
                {
                    writer.Write(slot.Length);
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(slot.AsSpan()));
                }
            }
        }

        using var header = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        header.Write(StateMagic);
        header.Write(payload.Length);
        header.Write(payload.GetBuffer(), 0, (int)payload.Length);
        header.Write(System.Security.Cryptography.SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
    }

    /// <summary>
    /// Reads what <see cref="SaveState"/> wrote (and the states of earlier versions, which had no checksum). Everything
    /// is checked — the checksum, the optimizer and its variant (AdamW is not Adam), the precision, the step count
    /// (≥ 0), the learning rate (positive and finite), every buffer's length — before any state changes. Reads from
    /// streams that return short reads (a <see cref="System.IO.Compression.GZipStream"/>) until each buffer is full.
    /// </summary>
    /// <param name="stream">Where to read.</param>
    /// <exception cref="InvalidDataException">The data is not a state of this optimizer with these parameters, or is truncated or damaged; nothing changed.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            string magic = reader.ReadString();
            if (magic == StateMagic)
            {
                long length = reader.ReadInt64();
                Expect(length is > 0 and < int.MaxValue, "its length is impossible");
                var payload = new byte[length];
                Expect(ReadFully(reader, payload), "it is truncated");
                var hash = new byte[32];
                Expect(ReadFully(reader, hash), "it is truncated");
                Expect(System.Security.Cryptography.SHA256.HashData(payload).AsSpan().SequenceEqual(hash), "its checksum does not match (the bytes are damaged)");
                using var inner = new BinaryReader(new MemoryStream(payload));
                Load(inner, inner.ReadString() == Kind);
            }
            else
            {
                Expect(magic == StateMagicVersion1, "it is not an AutoDiff optimizer state");
                Load(reader, reader.ReadString() == GetType().Name);
            }
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new InvalidDataException("The optimizer state cannot be loaded: it is truncated or damaged. Nothing was changed.", e);
        }
    }

    /// <summary>The optimizer and its variant, as states name it: its type, and what <see cref="Variant"/> adds.</summary>
    private string Kind => Variant.Length > 0 ? $"{GetType().Name} ({Variant})" : GetType().Name;

    /// <summary>What tells this optimizer's states from another configuration's of the same type (AdamW's decoupled decay); empty if nothing.</summary>
    protected virtual string Variant => string.Empty;

    private const string StateMagic = "AutoDiff optimizer state 2";

    private const string StateMagicVersion1 = "AutoDiff optimizer state 1";

    private void Load(BinaryReader reader, bool sameKind)
    {
        Expect(sameKind, $"it is the state of another optimizer or configuration, not of {Kind}");
        Expect(reader.ReadInt32() == System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), "it was saved in the other precision");
        long steps = reader.ReadInt64();
        Expect(steps >= 0, $"its step count {steps} is negative");
        double learningRate = reader.ReadDouble();
        Expect(double.IsFinite(learningRate) && learningRate > 0, $"its learning rate {learningRate} is not positive and finite");
        Expect(reader.ReadInt32() == _state.Length, "it holds a different number of parameters");
        var loaded = new T[_state.Length][][];
        for (int p = 0; p < _state.Length; p++)
        {
            Expect(reader.ReadInt32() == _state[p].Length, $"parameter {p} has a different number of state buffers");
            loaded[p] = new T[_state[p].Length][];
            for (int s = 0; s < _state[p].Length; s++)
            {
                Expect(reader.ReadInt32() == _state[p][s].Length, $"parameter {p} has a different length");
                var slot = new T[_state[p][s].Length];
                Expect(ReadFully(reader, System.Runtime.InteropServices.MemoryMarshal.AsBytes(slot.AsSpan())), "it is truncated");
                loaded[p][s] = slot;
            }
        }

        for (int p = 0; p < _state.Length; p++)
        {
            for (int s = 0; s < _state[p].Length; s++)
            {
                loaded[p][s].CopyTo(_state[p][s], 0);
            }
        }

        Steps = steps;
        LearningRate = learningRate;
    }

    // Reads until the buffer is full (a stream may return fewer bytes than asked); false at the end of the stream.
    private static bool ReadFully(BinaryReader reader, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = reader.Read(buffer[total..]);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"The optimizer state cannot be loaded: {problem}. Nothing was changed.");
        }
    }

    /// <summary>Called once per step before the updates, with the step number t (from 1) and the learning rate.</summary>
    /// <param name="step">t.</param>
    /// <param name="learningRate">η for this step.</param>
    protected abstract void BeginStep(long step, double learningRate);

    /// <summary>Updates elements [start, end) of parameter <paramref name="parameter"/>; may run on several threads at once, for disjoint ranges.</summary>
    /// <param name="parameter">The parameter's index.</param>
    /// <param name="start">The first element.</param>
    /// <param name="end">One past the last element.</param>
    protected abstract void Update(int parameter, int start, int end);

    /// <summary>The values of a parameter.</summary>
    /// <param name="parameter">Its index.</param>
    protected Span<T> Value(int parameter) => _values[parameter].Span;

    /// <summary>The gradient of a parameter.</summary>
    /// <param name="parameter">Its index.</param>
    protected Span<T> Gradient(int parameter) => _gradients[parameter].Span;

    /// <summary>A state buffer of a parameter.</summary>
    /// <param name="parameter">Its index.</param>
    /// <param name="slot">Which buffer.</param>
    protected Span<T> State(int parameter, int slot) => _state[parameter][slot];

    /// <summary>Checks a hyper-parameter lies in [low, high) (or [low, high] when <paramref name="inclusive"/>).</summary>
    /// <param name="value">The value.</param>
    /// <param name="low">The smallest allowed.</param>
    /// <param name="high">The bound above.</param>
    /// <param name="name">Its name, for the message.</param>
    /// <param name="inclusive">Whether <paramref name="high"/> itself is allowed.</param>
    /// <returns>The value.</returns>
    protected static double InRange(double value, double low, double high, string name, bool inclusive = false) =>
        value >= low && (inclusive ? value <= high : value < high)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be in [{low}, {high}{(inclusive ? "]" : ")")}.");

    private static int FirstNonFinite(ReadOnlySpan<T> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private readonly struct Part(Optimizer<T> optimizer, int parameter) : IRangeKernel
    {
        public void Execute(int part, int start, int end) => optimizer.Update(parameter, start, end);
    }
}

using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoDiff.CompilerServices;

/// <summary>
/// What a generated gradient keeps for its reverse pass where a loop runs a count known only when it runs: a stack
/// per thread of the values its assignments overwrote (of <typeparamref name="T"/>) and of integers (the iterations
/// each loop ran, the branch each <c>if</c> took, the int locals' overwritten values). The forward pass pushes, the
/// reverse pass pops the same entries in the opposite order, so a call leaves the tape as it found it, and calls
/// nest (a gradient that calls another gradient shares the thread's tape). The arrays grow by doubling and are
/// kept: a thread's calls allocate only while the tape grows to its largest call's size, then never.
/// </summary>
/// <remarks>
/// Memory: one <typeparamref name="T"/> per assignment the forward pass runs, one int per loop, branch and int
/// assignment, and one reference per assignment of a local array (<c>state = next</c>, or an array made inside a loop),
/// which keeps that array alive until the reverse pass pops it.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Tape<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static Tape<T>? t_current;

    private T[] _values = new T[256];
    private int[] _ints = new int[256];
    private T[]?[] _arrays = new T[]?[16];
    private int _valueCount;
    private int _intCount;
    private int _arrayCount;

    private Tape()
    {
    }

    /// <summary>The calling thread's tape, created on its first use.</summary>
    public static Tape<T> ForThisThread => t_current ??= new Tape<T>();

    /// <summary>How many values are on the tape: where a call starts, to <see cref="Rewind(int, int)"/> to.</summary>
    public int ValueCount => _valueCount;

    /// <summary>How many integers are on the tape.</summary>
    public int IntCount => _intCount;

    /// <summary>How many array references are on the tape.</summary>
    public int ArrayCount => _arrayCount;

    /// <summary>Keeps a value the forward pass is about to overwrite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        // As List<T>.Add: one unsigned comparison, which also lets the JIT drop the bounds check; growing is out of line.
        var values = _values;
        int count = _valueCount;
        if ((uint)count < (uint)values.Length)
        {
            values[count] = value;
            _valueCount = count + 1;
        }
        else
        {
            PushGrowing(value);
        }
    }

    /// <summary>The value pushed last, removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop() => _values[--_valueCount];

    /// <summary>Keeps an integer: a loop's iterations, a branch taken, an int the forward pass is about to overwrite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushInt(int value)
    {
        var ints = _ints;
        int count = _intCount;
        if ((uint)count < (uint)ints.Length)
        {
            ints[count] = value;
            _intCount = count + 1;
        }
        else
        {
            PushIntGrowing(value);
        }
    }

    /// <summary>The integer pushed last, removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt() => _ints[--_intCount];

    /// <summary>Keeps a <see cref="long"/> the forward pass is about to overwrite, as two integers (low half first).</summary>
    public void PushLong(long value)
    {
        PushInt((int)value);
        PushInt((int)(value >> 32));
    }

    /// <summary>The <see cref="long"/> pushed last, removed.</summary>
    public long PopLong()
    {
        long high = PopInt();
        return (high << 32) | (uint)PopInt();
    }

    /// <summary>Keeps the array a local held before an assignment gives it another (<c>state = next</c>), or null.</summary>
    public void PushArray(T[]? array)
    {
        if (_arrayCount == _arrays.Length)
        {
            Array.Resize(ref _arrays, Grown(_arrays.Length));
        }

        _arrays[_arrayCount++] = array;
    }

    /// <summary>The array reference pushed last, removed (its slot cleared, so the tape does not keep it alive).</summary>
    public T[]? PopArray()
    {
        var array = _arrays[--_arrayCount];
        _arrays[_arrayCount] = null;
        return array;
    }

    /// <summary>
    /// Room for <paramref name="length"/> values on top of the tape, given back by <see cref="Return"/>: where the
    /// reverse pass receives a callee's gradient over a span before adding it, times the adjoint, to its own. The
    /// callee's gradient may push and pop above it; if the tape grows meanwhile, the span still refers to the array it
    /// was taken from, which it keeps alive, so what is written through it is read back through it. Not cleared.
    /// </summary>
    public Span<T> Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        while (_values.Length - _valueCount < length)
        {
            Array.Resize(ref _values, Grown(_values.Length));
        }

        var room = _values.AsSpan(_valueCount, length);
        _valueCount += length;
        return room;
    }

    /// <summary>Gives back the room the last <see cref="Rent"/> of <paramref name="length"/> values took.</summary>
    public void Return(int length) => _valueCount -= length;

    /// <summary>
    /// The room above the values on the tape. A gradient whose sweeps keep nothing but values and integers (no call of
    /// another gradient but AD's reductions, whose span partials take room on top, no array) fills it and empties it
    /// again in a method of its own, with no call in its loops, and leaves the counts as they are; it reports
    /// <see cref="TapeRoom.ValuesFull"/> where the room is too small, is given more by <see cref="Grow"/> and runs
    /// again from the start (its gradient spans cleared again first where it may have written them).
    /// </summary>
    public Span<T> FreeValues => _values.AsSpan(_valueCount);

    /// <summary>The room above the integers on the tape: as <see cref="FreeValues"/>, for the integers.</summary>
    public Span<int> FreeInts => _ints.AsSpan(_intCount);

    /// <summary>Doubles the part of the tape that a gradient's sweeps found full (<see cref="FreeValues"/>, <see cref="FreeInts"/>).</summary>
    /// <param name="full">What the sweeps reported.</param>
    public void Grow(TapeRoom full)
    {
        switch (full)
        {
            case TapeRoom.ValuesFull:
                Array.Resize(ref _values, Grown(_values.Length));
                break;
            case TapeRoom.IntsFull:
                Array.Resize(ref _ints, Grown(_ints.Length));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(full), full, "Only a full part of the tape grows.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushGrowing(T value)
    {
        Array.Resize(ref _values, Grown(_values.Length));
        _values[_valueCount++] = value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushIntGrowing(int value)
    {
        Array.Resize(ref _ints, Grown(_ints.Length));
        _ints[_intCount++] = value;
    }

    private static int Grown(int length) =>
        length <= Array.MaxLength / 2 ? length * 2
        : length < Array.MaxLength ? Array.MaxLength
        : throw new InvalidOperationException(
            $"The thread's gradient tape holds {length:N0} entries, as many as an array can: a taped loop ran more iterations than its gradient can keep. Does it end?");

    /// <summary>Drops what a call pushed and did not pop (it threw): the tape as it was when the call began.</summary>
    public void Rewind(int valueCount, int intCount)
    {
        _valueCount = valueCount;
        _intCount = intCount;
    }

    /// <summary>As <see cref="Rewind(int, int)"/>, for a call that also kept array references: those above <paramref name="arrayCount"/> are dropped.</summary>
    public void Rewind(int valueCount, int intCount, int arrayCount)
    {
        Rewind(valueCount, intCount);
        Array.Clear(_arrays, arrayCount, _arrayCount - arrayCount);
        _arrayCount = arrayCount;
    }
}

/// <summary>What a taped gradient's sweeps report to the method that runs them on the thread's <see cref="Tape{T}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum TapeRoom
{
    /// <summary>The sweeps ran to the end: the value and the gradient are written.</summary>
    Enough,

    /// <summary>The values did not fit in <see cref="Tape{T}.FreeValues"/>: the sweeps stopped, to run again once it has grown.</summary>
    ValuesFull,

    /// <summary>The integers did not fit in <see cref="Tape{T}.FreeInts"/>: the sweeps stopped, to run again once it has grown.</summary>
    IntsFull,
}

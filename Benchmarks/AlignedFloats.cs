using System.Runtime.CompilerServices;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A float buffer whose first element lies on a 64-byte boundary (a cache line), pinned so it stays there.
/// BenchmarkDotNet runs each case in its own process, where a plain array starts wherever the heap puts it:
/// at N = 1,000 the same kernel measured up to 10% slower on unaligned data, which is more than the gaps the
/// Huber table compares.
/// </summary>
internal sealed class AlignedFloats
{
    private const int Alignment = 64;
    private readonly float[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="length"/> zeros, aligned.</summary>
    /// <param name="length">The number of floats.</param>
    public AlignedFloats(int length)
    {
        _array = GC.AllocateArray<float>(length + (Alignment / sizeof(float)), pinned: true);
        nint address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref _array[0]);
        _offset = (int)((Alignment - (address % Alignment)) % Alignment) / sizeof(float);
        Length = length;
    }

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>The aligned floats.</summary>
    public Span<float> Span => _array.AsSpan(_offset, Length);

    /// <summary>The first float, for loops over <c>ref</c> locals.</summary>
    public ref float Start => ref _array[_offset];
}

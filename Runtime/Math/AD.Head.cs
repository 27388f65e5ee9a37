using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiff;

// Loads and stores of fewer elements than one vector holds, for the generated kernels: the last elements of a span
// kernel after its vector loop, and a row of 1 to Vector<T>.Count − 1 elements in the tiny-row kernels. Each is one
// vector, read and written with masked instructions (AVX's vmaskmov, AVX-512's masked vmovups), which touch no
// element past the end and never fault on the memory after it. Before these, such elements ran in scalar code: a
// cross-entropy of 64 rows of 7 floats took 2.1× as long as 64 rows of 8.
public static partial class AD
{
    /// <summary>
    /// Lanes 0 … <paramref name="count"/> − 1 hold the <paramref name="count"/> elements from
    /// <paramref name="source"/> on; every other lane repeats the first element, a value of the row, so a max
    /// over all lanes is the row's max and any function of the lanes stays within what the row's values give.
    /// No element at or past <paramref name="count"/> is read.
    /// </summary>
    /// <param name="source">The first element.</param>
    /// <param name="count">How many elements, from 1 to <see cref="Vector{T}.Count"/> − 1 (not checked: the generated kernels call it with such counts only).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector<float> LoadHead(ref float source, int count)
    {
        var inRow = Vector.AsVectorSingle(Vector.LessThan(Vector<int>.Indices, new Vector<int>(count)));
        var first = new Vector<float>(source);
        fixed (float* p = &source)
        {
            if (Avx512F.IsSupported && Vector<float>.Count == Vector512<float>.Count)
            {
                return Avx512F.MaskLoad(p, inRow.AsVector512(), first.AsVector512()).AsVector();
            }

            if (Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count)
            {
                return Vector.ConditionalSelect(inRow, Avx.MaskLoad(p, inRow.AsVector256()).AsVector(), first);
            }
        }

        return LoadHeadThroughStack(ref source, count);
    }

    /// <inheritdoc cref="LoadHead(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector<double> LoadHead(ref double source, int count)
    {
        var inRow = Vector.AsVectorDouble(Vector.LessThan(Vector<long>.Indices, new Vector<long>(count)));
        var first = new Vector<double>(source);
        fixed (double* p = &source)
        {
            if (Avx512F.IsSupported && Vector<double>.Count == Vector512<double>.Count)
            {
                return Avx512F.MaskLoad(p, inRow.AsVector512(), first.AsVector512()).AsVector();
            }

            if (Avx.IsSupported && Vector<double>.Count == Vector256<double>.Count)
            {
                return Vector.ConditionalSelect(inRow, Avx.MaskLoad(p, inRow.AsVector256()).AsVector(), first);
            }
        }

        return LoadHeadThroughStack(ref source, count);
    }

    /// <summary>Writes lanes 0 … <paramref name="count"/> − 1 of <paramref name="value"/> from <paramref name="destination"/> on, and nothing past them.</summary>
    /// <param name="value">The lanes.</param>
    /// <param name="destination">Where the first lane goes.</param>
    /// <param name="count">How many elements, from 1 to <see cref="Vector{T}.Count"/> − 1 (not checked: the generated kernels call it with such counts only).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreHead(Vector<float> value, ref float destination, int count)
    {
        var inRow = Vector.AsVectorSingle(Vector.LessThan(Vector<int>.Indices, new Vector<int>(count)));
        fixed (float* p = &destination)
        {
            if (Avx512F.IsSupported && Vector<float>.Count == Vector512<float>.Count)
            {
                Avx512F.MaskStore(p, inRow.AsVector512(), value.AsVector512());
                return;
            }

            if (Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count)
            {
                Avx.MaskStore(p, inRow.AsVector256(), value.AsVector256());
                return;
            }
        }

        StoreHeadLaneByLane(value, ref destination, count);
    }

    /// <inheritdoc cref="StoreHead(Vector{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreHead(Vector<double> value, ref double destination, int count)
    {
        var inRow = Vector.AsVectorDouble(Vector.LessThan(Vector<long>.Indices, new Vector<long>(count)));
        fixed (double* p = &destination)
        {
            if (Avx512F.IsSupported && Vector<double>.Count == Vector512<double>.Count)
            {
                Avx512F.MaskStore(p, inRow.AsVector512(), value.AsVector512());
                return;
            }

            if (Avx.IsSupported && Vector<double>.Count == Vector256<double>.Count)
            {
                Avx.MaskStore(p, inRow.AsVector256(), value.AsVector256());
                return;
            }
        }

        StoreHeadLaneByLane(value, ref destination, count);
    }

    // Without masked instructions (Arm, or a vector width these do not cover): the lanes through a stack buffer.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<T> LoadHeadThroughStack<T>(ref T source, int count)
        where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Fill(source);
        MemoryMarshal.CreateReadOnlySpan(ref source, count).CopyTo(lanes);
        return new Vector<T>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreHeadLaneByLane<T>(Vector<T> value, ref T destination, int count)
        where T : unmanaged
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = value[i];
        }
    }
}

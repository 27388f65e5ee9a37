using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiff.CompilerServices;

// Loads and stores of fewer elements than one vector holds, for the generated kernels: the last elements of a span
// kernel after its vector loop, and a row of 1 to Vector<T>.Count − 1 elements in the tiny-row kernels. Each is one
// vector, read and written with masked instructions (AVX's vmaskmov, AVX-512's masked vmovups), which touch no
// element past the end and never fault on the memory after it. Before these, such elements ran in scalar code, and
// a row one element short of a vector took far longer than a whole one (docs/benchmarks.md, "Figures behind the
// runtime's code"). A double is handled as two floats.

/// <summary>
/// Vector plumbing the generated kernels call: masked loads and stores of the last elements of a span or a short
/// row, the store of a row's last, overlapping vector that keeps the lanes written before, and the largest lane of
/// a vector. Public because generated code in user assemblies calls it; not meant to
/// be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
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
    public static Vector<float> LoadHead(ref float source, int count) => LoadHead(ref source, count, new Vector<float>(source));

    /// <inheritdoc cref="LoadHead(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> LoadHead(ref double source, int count) =>
        LoadHead(ref Unsafe.As<double, float>(ref source), 2 * count, Vector.AsVectorSingle(new Vector<double>(source))).As<float, double>();

    /// <summary>Writes lanes 0 … <paramref name="count"/> − 1 of <paramref name="value"/> from <paramref name="destination"/> on, and nothing past them.</summary>
    /// <param name="value">The lanes.</param>
    /// <param name="destination">Where the first lane goes.</param>
    /// <param name="count">How many elements, from 1 to <see cref="Vector{T}.Count"/> − 1 (not checked: the generated kernels call it with such counts only).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreHead(Vector<float> value, ref float destination, int count)
    {
        var inRow = InRow(count);
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
    public static void StoreHead(Vector<double> value, ref double destination, int count) =>
        StoreHead(Vector.AsVectorSingle(value), ref Unsafe.As<double, float>(ref destination), 2 * count);

    /// <summary>
    /// Writes the lanes of <paramref name="value"/> where <paramref name="mask"/> is set (all bits) into the vector at
    /// <paramref name="destination"/> + <paramref name="offset"/>; the other lanes keep what is there. The last vector of a
    /// row that overlaps the one before it stores only its new lanes this way.
    /// </summary>
    /// <param name="mask">All bits set in the lanes to write, clear in the lanes to keep.</param>
    /// <param name="value">The lanes.</param>
    /// <param name="destination">The first element of the span.</param>
    /// <param name="offset">Where the vector starts; a whole vector from there is read and written (not checked).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSelected(Vector<int> mask, Vector<float> value, ref float destination, int offset) =>
        Vector.StoreUnsafe(Vector.ConditionalSelect(mask, value, Vector.LoadUnsafe(ref destination, (nuint)offset)), ref destination, (nuint)offset);

    /// <inheritdoc cref="StoreSelected(Vector{int}, Vector{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSelected(Vector<long> mask, Vector<double> value, ref double destination, int offset) =>
        Vector.StoreUnsafe(Vector.ConditionalSelect(mask, value, Vector.LoadUnsafe(ref destination, (nuint)offset)), ref destination, (nuint)offset);

    // Both precisions as floats (a double is two of them): lanes 0 … count − 1 of the memory, the others those of
    // `pastRow`, the first element broadcast (for a double, the broadcast double seen as floats).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector<float> LoadHead(ref float source, int count, Vector<float> pastRow)
    {
        var inRow = InRow(count);
        fixed (float* p = &source)
        {
            if (Avx512F.IsSupported && Vector<float>.Count == Vector512<float>.Count)
            {
                return Avx512F.MaskLoad(p, inRow.AsVector512(), pastRow.AsVector512()).AsVector();
            }

            if (Avx.IsSupported && Vector<float>.Count == Vector256<float>.Count)
            {
                return Vector.ConditionalSelect(inRow, Avx.MaskLoad(p, inRow.AsVector256()).AsVector(), pastRow);
            }
        }

        return LoadHeadThroughStack(ref source, count, pastRow);
    }

    // All bits set in lanes 0 … count − 1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> InRow(int count) => Vector.AsVectorSingle(Vector.LessThan(Vector<int>.Indices, new Vector<int>(count)));

    // Without masked instructions (Arm, or a vector width these do not cover): the lanes through a stack buffer.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<float> LoadHeadThroughStack(ref float source, int count, Vector<float> pastRow)
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        pastRow.CopyTo(lanes);
        MemoryMarshal.CreateReadOnlySpan(ref source, count).CopyTo(lanes);
        return new Vector<float>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreHeadLaneByLane(Vector<float> value, ref float destination, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = value[i];
        }
    }

    /// <summary>The largest lane of <paramref name="x"/> (NaN if any lane is): the end of a vectorized max pass.</summary>
    /// <param name="x">The lanes.</param>
    public static float MaxAcross(Vector<float> x)
    {
        // Max-and-swap steps instead of a lane extraction per lane (Vector256.Max and Vector512.Max propagate NaN).
        if (Vector256.IsHardwareAccelerated && Vector<float>.Count == 8)
        {
            return MaxAcross(x.AsVector256());
        }

        if (Vector512.IsHardwareAccelerated && Vector<float>.Count == 16)
        {
            var v = x.AsVector512();
            return MaxAcross(Vector256.Max(v.GetLower(), v.GetUpper()));
        }

        float max = x[0];
        for (int i = 1; i < Vector<float>.Count; i++)
        {
            max = MathF.Max(max, x[i]);
        }

        return max;
    }

    private static float MaxAcross(Vector256<float> v)
    {
        v = Vector256.Max(v, Vector256.Shuffle(v, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)));
        v = Vector256.Max(v, Vector256.Shuffle(v, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        v = Vector256.Max(v, Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
        return v.ToScalar();
    }

    /// <summary>The largest lane of <paramref name="x"/> (NaN if any lane is): the end of a vectorized max pass.</summary>
    /// <param name="x">The lanes.</param>
    public static double MaxAcross(Vector<double> x)
    {
        double max = x[0];
        for (int i = 1; i < Vector<double>.Count; i++)
        {
            max = Math.Max(max, x[i]);
        }

        return max;
    }
}

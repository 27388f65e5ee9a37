using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiff.Layers;

/// <summary>Splitting 16 floats into their even and odd elements, and the reverse, on AVX2.</summary>
internal static class Interleaving
{
    /// <summary>(x₀, x₂, …, x₁₄) of the 16 values low, high: [l0 l2 h0 h2 | l4 l6 h4 h6], then 64-bit lanes 0, 2, 1, 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Evens(Vector256<float> low, Vector256<float> high) =>
        Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>(x₁, x₃, …, x₁₅) of the 16 values low, high.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odds(Vector256<float> low, Vector256<float> high) =>
        Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>(e₀, o₀, e₁, o₁, …, e₇, o₇) as two vectors: the adjoint of <see cref="Evens"/> and <see cref="Odds"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Low, Vector256<float> High) Interleave(Vector256<float> even, Vector256<float> odd)
    {
        Vector256<float> low = Avx.UnpackLow(even, odd), high = Avx.UnpackHigh(even, odd);
        return (Avx.Permute2x128(low, high, 0x20), Avx.Permute2x128(low, high, 0x31));
    }
}

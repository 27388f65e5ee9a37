using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

// A single-precision vector logarithm and exponential of our own, each with a fast path when every lane is
// ordinary (no blends for special values) and a general path behind a branch that ordinary lanes never take.
// Both are faster than .NET 10's Vector.Exp and Vector.Log, and the log is relatively accurate near 1 too, which
// log1p needs (timings: docs/design.md). The generated float kernels call both.
//
// The general paths are inlined too, not called: every vector register is caller-saved in the x64 Unix calling
// convention, so a call anywhere in a kernel's loop, even one never made, made the JIT keep the loop's vectors
// (inputs, the accumulator, the exp result at the join) in stack slots, stored and reloaded every iteration.
// Inlined, every loss kernel that calls them got faster, with the same bits (docs/benchmarks.md, "Figures behind the runtime's code").
public static partial class AD
{
    /// <summary>
    /// Lane-wise ln x in single precision: x = m·2ᵉ with m in [√½, √2), ln m = f − f²/2 + f³·P(f) for f = m − 1
    /// with Cephes's degree-8 minimax P, plus e·ln 2 in two parts. Subnormals are scaled first; ln 0 = −∞,
    /// ln of a negative number or NaN is NaN, ln ∞ = ∞. Within 1 ulp (the tests measure it on both paths).
    /// </summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Log(x);

    /// <inheritdoc cref="Log(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Log(x);

    /// <summary>Lane-wise ln x in double precision (<see cref="Vector.Log(Vector{double})"/>).</summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log(Vector<double> x) => Vector.Log(x);
}

// A single-precision vector exponential of our own (Cephes expf), used by the generated float kernels.
public static partial class AD
{
    /// <summary>
    /// Lane-wise eˣ in single precision: x = n·ln 2 + r with |r| ≤ ½ln 2 (ln 2 in two parts), eʳ from Cephes's
    /// degree-7 polynomial, times 2ⁿ (beyond |x| = 87.3 applied in two halves, so results down to the smallest
    /// subnormal come out right). e^x = ∞ above 88.72, 0 below −103.98, NaN stays NaN. Within 2 ulp.
    /// </summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x) => FloatLanes<Vector<float>, VectorOps>.Exp(x);

    /// <inheritdoc cref="Exp(Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => FloatLanes<Vector512<float>, Vector512Ops>.Exp(x);

    /// <summary>Lane-wise eˣ in double precision (<see cref="Vector.Exp(Vector{double})"/>).</summary>
    /// <param name="x">The lanes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x) => Vector.Exp(x);
}

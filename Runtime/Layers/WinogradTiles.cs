using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoDiff.Layers;

/// <summary>
/// The transforms of Winograd's minimal filtering algorithm F(2, r) in one dimension (Lavin and Gray, "Fast
/// Algorithms for Convolutional Neural Networks", 2016), from the Toom-Cook interpolation points 0, ±1 (and ±2
/// for r = 5) and ∞: two outputs of a correlation with an r-tap filter g from α = r + 1 inputs d are
/// y = Aᵀ[(G·g) ⊙ (Bᵀ·d)]. The two-dimensional tile F(2×2, r×r) applies each matrix along both axes:
/// Y = Aᵀ[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A. Each method loads α (or 2) vectors x[0], x[s], x[2s], … and stores the result
/// to y[0], y[t], y[2t], … (strides in elements of T): a column of a tile, then a row; each lane is another tile.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IWinogradTile<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The filter's side r; a tile has α = r + 1 inputs and 2 outputs per axis.</summary>
    static abstract int Kernel { get; }

    /// <summary>G, α × r, row-major: the filter transform.</summary>
    static abstract ReadOnlySpan<double> FilterTransform { get; }

    /// <summary>y = Bᵀ·x (α values).</summary>
    static abstract void Input(ref T x, nint xs, ref T y, nint ys);

    /// <summary>y = B·x (α values): the adjoint of <see cref="Input"/>, for the input's gradient.</summary>
    static abstract void InputAdjoint(ref T x, nint xs, ref T y, nint ys);

    /// <summary>(y₀, y₁) = Aᵀ·x (α values in, 2 out).</summary>
    static abstract void Output(ref T x, nint xs, ref T y, nint ys);

    /// <summary>y = A·x (2 values in, α out): the adjoint of <see cref="Output"/>, for the output's gradient.</summary>
    static abstract void OutputAdjoint(ref T x, nint xs, ref T y, nint ys);
}

/// <summary>Loads and stores of <see cref="IWinogradTile{T}"/>'s strided vectors.</summary>
internal static class WinogradTile
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ref T x, nint stride, int index)
        where T : unmanaged => Vector.LoadUnsafe(ref x, (nuint)(index * stride));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> value, ref T y, nint stride, int index)
        where T : unmanaged => Vector.StoreUnsafe(value, ref y, (nuint)(index * stride));
}

/// <summary>F(2, 3): points 0, 1, −1, ∞; Bᵀ, G and Aᵀ have entries 0, ±1, ±½.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct WinogradTile3<T> : IWinogradTile<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Kernel => 3;

    public static ReadOnlySpan<double> FilterTransform =>
    [
        -1, 0, 0,
        0.5, 0.5, 0.5,
        0.5, -0.5, 0.5,
        0, 0, 1,
    ];

    // Bᵀ = [−1 0 1 0; 0 1 1 0; 0 −1 1 0; 0 −1 0 1]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> d0 = WinogradTile.Load(ref x, xs, 0), d1 = WinogradTile.Load(ref x, xs, 1), d2 = WinogradTile.Load(ref x, xs, 2), d3 = WinogradTile.Load(ref x, xs, 3);
        WinogradTile.Store(d2 - d0, ref y, ys, 0);
        WinogradTile.Store(d1 + d2, ref y, ys, 1);
        WinogradTile.Store(d2 - d1, ref y, ys, 2);
        WinogradTile.Store(d3 - d1, ref y, ys, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputAdjoint(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> v0 = WinogradTile.Load(ref x, xs, 0), v1 = WinogradTile.Load(ref x, xs, 1), v2 = WinogradTile.Load(ref x, xs, 2), v3 = WinogradTile.Load(ref x, xs, 3);
        WinogradTile.Store(-v0, ref y, ys, 0);
        WinogradTile.Store(v1 - v2 - v3, ref y, ys, 1);
        WinogradTile.Store(v0 + v1 + v2, ref y, ys, 2);
        WinogradTile.Store(v3, ref y, ys, 3);
    }

    // Aᵀ = [1 1 1 0; 0 1 −1 1]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> m0 = WinogradTile.Load(ref x, xs, 0), m1 = WinogradTile.Load(ref x, xs, 1), m2 = WinogradTile.Load(ref x, xs, 2), m3 = WinogradTile.Load(ref x, xs, 3);
        WinogradTile.Store(m0 + m1 + m2, ref y, ys, 0);
        WinogradTile.Store(m1 - m2 + m3, ref y, ys, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjoint(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> y0 = WinogradTile.Load(ref x, xs, 0), y1 = WinogradTile.Load(ref x, xs, 1);
        WinogradTile.Store(y0, ref y, ys, 0);
        WinogradTile.Store(y0 + y1, ref y, ys, 1);
        WinogradTile.Store(y0 - y1, ref y, ys, 2);
        WinogradTile.Store(y1, ref y, ys, 3);
    }
}

/// <summary>F(2, 5): points 0, 1, −1, 2, −2, ∞; Bᵀ has integer entries up to 5, G fractions down to 1/24.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly struct WinogradTile5<T> : IWinogradTile<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Kernel => 5;

    public static ReadOnlySpan<double> FilterTransform =>
    [
        1.0 / 4, 0, 0, 0, 0,
        -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6,
        -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6,
        1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 3, 2.0 / 3,
        1.0 / 24, -1.0 / 12, 1.0 / 6, -1.0 / 3, 2.0 / 3,
        0, 0, 0, 0, 1,
    ];

    // Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> d0 = WinogradTile.Load(ref x, xs, 0), d1 = WinogradTile.Load(ref x, xs, 1), d2 = WinogradTile.Load(ref x, xs, 2), d3 = WinogradTile.Load(ref x, xs, 3), d4 = WinogradTile.Load(ref x, xs, 4), d5 = WinogradTile.Load(ref x, xs, 5);
        var four = new Vector<T>(T.CreateTruncating(4));
        var five = new Vector<T>(T.CreateTruncating(5));
        Vector<T> s = d4 - (four * d2), t = d3 - (four * d1), s2 = d4 - d2, t2 = (d3 - d1) + (d3 - d1);
        WinogradTile.Store((four * d0) - (five * d2) + d4, ref y, ys, 0);
        WinogradTile.Store(s + t, ref y, ys, 1);
        WinogradTile.Store(s - t, ref y, ys, 2);
        WinogradTile.Store(s2 + t2, ref y, ys, 3);
        WinogradTile.Store(s2 - t2, ref y, ys, 4);
        WinogradTile.Store((four * d1) - (five * d3) + d5, ref y, ys, 5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputAdjoint(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> v0 = WinogradTile.Load(ref x, xs, 0), v1 = WinogradTile.Load(ref x, xs, 1), v2 = WinogradTile.Load(ref x, xs, 2), v3 = WinogradTile.Load(ref x, xs, 3), v4 = WinogradTile.Load(ref x, xs, 4), v5 = WinogradTile.Load(ref x, xs, 5);
        var two = new Vector<T>(T.CreateTruncating(2));
        var four = new Vector<T>(T.CreateTruncating(4));
        var five = new Vector<T>(T.CreateTruncating(5));
        Vector<T> p = v1 + v2, q = v1 - v2, p2 = v3 + v4, q2 = v3 - v4;
        WinogradTile.Store(four * v0, ref y, ys, 0);
        WinogradTile.Store((four * (v5 - q)) - (two * q2), ref y, ys, 1);
        WinogradTile.Store(-(five * v0) - (four * p) - p2, ref y, ys, 2);
        WinogradTile.Store(q + (two * q2) - (five * v5), ref y, ys, 3);
        WinogradTile.Store(v0 + p + p2, ref y, ys, 4);
        WinogradTile.Store(v5, ref y, ys, 5);
    }

    // Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 1]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> m0 = WinogradTile.Load(ref x, xs, 0), m1 = WinogradTile.Load(ref x, xs, 1), m2 = WinogradTile.Load(ref x, xs, 2), m3 = WinogradTile.Load(ref x, xs, 3), m4 = WinogradTile.Load(ref x, xs, 4), m5 = WinogradTile.Load(ref x, xs, 5);
        var difference = m3 - m4;
        WinogradTile.Store(m0 + (m1 + m2) + (m3 + m4), ref y, ys, 0);
        WinogradTile.Store((m1 - m2) + (difference + difference) + m5, ref y, ys, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputAdjoint(ref T x, nint xs, ref T y, nint ys)
    {
        Vector<T> y0 = WinogradTile.Load(ref x, xs, 0), y1 = WinogradTile.Load(ref x, xs, 1);
        var twice = y1 + y1;
        WinogradTile.Store(y0, ref y, ys, 0);
        WinogradTile.Store(y0 + y1, ref y, ys, 1);
        WinogradTile.Store(y0 - y1, ref y, ys, 2);
        WinogradTile.Store(y0 + twice, ref y, ys, 3);
        WinogradTile.Store(y0 - twice, ref y, ys, 4);
        WinogradTile.Store(y1, ref y, ys, 5);
    }
}

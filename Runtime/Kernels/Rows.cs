using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using AutoDiff.Threading;

namespace AutoDiff.CompilerServices;

/// <summary>
/// The per-row math of a generated row method F(x₁ … xₖ) — a method over spans whose value is one number per row,
/// such as a cross-entropy over a row of logits — for the loops the runtime runs over a batch of rows
/// (<see cref="Rows{T}"/>). Implemented by a ref struct the generator writes for F, which holds the matrices and
/// per-row spans of one call and slices row r out of them: row r of a matrix is its elements
/// [offset, offset + columns), offset = r · columns.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRowKernel<T>
    where T : unmanaged
{
    /// <summary>F of row <paramref name="row"/>.</summary>
    /// <param name="row">The row.</param>
    /// <param name="offset">row · columns: the row's first element in each matrix.</param>
    /// <param name="columns">The row's length.</param>
    T Value(int row, int offset, int columns);

    /// <summary>
    /// F of row <paramref name="row"/>, returned, and scale · ∂F/∂xᵢ written to the row of each gradient output. The
    /// runtime calls this for a row of any length but those <see cref="ShortGradient"/> and
    /// <see cref="TinyGradient"/> take.
    /// </summary>
    /// <param name="row">The row.</param>
    /// <param name="offset">row · columns: the row's first element in each matrix.</param>
    /// <param name="columns">The row's length.</param>
    /// <param name="scale">What the row's gradient is multiplied by: the upstream gradient of the row, 1 for a sum, 1/rows for a mean.</param>
    T Gradient(int row, int offset, int columns, T scale);

    /// <summary>As <see cref="Gradient"/>, for a row longer than one <see cref="Vector{T}"/> and no longer than two (it is kept in registers).</summary>
    /// <param name="row">The row.</param>
    /// <param name="offset">row · columns: the row's first element in each matrix.</param>
    /// <param name="columns">The row's length.</param>
    /// <param name="scale">What the row's gradient is multiplied by.</param>
    T ShortGradient(int row, int offset, int columns, T scale);

    /// <summary>As <see cref="Gradient"/>, for a row of at least one element and fewer than one <see cref="Vector{T}"/> (one masked vector).</summary>
    /// <param name="row">The row.</param>
    /// <param name="offset">row · columns: the row's first element in each matrix.</param>
    /// <param name="columns">The row's length.</param>
    /// <param name="scale">What the row's gradient is multiplied by.</param>
    T TinyGradient(int row, int offset, int columns, T scale);
}

/// <summary>
/// The loops of every generated row method's batch forms, written once: F of each row, the backward (each row's
/// gradient times its upstream gradient) and the fused sum and mean over the rows with their gradient. A batch of
/// 32,768 elements or more runs in parts of whole rows, about 16,384 elements each, on <see cref="KernelPool"/>;
/// the rows' values are added in double, part by part in order, so a sum does not depend on the number of threads.
/// The generated forms check their arguments (shapes, indices, overlaps) before they call these.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Rows<T>
    where T : unmanaged
{
    // Elements per part of a batch.
    private const int PartElements = 16_384;

    /// <summary>Writes F of each row to <paramref name="destination"/>[row].</summary>
    /// <typeparam name="TKernel">The generated row kernel.</typeparam>
    /// <param name="kernel">F and the call's spans.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The length of every row.</param>
    /// <param name="destination">One entry per row.</param>
    public static void Forward<TKernel>(TKernel kernel, int rows, int columns, Span<T> destination)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        int parts = Parts(rows, columns);
        if (parts > 1)
        {
            ForwardParts(ref kernel, rows, columns, destination, parts);
            return;
        }

        ValueRows(ref kernel, 0, rows, columns, destination);
    }

    /// <summary>Writes upstream[row] · ∂F/∂xᵢ of each row to the rows of each gradient output.</summary>
    /// <typeparam name="TKernel">The generated row kernel.</typeparam>
    /// <param name="kernel">F and the call's spans.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The length of every row.</param>
    /// <param name="upstream">The gradient of the final loss with respect to each row's value, one entry per row.</param>
    public static void Backward<TKernel>(TKernel kernel, int rows, int columns, ReadOnlySpan<T> upstream)
        where TKernel : IRowKernel<T>, allows ref struct =>
        Reduce(ref kernel, rows, columns, default, upstream);

    /// <summary>Returns Σ F over the rows and writes ∂F/∂xᵢ of each row to the rows of each gradient output.</summary>
    /// <typeparam name="TKernel">The generated row kernel.</typeparam>
    /// <param name="kernel">F and the call's spans.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The length of every row.</param>
    /// <returns>The sum, added in double.</returns>
    public static T Sum<TKernel>(TKernel kernel, int rows, int columns)
        where TKernel : IRowKernel<T>, allows ref struct =>
        Scalars<T>.Narrow(Reduce(ref kernel, rows, columns, Scalars<T>.One, default));

    /// <summary>Returns the mean of F over the rows (NaN when there are none) and writes (1/rows) · ∂F/∂xᵢ of each row to the rows of each gradient output.</summary>
    /// <typeparam name="TKernel">The generated row kernel.</typeparam>
    /// <param name="kernel">F and the call's spans.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The length of every row.</param>
    /// <returns>The sum, added in double, divided by rows.</returns>
    public static T Mean<TKernel>(TKernel kernel, int rows, int columns)
        where TKernel : IRowKernel<T>, allows ref struct =>
        Scalars<T>.Narrow(Reduce(ref kernel, rows, columns, Scalars<T>.Inverse(rows), default) / rows);

    /// <summary>
    /// Whether a row of <paramref name="columns"/> elements takes the tiny-row kernel: from one element to one short
    /// of a <see cref="Vector{T}"/>. Every row of a batch has the same length, so the loops choose once per range of
    /// rows.
    /// </summary>
    /// <param name="columns">The row's length.</param>
    /// <returns>0 &lt; columns &lt; Vector&lt;T&gt;.Count.</returns>
    public static bool IsTiny(int columns) => columns > 0 && columns < Vector<T>.Count;

    /// <summary>Whether a row of <paramref name="columns"/> elements takes the short-row kernel: from one vector and an element up to two vectors.</summary>
    /// <param name="columns">The row's length.</param>
    /// <returns>Vector&lt;T&gt;.Count &lt; columns ≤ 2 · Vector&lt;T&gt;.Count.</returns>
    public static bool IsShort(int columns) => columns > Vector<T>.Count && columns <= 2 * Vector<T>.Count;

    // At most one part per row.
    private static int Parts(int rows, int columns) => Math.Min(rows, KernelPool.PartsFor(rows * columns, PartElements));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce<TKernel>(ref TKernel kernel, int rows, int columns, T scale, ReadOnlySpan<T> upstream)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        int parts = Parts(rows, columns);
        return parts > 1 ? ReduceParts(ref kernel, rows, columns, scale, upstream, parts) : GradientRows(ref kernel, 0, rows, columns, scale, upstream);
    }

    // The loops are compiled optimized at once and never inlined, as the elementwise ones: left to tiering, a
    // cross-entropy over a batch in parts ran slower and varied from run to run (docs/benchmarks.md, "Parallel span
    // kernels").
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ValueRows<TKernel>(ref TKernel kernel, int from, int to, int columns, Span<T> destination)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        var local = kernel;
        for (int row = from; row < to; row++)
        {
            destination[row] = local.Value(row, row * columns, columns);
        }
    }

    // Rows [from, to): each row's gradient times upstream[row] where upstream is given (the backward form; the
    // rows' values are added all the same, and ignored), times scale otherwise. Returns the sum of the values.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double GradientRows<TKernel>(ref TKernel kernel, int from, int to, int columns, T scale, ReadOnlySpan<T> upstream)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        var local = kernel;
        bool perRow = !upstream.IsEmpty;
        double total = 0;
        if (IsTiny(columns))
        {
            for (int row = from; row < to; row++)
            {
                total += Scalars<T>.Widen(local.TinyGradient(row, row * columns, columns, perRow ? upstream[row] : scale));
            }
        }
        else if (IsShort(columns))
        {
            for (int row = from; row < to; row++)
            {
                total += Scalars<T>.Widen(local.ShortGradient(row, row * columns, columns, perRow ? upstream[row] : scale));
            }
        }
        else
        {
            for (int row = from; row < to; row++)
            {
                total += Scalars<T>.Widen(local.Gradient(row, row * columns, columns, perRow ? upstream[row] : scale));
            }
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForwardParts<TKernel>(ref TKernel kernel, int rows, int columns, Span<T> destination, int parts)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        var job = new ValueParts<TKernel> { Kernel = kernel, Columns = columns, Destination = destination };
        KernelPool.Run(ref job, rows, parts);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ReduceParts<TKernel>(ref TKernel kernel, int rows, int columns, T scale, ReadOnlySpan<T> upstream, int parts)
        where TKernel : IRowKernel<T>, allows ref struct
    {
        Span<double> partials = stackalloc double[parts];
        var job = new GradientParts<TKernel> { Kernel = kernel, Columns = columns, Scale = scale, Upstream = upstream, Partials = partials };
        KernelPool.Run(ref job, rows, parts);
        double total = 0;
        foreach (var part in partials)
        {
            total += part;
        }

        return total;
    }

    private ref struct ValueParts<TKernel> : IRangeKernel
        where TKernel : IRowKernel<T>, allows ref struct
    {
        public TKernel Kernel;
        public int Columns;
        public Span<T> Destination;

        public void Execute(int part, int start, int end) => ValueRows(ref Kernel, start, end, Columns, Destination);
    }

    private ref struct GradientParts<TKernel> : IRangeKernel
        where TKernel : IRowKernel<T>, allows ref struct
    {
        public TKernel Kernel;
        public int Columns;
        public T Scale;
        public ReadOnlySpan<T> Upstream;
        public Span<double> Partials;

        public void Execute(int part, int start, int end) => Partials[part] = GradientRows(ref Kernel, start, end, Columns, Scale, Upstream);
    }
}

using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoDiff.Threading;

namespace AutoDiff.CompilerServices;

/// <summary>
/// Where one step of an elementwise kernel reads and writes: a whole <see cref="Vector{T}"/> of elements at an
/// offset (<see cref="WholeVector{T}"/>), or the last elements of a span, fewer than a vector
/// (<see cref="LastVector{T}"/>). A generated kernel's step is generic over this, so it is written once for both.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILanes<T>
    where T : unmanaged
{
    /// <summary>The elements of <paramref name="span"/> at this step, one per lane.</summary>
    /// <param name="span">An input of the kernel, as long as the kernel's length.</param>
    Vector<T> Load(ReadOnlySpan<T> span);

    /// <summary>Writes the lanes of <paramref name="value"/> to the elements of <paramref name="span"/> at this step.</summary>
    /// <param name="value">One result per lane.</param>
    /// <param name="span">An output of the kernel, as long as the kernel's length.</param>
    void Store(Vector<T> value, Span<T> span);
}

/// <summary>The <see cref="Vector{T}.Count"/> elements from an offset on (bounds are the kernel's to check).</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="offset">The first element.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct WholeVector<T>(int offset) : ILanes<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Load(ReadOnlySpan<T> span) => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector<T> value, Span<T> span) => value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)offset);
}

/// <summary>
/// The last 1 … <see cref="Vector{T}.Count"/> − 1 elements of a span, read and written with masked loads and stores:
/// lanes past the end repeat the first element (so that no lane computes on memory outside the span) and are
/// never written.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="offset">The first element.</param>
/// <param name="count">How many elements are left, fewer than a vector.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct LastVector<T>(int offset, int count) : ILanes<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Load(ReadOnlySpan<T> span)
    {
        ref T first = ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);
        if (typeof(T) == typeof(float))
        {
            var lanes = Lanes.LoadHead(ref Unsafe.As<T, float>(ref first), count);
            return Unsafe.As<Vector<float>, Vector<T>>(ref lanes);
        }

        var wide = Lanes.LoadHead(ref Unsafe.As<T, double>(ref first), count);
        return Unsafe.As<Vector<double>, Vector<T>>(ref wide);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector<T> value, Span<T> span)
    {
        ref T first = ref Unsafe.Add(ref MemoryMarshal.GetReference(span), offset);
        if (typeof(T) == typeof(float))
        {
            Lanes.StoreHead(Unsafe.As<Vector<T>, Vector<float>>(ref value), ref Unsafe.As<T, float>(ref first), count);
        }
        else
        {
            Lanes.StoreHead(Unsafe.As<Vector<T>, Vector<double>>(ref value), ref Unsafe.As<T, double>(ref first), count);
        }
    }

    /// <summary>The lanes of <paramref name="value"/> that hold elements, zero in the others (for sums).</summary>
    /// <param name="value">One value per lane.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector<T> Keep(Vector<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.ConditionalSelect(Vector.LessThan(Vector<int>.Indices, new Vector<int>(count)).As<int, T>(), value, Vector<T>.Zero);
        }

        return Vector.ConditionalSelect(Vector.LessThan(Vector<long>.Indices, new Vector<long>(count)).As<long, T>(), value, Vector<T>.Zero);
    }
}

/// <summary>The <see cref="Vector512{T}.Count"/> elements from an offset on: a step of a kernel's 512-bit loop.</summary>
/// <typeparam name="T">float (the 512-bit loops are float only).</typeparam>
/// <param name="offset">The first element.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct WideVector<T>(int offset)
    where T : unmanaged
{
    /// <summary>The elements of <paramref name="span"/> at this step, one per lane.</summary>
    /// <param name="span">An input of the kernel, as long as the kernel's length.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Load(ReadOnlySpan<T> span) => Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)offset);

    /// <summary>Writes the lanes of <paramref name="value"/> to the elements of <paramref name="span"/> at this step.</summary>
    /// <param name="value">One result per lane.</param>
    /// <param name="span">An output of the kernel, as long as the kernel's length.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<T> value, Span<T> span) => value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)offset);
}

/// <summary>
/// The per-element math of a generated elementwise method F(x₁ … xₖ), as one vector step of each loop the runtime
/// runs over spans (<see cref="Elementwise{T}"/>). Implemented by a ref struct the generator writes for F, which
/// holds the spans of one call (inputs, upstream gradient, outputs), F's [Constant] values and what
/// <see cref="Prepare(T)"/> hoists, and writes F's math in each step; the JIT specialises the loops for it, as for
/// <c>TensorPrimitives</c>' operators.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IElementwiseKernel<T>
    where T : unmanaged
{
    /// <summary>
    /// Computes what every step of a loop shares, once per loop before the steps: the [Constant] values broadcast
    /// to vectors, the scale, and what depends on those alone (the JIT does not hoist a broadcast out of a loop).
    /// </summary>
    /// <param name="scale">1 for a sum, 1/N for a mean (1 for the other loops, which do not read it).</param>
    void Prepare(T scale);

    /// <summary>Writes F of the lanes to the destination.</summary>
    /// <typeparam name="TLanes">Which elements.</typeparam>
    /// <param name="lanes">Which elements.</param>
    void Forward<TLanes>(TLanes lanes)
        where TLanes : struct, ILanes<T>;

    /// <summary>Writes upstream ⊙ ∂F/∂xᵢ of the lanes to each gradient output (the vector-Jacobian product).</summary>
    /// <typeparam name="TLanes">Which elements.</typeparam>
    /// <param name="lanes">Which elements.</param>
    void Backward<TLanes>(TLanes lanes)
        where TLanes : struct, ILanes<T>;

    /// <summary>Writes scale · ∂F/∂xᵢ of the lanes to each gradient output (the scale given to <see cref="Prepare(T)"/>) and returns F of the lanes.</summary>
    /// <typeparam name="TLanes">Which elements.</typeparam>
    /// <param name="lanes">Which elements.</param>
    Vector<T> Mean<TLanes>(TLanes lanes)
        where TLanes : struct, ILanes<T>;
}

/// <summary>
/// An <see cref="IElementwiseKernel{T}"/> with 512-bit steps too: F with exp, log or a function of them, every
/// operation of which the runtime has at 512 bits. Where 512-bit vectors are accelerated and <see cref="Vector{T}"/>
/// is narrower, the loops run these steps and leave the last elements to the <see cref="Vector{T}"/> steps (a
/// 512-bit instruction is one instruction to a Zen 4 core's front end, which limits such kernels).
/// </summary>
/// <typeparam name="T">float.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWideElementwiseKernel<T> : IElementwiseKernel<T>
    where T : unmanaged
{
    /// <inheritdoc cref="IElementwiseKernel{T}.Forward{TLanes}(TLanes)"/>
    void Forward512(WideVector<T> lanes);

    /// <inheritdoc cref="IElementwiseKernel{T}.Backward{TLanes}(TLanes)"/>
    void Backward512(WideVector<T> lanes);

    /// <inheritdoc cref="IElementwiseKernel{T}.Mean{TLanes}(TLanes)"/>
    Vector512<T> Mean512(WideVector<T> lanes);
}

/// <summary>
/// The loops of every generated elementwise span form, written once: forward, backward, and the fused sum and
/// mean with their gradient. Each runs the kernel's vector step over whole vectors and one masked step over the
/// last elements; above a length that depends on the kernel's cost it splits the span into parts on
/// <see cref="KernelPool"/>. Float sums add 128 vectors in float, then widen into double, so that the sum of
/// millions of floats stays within ~1e-7 of a double reference and does not depend on the number of threads. The
/// callers (generated span forms) check lengths and overlaps first.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Elementwise<T>
    where T : unmanaged
{
    /// <summary>Writes F of every element: <see cref="IElementwiseKernel{T}.Forward{TLanes}(TLanes)"/> over [0, <paramref name="length"/>).</summary>
    /// <typeparam name="TKernel">The generated kernel.</typeparam>
    /// <param name="kernel">The spans of the call.</param>
    /// <param name="length">The length of every span.</param>
    /// <param name="partElements">Elements per part on the kernel pool (smaller for costlier kernels).</param>
    public static void Forward<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IElementwiseKernel<T>, allows ref struct =>
        Run<TKernel, ForwardLoop<TKernel>>(ref kernel, length, partElements);

    /// <inheritdoc cref="Forward{TKernel}(TKernel, int, int)"/>
    public static void ForwardWide<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IWideElementwiseKernel<T>, allows ref struct =>
        Run<TKernel, ForwardWideLoop<TKernel>>(ref kernel, length, partElements);

    /// <summary>Writes upstream ⊙ ∂F/∂xᵢ of every element: <see cref="IElementwiseKernel{T}.Backward{TLanes}(TLanes)"/> over [0, <paramref name="length"/>).</summary>
    /// <typeparam name="TKernel">The generated kernel.</typeparam>
    /// <param name="kernel">The spans of the call.</param>
    /// <param name="length">The length of every span.</param>
    /// <param name="partElements">Elements per part on the kernel pool (smaller for costlier kernels).</param>
    public static void Backward<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IElementwiseKernel<T>, allows ref struct =>
        Run<TKernel, BackwardLoop<TKernel>>(ref kernel, length, partElements);

    /// <inheritdoc cref="Backward{TKernel}(TKernel, int, int)"/>
    public static void BackwardWide<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IWideElementwiseKernel<T>, allows ref struct =>
        Run<TKernel, BackwardWideLoop<TKernel>>(ref kernel, length, partElements);

    /// <summary>Returns Σ F over the elements and writes ∂(Σ F)/∂xᵢ = ∂F/∂xᵢ of each.</summary>
    /// <typeparam name="TKernel">The generated kernel.</typeparam>
    /// <param name="kernel">The spans of the call.</param>
    /// <param name="length">The length of every span.</param>
    /// <param name="partElements">Elements per part on the kernel pool (smaller for costlier kernels).</param>
    public static T Sum<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IElementwiseKernel<T>, allows ref struct =>
        Scalars<T>.Narrow(Reduce<TKernel, MeanLoop<TKernel>>(ref kernel, length, partElements, Scalars<T>.One));

    /// <inheritdoc cref="Sum{TKernel}(TKernel, int, int)"/>
    public static T SumWide<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IWideElementwiseKernel<T>, allows ref struct =>
        Scalars<T>.Narrow(Reduce<TKernel, MeanWideLoop<TKernel>>(ref kernel, length, partElements, Scalars<T>.One));

    /// <summary>Returns the mean of F over the elements (NaN when there are none) and writes ∂mean/∂xᵢ = (1/N)·∂F/∂xᵢ of each.</summary>
    /// <typeparam name="TKernel">The generated kernel.</typeparam>
    /// <param name="kernel">The spans of the call.</param>
    /// <param name="length">The length of every span.</param>
    /// <param name="partElements">Elements per part on the kernel pool (smaller for costlier kernels).</param>
    public static T Mean<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IElementwiseKernel<T>, allows ref struct =>
        MeanOf(Reduce<TKernel, MeanLoop<TKernel>>(ref kernel, length, partElements, Scalars<T>.Inverse(length)), length);

    /// <inheritdoc cref="Mean{TKernel}(TKernel, int, int)"/>
    public static T MeanWide<TKernel>(TKernel kernel, int length, int partElements)
        where TKernel : IWideElementwiseKernel<T>, allows ref struct =>
        MeanOf(Reduce<TKernel, MeanWideLoop<TKernel>>(ref kernel, length, partElements, Scalars<T>.Inverse(length)), length);

    // A float mean multiplies its double sum by 1/N (a division after the loop is measurable at 1,000 elements:
    // docs/benchmarks.md); rounded to float, the two agree. A double mean divides.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T MeanOf(double sum, int length) =>
        typeof(T) == typeof(float) ? Scalars<T>.Cast((float)(sum * (1.0 / length))) : Scalars<T>.Cast(sum / length);

    // Many parts: on the kernel pool (kept out of line, so that the one-part path stays lean). One part: the loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TKernel, TLoop>(ref TKernel kernel, int length, int partElements)
        where TKernel : allows ref struct
        where TLoop : ILoop<TKernel>
    {
        int parts = KernelPool.PartsFor(length, partElements);
        if (parts > 1)
        {
            RunParts<TKernel, TLoop>(ref kernel, length, parts);
            return;
        }

        TLoop.Run(ref kernel, 0, length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunParts<TKernel, TLoop>(ref TKernel kernel, int length, int parts)
        where TKernel : allows ref struct
        where TLoop : ILoop<TKernel>
    {
        var job = new Parts<TKernel, TLoop> { Kernel = kernel };
        KernelPool.Run(ref job, length, parts, Vector<T>.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce<TKernel, TLoop>(ref TKernel kernel, int length, int partElements, T scale)
        where TKernel : allows ref struct
        where TLoop : IReductionLoop<TKernel>
    {
        int parts = KernelPool.PartsFor(length, partElements);
        return parts > 1 ? ReduceParts<TKernel, TLoop>(ref kernel, length, parts, scale) : TLoop.Run(ref kernel, 0, length, scale);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ReduceParts<TKernel, TLoop>(ref TKernel kernel, int length, int parts, T scale)
        where TKernel : allows ref struct
        where TLoop : IReductionLoop<TKernel>
    {
        Span<double> partials = stackalloc double[parts];
        var job = new ReductionParts<TKernel, TLoop> { Kernel = kernel, Scale = scale, Partials = partials };
        KernelPool.Run(ref job, length, parts, Vector<T>.Count);
        double total = 0;
        foreach (var part in partials)
        {
            total += part;
        }

        return total;
    }

    // A loop over [start, end), as a type so that the parts on the kernel pool run the same specialised code.
    private interface ILoop<TKernel>
        where TKernel : allows ref struct
    {
        static abstract void Run(ref TKernel kernel, int start, int end);
    }

    private interface IReductionLoop<TKernel>
        where TKernel : allows ref struct
    {
        static abstract double Run(ref TKernel kernel, int start, int end, T scale);
    }

    private ref struct Parts<TKernel, TLoop> : IRangeKernel
        where TKernel : allows ref struct
        where TLoop : ILoop<TKernel>
    {
        public TKernel Kernel;

        public void Execute(int part, int start, int end) => TLoop.Run(ref Kernel, start, end);
    }

    private ref struct ReductionParts<TKernel, TLoop> : IRangeKernel
        where TKernel : allows ref struct
        where TLoop : IReductionLoop<TKernel>
    {
        public TKernel Kernel;
        public T Scale;
        public Span<double> Partials;

        public void Execute(int part, int start, int end) => Partials[part] = TLoop.Run(ref Kernel, start, end, Scale);
    }

    // The loops are compiled optimized at once (a loop method otherwise starts each call in tier-0 code until
    // on-stack replacement kicks in, which measured slower per call for many calls) and never inlined (inlined
    // into their callers, the parts on two threads measured slower than one thread in some runs). Figures:
    // docs/benchmarks.md, "Parallel span kernels".
    private readonly struct ForwardLoop<TKernel> : ILoop<TKernel>
        where TKernel : IElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run(ref TKernel kernel, int start, int end)
        {
            var local = kernel;
            local.Prepare(Scalars<T>.One);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                local.Forward(new WholeVector<T>(i));
            }

            if (i < end)
            {
                local.Forward(new LastVector<T>(i, end - i));
            }
        }
    }

    private readonly struct BackwardLoop<TKernel> : ILoop<TKernel>
        where TKernel : IElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run(ref TKernel kernel, int start, int end)
        {
            var local = kernel;
            local.Prepare(Scalars<T>.One);
            int i = start;
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                local.Backward(new WholeVector<T>(i));
            }

            if (i < end)
            {
                local.Backward(new LastVector<T>(i, end - i));
            }
        }
    }

    // Double values add into a double vector; float values into a float vector per block of 128 vectors, which
    // is then widened into two double vectors (unrolling into several accumulators measured slower: the fused
    // body, not the add's latency, is the bottleneck; docs/benchmarks.md, "Figures behind the runtime's code").
    // A block's loop counts elements only: with a second counter of its vectors the JIT also broadcast the
    // scale inside the loop, an instruction a vector more than a hand-written loop (docs/benchmarks.md, Huber).
    private readonly struct MeanLoop<TKernel> : IReductionLoop<TKernel>
        where TKernel : IElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static double Run(ref TKernel kernel, int start, int end, T scale)
        {
            var local = kernel;
            local.Prepare(scale);
            int i = start;
            double total;
            if (typeof(T) == typeof(double))
            {
                var sum = Vector<T>.Zero;
                for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
                {
                    sum += local.Mean(new WholeVector<T>(i));
                }

                var whole = Vector.Sum(sum);
                total = Unsafe.As<T, double>(ref whole);
            }
            else
            {
                Vector<double> lower = Vector<double>.Zero, upper = Vector<double>.Zero;
                int vectors = (end - start) / Vector<T>.Count;
                while (vectors > 0)
                {
                    int count = Math.Min(vectors, 128);
                    vectors -= count;
                    var block = Vector<T>.Zero;
                    for (int blockEnd = i + (count * Vector<T>.Count); i < blockEnd; i += Vector<T>.Count)
                    {
                        block += local.Mean(new WholeVector<T>(i));
                    }

                    var floats = block.As<T, float>();
                    lower += Vector.WidenLower(floats);
                    upper += Vector.WidenUpper(floats);
                }

                total = Vector.Sum(lower + upper);
            }

            if (i < end)
            {
                var last = new LastVector<T>(i, end - i);
                var rest = Vector.Sum(last.Keep(local.Mean(last)));
                total += typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref rest) : Unsafe.As<T, double>(ref rest);
            }

            return total;
        }
    }

    private readonly struct ForwardWideLoop<TKernel> : ILoop<TKernel>
        where TKernel : IWideElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run(ref TKernel kernel, int start, int end)
        {
            int i = start;
            if (Wide)
            {
                var local = kernel;
                local.Prepare(Scalars<T>.One);
                for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
                {
                    local.Forward512(new WideVector<T>(i));
                }
            }

            ForwardLoop<TKernel>.Run(ref kernel, i, end);
        }
    }

    private readonly struct BackwardWideLoop<TKernel> : ILoop<TKernel>
        where TKernel : IWideElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run(ref TKernel kernel, int start, int end)
        {
            int i = start;
            if (Wide)
            {
                var local = kernel;
                local.Prepare(Scalars<T>.One);
                for (; i <= end - Vector512<T>.Count; i += Vector512<T>.Count)
                {
                    local.Backward512(new WideVector<T>(i));
                }
            }

            BackwardLoop<TKernel>.Run(ref kernel, i, end);
        }
    }

    private readonly struct MeanWideLoop<TKernel> : IReductionLoop<TKernel>
        where TKernel : IWideElementwiseKernel<T>, allows ref struct
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static double Run(ref TKernel kernel, int start, int end, T scale)
        {
            int i = start;
            double total = 0;
            if (Wide && typeof(T) == typeof(float))
            {
                var local = kernel;
                local.Prepare(scale);
                Vector512<double> lower = Vector512<double>.Zero, upper = Vector512<double>.Zero;
                int vectors = (end - start) / Vector512<T>.Count;
                while (vectors > 0)
                {
                    int count = Math.Min(vectors, 128);
                    vectors -= count;
                    var block = Vector512<T>.Zero;
                    for (int blockEnd = i + (count * Vector512<T>.Count); i < blockEnd; i += Vector512<T>.Count)
                    {
                        block += local.Mean512(new WideVector<T>(i));
                    }

                    var floats = block.As<T, float>();
                    lower += Vector512.WidenLower(floats);
                    upper += Vector512.WidenUpper(floats);
                }

                total = Vector512.Sum(lower + upper);
            }

            return total + MeanLoop<TKernel>.Run(ref kernel, i, end, scale);
        }
    }

    // A JIT-time constant: whether the 512-bit loop runs (512-bit vectors accelerated, Vector<T> narrower).
    private static bool Wide => Vector512.IsHardwareAccelerated && Vector<T>.Count < Vector512<T>.Count;
}

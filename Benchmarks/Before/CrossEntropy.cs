// The batch forms of a cross-entropy row loss as the generator wrote them before their loops over rows moved into
// the runtime (commit 15d563f; its snapshot Every_form_of_a_row_loss_with_a_log_sum_exp_and_an_index), kept as they
// were generated, without the Hessian-vector product and operator forms, for the "before" rows of
// RowLoopBenchmarks: each form with its own loop over rows, parallel part and parts struct. Not maintained; do not
// edit.
#pragma warning disable
#nullable disable

namespace AutoDiff.Benchmarks.Before;

/// <summary>The batch forms of CrossEntropy as generated before the runtime's row loops.</summary>
public static partial class BeforeCrossEntropy
{
    /// <summary>The scalar method the batch forms apply to each row: log Σ exp(logits) − logits[target].</summary>
    public static float CrossEntropy(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - logits[target];

    /// <summary>Computes <see cref="CrossEntropy(global::System.ReadOnlySpan{float}, int)"/> of one row and its gradient: the value is returned, and ∂CrossEntropy/∂x for each element of each differentiable span is written to its <c>d</c> span.</summary>
    /// <param name="logits">The row <c>logits</c> (differentiable).</param>
    /// <param name="target">The index <c>target</c> into the row.</param>
    /// <param name="dLogits">Receives ∂CrossEntropy/∂logits, one entry per element. It may be <c>logits</c> itself.</param>
    /// <exception cref="global::System.ArgumentException">The spans differ in length, or an output span partially overlaps an input; nothing is written then.</exception>
    /// <exception cref="global::System.ArgumentOutOfRangeException">An index is outside the row.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float CrossEntropyGradient(global::System.ReadOnlySpan<float> logits, int target, global::System.Span<float> dLogits)
    {
        int n = logits.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dLogits.Length, nameof(dLogits), nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.Index(target, n, nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logits, dLogits, nameof(dLogits), nameof(logits));
        return n > 0 && n < global::System.Numerics.Vector<float>.Count ? CrossEntropyTinyRow(logits, target, 1f, dLogits) : n > global::System.Numerics.Vector<float>.Count && n <= 2 * global::System.Numerics.Vector<float>.Count ? CrossEntropyShortRow(logits, target, 1f, dLogits) : CrossEntropyRow(logits, target, 1f, dLogits);
    }

    /// <summary>Writes <see cref="CrossEntropy(global::System.ReadOnlySpan{float}, int)"/> of every row of a batch into <paramref name="destination"/> (the reduction PyTorch calls 'none').</summary>
    /// <param name="rows">The number of rows; every matrix holds rows × columns elements, row after row.</param>
    /// <param name="logits">The matrix of rows <c>logits</c> (differentiable).</param>
    /// <param name="target">The index <c>target</c> of each row.</param>
    /// <param name="destination">Receives one value per row.</param>
    /// <exception cref="global::System.ArgumentException">A matrix is not rows × columns, the per-row spans do not have one entry per row, or an output partially overlaps an input; nothing is written then.</exception>
    /// <exception cref="global::System.ArgumentOutOfRangeException">An index is outside its row, or rows is negative.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void CrossEntropy(int rows, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.Span<float> destination)
    {
        int columns = global::AutoDiff.CompilerServices.KernelGuard.Columns(rows, logits.Length, nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, target.Length, nameof(target), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, destination.Length, nameof(destination), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.Indices(target, columns, nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logits, destination, nameof(destination), nameof(logits));
        int parts = global::System.Math.Min(rows, global::AutoDiff.Threading.KernelPool.PartsFor(logits.Length, 16_384));
        if (parts > 1)
        {
            CrossEntropyForwardParallel(rows, parts, columns, logits, target, destination);
        }
        else
        {
            CrossEntropyForwardRows(0, rows, columns, logits, target, destination);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void CrossEntropyForwardRows(int from, int to, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.Span<float> destination)
    {
        for (int r = from; r < to; r++)
        {
            int offset = r * columns;
            destination[r] = CrossEntropyRowValue(logits.Slice(offset, columns), target[r]);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CrossEntropyForwardParallel(int rows, int parts, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.Span<float> destination)
    {
        var job = new CrossEntropyForwardRowParts { columns = columns, logits = logits, target = target, destination = destination };
        global::AutoDiff.Threading.KernelPool.Run(ref job, rows, parts);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct CrossEntropyForwardRowParts : global::AutoDiff.Threading.IRangeKernel
    {
        public int columns;
        public global::System.ReadOnlySpan<float> logits;
        public global::System.ReadOnlySpan<int> target;
        public global::System.Span<float> destination;
        public void Execute(int part, int start, int end) => CrossEntropyForwardRows(start, end, columns, logits, target, destination);
    }

    /// <summary>The backward kernel of <see cref="CrossEntropy(global::System.ReadOnlySpan{float}, int)"/> over a batch: for each row, the upstream gradient times the row's gradient.</summary>
    /// <param name="rows">The number of rows; every matrix holds rows × columns elements, row after row.</param>
    /// <param name="logits">The matrix of rows <c>logits</c> (differentiable).</param>
    /// <param name="target">The index <c>target</c> of each row.</param>
    /// <param name="upstream">The gradient of the final loss with respect to each row's value.</param>
    /// <param name="dLogits">Receives upstream[r]·∂CrossEntropy/∂logits for every element of every row r.</param>
    /// <exception cref="global::System.ArgumentException">A matrix is not rows × columns, the per-row spans do not have one entry per row, or an output partially overlaps an input; nothing is written then.</exception>
    /// <exception cref="global::System.ArgumentOutOfRangeException">An index is outside its row, or rows is negative.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void CrossEntropyBackward(int rows, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogits)
    {
        int columns = global::AutoDiff.CompilerServices.KernelGuard.Columns(rows, logits.Length, nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(logits.Length, dLogits.Length, nameof(dLogits), nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, target.Length, nameof(target), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, upstream.Length, nameof(upstream), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.Indices(target, columns, nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logits, dLogits, nameof(dLogits), nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(upstream, dLogits, nameof(dLogits), nameof(upstream));
        int parts = global::System.Math.Min(rows, global::AutoDiff.Threading.KernelPool.PartsFor(logits.Length, 16_384));
        if (parts > 1)
        {
            CrossEntropyBackwardParallel(rows, parts, columns, logits, target, upstream, dLogits);
        }
        else
        {
            CrossEntropyBackwardRows(0, rows, columns, logits, target, upstream, dLogits);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void CrossEntropyBackwardRows(int from, int to, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogits)
    {
        if (columns > 0 && columns < global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                CrossEntropyTinyRow(logits.Slice(offset, columns), target[r], upstream[r], dLogits.Slice(offset, columns));
            }
            return;
        }
        if (columns > global::System.Numerics.Vector<float>.Count && columns <= 2 * global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                CrossEntropyShortRow(logits.Slice(offset, columns), target[r], upstream[r], dLogits.Slice(offset, columns));
            }
            return;
        }
        for (int r = from; r < to; r++)
        {
            int offset = r * columns;
            CrossEntropyRow(logits.Slice(offset, columns), target[r], upstream[r], dLogits.Slice(offset, columns));
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void CrossEntropyBackwardParallel(int rows, int parts, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogits)
    {
        var job = new CrossEntropyBackwardRowParts { columns = columns, logits = logits, target = target, upstream = upstream, dLogits = dLogits };
        global::AutoDiff.Threading.KernelPool.Run(ref job, rows, parts);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct CrossEntropyBackwardRowParts : global::AutoDiff.Threading.IRangeKernel
    {
        public int columns;
        public global::System.ReadOnlySpan<float> logits;
        public global::System.ReadOnlySpan<int> target;
        public global::System.ReadOnlySpan<float> upstream;
        public global::System.Span<float> dLogits;
        public void Execute(int part, int start, int end) => CrossEntropyBackwardRows(start, end, columns, logits, target, upstream, dLogits);
    }

    /// <summary>Fused value and gradient: returns the sum of <see cref="CrossEntropy(global::System.ReadOnlySpan{float}, int)"/> over the rows of a batch and writes its gradient.</summary>
    /// <param name="rows">The number of rows; every matrix holds rows × columns elements, row after row.</param>
    /// <param name="logits">The matrix of rows <c>logits</c> (differentiable).</param>
    /// <param name="target">The index <c>target</c> of each row.</param>
    /// <param name="dLogits">Receives ∂sum/∂logits = ∂CrossEntropy/∂logits for every element of every row.</param>
    /// <exception cref="global::System.ArgumentException">A matrix is not rows × columns, the per-row spans do not have one entry per row, or an output partially overlaps an input; nothing is written then.</exception>
    /// <exception cref="global::System.ArgumentOutOfRangeException">An index is outside its row, or rows is negative.</exception>
    /// <remarks>The rows' values are added in double, in parts that depend on the batch's size alone, so the result does not depend on the number of threads.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float CrossEntropySum(int rows, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.Span<float> dLogits)
    {
        int columns = global::AutoDiff.CompilerServices.KernelGuard.Columns(rows, logits.Length, nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(logits.Length, dLogits.Length, nameof(dLogits), nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, target.Length, nameof(target), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.Indices(target, columns, nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logits, dLogits, nameof(dLogits), nameof(logits));
        float scale = 1f;
        int parts = global::System.Math.Min(rows, global::AutoDiff.Threading.KernelPool.PartsFor(logits.Length, 16_384));
        double total = parts > 1 ? CrossEntropySumParallel(rows, parts, columns, logits, target, scale, dLogits) : CrossEntropySumRows(0, rows, columns, logits, target, scale, dLogits);
        return (float)total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double CrossEntropySumRows(int from, int to, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, float scale, global::System.Span<float> dLogits)
    {
        double total = 0;
        if (columns > 0 && columns < global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                total += CrossEntropyTinyRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
            }
            return total;
        }
        if (columns > global::System.Numerics.Vector<float>.Count && columns <= 2 * global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                total += CrossEntropyShortRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
            }
            return total;
        }
        for (int r = from; r < to; r++)
        {
            int offset = r * columns;
            total += CrossEntropyRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
        }
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double CrossEntropySumParallel(int rows, int parts, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, float scale, global::System.Span<float> dLogits)
    {
        global::System.Span<double> partials = stackalloc double[parts];
        var job = new CrossEntropySumRowParts { columns = columns, logits = logits, target = target, scale = scale, dLogits = dLogits, partials = partials };
        global::AutoDiff.Threading.KernelPool.Run(ref job, rows, parts);
        double total = 0;
        foreach (var part in partials) total += part;
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct CrossEntropySumRowParts : global::AutoDiff.Threading.IRangeKernel
    {
        public int columns;
        public global::System.ReadOnlySpan<float> logits;
        public global::System.ReadOnlySpan<int> target;
        public float scale;
        public global::System.Span<float> dLogits;
        public global::System.Span<double> partials;
        public void Execute(int part, int start, int end) => partials[part] = CrossEntropySumRows(start, end, columns, logits, target, scale, dLogits);
    }

    /// <summary>Fused value and gradient: returns the mean of <see cref="CrossEntropy(global::System.ReadOnlySpan{float}, int)"/> over the rows of a batch (NaN when there are none) and writes its gradient.</summary>
    /// <param name="rows">The number of rows; every matrix holds rows × columns elements, row after row.</param>
    /// <param name="logits">The matrix of rows <c>logits</c> (differentiable).</param>
    /// <param name="target">The index <c>target</c> of each row.</param>
    /// <param name="dLogits">Receives ∂mean/∂logits = (1/rows)·∂CrossEntropy/∂logits for every element of every row.</param>
    /// <exception cref="global::System.ArgumentException">A matrix is not rows × columns, the per-row spans do not have one entry per row, or an output partially overlaps an input; nothing is written then.</exception>
    /// <exception cref="global::System.ArgumentOutOfRangeException">An index is outside its row, or rows is negative.</exception>
    /// <remarks>The rows' values are added in double, in parts that depend on the batch's size alone, so the result does not depend on the number of threads.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float CrossEntropyMean(int rows, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, global::System.Span<float> dLogits)
    {
        int columns = global::AutoDiff.CompilerServices.KernelGuard.Columns(rows, logits.Length, nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(logits.Length, dLogits.Length, nameof(dLogits), nameof(logits));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(rows, target.Length, nameof(target), nameof(rows));
        global::AutoDiff.CompilerServices.KernelGuard.Indices(target, columns, nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logits, dLogits, nameof(dLogits), nameof(logits));
        float scale = 1f / rows;
        int parts = global::System.Math.Min(rows, global::AutoDiff.Threading.KernelPool.PartsFor(logits.Length, 16_384));
        double total = parts > 1 ? CrossEntropyMeanParallel(rows, parts, columns, logits, target, scale, dLogits) : CrossEntropyMeanRows(0, rows, columns, logits, target, scale, dLogits);
        return (float)(total / rows);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double CrossEntropyMeanRows(int from, int to, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, float scale, global::System.Span<float> dLogits)
    {
        double total = 0;
        if (columns > 0 && columns < global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                total += CrossEntropyTinyRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
            }
            return total;
        }
        if (columns > global::System.Numerics.Vector<float>.Count && columns <= 2 * global::System.Numerics.Vector<float>.Count)
        {
            for (int r = from; r < to; r++)
            {
                int offset = r * columns;
                total += CrossEntropyShortRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
            }
            return total;
        }
        for (int r = from; r < to; r++)
        {
            int offset = r * columns;
            total += CrossEntropyRow(logits.Slice(offset, columns), target[r], scale, dLogits.Slice(offset, columns));
        }
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double CrossEntropyMeanParallel(int rows, int parts, int columns, global::System.ReadOnlySpan<float> logits, global::System.ReadOnlySpan<int> target, float scale, global::System.Span<float> dLogits)
    {
        global::System.Span<double> partials = stackalloc double[parts];
        var job = new CrossEntropyMeanRowParts { columns = columns, logits = logits, target = target, scale = scale, dLogits = dLogits, partials = partials };
        global::AutoDiff.Threading.KernelPool.Run(ref job, rows, parts);
        double total = 0;
        foreach (var part in partials) total += part;
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct CrossEntropyMeanRowParts : global::AutoDiff.Threading.IRangeKernel
    {
        public int columns;
        public global::System.ReadOnlySpan<float> logits;
        public global::System.ReadOnlySpan<int> target;
        public float scale;
        public global::System.Span<float> dLogits;
        public global::System.Span<double> partials;
        public void Execute(int part, int start, int end) => partials[part] = CrossEntropyMeanRows(start, end, columns, logits, target, scale, dLogits);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float CrossEntropyRow(global::System.ReadOnlySpan<float> logits, int target, float scale, global::System.Span<float> dLogits)
    {
        int n = logits.Length;
        float lengthF = n;
        ref float logitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
        ref float dLogitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogits);
        var atTarget = logits[target];
        var maxV = new global::System.Numerics.Vector<float>(float.NegativeInfinity);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var logitsV = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)i);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV);
        }
        if (i < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last = n - global::System.Numerics.Vector<float>.Count;
            var logitsV1 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)last);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV1);
            i = n;
        }
        if (i < n)
        {
            var logitsV2 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref logitsRef, n);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV2);
            i = n;
        }
        float max = global::AutoDiff.CompilerServices.Lanes.MaxAcross(maxV);
        var absMax = global::System.MathF.Abs(max);
        var condition = absMax == float.PositiveInfinity;
        var choice = condition ? 0f : max;
        var cVector = new global::System.Numerics.Vector<float>(choice);
        var sumV = global::System.Numerics.Vector<float>.Zero;
        int i1 = 0;
        for (; i1 <= n - global::System.Numerics.Vector<float>.Count; i1 += global::System.Numerics.Vector<float>.Count)
        {
            var logitsV3 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)i1);
            var exp = global::AutoDiff.AD.Exp(logitsV3 - cVector);
            global::System.Numerics.Vector.StoreUnsafe(exp, ref dLogitsRef, (nuint)i1);
            sumV += exp;
        }
        if (i1 < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last1 = n - global::System.Numerics.Vector<float>.Count;
            var fresh = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last1), new global::System.Numerics.Vector<int>(i1));
            var logitsV4 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)last1);
            var exp = global::AutoDiff.AD.Exp(logitsV4 - cVector);
            global::System.Numerics.Vector.StoreUnsafe(global::System.Numerics.Vector.ConditionalSelect(fresh, exp, global::System.Numerics.Vector.LoadUnsafe(ref dLogitsRef, (nuint)last1)), ref dLogitsRef, (nuint)last1);
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh, exp, global::System.Numerics.Vector<float>.Zero);
            i1 = n;
        }
        if (i1 < n)
        {
            var fresh1 = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n));
            var logitsV5 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref logitsRef, n);
            var exp = global::AutoDiff.AD.Exp(logitsV5 - cVector);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(exp, ref dLogitsRef, n);
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh1, exp, global::System.Numerics.Vector<float>.Zero);
            i1 = n;
        }
        float sum = global::System.Numerics.Vector.Sum(sumV);
        var logSum = global::System.MathF.Log(sum);
        var sum1 = choice + logSum;
        var difference = sum1 - atTarget;
        var neg = -scale;
        var quotient = scale / sum;
        int i2 = 0;
        for (; i2 <= n - global::System.Numerics.Vector<float>.Count; i2 += global::System.Numerics.Vector<float>.Count)
        {
            var stored = global::System.Numerics.Vector.LoadUnsafe(ref dLogitsRef, (nuint)i2);
            global::System.Numerics.Vector.StoreUnsafe(stored * quotient, ref dLogitsRef, (nuint)i2);
        }
        if (i2 < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last2 = n - global::System.Numerics.Vector<float>.Count;
            var fresh2 = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last2), new global::System.Numerics.Vector<int>(i2));
            var stored1 = global::System.Numerics.Vector.LoadUnsafe(ref dLogitsRef, (nuint)last2);
            global::System.Numerics.Vector.StoreUnsafe(global::System.Numerics.Vector.ConditionalSelect(fresh2, stored1 * quotient, global::System.Numerics.Vector.LoadUnsafe(ref dLogitsRef, (nuint)last2)), ref dLogitsRef, (nuint)last2);
            i2 = n;
        }
        if (i2 < n)
        {
            var stored2 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref dLogitsRef, n);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(stored2 * quotient, ref dLogitsRef, n);
            i2 = n;
        }
        global::System.Runtime.CompilerServices.Unsafe.Add(ref dLogitsRef, target) += neg;
        return difference;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float CrossEntropyShortRow(global::System.ReadOnlySpan<float> logits, int target, float scale, global::System.Span<float> dLogits)
    {
        int n = logits.Length;
        float lengthF = n;
        ref float logitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
        ref float dLogitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogits);
        var atTarget = logits[target];
        int last = n - global::System.Numerics.Vector<float>.Count;
        var fresh = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last), new global::System.Numerics.Vector<int>(global::System.Numerics.Vector<float>.Count));
        var logitsFirst = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef);
        var logitsLast = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)last);
        float max = global::AutoDiff.CompilerServices.Lanes.MaxAcross(global::System.Numerics.Vector.Max(logitsFirst, logitsLast));
        var absMax = global::System.MathF.Abs(max);
        var condition = absMax == float.PositiveInfinity;
        var choice = condition ? 0f : max;
        var cVector = new global::System.Numerics.Vector<float>(choice);
        global::System.Numerics.Vector<float> sumV, kept;
        {
            var exp = global::AutoDiff.AD.Exp(logitsFirst - cVector);
            sumV = exp;
            kept = exp;
        }
        global::System.Numerics.Vector<float> sumV1, kept1;
        {
            var exp = global::AutoDiff.AD.Exp(logitsLast - cVector);
            sumV1 = exp;
            kept1 = exp;
        }
        float sum = global::System.Numerics.Vector.Sum(sumV + global::System.Numerics.Vector.ConditionalSelect(fresh, sumV1, global::System.Numerics.Vector<float>.Zero));
        var logSum = global::System.MathF.Log(sum);
        var sum1 = choice + logSum;
        var difference = sum1 - atTarget;
        var neg = -scale;
        var quotient = scale / sum;
        global::System.Numerics.Vector.StoreUnsafe(kept * quotient, ref dLogitsRef);
        global::System.Numerics.Vector.StoreUnsafe(kept1 * quotient, ref dLogitsRef, (nuint)last);
        global::System.Runtime.CompilerServices.Unsafe.Add(ref dLogitsRef, target) += neg;
        return difference;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float CrossEntropyTinyRow(global::System.ReadOnlySpan<float> logits, int target, float scale, global::System.Span<float> dLogits)
    {
        int n = logits.Length;
        float lengthF = n;
        ref float logitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
        ref float dLogitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogits);
        var atTarget = logits[target];
        var fresh = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n));
        var logitsFirst = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref logitsRef, n);
        float max = global::AutoDiff.CompilerServices.Lanes.MaxAcross(logitsFirst);
        var absMax = global::System.MathF.Abs(max);
        var condition = absMax == float.PositiveInfinity;
        var choice = condition ? 0f : max;
        var cVector = new global::System.Numerics.Vector<float>(choice);
        global::System.Numerics.Vector<float> sumV, kept;
        {
            var exp = global::AutoDiff.AD.Exp(logitsFirst - cVector);
            sumV = exp;
            kept = exp;
        }
        float sum = global::System.Numerics.Vector.Sum(global::System.Numerics.Vector.ConditionalSelect(fresh, sumV, global::System.Numerics.Vector<float>.Zero));
        var logSum = global::System.MathF.Log(sum);
        var sum1 = choice + logSum;
        var difference = sum1 - atTarget;
        var neg = -scale;
        var quotient = scale / sum;
        global::AutoDiff.CompilerServices.Lanes.StoreHead(kept * quotient, ref dLogitsRef, n);
        global::System.Runtime.CompilerServices.Unsafe.Add(ref dLogitsRef, target) += neg;
        return difference;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float CrossEntropyRowValue(global::System.ReadOnlySpan<float> logits, int target)
    {
        int n = logits.Length;
        float lengthF = n;
        ref float logitsRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
        var atTarget = logits[target];
        var maxV = new global::System.Numerics.Vector<float>(float.NegativeInfinity);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var logitsV = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)i);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV);
        }
        if (i < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last = n - global::System.Numerics.Vector<float>.Count;
            var logitsV1 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)last);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV1);
            i = n;
        }
        if (i < n)
        {
            var logitsV2 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref logitsRef, n);
            maxV = global::System.Numerics.Vector.Max(maxV, logitsV2);
            i = n;
        }
        float max = global::AutoDiff.CompilerServices.Lanes.MaxAcross(maxV);
        var absMax = global::System.MathF.Abs(max);
        var condition = absMax == float.PositiveInfinity;
        var choice = condition ? 0f : max;
        var cVector = new global::System.Numerics.Vector<float>(choice);
        var sumV = global::System.Numerics.Vector<float>.Zero;
        int i1 = 0;
        for (; i1 <= n - global::System.Numerics.Vector<float>.Count; i1 += global::System.Numerics.Vector<float>.Count)
        {
            var logitsV3 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)i1);
            sumV += global::AutoDiff.AD.Exp(logitsV3 - cVector);
        }
        if (i1 < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last1 = n - global::System.Numerics.Vector<float>.Count;
            var fresh = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last1), new global::System.Numerics.Vector<int>(i1));
            var logitsV4 = global::System.Numerics.Vector.LoadUnsafe(ref logitsRef, (nuint)last1);
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh, global::AutoDiff.AD.Exp(logitsV4 - cVector), global::System.Numerics.Vector<float>.Zero);
            i1 = n;
        }
        if (i1 < n)
        {
            var fresh1 = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n));
            var logitsV5 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref logitsRef, n);
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh1, global::AutoDiff.AD.Exp(logitsV5 - cVector), global::System.Numerics.Vector<float>.Zero);
            i1 = n;
        }
        float sum = global::System.Numerics.Vector.Sum(sumV);
        var logSum = global::System.MathF.Log(sum);
        var sum1 = choice + logSum;
        var difference = sum1 - atTarget;
        return difference;
    }
}

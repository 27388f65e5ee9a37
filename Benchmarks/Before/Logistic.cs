// The kernels the generator wrote before its loops moved into the runtime (commit 4232d9d), kept as they were
// generated (their snapshots at that commit; only the namespace of the plumbing they call updated since) for the
// "before" rows of KernelLoopBenchmarks: the lanes and the span forms, each with its own loops, parallel parts and
// Vector512 loop. Not maintained; do not edit.
#pragma warning disable
#nullable disable

namespace AutoDiff.Benchmarks.Before;

/// <summary>The span forms of Logistic as generated before the runtime's loops.</summary>
public static partial class BeforeLogistic
{
    /// <summary>The scalar method the span forms apply to each element.</summary>
    public static float Logistic(float target, float logit) => AD.Softplus(logit) - target * logit;

    /// <summary>Computes <see cref="Logistic(float, float)"/> in every lane of a <see cref="global::System.Numerics.Vector{T}"/>.</summary>
    /// <param name="target">One element per lane: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per lane: the differentiable input <c>logit</c> of Logistic.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> Logistic(global::System.Numerics.Vector<float> target, global::System.Numerics.Vector<float> logit)
    {
        return global::AutoDiff.AD.Softplus(logit) - logit * target;
    }

    /// <summary>Computes <see cref="Logistic(float, float)"/> and its gradient in every lane of a <see cref="global::System.Numerics.Vector{T}"/>.</summary>
    /// <param name="target">One element per lane: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per lane: the differentiable input <c>logit</c> of Logistic.</param>
    /// <param name="dLogit">∂Logistic/∂logit.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> LogisticGradient(global::System.Numerics.Vector<float> target, global::System.Numerics.Vector<float> logit, out global::System.Numerics.Vector<float> dLogit)
    {
        var t1 = global::AutoDiff.AD.SoftplusGradient(logit, out var t9);
        dLogit = t9 - target;
        return t1 - logit * target;
    }

    /// <summary>Writes <see cref="Logistic(float, float)"/> of every element into <paramref name="destination"/>.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per entry: the differentiable input <c>logit</c> of Logistic.</param>
    /// <param name="destination">Receives the value of each element. It may be one of the inputs (in place), but must not partially overlap one.</param>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void Logistic(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> destination)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, logit.Length, nameof(logit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, destination.Length, nameof(destination), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, destination, nameof(destination), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logit, destination, nameof(destination), nameof(logit));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n, 32768);
        if (parts > 1)
        {
            LogisticForwardParallel(target, logit, destination, parts);
            return;
        }
        LogisticForwardCore(target, logit, destination);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void LogisticForwardParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> destination, int parts)
    {
        var job = new LogisticForwardParts { target = target, logit = logit, destination = destination };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void LogisticForwardCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> destination)
    {
        if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && global::System.Numerics.Vector<float>.Count < global::System.Runtime.Intrinsics.Vector512<float>.Count && target.Length >= global::System.Runtime.Intrinsics.Vector512<float>.Count)
        {
            LogisticForwardWide(target, logit, destination);
            return;
        }
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float destinationRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var logitV = global::System.Numerics.Vector.LoadUnsafe(ref logitRef, (nuint)i);
            var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
            global::System.Numerics.Vector.StoreUnsafe(global::AutoDiff.AD.Softplus(logitV) - logitV * targetV, ref destinationRef, (nuint)i);
        }
        if (i < n)
        {
            var logitV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref logitRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(global::AutoDiff.AD.Softplus(logitV) - logitV * targetV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref destinationRef, i), n - i);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void LogisticForwardWide(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> destination)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float destinationRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= n - global::System.Runtime.Intrinsics.Vector512<float>.Count; i += global::System.Runtime.Intrinsics.Vector512<float>.Count)
        {
            var logitV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref logitRef, (nuint)i);
            var targetV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref targetRef, (nuint)i);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::AutoDiff.AD.Softplus(logitV) - logitV * targetV, ref destinationRef, (nuint)i);
        }
        LogisticForwardCore(target.Slice(i), logit.Slice(i), destination.Slice(i));
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct LogisticForwardParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> logit;
        public global::System.Span<float> destination;
        public void Execute(int part, int start, int end) => LogisticForwardCore(target.Slice(start, end - start), logit.Slice(start, end - start), destination.Slice(start, end - start));
    }

    /// <summary>The backward (vector-Jacobian) kernel of <see cref="Logistic(float, float)"/>: for each element, the upstream gradient times the partial derivatives.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per entry: the differentiable input <c>logit</c> of Logistic.</param>
    /// <param name="upstream">The gradient of the final loss with respect to each element's value.</param>
    /// <param name="dLogit">Receives upstream ⊙ ∂Logistic/∂logit for each element.</param>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void LogisticBackward(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogit)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, logit.Length, nameof(logit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, upstream.Length, nameof(upstream), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dLogit.Length, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dLogit, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logit, dLogit, nameof(dLogit), nameof(logit));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(upstream, dLogit, nameof(dLogit), nameof(upstream));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n, 32768);
        if (parts > 1)
        {
            LogisticBackwardParallel(target, logit, upstream, dLogit, parts);
            return;
        }
        LogisticBackwardCore(target, logit, upstream, dLogit);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void LogisticBackwardParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogit, int parts)
    {
        var job = new LogisticBackwardParts { target = target, logit = logit, upstream = upstream, dLogit = dLogit };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void LogisticBackwardCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogit)
    {
        if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && global::System.Numerics.Vector<float>.Count < global::System.Runtime.Intrinsics.Vector512<float>.Count && target.Length >= global::System.Runtime.Intrinsics.Vector512<float>.Count)
        {
            LogisticBackwardWide(target, logit, upstream, dLogit);
            return;
        }
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float upstreamRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(upstream);
        ref float dLogitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogit);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var logitV = global::System.Numerics.Vector.LoadUnsafe(ref logitRef, (nuint)i);
            var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
            var upstreamV = global::System.Numerics.Vector.LoadUnsafe(ref upstreamRef, (nuint)i);
            var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
            global::System.Numerics.Vector.StoreUnsafe((t9 - targetV) * upstreamV, ref dLogitRef, (nuint)i);
        }
        if (i < n)
        {
            var logitV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref logitRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            var upstreamV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref upstreamRef, i), n - i);
            var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
            global::AutoDiff.CompilerServices.Lanes.StoreHead((t9 - targetV) * upstreamV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dLogitRef, i), n - i);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void LogisticBackwardWide(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dLogit)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float upstreamRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(upstream);
        ref float dLogitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogit);
        int i = 0;
        for (; i <= n - global::System.Runtime.Intrinsics.Vector512<float>.Count; i += global::System.Runtime.Intrinsics.Vector512<float>.Count)
        {
            var logitV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref logitRef, (nuint)i);
            var targetV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref targetRef, (nuint)i);
            var upstreamV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref upstreamRef, (nuint)i);
            var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe((t9 - targetV) * upstreamV, ref dLogitRef, (nuint)i);
        }
        LogisticBackwardCore(target.Slice(i), logit.Slice(i), upstream.Slice(i), dLogit.Slice(i));
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct LogisticBackwardParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> logit;
        public global::System.ReadOnlySpan<float> upstream;
        public global::System.Span<float> dLogit;
        public void Execute(int part, int start, int end) => LogisticBackwardCore(target.Slice(start, end - start), logit.Slice(start, end - start), upstream.Slice(start, end - start), dLogit.Slice(start, end - start));
    }

    /// <summary>Fused value and gradient in one pass: returns the sum of <see cref="Logistic(float, float)"/> over the elements and writes its gradient.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per entry: the differentiable input <c>logit</c> of Logistic.</param>
    /// <param name="dLogit">Receives ∂sum/∂logit = ∂Logistic/∂logit for each element.</param>
    /// <remarks>The sum is accumulated in double, in parts of fixed size, so it stays accurate over millions of elements and does not depend on the number of threads.</remarks>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float LogisticSum(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> dLogit)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, logit.Length, nameof(logit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dLogit.Length, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dLogit, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logit, dLogit, nameof(dLogit), nameof(logit));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n, 32768);
        if (parts > 1)
        {
            return (float)(LogisticMeanParallel(target, logit, dLogit, 1f, parts));
        }
        return (float)(LogisticMeanCore(target, logit, dLogit, 1f));
    }

    /// <summary>Fused value and gradient in one pass: returns the mean of <see cref="Logistic(float, float)"/> over the elements (NaN when there are none) and writes its gradient.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Logistic.</param>
    /// <param name="logit">One element per entry: the differentiable input <c>logit</c> of Logistic.</param>
    /// <param name="dLogit">Receives ∂mean/∂logit = (1/N)·∂Logistic/∂logit for each element.</param>
    /// <remarks>The sum is accumulated in double, in parts of fixed size, so it stays accurate over millions of elements and does not depend on the number of threads.</remarks>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float LogisticMean(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> dLogit)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, logit.Length, nameof(logit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dLogit.Length, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dLogit, nameof(dLogit), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(logit, dLogit, nameof(dLogit), nameof(logit));
        float scale = 1f / n;
        double inverse = 1.0 / n;
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n, 32768);
        if (parts > 1)
        {
            return (float)((LogisticMeanParallel(target, logit, dLogit, scale, parts)) * inverse);
        }
        return (float)((LogisticMeanCore(target, logit, dLogit, scale)) * inverse);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double LogisticMeanParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> dLogit, float scale, int parts)
    {
        global::System.Span<double> partials = stackalloc double[parts];
        var job = new LogisticMeanParts { target = target, logit = logit, dLogit = dLogit, scale = scale, partials = partials };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
        double total = 0;
        foreach (var part in partials) total += part;
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double LogisticMeanCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> dLogit, float scale)
    {
        if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && global::System.Numerics.Vector<float>.Count < global::System.Runtime.Intrinsics.Vector512<float>.Count && target.Length >= global::System.Runtime.Intrinsics.Vector512<float>.Count)
        {
            return LogisticMeanWide(target, logit, dLogit, scale);
        }
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float dLogitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogit);
        int i = 0;
        global::System.Numerics.Vector<double> sumLower = global::System.Numerics.Vector<double>.Zero, sumUpper = global::System.Numerics.Vector<double>.Zero;
        int vectors = n / global::System.Numerics.Vector<float>.Count;
        while (vectors > 0)
        {
            int count = global::System.Math.Min(vectors, 128);
            vectors -= count;
            var block = global::System.Numerics.Vector<float>.Zero;
            for (int k = 0; k < count; k++, i += global::System.Numerics.Vector<float>.Count)
            {
                var logitV = global::System.Numerics.Vector.LoadUnsafe(ref logitRef, (nuint)i);
                var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
                var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
                global::System.Numerics.Vector.StoreUnsafe((t9 - targetV) * scale, ref dLogitRef, (nuint)i);
                block += t1 - logitV * targetV;
            }
            sumLower += global::System.Numerics.Vector.WidenLower(block);
            sumUpper += global::System.Numerics.Vector.WidenUpper(block);
        }
        if (i < n)
        {
            var fresh = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n - i));
            var rest = global::System.Numerics.Vector<float>.Zero;
            var logitV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref logitRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
            global::AutoDiff.CompilerServices.Lanes.StoreHead((t9 - targetV) * scale, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dLogitRef, i), n - i);
            rest += global::System.Numerics.Vector.ConditionalSelect(fresh, t1 - logitV * targetV, global::System.Numerics.Vector<float>.Zero);
            sumLower += global::System.Numerics.Vector.WidenLower(rest);
            sumUpper += global::System.Numerics.Vector.WidenUpper(rest);
        }
        return global::System.Numerics.Vector.Sum(sumLower + sumUpper);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double LogisticMeanWide(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> logit, global::System.Span<float> dLogit, float scale)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float logitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(logit);
        ref float dLogitRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dLogit);
        int i = 0;
        global::System.Runtime.Intrinsics.Vector512<double> sumLower = global::System.Runtime.Intrinsics.Vector512<double>.Zero, sumUpper = global::System.Runtime.Intrinsics.Vector512<double>.Zero;
        int vectors = n / global::System.Runtime.Intrinsics.Vector512<float>.Count;
        while (vectors > 0)
        {
            int count = global::System.Math.Min(vectors, 128);
            vectors -= count;
            var block = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            for (int k = 0; k < count; k++, i += global::System.Runtime.Intrinsics.Vector512<float>.Count)
            {
                var logitV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref logitRef, (nuint)i);
                var targetV = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref targetRef, (nuint)i);
                var t1 = global::AutoDiff.AD.SoftplusGradient(logitV, out var t9);
                global::System.Runtime.Intrinsics.Vector512.StoreUnsafe((t9 - targetV) * scale, ref dLogitRef, (nuint)i);
                block += t1 - logitV * targetV;
            }
            sumLower += global::System.Runtime.Intrinsics.Vector512.WidenLower(block);
            sumUpper += global::System.Runtime.Intrinsics.Vector512.WidenUpper(block);
        }
        return global::System.Runtime.Intrinsics.Vector512.Sum(sumLower + sumUpper) + LogisticMeanCore(target.Slice(i), logit.Slice(i), dLogit.Slice(i), scale);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct LogisticMeanParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> logit;
        public global::System.Span<float> dLogit;
        public float scale;
        public global::System.Span<double> partials;
        public void Execute(int part, int start, int end) => partials[part] = LogisticMeanCore(target.Slice(start, end - start), logit.Slice(start, end - start), dLogit.Slice(start, end - start), scale);
    }
}

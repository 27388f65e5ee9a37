// The kernels the generator wrote before its loops moved into the runtime (commit 4232d9d), kept as they were
// generated (their snapshots at that commit; only the namespace of the plumbing they call updated since) for the
// "before" rows of KernelLoopBenchmarks: the lanes and the span forms, each with its own loops, parallel parts and
// Vector512 loop. Not maintained; do not edit.
#pragma warning disable
#nullable disable

namespace AutoDiff.Benchmarks.Before;

/// <summary>The span forms of Huber as generated before the runtime's loops.</summary>
public static partial class BeforeHuber
{
    /// <summary>The scalar method the span forms apply to each element.</summary>
    public static float Huber(float target, float prediction, float delta)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        return a <= delta ? 0.5f * r * r : delta * (a - 0.5f * delta);
    }

    /// <summary>Computes <see cref="Huber(float, float, float)"/> in every lane of a <see cref="global::System.Numerics.Vector{T}"/>.</summary>
    /// <param name="target">One element per lane: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per lane: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> Huber(global::System.Numerics.Vector<float> target, global::System.Numerics.Vector<float> prediction, float delta)
    {
        var deltaVector = new global::System.Numerics.Vector<float>(delta);
        var cVector = new global::System.Numerics.Vector<float>(0.5f * delta);
        var r = prediction - target;
        var a = global::System.Numerics.Vector.Abs(r);
        return global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector), r * r * 0.5f, (a - cVector) * delta);
    }

    /// <summary>Computes <see cref="Huber(float, float, float)"/> and its gradient in every lane of a <see cref="global::System.Numerics.Vector{T}"/>.</summary>
    /// <param name="target">One element per lane: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per lane: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    /// <param name="dPrediction">∂Huber/∂prediction.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> HuberGradient(global::System.Numerics.Vector<float> target, global::System.Numerics.Vector<float> prediction, float delta, out global::System.Numerics.Vector<float> dPrediction)
    {
        var deltaVector = new global::System.Numerics.Vector<float>(delta);
        var cVector = new global::System.Numerics.Vector<float>(0.5f * delta);
        var r = prediction - target;
        var a = global::System.Numerics.Vector.Abs(r);
        var t6 = global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector);
        dPrediction = global::System.Numerics.Vector.ConditionalSelect(t6, r, global::AutoDiff.AD.Sign(r) * delta);
        return global::System.Numerics.Vector.ConditionalSelect(t6, r * r * 0.5f, (a - cVector) * delta);
    }

    /// <summary>Writes <see cref="Huber(float, float, float)"/> of every element into <paramref name="destination"/>.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per entry: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    /// <param name="destination">Receives the value of each element. It may be one of the inputs (in place), but must not partially overlap one.</param>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void Huber(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> destination)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, prediction.Length, nameof(prediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, destination.Length, nameof(destination), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, destination, nameof(destination), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(prediction, destination, nameof(destination), nameof(prediction));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n);
        if (parts > 1)
        {
            HuberForwardParallel(target, prediction, delta, destination, parts);
            return;
        }
        HuberForwardCore(target, prediction, delta, destination);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void HuberForwardParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> destination, int parts)
    {
        var job = new HuberForwardParts { target = target, prediction = prediction, delta = delta, destination = destination };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void HuberForwardCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> destination)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float predictionRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(prediction);
        ref float destinationRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        var t12 = 0.5f * delta;
        var deltaVector = new global::System.Numerics.Vector<float>(delta);
        var t12Vector = new global::System.Numerics.Vector<float>(t12);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var predictionV = global::System.Numerics.Vector.LoadUnsafe(ref predictionRef, (nuint)i);
            var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
            var r = predictionV - targetV;
            var a = global::System.Numerics.Vector.Abs(r);
            global::System.Numerics.Vector.StoreUnsafe(global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector), r * r * 0.5f, (a - t12Vector) * delta), ref destinationRef, (nuint)i);
        }
        if (i < n)
        {
            var predictionV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref predictionRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            var r = predictionV - targetV;
            var a = global::System.Numerics.Vector.Abs(r);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector), r * r * 0.5f, (a - t12Vector) * delta), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref destinationRef, i), n - i);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct HuberForwardParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> prediction;
        public float delta;
        public global::System.Span<float> destination;
        public void Execute(int part, int start, int end) => HuberForwardCore(target.Slice(start, end - start), prediction.Slice(start, end - start), delta, destination.Slice(start, end - start));
    }

    /// <summary>The backward (vector-Jacobian) kernel of <see cref="Huber(float, float, float)"/>: for each element, the upstream gradient times the partial derivatives.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per entry: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    /// <param name="upstream">The gradient of the final loss with respect to each element's value.</param>
    /// <param name="dPrediction">Receives upstream ⊙ ∂Huber/∂prediction for each element.</param>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static void HuberBackward(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dPrediction)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, prediction.Length, nameof(prediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, upstream.Length, nameof(upstream), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dPrediction.Length, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dPrediction, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(prediction, dPrediction, nameof(dPrediction), nameof(prediction));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(upstream, dPrediction, nameof(dPrediction), nameof(upstream));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n);
        if (parts > 1)
        {
            HuberBackwardParallel(target, prediction, delta, upstream, dPrediction, parts);
            return;
        }
        HuberBackwardCore(target, prediction, delta, upstream, dPrediction);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void HuberBackwardParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dPrediction, int parts)
    {
        var job = new HuberBackwardParts { target = target, prediction = prediction, delta = delta, upstream = upstream, dPrediction = dPrediction };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void HuberBackwardCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.ReadOnlySpan<float> upstream, global::System.Span<float> dPrediction)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float predictionRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(prediction);
        ref float upstreamRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(upstream);
        ref float dPredictionRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dPrediction);
        var deltaVector = new global::System.Numerics.Vector<float>(delta);
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var predictionV = global::System.Numerics.Vector.LoadUnsafe(ref predictionRef, (nuint)i);
            var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
            var upstreamV = global::System.Numerics.Vector.LoadUnsafe(ref upstreamRef, (nuint)i);
            var r = predictionV - targetV;
            var a = global::System.Numerics.Vector.Abs(r);
            global::System.Numerics.Vector.StoreUnsafe(global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector), r, global::AutoDiff.AD.Sign(r) * delta) * upstreamV, ref dPredictionRef, (nuint)i);
        }
        if (i < n)
        {
            var predictionV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref predictionRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            var upstreamV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref upstreamRef, i), n - i);
            var r = predictionV - targetV;
            var a = global::System.Numerics.Vector.Abs(r);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(global::System.Numerics.Vector.ConditionalSelect(global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector), r, global::AutoDiff.AD.Sign(r) * delta) * upstreamV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dPredictionRef, i), n - i);
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct HuberBackwardParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> prediction;
        public float delta;
        public global::System.ReadOnlySpan<float> upstream;
        public global::System.Span<float> dPrediction;
        public void Execute(int part, int start, int end) => HuberBackwardCore(target.Slice(start, end - start), prediction.Slice(start, end - start), delta, upstream.Slice(start, end - start), dPrediction.Slice(start, end - start));
    }

    /// <summary>Fused value and gradient in one pass: returns the sum of <see cref="Huber(float, float, float)"/> over the elements and writes its gradient.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per entry: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    /// <param name="dPrediction">Receives ∂sum/∂prediction = ∂Huber/∂prediction for each element.</param>
    /// <remarks>The sum is accumulated in double, in parts of fixed size, so it stays accurate over millions of elements and does not depend on the number of threads.</remarks>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float HuberSum(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> dPrediction)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, prediction.Length, nameof(prediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dPrediction.Length, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dPrediction, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(prediction, dPrediction, nameof(dPrediction), nameof(prediction));
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n);
        if (parts > 1)
        {
            return (float)(HuberMeanParallel(target, prediction, delta, dPrediction, 1f, parts));
        }
        return (float)(HuberMeanCore(target, prediction, delta, dPrediction, 1f));
    }

    /// <summary>Fused value and gradient in one pass: returns the mean of <see cref="Huber(float, float, float)"/> over the elements (NaN when there are none) and writes its gradient.</summary>
    /// <param name="target">One element per entry: the input that gets no gradient ([NoDiff]) <c>target</c> of Huber.</param>
    /// <param name="prediction">One element per entry: the differentiable input <c>prediction</c> of Huber.</param>
    /// <param name="delta">the constant shared by every element ([Constant]) <c>delta</c> of Huber.</param>
    /// <param name="dPrediction">Receives ∂mean/∂prediction = (1/N)·∂Huber/∂prediction for each element.</param>
    /// <remarks>The sum is accumulated in double, in parts of fixed size, so it stays accurate over millions of elements and does not depend on the number of threads.</remarks>
    /// <exception cref="global::System.ArgumentException">A span's length differs from the first span's, or an output partially overlaps an input; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float HuberMean(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> dPrediction)
    {
        int n = target.Length;
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, prediction.Length, nameof(prediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(n, dPrediction.Length, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(target, dPrediction, nameof(dPrediction), nameof(target));
        global::AutoDiff.CompilerServices.KernelGuard.NoPartialOverlap(prediction, dPrediction, nameof(dPrediction), nameof(prediction));
        float scale = 1f / n;
        double inverse = 1.0 / n;
        int parts = global::AutoDiff.Threading.KernelPool.PartsFor(n);
        if (parts > 1)
        {
            return (float)((HuberMeanParallel(target, prediction, delta, dPrediction, scale, parts)) * inverse);
        }
        return (float)((HuberMeanCore(target, prediction, delta, dPrediction, scale)) * inverse);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double HuberMeanParallel(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> dPrediction, float scale, int parts)
    {
        global::System.Span<double> partials = stackalloc double[parts];
        var job = new HuberMeanParts { target = target, prediction = prediction, delta = delta, dPrediction = dPrediction, scale = scale, partials = partials };
        global::AutoDiff.Threading.KernelPool.Run(ref job, target.Length, parts, global::System.Numerics.Vector<float>.Count);
        double total = 0;
        foreach (var part in partials) total += part;
        return total;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double HuberMeanCore(global::System.ReadOnlySpan<float> target, global::System.ReadOnlySpan<float> prediction, float delta, global::System.Span<float> dPrediction, float scale)
    {
        int n = target.Length;
        ref float targetRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);
        ref float predictionRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(prediction);
        ref float dPredictionRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dPrediction);
        var t12 = 0.5f * delta;
        var t39 = delta * scale;
        var deltaVector = new global::System.Numerics.Vector<float>(delta);
        var t12Vector = new global::System.Numerics.Vector<float>(t12);
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
                var predictionV = global::System.Numerics.Vector.LoadUnsafe(ref predictionRef, (nuint)i);
                var targetV = global::System.Numerics.Vector.LoadUnsafe(ref targetRef, (nuint)i);
                var r = predictionV - targetV;
                var a = global::System.Numerics.Vector.Abs(r);
                var t6 = global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector);
                global::System.Numerics.Vector.StoreUnsafe(global::System.Numerics.Vector.ConditionalSelect(t6, r * scale, global::AutoDiff.AD.Sign(r) * t39), ref dPredictionRef, (nuint)i);
                block += global::System.Numerics.Vector.ConditionalSelect(t6, r * r * 0.5f, (a - t12Vector) * delta);
            }
            sumLower += global::System.Numerics.Vector.WidenLower(block);
            sumUpper += global::System.Numerics.Vector.WidenUpper(block);
        }
        if (i < n)
        {
            var fresh = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n - i));
            var rest = global::System.Numerics.Vector<float>.Zero;
            var predictionV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref predictionRef, i), n - i);
            var targetV = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref targetRef, i), n - i);
            var r = predictionV - targetV;
            var a = global::System.Numerics.Vector.Abs(r);
            var t6 = global::System.Numerics.Vector.LessThanOrEqual<float>(a, deltaVector);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(global::System.Numerics.Vector.ConditionalSelect(t6, r * scale, global::AutoDiff.AD.Sign(r) * t39), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dPredictionRef, i), n - i);
            rest += global::System.Numerics.Vector.ConditionalSelect(fresh, global::System.Numerics.Vector.ConditionalSelect(t6, r * r * 0.5f, (a - t12Vector) * delta), global::System.Numerics.Vector<float>.Zero);
            sumLower += global::System.Numerics.Vector.WidenLower(rest);
            sumUpper += global::System.Numerics.Vector.WidenUpper(rest);
        }
        return global::System.Numerics.Vector.Sum(sumLower + sumUpper);
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private ref struct HuberMeanParts : global::AutoDiff.Threading.IRangeKernel
    {
        public global::System.ReadOnlySpan<float> target;
        public global::System.ReadOnlySpan<float> prediction;
        public float delta;
        public global::System.Span<float> dPrediction;
        public float scale;
        public global::System.Span<double> partials;
        public void Execute(int part, int start, int end) => partials[part] = HuberMeanCore(target.Slice(start, end - start), prediction.Slice(start, end - start), delta, dPrediction.Slice(start, end - start), scale);
    }
}

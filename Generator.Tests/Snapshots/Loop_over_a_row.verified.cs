// Snapshots.K.F.g.cs

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float FRow(global::System.ReadOnlySpan<float> a, global::System.ReadOnlySpan<float> b, float scale, global::System.Span<float> dA, global::System.Span<float> dB)
    {
        int n = a.Length;
        ref float aRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
        ref float bRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref float dARef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dA);
        ref float dBRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dB);
        var sumV = global::System.Numerics.Vector<float>.Zero;
        var sumV1 = global::System.Numerics.Vector<float>.Zero;
        int i = 0;
        for (; i <= n - global::System.Numerics.Vector<float>.Count; i += global::System.Numerics.Vector<float>.Count)
        {
            var aV = global::System.Numerics.Vector.LoadUnsafe(ref aRef, (nuint)i);
            var bV = global::System.Numerics.Vector.LoadUnsafe(ref bRef, (nuint)i);
            var dot1 = aV * bV;
            var squares1 = aV * aV;
            sumV += dot1;
            sumV1 += squares1;
        }
        if (i < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last = n - global::System.Numerics.Vector<float>.Count;
            var fresh = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last), new global::System.Numerics.Vector<int>(i));
            var aV1 = global::System.Numerics.Vector.LoadUnsafe(ref aRef, (nuint)last);
            var bV1 = global::System.Numerics.Vector.LoadUnsafe(ref bRef, (nuint)last);
            var dot1 = aV1 * bV1;
            var squares1 = aV1 * aV1;
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh, dot1, global::System.Numerics.Vector<float>.Zero);
            sumV1 += global::System.Numerics.Vector.ConditionalSelect(fresh, squares1, global::System.Numerics.Vector<float>.Zero);
            i = n;
        }
        if (i < n)
        {
            var fresh1 = global::System.Numerics.Vector.LessThan(global::System.Numerics.Vector<int>.Indices, new global::System.Numerics.Vector<int>(n));
            var aV2 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref aRef, n);
            var bV2 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref bRef, n);
            var dot1 = aV2 * bV2;
            var squares1 = aV2 * aV2;
            sumV += global::System.Numerics.Vector.ConditionalSelect(fresh1, dot1, global::System.Numerics.Vector<float>.Zero);
            sumV1 += global::System.Numerics.Vector.ConditionalSelect(fresh1, squares1, global::System.Numerics.Vector<float>.Zero);
        }
        float dot = global::System.Numerics.Vector.Sum(sumV);
        float squares = global::System.Numerics.Vector.Sum(sumV1);
        var sum = 1f + squares;
        var sqrtSum = global::System.MathF.Sqrt(sum);
        var dotOverSqrtSum = dot / sqrtSum;
        var quotient = scale / sqrtSum;
        var product = dotOverSqrtSum * scale;
        var quotient1 = product / sqrtSum;
        var product1 = 2f * sqrtSum;
        var quotient2 = quotient1 / product1;
        var product2 = 2f * quotient2;
        int i1 = 0;
        for (; i1 <= n - global::System.Numerics.Vector<float>.Count; i1 += global::System.Numerics.Vector<float>.Count)
        {
            var aV3 = global::System.Numerics.Vector.LoadUnsafe(ref aRef, (nuint)i1);
            var bV3 = global::System.Numerics.Vector.LoadUnsafe(ref bRef, (nuint)i1);
            global::System.Numerics.Vector.StoreUnsafe(bV3 * quotient - aV3 * product2, ref dARef, (nuint)i1);
            global::System.Numerics.Vector.StoreUnsafe(aV3 * quotient, ref dBRef, (nuint)i1);
        }
        if (i1 < n && n >= global::System.Numerics.Vector<float>.Count)
        {
            int last1 = n - global::System.Numerics.Vector<float>.Count;
            var fresh2 = global::System.Numerics.Vector.GreaterThanOrEqual(global::System.Numerics.Vector<int>.Indices + new global::System.Numerics.Vector<int>(last1), new global::System.Numerics.Vector<int>(i1));
            var aV4 = global::System.Numerics.Vector.LoadUnsafe(ref aRef, (nuint)last1);
            var bV4 = global::System.Numerics.Vector.LoadUnsafe(ref bRef, (nuint)last1);
            global::AutoDiff.CompilerServices.Lanes.StoreSelected(fresh2, bV4 * quotient - aV4 * product2, ref dARef, last1);
            global::AutoDiff.CompilerServices.Lanes.StoreSelected(fresh2, aV4 * quotient, ref dBRef, last1);
            i1 = n;
        }
        if (i1 < n)
        {
            var aV5 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref aRef, n);
            var bV5 = global::AutoDiff.CompilerServices.Lanes.LoadHead(ref bRef, n);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(bV5 * quotient - aV5 * product2, ref dARef, n);
            global::AutoDiff.CompilerServices.Lanes.StoreHead(aV5 * quotient, ref dBRef, n);
        }
        return dotOverSqrtSum;
    }

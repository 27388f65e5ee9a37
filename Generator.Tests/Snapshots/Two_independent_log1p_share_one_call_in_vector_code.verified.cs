[global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> F(global::System.Numerics.Vector<float> t, global::System.Numerics.Vector<float> p)
    {
        var t1 = global::AutoDiff.AD.Log1P(p, t, out var t3);
        return (t1 - t3) * global::AutoDiff.AD.Log1P(t1);
    }
[global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static global::System.Numerics.Vector<float> F(global::System.Numerics.Vector<float> t, global::System.Numerics.Vector<float> p)
    {
        var log1PP = global::AutoDiff.AD.Log1P(p, t, out var log1PT);
        return (log1PP - log1PT) * global::AutoDiff.AD.Log1P(log1PP);
    }
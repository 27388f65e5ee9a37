// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, out float dX)
    {
        var t1 = global::AutoDiff.AD.Sigmoid(x);
        var t2 = global::AutoDiff.AD.SoftplusGradient(x, out var t13);
        var t6 = global::AutoDiff.AD.ExpM1(x);
        dX = 1f + t6 + 1f / (1f + x) + t13 + t1 * (1f - t1);
        return t1 + t2 + global::AutoDiff.AD.Log1P(x) + t6;
    }

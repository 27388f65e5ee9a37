// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, out float dX)
    {
        var t3 = x < -1f;
        var t7 = x < 1f;
        dX = (t7 ? (t3 ? 0f : x) : 0f) + (t3 ? 0f : t7 ? x : 2f) + (t3 ? -1f : 0f);
        return t3 ? -x : t7 ? x * x : 2f * x - 1f;
    }

// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, out float dX)
    {
        var expX = global::System.MathF.Exp(x);
        var sum = 1f + expX;
        dX = expX / sum;
        return global::System.MathF.Log(sum);
    }

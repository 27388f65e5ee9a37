// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, out float dX)
    {
        var condition = x < -1f;
        var condition1 = x < 1f;
        var sum = (condition1 ? (condition ? 0f : x) : 0f) + (condition ? 0f : condition1 ? x : 2f);
        dX = sum + (condition ? -1f : 0f);
        return condition ? -x : condition1 ? x * x : 2f * x - 1f;
    }

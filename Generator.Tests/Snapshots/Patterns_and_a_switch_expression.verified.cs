// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <param name="dY">∂F/∂y.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, float y, out float dX, out float dY)
    {
        var condition = x > 0f && x < 1f || x < -2f;
        var xY = x * y;
        var condition1 = xY >= 1f && xY < 4f;
        var condition2 = xY < -1f;
        var sum = (condition2 ? (condition ? 0f : -1f) : 0f) + (condition1 ? 0f : condition2 ? 0f : condition ? 0f : 1f);
        dX = (condition1 ? (condition2 ? 0f : condition ? 0f : 2f * x) : 0f) + (condition ? y : 0f);
        dY = sum + (condition ? x : 0f);
        return condition ? xY : condition2 ? -y : condition1 ? x * x : y;
    }

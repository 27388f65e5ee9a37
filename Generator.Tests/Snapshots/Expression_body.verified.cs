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
        var xSquared = x * x;
        var xOverY = x / y;
        var product = 3f * (x * y);
        dX = product + (-1f / y + product);
        dY = 3f * xSquared + xOverY / y;
        return 3f * (xSquared * y) - xOverY;
    }

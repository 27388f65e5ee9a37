// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(double, double)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <param name="dY">∂F/∂y.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double FGradient(double x, double y, out double dX, out double dY)
    {
        var expX = global::System.Math.Exp(x);
        var sum = 1.0 + expX;
        var logSum = global::System.Math.Log(sum);
        dX = expX * (y / sum);
        dY = logSum + y;
        return logSum * y + 0.5 * (y * y);
    }

// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float x, out float dX)
    {
        var sigmoidX = global::AutoDiff.AD.Sigmoid(x);
        var softplusX = global::AutoDiff.AD.SoftplusGradient(x, out var softplusSlope);
        var expM1X = global::AutoDiff.AD.ExpM1(x);
        dX = 1f + expM1X + 1f / (1f + x) + softplusSlope + sigmoidX * (1f - sigmoidX);
        return sigmoidX + softplusX + global::AutoDiff.AD.Log1P(x) + expM1X;
    }

// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, float)"/> and its gradient in one pass: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter.</summary>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="dW">∂F/∂w.</param>
    /// <param name="dX">∂F/∂x.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float FGradient(float w, float x, out float dW, out float dX)
    {
        var h = global::System.MathF.Tanh(0f);
        var h1 = global::System.MathF.Tanh(x + w * h);
        var h2 = global::System.MathF.Tanh(w * h1 + 2f * x);
        var difference = 1f - h2 * h2;
        var product = w * difference * (1f - h1 * h1);
        dW = h1 * difference + h * product;
        dX = 2f * difference + product;
        return h2;
    }

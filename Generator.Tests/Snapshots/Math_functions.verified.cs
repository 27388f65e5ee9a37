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
        var t1 = global::System.MathF.Exp(x);
        var t3 = global::System.MathF.Log(y);
        var t9 = global::System.MathF.Sqrt(y);
        var t13 = global::System.MathF.Tanh(x);
        var t15 = global::System.MathF.Sinh(x);
        var t17 = global::System.MathF.Cosh(x);
        var t19 = global::System.MathF.Sin(x);
        var t21 = global::System.MathF.Cos(x);
        var t23 = global::System.MathF.Pow(y, x);
        var t31 = global::System.MathF.Max(x, -1f);
        var t41 = x <= y;
        var t45 = x >= y;
        dX = t1 + (t17 + (t15 + (t21 + ((x >= -1f ? (t31 <= 1f ? 1f : 0f) : 0f) + (t41 ? 1f : 0f) + (t45 ? 1f : 0f) + (y == 0f && x >= 0f ? 0f : t3 * t23) - t19))) + (1f - t13 * t13) + global::AutoDiff.AD.Sign(x));
        dY = (t41 ? 0f : 1f) + (t45 ? 0f : 1f) + (x == 0f ? 0f : x * global::System.MathF.Pow(y, x - 1f)) + 1f / (2f * t9) + 1f / (2.3025851f * y) + 1f / (0.6931472f * y) + 1f / y;
        return t1 + t3 + global::System.MathF.Log2(y) + global::System.MathF.Log10(y) + t9 + global::System.MathF.Abs(x) + t13 + t15 + t17 + t19 + t21 + t23 + global::System.MathF.Max(x, y) + global::System.MathF.Min(x, y) + global::System.MathF.Min(t31, 1f);
    }

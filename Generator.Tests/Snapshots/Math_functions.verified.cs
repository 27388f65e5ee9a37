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
        var expX = global::System.MathF.Exp(x);
        var logY = global::System.MathF.Log(y);
        var sqrtY = global::System.MathF.Sqrt(y);
        var sum = expX + logY + global::System.MathF.Log2(y) + global::System.MathF.Log10(y) + sqrtY;
        var tanhX = global::System.MathF.Tanh(x);
        var sinhX = global::System.MathF.Sinh(x);
        var coshX = global::System.MathF.Cosh(x);
        var sinX = global::System.MathF.Sin(x);
        var cosX = global::System.MathF.Cos(x);
        var pow = global::System.MathF.Pow(y, x);
        var sum1 = sum + global::System.MathF.Abs(x) + tanhX + sinhX + coshX + sinX + cosX + pow + global::System.MathF.Max(x, y);
        var max = global::System.MathF.Max(x, -1f);
        var xAtMostY = x <= y;
        var xAtLeastY = x >= y;
        var sum2 = (x >= -1f ? (max <= 1f ? 1f : 0f) : 0f) + (xAtMostY ? 1f : 0f) + (xAtLeastY ? 1f : 0f);
        var sum3 = (xAtMostY ? 0f : 1f) + (xAtLeastY ? 0f : 1f) + (x == 0f ? 0f : x * global::System.MathF.Pow(y, x - 1f));
        var sum4 = coshX + (sinhX + (cosX + (sum2 + (y == 0f && x >= 0f ? 0f : logY * pow) - sinX)));
        dX = expX + (sum4 + (1f - tanhX * tanhX) + global::AutoDiff.AD.Sign(x));
        dY = sum3 + 1f / (2f * sqrtY) + 1f / (2.3025851f * y) + 1f / (0.6931472f * y) + 1f / y;
        return sum1 + global::System.MathF.Min(x, y) + global::System.MathF.Min(max, 1f);
    }

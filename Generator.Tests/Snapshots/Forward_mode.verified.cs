// Snapshots.K.F.g.cs

    /// <summary>Computes <see cref="F(double, double, double)"/> and its directional derivative (a Jacobian-vector product) in one forward pass: the value is returned, and ∂F/∂x·tX + ∂F/∂y·tY is written to <paramref name="tangent"/>.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="c">the constant shared by every element ([Constant]) <c>c</c> of F.</param>
    /// <param name="tX">The direction's component along <c>x</c>.</param>
    /// <param name="tY">The direction's component along <c>y</c>.</param>
    /// <param name="tangent">The directional derivative.</param>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FJvp(double x, double y, double c, double tX, double tY, out double tangent)
    {
        var mixed = global::Snapshots.Other.MixedGradient(x * y, c, out var callPartialMixed, out var _);
        var expX = global::System.Math.Exp(x);
        var softplusY = global::AutoDiff.AD.SoftplusGradient(y, out var softplusSlope);
        tangent = callPartialMixed * (y * tX + x * tY) + (softplusY * (expX * tX) + expX * (softplusSlope * tY));
        return mixed + expX * softplusY;
    }

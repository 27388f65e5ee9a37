// Snapshots.K.F.g.cs

    /// <summary>Computes <see cref="F(double, double, double)"/>, its gradient and its Hessian: the value is returned, ∂F/∂xᵢ is written to <paramref name="gradient"/>[i] and ∂²F/∂xᵢ∂xⱼ to <paramref name="hessian"/>[i·2 + j], over the differentiable parameters in declaration order (x, y). The Hessian is symmetric by construction (each pair is computed once).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="c">the constant shared by every element ([Constant]) <c>c</c> of F.</param>
    /// <param name="gradient">At least 2 element(s); the first 2 are written.</param>
    /// <param name="hessian">At least 4 element(s), row-major; the first 4 are written.</param>
    /// <exception cref="global::System.ArgumentException">An output is too short, or the two overlap; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FHessian(double x, double y, double c, global::System.Span<double> gradient, global::System.Span<double> hessian)
    {
        global::AutoDiff.CompilerServices.KernelGuard.HessianOutputs<double>(2, gradient, hessian, "gradient", "hessian");
        global::System.Span<double> mixedGradient = stackalloc double[2];
        global::System.Span<double> mixedHessian = stackalloc double[4];
        var mixed = global::Snapshots.Other.MixedHessian(x * y, c, mixedGradient, mixedHessian);
        var expX = global::System.Math.Exp(x);
        var softplusY = global::AutoDiff.AD.SoftplusGradient(y, out var softplusSlope);
        var expXSoftplusY = expX * softplusY;
        var product = expX * softplusSlope;
        var product1 = x * mixedHessian[0];
        gradient[0] = expXSoftplusY + y * mixedGradient[0];
        gradient[1] = product + x * mixedGradient[0];
        hessian[0] = expXSoftplusY + y * (y * mixedHessian[0]);
        hessian[1] = hessian[2] = product + (mixedGradient[0] + y * product1);
        hessian[3] = expX * (softplusSlope * (1.0 - softplusSlope)) + x * product1;
        return mixed + expXSoftplusY;
    }

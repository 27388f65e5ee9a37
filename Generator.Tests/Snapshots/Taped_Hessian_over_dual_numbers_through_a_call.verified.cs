// Snapshots.K.F.g.cs

    /// <summary>Computes <see cref="F(double, double)"/>, its gradient and its Hessian: the value is returned, ∂F/∂xᵢ is written to <paramref name="gradient"/>[i] and ∂²F/∂xᵢ∂xⱼ to <paramref name="hessian"/>[i·2 + j], over the differentiable parameters in declaration order (x, y). The Hessian is symmetric by construction (its upper triangle is copied to the lower).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="gradient">At least 2 element(s); the first 2 are written.</param>
    /// <param name="hessian">At least 4 element(s), row-major; the first 4 are written.</param>
    /// <exception cref="global::System.ArgumentException">An output is too short, or the two overlap; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FHessian(double x, double y, global::System.Span<double> gradient, global::System.Span<double> hessian)
    {
        global::AutoDiff.CompilerServices.KernelGuard.HessianOutputs<double>(2, gradient, hessian, "gradient", "hessian");
        double value = 0.0;
        for (int j = 0; j < 2; j++)
        {
            value = FGradientOverDuals(
                new global::AutoDiff.CompilerServices.Dual<double>(x, j == 0 ? 1.0 : 0.0),
                new global::AutoDiff.CompilerServices.Dual<double>(y, j == 1 ? 1.0 : 0.0),
                out var dX1,
                out var dY1).Value;
            gradient[0] = dX1.Value;
            hessian[j * 2 + 0] = dX1.Tangent;
            gradient[1] = dY1.Value;
            hessian[j * 2 + 1] = dY1.Tangent;
        }
        for (int i = 0; i < 2; i++)
        {
            for (int j1 = i + 1; j1 < 2; j1++)
            {
                hessian[j1 * 2 + i] = hessian[i * 2 + j1];
            }
        }
        return value;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private static global::AutoDiff.CompilerServices.Dual<double> FGradientOverDuals(
        global::AutoDiff.CompilerServices.Dual<double> x,
        global::AutoDiff.CompilerServices.Dual<double> y,
        out global::AutoDiff.CompilerServices.Dual<double> dX,
        out global::AutoDiff.CompilerServices.Dual<double> dY)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<global::AutoDiff.CompilerServices.Dual<double>>.ForThisThread;
        int values = tape.ValueCount, ints = tape.IntCount;
        global::AutoDiff.CompilerServices.Dual<double> value = 0.0;
        global::AutoDiff.CompilerServices.Dual<double> s = 0.0;
        global::AutoDiff.CompilerServices.Dual<double> dS = 0.0;
        int iterations = 0;
        dX = 0.0;
        dY = 0.0;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            s = (0.0);
            iterations = 0;
            while (s < (4.0))
            {
                iterations++;
                tape.Push(s);
                s = (s + ((GOverDuals(x, s) * y) + (0.5)));
            }
            tape.PushInt(iterations);
            value = s;
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dS += 1.0;
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                {
                    s = tape.Pop();
                    global::AutoDiff.CompilerServices.Dual<double> g = dS;
                    global::AutoDiff.CompilerServices.Dual<double> v = GGradientOverDuals(x, s, out global::AutoDiff.CompilerServices.Dual<double> partial, out global::AutoDiff.CompilerServices.Dual<double> partial1);
                    dS = g;
                    global::AutoDiff.CompilerServices.Dual<double> g1 = g * y;
                    dX += g1 * partial;
                    dS += g1 * partial1;
                    dY += g * v;
                }
            }
            {
                dS = 0.0;
            }
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }

        static global::AutoDiff.CompilerServices.Dual<double> GOverDuals(
            global::AutoDiff.CompilerServices.Dual<double> u,
            global::AutoDiff.CompilerServices.Dual<double> v)
        {
            double value = global::Snapshots.K.GJvp(u.Value, v.Value, u.Tangent, v.Tangent, out double tangent);
            return new global::AutoDiff.CompilerServices.Dual<double>(value, tangent);
        }

        static global::AutoDiff.CompilerServices.Dual<double> GGradientOverDuals(
            global::AutoDiff.CompilerServices.Dual<double> u,
            global::AutoDiff.CompilerServices.Dual<double> v,
            out global::AutoDiff.CompilerServices.Dual<double> partial,
            out global::AutoDiff.CompilerServices.Dual<double> partial1)
        {
            global::System.Span<double> gradient = stackalloc double[2];
            global::System.Span<double> hessian = stackalloc double[4];
            double value = global::Snapshots.K.GHessian(u.Value, v.Value, gradient, hessian);
            partial = new global::AutoDiff.CompilerServices.Dual<double>(gradient[0], hessian[0] * u.Tangent + hessian[1] * v.Tangent);
            partial1 = new global::AutoDiff.CompilerServices.Dual<double>(gradient[1], hessian[2] * u.Tangent + hessian[3] * v.Tangent);
            return new global::AutoDiff.CompilerServices.Dual<double>(value, gradient[0] * u.Tangent + gradient[1] * v.Tangent);
        }
    }

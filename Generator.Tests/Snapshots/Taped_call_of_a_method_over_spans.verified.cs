// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(global::System.ReadOnlySpan{double}, double)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <param name="dW">∂F/∂w.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    /// <exception cref="global::System.ArgumentException">A gradient span's length is not its input's, or it overlaps an input span; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FGradient(global::System.ReadOnlySpan<double> x, double w, global::System.Span<double> dX, out double dW)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(x.Length, dX.Length, nameof(dX), nameof(x));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(x, dX, nameof(dX), nameof(x));
        var tape = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
        int values = tape.ValueCount, ints = tape.IntCount;
        double value = 0.0;
        global::System.Span<double> scaled = stackalloc double[0], dScaled = stackalloc double[0];
        int i = 0;
        int iterations = 0;
        dX.Clear();
        dW = 0.0;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            scaled = stackalloc double[x.Length];
            dScaled = stackalloc double[x.Length];
            i = 0;
            iterations = 0;
            while (i < x.Length)
            {
                iterations++;
                tape.Push(scaled[i]);
                scaled[i] = (x[i] * w);
                i++;
            }
            tape.PushInt(iterations);
            value = (global::Snapshots.K.Total(scaled, 2) + (global::Snapshots.K.Total(x, x.Length) * w));
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            var partial = tape.Rent(scaled.Length);
            double v = global::Snapshots.K.TotalGradient(scaled, 2, partial);
            var partial1 = tape.Rent(x.Length);
            double v1 = global::Snapshots.K.TotalGradient(x, x.Length, partial1);
            double v2 = v1 * w;
            double g = 1.0;
            for (int k = 0; k < partial.Length; k++)
            {
                dScaled[k] += g * partial[k];
            }
            double g1 = 1.0;
            double g2 = g1 * w;
            for (int k1 = 0; k1 < partial1.Length; k1++)
            {
                dX[k1] += g2 * partial1[k1];
            }
            dW += g1 * v1;
            tape.Return(partial1.Length);
            tape.Return(partial.Length);
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                i--;
                {
                    int at = i;
                    double after = scaled[at];
                    scaled[at] = tape.Pop();
                    double g3 = dScaled[at];
                    dScaled[at] = 0.0;
                    dX[i] += g3 * w;
                    dW += g3 * x[i];
                }
            }
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private static global::AutoDiff.CompilerServices.Dual<double> FGradientOverDuals(
        global::System.ReadOnlySpan<double> x,
        global::AutoDiff.CompilerServices.Dual<double> w,
        global::System.ReadOnlySpan<double> tX,
        global::System.Span<double> dX,
        out global::AutoDiff.CompilerServices.Dual<double> dW)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<global::AutoDiff.CompilerServices.Dual<double>>.ForThisThread;
        int values = tape.ValueCount, ints = tape.IntCount;
        global::AutoDiff.CompilerServices.Dual<double> value = 0.0;
        global::System.Span<global::AutoDiff.CompilerServices.Dual<double>> scaled = stackalloc global::AutoDiff.CompilerServices.Dual<double>[0], dScaled = stackalloc global::AutoDiff.CompilerServices.Dual<double>[0];
        int i = 0;
        int iterations = 0;
        dX.Clear();
        dW = 0.0;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            scaled = stackalloc global::AutoDiff.CompilerServices.Dual<double>[x.Length];
            dScaled = stackalloc global::AutoDiff.CompilerServices.Dual<double>[x.Length];
            i = 0;
            iterations = 0;
            while (i < x.Length)
            {
                iterations++;
                tape.Push(scaled[i]);
                scaled[i] = (new global::AutoDiff.CompilerServices.Dual<double>(x[i], tX[i]) * w);
                i++;
            }
            tape.PushInt(iterations);
            value = (TotalOverDuals(scaled, 2) + (TotalOverDuals1(x, tX, x.Length) * w));
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            var partial = tape.Rent(scaled.Length);
            global::AutoDiff.CompilerServices.Dual<double> v = TotalGradientOverDuals(scaled, 2, partial);
            var partial1 = tape.Rent(x.Length);
            global::AutoDiff.CompilerServices.Dual<double> v1 = TotalGradientOverDuals1(x, tX, x.Length, partial1);
            global::AutoDiff.CompilerServices.Dual<double> v2 = v1 * w;
            global::AutoDiff.CompilerServices.Dual<double> g = 1.0;
            for (int k = 0; k < partial.Length; k++)
            {
                dScaled[k] += g * partial[k];
            }
            global::AutoDiff.CompilerServices.Dual<double> g1 = 1.0;
            global::AutoDiff.CompilerServices.Dual<double> g2 = g1 * w;
            for (int k1 = 0; k1 < partial1.Length; k1++)
            {
                dX[k1] += ((global::AutoDiff.CompilerServices.Dual<double>)(g2 * partial1[k1])).Tangent;
            }
            dW += g1 * v1;
            tape.Return(partial1.Length);
            tape.Return(partial.Length);
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                i--;
                {
                    int at = i;
                    global::AutoDiff.CompilerServices.Dual<double> after = scaled[at];
                    scaled[at] = tape.Pop();
                    global::AutoDiff.CompilerServices.Dual<double> g3 = dScaled[at];
                    dScaled[at] = 0.0;
                    dX[i] += ((global::AutoDiff.CompilerServices.Dual<double>)(g3 * w)).Tangent;
                    dW += g3 * new global::AutoDiff.CompilerServices.Dual<double>(x[i], tX[i]);
                }
            }
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }

        static global::AutoDiff.CompilerServices.Dual<double> TotalOverDuals(global::System.ReadOnlySpan<global::AutoDiff.CompilerServices.Dual<double>> a, int n)
        {
            var scratch = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
            var values = scratch.Rent(a.Length);
            var tangents = scratch.Rent(a.Length);
            for (int k = 0; k < a.Length; k++) { values[k] = a[k].Value; tangents[k] = a[k].Tangent; }
            try
            {
                double value = global::Snapshots.K.TotalJvp(values, n, tangents, out double tangent);
                return new global::AutoDiff.CompilerServices.Dual<double>(value, tangent);
            }
            finally
            {
                scratch.Return(tangents.Length);
                scratch.Return(values.Length);
            }
        }

        static global::AutoDiff.CompilerServices.Dual<double> TotalGradientOverDuals(
            global::System.ReadOnlySpan<global::AutoDiff.CompilerServices.Dual<double>> a,
            int n,
            global::System.Span<global::AutoDiff.CompilerServices.Dual<double>> partial)
        {
            var scratch = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
            var values = scratch.Rent(a.Length);
            var tangents = scratch.Rent(a.Length);
            for (int k = 0; k < a.Length; k++) { values[k] = a[k].Value; tangents[k] = a[k].Tangent; }
            var gradient = scratch.Rent(a.Length);
            var product = scratch.Rent(a.Length);
            try
            {
                double value = global::Snapshots.K.TotalGradient(values, n, gradient);
                double tangent = global::Snapshots.K.TotalHessianVectorProduct(values, n, tangents, product);
                for (int k1 = 0; k1 < a.Length; k1++) { partial[k1] = new global::AutoDiff.CompilerServices.Dual<double>(gradient[k1], product[k1]); }
                return new global::AutoDiff.CompilerServices.Dual<double>(value, tangent);
            }
            finally
            {
                scratch.Return(product.Length);
                scratch.Return(gradient.Length);
                scratch.Return(tangents.Length);
                scratch.Return(values.Length);
            }
        }

        static global::AutoDiff.CompilerServices.Dual<double> TotalOverDuals1(global::System.ReadOnlySpan<double> a, global::System.ReadOnlySpan<double> tA, int n)
        {
            double value = global::Snapshots.K.TotalJvp(a, n, tA, out double tangent);
            return new global::AutoDiff.CompilerServices.Dual<double>(value, tangent);
        }

        static global::AutoDiff.CompilerServices.Dual<double> TotalGradientOverDuals1(
            global::System.ReadOnlySpan<double> a,
            global::System.ReadOnlySpan<double> tA,
            int n,
            global::System.Span<global::AutoDiff.CompilerServices.Dual<double>> partial)
        {
            var scratch = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
            var gradient = scratch.Rent(a.Length);
            var product = scratch.Rent(a.Length);
            try
            {
                double value = global::Snapshots.K.TotalGradient(a, n, gradient);
                double tangent = global::Snapshots.K.TotalHessianVectorProduct(a, n, tA, product);
                for (int k = 0; k < a.Length; k++) { partial[k] = new global::AutoDiff.CompilerServices.Dual<double>(gradient[k], product[k]); }
                return new global::AutoDiff.CompilerServices.Dual<double>(value, tangent);
            }
            finally
            {
                scratch.Return(product.Length);
                scratch.Return(gradient.Length);
            }
        }
    }

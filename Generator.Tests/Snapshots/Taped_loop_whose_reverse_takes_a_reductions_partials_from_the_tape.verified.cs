// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(global::System.ReadOnlySpan{double}, double)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="a">the differentiable input <c>a</c> of F.</param>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="dA">∂F/∂a.</param>
    /// <param name="dW">∂F/∂w.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    /// <exception cref="global::System.ArgumentException">A gradient span's length is not its input's, or it overlaps an input span; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FGradient(global::System.ReadOnlySpan<double> a, double w, global::System.Span<double> dA, out double dW)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(a.Length, dA.Length, nameof(dA), nameof(a));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(a, dA, nameof(dA), nameof(a));
        var tape = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
        double value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while (true)
        {
            dA.Clear();
            if ((full = Sweeps(a, w, dA, out dW, out value, tape.FreeValues, tape.FreeInts)) == global::AutoDiff.CompilerServices.TapeRoom.Enough)
            {
                break;
            }

            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            global::System.ReadOnlySpan<double> a,
            double w,
            global::System.Span<double> dA,
            out double dWResult,
            out double valueResult,
            global::System.Span<double> values,
            global::System.Span<int> ints)
        {
            double value = 0.0;
            double s = 0.0;
            double dS = 0.0;
            int i = 0;
            int iterations = 0;
            double dW = 0.0;
            int valueSlot = 0, intSlot = 0;
            dWResult = 0.0;
            valueResult = 0.0;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            s = (0.0);
            i = 0;
            iterations = 0;
            while (i < a.Length)
            {
                iterations++;
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = s;
                s = double.Tanh(((w * global::AutoDiff.CompilerServices.Reductions.Dot(a, a)) + s));
                if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                ints[intSlot++] = i;
                i += 2;
            }
            if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
            ints[intSlot++] = iterations;
            value = s;
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dS += 1.0;
            for (iterations = ints[--intSlot]; iterations > 0; iterations--)
            {
                i = ints[--intSlot];
                {
                    double after = s;
                    s = values[--valueSlot];
                    double g = dS;
                    dS = 0.0;
                    if (values.Length - valueSlot < (a.Length)) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                    var partial = values.Slice(valueSlot, a.Length);
                    valueSlot += partial.Length;
                    if (values.Length - valueSlot < (a.Length)) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                    var partial1 = values.Slice(valueSlot, a.Length);
                    valueSlot += partial1.Length;
                    double v = global::AutoDiff.CompilerServices.Reductions.DotGradient(a, a, partial, partial1);
                    double g1 = g * (1.0 - after * after);
                    dW += g1 * v;
                    double g2 = g1 * w;
                    for (int k = 0; k < partial.Length; k++)
                    {
                        dA[k] += g2 * partial[k];
                    }
                    for (int k1 = 0; k1 < partial1.Length; k1++)
                    {
                        dA[k1] += g2 * partial1[k1];
                    }
                    dS += g1;
                    valueSlot -= partial1.Length;
                    valueSlot -= partial.Length;
                }
            }
            {
                dS = 0.0;
            }
            dWResult = dW;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

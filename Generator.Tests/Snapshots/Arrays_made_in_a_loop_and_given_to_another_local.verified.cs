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
        int values = tape.ValueCount, ints = tape.IntCount, arrays = tape.ArrayCount;
        double value = 0.0;
        double[] state = null, dState = null;
        int t = 0;
        int iterations = 0;
        double[] next = null, dNext = null;
        int i = 0;
        int iterations1 = 0;
        dA.Clear();
        dW = 0.0;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            state = new double[a.Length];
            dState = new double[a.Length];
            t = 0;
            iterations = 0;
            while (t < 2)
            {
                iterations++;
                tape.PushArray(next);
                tape.PushArray(dNext);
                next = new double[a.Length];
                dNext = new double[a.Length];
                tape.PushInt(i);
                i = 0;
                iterations1 = 0;
                while (i < a.Length)
                {
                    iterations1++;
                    tape.Push(next[i]);
                    next[i] = double.Tanh(((w * state[i]) + a[i]));
                    i++;
                }
                tape.PushInt(iterations1);
                tape.PushArray(state);
                tape.PushArray(dState);
                state = next;
                dState = dNext;
                t++;
            }
            tape.PushInt(iterations);
            value = state[0];
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dState[0] += 1.0;
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                t--;
                dState = tape.PopArray();
                state = tape.PopArray();
                for (iterations1 = tape.PopInt(); iterations1 > 0; iterations1--)
                {
                    i--;
                    {
                        int at = i;
                        double after = next[at];
                        next[at] = tape.Pop();
                        double g = dNext[at];
                        dNext[at] = 0.0;
                        double v = w * state[i];
                        double v1 = v + a[i];
                        double g1 = g * (1.0 - after * after);
                        dW += g1 * state[i];
                        dState[i] += g1 * w;
                        dA[i] += g1;
                    }
                }
                i = tape.PopInt();
                dNext = tape.PopArray();
                next = tape.PopArray();
            }
            return value;
        }
        catch
        {
            tape.Rewind(values, ints, arrays);
            throw;
        }
    }

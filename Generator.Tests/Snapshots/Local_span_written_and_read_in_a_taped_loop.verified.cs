// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, int)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="n">the input that gets no gradient ([NoDiff]) <c>n</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FGradient(float x, int n, out float dX)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<float>.ForThisThread;
        float value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(x, n, out dX, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            float x,
            int n,
            out float dXResult,
            out float valueResult,
            global::System.Span<float> values,
            global::System.Span<int> ints)
        {
            float value = 0f;
            global::System.Span<float> h = stackalloc float[0], dH = stackalloc float[0];
            int i = 0;
            int iterations = 0;
            float dX = 0f;
            int valueSlot = 0, intSlot = 0;
            dXResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            h = stackalloc float[n + 1];
            dH = stackalloc float[n + 1];
            if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
            values[valueSlot++] = h[0];
            h[0] = x;
            i = 1;
            iterations = 0;
            while (i <= n)
            {
                iterations++;
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = h[i];
                h[i] = float.Tanh((h[i - 1] * x));
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = h[i];
                h[i] = (h[i] + h[0]);
                i++;
            }
            if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
            ints[intSlot++] = iterations;
            value = h[n];
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dH[n] += 1f;
            for (iterations = ints[--intSlot]; iterations > 0; iterations--)
            {
                i--;
                {
                    int at = i;
                    float after = h[at];
                    h[at] = values[--valueSlot];
                    float g = dH[at];
                    dH[at] = 0f;
                    dH[i] += g;
                    dH[0] += g;
                }
                {
                    int at1 = i;
                    float after1 = h[at1];
                    h[at1] = values[--valueSlot];
                    float g1 = dH[at1];
                    dH[at1] = 0f;
                    float v = h[i - 1] * x;
                    float g2 = g1 * (1f - after1 * after1);
                    dH[i - 1] += g2 * x;
                    dX += g2 * h[i - 1];
                }
            }
            {
                int at2 = 0;
                h[at2] = values[--valueSlot];
                float g3 = dH[at2];
                dH[at2] = 0f;
                dX += g3;
            }
            dXResult = dX;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

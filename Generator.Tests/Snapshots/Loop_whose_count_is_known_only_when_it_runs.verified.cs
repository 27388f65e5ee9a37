// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, float, float)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="n">the input that gets no gradient ([NoDiff]) <c>n</c> of F.</param>
    /// <param name="dW">∂F/∂w.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FGradient(float w, float x, float n, out float dW, out float dX)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<float>.ForThisThread;
        float value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(w, x, n, out dW, out dX, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            float w,
            float x,
            float n,
            out float dWResult,
            out float dXResult,
            out float valueResult,
            global::System.Span<float> values,
            global::System.Span<int> ints)
        {
            float value = 0f;
            float h = 0f;
            float dH = 0f;
            int t = 0;
            int iterations = 0;
            float dW = 0f;
            float dX = 0f;
            int valueSlot = 0, intSlot = 0;
            dWResult = 0f;
            dXResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            h = (0f);
            t = 0;
            iterations = 0;
            while (t < n)
            {
                iterations++;
                if (t % 2 == 0)
                {
                    if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                    values[valueSlot++] = h;
                    h = float.Tanh(((w * h) + (x * t)));
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 1;
                }
                else
                {
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 0;
                }
                t++;
            }
            if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
            ints[intSlot++] = iterations;
            value = (h * h);
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dH += 1f * h;
            dH += 1f * h;
            for (iterations = ints[--intSlot]; iterations > 0; iterations--)
            {
                t--;
                if (ints[--intSlot] != 0)
                {
                    {
                        float after = h;
                        h = values[--valueSlot];
                        float g = dH;
                        float g1 = g * (1f - after * after);
                        dW += g1 * h;
                        dH = g1 * w;
                        dX += g1 * t;
                    }
                }
            }
            {
                dH = 0f;
            }
            dWResult = dW;
            dXResult = dX;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

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
            int exit = 0;
            float s = 0f;
            float dS = 0f;
            int i = 0;
            int iterations = 0;
            int exit1 = 0;
            float dX = 0f;
            int valueSlot = 0, intSlot = 0;
            dXResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            s = (0f);
            i = 0;
            iterations = 0;
            while (i < n)
            {
                iterations++;
                if (i % 2 == 0)
                {
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 1;
                    goto next;
                }
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = s;
                s = ((s * x) + (1f));
                if (s > (8f))
                {
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 2;
                    break;
                }
                if (s < (0f))
                {
                    value = (s * s);
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 3;
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = iterations;
                    exit = 1;
                    goto reverse;
                }
                else
                {
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 0;
                }
                if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                ints[intSlot++] = 4;
                next: ;
                i++;
            }
            if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
            ints[intSlot++] = iterations;
            value = s;
            exit = 2;
            reverse:
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            if (exit == 2)
            {
                dS += 1f;
            }
            for (iterations = ints[--intSlot]; iterations > 0; iterations--)
            {
                exit1 = ints[--intSlot];
                if (exit1 == 4 || exit1 == 1)
                {
                    i--;
                }
                if (exit1 > 2)
                {
                    if (exit1 > 3 ? ints[--intSlot] != 0 : exit1 <= 3)
                    {
                        if (exit1 == 3)
                        {
                            dS += 1f * s;
                            dS += 1f * s;
                        }
                    }
                }
                if (exit1 > 1)
                {
                    {
                        s = values[--valueSlot];
                        float g = dS;
                        dS = g * x;
                        dX += g * s;
                    }
                }
            }
            {
                dS = 0f;
            }
            dXResult = dX;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

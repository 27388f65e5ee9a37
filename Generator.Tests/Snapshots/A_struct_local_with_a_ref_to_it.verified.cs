// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, float)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <param name="dY">∂F/∂y.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FGradient(float x, float y, out float dX, out float dY)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<float>.ForThisThread;
        float value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(x, y, out dX, out dY, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            float x,
            float y,
            out float dXResult,
            out float dYResult,
            out float valueResult,
            global::System.Span<float> values,
            global::System.Span<int> ints)
        {
            float value = 0f;
            float pA = 0f;
            float dPA = 0f;
            float pB = 0f;
            float dPB = 0f;
            float dX = 0f;
            float dY = 0f;
            int valueSlot = 0;
            dXResult = 0f;
            dYResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            pA = 0f;
            pB = 0f;
            pA = (x * y);
            if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
            values[valueSlot++] = pB;
            pB = (pB + (x + y));
            value = (pA * pB);
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dPA += 1f * pB;
            dPB += 1f * pA;
            {
                pB = values[--valueSlot];
                float g = dPB;
                dPB = g;
                dX += g;
                dY += g;
            }
            {
                float g1 = dPA;
                dPA = 0f;
                dX += g1 * y;
                dY += g1 * x;
            }
            {
                dPB = 0f;
            }
            {
                dPA = 0f;
            }
            dXResult = dX;
            dYResult = dY;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

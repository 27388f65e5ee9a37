// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float, float, int)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="y">the differentiable input <c>y</c> of F.</param>
    /// <param name="choice">the input that gets no gradient ([NoDiff]) <c>choice</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <param name="dY">∂F/∂y.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FGradient(float x, float y, int choice, out float dX, out float dY)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<float>.ForThisThread;
        float value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(x, y, choice, out dX, out dY, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            float x,
            float y,
            int choice,
            out float dXResult,
            out float dYResult,
            out float valueResult,
            global::System.Span<float> values,
            global::System.Span<int> ints)
        {
            float value = 0f;
            int exit = 0;
            float a = 0f;
            float dA = 0f;
            float dX = 0f;
            float dY = 0f;
            int valueSlot = 0, intSlot = 0;
            dXResult = 0f;
            dYResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            a = (0f);
            switch (choice)
            {
                case 1:
                case 2:
                    if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                    values[valueSlot++] = a;
                    a = (x * y);
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 0;
                    break;
                default:
                    if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                    values[valueSlot++] = a;
                    a = float.Sin(x);
                    if ((uint)intSlot >= (uint)ints.Length) return global::AutoDiff.CompilerServices.TapeRoom.IntsFull;
                    ints[intSlot++] = 1;
                    break;
                case 3:
                    value = y;
                    exit = 1;
                    goto reverse;
            }
            value = (a * x);
            exit = 2;
            reverse:
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            if (exit == 2)
            {
                dA += 1f * x;
                dX += 1f * a;
            }
            switch (exit > 1 ? ints[--intSlot] : exit <= 1 ? 2 : -1)
            {
                case 0:
                {
                    {
                        a = values[--valueSlot];
                        float g = dA;
                        dA = 0f;
                        dX += g * y;
                        dY += g * x;
                    }
                    break;
                }
                case 1:
                {
                    {
                        a = values[--valueSlot];
                        float g1 = dA;
                        dA = 0f;
                        dX += g1 * float.Cos(x);
                    }
                    break;
                }
                case 2:
                {
                    if (exit == 1)
                    {
                        dY += 1f;
                    }
                    break;
                }
            }
            {
                dA = 0f;
            }
            dXResult = dX;
            dYResult = dY;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

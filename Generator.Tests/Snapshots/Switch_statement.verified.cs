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
        int values = tape.ValueCount, ints = tape.IntCount;
        float value = 0f;
        int exit = 0;
        float a = 0f;
        float dA = 0f;
        dX = 0f;
        dY = 0f;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            a = (0f);
            switch (choice)
            {
                case 1:
                case 2:
                    tape.Push(a);
                    a = (x * y);
                    tape.PushInt(0);
                    break;
                default:
                    tape.Push(a);
                    a = float.Sin(x);
                    tape.PushInt(1);
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
            switch (exit > 1 ? tape.PopInt() : exit <= 1 ? 2 : -1)
            {
                case 0:
                {
                    {
                        a = tape.Pop();
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
                        a = tape.Pop();
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
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }
    }

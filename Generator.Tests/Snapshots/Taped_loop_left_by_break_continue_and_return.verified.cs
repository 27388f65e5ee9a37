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
        int values = tape.ValueCount, ints = tape.IntCount;
        float value = 0f;
        int exit = 0;
        float s = 0f;
        float dS = 0f;
        int i = 0;
        int iterations = 0;
        int exit1 = 0;
        dX = 0f;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            s = (0f);
            i = 0;
            iterations = 0;
            while (i < n)
            {
                iterations++;
                if (i % 2 == 0)
                {
                    tape.PushInt(1);
                    goto next;
                }
                tape.Push(s);
                s = ((s * x) + (1f));
                if (s > (8f))
                {
                    tape.PushInt(2);
                    break;
                }
                if (s < (0f))
                {
                    value = (s * s);
                    tape.PushInt(3);
                    tape.PushInt(iterations);
                    exit = 1;
                    goto reverse;
                }
                else
                {
                    tape.PushInt(0);
                }
                tape.PushInt(4);
                next: ;
                i++;
            }
            tape.PushInt(iterations);
            value = s;
            exit = 2;
            reverse:
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            if (exit == 2)
            {
                dS += 1f;
            }
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                exit1 = tape.PopInt();
                if (exit1 == 4 || exit1 == 1)
                {
                    i--;
                }
                if (exit1 > 2)
                {
                    if (exit1 > 3 ? tape.PopInt() != 0 : exit1 <= 3)
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
                        s = tape.Pop();
                        float g = dS;
                        dS = g * x;
                        dX += g * s;
                    }
                }
            }
            {
                dS = 0f;
            }
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }
    }

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
        int values = tape.ValueCount, ints = tape.IntCount;
        float value = 0f;
        float h = 0f;
        float dH = 0f;
        int t = 0;
        int iterations = 0;
        dW = 0f;
        dX = 0f;
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            h = (0f);
            t = 0;
            iterations = 0;
            while (t < n)
            {
                iterations++;
                if (t % 2 == 0)
                {
                    tape.Push(h);
                    h = float.Tanh(((w * h) + (x * t)));
                    tape.PushInt(1);
                }
                else
                {
                    tape.PushInt(0);
                }
                t++;
            }
            tape.PushInt(iterations);
            value = (h * h);
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dH += 1f * h;
            dH += 1f * h;
            for (iterations = tape.PopInt(); iterations > 0; iterations--)
            {
                t--;
                if (tape.PopInt() != 0)
                {
                    {
                        float after = h;
                        h = tape.Pop();
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
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }
    }

// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(float[], float)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="a">the differentiable input <c>a</c> of F.</param>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="dA">∂F/∂a.</param>
    /// <param name="dW">∂F/∂w.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    /// <exception cref="global::System.ArgumentException">A gradient span's length is not its input's, or it overlaps an input span; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FGradient(global::System.ReadOnlySpan<float> a, float w, global::System.Span<float> dA, out float dW)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(a.Length, dA.Length, nameof(dA), nameof(a));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(a, dA, nameof(dA), nameof(a));
        var tape = global::AutoDiff.CompilerServices.Tape<float>.ForThisThread;
        dA.Clear();
        float value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(a, w, dA, out dW, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            global::System.ReadOnlySpan<float> a,
            float w,
            global::System.Span<float> dA,
            out float dWResult,
            out float valueResult,
            global::System.Span<float> values,
            global::System.Span<int> ints)
        {
            float value = 0f;
            float dV = 0f;
            float h = 0f;
            float dH = 0f;
            float v = 0f;
            int index = 0;
            float dW = 0f;
            int valueSlot = 0;
            dWResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            h = (0f);
            for (index = 0; index < a.Length; index++)
            {
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = v;
                v = a[index];
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = h;
                h = float.Tanh(((w * h) + v));
            }
            value = h;
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dH += 1f;
            for (index = a.Length - 1; index >= 0; index--)
            {
                {
                    float after = h;
                    h = values[--valueSlot];
                    float g = dH;
                    float g1 = g * (1f - after * after);
                    dW += g1 * h;
                    dH = g1 * w;
                    dV += g1;
                }
                v = values[--valueSlot];
                dA[index] += dV;
                dV = 0f;
            }
            {
                dH = 0f;
            }
            dWResult = dW;
            valueResult = value;
            return global::AutoDiff.CompilerServices.TapeRoom.Enough;
        }
    }

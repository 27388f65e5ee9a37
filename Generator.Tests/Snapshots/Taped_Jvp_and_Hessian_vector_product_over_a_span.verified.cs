// Snapshots.K.F.g.cs

    /// <summary>Computes <see cref="F(global::System.ReadOnlySpan{float}, float)"/> and its directional derivative (a Jacobian-vector product) in one forward pass over dual numbers: the value is returned, and Σⱼ ∂F/∂x[j]·tX[j] + ∂F/∂w·tW is written to <paramref name="tangent"/>.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="tX">The direction's component along <c>x</c>, one entry per element.</param>
    /// <param name="tW">The direction's component along <c>w</c>.</param>
    /// <param name="tangent">The directional derivative.</param>
    /// <exception cref="global::System.ArgumentException">A direction span's length is not its input's.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FJvp(global::System.ReadOnlySpan<float> x, float w, global::System.ReadOnlySpan<float> tX, float tW, out float tangent)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(x.Length, tX.Length, nameof(tX), nameof(x));
        var value = FOverDuals(x, new global::AutoDiff.CompilerServices.Dual<float>(w, tW), tX);
        tangent = value.Tangent;
        return value.Value;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private static global::AutoDiff.CompilerServices.Dual<float> FOverDuals(
        global::System.ReadOnlySpan<float> x,
        global::AutoDiff.CompilerServices.Dual<float> w,
        global::System.ReadOnlySpan<float> tX)
    {
        global::AutoDiff.CompilerServices.Dual<float> value = 0f;
        global::AutoDiff.CompilerServices.Dual<float> h = 0f;
        global::AutoDiff.CompilerServices.Dual<float> v = 0f;
        int index = 0;
        // The forward sweep over dual numbers: the body as written, each value carrying its tangent.
        h = (0f);
        for (index = 0; index < x.Length; index++)
        {
            v = new global::AutoDiff.CompilerServices.Dual<float>(x[index], tX[index]);
            h = global::AutoDiff.CompilerServices.Dual<float>.Tanh(((w * h) + v));
        }
        value = (h * h);
        return value;
    }

    /// <summary>The Hessian-vector product of <see cref="F(global::System.ReadOnlySpan{float}, float)"/>, by forward mode over reverse (its taped gradient run once over dual numbers; the Hessian is never formed): the directional derivative Σⱼ ∂F/∂x[j]·vX[j] + ∂F/∂w·vW is returned, and (∇²F)·v is written to the <c>hv</c> span or <c>out</c> of each differentiable parameter, v being the directions together.</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="w">the differentiable input <c>w</c> of F.</param>
    /// <param name="vX">The direction's component along <c>x</c>, one entry per element.</param>
    /// <param name="vW">The direction's component along <c>w</c>.</param>
    /// <param name="hvX">Receives the rows of ∇²F for <c>x</c> times the direction, one entry per element.</param>
    /// <param name="hvW">Receives the rows of ∇²F for <c>w</c> times the direction.</param>
    /// <exception cref="global::System.ArgumentException">A direction or product span's length is not its input's, or a product span overlaps an input or direction span; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static float FHessianVectorProduct(
        global::System.ReadOnlySpan<float> x,
        float w,
        global::System.ReadOnlySpan<float> vX,
        float vW,
        global::System.Span<float> hvX,
        out float hvW)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(x.Length, vX.Length, nameof(vX), nameof(x));
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(x.Length, hvX.Length, nameof(hvX), nameof(x));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(x, hvX, nameof(hvX), nameof(x));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(vX, hvX, nameof(hvX), nameof(vX));
        var value = FGradientOverDuals(x, new global::AutoDiff.CompilerServices.Dual<float>(w, vW), vX, hvX, out var dW1);
        hvW = dW1.Tangent;
        return value.Tangent;
    }

    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    private static global::AutoDiff.CompilerServices.Dual<float> FGradientOverDuals(
        global::System.ReadOnlySpan<float> x,
        global::AutoDiff.CompilerServices.Dual<float> w,
        global::System.ReadOnlySpan<float> tX,
        global::System.Span<float> dX,
        out global::AutoDiff.CompilerServices.Dual<float> dW)
    {
        var tape = global::AutoDiff.CompilerServices.Tape<global::AutoDiff.CompilerServices.Dual<float>>.ForThisThread;
        dX.Clear();
        global::AutoDiff.CompilerServices.Dual<float> value;
        global::AutoDiff.CompilerServices.TapeRoom full;
        while ((full = Sweeps(x, w, tX, dX, out dW, out value, tape.FreeValues, tape.FreeInts)) != global::AutoDiff.CompilerServices.TapeRoom.Enough)
        {
            tape.Grow(full);
        }

        return value;

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static global::AutoDiff.CompilerServices.TapeRoom Sweeps(
            global::System.ReadOnlySpan<float> x,
            global::AutoDiff.CompilerServices.Dual<float> w,
            global::System.ReadOnlySpan<float> tX,
            global::System.Span<float> dX,
            out global::AutoDiff.CompilerServices.Dual<float> dWResult,
            out global::AutoDiff.CompilerServices.Dual<float> valueResult,
            global::System.Span<global::AutoDiff.CompilerServices.Dual<float>> values,
            global::System.Span<int> ints)
        {
            global::AutoDiff.CompilerServices.Dual<float> value = 0f;
            global::AutoDiff.CompilerServices.Dual<float> dV = 0f;
            global::AutoDiff.CompilerServices.Dual<float> h = 0f;
            global::AutoDiff.CompilerServices.Dual<float> dH = 0f;
            global::AutoDiff.CompilerServices.Dual<float> v = 0f;
            int index = 0;
            global::AutoDiff.CompilerServices.Dual<float> dW = 0f;
            int valueSlot = 0;
            dWResult = 0f;
            valueResult = 0f;
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            h = (0f);
            for (index = 0; index < x.Length; index++)
            {
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = v;
                v = new global::AutoDiff.CompilerServices.Dual<float>(x[index], tX[index]);
                if ((uint)valueSlot >= (uint)values.Length) return global::AutoDiff.CompilerServices.TapeRoom.ValuesFull;
                values[valueSlot++] = h;
                h = global::AutoDiff.CompilerServices.Dual<float>.Tanh(((w * h) + v));
            }
            value = (h * h);
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            dH += 1f * h;
            dH += 1f * h;
            for (index = x.Length - 1; index >= 0; index--)
            {
                {
                    global::AutoDiff.CompilerServices.Dual<float> after = h;
                    h = values[--valueSlot];
                    global::AutoDiff.CompilerServices.Dual<float> g = dH;
                    global::AutoDiff.CompilerServices.Dual<float> g1 = g * (1f - after * after);
                    dW += g1 * h;
                    dH = g1 * w;
                    dV += g1;
                }
                v = values[--valueSlot];
                dX[index] += dV.Tangent;
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

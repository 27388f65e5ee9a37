// Snapshots.K.F.g.cs
    /// <summary>Computes <see cref="F(global::System.ReadOnlySpan{double}, int)"/> and its gradient: the value is returned, and ∂F/∂x for each differentiable x is written to its <c>out</c> parameter or, for a span, its <c>d</c> span (one entry per element).</summary>
    /// <param name="x">the differentiable input <c>x</c> of F.</param>
    /// <param name="i">the input that gets no gradient ([NoDiff]) <c>i</c> of F.</param>
    /// <param name="dX">∂F/∂x.</param>
    /// <remarks>Reverse mode over the statements: the forward sweep keeps what each assignment overwrites, each loop's iterations and each branch taken on the thread's tape, and the reverse sweep takes them back.</remarks>
    /// <exception cref="global::System.ArgumentException">A gradient span's length is not its input's, or it overlaps an input span; nothing is written then.</exception>
    [global::System.CodeDom.Compiler.GeneratedCode("AutoDiff.Generator", "1.0.0")]
    public static double FGradient(global::System.ReadOnlySpan<double> x, int i, global::System.Span<double> dX)
    {
        global::AutoDiff.CompilerServices.KernelGuard.SameLength(x.Length, dX.Length, nameof(dX), nameof(x));
        global::AutoDiff.CompilerServices.KernelGuard.NoOverlap(x, dX, nameof(dX), nameof(x));
        var tape = global::AutoDiff.CompilerServices.Tape<double>.ForThisThread;
        int values = tape.ValueCount, ints = tape.IntCount;
        double value = 0.0;
        dX.Clear();
        try
        {
            // The forward sweep: the body as written, each assignment first keeping what it overwrites.
            value = (global::Snapshots.K.Squares(x.Slice(i, 2)) + global::Snapshots.K.Squares(x.Slice(x.Length - (2))));
            // The reverse sweep: the statements backwards, each popping what it overwrote.
            var partial = tape.Rent(x.Slice(i, 2).Length);
            double v = global::Snapshots.K.SquaresGradient(x.Slice(i, 2), partial);
            var partial1 = tape.Rent(x.Slice(x.Length - (2)).Length);
            double v1 = global::Snapshots.K.SquaresGradient(x.Slice(x.Length - (2)), partial1);
            double g = 1.0;
            var dSlice = dX.Slice(i, 2);
            for (int k = 0; k < partial.Length; k++)
            {
                dSlice[k] += g * partial[k];
            }
            double g1 = 1.0;
            var dSlice1 = dX.Slice(x.Length - (2));
            for (int k1 = 0; k1 < partial1.Length; k1++)
            {
                dSlice1[k1] += g1 * partial1[k1];
            }
            tape.Return(partial1.Length);
            tape.Return(partial.Length);
            return value;
        }
        catch
        {
            tape.Rewind(values, ints);
            throw;
        }
    }

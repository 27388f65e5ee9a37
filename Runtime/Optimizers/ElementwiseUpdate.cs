using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoDiff.Optimizers;

/// <summary>One optimizer's update of a vector of elements: the value, its gradient, and up to three state buffers.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    void Apply(ref Vector<T> value, Vector<T> gradient, ref Vector<T> s0, ref Vector<T> s1, ref Vector<T> s2);
}

internal static class ElementwiseUpdate
{
    /// <summary>
    /// Runs <paramref name="update"/> over elements [start, end): whole vectors, then the tail through one
    /// zero-padded vector on the stack (so each formula is written once, for Vector&lt;T&gt;). The number of
    /// state buffers becomes a type argument, so the loop the JIT compiles has no test of it.
    /// </summary>
    public static void Run<T, TUpdate>(TUpdate update, Span<T> value, Span<T> gradient, Span<T> s0, Span<T> s1, Span<T> s2, int slots, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        // `update` is a copy on this stack frame: its fields stay in registers, where a reference into the
        // optimizer (on the heap) would be re-read after every store to the spans.
        switch (slots)
        {
            case 0:
                Loop<T, TUpdate, Zero>(update, value, gradient, s0, s1, s2, start, end);
                break;
            case 1:
                Loop<T, TUpdate, One>(update, value, gradient, s0, s1, s2, start, end);
                break;
            case 2:
                Loop<T, TUpdate, Two>(update, value, gradient, s0, s1, s2, start, end);
                break;
            default:
                Loop<T, TUpdate, Three>(update, value, gradient, s0, s1, s2, start, end);
                break;
        }
    }

    private static void Loop<T, TUpdate, TSlots>(TUpdate update, Span<T> value, Span<T> gradient, Span<T> s0, Span<T> s1, Span<T> s2, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
        where TSlots : struct, ISlots
    {
        int slots = TSlots.Count;
        int count = Vector<T>.Count;
        ref T x = ref MemoryMarshal.GetReference(value);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T a = ref MemoryMarshal.GetReference(s0);
        ref T b = ref MemoryMarshal.GetReference(s1);
        ref T c = ref MemoryMarshal.GetReference(s2);
        int i = start;
        for (; i <= end - count; i += count)
        {
            var xv = Vector.LoadUnsafe(ref x, (nuint)i);
            var av = slots > 0 ? Vector.LoadUnsafe(ref a, (nuint)i) : default;
            var bv = slots > 1 ? Vector.LoadUnsafe(ref b, (nuint)i) : default;
            var cv = slots > 2 ? Vector.LoadUnsafe(ref c, (nuint)i) : default;
            update.Apply(ref xv, Vector.LoadUnsafe(ref g, (nuint)i), ref av, ref bv, ref cv);
            Vector.StoreUnsafe(xv, ref x, (nuint)i);
            if (slots > 0)
            {
                Vector.StoreUnsafe(av, ref a, (nuint)i);
            }

            if (slots > 1)
            {
                Vector.StoreUnsafe(bv, ref b, (nuint)i);
            }

            if (slots > 2)
            {
                Vector.StoreUnsafe(cv, ref c, (nuint)i);
            }
        }

        if (i < end)
        {
            Tail(update, value, gradient, s0, s1, s2, slots, i, end);
        }
    }

    private static void Tail<T, TUpdate>(TUpdate update, Span<T> value, Span<T> gradient, Span<T> s0, Span<T> s1, Span<T> s2, int slots, int i, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        int count = Vector<T>.Count;
        int tail = end - i;
        Span<T> buffer = stackalloc T[5 * count];
        buffer.Clear();
        value.Slice(i, tail).CopyTo(buffer);
        gradient.Slice(i, tail).CopyTo(buffer[count..]);
        if (slots > 0)
        {
            s0.Slice(i, tail).CopyTo(buffer[(2 * count)..]);
        }

        if (slots > 1)
        {
            s1.Slice(i, tail).CopyTo(buffer[(3 * count)..]);
        }

        if (slots > 2)
        {
            s2.Slice(i, tail).CopyTo(buffer[(4 * count)..]);
        }

        var xv = new Vector<T>(buffer);
        var av = new Vector<T>(buffer[(2 * count)..]);
        var bv = new Vector<T>(buffer[(3 * count)..]);
        var cv = new Vector<T>(buffer[(4 * count)..]);
        update.Apply(ref xv, new Vector<T>(buffer[count..]), ref av, ref bv, ref cv);
        xv.CopyTo(buffer);
        av.CopyTo(buffer[(2 * count)..]);
        bv.CopyTo(buffer[(3 * count)..]);
        cv.CopyTo(buffer[(4 * count)..]);
        buffer[..tail].CopyTo(value[i..]);
        if (slots > 0)
        {
            buffer.Slice(2 * count, tail).CopyTo(s0[i..]);
        }

        if (slots > 1)
        {
            buffer.Slice(3 * count, tail).CopyTo(s1[i..]);
        }

        if (slots > 2)
        {
            buffer.Slice(4 * count, tail).CopyTo(s2[i..]);
        }
    }

    private interface ISlots
    {
        static abstract int Count { get; }
    }

    private readonly struct Zero : ISlots
    {
        public static int Count => 0;
    }

    private readonly struct One : ISlots
    {
        public static int Count => 1;
    }

    private readonly struct Two : ISlots
    {
        public static int Count => 2;
    }

    private readonly struct Three : ISlots
    {
        public static int Count => 3;
    }
}

using AutoDiff.CompilerServices;

namespace AutoDiff.Runtime.Tests.Kernels;

/// <summary>The tape of the statement-by-statement gradients: a stack per thread, values and integers apart.</summary>
public sealed class TapeTests
{
    [Fact]
    public void Pops_return_the_pushes_in_reverse_order_past_every_growth()
    {
        var tape = Tape<double>.ForThisThread;
        int values = tape.ValueCount, ints = tape.IntCount;
        const int Count = 5000; // past the first arrays (256 each), through several doublings
        for (int i = 0; i < Count; i++)
        {
            tape.Push(i * 0.5);
            tape.PushInt(-i);
        }

        Assert.Equal(values + Count, tape.ValueCount);
        Assert.Equal(ints + Count, tape.IntCount);
        for (int i = Count - 1; i >= 0; i--)
        {
            Assert.Equal(-i, tape.PopInt());
            Assert.Equal(i * 0.5, tape.Pop());
        }

        Assert.Equal(values, tape.ValueCount);
        Assert.Equal(ints, tape.IntCount);
    }

    [Fact]
    public void Rewind_drops_what_a_call_that_threw_left_and_keeps_what_was_below()
    {
        var tape = Tape<float>.ForThisThread;
        tape.Push(7f);
        tape.PushInt(7);
        int values = tape.ValueCount, ints = tape.IntCount;
        tape.Push(1f);
        tape.Push(2f);
        tape.PushInt(3);
        tape.Rewind(values, ints);
        Assert.Equal(7, tape.PopInt());
        Assert.Equal(7f, tape.Pop());
    }

    [Fact]
    public void Every_thread_has_its_own()
    {
        var here = Tape<float>.ForThisThread;
        Tape<float>? there = null;
        var thread = new Thread(() => there = Tape<float>.ForThisThread);
        thread.Start();
        thread.Join();
        Assert.NotNull(there);
        Assert.NotSame(here, there);
        Assert.Same(here, Tape<float>.ForThisThread);
    }
}

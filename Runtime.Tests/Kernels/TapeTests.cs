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
    public void Array_references_pop_in_the_opposite_order_and_a_rewind_drops_those_a_call_that_threw_left()
    {
        var tape = Tape<double>.ForThisThread;
        var below = new double[1];
        tape.PushArray(below);
        int values = tape.ValueCount, ints = tape.IntCount, arrays = tape.ArrayCount;
        var pushed = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? null : new double[i]).ToArray(); // past the first 16 slots
        foreach (var array in pushed)
        {
            tape.PushArray(array);
        }

        for (int i = pushed.Length - 1; i >= 20; i--)
        {
            Assert.Same(pushed[i], tape.PopArray());
        }

        tape.Push(1.0);
        tape.PushInt(2);
        tape.Rewind(values, ints, arrays); // the 20 left and the value and int, as a call that threw leaves them
        Assert.Equal(arrays, tape.ArrayCount);
        Assert.Equal(values, tape.ValueCount);
        Assert.Same(below, tape.PopArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0x1_8000_0000L)] // the low half's sign bit set
    [InlineData(-0x7FFF_FFFFL)]
    public void A_long_comes_back_whole_between_ints(long value)
    {
        var tape = Tape<float>.ForThisThread;
        tape.PushInt(5);
        tape.PushLong(value);
        tape.PushInt(6);
        Assert.Equal(6, tape.PopInt());
        Assert.Equal(value, tape.PopLong());
        Assert.Equal(5, tape.PopInt());
    }

    [Fact]
    public void Rented_room_holds_what_is_written_through_it_while_pushes_above_it_grow_the_tape()
    {
        var tape = Tape<double>.ForThisThread;
        tape.Push(-1.0);
        int values = tape.ValueCount, ints = tape.IntCount;
        var room = tape.Rent(300); // past the first array's 256 entries: the tape grows at once
        Assert.Equal(300, room.Length);
        Assert.Equal(values + 300, tape.ValueCount);
        for (int i = 0; i < 5000; i++)
        {
            tape.Push(i); // a callee's gradient pushing above the room, growing the tape again
        }

        for (int i = 0; i < room.Length; i++)
        {
            room[i] = i * 0.25; // what the callee writes into the room, after the growth
        }

        for (int i = 4999; i >= 0; i--)
        {
            Assert.Equal(i, tape.Pop());
        }

        for (int i = 0; i < room.Length; i++)
        {
            Assert.Equal(i * 0.25, room[i]);
        }

        tape.Return(room.Length);
        Assert.Equal(values, tape.ValueCount);
        Assert.Equal(ints, tape.IntCount);
        Assert.Equal(-1.0, tape.Pop());
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.Rent(-1));
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

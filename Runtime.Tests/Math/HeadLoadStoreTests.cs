using System.Numerics;
using System.Runtime.InteropServices;
using AutoDiff.CompilerServices;

namespace AutoDiff.Runtime.Tests.Numerics;

/// <summary>
/// <see cref="Lanes.LoadHead(ref float, int)"/> and <see cref="Lanes.StoreHead(Vector{float}, ref float, int)"/>, the
/// loads and stores of the generated kernels for fewer elements than a vector holds (a span kernel's last elements,
/// a row shorter than one vector): the lanes they give and write, and that they and the kernels touch nothing past
/// the end, checked against spans that end where an inaccessible page begins (a plain vector load or store there
/// ends the process with a segmentation fault). And <see cref="Lanes.StoreSelected(Vector{int}, Vector{float}, ref float, int)"/>,
/// the store of a row's last, overlapping vector: the masked lanes written, the others kept.
/// </summary>
public sealed unsafe partial class HeadLoadStoreTests
{
    private delegate Vector<T> Load<T>(ref T source, int count)
        where T : unmanaged;

    private delegate void Store<T>(Vector<T> value, ref T destination, int count)
        where T : unmanaged;

    [Fact]
    public void A_float_head_holds_the_row_then_its_first_element_and_a_head_store_writes_the_row_alone() =>
        HoldsTheRowAndWritesItAlone<float>(Lanes.LoadHead, Lanes.StoreHead);

    [Fact]
    public void A_double_head_holds_the_row_then_its_first_element_and_a_head_store_writes_the_row_alone() =>
        HoldsTheRowAndWritesItAlone<double>(Lanes.LoadHead, Lanes.StoreHead);

    private static void HoldsTheRowAndWritesItAlone<T>(Load<T> load, Store<T> store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var guarded = new GuardedPage();
        for (int count = 1; count < Vector<T>.Count; count++)
        {
            var row = guarded.RowEndingAtTheGuard<T>(count);
            for (int i = 0; i < count; i++)
            {
                row[i] = T.CreateChecked(10 + i);
            }

            var lanes = load(ref row[0], count);
            for (int lane = 0; lane < Vector<T>.Count; lane++)
            {
                Assert.Equal(T.CreateChecked(lane < count ? 10 + lane : 10), lanes[lane]);
            }

            var before = guarded.RowEndingAtTheGuard<T>(count + 1);
            before[0] = -T.One;
            store(lanes * T.CreateChecked(2), ref row[0], count);
            Assert.Equal(-T.One, before[0]);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(T.CreateChecked(2 * (10 + i)), row[i]);
            }
        }
    }

    [Fact]
    public void A_selected_store_writes_the_masked_lanes_and_keeps_the_others()
    {
        // The last, overlapping vector of a row: lanes from `fresh` on are new, the ones before were written already.
        for (int fresh = 0; fresh <= Vector<float>.Count; fresh++)
        {
            float[] floats = Enumerable.Range(0, Vector<float>.Count + 2).Select(i => -1f - i).ToArray();
            Lanes.StoreSelected(Vector.GreaterThanOrEqual(Vector<int>.Indices, new Vector<int>(fresh)), new Vector<float>(7f), ref floats[0], 1);
            Assert.Equal(Enumerable.Range(0, floats.Length).Select(i => i >= 1 + fresh && i <= Vector<float>.Count ? 7f : -1f - i), floats);
        }

        for (int fresh = 0; fresh <= Vector<double>.Count; fresh++)
        {
            double[] doubles = Enumerable.Range(0, Vector<double>.Count + 2).Select(i => -1d - i).ToArray();
            Lanes.StoreSelected(Vector.GreaterThanOrEqual(Vector<long>.Indices, new Vector<long>(fresh)), new Vector<double>(7d), ref doubles[0], 1);
            Assert.Equal(Enumerable.Range(0, doubles.Length).Select(i => i >= 1 + fresh && i <= Vector<double>.Count ? 7d : -1d - i), doubles);
        }
    }

    [Fact]
    public void Generated_span_kernels_touch_nothing_past_their_spans()
    {
        // Every span ends where an inaccessible page begins; lengths up to two vectors and a remainder, so the
        // last elements go through the masked step (and, below one vector, only through it).
        using GuardedPage targets = new(), logits = new(), gradients = new(), values = new();
        for (int n = 1; n <= (2 * Vector<float>.Count) + 3; n++)
        {
            Span<float> target = targets.RowEndingAtTheGuard<float>(n), logit = logits.RowEndingAtTheGuard<float>(n);
            Span<float> gradient = gradients.RowEndingAtTheGuard<float>(n), value = values.RowEndingAtTheGuard<float>(n);
            for (int i = 0; i < n; i++)
            {
                target[i] = i % 2;
                logit[i] = (i * 0.7f) - 3f;
            }

            double expected = 0;
            for (int i = 0; i < n; i++)
            {
                expected += Losses.BinaryCrossEntropyWithLogits(target[i], logit[i]);
            }

            float mean = Losses.BinaryCrossEntropyWithLogitsMean(target, logit, gradient);
            Assert.Equal(expected / n, mean, 1e-6);
            Losses.BinaryCrossEntropyWithLogits(target, logit, value);
            for (int i = 0; i < n; i++)
            {
                float sigmoid = 1f / (1f + MathF.Exp(-logit[i]));
                Assert.Equal((sigmoid - target[i]) / n, gradient[i], 1e-6);
                Assert.Equal(Losses.BinaryCrossEntropyWithLogits(target[i], logit[i]), value[i], 1e-6);
            }
        }
    }

    // One readable and writable page followed by one that is not: a span that ends at the boundary has no byte
    // after it that may be touched. On Linux (mmap, mprotect); elsewhere a plain native allocation, which checks
    // the lanes but not the guard.
    private sealed partial class GuardedPage : IDisposable
    {
        private const int ReadWrite = 3, None = 0, PrivateAnonymous = 0x22;
        private readonly nint _start;
        private readonly nint _size;
        private readonly bool _mapped;

        public GuardedPage()
        {
            _size = Environment.SystemPageSize;
            _mapped = OperatingSystem.IsLinux();
            if (_mapped)
            {
                _start = Mmap(0, 2 * _size, ReadWrite, PrivateAnonymous, -1, 0);
                Assert.True(_start != -1, "mmap failed");
                Assert.Equal(0, Mprotect(_start + _size, _size, None));
            }
            else
            {
                _start = (nint)NativeMemory.Alloc((nuint)(2 * _size));
            }
        }

        public Span<T> RowEndingAtTheGuard<T>(int count)
            where T : unmanaged => new((void*)(_start + _size - (count * sizeof(T))), count);

        public void Dispose()
        {
            if (_mapped)
            {
                Assert.Equal(0, Munmap(_start, 2 * _size));
            }
            else
            {
                NativeMemory.Free((void*)_start);
            }
        }

        [LibraryImport("libc", EntryPoint = "mmap")]
        private static partial nint Mmap(nint address, nint length, int protection, int flags, int descriptor, nint offset);

        [LibraryImport("libc", EntryPoint = "mprotect")]
        private static partial int Mprotect(nint address, nint length, int protection);

        [LibraryImport("libc", EntryPoint = "munmap")]
        private static partial int Munmap(nint address, nint length);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AutoDiff.CompilerServices;

namespace AutoDiff.Tests.Kernels;

/// <summary>
/// The runtime's elementwise loops (<see cref="Elementwise{T}"/>), tested once by table over a kernel written here by
/// hand, F(x, y) = x·y + x (∂F/∂x = y + 1, ∂F/∂y = x), against the same math element by element in double: every
/// length 0 … 67 (empty, shorter than a vector, whole vectors, whole vectors and a rest), parts on the kernel pool,
/// the 512-bit steps, nothing written past the end, in place, special values. The argument checks are the
/// generated forms' (tested through the runtime's own generated methods at the end).
/// </summary>
public class ElementwiseTests
{
    private const int Sentinel = 12345;

    public static TheoryData<int, int> Lengths()
    {
        var data = new TheoryData<int, int>();
        for (int n = 0; n <= 67; n++)
        {
            data.Add(n, 65_536); // one part
        }

        foreach (int n in new[] { 64, 67, 1000, 4099 })
        {
            data.Add(n, 16); // parts on the kernel pool, the last with a rest
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_loop_matches_the_math_element_by_element_in_float(int n, int partElements)
    {
        Check<float, Product<float>>(n, partElements, wide: false);
        Check<float, Product<float>>(n, partElements, wide: true);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_loop_matches_the_math_element_by_element_in_double(int n, int partElements) =>
        Check<double, Product<double>>(n, partElements, wide: false);

    [Fact]
    public void An_empty_mean_is_NaN_and_an_empty_sum_is_0()
    {
        var empty = new Product<double>();
        Assert.True(double.IsNaN(Elementwise<double>.Mean(empty, 0, 65_536)));
        Assert.Equal(0, Elementwise<double>.Sum(empty, 0, 65_536));
        Assert.True(float.IsNaN(Elementwise<float>.MeanWide(new Product<float>(), 0, 65_536)));
    }

    [Fact]
    public void In_place_the_destination_may_be_an_input()
    {
        var x = Enumerable.Range(0, 37).Select(i => i * 0.25f).ToArray();
        var y = Enumerable.Range(0, 37).Select(i => 2f - i * 0.5f).ToArray();
        var expected = x.Select((v, i) => v * y[i] + v).ToArray();
        Elementwise<float>.Forward(new Product<float> { X = x, Y = y, Destination = x }, x.Length, 65_536);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Special_values_go_through_each_lane_alone()
    {
        float[] x = [float.NaN, float.PositiveInfinity, 1f, -0f, 3f, 4f, 5f, 6f, 7f, float.NegativeInfinity, 2f];
        var y = Enumerable.Repeat(1f, x.Length).ToArray();
        var destination = new float[x.Length];
        Elementwise<float>.Forward(new Product<float> { X = x, Y = y, Destination = destination }, x.Length, 65_536);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] * 1f + x[i], destination[i]); // NaN equals NaN for Assert.Equal
        }

        var dX = new float[x.Length];
        var dY = new float[x.Length];
        float sum = Elementwise<float>.Sum(new Product<float> { X = x, Y = y, DX = dX, DY = dY }, x.Length, 65_536);
        Assert.True(float.IsNaN(sum));
        Assert.Equal(x, dY);
    }

    [Fact]
    public void The_generated_forms_check_lengths_and_overlaps_before_they_write()
    {
        // A destination shifted by one element over its input: the overlap check, not the length check, fires.
        var buffer = Enumerable.Range(0, 41).Select(i => i * 0.1f).ToArray();
        var before = buffer.ToArray();
        var e = Assert.Throws<ArgumentException>(() => Activations.Sigmoid(buffer.AsSpan(0, 40), buffer.AsSpan(1, 40)));
        Assert.Equal("destination", e.ParamName);
        Assert.Contains("overlap", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, buffer);

        // An output one element short: named, and nothing written.
        var dPrediction = new float[39];
        e = Assert.Throws<ArgumentException>(() => Losses.HuberMean(new float[40], new float[40], 1f, dPrediction));
        Assert.Equal("dPrediction", e.ParamName);
        Assert.All(dPrediction, d => Assert.Equal(0f, d));
    }

    private static void Check<T, TKernel>(int n, int partElements, bool wide)
        where T : unmanaged, IFloatingPoint<T>
        where TKernel : IWideElementwiseKernel<T>, allows ref struct
    {
        var x = new T[n + Vector512<T>.Count];
        var y = new T[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateTruncating(0.25 * i - 3);
            y[i] = T.CreateTruncating(1.5 - 0.125 * i);
        }

        var upstream = x.Select((_, i) => T.CreateTruncating(1 + 0.5 * (i % 5))).ToArray();
        var destination = Filled<T>(x.Length);
        var dX = Filled<T>(x.Length);
        var dY = Filled<T>(x.Length);
        var kernel = new Product<T> { X = x.AsSpan(0, n), Y = y.AsSpan(0, n), Upstream = upstream.AsSpan(0, n) };
        Product<T>.WideSteps = 0;

        kernel.Destination = destination.AsSpan(0, n);
        if (wide)
        {
            Elementwise<T>.ForwardWide(kernel, n, partElements);
        }
        else
        {
            Elementwise<T>.Forward(kernel, n, partElements);
        }

        kernel.Destination = default;
        kernel.DX = dX.AsSpan(0, n);
        kernel.DY = dY.AsSpan(0, n);
        if (wide)
        {
            Elementwise<T>.BackwardWide(kernel, n, partElements);
        }
        else
        {
            Elementwise<T>.Backward(kernel, n, partElements);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double xi = double.CreateTruncating(x[i]), yi = double.CreateTruncating(y[i]), up = double.CreateTruncating(upstream[i]);
            sum += xi * yi + xi;
            Assert.Equal(xi * yi + xi, double.CreateTruncating(destination[i]), 1e-5);
            Assert.Equal(up * (yi + 1), double.CreateTruncating(dX[i]), 1e-5);
            Assert.Equal(up * xi, double.CreateTruncating(dY[i]), 1e-5);
        }

        for (int i = n; i < x.Length; i++)
        {
            Assert.Equal(T.CreateTruncating(Sentinel), destination[i]); // nothing written past the end
            Assert.Equal(T.CreateTruncating(Sentinel), dX[i]);
            Assert.Equal(T.CreateTruncating(Sentinel), dY[i]);
        }

        T total = wide ? Elementwise<T>.SumWide(kernel, n, partElements) : Elementwise<T>.Sum(kernel, n, partElements);
        Close(sum, double.CreateTruncating(total));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(double.CreateTruncating(y[i]) + 1, double.CreateTruncating(dX[i]), 1e-6);
        }

        T mean = wide ? Elementwise<T>.MeanWide(kernel, n, partElements) : Elementwise<T>.Mean(kernel, n, partElements);
        if (n == 0)
        {
            Assert.True(T.IsNaN(mean));
            return;
        }

        Close(sum / n, double.CreateTruncating(mean));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(double.CreateTruncating(x[i]) / n, double.CreateTruncating(dY[i]), 1e-6);
        }

        Assert.Equal(T.CreateTruncating(Sentinel), dY[n]);
        bool wideSteps = wide && Vector512.IsHardwareAccelerated && Vector<T>.Count < Vector512<T>.Count && n >= Vector512<T>.Count;
        Assert.Equal(wideSteps, Product<T>.WideSteps > 0); // the 512-bit steps ran exactly where they should
    }

    // Within 1e-6 relative (a float sum adds floats in float within blocks of 128 vectors).
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{actual:R} vs {expected:R}");

    private static T[] Filled<T>(int length)
        where T : INumberBase<T> => Enumerable.Repeat(T.CreateTruncating(Sentinel), length).ToArray();

    // F(x, y) = x·y + x, written as the generator writes a kernel: the spans of one call, the scale broadcast once
    // per loop, a step per loop.
    private ref struct Product<T> : IWideElementwiseKernel<T>
        where T : unmanaged, IFloatingPoint<T>
    {
        // The 512-bit steps run on this thread (one part) or on the pool's: counted across threads.
        public static int WideSteps;

        public ReadOnlySpan<T> X, Y, Upstream;
        public Span<T> Destination, DX, DY;
        private Vector<T> _scale;
        private Vector512<T> _wideScale;

        public void Prepare(T scale)
        {
            _scale = new Vector<T>(scale);
            _wideScale = Vector512.Create(scale);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Forward<TLanes>(TLanes lanes)
            where TLanes : struct, ILanes<T>
        {
            var x = lanes.Load(X);
            lanes.Store(x * lanes.Load(Y) + x, Destination);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Backward<TLanes>(TLanes lanes)
            where TLanes : struct, ILanes<T>
        {
            var upstream = lanes.Load(Upstream);
            lanes.Store(upstream * (lanes.Load(Y) + Vector<T>.One), DX);
            lanes.Store(upstream * lanes.Load(X), DY);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector<T> Mean<TLanes>(TLanes lanes)
            where TLanes : struct, ILanes<T>
        {
            var x = lanes.Load(X);
            var y = lanes.Load(Y);
            lanes.Store((y + Vector<T>.One) * _scale, DX);
            lanes.Store(x * _scale, DY);
            return x * y + x;
        }

        public readonly void Forward512(WideVector<T> lanes)
        {
            Interlocked.Increment(ref WideSteps);
            var x = lanes.Load(X);
            lanes.Store(x * lanes.Load(Y) + x, Destination);
        }

        public readonly void Backward512(WideVector<T> lanes)
        {
            Interlocked.Increment(ref WideSteps);
            var upstream = lanes.Load(Upstream);
            lanes.Store(upstream * (lanes.Load(Y) + Vector512<T>.One), DX);
            lanes.Store(upstream * lanes.Load(X), DY);
        }

        public readonly Vector512<T> Mean512(WideVector<T> lanes)
        {
            Interlocked.Increment(ref WideSteps);
            var x = lanes.Load(X);
            var y = lanes.Load(Y);
            lanes.Store((y + Vector512<T>.One) * _wideScale, DX);
            lanes.Store(x * _wideScale, DY);
            return x * y + x;
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AutoDiff.Threading;

namespace AutoDiff.Layers;

/// <summary>
/// Max pooling (PyTorch's <c>MaxPool2d</c>): y[c, i, j] = max over the window x[c, i·s .. i·s + k, j·s .. j·s + k],
/// output size ⌊(H − k) / s⌋ + 1. The gradient flows to the first maximum of each window.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MaxPool2D<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int PlanesPerPart = 64;

    // The widest row the 2 × 2 path keeps on the stack (six rows of scratch); wider rows take the general loop.
    private const int MaxPairsWidth = 1024;
    private int[] _argmax = [];
    private int _outHeight, _outWidth;

    /// <summary>Pooling over <paramref name="size"/> × <paramref name="size"/> windows.</summary>
    /// <param name="size">The side k of the window.</param>
    /// <param name="stride">The step between windows; the window side by default (no overlap).</param>
    public MaxPool2D(int size, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (stride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
        }

        Size = size;
        Stride = stride ?? size;
    }

    /// <summary>The side of the window.</summary>
    public int Size { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    // Set by Sequential when a ReLU comes right before this pool: the pool then reads the ReLU's input and
    // computes pool(relu(x)) = max(0, max of the window) itself, and its backward pass applies the ReLU's
    // derivative (max(0, ·) is non-decreasing, so it commutes with the maximum; see Sequential).
    internal bool RectifiesInput { get; set; }

    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random)
    {
        if (input.Height < Size || input.Width < Size)
        {
            throw new ArgumentException($"A {Size}×{Size} window does not fit samples of shape {input}.", nameof(input));
        }

        (_outHeight, _outWidth) = (((input.Height - Size) / Stride) + 1, ((input.Width - Size) / Stride) + 1);
        _argmax = new int[maxBatch * input.Channels * _outHeight * _outWidth];
        return new TensorShape(input.Channels, _outHeight, _outWidth);
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        var kernel = new Kernel { Layer = this, Input = input, Output = output, Backward = false };
        int planes = batch * InputShape.Channels;
        KernelPool.Run(ref kernel, planes, (planes + PlanesPerPart - 1) / PlanesPerPart);
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        if (inputGradient.IsEmpty)
        {
            return;
        }

        var kernel = new Kernel { Layer = this, Input = outputGradient, Output = inputGradient, Backward = true, Pooled = output };
        int planes = batch * InputShape.Channels;
        KernelPool.Run(ref kernel, planes, (planes + PlanesPerPart - 1) / PlanesPerPart);
    }

    private void ForwardPlanes(int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        int height = InputShape.Height, width = InputShape.Width, outSize = _outHeight * _outWidth;
        if (Size == 2 && Stride == 2 && typeof(T) == typeof(float) && Avx2.IsSupported && _outWidth >= 4)
        {
            ForwardPairsAvx(start, end, MemoryMarshal.Cast<T, float>(input), MemoryMarshal.Cast<T, float>(output));
            return;
        }

        if (Size == 2 && Stride == 2 && InputShape.Width <= MaxPairsWidth)
        {
            ForwardPairs(start, end, input, output);
            return;
        }

        for (int plane = start; plane < end; plane++)
        {
            var x = input.Slice(plane * height * width, height * width);
            var y = output.Slice(plane * outSize, outSize);
            var arg = _argmax.AsSpan(plane * outSize, outSize);
            for (int i = 0; i < _outHeight; i++)
            {
                for (int j = 0; j < _outWidth; j++)
                {
                    int top = i * Stride, left = j * Stride, best = (top * width) + left;
                    T max = x[best];
                    for (int u = 0; u < Size; u++)
                    {
                        int rowStart = ((top + u) * width) + left;
                        for (int v = 0; v < Size; v++)
                        {
                            T value = x[rowStart + v];
                            if (value > max || T.IsNaN(value))
                            {
                                if (T.IsNaN(max))
                                {
                                    continue;
                                }

                                (max, best) = (value, rowStart + v);
                            }
                        }
                    }

                    y[(i * _outWidth) + j] = RectifiesInput ? T.Max(T.Zero, max) : max;
                    arg[(i * _outWidth) + j] = best;
                }
            }
        }
    }

    // The common 2 × 2, stride 2 window, without a branch on the data (the comparisons of real activations are
    // unpredictable, and mispredictions made this the slowest loop of a step): with Vector<T>, the larger of each
    // column and the next in both rows, then the larger of the two rows. That is the first maximum in row-major
    // order (a tie keeps the earlier; a NaN wins), as in the general path.
    private void ForwardPairs(int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        int height = InputShape.Height, width = InputShape.Width, outSize = _outHeight * _outWidth, w = Vector<T>.Count;
        // The two rows with a vector of slack (neighbour loads run one past), the maxima, and 0/1 for each
        // choice: the right column won in the top row, in the bottom row, the bottom row won.
        int length = width + w + 1;
        Span<T> top = stackalloc T[length], under = stackalloc T[length], maxima = stackalloc T[length];
        Span<T> rightTop = stackalloc T[length], rightUnder = stackalloc T[length], below = stackalloc T[length];
        top[width..].Clear();
        under[width..].Clear();
        int columns = 2 * _outWidth;
        for (int plane = start; plane < end; plane++)
        {
            var x = input.Slice(plane * height * width, height * width);
            var y = output.Slice(plane * outSize, outSize);
            var arg = _argmax.AsSpan(plane * outSize, outSize);
            for (int i = 0; i < _outHeight; i++)
            {
                int rowStart = 2 * i * width;
                x.Slice(rowStart, width).CopyTo(top);
                x.Slice(rowStart + width, width).CopyTo(under);
                for (int k = 0; k < columns; k += w)
                {
                    var a = new Vector<T>(top[k..]);
                    var b = new Vector<T>(top[(k + 1)..]);
                    var c = new Vector<T>(under[k..]);
                    var d = new Vector<T>(under[(k + 1)..]);
                    var takeB = Takes(a, b);
                    var takeD = Takes(c, d);
                    var upper = Vector.ConditionalSelect(takeB, b, a);
                    var lower = Vector.ConditionalSelect(takeD, d, c);
                    var takeLower = Takes(upper, lower);
                    Vector.ConditionalSelect(takeLower, lower, upper).CopyTo(maxima[k..]);
                    Vector.ConditionalSelect(takeB, Vector<T>.One, Vector<T>.Zero).CopyTo(rightTop[k..]);
                    Vector.ConditionalSelect(takeD, Vector<T>.One, Vector<T>.Zero).CopyTo(rightUnder[k..]);
                    Vector.ConditionalSelect(takeLower, Vector<T>.One, Vector<T>.Zero).CopyTo(below[k..]);
                }

                for (int j = 0; j < _outWidth; j++)
                {
                    int column = 2 * j, down = int.CreateTruncating(below[column]);
                    int upperRight = int.CreateTruncating(rightTop[column]), lowerRight = int.CreateTruncating(rightUnder[column]);
                    int right = upperRight + (down * (lowerRight - upperRight));
                    y[(i * _outWidth) + j] = RectifiesInput ? T.Max(T.Zero, maxima[column]) : maxima[column];
                    arg[(i * _outWidth) + j] = rowStart + column + right + (width * down);
                }
            }
        }
    }

    // The 2 × 2 window in float on AVX2, eight outputs at a time: the even and odd columns of 16 inputs of both
    // rows (two loads and two shuffles a row), then the same choices as ForwardPairs, the index included, with
    // no scratch rows and no scalar loop. Every store is of whole vectors: a row of eight outputs or more ends
    // with eight that overlap the ones before (computed twice, stored the same); a shorter row's vector runs
    // into the next row, which is stored after it, except at the end of the part's planes, where only the row
    // is written (another part may own what follows).
    private void ForwardPairsAvx(int start, int end, ReadOnlySpan<float> input, Span<float> output)
    {
        int height = InputShape.Height, width = InputShape.Width, outSize = _outHeight * _outWidth, outWidth = _outWidth;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float y = ref MemoryMarshal.GetReference(output);
        ref int arg = ref MemoryMarshal.GetArrayDataReference(_argmax);
        var twice = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var rowWidth = Vector256.Create(width);
        int last = end * outSize;
        bool rectify = RectifiesInput;
        for (int plane = start; plane < end; plane++)
        {
            int planeStart = plane * height * width;
            for (int i = 0; i < _outHeight; i++)
            {
                int rowStart = planeStart + (2 * i * width);
                for (int j0 = 0; j0 < outWidth; j0 += 8)
                {
                    int j = Math.Max(0, Math.Min(j0, outWidth - 8)), column = rowStart + (2 * j);
                    var (a, b) = EvenOdd(ref x, column, input.Length);
                    var (c, d) = EvenOdd(ref x, column + width, input.Length);
                    var takeB = Takes(a, b);
                    var takeD = Takes(c, d);
                    var upper = Vector256.ConditionalSelect(takeB, b, a);
                    var lower = Vector256.ConditionalSelect(takeD, d, c);
                    var takeLower = Takes(upper, lower);
                    var right = Vector256.ConditionalSelect(takeLower, takeD, takeB).AsInt32();
                    var index = Vector256.Create(column - planeStart) + twice - right + (takeLower.AsInt32() & rowWidth);
                    int at = (plane * outSize) + (i * outWidth) + j;
                    var maximum = Vector256.ConditionalSelect(takeLower, lower, upper);
                    if (rectify)
                    {
                        maximum = Vector256.Max(Vector256<float>.Zero, maximum);
                    }

                    if (at + 8 <= last)
                    {
                        maximum.StoreUnsafe(ref y, (nuint)at);
                        index.StoreUnsafe(ref arg, (nuint)at);
                    }
                    else
                    {
                        for (int k = 0; k < last - at; k++)
                        {
                            Unsafe.Add(ref y, at + k) = maximum.GetElement(k);
                            Unsafe.Add(ref arg, at + k) = index.GetElement(k);
                        }
                    }
                }
            }
        }
    }

    // (x[at], x[at + 2], …, x[at + 14]) and (x[at + 1], …, x[at + 15]); 16 values from `at`, or, when those would
    // run past the end, from 16 before the end with the even and odd lanes taken from where `at` is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) EvenOdd(ref float x, int at, int length)
    {
        Vector256<float> low, high;
        if (at + 16 <= length)
        {
            low = Vector256.LoadUnsafe(ref x, (nuint)at);
            high = Vector256.LoadUnsafe(ref x, (nuint)(at + 8));
        }
        else
        {
            // Only near the input's end, in an odd-width last row: the values past the end belong to no window
            // of these eight outputs. Take them one by one (rare).
            Span<float> values = stackalloc float[16];
            for (int k = 0; k < 16; k++)
            {
                values[k] = at + k < length ? Unsafe.Add(ref x, at + k) : 0f;
            }

            low = Vector256.Create<float>(values);
            high = Vector256.Create<float>(values[8..]);
        }

        return (Interleaving.Evens(low, high), Interleaving.Odds(low, high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Takes(Vector256<float> earlier, Vector256<float> later) =>
        Vector256.GreaterThan(later, earlier) | Vector256.AndNot(Vector256.Equals(earlier, earlier), Vector256.Equals(later, later));

    // Lanes where the later value replaces the earlier as the maximum: it is larger, or it is NaN and the earlier is not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Takes(Vector<T> earlier, Vector<T> later) =>
        Vector.GreaterThan(later, earlier) | Vector.AndNot(Vector.Equals(earlier, earlier), Vector.Equals(later, later));

    private void BackwardPlanes(int start, int end, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, ReadOnlySpan<T> output)
    {
        int inSize = InputShape.Height * InputShape.Width, outSize = _outHeight * _outWidth;
        for (int plane = start; plane < end; plane++)
        {
            var dx = inputGradient.Slice(plane * inSize, inSize);
            var dy = outputGradient.Slice(plane * outSize, outSize);
            var arg = _argmax.AsSpan(plane * outSize, outSize);
            dx.Clear();
            if (RectifiesInput)
            {
                // The ReLU's derivative at the window's maximum m: 0 where 0 ≥ m (then y = max(0, m) = +0, so
                // 0 ≥ y too), else 1 (NaN included), as the ReLU layer's backward pass has it.
                var y = output.Slice(plane * outSize, outSize);
                for (int o = 0; o < outSize; o++)
                {
                    dx[arg[o]] += T.Zero >= y[o] ? T.Zero : dy[o];
                }

                continue;
            }

            for (int o = 0; o < outSize; o++)
            {
                dx[arg[o]] += dy[o];
            }
        }
    }

    private ref struct Kernel : IRangeKernel
    {
        public MaxPool2D<T> Layer;
        public ReadOnlySpan<T> Input;
        public Span<T> Output;
        public bool Backward;
        public ReadOnlySpan<T> Pooled;

        public readonly void Execute(int part, int start, int end)
        {
            if (Backward)
            {
                Layer.BackwardPlanes(start, end, Input, Output, Pooled);
            }
            else
            {
                Layer.ForwardPlanes(start, end, Input, Output);
            }
        }
    }
}

using System.Numerics;
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

        var kernel = new Kernel { Layer = this, Input = outputGradient, Output = inputGradient, Backward = true };
        int planes = batch * InputShape.Channels;
        KernelPool.Run(ref kernel, planes, (planes + PlanesPerPart - 1) / PlanesPerPart);
    }

    private void ForwardPlanes(int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        int height = InputShape.Height, width = InputShape.Width, outSize = _outHeight * _outWidth;
        if (Size == 2 && Stride == 2)
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

                    y[(i * _outWidth) + j] = max;
                    arg[(i * _outWidth) + j] = best;
                }
            }
        }
    }

    // The common 2 × 2, stride 2 window without the general loop: the first maximum of (a, b, c, d) in
    // row-major order, NaN winning as in the general path.
    private void ForwardPairs(int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        int height = InputShape.Height, width = InputShape.Width, outSize = _outHeight * _outWidth;
        for (int plane = start; plane < end; plane++)
        {
            var x = input.Slice(plane * height * width, height * width);
            var y = output.Slice(plane * outSize, outSize);
            var arg = _argmax.AsSpan(plane * outSize, outSize);
            for (int i = 0; i < _outHeight; i++)
            {
                int top = 2 * i * width;
                for (int j = 0; j < _outWidth; j++)
                {
                    int at = top + (2 * j), best = at;
                    T max = x[at];
                    T b = x[at + 1], c = x[at + width], d = x[at + width + 1];
                    if (!(max >= b) && !T.IsNaN(max))
                    {
                        (max, best) = (b, at + 1);
                    }

                    if (!(max >= c) && !T.IsNaN(max))
                    {
                        (max, best) = (c, at + width);
                    }

                    if (!(max >= d) && !T.IsNaN(max))
                    {
                        (max, best) = (d, at + width + 1);
                    }

                    y[(i * _outWidth) + j] = max;
                    arg[(i * _outWidth) + j] = best;
                }
            }
        }
    }

    private void BackwardPlanes(int start, int end, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        int inSize = InputShape.Height * InputShape.Width, outSize = _outHeight * _outWidth;
        for (int plane = start; plane < end; plane++)
        {
            var dx = inputGradient.Slice(plane * inSize, inSize);
            var dy = outputGradient.Slice(plane * outSize, outSize);
            var arg = _argmax.AsSpan(plane * outSize, outSize);
            dx.Clear();
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

        public readonly void Execute(int part, int start, int end)
        {
            if (Backward)
            {
                Layer.BackwardPlanes(start, end, Input, Output);
            }
            else
            {
                Layer.ForwardPlanes(start, end, Input, Output);
            }
        }
    }
}

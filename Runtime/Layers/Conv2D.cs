using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoDiff.Threading;

namespace AutoDiff.Layers;

/// <summary>
/// A 2-D convolution (PyTorch's <c>Conv2d</c>, cross-correlation): for each sample,
/// y[o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x[c, i·s + u − p, j·s + v − p] (zero outside the image),
/// output size ⌊(H + 2p − k) / s⌋ + 1.
/// </summary>
/// <remarks>
/// Two algorithms (<see cref="ConvolutionAlgorithm"/>): by default a stride-1 convolution with a 3×3 or 5×5
/// kernel and 8 input channels or more runs Winograd's F(2×2, k×k), which needs 2.25× (3×3) or 2.8× (5×5)
/// fewer multiplications; any other unfolds each sample (im2col) into a (C·k·k) × (H′·W′) matrix so that the convolution is one product
/// W · col on <see cref="Gemm"/>. The batch is cut into parts of whole samples run on the
/// <see cref="KernelPool"/>; each part has its own buffers and its own partial weight gradient,
/// and the partials are added in part order, so the result does not depend on the number of threads.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Conv2D<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int MaxParts = 16;

    // The fewest input channels for which Auto picks Winograd's algorithm.
    private const int AutoWinogradChannels = 8;

    private readonly Parameter<T> _weight;
    private readonly Parameter<T> _bias;
    private Part[] _parts = [];
    private WinogradConvolution<T>? _winograd;
    private int _outHeight, _outWidth;

    // One shift plane of LayOutShifts: the zero-bordered input's rows × the output's width, and a vector of
    // zeros after them for the last vector's reads.
    private int _shiftStride;

    /// <summary>A convolution of <paramref name="inChannels"/> to <paramref name="outChannels"/> channels with square kernels.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (filters).</param>
    /// <param name="kernelSize">The side k of the kernel.</param>
    /// <param name="stride">The step s between windows.</param>
    /// <param name="padding">Zeros p added on every side.</param>
    /// <param name="initialization">How the weights are drawn (He by default: the layer is usually followed by a ReLU).</param>
    /// <param name="algorithm">How the products are computed (<see cref="ConvolutionAlgorithm.Auto"/>: Winograd where it applies and pays).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or the padding negative.</exception>
    /// <exception cref="ArgumentException"><see cref="ConvolutionAlgorithm.Winograd"/> is asked for a stride other than 1 or a kernel other than 3 or 5.</exception>
    public Conv2D(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, Initialization initialization = Initialization.He,
        ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        (InChannels, OutChannels, KernelSize, Stride, Padding, Initialization) = (inChannels, outChannels, kernelSize, stride, padding, initialization);
        bool winograd = stride == 1 && (kernelSize == 3 || kernelSize == 5);
        Algorithm = algorithm switch
        {
            // With few input channels the transforms outweigh the products they save (the first convolution of the
            // MNIST net is faster by GEMM: docs/benchmarks.md, "Figures behind the runtime's code").
            ConvolutionAlgorithm.Auto => winograd && inChannels >= AutoWinogradChannels ? ConvolutionAlgorithm.Winograd : ConvolutionAlgorithm.Gemm,
            ConvolutionAlgorithm.Gemm => algorithm,
            ConvolutionAlgorithm.Winograd when winograd => algorithm,
            ConvolutionAlgorithm.Winograd => throw new ArgumentException(
                $"Winograd's algorithm here needs stride 1 and a 3×3 or 5×5 kernel, not stride {stride} and {kernelSize}×{kernelSize}: use ConvolutionAlgorithm.Auto or Gemm.", nameof(algorithm)),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a ConvolutionAlgorithm."),
        };
        _weight = new Parameter<T>("weight", outChannels * inChannels * kernelSize * kernelSize);
        _bias = new Parameter<T>("bias", outChannels);
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>The side of the kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }

    /// <summary>How the weights were drawn.</summary>
    public Initialization Initialization { get; }

    /// <summary>How the products are computed: <see cref="ConvolutionAlgorithm.Gemm"/> or <see cref="ConvolutionAlgorithm.Winograd"/> (never Auto).</summary>
    public ConvolutionAlgorithm Algorithm { get; }

    /// <summary>The weights, OutChannels × InChannels × k × k.</summary>
    public Parameter<T> Weight => _weight;

    /// <summary>The biases, one per output channel.</summary>
    public Parameter<T> Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => [_weight, _bias];

    private int Unfolded => InChannels * KernelSize * KernelSize;

    // The column shifts LayOutShifts lays out per sample and input channel (k of them used).
    private const int DirectShifts = 5;

    // Stride 1, kernels up to 5 × 5 and at least 4 vectors of output positions (DirectForward's block): the unfolding
    // path's forward pass and weight gradient run on the column shifts instead (DirectForward, DirectWeightGradient).
    private bool Direct =>
        Algorithm == ConvolutionAlgorithm.Gemm && Stride == 1 && KernelSize <= DirectShifts && _outHeight * _outWidth >= 4 * Vector<T>.Count;


    /// <inheritdoc/>
    protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random)
    {
        if (input.Channels != InChannels)
        {
            throw new ArgumentException($"Conv2D expects {InChannels} input channels but is given samples of shape {input}.", nameof(input));
        }

        int h = ((input.Height + (2 * Padding) - KernelSize) / Stride) + 1, w = ((input.Width + (2 * Padding) - KernelSize) / Stride) + 1;
        if (input.Height + (2 * Padding) < KernelSize || input.Width + (2 * Padding) < KernelSize)
        {
            throw new ArgumentException($"A {KernelSize}×{KernelSize} kernel with padding {Padding} does not fit samples of shape {input}.", nameof(input));
        }

        (_outHeight, _outWidth) = (h, w);
        _shiftStride = ((input.Height + (2 * Padding)) * w) + Vector<T>.Count;
        Initializer.Fill<T>(_weight.Value, Initialization, Unfolded, OutChannels * KernelSize * KernelSize, random);
        if (Initialization == Initialization.PyTorch)
        {
            Initializer.Fill<T>(_bias.Value, Initialization, Unfolded, OutChannels, random);
        }
        int positions = h * w, k = Unfolded, parts = Math.Min(MaxParts, maxBatch);
        _parts = new Part[parts];
        for (int p = 0; p < _parts.Length; p++)
        {
            _parts[p] = Algorithm == ConvolutionAlgorithm.Winograd ? new Part { BiasGradient = new T[OutChannels] } : new Part
            {
                BiasGradient = new T[OutChannels],
                Columns = new T[(k * positions) + Vector<T>.Count], // a vector of slack: see Col2Im
                Padded = new T[input.Channels * (input.Height + (2 * Padding)) * (input.Width + (2 * Padding))],
                PaddedGradient = new T[(input.Channels * (input.Height + (2 * Padding)) * (input.Width + (2 * Padding))) + Vector<T>.Count],
                WeightGradient = new T[_weight.Value.Length],
                Shifted = Direct ? new T[((maxBatch + parts - 1) / parts) * InChannels * DirectShifts * _shiftStride] : [],
                Workspace = new GemmWorkspace<T>(Math.Max(OutChannels, k), Math.Max(positions, k), Math.Max(k, Math.Max(positions, OutChannels)), transposeB: true),
            };
        }

        if (Algorithm == ConvolutionAlgorithm.Winograd)
        {
            _winograd = new WinogradConvolution<T>(InChannels, OutChannels, KernelSize, Padding, input, h, w, parts, (maxBatch + parts - 1) / parts);
        }

        return new TensorShape(OutChannels, h, w);
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<T> input, Span<T> output, int batch, bool training)
    {
        CheckForward(input, output, batch);
        _winograd?.TransformFilters(_weight.Value);
        var kernel = new ForwardKernel { Layer = this, Input = input, Output = output };
        KernelPool.Run(ref kernel, batch, PartsFor(batch));
    }

    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int batch)
    {
        CheckBackward(input, output, outputGradient, inputGradient, batch);
        int parts = PartsFor(batch);
        var kernel = new BackwardKernel { Layer = this, Input = input, OutputGradient = outputGradient, InputGradient = inputGradient };
        KernelPool.Run(ref kernel, batch, parts);

        // The partial gradients of the parts, added in part order: the same bits on any number of threads.
        _parts[0].BiasGradient.AsSpan().CopyTo(_bias.Gradient);
        for (int p = 1; p < parts; p++)
        {
            TensorPrimitives.Add(_bias.Gradient, _parts[p].BiasGradient, _bias.Gradient);
        }

        if (_winograd is { } winograd)
        {
            winograd.FilterGradient(parts, _weight.Gradient);
            return;
        }

        _parts[0].WeightGradient.AsSpan().CopyTo(_weight.Gradient);
        for (int p = 1; p < parts; p++)
        {
            TensorPrimitives.Add(_weight.Gradient, _parts[p].WeightGradient, _weight.Gradient);
        }
    }

    // The parts depend on the batch alone (whole samples, at most MaxParts), never on the thread count.
    private int PartsFor(int batch) => Math.Min(batch, _parts.Length);

    private void ForwardSamples(int part, int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        if (_winograd is { } winograd)
        {
            winograd.Forward(part, start, end, input, _bias.Value, output);
            return;
        }

        if (Direct)
        {
            DirectForward(part, start, end, input, output);
            return;
        }

        var state = _parts[part];
        int inSize = InputShape.Size, positions = _outHeight * _outWidth, k = Unfolded;
        for (int s = start; s < end; s++)
        {
            Im2Col(input.Slice(s * inSize, inSize), state.Padded, state.Columns);
            var y = output.Slice(s * OutChannels * positions, OutChannels * positions);
            Gemm.Multiply<T>(OutChannels, positions, k, _weight.Value, k, false, state.Columns, positions, false, y, positions, false, state.Workspace!);
            for (int o = 0; o < OutChannels; o++)
            {
                var row = y.Slice(o * positions, positions);
                TensorPrimitives.Add(row, _bias.Value[o], row);
            }
        }
    }

    private void BackwardSamples(int part, int start, int end, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        var state = _parts[part];
        int inSize = InputShape.Size, positions = _outHeight * _outWidth, k = Unfolded;
        state.BiasGradient.AsSpan().Clear();
        for (int s = start; s < end; s++)
        {
            var dy = outputGradient.Slice(s * OutChannels * positions, OutChannels * positions);
            for (int o = 0; o < OutChannels; o++)
            {
                state.BiasGradient[o] += TensorPrimitives.Sum<T>(dy.Slice(o * positions, positions));
            }
        }

        if (_winograd is { } winograd)
        {
            winograd.Backward(part, start, end, input, outputGradient, inputGradient);
            return;
        }

        bool direct = Direct;
        if (direct)
        {
            DirectWeightGradient(part, start, end, outputGradient);
        }

        for (int s = start; s < end; s++)
        {
            var dy = outputGradient.Slice(s * OutChannels * positions, OutChannels * positions);
            if (!direct)
            {
                Im2Col(input.Slice(s * inSize, inSize), state.Padded, state.Columns);

                // ∂L/∂W (+)= dY · colᵀ: an OutChannels × k product over the positions.
                Gemm.Multiply<T>(OutChannels, k, positions, dy, positions, false, state.Columns, positions, true,
                    state.WeightGradient, k, accumulate: s > start, state.Workspace!);
            }

            if (!inputGradient.IsEmpty)
            {
                // ∂L/∂col = Wᵀ · dY, folded back onto the image (col2im adds overlapping windows).
                Gemm.Multiply<T>(k, positions, OutChannels, _weight.Value, k, true, dy, positions, false,
                    state.Columns, positions, false, state.Workspace!);
                Col2Im(state.Columns, state.PaddedGradient, inputGradient.Slice(s * inSize, inSize));
            }
        }
    }

    // Each sample's k column shifts of its zero-bordered input x̄, laid out once for both passes of a training
    // step: shifted[c, v, r·W′ + j] = x̄[c, r, j + v] (rows of the output's width W′; DirectShifts planes per
    // channel, a vector of zeros after each).
    private void LayOutShifts(int part, int start, int end, ReadOnlySpan<T> input)
    {
        var state = _parts[part];
        int width = _outWidth, inSize = InputShape.Size, rows = InputShape.Height + (2 * Padding), pw = InputShape.Width + (2 * Padding);
        int rowStride = _shiftStride, sampleStride = InChannels * DirectShifts * rowStride;
        for (int s = start; s < end; s++)
        {
            Pad(input.Slice(s * inSize, inSize), state.Padded);
            for (int c = 0; c < InChannels; c++)
            {
                for (int v = 0; v < KernelSize; v++)
                {
                    var plane = state.Shifted.AsSpan(((s - start) * sampleStride) + (((c * DirectShifts) + v) * rowStride));
                    for (int r = 0; r < rows; r++)
                    {
                        state.Padded.AsSpan((((c * rows) + r) * pw) + v, width).CopyTo(plane.Slice(r * width));
                    }
                }
            }
        }
    }

    // The forward pass of a stride-1 convolution with kernels of up to 5 × 5, without unfolding: from the shifts,
    // y[o, p] = b[o] + Σ over c, u, v of W[o, c, u, v]·shifted[c, v, p + u·W′], 4 output channels × 4 vectors of
    // positions in 16 accumulators, each tap one broadcast weight per channel and one load per vector.
    private void DirectForward(int part, int start, int end, ReadOnlySpan<T> input, Span<T> output)
    {
        LayOutShifts(part, start, end, input);
        var state = _parts[part];
        int w = Vector<T>.Count, k = KernelSize, width = _outWidth, positions = _outHeight * width, rowStride = _shiftStride;
        int sampleStride = InChannels * DirectShifts * rowStride, filter = InChannels * k * k;
        ref T weights = ref MemoryMarshal.GetArrayDataReference(_weight.Value);
        ref T y = ref MemoryMarshal.GetReference(output);
        for (int s = start; s < end; s++)
        {
            ref T shifted = ref state.Shifted[(s - start) * sampleStride];
            for (int ob = 0; ob < OutChannels; ob += 4)
            {
                // A last block of fewer than four channels repeats its last: the same values, stored twice.
                int o1 = Math.Min(ob + 1, OutChannels - 1) - ob, o2 = Math.Min(ob + 2, OutChannels - 1) - ob, o3 = Math.Min(ob + 3, OutChannels - 1) - ob;
                ref T w0 = ref Unsafe.Add(ref weights, ob * filter);
                ref T w1 = ref Unsafe.Add(ref w0, o1 * filter);
                ref T w2 = ref Unsafe.Add(ref w0, o2 * filter);
                ref T w3 = ref Unsafe.Add(ref w0, o3 * filter);
                ref T y0 = ref Unsafe.Add(ref y, ((s * OutChannels) + ob) * positions);
                ref T y1 = ref Unsafe.Add(ref y0, o1 * positions);
                ref T y2 = ref Unsafe.Add(ref y0, o2 * positions);
                ref T y3 = ref Unsafe.Add(ref y0, o3 * positions);
                var b0 = new Vector<T>(_bias.Value[ob]);
                var b1 = new Vector<T>(_bias.Value[ob + o1]);
                var b2 = new Vector<T>(_bias.Value[ob + o2]);
                var b3 = new Vector<T>(_bias.Value[ob + o3]);
                for (int p = 0; p < positions; p += 4 * w)
                {
                    // The last block ends at the last position, overlapping the one before: the same values again.
                    p = Math.Min(p, positions - (4 * w));
                    Vector<T> a00 = b0, a01 = b0, a02 = b0, a03 = b0, a10 = b1, a11 = b1, a12 = b1, a13 = b1, a20 = b2, a21 = b2, a22 = b2, a23 = b2, a30 = b3, a31 = b3, a32 = b3, a33 = b3;
                    for (int c = 0; c < InChannels; c++)
                    {
                        for (int u = 0; u < k; u++)
                        {
                            for (int v = 0; v < k; v++)
                            {
                                ref T x = ref Unsafe.Add(ref shifted, (((c * DirectShifts) + v) * rowStride) + (u * width));
                                int tap = (((c * k) + u) * k) + v;
                                var x0 = Vector.LoadUnsafe(ref x, (nuint)(p + (0 * w)));
                                var x1 = Vector.LoadUnsafe(ref x, (nuint)(p + (1 * w)));
                                var x2 = Vector.LoadUnsafe(ref x, (nuint)(p + (2 * w)));
                                var x3 = Vector.LoadUnsafe(ref x, (nuint)(p + (3 * w)));
                                var f0 = new Vector<T>(Unsafe.Add(ref w0, tap));
                                var f1 = new Vector<T>(Unsafe.Add(ref w1, tap));
                                var f2 = new Vector<T>(Unsafe.Add(ref w2, tap));
                                var f3 = new Vector<T>(Unsafe.Add(ref w3, tap));
                                a00 = Gemm.Fma(f0, x0, a00);
                                a01 = Gemm.Fma(f0, x1, a01);
                                a02 = Gemm.Fma(f0, x2, a02);
                                a03 = Gemm.Fma(f0, x3, a03);
                                a10 = Gemm.Fma(f1, x0, a10);
                                a11 = Gemm.Fma(f1, x1, a11);
                                a12 = Gemm.Fma(f1, x2, a12);
                                a13 = Gemm.Fma(f1, x3, a13);
                                a20 = Gemm.Fma(f2, x0, a20);
                                a21 = Gemm.Fma(f2, x1, a21);
                                a22 = Gemm.Fma(f2, x2, a22);
                                a23 = Gemm.Fma(f2, x3, a23);
                                a30 = Gemm.Fma(f3, x0, a30);
                                a31 = Gemm.Fma(f3, x1, a31);
                                a32 = Gemm.Fma(f3, x2, a32);
                                a33 = Gemm.Fma(f3, x3, a33);
                            }
                        }
                    }

                    Vector.StoreUnsafe(a00, ref y0, (nuint)(p + (0 * w)));
                    Vector.StoreUnsafe(a01, ref y0, (nuint)(p + (1 * w)));
                    Vector.StoreUnsafe(a02, ref y0, (nuint)(p + (2 * w)));
                    Vector.StoreUnsafe(a03, ref y0, (nuint)(p + (3 * w)));
                    Vector.StoreUnsafe(a10, ref y1, (nuint)(p + (0 * w)));
                    Vector.StoreUnsafe(a11, ref y1, (nuint)(p + (1 * w)));
                    Vector.StoreUnsafe(a12, ref y1, (nuint)(p + (2 * w)));
                    Vector.StoreUnsafe(a13, ref y1, (nuint)(p + (3 * w)));
                    Vector.StoreUnsafe(a20, ref y2, (nuint)(p + (0 * w)));
                    Vector.StoreUnsafe(a21, ref y2, (nuint)(p + (1 * w)));
                    Vector.StoreUnsafe(a22, ref y2, (nuint)(p + (2 * w)));
                    Vector.StoreUnsafe(a23, ref y2, (nuint)(p + (3 * w)));
                    Vector.StoreUnsafe(a30, ref y3, (nuint)(p + (0 * w)));
                    Vector.StoreUnsafe(a31, ref y3, (nuint)(p + (1 * w)));
                    Vector.StoreUnsafe(a32, ref y3, (nuint)(p + (2 * w)));
                    Vector.StoreUnsafe(a33, ref y3, (nuint)(p + (3 * w)));
                }
            }
        }
    }

    // ∂L/∂W of a stride-1 convolution with kernels of up to 5 × 5, without unfolding:
    // ∂L/∂W[o, c, u, v] = Σ over the part's samples and the positions p = i·W′ + j of dY[o, p] · x̄[c, i + u, j + v],
    // x̄ the zero-bordered input. From the shifts the forward pass laid out (LayOutShifts: the backward pass follows
    // the forward pass of the same input), tap (u, v) reads shift v from row u on: x̄[c, i + u, j + v] =
    // shifted[c, v, p + u·W′], a contiguous run. So each weight is a dot product of two contiguous runs, and
    // four output channels × five shifts are summed in 20 vector accumulators over all of the part's samples
    // (the unfolding instead writes k² shifted copies of each sample and multiplies them on the GEMM, whose
    // packing of a 16 × 784 by 784 × 25 product per sample costs more than the products).
    private void DirectWeightGradient(int part, int start, int end, ReadOnlySpan<T> outputGradient)
    {
        var state = _parts[part];
        int w = Vector<T>.Count, k = KernelSize, width = _outWidth, positions = _outHeight * width, rowStride = _shiftStride;
        int sampleStride = InChannels * DirectShifts * rowStride;
        var dw = state.WeightGradient.AsSpan();
        Span<T> sums = stackalloc T[4 * DirectShifts];
        var fresh = ~HeadMask(w - (positions % w));
        ref T dy = ref MemoryMarshal.GetReference(outputGradient);
        for (int ob = 0; ob < OutChannels; ob += 4)
        {
            // A last block of fewer than four channels repeats its first (the extra sums are not stored).
            int o1 = Math.Min(ob + 1, OutChannels - 1) - ob, o2 = Math.Min(ob + 2, OutChannels - 1) - ob, o3 = Math.Min(ob + 3, OutChannels - 1) - ob;
            for (int c = 0; c < InChannels; c++)
            {
                for (int u = 0; u < k; u++)
                {
                    Vector<T> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a20 = default, a21 = default, a22 = default, a23 = default, a24 = default, a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
                    for (int s = start; s < end; s++)
                    {
                        ref T dy0 = ref Unsafe.Add(ref dy, ((s * OutChannels) + ob) * positions);
                        ref T dy1 = ref Unsafe.Add(ref dy0, o1 * positions);
                        ref T dy2 = ref Unsafe.Add(ref dy0, o2 * positions);
                        ref T dy3 = ref Unsafe.Add(ref dy0, o3 * positions);
                        ref T x0s = ref state.Shifted[((s - start) * sampleStride) + (c * DirectShifts * rowStride) + (u * width)];
                        ref T x1s = ref Unsafe.Add(ref x0s, rowStride);
                        ref T x2s = ref Unsafe.Add(ref x1s, rowStride);
                        ref T x3s = ref Unsafe.Add(ref x2s, rowStride);
                        ref T x4s = ref Unsafe.Add(ref x3s, rowStride);
                        var mask = Vector<T>.AllBitsSet;
                        for (int p = 0; p < positions; p += w)
                        {
                            if (p > positions - w)
                            {
                                // The last vector ends at the last position; its first w − head lanes were summed.
                                (p, mask) = (positions - w, fresh);
                            }

                            var x0 = Vector.LoadUnsafe(ref x0s, (nuint)p);
                            var x1 = Vector.LoadUnsafe(ref x1s, (nuint)p);
                            var x2 = Vector.LoadUnsafe(ref x2s, (nuint)p);
                            var x3 = Vector.LoadUnsafe(ref x3s, (nuint)p);
                            var x4 = Vector.LoadUnsafe(ref x4s, (nuint)p);
                            var d0 = Vector.LoadUnsafe(ref dy0, (nuint)p) & mask;
                            a00 = Gemm.Fma(d0, x0, a00);
                            a01 = Gemm.Fma(d0, x1, a01);
                            a02 = Gemm.Fma(d0, x2, a02);
                            a03 = Gemm.Fma(d0, x3, a03);
                            a04 = Gemm.Fma(d0, x4, a04);
                            var d1 = Vector.LoadUnsafe(ref dy1, (nuint)p) & mask;
                            a10 = Gemm.Fma(d1, x0, a10);
                            a11 = Gemm.Fma(d1, x1, a11);
                            a12 = Gemm.Fma(d1, x2, a12);
                            a13 = Gemm.Fma(d1, x3, a13);
                            a14 = Gemm.Fma(d1, x4, a14);
                            var d2 = Vector.LoadUnsafe(ref dy2, (nuint)p) & mask;
                            a20 = Gemm.Fma(d2, x0, a20);
                            a21 = Gemm.Fma(d2, x1, a21);
                            a22 = Gemm.Fma(d2, x2, a22);
                            a23 = Gemm.Fma(d2, x3, a23);
                            a24 = Gemm.Fma(d2, x4, a24);
                            var d3 = Vector.LoadUnsafe(ref dy3, (nuint)p) & mask;
                            a30 = Gemm.Fma(d3, x0, a30);
                            a31 = Gemm.Fma(d3, x1, a31);
                            a32 = Gemm.Fma(d3, x2, a32);
                            a33 = Gemm.Fma(d3, x3, a33);
                            a34 = Gemm.Fma(d3, x4, a34);
                        }
                    }

                    // The sums of channels ob … ob + 3 (those that exist), row u, shifts 0 … k − 1.
                    Sums(sums, 0, a00, a01, a02, a03, a04);
                    Sums(sums, 1, a10, a11, a12, a13, a14);
                    Sums(sums, 2, a20, a21, a22, a23, a24);
                    Sums(sums, 3, a30, a31, a32, a33, a34);
                    int at = (((ob * InChannels) + c) * k * k) + (u * k), filter = InChannels * k * k;
                    for (int o = 0; o < Math.Min(4, OutChannels - ob); o++)
                    {
                        sums.Slice(o * DirectShifts, k).CopyTo(dw.Slice(at + (o * filter), k));
                    }
                }
            }
        }
    }

    // Inlined: the accumulators of the other channels must not live across a call (they would be spilled in the loop).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sums(Span<T> sums, int o, Vector<T> v0, Vector<T> v1, Vector<T> v2, Vector<T> v3, Vector<T> v4)
    {
        var row = sums.Slice(o * DirectShifts, DirectShifts);
        (row[0], row[1], row[2], row[3], row[4]) = (Vector.Sum(v0), Vector.Sum(v1), Vector.Sum(v2), Vector.Sum(v3), Vector.Sum(v4));
    }

    // col[(c·k + u)·k + v, i·W′ + j] = x[c, i·s + u − p, j·s + v − p], zero outside the image: the sample is
    // first copied into the interior of a zero-bordered plane, so every row of col is a gather without tests,
    // and with stride 1 each output row is a few whole-vector copies (the last overlapping the one before).
    private unsafe void Im2Col(ReadOnlySpan<T> x, Span<T> padded, Span<T> col)
    {
        int height = InputShape.Height, width = InputShape.Width, pw = width + (2 * Padding), ph = height + (2 * Padding);
        int outWidth = _outWidth, w = Vector<T>.Count;
        Pad(x, padded);
        fixed (T* plane = padded, columns = col)
        {
            T* dst = columns;
            for (int c = 0; c < InChannels; c++)
            {
                for (int u = 0; u < KernelSize; u++)
                {
                    for (int v = 0; v < KernelSize; v++)
                    {
                        T* src = plane + (((c * ph) + u) * pw) + v;
                        for (int i = 0; i < _outHeight; i++, src += Stride * pw, dst += outWidth)
                        {
                            if (Stride == 1 && outWidth >= w)
                            {
                                int j = 0;
                                for (; j <= outWidth - w; j += w)
                                {
                                    Vector.Store(Vector.Load(src + j), dst + j);
                                }

                                if (j < outWidth)
                                {
                                    Vector.Store(Vector.Load(src + outWidth - w), dst + outWidth - w);
                                }
                            }
                            else
                            {
                                for (int j = 0; j < outWidth; j++)
                                {
                                    dst[j] = src[j * Stride];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // The sample into the interior of its zero-bordered planes (the border is never written).
    private void Pad(ReadOnlySpan<T> x, Span<T> padded)
    {
        int height = InputShape.Height, width = InputShape.Width, pw = width + (2 * Padding), ph = height + (2 * Padding);
        for (int c = 0; c < InChannels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                x.Slice(((c * height) + y) * width, width).CopyTo(padded.Slice((((c * ph) + y + Padding) * pw) + Padding, width));
            }
        }
    }

    // The adjoint of Im2Col: dx[c, i·s + u − p, j·s + v − p] += dcol[(c·k + u)·k + v, i·W′ + j], summed in the
    // zero-bordered plane, whose interior is then the gradient of the sample.
    private unsafe void Col2Im(ReadOnlySpan<T> col, Span<T> padded, Span<T> dx)
    {
        int height = InputShape.Height, width = InputShape.Width, pw = width + (2 * Padding), ph = height + (2 * Padding);
        int outWidth = _outWidth, w = Vector<T>.Count;
        var tail = HeadMask(outWidth % w);
        padded.Clear();
        fixed (T* plane = padded, columns = col)
        {
            T* src = columns;
            for (int c = 0; c < InChannels; c++)
            {
                for (int u = 0; u < KernelSize; u++)
                {
                    for (int v = 0; v < KernelSize; v++)
                    {
                        T* dst = plane + (((c * ph) + u) * pw) + v;
                        for (int i = 0; i < _outHeight; i++, dst += Stride * pw, src += outWidth)
                        {
                            if (Stride == 1 && outWidth >= w)
                            {
                                int j = 0;
                                for (; j <= outWidth - w; j += w)
                                {
                                    Vector.Store(Vector.Load(dst + j) + Vector.Load(src + j), dst + j);
                                }

                                if (j < outWidth)
                                {
                                    // The last vector runs past the line (into the border or the next row, adding zeros
                                    // there: both buffers have a vector of slack). An overlapping last vector would load
                                    // what the store before it just wrote, and stall on store forwarding.
                                    Vector.Store(Vector.Load(dst + j) + Vector.ConditionalSelect(tail, Vector.Load(src + j), Vector<T>.Zero), dst + j);
                                }
                            }
                            else
                            {
                                for (int j = 0; j < outWidth; j++)
                                {
                                    dst[j * Stride] += src[j];
                                }
                            }
                        }
                    }
                }
            }
        }

        for (int c = 0; c < InChannels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                padded.Slice((((c * ph) + y + Padding) * pw) + Padding, width).CopyTo(dx.Slice(((c * height) + y) * width, width));
            }
        }
    }

    // The first `count` lanes set, the others clear.
    private static Vector<T> HeadMask(int count)
    {
        Span<T> ones = stackalloc T[Vector<T>.Count];
        for (int i = 0; i < ones.Length; i++)
        {
            ones[i] = i < count ? T.One : T.Zero;
        }

        return Vector.Equals(new Vector<T>(ones), Vector<T>.One);
    }

    private sealed class Part
    {
        public required T[] BiasGradient;

        // The unfolding algorithm's buffers (left empty with Winograd's, which has its own).
        public T[] Columns = [];
        public T[] Padded = [];
        public T[] PaddedGradient = [];
        public T[] WeightGradient = [];
        public T[] Shifted = [];
        public GemmWorkspace<T>? Workspace;
    }

    private ref struct ForwardKernel : IRangeKernel
    {
        public Conv2D<T> Layer;
        public ReadOnlySpan<T> Input;
        public Span<T> Output;

        public readonly void Execute(int part, int start, int end) => Layer.ForwardSamples(part, start, end, Input, Output);
    }

    private ref struct BackwardKernel : IRangeKernel
    {
        public Conv2D<T> Layer;
        public ReadOnlySpan<T> Input;
        public ReadOnlySpan<T> OutputGradient;
        public Span<T> InputGradient;

        public readonly void Execute(int part, int start, int end) =>
            Layer.BackwardSamples(part, start, end, Input, OutputGradient, InputGradient);
    }
}

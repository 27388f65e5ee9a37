using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AutoDiff.Threading;

namespace AutoDiff.Layers;

/// <summary>
/// A stride-1 convolution with a 3×3 or 5×5 kernel by Winograd's F(2×2, r×r): each 2×2 block of outputs
/// (a tile) is Aᵀ[Σ_c U_oc ⊙ V_c]A with U_oc = G·W_oc·Gᵀ and V_c = Bᵀ·d_c·B, d_c the (r+1)×(r+1) input
/// patch under the tile. For each of the α² = (r+1)² positions ξ of a transformed tile the sum over input
/// channels is one matrix product M[ξ] = U[ξ]·V[ξ] (O × C by C × tiles) on <see cref="Gemm"/>: α² products
/// per 4 outputs instead of r², 2.8× fewer multiplications for r = 5 and 2.25× for r = 3.
/// </summary>
/// <remarks>
/// <para>
/// The backward pass is the same algorithm transposed: the output gradient's tiles become A·dY·Aᵀ (dM), the
/// filter gradient is Gᵀ[Σ_tiles dM ⊙ V]G (per ξ the product dM[ξ]·V[ξ]ᵀ) and the input gradient
/// B[Σ_o U ⊙ dM]Bᵀ added back onto the overlapping input patches (per ξ the product U[ξ]ᵀ·dM[ξ]).
/// </para>
/// <para>
/// The lanes of a vector are neighbouring tiles of one row of tiles. Tile t of a row reads padded columns
/// 2t … 2t + r, so the input is stored split into its even and odd columns, where the value at column 2t + b
/// of every lane is one contiguous load (half-row b mod 2, offset t + ⌊b/2⌋). The tiles of a sample are
/// numbered row after row without gaps, so a vector that runs past the end of its row of tiles stores the
/// next row's first tiles too: the next row's stores, made later, replace them, and the input gradient masks
/// them out. A part transforms a chunk of its samples at once: their tiles are the columns of the α² products.
/// </para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class WinogradConvolution<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // At most about this many bytes of transformed tiles (V and M) per part and chunk. Batch 64 of the benchmark
    // net's second convolution has 4 samples per part, 1.35 MB: one chunk of 4 ran faster than two of 2 or four of 1.
    private const int ChunkBytes = 2 * 1024 * 1024;

    private readonly int _in, _out, _kernel, _alpha, _padding;
    private readonly int _height, _width, _outHeight, _outWidth;
    private readonly int _tileRows, _tileColumns, _rowTiles, _sampleTiles, _planeRows, _halfWidth, _chunk;
    private readonly T[] _g;
    private readonly T[] _filters;                  // U[ξ][o·C + c], ξ rows of _pairStride
    private readonly T[] _taps;                     // the weights or their gradient, [u·r + v][o·C + c]
    private readonly int _pairStride;               // O·C rounded up to whole vectors
    private readonly T[] _packedFilters;           // U[ξ] packed for Gemm.MultiplyPacked, then U[ξ]ᵀ
    private readonly int _packedForward, _packedBackward;
    private readonly T[] _filterGradients;
    private readonly Scratch[] _scratch;
    private readonly int[] _claimed;
    private readonly T[][] _filterGradientParts;

    public WinogradConvolution(int inChannels, int outChannels, int kernel, int padding, TensorShape input, int outHeight, int outWidth, int parts, int maxSamplesPerPart)
    {
        (_in, _out, _kernel, _alpha, _padding) = (inChannels, outChannels, kernel, kernel + 1, padding);
        (_height, _width, _outHeight, _outWidth) = (input.Height, input.Width, outHeight, outWidth);
        int lanes = Vector<T>.Count;
        _tileRows = (outHeight + 1) / 2;
        _tileColumns = (outWidth + 1) / 2;
        _rowTiles = (_tileColumns + lanes - 1) / lanes * lanes; // a row of tiles in whole vectors
        _sampleTiles = _tileRows * _tileColumns;
        _planeRows = (2 * _tileRows) + kernel - 1;
        _halfWidth = _rowTiles + (_alpha / 2);
        int a2 = _alpha * _alpha;
        int perSample = a2 * (inChannels + outChannels) * _sampleTiles * Unsafe.SizeOf<T>();
        _chunk = Math.Clamp(ChunkBytes / perSample, 1, maxSamplesPerPart);

        var g = kernel == 5 ? WinogradTile5<T>.FilterTransform : WinogradTile3<T>.FilterTransform;
        _g = new T[g.Length];
        for (int i = 0; i < g.Length; i++)
        {
            _g[i] = T.CreateTruncating(g[i]);
        }

        _pairStride = (outChannels * inChannels) + lanes - 1 - (((outChannels * inChannels) + lanes - 1) % lanes);
        _filters = new T[a2 * _pairStride];
        _taps = new T[kernel * kernel * _pairStride];
        _filterGradients = new T[(a2 * outChannels * inChannels) + lanes]; // a vector of slack for FilterGradient's loads
        _packedForward = Gemm.PackedLength(outChannels, inChannels);
        _packedBackward = Gemm.PackedLength(inChannels, outChannels);
        _packedFilters = new T[a2 * (_packedForward + _packedBackward)];
        int stride = (_chunk * _sampleTiles) + lanes; // a row of V or M: the chunk's tiles and a vector of slack
        // Scratch buffers are claimed by the parts running at a time, the lowest free one first: on two threads
        // the parts take turns on two sets, which stay in the cores' caches. Everything in them is written before
        // it is read, so which set a part gets does not change its result. There is one set per processor (a
        // part waits for a set if more threads than processors run). Each part has its own partial filter
        // gradient, added in part order.
        _filterGradientParts = new T[parts][];
        for (int p = 0; p < parts; p++)
        {
            _filterGradientParts[p] = new T[a2 * outChannels * inChannels];
        }

        _scratch = new Scratch[Math.Min(parts, Environment.ProcessorCount)];
        _claimed = new int[_scratch.Length];
        for (int p = 0; p < _scratch.Length; p++)
        {
            _scratch[p] = new Scratch
            {
                Plane = new T[inChannels * _planeRows * 2 * _halfWidth],
                InputGradientPlane = new T[inChannels * _planeRows * 2 * _halfWidth],
                GradientPlane = new T[outChannels * 2 * _tileRows * 2 * _rowTiles],
                Transformed = new T[a2 * inChannels * stride],
                Products = new T[a2 * outChannels * stride],
                Workspace = new GemmWorkspace<T>(Math.Max(inChannels, outChannels), stride, Math.Max(inChannels, outChannels), transposeB: false),
            };
        }
    }

    /// <summary>
    /// U[ξ][o][c] = (G·W_oc·Gᵀ)[ξ] and its packed forms, before the parts run (one transform for all of them; the
    /// backward pass uses the forward pass's). On the pool: filter pairs in two parts, then the α² positions.
    /// </summary>
    public void TransformFilters(ReadOnlySpan<T> weight)
    {
        var kernel = new FilterKernel { Convolution = this, Weights = weight, Step = FilterStep.Transform };
        KernelPool.Run(ref kernel, _out * _in, 2, Vector<T>.Count);
        kernel.Step = FilterStep.Pack;
        KernelPool.Run(ref kernel, _alpha * _alpha, 2);
    }

    /// <summary>
    /// Writes ∂L/∂W = Gᵀ·(Σ over parts of dU)·G after the parts ran, adding their partial sums in part order
    /// (on the pool, filter pairs in two parts).
    /// </summary>
    public void FilterGradient(int parts, Span<T> weightGradient)
    {
        var kernel = new FilterKernel { Convolution = this, WeightGradient = weightGradient, Parts = parts, Step = FilterStep.Gradient };
        KernelPool.Run(ref kernel, _out * _in, 2, Vector<T>.Count);
    }

    // Filter pairs [from, to) of the weights into U[ξ] (the weights first with the pairs last, so that each vector
    // of the sandwich holds one tap of `lanes` filters).
    private void TransformFilters(ReadOnlySpan<T> weight, int from, int to)
    {
        int r = _kernel;
        var taps = _taps.AsSpan();
        for (int oc = from; oc < to; oc++)
        {
            for (int uv = 0; uv < r * r; uv++)
            {
                taps[(uv * _pairStride) + oc] = weight[(oc * r * r) + uv];
            }
        }

        // U[a][b] = Σ_u Σ_v G[a][u]·G[b][v]·W[u][v].
        Sandwich(ref MemoryMarshal.GetArrayDataReference(_taps), r, _pairStride, _alpha, r, 1, ref MemoryMarshal.GetArrayDataReference(_filters), _pairStride, from, to);
    }

    // U[ξ] for ξ in [from, to) packed for the forward product and, transposed, for the backward one.
    private void PackFilters(int from, int to)
    {
        int a2 = _alpha * _alpha;
        for (int xi = from; xi < to; xi++)
        {
            var matrix = _filters.AsSpan(xi * _pairStride, _out * _in);
            Gemm.Pack<T>(_out, _in, matrix, _in, false, _packedFilters.AsSpan(xi * _packedForward, _packedForward));
            Gemm.Pack<T>(_in, _out, matrix, _in, true, _packedFilters.AsSpan((a2 * _packedForward) + (xi * _packedBackward), _packedBackward));
        }
    }

    // ∂L/∂W of filter pairs [from, to): their partial dU summed in part order, then dW[u][v] = Σ_a Σ_b G[a][u]·G[b][v]·dU[a][b].
    private void FilterGradient(int parts, Span<T> weightGradient, int from, int to)
    {
        int r = _kernel, a2 = _alpha * _alpha, pairs = _out * _in;
        for (int xi = 0; xi < a2; xi++)
        {
            var total = _filterGradients.AsSpan((xi * pairs) + from, to - from);
            _filterGradientParts[0].AsSpan((xi * pairs) + from, to - from).CopyTo(total);
            for (int p = 1; p < parts; p++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(total, _filterGradientParts[p].AsSpan((xi * pairs) + from, to - from), total);
            }
        }

        // (The sums have a vector of slack past the last pair.)
        Sandwich(ref MemoryMarshal.GetArrayDataReference(_filterGradients), _alpha, pairs, r, 1, r, ref MemoryMarshal.GetArrayDataReference(_taps), _pairStride, from, to);

        for (int oc = from; oc < to; oc++)
        {
            for (int uv = 0; uv < r * r; uv++)
            {
                weightGradient[(oc * r * r) + uv] = _taps[(uv * _pairStride) + oc];
            }
        }
    }

    // output[m][n] = Σ_i Σ_j M[m][i]·M[n][j]·input[i][j] for filter pairs [from, to), a vector of pairs at a time
    // (from a multiple of the lanes): input k × k, output q × q, M q × k with M[m][i] = G's entry at
    // m·rowStride + i·columnStride (G itself, or its transpose); entry [i][j] of pair p is at (i·k + j)·stride + p.
    private void Sandwich(ref T input, int k, int inputStride, int q, int rowStride, int columnStride, ref T output, int outputStride, int from, int to)
    {
        Span<Vector<T>> half = stackalloc Vector<T>[6 * 6];
        for (int p = from; p < to; p += Vector<T>.Count)
        {
            for (int m = 0; m < q; m++)
            {
                for (int j = 0; j < k; j++)
                {
                    var sum = Vector<T>.Zero;
                    for (int i = 0; i < k; i++)
                    {
                        sum = Gemm.Fma(new Vector<T>(_g[(m * rowStride) + (i * columnStride)]), Vector.LoadUnsafe(ref input, (nuint)((((i * k) + j) * inputStride) + p)), sum);
                    }

                    half[(m * k) + j] = sum;
                }
            }

            for (int m = 0; m < q; m++)
            {
                for (int n = 0; n < q; n++)
                {
                    var sum = Vector<T>.Zero;
                    for (int j = 0; j < k; j++)
                    {
                        sum = Gemm.Fma(half[(m * k) + j], new Vector<T>(_g[(n * rowStride) + (j * columnStride)]), sum);
                    }

                    Vector.StoreUnsafe(sum, ref output, (nuint)((((m * q) + n) * outputStride) + p));
                }
            }
        }
    }

    /// <summary>The outputs (bias included) of samples [start, end) of a part.</summary>
    public void Forward(int part, int start, int end, ReadOnlySpan<T> input, ReadOnlySpan<T> bias, Span<T> output)
    {
        int slot = Claim();
        if (_kernel == 5)
        {
            Forward<WinogradTile5<T>>(_scratch[slot], start, end, input, bias, output);
        }
        else
        {
            Forward<WinogradTile3<T>>(_scratch[slot], start, end, input, bias, output);
        }

        Volatile.Write(ref _claimed[slot], 0);
    }

    /// <summary>The part's partial filter gradient (transformed) and, unless empty, the input gradient of samples [start, end).</summary>
    public void Backward(int part, int start, int end, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        int slot = Claim();
        if (_kernel == 5)
        {
            Backward<WinogradTile5<T>>(_scratch[slot], _filterGradientParts[part], start, end, input, outputGradient, inputGradient);
        }
        else
        {
            Backward<WinogradTile3<T>>(_scratch[slot], _filterGradientParts[part], start, end, input, outputGradient, inputGradient);
        }

        Volatile.Write(ref _claimed[slot], 0);
    }

    // The lowest free scratch set, waiting for one when more threads run than there are sets.
    private int Claim()
    {
        for (var spin = default(SpinWait); ; spin.SpinOnce(sleep1Threshold: -1))
        {
            for (int slot = 0; slot < _claimed.Length; slot++)
            {
                if (Interlocked.CompareExchange(ref _claimed[slot], 1, 0) == 0)
                {
                    return slot;
                }
            }
        }
    }

    private void Forward<TTile>(Scratch state, int start, int end, ReadOnlySpan<T> input, ReadOnlySpan<T> bias, Span<T> output)
        where TTile : IWinogradTile<T>
    {
        int outSize = _out * _outHeight * _outWidth, a2 = _alpha * _alpha;
        for (int first = start; first < end; first += _chunk)
        {
            int count = Math.Min(_chunk, end - first), tiles = count * _sampleTiles, stride = tiles + Vector<T>.Count;
            TransformInputs<TTile>(state, input, first, count, stride);
            for (int xi = 0; xi < a2; xi++)
            {
                Gemm.MultiplyPacked<T>(_out, tiles, _in, _packedFilters.AsSpan(xi * _packedForward, _packedForward),
                    state.Transformed.AsSpan(xi * stride), a2 * stride,
                    state.Products.AsSpan(xi * stride), a2 * stride, false, state.Workspace);
            }

            for (int s = 0; s < count; s++)
            {
                TransformOutput<TTile>(state.Products, s * _sampleTiles, stride, bias, output.Slice((first + s) * outSize, outSize));
            }
        }
    }

    private void Backward<TTile>(Scratch state, T[] filterGradient, int start, int end, ReadOnlySpan<T> input, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where TTile : IWinogradTile<T>
    {
        int inSize = _in * _height * _width, outSize = _out * _outHeight * _outWidth, a2 = _alpha * _alpha;
        for (int first = start; first < end; first += _chunk)
        {
            int count = Math.Min(_chunk, end - first), tiles = count * _sampleTiles, stride = tiles + Vector<T>.Count;
            TransformInputs<TTile>(state, input, first, count, stride);
            for (int s = 0; s < count; s++)
            {
                SplitOutputGradient(outputGradient.Slice((first + s) * outSize, outSize), state.GradientPlane);
                TransformOutputGradient<TTile>(state.GradientPlane, state.Products, s * _sampleTiles, stride);
            }

            FilterGradientProducts(state, filterGradient, tiles, stride, accumulate: first > start);

            if (inputGradient.IsEmpty)
            {
                continue;
            }

            // dV[ξ] = U[ξ]ᵀ·dM[ξ], over V (no longer needed), then folded back onto the input patches.
            for (int xi = 0; xi < a2; xi++)
            {
                Gemm.MultiplyPacked<T>(_in, tiles, _out, _packedFilters.AsSpan((a2 * _packedForward) + (xi * _packedBackward), _packedBackward),
                    state.Products.AsSpan(xi * stride), a2 * stride,
                    state.Transformed.AsSpan(xi * stride), a2 * stride, false, state.Workspace);
            }

            for (int s = 0; s < count; s++)
            {
                state.InputGradientPlane.AsSpan().Clear();
                TransformInputGradient<TTile>(state.Transformed, s * _sampleTiles, stride, state.InputGradientPlane);
                JoinColumns(state.InputGradientPlane, inputGradient.Slice((first + s) * inSize, inSize));
            }
        }
    }

    // V for samples [first, first + count), one after the other in each row of V.
    private void TransformInputs<TTile>(Scratch state, ReadOnlySpan<T> input, int first, int count, int stride)
        where TTile : IWinogradTile<T>
    {
        int inSize = _in * _height * _width;
        for (int s = 0; s < count; s++)
        {
            SplitColumns(input.Slice((first + s) * inSize, inSize), state.Plane);
            TransformInput<TTile>(state.Plane, state.Transformed, s * _sampleTiles, stride);
        }
    }

    // dU[ξ][o][c] (+)= Σ_t dM[o][ξ][t]·V[c][ξ][t], both operands along their rows of tiles: blocks of 4 × 4
    // (o, c) pairs, each pair summed lane by lane over the tiles and across its lanes at the end.
    private void FilterGradientProducts(Scratch state, Span<T> gradient, int tiles, int stride, bool accumulate)
    {
        int a2 = _alpha * _alpha, lanes = Vector<T>.Count, full = tiles / lanes * lanes, pairs = _out * _in;
        var last = Vector.LessThan(Vector<T>.Indices, new Vector<T>(T.CreateTruncating(tiles - full)));
        ref T dm = ref MemoryMarshal.GetArrayDataReference(state.Products);
        ref T v = ref MemoryMarshal.GetArrayDataReference(state.Transformed);
        if (!accumulate)
        {
            gradient.Clear();
        }

        for (int xi = 0; xi < a2; xi++)
        {
            var du = gradient.Slice(xi * pairs, pairs);
            int o = 0;
            for (; o <= _out - 4; o += 4)
            {
                ref T m0 = ref Unsafe.Add(ref dm, ((o * a2) + xi) * stride);
                ref T m1 = ref Unsafe.Add(ref m0, a2 * stride);
                ref T m2 = ref Unsafe.Add(ref m1, a2 * stride);
                ref T m3 = ref Unsafe.Add(ref m2, a2 * stride);
                int c = 0;
                for (; c <= _in - 4; c += 4)
                {
                    ref T x0 = ref Unsafe.Add(ref v, ((c * a2) + xi) * stride);
                    ref T x1 = ref Unsafe.Add(ref x0, a2 * stride);
                    ref T x2 = ref Unsafe.Add(ref x1, a2 * stride);
                    ref T x3 = ref Unsafe.Add(ref x2, a2 * stride);
                    Vector<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
                    Vector<T> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
                    for (int t = 0; t <= tiles - 1; t += lanes)
                    {
                        var mask = t < full ? Vector<T>.AllBitsSet : last;
                        Vector<T> a0 = Vector.LoadUnsafe(ref m0, (nuint)t) & mask, a1 = Vector.LoadUnsafe(ref m1, (nuint)t) & mask;
                        Vector<T> a2v = Vector.LoadUnsafe(ref m2, (nuint)t) & mask, a3 = Vector.LoadUnsafe(ref m3, (nuint)t) & mask;
                        Vector<T> b0 = Vector.LoadUnsafe(ref x0, (nuint)t), b1 = Vector.LoadUnsafe(ref x1, (nuint)t);
                        Vector<T> b2 = Vector.LoadUnsafe(ref x2, (nuint)t), b3 = Vector.LoadUnsafe(ref x3, (nuint)t);
                        s00 = Gemm.Fma(a0, b0, s00); s01 = Gemm.Fma(a0, b1, s01); s02 = Gemm.Fma(a0, b2, s02); s03 = Gemm.Fma(a0, b3, s03);
                        s10 = Gemm.Fma(a1, b0, s10); s11 = Gemm.Fma(a1, b1, s11); s12 = Gemm.Fma(a1, b2, s12); s13 = Gemm.Fma(a1, b3, s13);
                        s20 = Gemm.Fma(a2v, b0, s20); s21 = Gemm.Fma(a2v, b1, s21); s22 = Gemm.Fma(a2v, b2, s22); s23 = Gemm.Fma(a2v, b3, s23);
                        s30 = Gemm.Fma(a3, b0, s30); s31 = Gemm.Fma(a3, b1, s31); s32 = Gemm.Fma(a3, b2, s32); s33 = Gemm.Fma(a3, b3, s33);
                    }

                    int at = (o * _in) + c;
                    du[at] += Vector.Sum(s00); du[at + 1] += Vector.Sum(s01); du[at + 2] += Vector.Sum(s02); du[at + 3] += Vector.Sum(s03);
                    at += _in;
                    du[at] += Vector.Sum(s10); du[at + 1] += Vector.Sum(s11); du[at + 2] += Vector.Sum(s12); du[at + 3] += Vector.Sum(s13);
                    at += _in;
                    du[at] += Vector.Sum(s20); du[at + 1] += Vector.Sum(s21); du[at + 2] += Vector.Sum(s22); du[at + 3] += Vector.Sum(s23);
                    at += _in;
                    du[at] += Vector.Sum(s30); du[at + 1] += Vector.Sum(s31); du[at + 2] += Vector.Sum(s32); du[at + 3] += Vector.Sum(s33);
                }

                for (; c < _in; c++)
                {
                    for (int r = 0; r < 4; r++)
                    {
                        du[((o + r) * _in) + c] += Dot(ref Unsafe.Add(ref dm, (((o + r) * a2) + xi) * stride), ref Unsafe.Add(ref v, ((c * a2) + xi) * stride), tiles, full, last);
                    }
                }
            }

            for (; o < _out; o++)
            {
                for (int c = 0; c < _in; c++)
                {
                    du[(o * _in) + c] += Dot(ref Unsafe.Add(ref dm, ((o * a2) + xi) * stride), ref Unsafe.Add(ref v, ((c * a2) + xi) * stride), tiles, full, last);
                }
            }
        }
    }

    private static T Dot(ref T x, ref T y, int length, int full, Vector<T> last)
    {
        var sum = Vector<T>.Zero;
        for (int t = 0; t < length; t += Vector<T>.Count)
        {
            var mask = t < full ? Vector<T>.AllBitsSet : last;
            sum = Gemm.Fma(Vector.LoadUnsafe(ref x, (nuint)t) & mask, Vector.LoadUnsafe(ref y, (nuint)t), sum);
        }

        return Vector.Sum(sum);
    }

    // plane[c][row][parity][half] holds padded pixel (row, 2·half + parity); pixel (y, x) of the sample is at
    // padded (y + p, x + p). Nothing else is ever written, so the border stays zero.
    private void SplitColumns(ReadOnlySpan<T> x, Span<T> plane)
    {
        int p = _padding, e = _halfWidth;
        for (int c = 0; c < _in; c++)
        {
            for (int y = 0; y < _height; y++)
            {
                int at = ((c * _height) + y) * _width;
                Split(x[at..], _width, p, plane.Slice(((c * _planeRows) + y + p) * 2 * e, 2 * e), e);
            }
        }
    }

    // The adjoint of SplitColumns: the interior of the (gradient) plane back to a sample.
    private void JoinColumns(ReadOnlySpan<T> plane, Span<T> dx)
    {
        int p = _padding, e = _halfWidth;
        for (int c = 0; c < _in; c++)
        {
            for (int y = 0; y < _height; y++)
            {
                int at = ((c * _height) + y) * _width;
                Join(plane.Slice(((c * _planeRows) + y + p) * 2 * e, 2 * e), e, p, dx[at..], _width);
            }
        }
    }

    // dy[o][row][parity][half] holds the output gradient at (row, 2·half + parity); outside the output it stays zero.
    private void SplitOutputGradient(ReadOnlySpan<T> dy, Span<T> plane)
    {
        int e = _rowTiles;
        for (int o = 0; o < _out; o++)
        {
            for (int y = 0; y < _outHeight; y++)
            {
                int at = ((o * _outHeight) + y) * _outWidth;
                Split(dy[at..], _outWidth, 0, plane.Slice(((o * 2 * _tileRows) + y) * 2 * e, 2 * e), e);
            }
        }
    }

    // target[(k mod 2)·e + ⌊k/2⌋] = row[k − p] for the `width` values of a row (row runs on past them: the rest
    // of the sample). In float on AVX2, 16 values at a time by two shuffles; a last group that runs past the row
    // writes past its end in both halves, and those places (border, or outside the output) are zeroed again.
    private static void Split(ReadOnlySpan<T> row, int width, int p, Span<T> target, int e)
    {
        int i = 0;
        if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            ref float source = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(row));
            ref float half = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(target));
            for (; i < width && i + 16 <= row.Length && ((i + p + 1) >> 1) + 8 <= e; i += 16)
            {
                var low = Vector256.LoadUnsafe(ref source, (nuint)i);
                var high = Vector256.LoadUnsafe(ref source, (nuint)(i + 8));
                int even = i + p, odd = i + p + 1;
                Interleaving.Evens(low, high).StoreUnsafe(ref half, (nuint)(((even & 1) * e) + (even >> 1)));
                Interleaving.Odds(low, high).StoreUnsafe(ref half, (nuint)(((odd & 1) * e) + (odd >> 1)));
            }

            for (int k = width; k < i; k++)
            {
                int column = k + p;
                target[((column & 1) * e) + (column >> 1)] = T.Zero;
            }
        }

        for (; i < width; i++)
        {
            int column = i + p;
            target[((column & 1) * e) + (column >> 1)] = row[i];
        }
    }

    // The adjoint of Split: row[k − p] = source[(k mod 2)·e + ⌊k/2⌋]. A last group that runs past the row writes
    // into what follows it in `row` (the next row, written after), never past `row`'s end.
    private static void Join(ReadOnlySpan<T> source, int e, int p, Span<T> row, int width)
    {
        int i = 0;
        if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            ref float half = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(source));
            ref float target = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(row));
            for (; i < width && i + 16 <= row.Length && ((i + p + 1) >> 1) + 8 <= e; i += 16)
            {
                int even = i + p, odd = i + p + 1;
                var evens = Vector256.LoadUnsafe(ref half, (nuint)(((even & 1) * e) + (even >> 1)));
                var odds = Vector256.LoadUnsafe(ref half, (nuint)(((odd & 1) * e) + (odd >> 1)));
                var (low, high) = Interleaving.Interleave(evens, odds);
                low.StoreUnsafe(ref target, (nuint)i);
                high.StoreUnsafe(ref target, (nuint)(i + 8));
            }

            i = Math.Min(i, width);
        }

        for (; i < width; i++)
        {
            int column = i + p;
            row[i] = source[((column & 1) * e) + (column >> 1)];
        }
    }

    // V[ξ][c][offset + tile] = (Bᵀ·d·B)[ξ] for every tile of one sample: down each column of the patches, then
    // along each row of the tile buffer into the α² rows of V.
    private void TransformInput<TTile>(ReadOnlySpan<T> plane, Span<T> transformed, int offset, int stride)
        where TTile : IWinogradTile<T>
    {
        int alpha = _alpha, lanes = Vector<T>.Count, e = _halfWidth, channels = _in;
        Span<T> buffer = stackalloc T[alpha * alpha * lanes];
        ref T tile = ref MemoryMarshal.GetReference(buffer);
        ref T source = ref MemoryMarshal.GetReference(plane);
        ref T target = ref MemoryMarshal.GetReference(transformed);
        for (int c = 0; c < channels; c++)
        {
            for (int ty = 0; ty < _tileRows; ty++)
            {
                ref T top = ref Unsafe.Add(ref source, ((c * _planeRows) + (2 * ty)) * 2 * e);
                for (int column = 0; column < _rowTiles; column += lanes)
                {
                    for (int b = 0; b < alpha; b++)
                    {
                        TTile.Input(ref Unsafe.Add(ref top, ((b & 1) * e) + column + (b >> 1)), 2 * e, ref Unsafe.Add(ref tile, b * lanes), alpha * lanes);
                    }

                    int index = offset + (ty * _tileColumns) + column;
                    for (int a = 0; a < alpha; a++)
                    {
                        TTile.Input(ref Unsafe.Add(ref tile, a * alpha * lanes), lanes, ref Unsafe.Add(ref target, (((c * alpha * alpha) + (a * alpha)) * stride) + index), stride);
                    }
                }
            }
        }
    }

    // The adjoint of TransformInput: plane (cleared) += B·dV·Bᵀ on every tile's patch.
    private void TransformInputGradient<TTile>(ReadOnlySpan<T> transformed, int offset, int stride, Span<T> plane)
        where TTile : IWinogradTile<T>
    {
        int alpha = _alpha, lanes = Vector<T>.Count, e = _halfWidth, channels = _in;
        Span<T> buffer = stackalloc T[2 * alpha * alpha * lanes];
        ref T tile = ref MemoryMarshal.GetReference(buffer);
        ref T patch = ref Unsafe.Add(ref tile, alpha * alpha * lanes);
        ref T source = ref MemoryMarshal.GetReference(transformed);
        ref T target = ref MemoryMarshal.GetReference(plane);
        for (int c = 0; c < channels; c++)
        {
            for (int ty = 0; ty < _tileRows; ty++)
            {
                ref T top = ref Unsafe.Add(ref target, ((c * _planeRows) + (2 * ty)) * 2 * e);
                for (int column = 0; column < _rowTiles; column += lanes)
                {
                    int index = offset + (ty * _tileColumns) + column;
                    for (int a = 0; a < alpha; a++)
                    {
                        TTile.InputAdjoint(ref Unsafe.Add(ref source, (((c * alpha * alpha) + (a * alpha)) * stride) + index), stride, ref Unsafe.Add(ref tile, a * alpha * lanes), lanes);
                    }

                    for (int b = 0; b < alpha; b++)
                    {
                        TTile.InputAdjoint(ref Unsafe.Add(ref tile, b * lanes), alpha * lanes, ref Unsafe.Add(ref patch, b * lanes), alpha * lanes);
                    }

                    // Lanes past the row's last tile hold the next row's first tiles (the tiles are numbered
                    // without gaps): they add nothing here.
                    var inside = Vector.LessThan(Vector<T>.Indices, new Vector<T>(T.CreateTruncating(_tileColumns - column)));
                    // Column by column: the columns of one half-row overlap each other (offsets 0, 1, 2), and a load
                    // that overlaps the store just before it waits for that store.
                    for (int b = 0; b < alpha; b++)
                    {
                        ref T column0 = ref Unsafe.Add(ref top, ((b & 1) * e) + column + (b >> 1));
                        for (int a = 0; a < alpha; a++)
                        {
                            nuint at = (nuint)(a * 2 * e);
                            var gradient = Vector.LoadUnsafe(ref patch, (nuint)(((a * alpha) + b) * lanes)) & inside;
                            Vector.StoreUnsafe(Vector.LoadUnsafe(ref column0, at) + gradient, ref column0, at);
                        }
                    }
                }
            }
        }
    }

    // dM[ξ][o][offset + tile] = (A·dY·Aᵀ)[ξ] for every tile of one sample.
    private void TransformOutputGradient<TTile>(ReadOnlySpan<T> plane, Span<T> products, int offset, int stride)
        where TTile : IWinogradTile<T>
    {
        int alpha = _alpha, lanes = Vector<T>.Count, e = _rowTiles, outputs = _out;
        Span<T> buffer = stackalloc T[2 * alpha * lanes];
        ref T tile = ref MemoryMarshal.GetReference(buffer);
        ref T source = ref MemoryMarshal.GetReference(plane);
        ref T target = ref MemoryMarshal.GetReference(products);
        for (int o = 0; o < outputs; o++)
        {
            for (int ty = 0; ty < _tileRows; ty++)
            {
                ref T top = ref Unsafe.Add(ref source, ((o * 2 * _tileRows) + (2 * ty)) * 2 * e);
                for (int column = 0; column < _rowTiles; column += lanes)
                {
                    // Row i of the tile's gradient: its even column at half 0, its odd one at half 1.
                    TTile.OutputAdjoint(ref Unsafe.Add(ref top, column), e, ref tile, lanes);
                    TTile.OutputAdjoint(ref Unsafe.Add(ref top, (2 * e) + column), e, ref Unsafe.Add(ref tile, alpha * lanes), lanes);
                    int index = offset + (ty * _tileColumns) + column;
                    for (int b = 0; b < alpha; b++)
                    {
                        TTile.OutputAdjoint(ref Unsafe.Add(ref tile, b * lanes), alpha * lanes, ref Unsafe.Add(ref target, (((o * alpha * alpha) + b) * stride) + index), alpha * stride);
                    }
                }
            }
        }
    }

    // y[o][2·ty + i][2·tx + j] = (Aᵀ·M·A)[i][j] + b[o] for every tile of one sample, inside the output.
    private void TransformOutput<TTile>(ReadOnlySpan<T> products, int offset, int stride, ReadOnlySpan<T> bias, Span<T> y)
        where TTile : IWinogradTile<T>
    {
        int alpha = _alpha, lanes = Vector<T>.Count, outputs = _out, width = _outWidth;
        Span<T> buffer = stackalloc T[(2 * alpha * lanes) + (4 * lanes)];
        ref T tile = ref MemoryMarshal.GetReference(buffer);
        ref T result = ref Unsafe.Add(ref tile, 2 * alpha * lanes);
        ref T source = ref MemoryMarshal.GetReference(products);
        ref T output = ref MemoryMarshal.GetReference(y);
        for (int o = 0; o < outputs; o++)
        {
            var b = new Vector<T>(bias[o]);
            for (int ty = 0; ty < _tileRows; ty++)
            {
                for (int column = 0; column < _rowTiles; column += lanes)
                {
                    int index = offset + (ty * _tileColumns) + column;
                    for (int bb = 0; bb < alpha; bb++)
                    {
                        TTile.Output(ref Unsafe.Add(ref source, (((o * alpha * alpha) + bb) * stride) + index), alpha * stride, ref Unsafe.Add(ref tile, bb * lanes), alpha * lanes);
                    }

                    TTile.Output(ref tile, lanes, ref result, lanes);
                    TTile.Output(ref Unsafe.Add(ref tile, alpha * lanes), lanes, ref Unsafe.Add(ref result, 2 * lanes), lanes);
                    int count = Math.Min(2 * lanes, width - (2 * column)), top = 2 * ty;
                    ref T row = ref Unsafe.Add(ref output, (((o * _outHeight) + top) * width) + (2 * column));
                    StoreInterleaved(Vector.LoadUnsafe(ref result) + b, Vector.LoadUnsafe(ref result, (nuint)lanes) + b, ref row, count);
                    if (top + 1 < _outHeight)
                    {
                        StoreInterleaved(Vector.LoadUnsafe(ref result, (nuint)(2 * lanes)) + b, Vector.LoadUnsafe(ref result, (nuint)(3 * lanes)) + b, ref Unsafe.Add(ref row, width), count);
                    }
                }
            }
        }
    }

    // row[2k] = even[k], row[2k + 1] = odd[k] for the first `count` elements of row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(Vector<T> even, Vector<T> odd, ref T row, int count)
    {
        if (typeof(T) == typeof(float) && Vector<T>.Count == 8 && Avx.IsSupported)
        {
            var (low, high) = Interleaving.Interleave(even.AsVector256().AsSingle(), odd.AsVector256().AsSingle());
            ref float start = ref Unsafe.As<T, float>(ref row);
            StoreHead(low, ref start, count);
            StoreHead(high, ref Unsafe.Add(ref start, 8), count - 8);
            return;
        }

        for (int k = 0; k < count; k++)
        {
            Unsafe.Add(ref row, k) = (k & 1) == 0 ? even[k >> 1] : odd[k >> 1];
        }
    }

    private static unsafe void StoreHead(Vector256<float> value, ref float target, int count)
    {
        if (count >= 8)
        {
            value.StoreUnsafe(ref target);
        }
        else if (count > 0)
        {
            fixed (float* pointer = &target)
            {
                Avx.MaskStore(pointer, Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle(), value);
            }
        }
    }

    private enum FilterStep
    {
        Transform,
        Pack,
        Gradient,
    }

    private ref struct FilterKernel : IRangeKernel
    {
        public WinogradConvolution<T> Convolution;
        public ReadOnlySpan<T> Weights;
        public Span<T> WeightGradient;
        public int Parts;
        public FilterStep Step;

        public readonly void Execute(int part, int start, int end)
        {
            switch (Step)
            {
                case FilterStep.Transform:
                    Convolution.TransformFilters(Weights, start, end);
                    break;
                case FilterStep.Pack:
                    Convolution.PackFilters(start, end);
                    break;
                default:
                    Convolution.FilterGradient(Parts, WeightGradient, start, end);
                    break;
            }
        }
    }

    private sealed class Scratch
    {
        public required T[] Plane;
        public required T[] InputGradientPlane;
        public required T[] GradientPlane;
        public required T[] Transformed;
        public required T[] Products;
        public required GemmWorkspace<T> Workspace;
    }
}


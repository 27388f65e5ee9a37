using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using AutoDiff.Threading;

namespace AutoDiff.Layers;

/// <summary>
/// General matrix multiplication C = A·B or C += A·B on row-major spans, either operand possibly
/// transposed: the engine under <see cref="Dense{T}"/> and <see cref="Conv2D{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// The loops are blocked the way BLIS blocks them: k in blocks of 256, m in blocks of 128 whose rows are
/// packed into panels of <see cref="RowsPerTile"/> (k-major, so the kernel broadcasts one value per row per
/// step), n in panels of two <see cref="Vector{T}"/>s read straight from B when B is not transposed (a
/// transposed B is packed first). The register tile is 8 rows × 2 vectors: 16 accumulators updated with
/// fused multiply-adds, which on AVX-512 hardware (32 vector registers) stay in registers.
/// </para>
/// <para>
/// Every call is single-threaded and allocates nothing: packing goes to a <see cref="GemmWorkspace{T}"/>.
/// <see cref="MultiplyInParts"/> splits one product into parts for the <see cref="KernelPool"/>; the
/// parts never add into the same element, so results do not depend on the number of threads.
/// </para>
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>The rows of C one kernel call computes (MR).</summary>
    public const int RowsPerTile = 8;

    internal const int KBlock = 256;
    internal const int MBlock = 128;
    internal const int NBlock = 1024;

    /// <summary>The columns of C one kernel call computes (NR): two vectors.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public static int ColumnsPerTile<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => 2 * Vector<T>.Count;

    /// <summary>
    /// C = A·B, or C += A·B when <paramref name="accumulate"/>; A is m×k, B is k×n, C is m×n.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="a">A, row-major with row stride <paramref name="lda"/>; stored k×m (Aᵀ) when <paramref name="transposeA"/>.</param>
    /// <param name="lda">The row stride of the stored A.</param>
    /// <param name="transposeA">A is stored transposed: A[i, p] = a[p·lda + i].</param>
    /// <param name="b">B, row-major with row stride <paramref name="ldb"/>; stored n×k (Bᵀ) when <paramref name="transposeB"/>.</param>
    /// <param name="ldb">The row stride of the stored B.</param>
    /// <param name="transposeB">B is stored transposed: B[p, j] = b[j·ldb + p].</param>
    /// <param name="c">C, row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">The row stride of C.</param>
    /// <param name="accumulate">Add A·B to C instead of overwriting it.</param>
    /// <param name="workspace">Packing buffers, at least as large as this product needs.</param>
    /// <exception cref="ArgumentException">A stride is shorter than its row, a span is too short for its matrix, or the workspace too small.</exception>
    public static void Multiply<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, GemmWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, workspace);
        Run(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate, workspace);
    }

    /// <summary>
    /// <see cref="Multiply"/> split into at most <c>workspaces.Length</c> parts run on the
    /// <see cref="KernelPool"/>: by panels of columns when B is transposed (each part packs only its
    /// columns of B), else by panels of rows. The split depends on the shapes and the number of workspaces
    /// only, and no two parts write the same element, so the result is the same whatever the thread count.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="a">A (see <see cref="Multiply"/>).</param>
    /// <param name="lda">The row stride of the stored A.</param>
    /// <param name="transposeA">A is stored transposed.</param>
    /// <param name="b">B (see <see cref="Multiply"/>).</param>
    /// <param name="ldb">The row stride of the stored B.</param>
    /// <param name="transposeB">B is stored transposed.</param>
    /// <param name="c">C.</param>
    /// <param name="ldc">The row stride of C.</param>
    /// <param name="accumulate">Add A·B to C instead of overwriting it.</param>
    /// <param name="workspaces">One workspace per part, each large enough for the whole product.</param>
    /// <exception cref="ArgumentException">As <see cref="Multiply"/>, or no workspaces.</exception>
    public static void MultiplyInParts<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, ReadOnlySpan<GemmWorkspace<T>> workspaces)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MultiplyInPartsSharingA(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate, workspaces, []);

    /// <summary>
    /// <see cref="MultiplyInParts"/>, where parts by columns (B transposed) share A packed once into
    /// <paramref name="packedA"/> (at least <see cref="PackedLength"/>(m, k) elements, m ≤ 128) instead of each
    /// packing all of it.
    /// </summary>
    internal static void MultiplyInPartsSharingA<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, ReadOnlySpan<GemmWorkspace<T>> workspaces, Span<T> packedA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (workspaces.IsEmpty)
        {
            throw new ArgumentException("At least one workspace is needed.", nameof(workspaces));
        }

        Validate(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, workspaces[0]);
        int unit = transposeB ? ColumnsPerTile<T>() : RowsPerTile;
        int units = ((transposeB ? n : m) + unit - 1) / unit;
        int parts = Math.Max(1, Math.Min(workspaces.Length, units));
        bool shared = transposeB && parts > 1 && m <= MBlock && packedA.Length >= PackedLength(m, k);
        if (shared)
        {
            Pack<T>(m, k, a, lda, transposeA, packedA);
        }

        var kernel = new PartsKernel<T>
        {
            PackedA = shared ? packedA : [],
            M = m,
            N = n,
            K = k,
            A = a,
            Lda = lda,
            TransposeA = transposeA,
            B = b,
            Ldb = ldb,
            TransposeB = transposeB,
            C = c,
            Ldc = ldc,
            Accumulate = accumulate,
            Workspaces = workspaces,
            Unit = unit,
        };
        KernelPool.Run(ref kernel, units, parts);
    }

    private ref struct PartsKernel<T> : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int M, N, K, Lda, Ldb, Ldc, Unit;
        public bool TransposeA, TransposeB, Accumulate;
        public ReadOnlySpan<T> A, B, PackedA;
        public Span<T> C;
        public ReadOnlySpan<GemmWorkspace<T>> Workspaces;

        public readonly void Execute(int part, int start, int end)
        {
            if (start == end)
            {
                return;
            }

            if (TransposeB)
            {
                int j0 = start * Unit, cols = Math.Min(N, end * Unit) - j0;
                Run(M, cols, K, A, Lda, TransposeA, B[(j0 * Ldb)..], Ldb, true, C[j0..], Ldc, Accumulate, Workspaces[part], PackedA);
            }
            else
            {
                int i0 = start * Unit, rows = Math.Min(M, end * Unit) - i0;
                var a = TransposeA ? A[i0..] : A[(i0 * Lda)..];
                Run(rows, N, K, a, Lda, TransposeA, B, Ldb, false, C[(i0 * Ldc)..], Ldc, Accumulate, Workspaces[part]);
            }
        }
    }

    private static void Validate<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, GemmWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentNullException.ThrowIfNull(workspace);
        CheckMatrix(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        CheckMatrix(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (!workspace.Fits(m, n, k, transposeB))
        {
            throw new ArgumentException(
                $"The workspace is too small for a {m}×{k} by {k}×{n} product{(transposeB ? " with B transposed" : "")}; build it with GemmWorkspace<T>(m, n, k, transposeB).",
                nameof(workspace));
        }
    }

    private static void CheckMatrix(int length, int rows, int columns, int stride, string name, string strideName)
    {
        if (stride < columns)
        {
            throw new ArgumentException($"The row stride {stride} is shorter than a row of {columns}.", strideName);
        }

        if (rows > 0 && columns > 0 && length < ((long)(rows - 1) * stride) + columns)
        {
            throw new ArgumentException($"{length} elements cannot hold a {rows}×{columns} matrix of row stride {stride}.", name);
        }
    }

    /// <summary>The length <see cref="Pack"/> writes for an m × k matrix A: m rounded up to whole panels, times k.</summary>
    internal static int PackedLength(int m, int k) => (m + RowsPerTile - 1) / RowsPerTile * RowsPerTile * k;

    /// <summary>
    /// Packs an m × k matrix A (m ≤ 128: one block of rows) once, block of depth after block of depth, for
    /// <see cref="MultiplyPacked"/> to multiply by many matrices B, or the parts of one product by columns to
    /// share, without packing it each time.
    /// </summary>
    internal static void Pack<T>(int m, int k, ReadOnlySpan<T> a, int lda, bool transposeA, Span<T> packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m > MBlock)
        {
            throw new ArgumentException($"A packed A holds at most {MBlock} rows, not {m}.", nameof(a));
        }

        CheckMatrix(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        if (packed.Length < PackedLength(m, k))
        {
            throw new ArgumentException($"{packed.Length} elements cannot hold a packed {m} × {k} matrix.", nameof(packed));
        }

        fixed (T* pa = a, pp = packed)
        {
            for (int p0 = 0; p0 < k; p0 += KBlock)
            {
                PackA(pa, lda, transposeA, 0, p0, m, Math.Min(KBlock, k - p0), pp + PackedLength(m, p0));
            }
        }
    }

    /// <summary>C = A·B or C += A·B with A packed by <see cref="Pack"/> (m ≤ 128) and B not transposed.</summary>
    internal static void MultiplyPacked<T>(int m, int n, int k, ReadOnlySpan<T> packedA, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, GemmWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m > MBlock || packedA.Length < PackedLength(m, k))
        {
            throw new ArgumentException($"A packed {m} × {k} matrix needs m ≤ {MBlock} and {PackedLength(m, k)} elements.", nameof(packedA));
        }

        CheckMatrix(b.Length, k, n, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        ArgumentNullException.ThrowIfNull(workspace);
        Run(m, n, k, default, 0, false, b, ldb, false, c, ldc, accumulate, workspace, packedA);
    }

    // prepackedA: A packed whole by Pack (m ≤ MBlock), or empty to pack A from a block by block.
    private static void Run<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, GemmWorkspace<T> workspace, ReadOnlySpan<T> prepackedA = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        int nr = ColumnsPerTile<T>();
        T* tile = stackalloc T[RowsPerTile * 2 * Vector<T>.Count];
        fixed (T* pa = a, pb = b, pc = c, packA = workspace.PackedA, packB = workspace.PackedB, tail = workspace.Tail, prepacked = prepackedA)
        {
            for (int jc = 0; jc < n; jc += NBlock)
            {
                int nc = Math.Min(NBlock, n - jc);
                for (int p0 = 0; p0 < k; p0 += KBlock)
                {
                    int kc = Math.Min(KBlock, k - p0);
                    bool add = accumulate || p0 > 0;
                    if (transposeB)
                    {
                        PackTransposedB(pb + ((long)jc * ldb) + p0, ldb, nc, kc, nr, packB);
                    }

                    for (int ic = 0; ic < m; ic += MBlock)
                    {
                        int mc = Math.Min(MBlock, m - ic);
                        if (prepacked == null)
                        {
                            PackA(pa, lda, transposeA, ic, p0, mc, kc, packA);
                        }

                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int cols = Math.Min(nr, nc - jr);
                            T* panel;
                            int stride;
                            if (transposeB)
                            {
                                panel = packB + ((long)(jr / nr) * kc * nr);
                                stride = nr;
                            }
                            else if (cols == nr)
                            {
                                panel = pb + ((long)p0 * ldb) + jc + jr;
                                stride = ldb;
                            }
                            else
                            {
                                PackTail(pb + ((long)p0 * ldb) + jc + jr, ldb, cols, kc, nr, tail);
                                panel = tail;
                                stride = nr;
                            }

                            for (int ir = 0; ir < mc; ir += RowsPerTile)
                            {
                                int rows = Math.Min(RowsPerTile, mc - ir);
                                T* ap = (prepacked == null ? packA : prepacked + PackedLength(m, p0)) + ((long)(ir / RowsPerTile) * kc * RowsPerTile);
                                T* cp = pc + ((long)(ic + ir) * ldc) + jc + jr;
                                if (rows == RowsPerTile && cols == nr)
                                {
                                    Kernel(kc, ap, panel, stride, cp, ldc, add);
                                }
                                else
                                {
                                    Kernel(kc, ap, panel, stride, tile, nr, false);
                                    for (int r = 0; r < rows; r++)
                                    {
                                        T* src = tile + (r * nr), dst = cp + ((long)r * ldc);
                                        for (int j = 0; j < cols; j++)
                                        {
                                            dst[j] = add ? dst[j] + src[j] : src[j];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Packs rows [ic, ic + mc) × columns [p0, p0 + kc) of A into panels of RowsPerTile rows, k-major
    // (panel[p·MR + r] = A[ic + r, p0 + p]); rows past mc are zero.
    private static void PackA<T>(T* a, int lda, bool transposeA, int ic, int p0, int mc, int kc, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i0 = 0; i0 < mc; i0 += RowsPerTile)
        {
            int rows = Math.Min(RowsPerTile, mc - i0);
            T* panel = packed + ((long)(i0 / RowsPerTile) * kc * RowsPerTile);
            if (transposeA)
            {
                T* src = a + ((long)p0 * lda) + ic + i0;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* dst = panel + (p * RowsPerTile);
                    int r = 0;
                    for (; r < rows; r++)
                    {
                        dst[r] = src[r];
                    }

                    for (; r < RowsPerTile; r++)
                    {
                        dst[r] = T.Zero;
                    }
                }
            }
            else
            {
                for (int r = 0; r < RowsPerTile; r++)
                {
                    T* dst = panel + r;
                    if (r < rows)
                    {
                        T* src = a + ((long)(ic + i0 + r) * lda) + p0;
                        for (int p = 0; p < kc; p++)
                        {
                            dst[p * RowsPerTile] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            dst[p * RowsPerTile] = T.Zero;
                        }
                    }
                }
            }
        }
    }

    // Packs B[p, j] = b[j·ldb + p] (B stored transposed), p < kc, j < nc, into panels of nr columns
    // (panel[p·nr + j]); columns past nc are zero.
    private static void PackTransposedB<T>(T* b, int ldb, int nc, int kc, int nr, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            T* panel = packed + ((long)(j0 / nr) * kc * nr);
            int j = 0;
            if (typeof(T) == typeof(float) && Avx.IsSupported)
            {
                // Whole groups of 8 columns by 8 × 8 transposes in registers; the rest below.
                int rows = kc & ~7;
                for (; j + 8 <= cols; j += 8)
                {
                    for (int p = 0; p < rows; p += 8)
                    {
                        Transpose8x8((float*)(b + ((long)(j0 + j) * ldb) + p), ldb, (float*)(panel + (p * nr) + j), nr);
                    }

                    for (int jj = j; jj < j + 8; jj++)
                    {
                        T* src = b + ((long)(j0 + jj) * ldb);
                        for (int p = rows; p < kc; p++)
                        {
                            panel[(p * nr) + jj] = src[p];
                        }
                    }
                }
            }

            for (; j < nr; j++)
            {
                T* dst = panel + j;
                if (j < cols)
                {
                    T* src = b + ((long)(j0 + j) * ldb);
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * nr] = src[p];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * nr] = T.Zero;
                    }
                }
            }
        }
    }

    // destination[r·dstStride + c] = source[c·srcStride + r] for an 8 × 8 block of floats.
    private static void Transpose8x8(float* source, int srcStride, float* destination, int dstStride)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + srcStride);
        var r2 = Avx.LoadVector256(source + (2 * srcStride));
        var r3 = Avx.LoadVector256(source + (3 * srcStride));
        var r4 = Avx.LoadVector256(source + (4 * srcStride));
        var r5 = Avx.LoadVector256(source + (5 * srcStride));
        var r6 = Avx.LoadVector256(source + (6 * srcStride));
        var r7 = Avx.LoadVector256(source + (7 * srcStride));
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + (2 * dstStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + (3 * dstStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + (4 * dstStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + (5 * dstStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + (6 * dstStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + (7 * dstStride), Avx.Permute2x128(s3, s7, 0x31));
    }

    // Copies the last, narrower panel of a B that is not transposed, padding it with zeros to nr columns.
    private static void PackTail<T>(T* b, int ldb, int cols, int kc, int nr, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < kc; p++)
        {
            T* src = b + ((long)p * ldb), dst = packed + (p * nr);
            int j = 0;
            for (; j < cols; j++)
            {
                dst[j] = src[j];
            }

            for (; j < nr; j++)
            {
                dst[j] = T.Zero;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<T> Fma<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
        }

        return (a * b) + c;
    }

    // The 8 × 2-vector register tile: c[r, 0..nr) (+)= Σp a[p·8 + r] · b[p·stride + 0..nr).
    [SkipLocalsInit]
    private static void Kernel<T>(int kc, T* a, T* b, int stride, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector<T> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += RowsPerTile, b += stride)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var x = new Vector<T>(a[0]);
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            x = new Vector<T>(a[1]);
            c10 = Fma(x, b0, c10);
            c11 = Fma(x, b1, c11);
            x = new Vector<T>(a[2]);
            c20 = Fma(x, b0, c20);
            c21 = Fma(x, b1, c21);
            x = new Vector<T>(a[3]);
            c30 = Fma(x, b0, c30);
            c31 = Fma(x, b1, c31);
            x = new Vector<T>(a[4]);
            c40 = Fma(x, b0, c40);
            c41 = Fma(x, b1, c41);
            x = new Vector<T>(a[5]);
            c50 = Fma(x, b0, c50);
            c51 = Fma(x, b1, c51);
            x = new Vector<T>(a[6]);
            c60 = Fma(x, b0, c60);
            c61 = Fma(x, b1, c61);
            x = new Vector<T>(a[7]);
            c70 = Fma(x, b0, c70);
            c71 = Fma(x, b1, c71);
        }

        Store(c, w, c00, c01, add);
        Store(c + ldc, w, c10, c11, add);
        Store(c + (2 * ldc), w, c20, c21, add);
        Store(c + (3 * ldc), w, c30, c31, add);
        Store(c + (4 * ldc), w, c40, c41, add);
        Store(c + (5 * ldc), w, c50, c51, add);
        Store(c + (6 * ldc), w, c60, c61, add);
        Store(c + (7 * ldc), w, c70, c71, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, int w, Vector<T> v0, Vector<T> v1, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (add)
        {
            v0 += Vector.Load(c);
            v1 += Vector.Load(c + w);
        }

        Vector.Store(v0, c);
        Vector.Store(v1, c + w);
    }
}

/// <summary>
/// The packing buffers of one <see cref="Gemm"/> call at a time (one per thread or per part): allocated
/// once, reused by every product that fits.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GemmWorkspace<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Buffers for products up to m×k by k×n.</summary>
    /// <param name="m">The most rows of A and C.</param>
    /// <param name="n">The most columns of B and C.</param>
    /// <param name="k">The most columns of A.</param>
    /// <param name="transposeB">Whether B may be stored transposed (it is then packed: more memory).</param>
    public GemmWorkspace(int m, int n, int k, bool transposeB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int nr = Gemm.ColumnsPerTile<T>();
        int kc = Math.Max(1, Math.Min(k, Gemm.KBlock));
        PackedA = new T[RoundUp(Math.Max(1, Math.Min(m, Gemm.MBlock)), Gemm.RowsPerTile) * kc];
        PackedB = transposeB ? new T[RoundUp(Math.Max(1, Math.Min(n, Gemm.NBlock)), nr) * kc] : [];
        Tail = new T[nr * kc];
        (_m, _n, _k, _transposeB) = (m, n, k, transposeB);
    }

    private readonly int _m, _n, _k;
    private readonly bool _transposeB;

    internal T[] PackedA { get; }

    internal T[] PackedB { get; }

    internal T[] Tail { get; }

    internal bool Fits(int m, int n, int k, bool transposeB) =>
        (m <= _m || _m >= Gemm.MBlock) && (k <= _k || _k >= Gemm.KBlock) && (!transposeB || (_transposeB && (n <= _n || _n >= Gemm.NBlock)));

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

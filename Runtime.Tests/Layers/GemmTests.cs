using AutoDiff.Layers;
using AutoDiff.Threading;

namespace AutoDiff.Runtime.Tests.Layers;

/// <summary>The GEMM against the textbook triple loop in double, on every transpose and on sizes around every blocking edge.</summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        (int M, int N, int K)[] sizes = [(1, 1, 1), (7, 13, 5), (8, 16, 1), (9, 17, 300), (32, 196, 400), (129, 33, 257), (17, 1030, 9)];
        foreach (var (m, n, k) in sizes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    data.Add(m, n, k, ta, tb);
                }
            }
        }

        return data;
    }

    private static double[] Random(int length, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    // C[i, j] = Σp A[i, p] · B[p, j], A and B read through their stored layouts.
    private static double[] Naive(int m, int n, int k, double[] a, bool ta, double[] b, bool tb)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (ta ? a[(p * m) + i] : a[(i * k) + p]) * (tb ? b[(j * k) + p] : b[(p * n) + j]);
                }

                c[(i * n) + j] = sum;
            }
        }

        return c;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_the_triple_loop_in_double_and_float(int m, int n, int k, bool ta, bool tb)
    {
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var expected = Naive(m, n, k, a, ta, b, tb);
        var c = new double[m * n];
        Gemm.Multiply<double>(m, n, k, a, ta ? m : k, ta, b, tb ? k : n, tb, c, n, false, new GemmWorkspace<double>(m, n, k, tb));
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-12 * k, $"double C[{i}] = {c[i]}, expected {expected[i]}");
        }

        var cf = new float[m * n];
        Gemm.Multiply<float>(m, n, k, a.Select(v => (float)v).ToArray(), ta ? m : k, ta, b.Select(v => (float)v).ToArray(), tb ? k : n, tb,
            cf, n, false, new GemmWorkspace<float>(m, n, k, tb));
        for (int i = 0; i < cf.Length; i++)
        {
            // Inputs rounded to float, k products of |x| ≤ 1/4: the error stays below k · 2⁻²⁴ · 1/4 · a few.
            Assert.True(Math.Abs(cf[i] - expected[i]) <= 1e-7 * k + 1e-7, $"float C[{i}] = {cf[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Accumulates_and_honours_strides()
    {
        // A 5×7 block inside a 9-wide A, a 7×6 block inside an 11-wide B, C inside a 10-wide buffer that starts non-zero.
        int m = 5, n = 6, k = 7, lda = 9, ldb = 11, ldc = 10;
        var a = Random(m * lda, 3);
        var b = Random(k * ldb, 4);
        var c = Random(m * ldc, 5);
        var before = (double[])c.Clone();
        Gemm.Multiply<double>(m, n, k, a, lda, false, b, ldb, false, c, ldc, true, new GemmWorkspace<double>(m, n, k, false));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                double expected = before[(i * ldc) + j];
                if (j < n)
                {
                    for (int p = 0; p < k; p++)
                    {
                        expected += a[(i * lda) + p] * b[(p * ldb) + j];
                    }
                }

                Assert.Equal(expected, c[(i * ldc) + j], 1e-12);
            }
        }
    }

    // Parts by rows, and by columns (B transposed), those also sharing one packed A (k = 600: three blocks of
    // depth; A stored transposed too): the same bits as one call, on 1, 2 and 3 threads.
    [Theory]
    [InlineData(false, 130, false)]
    [InlineData(true, 130, false)]
    [InlineData(true, 600, false)]
    [InlineData(true, 600, true)]
    public void In_parts_gives_the_same_bits_on_any_number_of_threads(bool transposeB, int k, bool transposeA)
    {
        int m = 64, n = 300;
        var a = Random(m * k, 6).Select(v => (float)v).ToArray();
        var b = Random(k * n, 7).Select(v => (float)v).ToArray();
        int lda = transposeA ? m : k, ldb = transposeB ? k : n;
        var workspaces = Enumerable.Range(0, 8).Select(_ => new GemmWorkspace<float>(m, n, k, true)).ToArray();
        var single = new float[m * n];
        Gemm.Multiply<float>(m, n, k, a, lda, transposeA, b, ldb, transposeB, single, n, false, workspaces[0]);
        var packedA = new float[Gemm.PackedLength(m, k)];
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                KernelPool.MaxDegreeOfParallelism = threads;
                var c = new float[m * n];
                Gemm.MultiplyInParts<float>(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, n, false, workspaces);
                Assert.Equal(single, c);
                var shared = new float[m * n];
                Gemm.MultiplyInPartsSharingA<float>(m, n, k, a, lda, transposeA, b, ldb, transposeB, shared, n, false, workspaces, packedA);
                Assert.Equal(single, shared);
            }
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var ws = new GemmWorkspace<float>(4, 4, 4, false);
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(4, 4, 4, new float[15], 4, false, new float[16], 4, false, new float[16], 4, false, ws));
        Assert.Equal("a", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(4, 4, 4, new float[16], 3, false, new float[16], 4, false, new float[16], 4, false, ws));
        Assert.Equal("lda", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(4, 4, 4, new float[16], 4, false, new float[16], 4, true, new float[16], 4, false, ws));
        Assert.Equal("workspace", e.ParamName);
    }
}

using System.Numerics;
using AutoDiff.CompilerServices;
using AutoDiff.Runtime.Tests;
using AutoDiff.Threading;

namespace AutoDiff.Tests.Kernels;

/// <summary>
/// The runtime's loops over a batch of rows (<see cref="Rows{T}"/>), tested once by table over a row kernel written
/// here by hand, F(x, k) = Σⱼ xⱼ² + x[k] with k one index per row (∂F/∂xⱼ = 2xⱼ + [j = k]), against the same math
/// row by row in double: 0 … 3 rows of every length from 0 to two vectors and three (the tiny, short and general
/// row kernels each where documented), batches in parts on the kernel pool, the same sum on one thread and many,
/// nothing written outside the rows. The argument checks are the generated forms' (tested through the runtime's
/// generated row losses).
/// </summary>
public class RowsTests
{
    private const int Tiny = 1, Short = 2, General = 3;

    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 0, 1, 3 })
        {
            for (int columns = 1; columns <= 2 * Vector<double>.Count + 3; columns++)
            {
                data.Add(rows, columns);
            }
        }

        for (int columns = 2 * Vector<double>.Count + 4; columns <= 2 * Vector<float>.Count + 3; columns++)
        {
            data.Add(3, columns);
        }

        data.Add(64, 1_000); // 64,000 elements: four parts of 16 rows on the kernel pool
        data.Add(4_096, 9); // short rows in parts
        data.Add(8_192, 5); // tiny rows in parts
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_loop_matches_the_math_row_by_row_in_float(int rows, int columns) => Check<float>(rows, columns);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_loop_matches_the_math_row_by_row_in_double(int rows, int columns) => Check<double>(rows, columns);

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void An_empty_batch_has_a_mean_of_NaN_and_a_sum_of_0(int columns)
    {
        Assert.True(double.IsNaN(Rows<double>.Mean(new SquaresAndPick<double>(), 0, columns)));
        Assert.Equal(0, Rows<double>.Sum(new SquaresAndPick<double>(), 0, columns));
        Assert.True(float.IsNaN(Rows<float>.Mean(new SquaresAndPick<float>(), 0, columns)));
    }

    [Fact]
    public void A_batch_in_parts_sums_to_the_same_bits_on_one_thread_and_on_many()
    {
        const int rows = 256, columns = 300; // 76,800 elements: 6 parts
        var (x, pick) = Inputs<float>(rows, columns);
        var gradient = new float[x.Length];
        int saved = KernelPool.MaxDegreeOfParallelism;
        try
        {
            KernelPool.MaxDegreeOfParallelism = 1;
            float one = Rows<float>.Sum(new SquaresAndPick<float> { X = x, Pick = pick, DX = gradient, Path = new int[rows] }, rows, columns);
            KernelPool.MaxDegreeOfParallelism = 4;
            float many = Rows<float>.Sum(new SquaresAndPick<float> { X = x, Pick = pick, DX = gradient, Path = new int[rows] }, rows, columns);
            Assert.Equal(BitConverter.SingleToInt32Bits(one), BitConverter.SingleToInt32Bits(many));
        }
        finally
        {
            KernelPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void A_batch_in_parts_allocates_nothing_on_any_thread()
    {
        const int rows = 256, columns = 300; // 6 parts
        var (x, pick) = Inputs<float>(rows, columns);
        var gradient = new float[x.Length];
        var perRow = new float[rows];
        var path = new int[rows];
        void Run()
        {
            Rows<float>.Mean(new SquaresAndPick<float> { X = x, Pick = pick, DX = gradient, Path = path }, rows, columns);
            Rows<float>.Backward(new SquaresAndPick<float> { X = x, Pick = pick, DX = gradient, Path = path }, rows, columns, perRow);
            Rows<float>.Forward(new SquaresAndPick<float> { X = x, Pick = pick, Path = path }, rows, columns, perRow);
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Run, calls: 20, warmup: 20));
    }

    private static void Check<T>(int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, pick) = Inputs<T>(rows, columns);
        var upstream = Enumerable.Range(0, rows).Select(r => T.CreateChecked(0.5 + 0.25 * r)).ToArray();
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-13;
        int expectedPath = columns > 0 && columns < Vector<T>.Count ? Tiny
            : columns > Vector<T>.Count && columns <= 2 * Vector<T>.Count ? Short
            : General;

        // The forward: F of each row, the gradient outputs untouched.
        var destination = Padded<T>(rows);
        var path = new int[rows];
        Rows<T>.Forward(new SquaresAndPick<T> { X = x, Pick = pick, Path = path }, rows, columns, destination.AsSpan(0, rows));
        Assert.Equal(T.CreateChecked(Sentinel), destination[rows]);
        Assert.All(path, p => Assert.Equal(0, p));
        for (int r = 0; r < rows; r++)
        {
            Close(Value(x, pick, r, columns), destination[r], tolerance);
        }

        // The backward: upstream[r] times row r's gradient, through the kernel for its length.
        var dX = Padded<T>(x.Length);
        Rows<T>.Backward(new SquaresAndPick<T> { X = x, Pick = pick, DX = dX.AsSpan(0, x.Length), Path = path }, rows, columns, upstream);
        Assert.Equal(T.CreateChecked(Sentinel), dX[x.Length]);
        Assert.All(path, p => Assert.Equal(expectedPath, p));
        CloseGradient(x, pick, rows, columns, r => double.CreateChecked(upstream[r]), dX, tolerance);

        // The sum and the mean: Σ F (in double), and the gradient times 1 and 1/rows.
        foreach (bool mean in new[] { false, true })
        {
            var dSum = Padded<T>(x.Length);
            var kernel = new SquaresAndPick<T> { X = x, Pick = pick, DX = dSum.AsSpan(0, x.Length), Path = new int[rows] };
            T total = mean ? Rows<T>.Mean(kernel, rows, columns) : Rows<T>.Sum(kernel, rows, columns);
            double expected = Enumerable.Range(0, rows).Sum(r => Value(x, pick, r, columns));
            if (mean)
            {
                if (rows == 0)
                {
                    Assert.True(T.IsNaN(total));
                    continue;
                }

                expected /= rows;
            }

            Close(expected, total, tolerance);
            Assert.Equal(T.CreateChecked(Sentinel), dSum[x.Length]);
            CloseGradient(x, pick, rows, columns, _ => mean ? 1.0 / rows : 1.0, dSum, tolerance);
        }
    }

    private const int Sentinel = 12345;

    private static T[] Padded<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = new T[length + 1];
        span[length] = T.CreateChecked(Sentinel);
        return span;
    }

    private static (T[] X, int[] Pick) Inputs<T>(int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Enumerable.Range(0, rows * columns).Select(i => T.CreateChecked(Math.Sin(i * 0.37) * 2)).ToArray();
        var pick = Enumerable.Range(0, rows).Select(r => columns == 0 ? 0 : (r * 7) % columns).ToArray();
        return (x, pick);
    }

    private static double Value<T>(T[] x, int[] pick, int r, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int j = 0; j < columns; j++)
        {
            double v = double.CreateChecked(x[r * columns + j]);
            sum += v * v;
        }

        return sum + double.CreateChecked(x[r * columns + pick[r]]);
    }

    private static void CloseGradient<T>(T[] x, int[] pick, int rows, int columns, Func<int, double> scale, T[] actual, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                double v = double.CreateChecked(x[r * columns + j]);
                Close(scale(r) * (2 * v + (j == pick[r] ? 1 : 0)), actual[r * columns + j], tolerance);
            }
        }
    }

    private static void Close<T>(double expected, T actual, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = double.CreateChecked(actual);
        Assert.True(Math.Abs(a - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {a}");
    }

    // F(x, k) = Σⱼ xⱼ² + x[k], one row at a time, as a generated row kernel would call its row functions; each
    // gradient entry point records which one the loop chose for the row.
    private ref struct SquaresAndPick<T> : IRowKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ReadOnlySpan<T> X;
        public ReadOnlySpan<int> Pick;
        public Span<T> DX;
        public Span<int> Path;

        public readonly T Value(int row, int offset, int columns)
        {
            var x = X.Slice(offset, columns);
            T sum = T.Zero;
            foreach (var v in x)
            {
                sum += v * v;
            }

            return sum + x[Pick[row]];
        }

        public readonly T Gradient(int row, int offset, int columns, T scale) => Row(row, offset, columns, scale, General);

        public readonly T ShortGradient(int row, int offset, int columns, T scale) => Row(row, offset, columns, scale, Short);

        public readonly T TinyGradient(int row, int offset, int columns, T scale) => Row(row, offset, columns, scale, Tiny);

        private readonly T Row(int row, int offset, int columns, T scale, int path)
        {
            Path[row] = path;
            var x = X.Slice(offset, columns);
            var dx = DX.Slice(offset, columns);
            for (int j = 0; j < columns; j++)
            {
                dx[j] = scale * (T.CreateChecked(2) * x[j] + (j == Pick[row] ? T.One : T.Zero));
            }

            return Value(row, offset, columns);
        }
    }
}

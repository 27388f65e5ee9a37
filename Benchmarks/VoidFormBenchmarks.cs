using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// What a void method's own forms cost, in one run: a relaxation written in place over 1,000 doubles
/// (v[i] = w·v[i] + (1 − w)·v[i−1]·v[i], each element reading the one it wrote before), the method itself beside its
/// FVjp (the taped sweeps, then the method once more for its results), its FJvp (one pass over dual numbers, the span
/// kept over duals on the tape and written back) and a hand-written adjoint loop that keeps each overwritten value in a
/// buffer allocated once and leaves the results in place.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*VoidFormBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public partial class VoidFormBenchmarks
{
    private const int Length = 1000;
    private const double W = 0.7;

    private readonly double[] _initial = new double[Length], _v = new double[Length], _dV = new double[Length], _kept = new double[Length];
    private readonly double[] _seed = new double[Length], _tV = new double[Length];

    /// <summary>Each element relaxed toward its left neighbour, in place.</summary>
    /// <param name="v">The state, relaxed in place.</param>
    /// <param name="w">The weight of each element's own value.</param>
    [Differentiable]
    public static void Relax(Span<double> v, double w)
    {
        for (int i = 1; i < v.Length; i++)
        {
            v[i] = (w * v[i]) + ((1 - w) * v[i - 1] * v[i]);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Length; i++)
        {
            _initial[i] = 0.5 + (0.3 * Math.Sin(i));
            _seed[i] = Math.Cos(i);
        }

        Restore();
        HandWritten();
        var handWritten = _dV.ToArray();
        var handResult = _v.ToArray();
        Restore();
        RelaxVjp(_v, W, _dV, out _);
        for (int i = 0; i < Length; i++)
        {
            if (Math.Abs(_dV[i] - handWritten[i]) > 1e-12 * (1 + Math.Abs(handWritten[i])) || _v[i] != handResult[i])
            {
                throw new InvalidOperationException($"FVjp and the hand-written adjoint differ at {i}: {_dV[i]} vs {handWritten[i]}.");
            }
        }
    }

    // Every call starts from the same state and seed (the forms write both in place).
    private void Restore()
    {
        _initial.CopyTo(_v, 0);
        _seed.CopyTo(_dV, 0);
        _seed.CopyTo(_tV, 0);
    }

    [Benchmark(Baseline = true, Description = "relaxation in place, 1,000 doubles: the method")]
    public double Method()
    {
        _initial.CopyTo(_v, 0);
        Relax(_v, W);
        return _v[Length - 1];
    }

    [Benchmark(Description = "relaxation: FVjp (sweeps, then the method)")]
    public double Vjp()
    {
        Restore();
        RelaxVjp(_v, W, _dV, out double dW);
        return dW;
    }

    [Benchmark(Description = "relaxation: FJvp (over dual numbers)")]
    public double Jvp()
    {
        Restore();
        RelaxJvp(_v, W, _tV, 1.0);
        return _tV[Length - 1];
    }

    [Benchmark(Description = "relaxation: hand-written adjoint loop")]
    public double HandWritten()
    {
        Restore();
        Span<double> v = _v, dV = _dV, kept = _kept;
        for (int i = 1; i < v.Length; i++)
        {
            kept[i] = v[i];
            v[i] = (W * v[i]) + ((1 - W) * v[i - 1] * v[i]);
        }

        // Backwards: step i read the value it overwrote (kept) and its left neighbour as step i − 1 left it, which no
        // later step changes (so the final v[i − 1]).
        double dW = 0.0;
        for (int i = v.Length - 1; i >= 1; i--)
        {
            double before = kept[i], left = v[i - 1];
            double g = dV[i];
            dW += g * (before - (left * before));
            dV[i] = g * (W + ((1 - W) * left));
            dV[i - 1] += g * (1 - W) * before;
        }

        return dW;
    }
}

using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// What forward mode and the Hessian-vector product of a taped method cost beside its gradient, in one run: the
/// recurrence h = tanh(w·h + x[i]) over 1,000 floats and Horner's rule with 16 coefficients
/// (<see cref="TapedLoopBenchmarks"/>'s methods), each gradient against its FJvp (the forward sweep alone over dual
/// numbers) and its FHessianVectorProduct (the taped gradient run once over dual numbers). The bar: the
/// Hessian-vector product at most 4× the gradient, 0 bytes.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*TapedSecondOrderBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class TapedSecondOrderBenchmarks
{
    private const int Steps = 1000;
    private const int Coefficients = 16;

    private readonly float[] _x = new float[Steps], _vX = new float[Steps], _dX = new float[Steps], _hvX = new float[Steps];
    private readonly double[] _c = new double[Coefficients], _vC = new double[Coefficients], _dC = new double[Coefficients], _hvC = new double[Coefficients];
    private float _w = 0.8f;
    private double _point = 0.9;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Steps; i++)
        {
            _x[i] = MathF.Sin(i) * 0.5f;
            _vX[i] = MathF.Cos(i);
        }

        for (int i = 0; i < Coefficients; i++)
        {
            _c[i] = 1.0 / (i + 1);
            _vC[i] = Math.Cos(i);
        }
    }

    [Benchmark(Baseline = true, Description = "recurrence, 1,000 steps: gradient")]
    public float RecurrenceGradient() => TapedLoopBenchmarks.RecurrenceGradient(_x, _w, _dX, out float dW) + dW;

    [Benchmark(Description = "recurrence, 1,000 steps: Jvp")]
    public float RecurrenceJvp() => TapedLoopBenchmarks.RecurrenceJvp(_x, _w, _vX, 0.5f, out float tangent) + tangent;

    [Benchmark(Description = "recurrence, 1,000 steps: Hessian-vector product")]
    public float RecurrenceHessianVectorProduct() => TapedLoopBenchmarks.RecurrenceHessianVectorProduct(_x, _w, _vX, 0.5f, _hvX, out float hvW) + hvW;

    [Benchmark(Description = "Horner, 16 coefficients: gradient")]
    public double HornerGradient() => TapedLoopBenchmarks.HornerGradient(_c, _point, _dC, out double dX) + dX;

    [Benchmark(Description = "Horner, 16 coefficients: Jvp")]
    public double HornerJvp() => TapedLoopBenchmarks.HornerJvp(_c, _point, _vC, 0.5, out double tangent) + tangent;

    [Benchmark(Description = "Horner, 16 coefficients: Hessian-vector product")]
    public double HornerHessianVectorProduct() => TapedLoopBenchmarks.HornerHessianVectorProduct(_c, _point, _vC, 0.5, _hvC, out double hvX) + hvX;
}

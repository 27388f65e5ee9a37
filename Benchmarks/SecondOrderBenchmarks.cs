using AutoDiff.Cli;
using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// What second derivatives cost beside the gradient, in one run: the generated Hessian-vector product of a method over
/// a span (cross-entropy over 1,000 logits: forward mode over reverse) against its row gradient, and the scalar forms
/// of Rosenbrock's valley (value + gradient, the forward-mode Jvp, the 2 × 2 Hessian). The bar: the
/// Hessian-vector product at most 4× the gradient, 0 bytes. Beside them, a row method that calls a method of scalars on
/// each element (its Hessian-vector product runs the callee's Hessian lane by lane): its gradient and its product.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public partial class SecondOrderBenchmarks
{
    private readonly double[] _gradient = new double[2];
    private readonly double[] _hessian = new double[4];
    private double _x = -1.5, _y = 2; // fields, so the JIT cannot fold the scalar forms away
    private float[] _logits = null!, _direction = null!, _d = null!, _hv = null!, _logits2 = null!;

    /// <summary>x·tanh(y) + x·y².</summary>
    /// <param name="x">The first input.</param>
    /// <param name="y">The second input.</param>
    [Differentiable]
    public static float Blend(float x, float y) => (x * MathF.Tanh(y)) + (y * y * x);

    /// <summary>Σᵢ Blend(a[i], b[i]).</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row.</param>
    [Differentiable]
    public static float CallsPerElement(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => Blend(x, y));

    [Params(1_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _logits = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        _direction = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        (_d, _hv) = (new float[N], new float[N]);
        _logits2 = _logits.Reverse().ToArray();
    }

    [Benchmark(Baseline = true, Description = "cross-entropy row gradient")]
    public float RowGradient() => Losses.CrossEntropyGradient(_logits, 3, _d);

    [Benchmark(Description = "cross-entropy Hessian-vector product")]
    public float HessianVectorProduct() => Losses.CrossEntropyHessianVectorProduct(_logits, 3, _direction, _hv);

    [Benchmark(Description = "row calling a method per element: gradient")]
    public float CallingGradient() => CallsPerElementGradient(_logits, _direction, _d, _hv);

    [Benchmark(Description = "row calling a method per element: Hessian-vector product")]
    public float CallingHessianVectorProduct() => CallsPerElementHessianVectorProduct(_logits, _direction, _direction, _logits2, _d, _hv);

    [Benchmark(Description = "Rosenbrock value + gradient")]
    public double Gradient() => DemoFunctions.RosenbrockXYGradient(_x, _y, out _gradient[0], out _gradient[1]);

    [Benchmark(Description = "Rosenbrock Jvp")]
    public double Jvp() => DemoFunctions.RosenbrockXYJvp(_x, _y, 0.6, 0.8, out _gradient[0]);

    [Benchmark(Description = "Rosenbrock Hessian")]
    public double Hessian() => DemoFunctions.RosenbrockXYHessian(_x, _y, _gradient, _hessian);
}

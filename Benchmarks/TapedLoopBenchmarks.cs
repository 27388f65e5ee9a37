using AutoDiff.Benchmarks.Peers;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Loops the graph cannot unroll, whose gradient the generator writes statement by statement with a tape, each beside
/// a hand-written adjoint loop that keeps what its reverse loop needs in buffers allocated once: the recurrence
/// h = tanh(w·h + x[i]) over 1,000 elements (the gradient with respect to every x[i] and w), and Horner's rule with 16
/// coefficients (with respect to each coefficient and x). The tape keeps each overwritten value and takes tanh from
/// the variable it was assigned to; the hand-written recurrence keeps the tanh it computed. The peer is libtorch's
/// autograd through TorchSharp running the same loop on scalar tensors (as a PyTorch user writes it), forward and backward.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*TapedLoopBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public partial class TapedLoopBenchmarks
{
    private const int Steps = 1000;
    private const int Coefficients = 16;

    private readonly float[] _x = new float[Steps], _dX = new float[Steps], _states = new float[Steps + 1];
    private readonly double[] _c = new double[Coefficients], _dC = new double[Coefficients], _partials = new double[Coefficients];
    private float _w = 0.8f;
    private double _point = 0.9;
    private Tensor _torchX = null!, _torchW = null!, _torchC = null!, _torchPoint = null!;

    /// <summary>A recurrence over the row: h = tanh(w·h + x[i]).</summary>
    /// <param name="x">The inputs, one per step.</param>
    /// <param name="w">The recurrent weight.</param>
    [Differentiable]
    public static float Recurrence(ReadOnlySpan<float> x, float w)
    {
        float h = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            h = MathF.Tanh((w * h) + x[i]);
        }

        return h;
    }

    /// <summary>Horner's rule: Σ c[i]·xⁱ.</summary>
    /// <param name="c">The coefficients, the constant term first.</param>
    /// <param name="x">Where the polynomial is evaluated.</param>
    [Differentiable]
    public static double Horner(ReadOnlySpan<double> c, double x)
    {
        double p = 0.0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            p = (p * x) + c[i];
        }

        return p;
    }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Steps; i++)
        {
            _x[i] = MathF.Sin(i) * 0.5f;
        }

        for (int i = 0; i < Coefficients; i++)
        {
            _c[i] = 1.0 / (i + 1);
        }

        LibTorchSharpPatch.Apply();
        _torchX = tensor(_x).requires_grad_();
        _torchW = tensor(_w).requires_grad_();
        _torchC = tensor(_c).requires_grad_();
        _torchPoint = tensor(_point).requires_grad_();

        Check(RecurrenceGenerated(), _dX.ToArray(), RecurrenceHandWritten(), _dX, "recurrence");
        Check(HornerGenerated(), _dC.ToArray(), HornerHandWritten(), _dC, "Horner");
        Check(RecurrenceGenerated(), _dX.ToArray(), RecurrenceTorchSharp(), _torchX.grad!.data<float>().ToArray(), "recurrence (TorchSharp)");
        Check(HornerGenerated(), _dC.ToArray(), HornerTorchSharp(), _torchC.grad!.data<double>().ToArray(), "Horner (TorchSharp)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchX.Dispose();
        _torchW.Dispose();
        _torchC.Dispose();
        _torchPoint.Dispose();
    }

    private static void Check(double generated, Array generatedGradient, double handWritten, Array handWrittenGradient, string name)
    {
        for (int i = 0; i < generatedGradient.Length; i++)
        {
            double a = Convert.ToDouble(generatedGradient.GetValue(i)), b = Convert.ToDouble(handWrittenGradient.GetValue(i));
            if (Math.Abs(a - b) > 1e-5 * (1 + Math.Abs(b)))
            {
                throw new InvalidOperationException($"{name}: the generated and hand-written gradients differ at {i}: {a} vs {b}.");
            }
        }

        if (Math.Abs(generated - handWritten) > 1e-5 * (1 + Math.Abs(handWritten)))
        {
            throw new InvalidOperationException($"{name}: the generated ({generated}) and hand-written ({handWritten}) values and scalar gradients differ.");
        }
    }

    [Benchmark(Description = "recurrence, 1,000 steps: generated (tape)")]
    public float RecurrenceGenerated() => RecurrenceGradient(_x, _w, _dX, out float dW) + dW;

    [Benchmark(Baseline = true, Description = "recurrence, 1,000 steps: hand-written adjoint loop")]
    public float RecurrenceHandWritten()
    {
        ReadOnlySpan<float> x = _x;
        Span<float> h = _states, dX = _dX; // h[i]: the state before step i
        float w = _w;
        h[0] = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            h[i + 1] = MathF.Tanh((w * h[i]) + x[i]);
        }

        float dW = 0f, dH = 1f;
        for (int i = x.Length - 1; i >= 0; i--)
        {
            float next = h[i + 1];
            float g = dH * (1f - (next * next));
            dW += g * h[i];
            dX[i] = g;
            dH = g * w;
        }

        return h[x.Length] + dW;
    }

    [Benchmark(Description = "recurrence, 1,000 steps: TorchSharp autograd")]
    public float RecurrenceTorchSharp()
    {
        using var scope = NewDisposeScope();
        _torchX.grad?.zero_();
        _torchW.grad?.zero_();
        var h = tensor(0f);
        for (int i = 0; i < Steps; i++)
        {
            h = tanh((_torchW * h) + _torchX[i]);
        }

        h.backward();
        return h.item<float>() + _torchW.grad!.item<float>();
    }

    [Benchmark(Description = "Horner, 16 coefficients: generated (tape)")]
    public double HornerGenerated() => HornerGradient(_c, _point, _dC, out double dX) + dX;

    [Benchmark(Description = "Horner, 16 coefficients: hand-written adjoint loop")]
    public double HornerHandWritten()
    {
        ReadOnlySpan<double> c = _c;
        Span<double> before = _partials, dC = _dC; // before[i]: p before the step that adds c[i]
        double x = _point, p = 0.0;
        for (int i = c.Length - 1; i >= 0; i--)
        {
            before[i] = p;
            p = (p * x) + c[i];
        }

        double dX = 0.0, g = 1.0;
        for (int i = 0; i < c.Length; i++)
        {
            dC[i] = g;
            dX += g * before[i];
            g *= x;
        }

        return p + dX;
    }

    [Benchmark(Description = "Horner, 16 coefficients: TorchSharp autograd")]
    public double HornerTorchSharp()
    {
        using var scope = NewDisposeScope();
        _torchC.grad?.zero_();
        _torchPoint.grad?.zero_();
        var p = tensor(0.0);
        for (int i = Coefficients - 1; i >= 0; i--)
        {
            p = (p * _torchPoint) + _torchC[i];
        }

        p.backward();
        return p.item<double>() + _torchPoint.grad!.item<double>();
    }
}

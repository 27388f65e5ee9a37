using BenchmarkDotNet.Attributes;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A recurrence over 1,000 steps, h = tanh(w·h + x·sin t), and its gradient with respect to x and w: the gradient the
/// generator writes statement by statement with a tape (the loop's count is a parameter, so the graph cannot unroll
/// it) beside a hand-written adjoint loop that keeps each step's h in a buffer allocated once. The tape keeps each
/// overwritten h and recomputes tanh in the reverse sweep; the hand-written loop keeps the tanh it computed.
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*TapedLoopBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public partial class TapedLoopBenchmarks
{
    private readonly float[] _states = new float[1001];
    private float _x = 0.3f, _w = 0.8f, _steps = 1000f;

    /// <summary>The recurrence: a loop whose count is a parameter.</summary>
    /// <param name="x">The input's scale.</param>
    /// <param name="w">The recurrent weight.</param>
    /// <param name="steps">How many steps.</param>
    [Differentiable]
    public static float Recurrence(float x, float w, [NoDiff] float steps)
    {
        float h = 0f;
        for (int t = 0; t < steps; t++)
        {
            h = MathF.Tanh(w * h + x * MathF.Sin(t));
        }

        return h;
    }

    [GlobalSetup]
    public void Setup()
    {
        float generated = Generated(), handWritten = HandWritten();
        if (MathF.Abs(generated - handWritten) > 1e-5f * MathF.Abs(handWritten))
        {
            throw new InvalidOperationException($"The generated gradient ({generated}) and the hand-written one ({handWritten}) differ.");
        }
    }

    [Benchmark(Description = "generated (tape)")]
    public float Generated() => RecurrenceGradient(_x, _w, _steps, out float dX, out float dW) + dX + dW;

    [Benchmark(Baseline = true, Description = "hand-written adjoint loop")]
    public float HandWritten()
    {
        float x = _x, w = _w;
        int n = (int)MathF.Ceiling(_steps);
        Span<float> h = _states.AsSpan(0, n + 1); // h[t]: the state before step t
        h[0] = 0f;
        for (int t = 0; t < n; t++)
        {
            h[t + 1] = MathF.Tanh((w * h[t]) + (x * MathF.Sin(t)));
        }

        float dX = 0f, dW = 0f, dH = 1f;
        for (int t = n - 1; t >= 0; t--)
        {
            float next = h[t + 1];
            float g = dH * (1f - (next * next));
            dW += g * h[t];
            dX += g * MathF.Sin(t);
            dH = g * w;
        }

        return h[n] + dX + dW;
    }
}

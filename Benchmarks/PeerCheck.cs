namespace AutoDiff.Benchmarks;

/// <summary>Before timing anything: every peer of a benchmark computes the same value and gradient.</summary>
internal static class PeerCheck
{
    public static int Run()
    {
        var benchmark = new HuberBenchmarks { N = 100_003 };
        benchmark.Setup();
        float reference = benchmark.Generated();
        var gradient = GradientOf(benchmark);
        bool ok = true;
        foreach (var (name, run) in new (string, Func<float>)[]
        {
            ("ScalarLoop", benchmark.ScalarLoop),
            ("HandWrittenVector", benchmark.HandWrittenVector),
            ("TensorPrimitivesComposition", benchmark.TensorPrimitivesComposition),
        })
        {
            float value = run();
            var other = GradientOf(benchmark);
            double worst = gradient.Zip(other, (a, b) => Math.Abs(a - b)).Max();
            bool same = Math.Abs(value - reference) <= 1e-5 * Math.Abs(reference) && worst <= 1e-9;
            ok &= same;
            Console.WriteLine($"{name,-30} value {value:R} (generated {reference:R}), max gradient difference {worst:E1} {(same ? "ok" : "MISMATCH")}");
        }

        float torch = benchmark.TorchSharpAutograd();
        Console.WriteLine($"{"TorchSharpAutograd",-30} value {torch:R} (generated {reference:R}) {(Math.Abs(torch - reference) <= 1e-5 * Math.Abs(reference) ? "ok" : "MISMATCH")}");
        benchmark.Cleanup();
        return ok ? 0 : 1;
    }

    private static float[] GradientOf(HuberBenchmarks benchmark) => benchmark.Gradient.ToArray();
}

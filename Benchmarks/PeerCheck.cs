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
            ("GeneratedTextbook", benchmark.GeneratedTextbook),
            ("GeneratedUnitDelta", benchmark.GeneratedUnitDelta),
            ("HandWrittenVector", benchmark.HandWrittenVector),
            ("HandWrittenVectorUnitDelta", benchmark.HandWrittenVectorUnitDelta),
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

        // Every loss of LossBenchmarks: the generated kernel and libtorch agree on the mean and its gradient.
        foreach (var loss in new[] { "MSE", "MAE", "MSLE", "Huber", "SmoothL1", "LogCosh", "BCE", "BCEWithLogits", "Hinge", "SquaredHinge" })
        {
            var losses = new LossBenchmarks { Loss = loss, N = 1_003 };
            losses.Setup();
            float generated = losses.Generated();
            var ours = losses.Gradient.ToArray();
            float libtorch = losses.TorchSharpAutograd();
            var theirs = losses.TorchGradient;
            double worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            bool same = Math.Abs(generated - libtorch) <= 1e-5 * Math.Max(1, Math.Abs(libtorch)) && worst <= 1e-7;
            ok &= same;
            Console.WriteLine($"{loss,-30} generated {generated:R}, libtorch {libtorch:R}, max gradient difference {worst:E1} {(same ? "ok" : "MISMATCH")}");
            losses.Cleanup();
        }

        return ok ? 0 : 1;
    }

    private static float[] GradientOf(HuberBenchmarks benchmark) => benchmark.Gradient.ToArray();
}

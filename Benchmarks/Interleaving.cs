using System.Diagnostics;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Rounds for timing two or more sides in alternation in one process (<see cref="InterleavedTraining"/>,
/// <see cref="InterleavedHuber"/>), so that a slow spell of this VM falls on every side.
/// </summary>
internal static class Interleaving
{
    /// <summary>
    /// A pause of <paramref name="pause"/> milliseconds (so that no side runs while another's idle threads still
    /// spin: libtorch's OpenMP threads spinning on the second core slowed our two-thread training step by up to a
    /// fifth), one untimed call (which wakes the side's own threads), then the mean time of <paramref name="calls"/>
    /// calls in milliseconds.
    /// </summary>
    public static double Round(Action call, int calls, int pause)
    {
        if (pause > 0)
        {
            Thread.Sleep(pause);
        }

        call();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return clock.Elapsed.TotalMilliseconds / calls;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

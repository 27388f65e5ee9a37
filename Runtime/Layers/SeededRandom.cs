namespace AutoDiff.Layers;

/// <summary>
/// A small, fast generator whose sequence is fixed by its seed on every platform and .NET version
/// (SplitMix64): initial weights, shuffles, dropout masks and data offsets are reproducible bit for bit.
/// Its whole state is <see cref="State"/>, which a checkpoint saves.
/// </summary>
/// <param name="seed">The seed.</param>
public sealed class SeededRandom(ulong seed)
{
    /// <summary>The state; setting it continues the sequence from where it was read.</summary>
    public ulong State { get; set; } = seed;

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">The bound, at least 1.</param>
    /// <returns>The value.</returns>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        ulong bound = (ulong)maxExclusive, threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>A standard normal value (Box–Muller).</summary>
    /// <returns>The value.</returns>
    public double NextGaussian()
    {
        double u = 1.0 - NextDouble(), v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    /// <typeparam name="TValue">The element type.</typeparam>
    /// <param name="values">The values.</param>
    public void Shuffle<TValue>(Span<TValue> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A stateless hash of two values to 64 well-mixed bits: a random number addressed by a counter.</summary>
    /// <param name="key">A seed.</param>
    /// <param name="counter">The position in the stream.</param>
    /// <returns>The bits.</returns>
    public static ulong Hash(ulong key, ulong counter) => Mix(Mix(key + 0x9E3779B97F4A7C15UL) ^ (counter * 0xD1B54A32D192ED03UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

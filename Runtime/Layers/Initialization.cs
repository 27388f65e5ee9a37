using System.Numerics;

namespace AutoDiff.Layers;

/// <summary>How a layer draws its initial weights (biases start at zero, except with <see cref="PyTorch"/>).</summary>
public enum Initialization
{
    /// <summary>He (Kaiming) normal: N(0, 2 / fan_in), for layers followed by a ReLU.</summary>
    He,

    /// <summary>Glorot (Xavier) uniform: U(−a, a), a = √(6 / (fan_in + fan_out)), for tanh, sigmoid or no activation.</summary>
    Glorot,

    /// <summary>PyTorch's default for <c>Linear</c> and <c>Conv2d</c> (Kaiming uniform with a = √5): weights and biases U(−1/√fan_in, 1/√fan_in).</summary>
    PyTorch,
}

internal static class Initializer
{
    public static void Fill<T>(Span<T> weights, Initialization kind, int fanIn, int fanOut, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case Initialization.He:
                double std = Math.Sqrt(2.0 / fanIn);
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = T.CreateChecked(std * random.NextGaussian());
                }

                break;
            case Initialization.Glorot:
                double a = Math.Sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = T.CreateChecked(a * ((2 * random.NextDouble()) - 1));
                }

                break;
            case Initialization.PyTorch:
                double bound = 1 / Math.Sqrt(fanIn);
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = T.CreateChecked(bound * ((2 * random.NextDouble()) - 1));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown initialization.");
        }
    }
}

using AutoDiff.Layers;

namespace AutoDiff.Training;

/// <summary>
/// Data augmentation for training: each image moved by a random whole-pixel offset (dx, dy) ∈
/// [−<see cref="MaxShift"/>, <see cref="MaxShift"/>]², the uncovered border filled with the image's top-left
/// pixel (its background). The offset is drawn from (seed, epoch, image), so a resumed run sees the same
/// images; evaluation never shifts.
/// </summary>
public sealed class RandomShift
{
    /// <summary>Shifts of up to <paramref name="maxShift"/> pixels each way.</summary>
    /// <param name="maxShift">The largest shift, at least 1.</param>
    public RandomShift(int maxShift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShift, 1);
        MaxShift = maxShift;
    }

    /// <summary>The largest shift in pixels, each way.</summary>
    public int MaxShift { get; }

    /// <summary>Shifts <paramref name="image"/> (one sample of <paramref name="shape"/>) by the offset <paramref name="draw"/> selects, using <paramref name="scratch"/>.</summary>
    /// <param name="image">The image, changed in place.</param>
    /// <param name="shape">Its shape.</param>
    /// <param name="draw">64 random bits for this image.</param>
    /// <param name="scratch">At least <paramref name="shape"/>.Size values.</param>
    public void Apply(Span<float> image, TensorShape shape, ulong draw, Span<float> scratch)
    {
        int span = (2 * MaxShift) + 1;
        int dx = (int)(draw % (ulong)span) - MaxShift, dy = (int)((draw / (ulong)span) % (ulong)span) - MaxShift;
        if (dx == 0 && dy == 0)
        {
            return;
        }

        int height = shape.Height, width = shape.Width, plane = height * width;
        for (int c = 0; c < shape.Channels; c++)
        {
            var source = image.Slice(c * plane, plane);
            var target = scratch[..plane];
            target.Fill(source[0]);
            for (int y = Math.Max(0, dy); y < Math.Min(height, height + dy); y++)
            {
                int x0 = Math.Max(0, dx), x1 = Math.Min(width, width + dx);
                source.Slice(((y - dy) * width) + x0 - dx, x1 - x0).CopyTo(target.Slice((y * width) + x0, x1 - x0));
            }

            target.CopyTo(source);
        }
    }
}

using AutoDiff.Data;
using AutoDiff.Layers;

namespace AutoDiff.Training;

/// <summary>
/// P × K mini-batches for metric learning (Hermans et al., 2017): each batch holds
/// <see cref="Classes"/> distinct classes drawn at random and <see cref="ImagesPerClass"/> distinct images of
/// each, so every image has K − 1 positives and (P − 1)·K negatives in its batch for a miner to choose
/// from. Batch s is drawn from (seed, s) alone, so a resumed run draws the same batches.
/// </summary>
/// <remarks>An epoch is ⌈images / (P·K)⌉ such batches; images are drawn with replacement across batches.</remarks>
public sealed class ClassBalancedSampler
{
    /// <summary>A sampler of <paramref name="classes"/> × <paramref name="imagesPerClass"/> batches.</summary>
    /// <param name="classes">P ≥ 2: classes per batch (a triplet needs a negative).</param>
    /// <param name="imagesPerClass">K ≥ 2: images per class (an anchor needs a positive).</param>
    public ClassBalancedSampler(int classes, int imagesPerClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(imagesPerClass, 2);
        (Classes, ImagesPerClass) = (classes, imagesPerClass);
    }

    /// <summary>P: classes per batch.</summary>
    public int Classes { get; }

    /// <summary>K: images per class.</summary>
    public int ImagesPerClass { get; }

    /// <summary>P · K.</summary>
    public int BatchSize => Classes * ImagesPerClass;

    /// <inheritdoc/>
    public override string ToString() => $"{Classes} classes × {ImagesPerClass} images";

    /// <summary>The draw of batches from <paramref name="data"/>, after checking that it has what P × K batches need.</summary>
    internal Batches Bind(ImageDataset data)
    {
        var labels = data.Labels ?? throw new ArgumentException("Class-balanced batches need labelled data.", nameof(data));
        var members = new List<int>[data.Classes];
        for (int c = 0; c < members.Length; c++)
        {
            members[c] = [];
        }

        for (int i = 0; i < data.Count; i++)
        {
            members[labels[i]].Add(i);
        }

        var eligible = members.Where(m => m.Count >= ImagesPerClass).Select(m => m.ToArray()).ToArray();
        if (eligible.Length < Classes)
        {
            throw new ArgumentException(
                $"Batches of {this} need {Classes} classes with at least {ImagesPerClass} images each; the data has {eligible.Length}.", nameof(data));
        }

        return new Batches(this, eligible);
    }

    /// <summary>The batches of one dataset.</summary>
    internal sealed class Batches(ClassBalancedSampler sampler, int[][] classes)
    {
        private readonly int[] _classOrder = new int[classes.Length];
        private readonly SeededRandom _random = new(0);

        /// <summary>Writes batch <paramref name="step"/>'s image indices, class after class.</summary>
        public void Fill(ulong seed, long step, Span<int> indices)
        {
            _random.State = SeededRandom.Hash(seed ^ 0x5A5A_5A5A_5A5A_5A5AUL, (ulong)step);
            for (int c = 0; c < _classOrder.Length; c++)
            {
                _classOrder[c] = c;
            }

            int k = sampler.ImagesPerClass;
            for (int p = 0; p < sampler.Classes; p++)
            {
                // A partial Fisher–Yates shuffle picks the p-th class; rejection keeps its K images distinct.
                int pick = p + _random.Next(_classOrder.Length - p);
                (_classOrder[p], _classOrder[pick]) = (_classOrder[pick], _classOrder[p]);
                var images = classes[_classOrder[p]];
                var chosen = indices.Slice(p * k, k);
                for (int i = 0; i < k; i++)
                {
                    int image;
                    do
                    {
                        image = images[_random.Next(images.Length)];
                    }
                    while (chosen[..i].Contains(image));
                    chosen[i] = image;
                }
            }
        }
    }
}

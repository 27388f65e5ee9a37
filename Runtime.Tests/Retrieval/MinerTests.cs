using AutoDiff.Layers;
using AutoDiff.Retrieval;

namespace AutoDiff.Runtime.Tests.Retrieval;

/// <summary>The miners against hand-made distance matrices (scalar tails) and a naive reference on wider batches (vector paths).</summary>
public sealed class MinerTests
{
    // Six rows of classes 0, 0, 1, 1, 0, 2; equal distances tie on purpose (the lower index wins).
    private static readonly int[] Labels = [0, 0, 1, 1, 0, 2];

    private static readonly float[] Distances =
    [
        0.0f, 0.5f, 0.7f, 0.3f, 0.9f, 0.3f,
        0.5f, 0.0f, 0.2f, 0.2f, 0.4f, 0.8f,
        0.7f, 0.2f, 0.0f, 0.4f, 0.2f, 1.0f,
        0.3f, 0.2f, 0.4f, 0.0f, 0.6f, 0.6f,
        0.9f, 0.4f, 0.2f, 0.6f, 0.0f, 1.2f,
        0.3f, 0.8f, 1.0f, 0.6f, 1.2f, 0.0f,
    ];

    [Fact]
    public void Batch_hard_takes_each_anchors_farthest_positive_and_closest_negative()
    {
        var triplets = new Triplet[6];
        int count = Miners.BatchHard(Distances, Labels, triplets);

        // Row 5 is alone in its class: no positive, no triplet.
        Assert.Equal([new(0, 4, 3), new(1, 0, 2), new(2, 3, 1), new(3, 2, 1), new(4, 0, 2)], triplets[..count]);
    }

    [Fact]
    public void Semi_hard_takes_the_closest_negative_beyond_each_positive_else_the_farthest()
    {
        var triplets = new Triplet[30];
        int count = Miners.SemiHard(Distances, Labels, triplets);

        // (0, 4): no negative beyond 0.9, so the farthest negative, 2 (0.7). (3, 2): 4 and 5 tie at 0.6.
        Assert.Equal(
            [new(0, 1, 2), new(0, 4, 2), new(1, 0, 5), new(1, 4, 5), new(2, 3, 0), new(3, 2, 4), new(4, 0, 5), new(4, 1, 3)],
            triplets[..count]);
    }

    [Fact]
    public void Hard_pairs_take_each_anchors_farthest_similar_and_closest_dissimilar_row()
    {
        var pairs = new LabeledPair[12];
        int count = Miners.HardPairs(Distances, Labels, pairs);

        Assert.Equal(
            [
                new(0, 4, true), new(0, 3, false), new(1, 0, true), new(1, 2, false), new(2, 3, true), new(2, 1, false),
                new(3, 2, true), new(3, 1, false), new(4, 0, true), new(4, 2, false), new(5, 0, false),
            ],
            pairs[..count]);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(64)]
    public void Batch_hard_and_hard_pairs_match_a_naive_scan_on_wide_batches(int rows)
    {
        var (distances, labels) = RandomBatch(rows, seed: (ulong)rows);
        var triplets = new Triplet[rows];
        var pairs = new LabeledPair[2 * rows];
        int tripletCount = Miners.BatchHard(distances, labels, triplets);
        int pairCount = Miners.HardPairs(distances, labels, pairs);

        var expectedTriplets = new List<Triplet>();
        var expectedPairs = new List<LabeledPair>();
        for (int a = 0; a < rows; a++)
        {
            var others = Enumerable.Range(0, rows).Where(j => j != a).ToArray();
            var positives = others.Where(j => labels[j] == labels[a]).OrderByDescending(j => distances[(a * rows) + j]).ThenBy(j => j).ToArray();
            var negatives = others.Where(j => labels[j] != labels[a]).OrderBy(j => distances[(a * rows) + j]).ThenBy(j => j).ToArray();
            if (positives.Length > 0 && negatives.Length > 0)
            {
                expectedTriplets.Add(new Triplet(a, positives[0], negatives[0]));
            }

            if (positives.Length > 0)
            {
                expectedPairs.Add(new LabeledPair(a, positives[0], true));
            }

            if (negatives.Length > 0)
            {
                expectedPairs.Add(new LabeledPair(a, negatives[0], false));
            }
        }

        Assert.Equal(expectedTriplets, triplets[..tripletCount]);
        Assert.Equal(expectedPairs, pairs[..pairCount]);
    }

    [Fact]
    public void Semi_hard_negatives_lie_beyond_their_positive_and_no_closer_one_is_skipped()
    {
        const int Rows = 40;
        var (distances, labels) = RandomBatch(Rows, seed: 3);
        var triplets = new Triplet[Rows * (Rows - 1)];
        int count = Miners.SemiHard(distances, labels, triplets);

        int pairs = 0;
        for (int a = 0; a < Rows; a++)
        {
            pairs += Enumerable.Range(0, Rows).Count(j => j != a && labels[j] == labels[a]);
        }

        Assert.Equal(pairs, count);
        foreach (var (a, p, n) in triplets[..count])
        {
            float dp = distances[(a * Rows) + p], dn = distances[(a * Rows) + n];
            Assert.Equal(labels[a], labels[p]);
            Assert.NotEqual(labels[a], labels[n]);
            var beyond = Enumerable.Range(0, Rows).Where(j => labels[j] != labels[a] && distances[(a * Rows) + j] > dp).ToArray();
            float expected = beyond.Length > 0
                ? beyond.Min(j => distances[(a * Rows) + j])
                : Enumerable.Range(0, Rows).Where(j => labels[j] != labels[a]).Max(j => distances[(a * Rows) + j]);
            Assert.Equal(expected, dn);
        }
    }

    [Fact]
    public void Random_miners_draw_valid_rows_uniformly_and_repeat_for_a_seed()
    {
        // Row 0 (class 0) has positives 1 and 4, negatives 2, 3 and 5.
        var triplets = new Triplet[6];
        var pairs = new LabeledPair[12];
        var positives = new Dictionary<int, int>();
        var negatives = new Dictionary<int, int>();
        const int Draws = 6000;
        for (ulong seed = 0; seed < Draws; seed++)
        {
            int count = Miners.RandomTriplets(Labels, seed, triplets);
            Assert.Equal(5, count);
            foreach (var (a, p, n) in triplets[..count])
            {
                Assert.True(p != a && Labels[p] == Labels[a] && Labels[n] != Labels[a]);
            }

            positives[triplets[0].Positive] = positives.GetValueOrDefault(triplets[0].Positive) + 1;
            negatives[triplets[0].Negative] = negatives.GetValueOrDefault(triplets[0].Negative) + 1;
            int pairCount = Miners.RandomPairs(Labels, seed, pairs);
            Assert.Equal(11, pairCount);
            Assert.All(pairs[..pairCount], pair => Assert.Equal(Labels[pair.First] == Labels[pair.Second], pair.Similar));
        }

        // Binomial spread: 4.5 standard deviations.
        Assert.Equal([1, 4], positives.Keys.Order());
        Assert.All(positives.Values, c => Assert.InRange(c, (Draws / 2) - 175, (Draws / 2) + 175));
        Assert.Equal([2, 3, 5], negatives.Keys.Order());
        Assert.All(negatives.Values, c => Assert.InRange(c, (Draws / 3) - 165, (Draws / 3) + 165));

        var again = new Triplet[6];
        Miners.RandomTriplets(Labels, 17, triplets);
        Miners.RandomTriplets(Labels, 17, again);
        Assert.Equal(triplets, again);
    }

    [Fact]
    public void Spans_too_short_for_the_batch_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Miners.BatchHard(Distances, Labels, new Triplet[5]));
        Assert.Equal("triplets", error.ParamName);
        Assert.Contains("triplets holds 5 entries; this batch may need 6", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Miners.SemiHard(Distances, Labels, new Triplet[29]));
        Assert.Throws<ArgumentException>(() => Miners.HardPairs(Distances.AsSpan(1), Labels, new LabeledPair[12]));
    }

    private static (float[] Distances, int[] Labels) RandomBatch(int rows, ulong seed)
    {
        // Distances rounded to a few levels so that ties occur and must go to the lower index.
        var random = new SeededRandom(seed);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(4)).ToArray();
        var distances = new float[rows * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = i + 1; j < rows; j++)
            {
                distances[(i * rows) + j] = distances[(j * rows) + i] = random.Next(20) / 8f;
            }
        }

        return (distances, labels);
    }
}

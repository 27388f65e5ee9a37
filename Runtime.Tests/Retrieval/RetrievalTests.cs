using AutoDiff.Layers;
using AutoDiff.Retrieval;

namespace AutoDiff.Runtime.Tests.Retrieval;

/// <summary>Distances, top-k search and retrieval metrics against brute-force references in double.</summary>
public sealed class RetrievalTests
{
    private static float[] Gaussian(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian()).ToArray();
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            (dot, na, nb) = (dot + ((double)a[i] * b[i]), na + ((double)a[i] * a[i]), nb + ((double)b[i] * b[i]));
        }

        return dot / (Math.Max(Math.Sqrt(na), 1e-12) * Math.Max(Math.Sqrt(nb), 1e-12));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(37, 32)]
    [InlineData(64, 5)]
    public void Pairwise_distances_match_a_double_reference(int rows, int dimension)
    {
        var x = Gaussian(rows * dimension, (ulong)rows);
        var pairwise = new PairwiseDistances(64, dimension);
        var distances = new float[rows * rows];
        var squared = new float[rows * rows];
        pairwise.Compute(x, rows, distances);
        pairwise.Compute(x, rows, squared, squared: true);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < rows; j++)
            {
                double sum = 0;
                for (int d = 0; d < dimension; d++)
                {
                    double diff = (double)x[(i * dimension) + d] - x[(j * dimension) + d];
                    sum += diff * diff;
                }

                // The Gram form loses ~1e-7 of ‖x_i‖² + ‖x_j‖² to rounding, absolutely, in D².
                Assert.Equal(sum, squared[(i * rows) + j], 2e-5 * dimension);
                Assert.Equal(Math.Sqrt(sum), distances[(i * rows) + j], i == j ? 0 : 2e-3);
            }
        }
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(5, 200)]
    [InlineData(8, 1000)]
    [InlineData(50, 30)]
    public void Top_k_keeps_what_a_stable_descending_sort_puts_first(int k, int count)
    {
        // Scores on a coarse grid tie often; a NaN ranks last.
        var random = new SeededRandom((ulong)(k * count));
        var scores = Enumerable.Range(0, count).Select(_ => random.Next(40) / 4f).ToArray();
        scores[count / 2] = float.NaN;
        var heap = new TopK(k);
        foreach (var (score, index) in scores.Select((s, i) => (s, i)))
        {
            heap.Add(score, index);
        }

        var indices = new int[k];
        var kept = new float[k];
        int n = heap.Drain(indices, kept);

        var expected = scores.Select((s, i) => (Score: float.IsNaN(s) ? float.NegativeInfinity : s, Index: i))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Index).Take(k).ToArray();
        Assert.Equal(expected.Length, n);
        Assert.Equal(expected.Select(p => p.Index), indices[..n]);
        Assert.Equal(expected.Select(p => p.Score), kept[..n]);
        Assert.Equal(0, heap.Count);
    }

    [Fact]
    public void The_index_ranks_a_gallery_by_cosine_similarity_and_leaves_the_query_out()
    {
        const int Count = 300, Dimension = 7;
        var gallery = Gaussian(Count * Dimension, 11);
        gallery.AsSpan(5 * Dimension, Dimension).Clear(); // a zero vector: similarity 0
        var index = new EmbeddingIndex(gallery, Count, Dimension);
        var query = gallery.AsSpan(42 * Dimension, Dimension).ToArray();

        var similarities = new float[Count];
        index.Similarities(query, similarities);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(Cosine(query, gallery.AsSpan(i * Dimension, Dimension)), similarities[i], 1e-5);
        }

        var found = new int[8];
        int n = index.Search(query, new TopK(8), found, [], exclude: 42);
        var expected = Enumerable.Range(0, Count).Where(i => i != 42)
            .OrderByDescending(i => Cosine(query, gallery.AsSpan(i * Dimension, Dimension))).Take(8);
        Assert.Equal(8, n);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Metrics_of_a_worked_example()
    {
        // Unit vectors at angles 0, 0.1, 0.25, 0.45, 0.7 of classes A B A B A; the nearer the angle, the more
        // similar. Relevance down each ranking, and its average precision:
        //   q0: B A B A → (1/2 + 2/4)/2 = 1/2     q1: A A B A → 1/3     q2: B B A A → (1/3 + 2/4)/2 = 5/12
        //   q3: A A B A → 1/3                     q4: B A B A → 1/2
        // mAP = (6 + 4 + 5 + 4 + 6)/12/5 = 5/12; no query's nearest is of its class; all have one in the top 5.
        float[] angles = [0f, 0.1f, 0.25f, 0.45f, 0.7f];
        var embeddings = angles.SelectMany(a => new[] { MathF.Cos(a), MathF.Sin(a) }).ToArray();
        var metrics = RetrievalMetrics.Evaluate(embeddings, [0, 1, 0, 1, 0], 2);

        Assert.Equal(5, metrics.Queries);
        Assert.Equal(0, metrics.RecallAt1);
        Assert.Equal(1, metrics.RecallAt5);
        Assert.Equal(5.0 / 12, metrics.MeanAveragePrecision, 1e-12);
    }

    [Theory]
    [InlineData(60, 4, 3)]
    [InlineData(200, 8, 5)]
    public void Metrics_match_a_brute_force_ranking(int count, int dimension, int classes)
    {
        var embeddings = Gaussian(count * dimension, (ulong)count);
        var random = new SeededRandom(7);
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
        labels[^1] = classes; // alone in its class: not a query
        var metrics = RetrievalMetrics.Evaluate(embeddings, labels, dimension);

        Assert.Equal(count - 1, metrics.Queries);
        var (recall1, recall5, map) = Reference(embeddings, labels, dimension);
        Assert.Equal(recall1, metrics.RecallAt1, 1e-12);
        Assert.Equal(recall5, metrics.RecallAt5, 1e-12);
        Assert.Equal(map, metrics.MeanAveragePrecision, 1e-12);
    }

    [Fact]
    public void Perfect_clusters_score_one_and_bad_input_is_named()
    {
        var embeddings = new float[] { 1, 0, 0.9f, 0.1f, 0, 1, 0.1f, 0.9f };
        var metrics = RetrievalMetrics.Evaluate(embeddings, [0, 0, 1, 1], 2);
        Assert.Equal((1.0, 1.0, 1.0, 4), (metrics.RecallAt1, metrics.RecallAt5, metrics.MeanAveragePrecision, metrics.Queries));

        var error = Assert.Throws<ArgumentException>(() => RetrievalMetrics.Evaluate(embeddings, [0, 0, 1], 2));
        Assert.Equal("embeddings", error.ParamName);
        Assert.Throws<ArgumentException>(() => new EmbeddingIndex(embeddings, 3, 2));
    }

    [Fact]
    public void Class_similarities_match_the_mean_over_every_pair()
    {
        const int Count = 90, Dimension = 6;
        var embeddings = Gaussian(Count * Dimension, 5);
        embeddings.AsSpan(7 * Dimension, Dimension).Clear(); // a zero vector: similarity 0 to everything
        var random = new SeededRandom(8);
        var labels = Enumerable.Range(0, Count).Select(_ => random.Next(4)).ToArray();
        var (same, other) = RetrievalMetrics.ClassSimilarities(embeddings, labels, Dimension);

        double sameSum = 0, otherSum = 0;
        int samePairs = 0, otherPairs = 0;
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                double cosine = Cosine(embeddings.AsSpan(i * Dimension, Dimension), embeddings.AsSpan(j * Dimension, Dimension));
                if (labels[i] == labels[j])
                {
                    (sameSum, samePairs) = (sameSum + cosine, samePairs + 1);
                }
                else
                {
                    (otherSum, otherPairs) = (otherSum + cosine, otherPairs + 1);
                }
            }
        }

        Assert.Equal(sameSum / samePairs, same, 1e-6);
        Assert.Equal(otherSum / otherPairs, other, 1e-6);
    }

    // Each item a query against the others, ranked by double cosine similarity, ties by index.
    private static (double Recall1, double Recall5, double Map) Reference(float[] embeddings, int[] labels, int dimension)
    {
        int count = labels.Length, queries = 0;
        double recall1 = 0, recall5 = 0, map = 0;
        for (int q = 0; q < count; q++)
        {
            var ranking = Enumerable.Range(0, count).Where(i => i != q)
                .OrderByDescending(i => Cosine(embeddings.AsSpan(q * dimension, dimension), embeddings.AsSpan(i * dimension, dimension)))
                .ThenBy(i => i).Select(i => labels[i] == labels[q]).ToArray();
            int relevant = ranking.Count(r => r);
            if (relevant == 0)
            {
                continue;
            }

            queries++;
            recall1 += ranking[0] ? 1 : 0;
            recall5 += ranking.Take(5).Any(r => r) ? 1 : 0;
            double hits = 0, sum = 0;
            for (int r = 0; r < ranking.Length; r++)
            {
                if (ranking[r])
                {
                    hits++;
                    sum += hits / (r + 1);
                }
            }

            map += sum / relevant;
        }

        return (recall1 / queries, recall5 / queries, map / queries);
    }
}

using AutoDiff.Benchmarks.Peers;
using AutoDiff.Layers;
using AutoDiff.Retrieval;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoDiff.Benchmarks;

/// <summary>
/// Metric learning's per-step mining and retrieval's search, one thread each, beside their peers in the same run:
/// the distance matrix of a batch of 256 unit embeddings of dimension 32 (8 classes × 32) plus batch-hard mining
/// (each anchor's farthest positive and closest negative) against TorchSharp's <c>cdist</c> and masked
/// max/min; and the 8 most similar of a 10,000 × 32 gallery to one query, a preallocated heap against sorting
/// every similarity (and against TorchSharp's <c>mv</c> + <c>topk</c>).
/// <c>dotnet run -c Release --project Benchmarks -- --filter '*RetrievalBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RetrievalBenchmarks
{
    private const int Batch = 256, Dimension = 32, Gallery = 10_000, K = 8;
    private float[] _batch = null!;
    private int[] _labels = null!;
    private float[] _distances = null!;
    private Triplet[] _triplets = null!;
    private PairwiseDistances _pairwise = null!;
    private EmbeddingIndex _index = null!;
    private TopK _heap = null!;
    private float[] _query = null!;
    private int[] _found = null!;
    private float[] _similarities = null!;
    private float[] _keys = null!;
    private int[] _order = null!;
    private Tensor _torchBatch = null!, _torchSame = null!, _torchNotPositive = null!, _torchGallery = null!, _torchQuery = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = UnitRows(Batch, 1);
        _labels = Enumerable.Range(0, Batch).Select(i => i / 32).ToArray();
        _distances = new float[Batch * Batch];
        _triplets = new Triplet[Batch];
        _pairwise = new PairwiseDistances(Batch, Dimension);
        var gallery = UnitRows(Gallery, 2);
        _index = new EmbeddingIndex(gallery, Gallery, Dimension);
        _heap = new TopK(K);
        _query = UnitRows(1, 3);
        _found = new int[K];
        _similarities = new float[Gallery];
        _keys = new float[Gallery];
        _order = new int[Gallery];

        LibTorchSharpPatch.Apply();
        torch.set_num_threads(1);
        _torchBatch = torch.tensor(_batch, [Batch, Dimension]);
        var labels = torch.tensor(_labels.Select(l => (long)l).ToArray());
        _torchSame = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        _torchNotPositive = _torchSame.logical_not().logical_or(torch.eye(Batch, dtype: ScalarType.Bool)); // masks made once, in its favour
        _torchGallery = torch.tensor(gallery, [Gallery, Dimension]);
        _torchQuery = torch.tensor(_query, [Dimension]);
    }

    private static float[] UnitRows(int rows, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[rows * Dimension];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * Dimension, Dimension);
            for (int d = 0; d < Dimension; d++)
            {
                row[d] = (float)random.NextGaussian();
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(row, System.Numerics.Tensors.TensorPrimitives.Norm(row), row);
        }

        return values;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchBatch.Dispose();
        _torchSame.Dispose();
        _torchNotPositive.Dispose();
        _torchGallery.Dispose();
        _torchQuery.Dispose();
    }

    [Benchmark(Baseline = true, Description = "TorchSharp cdist + masked max/min (256 × 32)")]
    [BenchmarkCategory("mining")]
    public long TorchSharpMining()
    {
        using var scope = torch.NewDisposeScope();
        var distances = torch.cdist(_torchBatch, _torchBatch);
        var positives = distances.masked_fill(_torchNotPositive, float.NegativeInfinity).argmax(1);
        var negatives = distances.masked_fill(_torchSame, float.PositiveInfinity).argmin(1);
        return positives.sum().item<long>() + negatives.sum().item<long>();
    }

    [Benchmark(Description = "AutoDiff distances + batch-hard (256 × 32)")]
    [BenchmarkCategory("mining")]
    public int AutoDiffMining()
    {
        _pairwise.Compute(_batch, Batch, _distances);
        return Miners.BatchHard(_distances, _labels, _triplets);
    }

    [Benchmark(Baseline = true, Description = "TorchSharp mv + topk (10,000 × 32, k = 8)")]
    [BenchmarkCategory("search")]
    public long TorchSharpTopK()
    {
        using var scope = torch.NewDisposeScope();
        var (_, indices) = torch.mv(_torchGallery, _torchQuery).topk(K);
        return indices[0].item<long>();
    }

    [Benchmark(Description = "similarities + Array.Sort (10,000 × 32, k = 8)")]
    [BenchmarkCategory("search")]
    public int SortTopK()
    {
        _index.Similarities(_query, _similarities);
        for (int i = 0; i < Gallery; i++)
        {
            _keys[i] = -_similarities[i];
            _order[i] = i;
        }

        Array.Sort(_keys, _order);
        return _order[0];
    }

    [Benchmark(Description = "AutoDiff top-8 heap (10,000 × 32)")]
    [BenchmarkCategory("search")]
    public int AutoDiffTopK() => _index.Search(_query, _heap, _found, []);
}

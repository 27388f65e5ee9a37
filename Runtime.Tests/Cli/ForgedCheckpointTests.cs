using AutoDiff.Cli;
using AutoDiff.Data;
using AutoDiff.Optimizers;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>
/// Issue 27, item 10: checkpoints whose checksum is valid but whose settings no option would take are refused in one
/// line by evaluate and --resume, as the same values on the command line are (they gave stack traces, or "banana"
/// trained as Adam).
/// </summary>
public sealed class ForgedCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-forged-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("batch", "0", "--batch must be an integer from 1 to 4096, not '0'")]
    [InlineData("batch", "99999999999", "--batch must be an integer from 1 to 4096")]
    [InlineData("lr", "NaN", "--lr must be a number from 1e-10 up, not 'NaN'")]
    [InlineData("lr", "-1", "--lr must be a number from 1e-10 up, not '-1'")]
    [InlineData("seed", "-1", "--seed must be a non-negative integer, not '-1'")]
    [InlineData("dropout", "2", "--dropout must be a probability in [0, 1), not '2'")]
    [InlineData("schedule", "cosine:0", "impossible schedule 'cosine:0'")]
    [InlineData("shift", "99", "--shift must be an integer from 0 to 8, not '99'")]
    [InlineData("limit", "0", "--limit must be a positive integer, not '0'")]
    [InlineData("optimizer", "banana", "--optimizer must be one of")]
    [InlineData("task", "segmentation", "--task must be one of")]
    public void Impossible_metadata_is_refused_by_evaluate_and_resume(string key, string value, string message)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "autodiff-train-1",
            ["task"] = "classification",
            ["optimizer"] = "adam",
            ["lr"] = "0.001",
            ["schedule"] = "cosine:10",
            ["batch"] = "64",
            ["seed"] = "1",
            ["limit"] = "640",
            ["shift"] = "1",
            ["dropout"] = "0",
        };
        metadata[key] = value;
        string path = Path.Combine(_folder, "forged.ckpt");
        var network = MnistModels.Classifier(8, 1);
        var data = new MnistDataset(Mnist.Load(RepositoryPaths.Mnist, training: false).Take(16));
        new Trainer(network, new Adam<float>(network.OptimizerParameters, 1e-3), data, [HeadTask.CrossEntropy()], 8, 1).SaveCheckpoint(path, metadata);

        var (code, output, error) = Command.Run(Train.Evaluate, path, "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"autodiff evaluate: cannot read '{path}': '{path}' holds", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        (code, _, error) = Command.Run(Train.Run, "--resume", path, "--out", Path.Combine(_folder, "runs"), "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "runs")));
    }
}

using AutoDiff.Cli;
using AutoDiff.Training;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>Training that diverges never writes non-finite weights, and its message names only a file that is really good.</summary>
public sealed class DivergenceTests() : TemporaryFolder("autodiff-divergence-")
{
    // The miners that compare distances see NaN embeddings as no pairs at all: the loss stays 0 while the weights are
    // NaN. They used to finish with exit code 0 and a checkpoint of NaNs.
    [Theory]
    [InlineData("semi-hard")]
    [InlineData("batch-hard")]
    [InlineData("hard-pairs")]
    public void A_retrieval_run_whose_weights_diverge_fails_without_a_checkpoint(string miner)
    {
        string output = Path.Combine(Folder, "retrieve");
        var (code, _, error) = Command.Run(Retrieve.Run, "--miner", miner, "--lr", "1e9", "--epochs", "1", "--limit", "1000", "--gallery", "200", "--out", output, "--data", Data);
        Assert.Equal(1, code);
        Assert.StartsWith($"autodiff retrieve: {miner}: The parameter trunk.0.weight holds values that are not finite", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, miner, "model.ckpt")));
    }

    // A diverging run into a folder that holds another run's checkpoint leaves that file alone and does not call it its own.
    [Fact]
    public void A_diverging_run_leaves_an_earlier_runs_checkpoint_alone_and_says_whose_it_is()
    {
        string runs = Path.Combine(Folder, "runs");
        var (code, _, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--out", runs, "--data", Data, "--no-progress");
        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(runs, "classification", "model.ckpt");
        var bytes = File.ReadAllBytes(checkpoint);

        (code, _, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--lr", "1e9", "--out", runs, "--data", Data, "--no-progress");
        Assert.Equal(1, code);
        Assert.StartsWith("autodiff train: The loss became NaN", error, StringComparison.Ordinal);
        Assert.EndsWith($"No checkpoint was written; '{checkpoint}' is an earlier run's, left as it was.", error.Trim(), StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public void A_checkpoint_of_non_finite_weights_is_never_written()
    {
        var trainer = SmallTrainer(out var network);
        string path = Path.Combine(Folder, "model.ckpt");
        trainer.SaveCheckpoint(path);
        var bytes = File.ReadAllBytes(path);

        network.Parameters[3].Value[7] = float.PositiveInfinity;
        var error = Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(path));
        Assert.Contains(network.Parameters[3].Name, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Throws<TrainingDivergedException>(() => trainer.RunEpoch());
    }
}

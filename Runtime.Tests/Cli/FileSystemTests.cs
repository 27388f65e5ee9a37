using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>Issue 27, item 6: where the run cannot write is found before training, in one line, and no partial file stays.</summary>
public sealed class FileSystemTests() : TemporaryFolder("autodiff-fs-")
{
    [Fact]
    public void An_output_that_is_a_file_is_refused_before_training()
    {
        string file = Path.Combine(Folder, "a-file");
        File.WriteAllText(file, "keep me");
        var (code, output, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--out", file, "--data", RepositoryPaths.Mnist, "--no-progress");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"autodiff train: cannot write to '{Path.Combine(file, "classification")}'", error, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("model.ckpt")]
    [InlineData("model.ckpt.tmp")]
    [InlineData("curve.png")]
    public void A_directory_where_a_file_goes_is_refused_before_training(string name)
    {
        string runs = Path.Combine(Folder, "runs");
        Directory.CreateDirectory(Path.Combine(runs, "classification", name));
        var (code, output, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--out", runs, "--data", RepositoryPaths.Mnist, "--no-progress");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"autodiff train: '{Path.Combine(runs, "classification", name)}' is a directory where the run writes a file; move it away or give another --out.", error.Trim());
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_leaves_no_partial_file()
    {
        var trainer = SmallTrainer(out _);
        string path = Path.Combine(Folder, "model.ckpt");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<IOException>(() => trainer.SaveCheckpoint(path));
        Assert.StartsWith($"Cannot write the checkpoint '{path}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".tmp"));
    }
}

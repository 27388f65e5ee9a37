using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>The `autodiff train` and `evaluate` commands end to end on a small slice of MNIST, and their refusals.</summary>
public sealed class TrainCommandTests() : TemporaryFolder("autodiff-cli-")
{
    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--optimizer", "lbfgs", "--optimizer")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--task", "segmentation", "--task")]
    [InlineData("--batch", "many", "--batch")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public void Bad_options_are_named_and_nothing_is_written(string option, string value, string named)
    {
        string output = Path.Combine(Folder, "runs");
        var (code, _, error) = Command.Run(Train.Run, option, value, "--out", output, "--data", Data);
        Assert.Equal(2, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Shifting_the_digits_of_a_position_task_is_refused()
    {
        var (code, _, error) = Command.Run(Train.Run, "--task", "multitask", "--shift", "2", "--out", Folder, "--data", Data);
        Assert.Equal(2, code);
        Assert.Contains("--shift", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_dataFolder_is_named()
    {
        string missing = Path.Combine(Folder, "nowhere");
        var (code, _, error) = Command.Run(Train.Run, "--data", missing, "--out", Folder);
        Assert.Equal(2, code);
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_writes_a_checkpoint_and_a_curve_that_evaluate_reads_back_and_resume_refuses_a_damaged_one()
    {
        string output = Path.Combine(Folder, "runs");
        var (code, text, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--out", output, "--data", Data, "--threads", "2");
        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(output, "classification", "model.ckpt");
        Assert.True(File.Exists(checkpoint));
        Assert.True(new FileInfo(Path.Combine(output, "classification", "curve.png")).Length > 10_000);
        string accuracy = text.Split('\n').Single(l => l.StartsWith("Test:", StringComparison.Ordinal)).Split("accuracy ")[1].Trim();

        // evaluate rebuilds the network from the checkpoint's metadata and finds the accuracy training reported.
        (code, text, error) = Command.Run(Train.Evaluate, checkpoint, "--data", Data);
        Assert.True(code == 0, error);
        Assert.Contains($"accuracy {accuracy}", text, StringComparison.Ordinal);

        // A damaged checkpoint is refused by name, and the good one is left as it was.
        var bytes = File.ReadAllBytes(checkpoint);
        string damaged = Path.Combine(Folder, "damaged.ckpt");
        var copy = (byte[])bytes.Clone();
        copy[^40] ^= 1;
        File.WriteAllBytes(damaged, copy);
        (code, _, error) = Command.Run(Train.Run, "--resume", damaged, "--epochs", "2", "--out", output, "--data", Data);
        Assert.Equal(2, code);
        Assert.Contains("damaged.ckpt", error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(checkpoint));

        // Resuming the good one for a second epoch continues from step 10.
        (code, text, error) = Command.Run(Train.Run, "--resume", checkpoint, "--epochs", "2", "--out", output, "--data", Data);
        Assert.True(code == 0, error);
        Assert.Contains("resuming at epoch 2 step 1", text, StringComparison.Ordinal);
        Assert.Contains("epoch 2:", text, StringComparison.Ordinal);
    }
}

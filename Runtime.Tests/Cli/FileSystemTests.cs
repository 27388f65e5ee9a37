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

    [Fact]
    public void A_full_disk_leaves_the_last_checkpoint_as_it_was_and_no_partial_file()
    {
        // /dev/full fails every write with ENOSPC: the temporary file written through a link to it is a full disk.
        var trainer = SmallTrainer(out _);
        string path = Path.Combine(Folder, "model.ckpt");
        trainer.SaveCheckpoint(path);
        byte[] good = File.ReadAllBytes(path);
        File.CreateSymbolicLink(path + ".tmp", "/dev/full");

        trainer.RunEpoch(null);
        var error = Assert.Throws<IOException>(() => trainer.SaveCheckpoint(path));
        Assert.StartsWith($"Cannot write the checkpoint '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void Train_on_a_full_disk_ends_in_one_line_naming_the_good_checkpoint()
    {
        string runs = Path.Combine(Folder, "runs");
        string folder = Path.Combine(runs, "classification");
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "model.ckpt.tmp"), "/dev/full");
        var (code, _, error) = Command.Run(Train.Run, "--limit", "64", "--epochs", "1", "--out", runs, "--data", Data, "--no-progress");
        Assert.Equal(1, code);
        Assert.Equal(
            $"autodiff train: Cannot write the checkpoint '{Path.Combine(folder, "model.ckpt")}': No space left on device : '{Path.Combine(folder, "model.ckpt.tmp")}'. No checkpoint was written.",
            error.Trim());
        Assert.False(File.Exists(Path.Combine(folder, "model.ckpt.tmp")));
    }

    [Theory]
    [InlineData("a-file/plots")]
    [InlineData("/proc/self/plots")]
    public void Plot_into_a_folder_it_cannot_write_says_so_in_one_line(string where)
    {
        File.WriteAllText(Path.Combine(Folder, "a-file"), "keep me");
        string folder = where.StartsWith('/') ? where : Path.Combine(Folder, where);
        var (code, output, error) = Command.Run(Plots.Run, "losses", "--out", folder);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"autodiff plot: cannot write to '{folder}': ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(Folder, "a-file")));
    }

    [Fact]
    public void Retrieve_checks_every_miner_folder_before_training()
    {
        string runs = Path.Combine(Folder, "retrieve");
        Directory.CreateDirectory(Path.Combine(runs, "hard-pairs", "neighbours.png"));
        var (code, output, error) = Command.Run(Retrieve.Run, "--limit", "640", "--epochs", "1", "--gallery", "100", "--out", runs, "--data", Data);
        Assert.Equal(2, code);
        Assert.DoesNotContain("epoch 1", output, StringComparison.Ordinal);
        Assert.Equal($"autodiff retrieve: '{Path.Combine(runs, "hard-pairs", "neighbours.png")}' is a directory where the run writes a file; move it away or give another --out.", error.Trim());
    }

    [Fact]
    public void Retrieve_on_a_full_disk_ends_in_one_line()
    {
        string runs = Path.Combine(Folder, "retrieve");
        Directory.CreateDirectory(Path.Combine(runs, "random"));
        File.CreateSymbolicLink(Path.Combine(runs, "random", "model.ckpt.tmp"), "/dev/full");
        var (code, _, error) = Command.Run(Retrieve.Run, "--limit", "640", "--epochs", "1", "--gallery", "100", "--miner", "random", "--out", runs, "--data", Data);
        Assert.Equal(1, code);
        Assert.StartsWith($"autodiff retrieve: random: Cannot write the checkpoint '{Path.Combine(runs, "random", "model.ckpt")}': No space left on device", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(runs, "random", "model.ckpt.tmp")));
    }
}

using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>
/// Issue 27, item 10: checkpoints whose checksum is valid but whose settings no option would take are refused in one
/// line by evaluate and --resume, as the same values on the command line are (they gave stack traces, or "banana"
/// trained as Adam).
/// </summary>
public sealed class ForgedCheckpointTests() : TemporaryFolder("autodiff-forged-")
{
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
        string path = Path.Combine(Folder, "forged.ckpt");
        SmallTrainer(out _).SaveCheckpoint(path, metadata);

        var (code, output, error) = Command.Run(Train.Evaluate, path, "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"autodiff evaluate: cannot read '{path}': '{path}' holds", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        (code, _, error) = Command.Run(Train.Run, "--resume", path, "--out", Path.Combine(Folder, "runs"), "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Folder, "runs")));
    }

    // Issue 27, items 8 and 12: what is not a checkpoint file is one line, read within bounded memory.
    [Fact]
    public void A_directory_a_device_and_a_forged_length_are_named_without_reading_them_whole()
    {
        var (code, _, error) = Command.Run(Train.Evaluate, Folder);
        Assert.Equal(2, code);
        Assert.Contains($"'{Folder}' is a directory, not an AutoDiff checkpoint", error, StringComparison.Ordinal);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        (code, _, error) = Command.Run(Train.Evaluate, "/dev/zero");
        Assert.Equal(2, code);
        Assert.Contains("'/dev/zero' is not an AutoDiff checkpoint", error, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 10_000_000);

        // A real checkpoint whose declared length says 2⁴⁰ bytes.
        string path = Path.Combine(Folder, "long.ckpt");
        SmallTrainer(out _).SaveCheckpoint(path);
        var forged = File.ReadAllBytes(path);
        BitConverter.GetBytes(1L << 40).CopyTo(forged, FindLength(forged));
        File.WriteAllBytes(path, forged);
        (code, _, error) = Command.Run(Train.Evaluate, path);
        Assert.Equal(2, code);
        Assert.Contains("declares 1099511627776 bytes of content", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sampler_error_reads_as_a_sentence()
    {
        var (code, _, error) = Command.Run(Retrieve.Run, "--limit", "100", "--per-class", "64", "--miner", "random", "--epochs", "1", "--gallery", "100",
            "--out", Path.Combine(Folder, "r"), "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.StartsWith("autodiff retrieve: Batches of 8 classes × 64 images need", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    // The offset of the 8-byte content length: the one whose value fits the file's size.
    private static int FindLength(byte[] bytes)
    {
        for (int at = 0; at + 8 <= bytes.Length; at++)
        {
            if (BitConverter.ToInt64(bytes, at) == bytes.Length - at - 8 - 32)
            {
                return at;
            }
        }

        throw new InvalidOperationException("no content length found");
    }
}

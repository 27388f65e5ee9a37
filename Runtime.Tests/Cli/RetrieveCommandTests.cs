using System.Globalization;
using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>`autodiff retrieve` end to end on a small slice of MNIST, and its refusals.</summary>
public sealed class RetrieveCommandTests() : TemporaryFolder("autodiff-retrieve-")
{
    private static (int Code, string Output, string Error) Run(params string[] args) => Command.Run(Retrieve.Run, args);

    [Theory]
    [InlineData("--miner", "hardest", "--miner")]
    [InlineData("--classes", "11", "--classes")]
    [InlineData("--per-class", "1", "--per-class")]
    [InlineData("--margin", "-0.2", "--margin")]
    [InlineData("--gallery", "1", "--gallery")]
    [InlineData("--epochs", "x", "--epochs")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public void Bad_options_are_named_and_nothing_is_written(string option, string value, string named)
    {
        string output = Path.Combine(Folder, "runs");
        var (code, _, error) = Run(option, value, "--out", output, "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Too_few_images_for_the_batches_are_refused_before_anything_is_written()
    {
        string output = Path.Combine(Folder, "runs");
        var (code, _, error) = Run("--limit", "40", "--out", output, "--data", RepositoryPaths.Mnist);
        Assert.Equal(2, code);
        Assert.Contains("8 classes with at least 8 images each", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Every_miner_trains_reports_its_metrics_and_draws_its_neighbours()
    {
        string output = Path.Combine(Folder, "runs");
        var (code, text, error) = Run("--limit", "1280", "--epochs", "1", "--gallery", "300", "--out", output, "--data", RepositoryPaths.Mnist);
        Assert.True(code == 0, error);

        var rows = text.Split('\n').Where(l => l.StartsWith("| triplet", StringComparison.Ordinal) || l.StartsWith("| contrastive", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Retrieve.Miners, rows.Select(r => r.Split('|')[2].Trim()));
        foreach (var row in rows)
        {
            // recall@1 ≤ recall@5, every figure a percentage; 20 steps already rank far better than chance (~10%).
            var cells = row.Split('|').Select(c => c.Trim()).ToArray();
            double recall1 = double.Parse(cells[4].TrimEnd('%'), CultureInfo.InvariantCulture);
            double recall5 = double.Parse(cells[5].TrimEnd('%'), CultureInfo.InvariantCulture);
            double map = double.Parse(cells[6].TrimEnd('%'), CultureInfo.InvariantCulture);
            Assert.InRange(recall1, 40, 100);
            Assert.InRange(recall5, recall1, 100);
            Assert.InRange(map, 0, 100);
        }

        // `evaluate` rebuilds the network from a checkpoint's metadata and finds the metrics the run printed.
        var (evaluated, report, problem) = Command.Run(Train.Evaluate, Path.Combine(output, "batch-hard", "model.ckpt"), "--data", RepositoryPaths.Mnist);
        Assert.True(evaluated == 0, problem);
        var printed = rows.Single(r => r.Contains("| batch-hard |", StringComparison.Ordinal)).Split('|')[4].Trim().TrimEnd('%');
        Assert.Contains($"recall@1 {double.Parse(printed, CultureInfo.InvariantCulture) / 100:P2}", report, StringComparison.Ordinal);

        foreach (string miner in Retrieve.Miners)
        {
            var png = File.ReadAllBytes(Path.Combine(output, miner, "neighbours.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal("autodiff-retrieve-1", AutoDiff.Training.Trainer.ReadMetadata(Path.Combine(output, miner, "model.ckpt"))["format"]);
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using AutoDiff.Runtime.Tests;

namespace AutoDiff.Distributed.Tests;

/// <summary>
/// `autodiff train` under `mpirun -np N` (issue 25): the ranks split every batch, hold the same weights, reach the
/// single process's accuracy; a killed rank ends the run within seconds with the last checkpoint whole; a checkpoint
/// resumes on another number of ranks.
/// </summary>
public sealed partial class DataParallelTrainingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-mpi-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Data => RepositoryPaths.Mnist;

    [Fact]
    public void Two_ranks_hold_the_same_weights_and_reach_the_accuracy_of_one_process()
    {
        string[] common = ["train", "--limit", "6400", "--epochs", "1", "--threads", "1", "--data", Data, "--no-progress"];
        using var two = Mpirun.Start(2, [.. common, "--out", Path.Combine(_folder, "two")]);
        var (code, output, error) = two.Wait();
        Assert.True(code == 0, error);
        Assert.Contains("on 2 ranks × 1 thread(s), global batch 64, seed 1.", output, StringComparison.Ordinal);
        Assert.Contains("The 2 ranks hold the same weights, bit for bit.", output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, "^epoch 1:", RegexOptions.Multiline)); // rank 1 is quiet
        Assert.True(File.Exists(Path.Combine(_folder, "two", "classification", "model.ckpt")));

        using var one = Mpirun.Alone([.. common, "--out", Path.Combine(_folder, "one")]);
        var (codeAlone, outputAlone, errorAlone) = one.Wait();
        Assert.True(codeAlone == 0, errorAlone);
        Assert.InRange(Accuracy(output) - Accuracy(outputAlone), -0.2, 0.2);
    }

    [Fact]
    public void A_killed_rank_ends_the_run_within_seconds_and_the_last_checkpoint_evaluates()
    {
        string runs = Path.Combine(_folder, "killed");
        string checkpoint = Path.Combine(runs, "classification", "model.ckpt");
        using var run = Mpirun.Start(2, "train", "--limit", "3200", "--epochs", "50", "--threads", "1", "--data", Data, "--out", runs, "--no-progress");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && waited.Elapsed < TimeSpan.FromMinutes(3) && !run.Process.HasExited)
        {
            Thread.Sleep(100);
        }

        Assert.True(File.Exists(checkpoint), "no checkpoint was written");
        System.Diagnostics.Process.GetProcessById(run.RankProcess(1)).Kill();
        var killed = System.Diagnostics.Stopwatch.StartNew();
        var (code, _, error) = run.Wait(seconds: 60);
        Assert.InRange(killed.Elapsed.TotalSeconds, 0, 10);
        Assert.NotEqual(0, code);
        Assert.Matches("rank 1 .*exited on signal 9", error.ReplaceLineEndings(" "));
        Assert.Contains("autodiff train: ended by mpirun (a rank failed; its message follows).", error, StringComparison.Ordinal);

        using var evaluate = Mpirun.Alone("evaluate", checkpoint, "--data", Data);
        var (evaluated, output, evaluateError) = evaluate.Wait();
        Assert.True(evaluated == 0, evaluateError);
        Assert.Contains("accuracy", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_checkpoint_of_two_ranks_resumes_on_another_number(int ranks)
    {
        string runs = Path.Combine(_folder, "resume");
        using (var first = Mpirun.Start(2, "train", "--limit", "1920", "--epochs", "1", "--threads", "1", "--data", Data, "--out", runs, "--no-progress"))
        {
            var (code, _, error) = first.Wait();
            Assert.True(code == 0, error);
        }

        string checkpoint = Path.Combine(runs, "classification", "model.ckpt");
        using var resumed = Mpirun.Start(ranks, "train", "--resume", checkpoint, "--epochs", "2", "--threads", "1", "--data", Data, "--out", Path.Combine(_folder, "resumed"), "--no-progress");
        var (resumedCode, output, resumedError) = resumed.Wait();
        Assert.True(resumedCode == 0, resumedError);
        Assert.Contains("resuming at epoch 2 step 1", output, StringComparison.Ordinal);
        Assert.Contains($"on {ranks} rank", output, StringComparison.Ordinal);
        Assert.Matches("^epoch 2: training loss", output.Split('\n').Single(l => l.StartsWith("epoch 2", StringComparison.Ordinal)));
        Assert.True(Accuracy(output) > 80, output);
    }

    [Fact]
    public void A_divergence_on_every_rank_is_reported_once_by_rank_0_and_nothing_is_written()
    {
        string runs = Path.Combine(_folder, "diverged");
        using var run = Mpirun.Start(2, "train", "--limit", "640", "--epochs", "2", "--lr", "1e9", "--threads", "1", "--data", Data, "--out", runs);
        var (code, _, error) = run.Wait();
        Assert.NotEqual(0, code);
        Assert.Single(Regex.Matches(error, "autodiff train: The loss became NaN at step"));
        Assert.DoesNotContain("[rank 1]", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(runs, "classification", "model.ckpt")));
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("retrieval")]
    public void A_data_parallel_step_allocates_nothing_on_any_rank(string task)
    {
        using var run = Mpirun.Start(2, "measure-allocation", task, "100");
        var (code, output, error) = run.Wait();
        Assert.True(code == 0, error);
        Assert.Equal($"{task}: 100 steps allocated 0 bytes (all threads of 2 rank(s))", output.Trim().Split('\n')[^1].Trim());
    }

    [Fact]
    public void Retrieve_trains_on_two_ranks_and_rank_0_reports_and_writes()
    {
        string runs = Path.Combine(_folder, "retrieve");
        using var run = Mpirun.Start(2, "retrieve", "--miner", "batch-hard", "--limit", "3200", "--epochs", "1", "--gallery", "1000", "--threads", "1", "--data", Data, "--out", runs);
        var (code, output, error) = run.Wait();
        Assert.True(code == 0, error);
        Assert.Contains("on 2 ranks × 1 thread(s)", output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, @"^\| triplet \| batch-hard", RegexOptions.Multiline));
        Assert.True(File.Exists(Path.Combine(runs, "batch-hard", "model.ckpt")));
        Assert.True(File.Exists(Path.Combine(runs, "batch-hard", "neighbours.png")));
    }

    // The test accuracy of the run's last epoch, in percent.
    private static double Accuracy(string output) =>
        double.Parse(AccuracyPattern().Matches(output)[^1].Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"accuracy (\d+\.\d+) ?%")]
    private static partial Regex AccuracyPattern();
}

using System.Diagnostics;
using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>Options that were read wrongly or dropped without a word: now refused in one line, or honoured visibly.</summary>
public sealed class OptionTests() : TemporaryFolder("autodiff-options-")
{
    [Theory]
    [InlineData("--lr", "1,5", "--lr must be a number from 1e-10 up, not '1,5'")]
    [InlineData("--lr", "1e-320", "--lr must be a number from 1e-10 up, not '1e-320'")]
    [InlineData("--dropout", "0,5", "--dropout must be a probability in [0, 1), not '0,5'")]
    [InlineData("--resume", "", "--resume needs a checkpoint file")]
    [InlineData("--out", "", "--out needs a folder")]
    public void Values_that_were_misread_are_refused(string option, string value, string message)
    {
        var (code, output, error) = Command.Run(Train.Run, option, value, "--data", Data, "--out", Path.Combine(Folder, "runs"));
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"autodiff train: {message}.", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(Folder, "runs")));
    }

    [Fact]
    public void An_option_given_twice_is_refused()
    {
        var (code, _, error) = Command.Run(Train.Run, "--epochs", "1", "--epochs", "2", "--data", Data, "--out", Folder);
        Assert.Equal(2, code);
        Assert.Equal("autodiff train: --epochs is given twice.", error.Trim());
    }

    [Fact]
    public void Evaluate_refuses_an_empty_path_and_training_options()
    {
        var (code, _, error) = Command.Run(Train.Evaluate, "");
        Assert.Equal(2, code);
        Assert.StartsWith("autodiff evaluate: the checkpoint's path is empty.", error, StringComparison.Ordinal);

        (code, _, error) = Command.Run(Train.Evaluate, Path.Combine(Folder, "model.ckpt"), "--lr", "0.1");
        Assert.Equal(2, code);
        Assert.StartsWith("autodiff evaluate: --lr is not an option of evaluate", error, StringComparison.Ordinal);
    }

    // Resuming for more epochs than the cosine was laid out for used to train at rate 0 (the second epoch ended exactly
    // where the first had); the schedule is now stretched, visibly, and settings the checkpoint fixes are refused.
    [Fact]
    public void Resuming_for_more_epochs_stretches_the_schedule_and_refuses_what_the_checkpoint_fixes()
    {
        string runs = Path.Combine(Folder, "runs");
        var (code, text, error) = Command.Run(Train.Run, "--limit", "640", "--epochs", "1", "--out", runs, "--data", Data, "--no-progress");
        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(runs, "classification", "model.ckpt");
        string first = TestLoss(text, 1);
        var bytes = File.ReadAllBytes(checkpoint);

        (code, _, error) = Command.Run(Train.Run, "--resume", checkpoint, "--epochs", "2", "--lr", "0.01", "--out", runs, "--data", Data);
        Assert.Equal(2, code);
        Assert.StartsWith("autodiff train: --lr cannot be given with --resume", error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(checkpoint));

        (code, text, error) = Command.Run(Train.Run, "--resume", checkpoint, "--epochs", "2", "--out", runs, "--data", Data, "--no-progress");
        Assert.True(code == 0, error);
        Assert.Contains("The cosine schedule ran over 10 steps; for 2 epochs it now runs over 20", text, StringComparison.Ordinal);
        Assert.NotEqual(first, TestLoss(text, 2));
    }

    // The program itself: `--help` after a command prints the usage, extra arguments to demo and help are refused.
    [Theory]
    [InlineData(0, "usage: autodiff", "train", "--help")]
    [InlineData(0, "usage: autodiff", "fit", "-h")]
    [InlineData(2, "autodiff demo: unexpected argument '--foo'", "demo", "--foo")]
    [InlineData(2, "autodiff help: unexpected argument 'extra'", "help", "extra")]
    public void The_program_answers_help_and_refuses_extra_arguments(int expected, string text, params string[] args)
    {
        string program = Path.Combine(AppContext.BaseDirectory, "AutoDiff.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        Assert.Equal(expected, process.ExitCode);
        Assert.Contains(text, output, StringComparison.Ordinal);
    }

    private static string TestLoss(string text, int epoch) =>
        text.Split('\n').Single(l => l.StartsWith($"epoch {epoch}:", StringComparison.Ordinal)).Split("test loss ")[1].Split(',')[0];
}

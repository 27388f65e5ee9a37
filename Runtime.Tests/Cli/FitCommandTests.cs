using AutoDiff.Cli.Fitting;

namespace AutoDiff.Runtime.Tests.Cli;

public sealed class FitCommandTests
{
    private static string Nist(string name) => Path.Combine(RepositoryPaths.Root, "data", "nist", name + ".dat");

    [Fact]
    public void Fits_a_problem_prints_the_comparison_with_NIST_and_draws_it()
    {
        string plot = Path.Combine(Path.GetTempPath(), $"fit-{Guid.NewGuid():N}.png");
        try
        {
            var (code, output, error) = Command.Run(Fit.Run, Nist("Misra1a"), "--start", "2", "--plot", plot);
            Assert.Equal(0, code);
            Assert.Empty(error);
            Assert.StartsWith("Misra1a, start 2: y = b1*(1-exp[-b2*x])  +  e", output, StringComparison.Ordinal);
            Assert.Matches(@"b1 +2\.3894212918E\+02 +2\.7070075241E\+00 +2\.3894212918E\+02 +1[01]\.\d", output);
            Assert.Contains("residual sum of squares 1.2455138894E-01 (certified 1.2455138894E-01", output, StringComparison.Ordinal);
            Assert.Contains("(solved:", output, StringComparison.Ordinal);
            Assert.True(new FileInfo(plot).Length > 10_000);
        }
        finally
        {
            File.Delete(plot);
        }
    }

    [Fact]
    public void All_prints_a_row_per_problem_and_start()
    {
        var (code, output, error) = Command.Run(Fit.Run, "--all", "--data", Path.Combine(RepositoryPaths.Root, "data", "nist"));
        Assert.Equal(0, code);
        Assert.Empty(error);
        var rows = output.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| problem", StringComparison.Ordinal)).ToList();
        Assert.Equal(36, rows.Count);
        Assert.StartsWith("| Chwirut2 | lower | 1 |", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("| Bennett5 | higher | 1 |", rows.SkipWhile(r => !r.Contains("| higher |", StringComparison.Ordinal)).First(), StringComparison.Ordinal);
        Assert.Matches(@"36 of 36 runs solved \(LRE above 4\); average LRE (9\.[4-9]|1[01]\.)", output);
    }

    [Theory]
    [InlineData(new string[0], "say which dataset file")]
    [InlineData(new[] { "--start", "1" }, "say which dataset file")]
    [InlineData(new[] { "/nonexistent/Misra1a.dat" }, "/nonexistent/Misra1a.dat: no such file")]
    [InlineData(new[] { "MISRA", "--start", "3" }, "--start must be 1 or 2 (NIST's two starting points), not '3'")]
    [InlineData(new[] { "MISRA", "--frobnicate", "1" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "MISRA", "--start" }, "--start needs a value")]
    [InlineData(new[] { "--all", "--data", "/nonexistent" }, "/nonexistent: no such folder")]
    public void Bad_input_is_one_line_and_exit_code_2(string[] args, string message)
    {
        args = args.Select(a => a == "MISRA" ? Nist("Misra1a") : a).ToArray();
        var (code, output, error) = Command.Run(Fit.Run, args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("autodiff fit: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_dataset_without_a_model_here_is_refused_by_name()
    {
        string file = Path.Combine(Path.GetTempPath(), $"Other-{Guid.NewGuid():N}.dat");
        File.WriteAllText(file, File.ReadAllText(Nist("Misra1a")).Replace("Dataset Name:  Misra1a", "Dataset Name:  Unheard", StringComparison.Ordinal));
        try
        {
            var (code, _, error) = Command.Run(Fit.Run, file);
            Assert.Equal(2, code);
            Assert.Contains("no model for the dataset 'Unheard'", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unwritable_plot_is_reported_after_the_fit()
    {
        var (code, output, error) = Command.Run(Fit.Run, Nist("DanWood"), "--plot", "/proc/autodiff/plot.png");
        Assert.Equal(1, code);
        Assert.Contains("LRE of the worst parameter", output, StringComparison.Ordinal);
        Assert.StartsWith("autodiff fit: cannot write the plot /proc/autodiff/plot.png", error, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Globalization;
using AutoDiff.Fitting;
using ScottPlot;

namespace AutoDiff.Cli.Fitting;

/// <summary>
/// <c>autodiff fit FILE.dat [--start 1|2] [--plot PNG]</c>: fits a NIST StRD nonlinear regression problem with its
/// model from <see cref="NistModels"/> and prints the parameters, their standard errors, the residual sum of squares
/// and the log relative error (LRE) of each against NIST's certified values, then draws the data and the fitted curve.
/// <c>autodiff fit --all [--data DIR]</c> fits every problem of a folder from both starts and prints the table of
/// <c>docs/fitting.md</c>.
/// </summary>
internal static class Fit
{
    public const string Usage = "fit FILE.dat [--start 1|2] [--plot PNG] [--jacobian generated|differences] | fit --all [--data DIR] [--jacobian …]";

    // A fit of the small problems takes microseconds: the table's time is the median of this many, after one to warm up.
    private const int TimedFits = 5;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && args[0] == "--all")
        {
            return All(args[1..], output, error);
        }

        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            error.WriteLine($"autodiff fit: say which dataset file to fit. Usage: autodiff {Usage}");
            return 2;
        }

        string path = args[0];
        int start = 1;
        string? plot = null;
        bool differences = false;
        bool read = CommandLine.ReadPairs(args[1..], "fit", error, (name, value) => name switch
        {
            "--start" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out start) && start is 1 or 2
                ? null : $"--start must be 1 or 2 (NIST's two starting points), not '{value}'",
            "--plot" => (plot = value).Length > 0 ? null : "--plot needs a file name",
            "--jacobian" => Jacobian(value, out differences),
            _ => $"unknown option '{name}'. Run 'autodiff --help'",
        });
        if (!read || Load(path, error) is not { } data)
        {
            return 2;
        }

        if (!NistProblems.Has(data.Name))
        {
            error.WriteLine($"autodiff fit: {path}: no model for the dataset '{data.Name}' here (the models are those of data/nist).");
            return 2;
        }

        if (start > data.Starts.Length)
        {
            error.WriteLine($"autodiff fit: {path}: {data.Name} has {data.Starts.Length} starting point(s), not {start}.");
            return 2;
        }

        long began = Stopwatch.GetTimestamp();
        var result = NistProblems.Fit(data, start, forwardDifferences: differences);
        double milliseconds = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        Report(data, start, result, milliseconds, differences, output);

        plot ??= Path.Combine("runs", "fit", $"{data.Name}-start{start}.png");
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(plot));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            Draw(data, result, plot);
            output.WriteLine($"wrote {plot}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"autodiff fit: cannot write the plot {plot}: {e.Message}");
            return 1;
        }

        return result.Converged ? 0 : 1;
    }

    private static string? Jacobian(string value, out bool differences)
    {
        differences = value == "differences";
        return value is "generated" or "differences" ? null : $"--jacobian must be generated or differences, not '{value}'";
    }

    private static void Report(NistDataset data, int start, FitResult result, double milliseconds, bool differences, TextWriter output)
    {
        string F(double v) => v.ToString("0.0000000000E+00", CultureInfo.InvariantCulture);
        output.WriteLine($"{data.Name}, start {start}: {data.Model}{(differences ? " (forward-difference Jacobian)" : "")}");
        output.WriteLine($"{(result.Converged ? "converged" : "NOT converged")} ({result.Termination}) after {result.Iterations} steps, {result.Evaluations} evaluations, {milliseconds.ToString("F2", CultureInfo.InvariantCulture)} ms");
        output.WriteLine($"{"",-4} {"estimate",18} {"standard error",18} {"certified",18} {"LRE",5}");
        for (int j = 0; j < data.ParameterCount; j++)
        {
            double lre = NistDataset.LogRelativeError(result.Parameters[j], data.CertifiedParameters[j]);
            output.WriteLine($"b{j + 1,-3} {F(result.Parameters[j]),18} {F(result.StandardErrors[j]),18} {F(data.CertifiedParameters[j]),18} {lre.ToString("F1", CultureInfo.InvariantCulture),5}");
        }

        double rssLre = NistDataset.LogRelativeError(result.ResidualSumOfSquares, data.CertifiedResidualSumOfSquares);
        output.WriteLine($"residual sum of squares {F(result.ResidualSumOfSquares)} (certified {F(data.CertifiedResidualSumOfSquares)}, LRE {rssLre.ToString("F1", CultureInfo.InvariantCulture)})");
        double score = data.Score(result.Parameters);
        output.WriteLine($"LRE of the worst parameter: {score.ToString("F1", CultureInfo.InvariantCulture)} ({(score > 4 ? "solved" : "not solved")}: NIST counts a run solved above 4; 11 is every certified digit)");
    }

    private static int All(string[] args, TextWriter output, TextWriter error)
    {
        string? folder = null;
        bool differences = false;
        bool read = CommandLine.ReadPairs(args, "fit", error, (name, value) => name switch
        {
            "--data" => (folder = value).Length > 0 ? null : "--data needs a folder",
            "--jacobian" => Jacobian(value, out differences),
            _ => $"unknown option '{name}'. Run 'autodiff --help'",
        });
        if (!read)
        {
            return 2;
        }

        folder ??= Train.FindData("nist");
        if (folder is null || !Directory.Exists(folder))
        {
            error.WriteLine(folder is null
                ? "autodiff fit: no data/nist folder found above the current folder or the program; give one with --data DIR."
                : $"autodiff fit: {folder}: no such folder.");
            return 2;
        }

        var datasets = new List<NistDataset>();
        foreach (var file in Directory.GetFiles(folder, "*.dat").Order(StringComparer.Ordinal))
        {
            if (Load(file, error) is not { } data)
            {
                return 2;
            }

            if (NistProblems.Has(data.Name))
            {
                datasets.Add(data);
            }
            else
            {
                error.WriteLine($"autodiff fit: skipping {file}: no model for '{data.Name}' here.");
            }
        }

        output.WriteLine("| problem | difficulty | start | LRE | steps | evaluations | time (ms) | LRE of S |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        double total = 0;
        int runs = 0, solved = 0;
        foreach (var data in datasets.OrderBy(d => Rank(d.Difficulty)).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            for (int start = 1; start <= data.Starts.Length; start++)
            {
                var result = NistProblems.Fit(data, start, forwardDifferences: differences);
                var times = new double[TimedFits];
                for (int i = 0; i < times.Length; i++)
                {
                    long began = Stopwatch.GetTimestamp();
                    NistProblems.Fit(data, start, forwardDifferences: differences);
                    times[i] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                }

                Array.Sort(times);
                double score = data.Score(result.Parameters);
                double rssLre = NistDataset.LogRelativeError(result.ResidualSumOfSquares, data.CertifiedResidualSumOfSquares);
                total += score;
                runs++;
                solved += score > 4 ? 1 : 0;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {data.Name} | {data.Difficulty.ToLowerInvariant()} | {start} | {score:F1} | {result.Iterations} | {result.Evaluations} | {times[TimedFits / 2]:F3} | {rssLre:F1} |"));
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{solved} of {runs} runs solved (LRE above 4); average LRE {(runs > 0 ? total / runs : 0):F2}"));
        return solved == runs ? 0 : 1;
    }

    private static int Rank(string difficulty) => difficulty.ToLowerInvariant() switch
    {
        "lower" => 0,
        "average" => 1,
        _ => 2,
    };

    private static NistDataset? Load(string path, TextWriter error)
    {
        try
        {
            return NistDataset.Load(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff fit: {e.Message}");
            return null;
        }
    }

    // The data and the fitted model, and the residuals below: against x for one predictor, against the observation's
    // index for several (Nelson).
    private static void Draw(NistDataset data, FitResult result, string path)
    {
        var y = NistProblems.Response(data);
        bool curve = data.Predictors.Length == 1;
        var x = curve ? data.X : Enumerable.Range(1, y.Length).Select(i => (double)i).ToArray();
        var fitted = Enumerable.Range(0, y.Length).Select(i => NistProblems.Predict(data, result.Parameters, i)).ToArray();
        var residuals = y.Zip(fitted, (observed, model) => observed - model).ToArray();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        var top = multiplot.GetPlot(0);
        var points = top.Add.ScatterPoints(x, y);
        points.LegendText = "data";
        if (curve)
        {
            double low = x.Min(), high = x.Max();
            var xs = Enumerable.Range(0, 400).Select(i => low + ((high - low) * i / 399)).ToArray();
            var line = top.Add.ScatterLine(xs, xs.Select(v => NistProblems.Predict(data.Name, result.Parameters, v)).ToArray());
            line.LegendText = "fitted model";
            line.LineWidth = 2;
        }
        else
        {
            var model = top.Add.ScatterPoints(x, fitted);
            model.LegendText = "fitted model";
            model.MarkerShape = MarkerShape.OpenCircle;
        }

        top.Title(data.Model.Length <= 60 ? $"{data.Name}: {data.Model}" : data.Name);
        top.XLabel(curve ? "x" : "observation");
        top.YLabel(data.Name == "Nelson" ? "log y" : "y");
        top.ShowLegend(Alignment.UpperRight);

        var bottom = multiplot.GetPlot(1);
        bottom.Add.ScatterPoints(x, residuals);
        bottom.Add.HorizontalLine(0);
        bottom.Title(string.Create(CultureInfo.InvariantCulture, $"residuals (S = {result.ResidualSumOfSquares:G10}, LRE {data.Score(result.Parameters):F1})"));
        bottom.XLabel(curve ? "x" : "observation");
        multiplot.SavePng(path, 1000, 900);
    }
}

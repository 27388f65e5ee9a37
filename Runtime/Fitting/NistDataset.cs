using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoDiff.Fitting;

/// <summary>
/// One problem of NIST's Statistical Reference Datasets for nonlinear regression (StRD), read from NIST's ASCII format:
/// the model's formula, the starting points, the certified parameters with their standard deviations, the certified
/// residual sum of squares, and the data. Solvers are scored by <see cref="LogRelativeError"/>.
/// </summary>
public sealed partial class NistDataset
{
    // Larger than any StRD file (Hahn1 and Thurber are about 10 KB), and small enough that a wrong path is refused quickly.
    private const long MaxFileBytes = 4 << 20;

    private NistDataset(string name, string model, string difficulty, double[][] starts, double[] certified, double[] certifiedDeviations,
        double residualSumOfSquares, double residualStandardDeviation, int degreesOfFreedom, double[] y, double[][] predictors)
    {
        Name = name;
        Model = model;
        Difficulty = difficulty;
        Starts = starts;
        CertifiedParameters = certified;
        CertifiedStandardDeviations = certifiedDeviations;
        CertifiedResidualSumOfSquares = residualSumOfSquares;
        CertifiedResidualStandardDeviation = residualStandardDeviation;
        DegreesOfFreedom = degreesOfFreedom;
        Y = y;
        Predictors = predictors;
    }

    /// <summary>The dataset's name, as its file gives it (<c>Misra1a</c>).</summary>
    public string Name { get; }

    /// <summary>The model as NIST writes it (<c>y = b1*(1-exp[-b2*x])  +  e</c>).</summary>
    public string Model { get; }

    /// <summary>NIST's level of difficulty: <c>Lower</c>, <c>Average</c> or <c>Higher</c>.</summary>
    public string Difficulty { get; }

    /// <summary>The starting points, Start 1 (far from the solution) first; each has one value per parameter.</summary>
    public double[][] Starts { get; }

    /// <summary>The certified parameter values (11 significant digits at most).</summary>
    public double[] CertifiedParameters { get; }

    /// <summary>The certified standard deviations of the parameters.</summary>
    public double[] CertifiedStandardDeviations { get; }

    /// <summary>The certified residual sum of squares at the certified parameters.</summary>
    public double CertifiedResidualSumOfSquares { get; }

    /// <summary>The certified residual standard deviation.</summary>
    public double CertifiedResidualStandardDeviation { get; }

    /// <summary>The residual degrees of freedom as the file states them (observations − parameters, except in Rat43.dat, which says 9 for 11).</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>The response of each observation.</summary>
    public double[] Y { get; }

    /// <summary>The predictors: <c>Predictors[k][i]</c> is predictor k of observation i.</summary>
    public double[][] Predictors { get; }

    /// <summary>The first (for most problems the only) predictor.</summary>
    public double[] X => Predictors[0];

    /// <summary>The number of parameters.</summary>
    public int ParameterCount => CertifiedParameters.Length;

    /// <summary>
    /// NIST's log relative error of an estimate, LRE = −log₁₀(|estimate − certified| / |certified|) (−log₁₀|estimate| where
    /// the certified value is 0), capped at 11 (the certified values carry no more digits); 0 for a non-finite estimate.
    /// </summary>
    public static double LogRelativeError(double estimate, double certified)
    {
        if (!double.IsFinite(estimate))
        {
            return 0;
        }

        double error = certified == 0 ? Math.Abs(estimate) : Math.Abs(estimate - certified) / Math.Abs(certified);
        return error == 0 ? 11 : Math.Clamp(-Math.Log10(error), 0, 11);
    }

    /// <summary>A run's score: the smallest <see cref="LogRelativeError"/> over the parameters. Above 4 counts as solved.</summary>
    /// <exception cref="ArgumentException">The estimate has the wrong number of parameters.</exception>
    public double Score(ReadOnlySpan<double> estimate)
    {
        if (estimate.Length != ParameterCount)
        {
            throw new ArgumentException($"{Name} has {ParameterCount} parameters but the estimate has {estimate.Length}.", nameof(estimate));
        }

        double worst = 11;
        for (int j = 0; j < estimate.Length; j++)
        {
            worst = Math.Min(worst, LogRelativeError(estimate[j], CertifiedParameters[j]));
        }

        return worst;
    }

    /// <summary>Reads a dataset file in NIST's format.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an StRD nonlinear regression file; the message names the file and line.</exception>
    public static NistDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"{path}: is a directory, not a NIST dataset file.");
        }

        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{path}: {info.Length:N0} bytes is too large for a NIST StRD file (at most {MaxFileBytes:N0}).");
        }

        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Reads a dataset in NIST's format from text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The file's name, for error messages.</param>
    /// <exception cref="InvalidDataException">The text is not an StRD nonlinear regression file; the message names the source and line.</exception>
    public static NistDataset Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
            if (lines.Count > 100_000)
            {
                throw new InvalidDataException($"{source}: more than 100,000 lines: not a NIST StRD file.");
            }
        }

        return new Parser(lines, source).Read();
    }

    [GeneratedRegex(@"^\s*b(\d+)\s*=\s*(.*)$")]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"^\s*(\d+)\s+(Predictor|Observation|Response)")]
    private static partial Regex CountLine();

    /// <summary>Reads the sections by their labels (not by line numbers, which differ between files).</summary>
    private sealed class Parser(List<string> lines, string source)
    {
        public NistDataset Read()
        {
            string name = Value("Dataset Name:").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            int predictors = Count("Predictor");
            int observations = Count("Observation");

            int modelLine = Find(l => l.TrimStart().StartsWith("Model:", StringComparison.Ordinal), "'Model:'");
            int startsHeader = Find(l => l.Contains("Start 1", StringComparison.Ordinal), "the starting values' header ('Start 1')", modelLine);
            int modelEnd = Find(l => l.Contains("Starting", StringComparison.OrdinalIgnoreCase) || l.Contains("Start 1", StringComparison.Ordinal), "the starting values' header", modelLine);
            string model = string.Join(' ', lines.Skip(modelLine + 1).Take(modelEnd - modelLine - 1)
                .Select(l => l.Trim()).SkipWhile(l => !l.Contains('=')).Where(l => l.Length > 0));
            if (model.Length == 0)
            {
                throw Error(modelLine, "the model's formula (a line with '=') is missing before the starting values");
            }

            var (starts, certified, deviations, afterParameters) = Parameters(startsHeader);
            double rss = Number(Value("Residual Sum of Squares:", out int rssLine), rssLine, "the residual sum of squares");
            double rsd = Number(Value("Residual Standard Deviation:", out int rsdLine), rsdLine, "the residual standard deviation");
            // As the file states it: NIST's Rat43.dat says 9 where its 15 observations and 4 parameters give 11.
            int freedom = Integer(Value("Degrees of Freedom:", out int dofLine), dofLine, "the degrees of freedom");

            string difficulty = lines.Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith("Level of Difficulty", StringComparison.OrdinalIgnoreCase))?
                .Split(' ')[0] ?? "";

            var (y, x) = Data(afterParameters, predictors, observations);
            return new NistDataset(name, model, difficulty, starts, certified, deviations, rss, rsd, freedom, y, x);
        }

        private (double[][] Starts, double[] Certified, double[] Deviations, int Next) Parameters(int header)
        {
            var rows = new List<string[]>();
            // The column titles and a blank line may stand between the header and b1.
            int line = header + 1;
            while (line < Math.Min(lines.Count, header + 6) && !ParameterLine().IsMatch(lines[line]))
            {
                line++;
            }

            for (; line < lines.Count && ParameterLine().Match(lines[line]) is { Success: true } match; line++)
            {
                if (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) != rows.Count + 1)
                {
                    throw Error(line, $"expected b{rows.Count + 1}, found b{match.Groups[1].Value}");
                }

                var tokens = match.Groups[2].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length < 3 || (rows.Count > 0 && tokens.Length != rows[0].Length))
                {
                    throw Error(line, $"a parameter line needs its starting values, the certified value and its standard deviation; found {tokens.Length} numbers");
                }

                rows.Add(tokens);
            }

            if (rows.Count == 0)
            {
                throw Error(header, "no parameter lines ('b1 = …') follow the starting values' header");
            }

            int startCount = rows[0].Length - 2;
            var starts = new double[startCount][];
            for (int s = 0; s < startCount; s++)
            {
                starts[s] = new double[rows.Count];
            }

            var certified = new double[rows.Count];
            var deviations = new double[rows.Count];
            int first = line - rows.Count;
            for (int j = 0; j < rows.Count; j++)
            {
                for (int s = 0; s < startCount; s++)
                {
                    starts[s][j] = Number(rows[j][s], first + j, $"b{j + 1}'s start {s + 1}");
                }

                certified[j] = Number(rows[j][startCount], first + j, $"b{j + 1}'s certified value");
                deviations[j] = Number(rows[j][startCount + 1], first + j, $"b{j + 1}'s standard deviation");
            }

            return (starts, certified, deviations, line);
        }

        private (double[] Y, double[][] X) Data(int from, int predictors, int observations)
        {
            int header = -1;
            for (int i = from; i < lines.Count; i++)
            {
                if (lines[i].TrimStart().StartsWith("Data:", StringComparison.Ordinal))
                {
                    header = i;
                    break;
                }
            }

            if (header < 0)
            {
                throw Error(lines.Count - 1, "no 'Data:' line after the certified values");
            }

            var y = new double[observations];
            var x = new double[predictors][];
            for (int k = 0; k < predictors; k++)
            {
                x[k] = new double[observations];
            }

            int count = 0;
            for (int i = header + 1; i < lines.Count; i++)
            {
                var tokens = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }

                if (tokens.Length != predictors + 1)
                {
                    throw Error(i, $"an observation needs {predictors + 1} numbers (y and {predictors} predictor(s)); found {tokens.Length}");
                }

                if (count == observations)
                {
                    throw Error(i, $"more observations than the {observations} the header declares");
                }

                y[count] = Number(tokens[0], i, "y");
                for (int k = 0; k < predictors; k++)
                {
                    x[k][count] = Number(tokens[k + 1], i, $"predictor {k + 1}");
                }

                count++;
            }

            if (count != observations)
            {
                throw Error(lines.Count - 1, $"{count} observations, but the header declares {observations}");
            }

            return (y, x);
        }

        private int Count(string what)
        {
            for (int i = 0; i < lines.Count; i++)
            {
                var match = CountLine().Match(lines[i].Replace("Data:", "     ", StringComparison.Ordinal));
                if (match.Success && match.Groups[2].Value == what)
                {
                    return Integer(match.Groups[1].Value, i, $"the number of {what.ToLowerInvariant()}s");
                }
            }

            throw Error(0, $"the header does not say how many {what.ToLowerInvariant()}s there are ('N {what}s')");
        }

        private string Value(string label) => Value(label, out _);

        private string Value(string label, out int line)
        {
            line = Find(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal), $"'{label}'");
            string value = lines[line].TrimStart()[label.Length..].Trim();
            return value.Length > 0 ? value : throw Error(line, $"'{label}' has no value");
        }

        private int Find(Func<string, bool> predicate, string what, int from = 0)
        {
            int index = lines.FindIndex(from, l => predicate(l));
            return index >= 0 ? index : throw Error(0, $"{what} is missing");
        }

        private double Number(string text, int line, string what) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                ? value
                : throw Error(line, $"{what} '{text}' is not a finite number");

        private int Integer(string text, int line, string what) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
                ? value
                : throw Error(line, $"{what} '{text}' is not a positive whole number");

        private InvalidDataException Error(int line, string message) => new($"{source}:{line + 1}: {message}.");
    }
}

using System.Security.Cryptography;
using AutoDiff.Cli.Fitting;
using AutoDiff.Fitting;
using Xunit.Abstractions;

namespace AutoDiff.Runtime.Tests.Fitting;

/// <summary>
/// The 18 NIST StRD problems the repository ships, each fitted from both starts with its model written as user code
/// (<see cref="NistModels"/>) and scored against NIST's certified values: the references are NIST's, not ours.
/// </summary>
public sealed class NistTests(ITestOutputHelper output)
{
    private static string Folder => Path.Combine(RepositoryPaths.Root, "data", "nist");

    public static TheoryData<string> Problems()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.dat").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Every_run_is_solved_and_the_average_LRE_is_at_least_Ceres_Solvers()
    {
        double total = 0;
        int runs = 0;
        foreach (var file in Directory.GetFiles(Folder, "*.dat").Order(StringComparer.Ordinal))
        {
            var data = NistDataset.Load(file);
            for (int start = 1; start <= data.Starts.Length; start++)
            {
                var result = NistProblems.Fit(data, start);
                double lre = data.Score(result.Parameters);
                output.WriteLine($"{data.Name,-10} start {start}: LRE {lre:F1}, {result.Iterations} steps, {result.Termination}");
                Assert.True(result.Converged, $"{data.Name} from start {start}: {result.Termination}");
                Assert.True(lre > 4, $"{data.Name} from start {start}: LRE {lre:F1} (NIST counts above 4 as solved)");
                total += lre;
                runs++;
            }
        }

        Assert.Equal(36, runs);
        output.WriteLine($"average LRE {total / runs:F2}");
        Assert.True(total / runs >= 9.4, $"average LRE {total / runs:F2}, below Ceres Solver's 9.4");
    }

    // The residual sum of squares, the residual standard deviation and the standard errors against NIST's certified
    // ones: S and s to 9 digits, the standard errors (√(s²·diag((JᵀJ)⁻¹)) from the QR factors) to 6.
    [Theory]
    [MemberData(nameof(Problems))]
    public void The_fit_statistics_match_the_certified_ones(string name)
    {
        var data = NistDataset.Load(Path.Combine(Folder, name + ".dat"));
        var result = NistProblems.Fit(data, 2);

        // Lanczos1's data are its model's values to 13 digits: S = 1.4e-25 is the rounding of the data themselves,
        // which double reproduces to 3 or 4 digits only (NIST computed it in 128-bit arithmetic); s and the standard
        // errors, proportional to √S, no better.
        double digits = data.CertifiedResidualSumOfSquares < 1e-20 ? 3 : 9;
        Assert.True(NistDataset.LogRelativeError(result.ResidualSumOfSquares, data.CertifiedResidualSumOfSquares) >= digits,
            $"S = {result.ResidualSumOfSquares:R}, certified {data.CertifiedResidualSumOfSquares:R}");
        Assert.True(NistDataset.LogRelativeError(result.ResidualStandardDeviation, data.CertifiedResidualStandardDeviation) >= digits,
            $"s = {result.ResidualStandardDeviation:R}, certified {data.CertifiedResidualStandardDeviation:R}");
        for (int j = 0; j < data.ParameterCount; j++)
        {
            double lre = NistDataset.LogRelativeError(result.StandardErrors[j], data.CertifiedStandardDeviations[j]);
            Assert.True(lre >= Math.Min(digits, 6), $"b{j + 1}: standard error {result.StandardErrors[j]:R}, certified {data.CertifiedStandardDeviations[j]:R} (LRE {lre:F1})");
        }
    }

    // Each model's generated gradient against central differences in double, at both starts and the certified values.
    [Theory]
    [MemberData(nameof(Problems))]
    public void The_generated_Jacobians_match_central_differences(string name)
    {
        var data = NistDataset.Load(Path.Combine(Folder, name + ".dat"));
        foreach (var point in data.Starts.Append(data.CertifiedParameters))
        {
            var b = point.ToArray();
            var gradient = new double[b.Length];
            for (int i = 0; i < data.Y.Length; i += Math.Max(1, data.Y.Length / 10))
            {
                NistProblems.Predict(data, b, i);
                Gradient(data, b, i, gradient);
                for (int j = 0; j < b.Length; j++)
                {
                    double h = 1e-6 * Math.Max(Math.Abs(b[j]), 1e-3);
                    double saved = b[j];
                    b[j] = saved + h;
                    double up = NistProblems.Predict(data, b, i);
                    b[j] = saved - h;
                    double down = NistProblems.Predict(data, b, i);
                    b[j] = saved;
                    double numeric = (up - down) / (2 * h);
                    double scale = Math.Max(Math.Abs(numeric), Math.Abs(NistProblems.Predict(data, b, i)) / Math.Max(Math.Abs(saved), 1e-3));
                    Assert.True(Math.Abs(gradient[j] - numeric) <= 1e-5 * scale + 1e-12,
                        $"{name} observation {i}, ∂/∂b{j + 1} at ({string.Join(", ", b)}): generated {gradient[j]:R}, central difference {numeric:R}");
                }
            }
        }
    }

    [Fact]
    public void The_shipped_files_match_their_checksums()
    {
        var sums = File.ReadAllLines(Path.Combine(Folder, "SHA256SUMS")).Where(l => l.Length > 0).Select(l => l.Split("  ")).ToList();
        Assert.Equal(18, sums.Count);
        foreach (var parts in sums)
        {
            using var stream = File.OpenRead(Path.Combine(Folder, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    private static void Gradient(NistDataset data, double[] b, int i, double[] gradient)
    {
        if (data.Name == "Nelson")
        {
            NistModels.NelsonGradient(b, data.Predictors[0][i], data.Predictors[1][i], gradient);
        }
        else
        {
            NistProblems.Model(data.Name)!(b, data.X[i], gradient);
        }
    }
}

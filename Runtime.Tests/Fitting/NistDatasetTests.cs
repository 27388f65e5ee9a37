using AutoDiff.Fitting;

namespace AutoDiff.Runtime.Tests.Fitting;

public sealed class NistDatasetTests
{
    // A dataset in NIST's layout, small enough to read at a glance (Misra1a's first lines and three observations).
    private const string Good = """
        NIST/ITL StRD
        Dataset Name:  Tiny              (Tiny.dat)

        Data:          1 Response Variable  (y = volume)
                       1 Predictor Variable (x = pressure)
                       3 Observations
                       Lower Level of Difficulty
                       Observed Data

        Model:         Exponential Class
                       2 Parameters (b1 to b2)

                       y = b1*(1-exp[-b2*x])  +  e

                  Starting values                  Certified Values

                Start 1     Start 2           Parameter     Standard Deviation
          b1 =   500         250           2.3894212918E+02  2.7070075241E+00
          b2 =   1.0E-04     5.0E-04       5.5015643181E-04  7.2668688436E-06

        Residual Sum of Squares:                    1.2455138894E-01
        Residual Standard Deviation:                1.0187876330E-01
        Degrees of Freedom:                                1
        Number of Observations:                            3

        Data:   y               x
              10.07E0      77.6E0
              14.73E0     114.9E0
              17.94E0     141.1E0
        """;

    [Fact]
    public void Reads_every_section()
    {
        var data = NistDataset.Parse(new StringReader(Good), "Tiny.dat");
        Assert.Equal("Tiny", data.Name);
        Assert.Equal("y = b1*(1-exp[-b2*x])  +  e", data.Model);
        Assert.Equal("Lower", data.Difficulty);
        Assert.Equal([500.0, 1.0e-4], data.Starts[0]);
        Assert.Equal([250.0, 5.0e-4], data.Starts[1]);
        Assert.Equal([2.3894212918E+02, 5.5015643181E-04], data.CertifiedParameters);
        Assert.Equal([2.7070075241E+00, 7.2668688436E-06], data.CertifiedStandardDeviations);
        Assert.Equal(1.2455138894E-01, data.CertifiedResidualSumOfSquares);
        Assert.Equal(1.0187876330E-01, data.CertifiedResidualStandardDeviation);
        Assert.Equal(1, data.DegreesOfFreedom);
        Assert.Equal([10.07, 14.73, 17.94], data.Y);
        Assert.Equal([77.6, 114.9, 141.1], data.X);
    }

    [Theory]
    [InlineData("Dataset Name:  Tiny              (Tiny.dat)", "Dataset Name:", 2, "'Dataset Name:' has no value")]
    [InlineData("  b2 =   1.0E-04     5.0E-04       5.5015643181E-04  7.2668688436E-06", "  b2 =   1.0E-04     x       5.5015643181E-04  7.2668688436E-06", 19, "b2's start 2 'x' is not a finite number")]
    [InlineData("  b2 =   1.0E-04     5.0E-04       5.5015643181E-04  7.2668688436E-06", "  b3 =   1.0E-04     5.0E-04       5.5015643181E-04  7.2668688436E-06", 19, "expected b2, found b3")]
    [InlineData("  b2 =   1.0E-04     5.0E-04       5.5015643181E-04  7.2668688436E-06", "  b2 =   1.0E-04     5.0E-04       5.5015643181E-04", 19, "found 3 numbers")]
    [InlineData("      14.73E0     114.9E0", "      14.73E0     114.9E0   3", 28, "an observation needs 2 numbers")]
    [InlineData("      17.94E0     141.1E0", "", 28, "2 observations, but the header declares 3")]
    [InlineData("      17.94E0     141.1E0", "      17.94E0     141.1E0\n      1.0     2.0", 30, "more observations than the 3 the header declares")]
    [InlineData("      10.07E0      77.6E0", "      1e999      77.6E0", 27, "y '1e999' is not a finite number")]
    [InlineData("Residual Sum of Squares:                    1.2455138894E-01", "Residual Sum of Squares:", 21, "'Residual Sum of Squares:' has no value")]
    [InlineData("               3 Observations", "               three Observations", 1, "does not say how many observations")]
    [InlineData("Dataset Name:  Tiny              (Tiny.dat)", "Name:  Tiny", 1, "'Dataset Name:' is missing")]
    public void A_damaged_file_is_refused_with_its_name_and_line(string line, string replacement, int lineNumber, string message)
    {
        string text = Good.Replace(line, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Good, text);
        var error = Assert.Throws<InvalidDataException>(() => NistDataset.Parse(new StringReader(text), "Tiny.dat"));
        Assert.StartsWith($"Tiny.dat:{lineNumber}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_that_are_not_datasets_are_refused_by_name()
    {
        string folder = Directory.CreateTempSubdirectory("nist-").FullName;
        try
        {
            string missing = Path.Combine(folder, "missing.dat");
            Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => NistDataset.Load(missing)).Message, StringComparison.Ordinal);
            Assert.Contains("is a directory", Assert.Throws<InvalidDataException>(() => NistDataset.Load(folder)).Message, StringComparison.Ordinal);

            string large = Path.Combine(folder, "large.dat");
            using (var stream = File.Create(large))
            {
                stream.SetLength(5 << 20);
            }

            Assert.Contains("too large", Assert.Throws<InvalidDataException>(() => NistDataset.Load(large)).Message, StringComparison.Ordinal);

            string binary = Path.Combine(folder, "binary.dat");
            File.WriteAllBytes(binary, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
            Assert.StartsWith(binary + ":", Assert.Throws<InvalidDataException>(() => NistDataset.Load(binary)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(1.0001, 1.0, 4.0)]
    [InlineData(2.5, 2.5, 11.0)]
    [InlineData(1.0 + 1e-14, 1.0, 11.0)]
    [InlineData(-0.5, 0.5, 0.0)]
    [InlineData(1e-6, 0.0, 6.0)]
    [InlineData(double.NaN, 1.0, 0.0)]
    public void The_log_relative_error_is_NISTs(double estimate, double certified, double expected)
    {
        Assert.Equal(expected, NistDataset.LogRelativeError(estimate, certified), 9);
    }
}

using AutoDiff.Cli;

namespace AutoDiff.Runtime.Tests.Cli;

public sealed class TimeStepCommandTests
{
    [Theory]
    [InlineData("--threads", "0", "'0'")]
    [InlineData("--threads", "2,x", "'2,x'")]
    [InlineData("--rounds", "0", "'0'")]
    [InlineData("--batch", "-1", "'-1'")]
    [InlineData("--speed", "9", "'--speed'")]
    public void Bad_options_are_named(string option, string value, string quoted)
    {
        var (code, output, error) = Command.Run(TimeStep.Run, option, value);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("autodiff time-step: ", error, StringComparison.Ordinal);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Contains(quoted, error, StringComparison.Ordinal);
    }

    // A damaged MNIST folder is one line naming the file, not an unhandled exception.
    [Fact]
    public void Damaged_data_is_named()
    {
        string folder = Directory.CreateTempSubdirectory("autodiff-time-step-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(RepositoryPaths.Mnist))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            string images = Directory.GetFiles(folder, "train-images*").Single();
            File.WriteAllBytes(images, File.ReadAllBytes(images)[..1000]);
            var (code, output, error) = Command.Run(TimeStep.Run, "--data", folder, "--rounds", "1");
            Assert.Equal(2, code);
            Assert.Empty(output);
            Assert.StartsWith("autodiff time-step: ", error, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(images), error, StringComparison.Ordinal);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Each_thread_count_gets_a_line_against_the_first()
    {
        int saved = AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism;
        try
        {
            var (code, output, error) = Command.Run(TimeStep.Run, "--threads", "1,2", "--rounds", "1", "--batch", "8");
            Assert.Equal(0, code);
            Assert.Empty(error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("the benchmark net's training step, batch 8", lines[0], StringComparison.Ordinal);
            Assert.Matches(@"^\s+1 thread\(s\): +[0-9.]+ ms a step, +[0-9,]+ images/s, 1\.00× the first", lines[1]);
            Assert.Matches(@"^\s+2 thread\(s\): +[0-9.]+ ms a step, +[0-9,]+ images/s, [0-9.]+× the first", lines[2]);
        }
        finally
        {
            AutoDiff.Threading.KernelPool.MaxDegreeOfParallelism = saved;
        }
    }
}

using AutoDiff.Cli;
using Microsoft.ML.OnnxRuntime;

namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>`autodiff export` and `autodiff evaluate OUT.onnx` end to end: a checkpoint of each task trained on a slice of MNIST, exported, run by ONNX Runtime on the 10,000 test digits.</summary>
public sealed class ExportCommandTests() : TemporaryFolder("autodiff-export-")
{
    // The figures `evaluate` prints for the checkpoint and for its export are the same, to the last printed digit.
    [Theory]
    [InlineData("classification", "logits")]
    [InlineData("regression", "offset")]
    [InlineData("multitask", "logits,offset")]
    public void Every_task_exports_and_ONNX_Runtime_gives_the_checkpoints_figures(string task, string outputs)
    {
        string runs = Path.Combine(Folder, "runs");
        var (code, _, error) = Command.Run(Train.Run, "--task", task, "--limit", "640", "--epochs", "1", "--out", runs, "--data", Data, "--no-progress");
        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(runs, task, "model.ckpt");
        string model = Path.Combine(Folder, task + ".onnx");

        (code, var text, error) = Command.Run(OnnxCommands.Export, checkpoint, model, "--data", Data);
        Assert.True(code == 0, error);
        Assert.StartsWith($"wrote {model}", text, StringComparison.Ordinal);
        using (var session = new InferenceSession(model))
        {
            Assert.Equal(outputs.Split(','), session.OutputMetadata.Keys);
            Assert.Equal(task, session.ModelMetadata.CustomMetadataMap["task"]);
        }

        (code, var ours, error) = Command.Run(Train.Evaluate, checkpoint, "--data", Data);
        Assert.True(code == 0, error);
        (code, var theirs, error) = Command.Run(Train.Evaluate, model, "--data", Data);
        Assert.True(code == 0, error);
        Assert.Contains("run by ONNX Runtime", theirs, StringComparison.Ordinal);
        string Figures(string report) => report.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
        Assert.Equal(Figures(ours), Figures(theirs));
    }

    [Theory]
    [InlineData(new[] { "CKPT" }, "which checkpoint, and where to write the model?")]
    [InlineData(new[] { "CKPT", "model.bin" }, "should end in .onnx")]
    [InlineData(new[] { "MISSING", "m.onnx" }, "MISSING")]
    [InlineData(new[] { "CKPT", "m.onnx", "--frobnicate", "1" }, "unknown option '--frobnicate'")]
    public void Bad_export_arguments_are_one_line_and_nothing_is_written(string[] args, string message)
    {
        string missing = Path.Combine(Folder, "missing.ckpt");
        args = args.Select(a => a switch { "CKPT" => missing, "MISSING" => missing, "m.onnx" => Path.Combine(Folder, "m.onnx"), _ => a }).ToArray();
        var (code, output, error) = Command.Run(OnnxCommands.Export, args);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("autodiff export: ", error, StringComparison.Ordinal);
        Assert.Contains(message.Replace("MISSING", missing, StringComparison.Ordinal), error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(Folder, "m.onnx")));
    }

    [Fact]
    public void A_file_that_is_not_an_exported_model_is_refused_by_name()
    {
        string garbage = Path.Combine(Folder, "garbage.onnx");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 1000).Select(i => (byte)(i * 31)).ToArray());
        var (code, output, error) = Command.Run(Train.Evaluate, garbage, "--data", Data);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"autodiff evaluate: cannot read the ONNX model '{garbage}'", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

using System.Diagnostics;
using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Retrieval;
using AutoDiff.Threading;
using AutoDiff.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoDiff.Cli;

/// <summary>
/// <c>autodiff export CHECKPOINT OUT.onnx [--softmax] [--data DIR]</c>: a checkpoint of <c>train</c> or <c>retrieve</c> as an
/// ONNX model (<see cref="Network{T}.ExportOnnx"/>) that takes pixels in [0, 1] (the standardisation is inside) and
/// outputs the heads by name (<c>logits</c>, <c>offset</c>, <c>embedding</c>); and <c>autodiff evaluate OUT.onnx</c>,
/// which runs such a file through ONNX Runtime on the test images and prints the figures <c>evaluate</c> prints for
/// the checkpoint.
/// </summary>
internal static class OnnxCommands
{
    public const string Usage = "export CHECKPOINT OUT.onnx [--softmax] [--data DIR]";

    // Images per ONNX Runtime call.
    private const int Batch = 500;

    public static int Export(string[] args, TextWriter output, TextWriter error)
    {
        bool softmax = args.Contains("--softmax");
        var rest = args.Where(a => a != "--softmax").ToArray();
        if (rest.Length < 2 || rest[0].StartsWith("--", StringComparison.Ordinal) || rest[1].StartsWith("--", StringComparison.Ordinal))
        {
            error.WriteLine($"autodiff export: which checkpoint, and where to write the model? Usage: autodiff {Usage}");
            return 2;
        }

        string checkpoint = rest[0], destination = rest[1];
        string? data = null;
        if (!CommandLine.ReadPairs(rest[2..], "export", error, (name, value) => name switch
        {
            "--data" => (data = value).Length > 0 ? null : "--data needs a folder",
            _ => $"unknown option '{name}'. Run 'autodiff --help'",
        }))
        {
            return 2;
        }

        if (!destination.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            error.WriteLine($"autodiff export: the model's file name should end in .onnx, not '{destination}' (evaluate tells models from checkpoints by it).");
            return 2;
        }

        if (Load(checkpoint, data, "export", error) is not { } loaded)
        {
            return 2;
        }

        var (network, metadata, names) = loaded;
        var options = new OnnxExportOptions
        {
            OutputNames = names,
            Standardize = (Mnist.Mean, Mnist.StandardDeviation),
            Probabilities = softmax && names[0] == "logits",
            Metadata = metadata,
        };

        // Into memory first: a layer without an ONNX counterpart is refused before the file is touched; then a
        // temporary file beside the destination, renamed over it.
        var bytes = new MemoryStream();
        try
        {
            network.ExportOnnx(bytes, options);
        }
        catch (NotSupportedException e)
        {
            error.WriteLine($"autodiff export: {checkpoint}: {e.Message}");
            return 2;
        }

        string temporary = destination + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                bytes.WriteTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, destination, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            File.Delete(temporary);
            error.WriteLine($"autodiff export: cannot write '{destination}': {e.Message}");
            return 1;
        }

        output.WriteLine($"wrote {destination} ({bytes.Length:N0} bytes, ONNX opset {OnnxExportOptions.Opset}): input 'input' float32 [batch, 1, {network.InputShape.Height}, {network.InputShape.Width}] pixels in [0, 1]; " +
            $"output{(names.Length > 1 ? "s" : "")} {string.Join(", ", names.Select((n, h) => $"'{n}' [batch, {network.OutputShapes[h].Size}]"))}" +
            (options.Probabilities ? ", 'probabilities' [batch, 10]" : ""));
        return 0;
    }

    /// <summary><c>autodiff evaluate OUT.onnx</c>: the exported model run by ONNX Runtime on the test images of its task.</summary>
    public static int Evaluate(string path, string? data, TextWriter output, TextWriter error)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(path);
        }
        catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"autodiff evaluate: cannot read the ONNX model '{path}': {e.Message.Split('\n')[0]}");
            return 2;
        }

        using (session)
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            bool retrieval = metadata.TryGetValue("format", out var format) && format == "autodiff-retrieve-1";
            ImageDataset train, test;
            Trainer trainer;
            string description;
            try
            {
                if (retrieval)
                {
                    var options = RetrieveOptions.FromMetadata(metadata, path) with { Data = data };
                    if (!Retrieve.TryLoad(options, "evaluate", error, out train, out test, standardize: false))
                    {
                        return 2;
                    }

                    trainer = options.CreateTrainer(options.Miners[0], train);
                    description = $"{options.Miners[0]} embeddings";
                }
                else
                {
                    var options = TrainOptions.FromMetadata(metadata, path) with { Data = data };
                    if (!Train.TryLoadData(options.Data, "evaluate", error, folder => options.Load(folder, standardize: false), out train, out test))
                    {
                        return 2;
                    }

                    trainer = options.CreateTrainer(train);
                    description = $"{options.Task} CNN";
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException)
            {
                error.WriteLine($"autodiff evaluate: '{path}' was not exported by 'autodiff export': {e.Message}");
                return 2;
            }

            var network = trainer.Network;
            var watch = Stopwatch.StartNew();
            float[][] outputs;
            try
            {
                outputs = Run(session, network, test);
            }
            catch (Exception e) when (e is OnnxRuntimeException or ArgumentException or InvalidOperationException)
            {
                error.WriteLine($"autodiff evaluate: ONNX Runtime cannot run '{path}' on the test images: {e.Message.Split('\n')[0]}");
                return 2;
            }

            double rate = test.Count / watch.Elapsed.TotalSeconds;
            output.WriteLine($"{description} exported to ONNX, run by ONNX Runtime {OrtEnv.Instance().GetVersionString()} on {test.Count:N0} test images ({rate:N0} images/s):");
            if (retrieval)
            {
                var metrics = RetrievalMetrics.Evaluate(outputs[0], test.Labels!, network.OutputShapes[0].Size);
                output.WriteLine($"  recall@1 {metrics.RecallAt1:P2}, recall@5 {metrics.RecallAt5:P2}, mAP {metrics.MeanAveragePrecision:P2}");
            }
            else
            {
                output.WriteLine($"  {Train.Describe(trainer.Evaluate(test, outputs))}");
            }

            return 0;
        }
    }

    // The network of a checkpoint with its parameters, the metadata to carry into the model, and the heads' names.
    private static (Network<float> Network, IReadOnlyDictionary<string, string> Metadata, string[] Names)? Load(string path, string? data, string command, TextWriter error)
    {
        if (Train.IsRetrieval(path, out var metadata))
        {
            RetrieveOptions options;
            try
            {
                options = RetrieveOptions.FromMetadata(metadata, path) with { Data = data };
            }
            catch (Exception e) when (e is InvalidDataException or FormatException)
            {
                error.WriteLine($"autodiff {command}: cannot read '{path}': {e.Message}");
                return null;
            }

            if (!Retrieve.TryLoad(options, command, error, out var retrievalTrain, out _))
            {
                return null;
            }

            var trainer = options.CreateTrainer(options.Miners[0], retrievalTrain);
            try
            {
                trainer.LoadCheckpoint(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                error.WriteLine($"autodiff {command}: cannot load '{path}': {e.Message}");
                return null;
            }

            return (trainer.Network, metadata, ["embedding"]);
        }

        if (Train.TryOpen(path, data, KernelPool.MaxDegreeOfParallelism, command, error) is not var (classifier, trainOptions, _))
        {
            return null;
        }

        string[] names = trainOptions.Task switch
        {
            "classification" => ["logits"],
            "regression" => ["offset"],
            _ => ["logits", "offset"],
        };
        return (classifier.Network, Trainer.ReadMetadata(path), names);
    }

    // Every test image through the session, Batch at a time: per head, Count × the head's size values.
    private static float[][] Run(InferenceSession session, Network<float> network, ImageDataset test)
    {
        var shape = network.InputShape;
        var outputs = network.OutputShapes.Select(s => new float[test.Count * s.Size]).ToArray();
        var names = session.OutputMetadata.Keys.Take(network.Heads).ToArray();
        string input = session.InputMetadata.Keys.First();
        var images = new float[Batch * shape.Size];
        for (int start = 0; start < test.Count; start += Batch)
        {
            int batch = Math.Min(Batch, test.Count - start);
            for (int i = 0; i < batch; i++)
            {
                test.CopyImage(start + i, images.AsSpan(i * shape.Size, shape.Size));
            }

            var tensor = new DenseTensor<float>(images.AsMemory(0, batch * shape.Size), [batch, shape.Channels, shape.Height, shape.Width]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)], names);
            for (int h = 0; h < names.Length; h++)
            {
                int size = network.OutputShapes[h].Size;
                var values = results.First(r => r.Name == names[h]).AsTensor<float>();
                if (values.Length != (long)batch * size)
                {
                    throw new InvalidOperationException($"output '{names[h]}' has {values.Length} values for {batch} images; the task's head has {size} per image");
                }

                int k = 0;
                foreach (float v in values)
                {
                    outputs[h][(start * size) + k++] = v;
                }
            }
        }

        return outputs;
    }
}

using AutoDiff.Data;
using AutoDiff.Layers;
using AutoDiff.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace AutoDiff.Runtime.Tests.Onnx;

/// <summary>Exported networks run by ONNX Runtime (the reference runtime, not ours) against the network's own forward pass.</summary>
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const int Batch = 500;

    private static readonly Lazy<Mnist> Test = new(() => Mnist.Load(RepositoryPaths.Mnist, training: false));

    // The three networks the trainer builds, on the 10,000 test digits given to ONNX Runtime as raw pixels in [0, 1]
    // (the standardisation inside the graph) and to the network standardised, as the trainer feeds it.
    [Theory]
    [InlineData("classification")]
    [InlineData("regression")]
    [InlineData("multitask")]
    public void Every_output_of_the_trainers_networks_matches_on_the_test_digits(string task)
    {
        var network = task switch
        {
            "classification" => MnistModels.Classifier(Batch, 3),
            "regression" => MnistModels.Locator(Batch, 3),
            _ => MnistModels.MultiTask(Batch, 3),
        };
        ImageDataset raw = task == "classification" ? new MnistDataset(Test.Value, standardize: false) : new TranslatedMnist(Test.Value, 9, standardize: false);
        ImageDataset standardized = task == "classification" ? new MnistDataset(Test.Value) : new TranslatedMnist(Test.Value, 9);
        string[] names = task switch { "classification" => ["logits"], "regression" => ["offset"], _ => ["logits", "offset"] };

        using var session = Export(network, new OnnxExportOptions { OutputNames = names, Standardize = (Mnist.Mean, Mnist.StandardDeviation) });
        Assert.Equal(["input"], session.InputMetadata.Keys);
        Assert.Equal([-1, 1, raw.Shape.Height, raw.Shape.Width], session.InputMetadata["input"].Dimensions);
        Assert.Equal(names, session.OutputMetadata.Keys);

        int size = raw.Shape.Size;
        var rawImages = new float[Batch * size];
        var images = new float[Batch * size];
        int agree = 0, argmaxes = 0;
        double worst = 0;
        for (int start = 0; start < raw.Count; start += Batch)
        {
            for (int i = 0; i < Batch; i++)
            {
                raw.CopyImage(start + i, rawImages.AsSpan(i * size, size));
                standardized.CopyImage(start + i, images.AsSpan(i * size, size));
            }

            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(rawImages, [Batch, 1, raw.Shape.Height, raw.Shape.Width]))]);
            network.Forward(images, Batch, training: false);
            for (int h = 0; h < network.Heads; h++)
            {
                var theirs = results.Single(r => r.Name == names[h]).AsEnumerable<float>().ToArray();
                var ours = network.Output(h);
                Assert.Equal(ours.Length, theirs.Length);
                // Relative to the output, or to the head's root-mean-square output where that is larger: float sums in
                // another order differ by rounding of the terms' scale, not of an output that happens to be near 0.
                double rms = Math.Sqrt(ours.ToArray().Average(v => (double)v * v));
                for (int k = 0; k < theirs.Length; k++)
                {
                    worst = Math.Max(worst, Math.Abs(theirs[k] - ours[k]) / Math.Max(Math.Abs(ours[k]), rms));
                }

                if (network.OutputShapes[h].Size == 10)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        agree += ArgMax(theirs.AsSpan(i * 10, 10)) == ArgMax(ours.Slice(i * 10, 10)) ? 1 : 0;
                        argmaxes++;
                    }
                }
            }
        }

        output.WriteLine($"{task}: largest relative difference {worst:E2}, {agree} of {argmaxes} classes agree");
        Assert.True(worst <= 1e-5, $"largest relative difference {worst:E2}");
        Assert.Equal(argmaxes, agree);
    }

    // Each activation of the catalogue (and L2Normalize, and a dropout that the export drops) between two dense layers,
    // on values from −6 to 6.
    [Fact]
    public void Every_activation_of_the_catalogue_matches()
    {
        Layer<float>[] activations =
        [
            new ActivationLayer<float, Activations.ReluOperator>(),
            new ActivationLayer<float, Activations.SigmoidOperator>(),
            new ActivationLayer<float, Activations.TanhOperator>(),
            new ActivationLayer<float, Activations.SoftplusOperator>(),
            new ActivationLayer<float, Activations.SoftminusOperator>(),
            new ActivationLayer<float, Activations.LeakyReluOperator>(new Activations.LeakyReluOperator(0.1f)),
            new ActivationLayer<float, Activations.Relu6Operator>(),
            new ActivationLayer<float, Activations.EluOperator>(new Activations.EluOperator(0.7f)),
            new ActivationLayer<float, Activations.SeluOperator>(),
            new ActivationLayer<float, Activations.GeluOperator>(),
            new ActivationLayer<float, Activations.GeluTanhOperator>(),
            new ActivationLayer<float, Activations.SiluOperator>(),
            new ActivationLayer<float, Activations.MishOperator>(),
            new ActivationLayer<float, Activations.SoftsignOperator>(),
            new L2Normalize<float>(),
        ];
        var input = Enumerable.Range(0, 64 * 6).Select(i => (float)((i % 97 / 8.0) - 6)).ToArray();
        foreach (var activation in activations)
        {
            var network = new Network<float>(TensorShape.Vector(6), 64, 5, new Dense<float>(6, 12), new Dropout<float>(0.5), activation, new Dense<float>(12, 4));
            using var session = Export(network, null);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, [64, 6]))]);
            var theirs = results.Single().AsEnumerable<float>().ToArray();
            var ours = network.Forward(input, 64, training: false);
            for (int k = 0; k < theirs.Length; k++)
            {
                Assert.True(Math.Abs(theirs[k] - ours[k]) <= 1e-5 * Math.Max(Math.Abs(ours[k]), 1e-1),
                    $"{activation.GetType().GetGenericArguments().LastOrDefault()?.Name ?? activation.GetType().Name}: {theirs[k]} against {ours[k]} at {k}");
            }
        }
    }

    [Fact]
    public void The_softmax_option_adds_the_class_probabilities_after_the_logits()
    {
        var network = MnistModels.Classifier(16, 4);
        using var session = Export(network, new OnnxExportOptions { OutputNames = ["logits"], Probabilities = true });
        Assert.Equal(["logits", "probabilities"], session.OutputMetadata.Keys);
        var images = Test.Value.Images.AsSpan(0, 16 * Mnist.Pixels).ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(images, [16, 1, 28, 28]))]);
        var logits = results.First(r => r.Name == "logits").AsEnumerable<float>().ToArray();
        var probabilities = results.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        for (int i = 0; i < 16; i++)
        {
            var row = logits.AsSpan(i * 10, 10);
            double max = row.ToArray().Max();
            double sum = row.ToArray().Sum(v => Math.Exp(v - max));
            for (int c = 0; c < 10; c++)
            {
                Assert.Equal(Math.Exp(row[c] - max) / sum, probabilities[(i * 10) + c], 1e-6);
            }
        }
    }

    [Fact]
    public void A_layer_without_an_ONNX_counterpart_is_refused_by_name_before_anything_is_written()
    {
        var network = new Network<float>(TensorShape.Vector(4), 2, 1, new Dense<float>(4, 4), new Doubling());
        using var stream = new MemoryStream();
        var error = Assert.Throws<NotSupportedException>(() => network.ExportOnnx(stream));
        Assert.StartsWith("The layer Doubling has no ONNX counterpart", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
    }

    private static InferenceSession Export(Network<float> network, OnnxExportOptions? options)
    {
        using var stream = new MemoryStream();
        network.ExportOnnx(stream, options);
        return new InferenceSession(stream.ToArray());
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    // A layer of the user's own: y = 2x.
    private sealed class Doubling : Layer<float>
    {
        protected override TensorShape OnBuild(TensorShape input, int maxBatch, SeededRandom random) => input;

        public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
        {
            for (int i = 0; i < batch * InputShape.Size; i++)
            {
                output[i] = 2 * input[i];
            }
        }

        public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch)
        {
        }
    }
}

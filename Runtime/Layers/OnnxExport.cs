using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace AutoDiff.Layers;

/// <summary>Settings of <see cref="Network{T}.ExportOnnx"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The ONNX operator set the export writes: 20, which brings Gelu (exact and tanh).</summary>
    public const int Opset = 20;

    /// <summary>The input's name. Default <c>input</c>.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>Each head's output name, in head order. Default <c>output</c>, <c>output1</c>, ….</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>
    /// Standardisation the network was trained behind, x ← (x − Mean) / StandardDeviation, put inside the graph so that
    /// the model takes the raw input (MNIST's pixels in [0, 1]); null for none.
    /// </summary>
    public (float Mean, float StandardDeviation)? Standardize { get; init; }

    /// <summary>Also output softmax(first head) as <see cref="ProbabilitiesName"/>, after every head's own output.</summary>
    public bool Probabilities { get; init; }

    /// <summary>The name of the probabilities' output. Default <c>probabilities</c>.</summary>
    public string ProbabilitiesName { get; init; } = "probabilities";

    /// <summary>Key/value pairs stored in the model's <c>metadata_props</c> (what a reader needs to rebuild the task).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// Writes a <see cref="Network{T}"/> as an ONNX model (opset <see cref="OnnxExportOptions.Opset"/>) through the protobuf classes of
/// <c>onnx.proto</c> (OnnxSharp's, on Google.Protobuf): no hand-written wire format. Every layer maps to standard
/// operators; one that has none is refused by name before anything is written.
/// </summary>
internal static class OnnxExport
{
    // IR version 9 goes with opsets up to 20.
    private const long IrVersion = 9;

    public static void Write<T>(Network<T> network, Stream stream, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        var builder = new GraphBuilder<T>(network, options);
        var model = builder.Build();
        model.WriteTo(stream);
    }

    private sealed class GraphBuilder<T>(Network<T> network, OnnxExportOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly GraphProto _graph = new() { Name = "autodiff" };
        private readonly TensorProto.Types.DataType _type = typeof(T) == typeof(float) ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double;
        private int _values;

        public ModelProto Build()
        {
            var names = options.OutputNames ?? Enumerable.Range(0, network.Heads).Select(h => h == 0 ? "output" : $"output{h}").ToArray();
            if (names.Count != network.Heads || names.Distinct().Count() != names.Count || names.Contains(options.InputName))
            {
                throw new ArgumentException($"The network has {network.Heads} head(s): give as many distinct output names, none the input's.", nameof(options));
            }

            _graph.Input.Add(Info(options.InputName, network.InputShape));
            string x = options.InputName;
            if (options.Standardize is var (mean, deviation))
            {
                x = Node("Sub", [x, Scalar("input_mean", mean)]);
                x = Node("Div", [x, Scalar("input_standard_deviation", deviation)]);
            }

            string trunk = Layer(network.Trunk, x);
            for (int h = 0; h < network.Heads; h++)
            {
                string output = Layer(network.HeadLayers[h], trunk);
                _graph.Node.Add(new NodeProto { OpType = "Identity", Input = { output }, Output = { names[h] }, Name = names[h] });
                _graph.Output.Add(Info(names[h], network.OutputShapes[h]));
            }

            if (options.Probabilities)
            {
                _graph.Node.Add(new NodeProto { OpType = "Softmax", Input = { names[0] }, Output = { options.ProbabilitiesName }, Name = options.ProbabilitiesName, Attribute = { Int("axis", -1) } });
                _graph.Output.Add(Info(options.ProbabilitiesName, network.OutputShapes[0]));
            }

            var model = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "AutoDiff",
                ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
                Graph = _graph,
                DocString = "Exported by AutoDiff (compile-time automatic differentiation for .NET).",
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExportOptions.Opset });
            foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>())
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }

            return model;
        }

        // Adds the nodes of one layer reading `input`; returns the name of its output.
        private string Layer(Layer<T> layer, string input)
        {
            switch (layer)
            {
                case Sequential<T> sequential:
                    foreach (var inner in sequential.Layers)
                    {
                        input = Layer(inner, input);
                    }

                    return input;
                case Conv2D<T> conv:
                    return Node("Conv", [input, Weights(conv.Weight, [conv.OutChannels, conv.InChannels, conv.KernelSize, conv.KernelSize]), Weights(conv.Bias, [conv.OutChannels])],
                        Ints("kernel_shape", conv.KernelSize, conv.KernelSize), Ints("strides", conv.Stride, conv.Stride),
                        Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding), Ints("dilations", 1, 1), Int("group", 1));
                case MaxPool2D<T> pool:
                    return Node("MaxPool", [input], Ints("kernel_shape", pool.Size, pool.Size), Ints("strides", pool.Stride, pool.Stride));
                case Flatten<T>:
                    return Node("Flatten", [input], Int("axis", 1));
                case Dense<T> dense:
                    // y = x·Wᵀ + b with W stored OutFeatures × InFeatures.
                    return Node("Gemm", [input, Weights(dense.Weight, [dense.OutFeatures, dense.InFeatures]), Weights(dense.Bias, [dense.OutFeatures])], Int("transB", 1));
                case Dropout<T>:
                    return input;   // identity at inference
                case L2Normalize<T>:
                    // x / max(‖x‖, 1e-12), PyTorch's F.normalize: LpNormalization has no ε, so the norm is clamped by hand.
                    string norm = Node("ReduceL2", [input, Int64s("l2_axes", 1)], Int("keepdims", 1));
                    return Node("Div", [input, Node("Max", [norm, Scalar("l2_epsilon", 1e-12)])]);
                default:
                    return Activation(layer, input)
                        ?? throw new NotSupportedException($"{Describe(layer)} has no ONNX counterpart here; export supports Conv2D, MaxPool2D, Dense, Flatten, Dropout, L2Normalize and the activation layers of the catalogue.");
            }
        }

        // The catalogue's activation layers (ActivationLayer<T, TOp> of a generated operator), by their operator's type.
        private string? Activation(Layer<T> layer, string x)
        {
            var type = layer.GetType();
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(ActivationLayer<,>))
            {
                return null;
            }

            object op = type.GetProperty("Operator")!.GetValue(layer)!;
            return op switch
            {
                Activations.ReluOperator => Node("Relu", [x]),
                Activations.SigmoidOperator => Node("Sigmoid", [x]),
                Activations.TanhOperator => Node("Tanh", [x]),
                Activations.SoftplusOperator => Node("Softplus", [x]),
                Activations.SoftminusOperator => Node("Neg", [Node("Softplus", [Node("Neg", [x])])]),
                Activations.LeakyReluOperator leaky => Node("LeakyRelu", [x], Float("alpha", leaky.NegativeSlope)),
                Activations.Relu6Operator => Node("Clip", [x, Scalar("relu6_min", 0), Scalar("relu6_max", 6)]),
                Activations.EluOperator elu => Node("Elu", [x], Float("alpha", elu.Alpha)),
                Activations.SeluOperator => Node("Selu", [x]),
                Activations.GeluOperator => Node("Gelu", [x]),
                Activations.GeluTanhOperator => Node("Gelu", [x], new AttributeProto { Name = "approximate", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("tanh") }),
                Activations.SiluOperator => Node("Mul", [x, Node("Sigmoid", [x])]),
                Activations.MishOperator => Node("Mul", [x, Node("Tanh", [Node("Softplus", [x])])]),
                Activations.SoftsignOperator => Node("Softsign", [x]),
                _ => null,
            };
        }

        private static string Describe(Layer<T> layer)
        {
            var type = layer.GetType();
            return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ActivationLayer<,>)
                ? $"The activation layer of {type.GetGenericArguments()[1].Name}"
                : $"The layer {type.Name.Split('`')[0]}";
        }

        private string Node(string op, string[] inputs, params AttributeProto[] attributes)
        {
            string output = $"{op.ToLowerInvariant()}_{_values++}";
            var node = new NodeProto { OpType = op, Name = output, Output = { output } };
            node.Input.AddRange(inputs);
            node.Attribute.AddRange(attributes);
            _graph.Node.Add(node);
            return output;
        }

        private string Weights(Parameter<T> parameter, long[] dims)
        {
            var tensor = new TensorProto { Name = parameter.Name, DataType = (int)_type };
            tensor.Dims.AddRange(dims);
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(parameter.Value.AsSpan()));
            _graph.Initializer.Add(tensor);
            return parameter.Name;
        }

        private string Scalar(string name, double value)
        {
            if (_graph.Initializer.Any(i => i.Name == name))
            {
                return name;
            }

            var tensor = new TensorProto { Name = name, DataType = (int)_type };
            T v = T.CreateTruncating(value);
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in v)));
            _graph.Initializer.Add(tensor);
            return name;
        }

        private string Int64s(string name, params long[] values)
        {
            if (_graph.Initializer.All(i => i.Name != name))
            {
                var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
                tensor.Dims.Add(values.Length);
                tensor.Int64Data.AddRange(values);
                _graph.Initializer.Add(tensor);
            }

            return name;
        }

        // A tensor of the network's element type, [batch, …the sample's shape] (a vector sample: [batch, features]).
        private ValueInfoProto Info(string name, TensorShape shape)
        {
            var tensorShape = new TensorShapeProto();
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
            long[] dims = shape.Height == 1 && shape.Width == 1 ? [shape.Channels] : [shape.Channels, shape.Height, shape.Width];
            foreach (long d in dims)
            {
                tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)_type, Shape = tensorShape } },
            };
        }

        private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

        private static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values);
            return attribute;
        }
    }
}

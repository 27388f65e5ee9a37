namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>Every activation and elementwise loss operator struct, behind one non-generic check.</summary>
public static class Operators
{
    public interface ICheck
    {
        void Check();
    }

    public static readonly Dictionary<string, ICheck> Activations = new()
    {
        ["Sigmoid"] = new ActivationCheck<AutoDiff.Activations.SigmoidOperator>(default),
        ["Tanh"] = new ActivationCheck<AutoDiff.Activations.TanhOperator>(default),
        ["Softplus"] = new ActivationCheck<AutoDiff.Activations.SoftplusOperator>(default),
        ["Softminus"] = new ActivationCheck<AutoDiff.Activations.SoftminusOperator>(default),
        ["Relu"] = new ActivationCheck<AutoDiff.Activations.ReluOperator>(default),
        ["LeakyRelu"] = new ActivationCheck<AutoDiff.Activations.LeakyReluOperator>(new(0.01f)),
        ["Relu6"] = new ActivationCheck<AutoDiff.Activations.Relu6Operator>(default),
        ["Elu"] = new ActivationCheck<AutoDiff.Activations.EluOperator>(new(1f)),
        ["Selu"] = new ActivationCheck<AutoDiff.Activations.SeluOperator>(default),
        ["Gelu"] = new ActivationCheck<AutoDiff.Activations.GeluOperator>(default),
        ["GeluTanh"] = new ActivationCheck<AutoDiff.Activations.GeluTanhOperator>(default),
        ["Silu"] = new ActivationCheck<AutoDiff.Activations.SiluOperator>(default),
        ["Mish"] = new ActivationCheck<AutoDiff.Activations.MishOperator>(default),
        ["Softsign"] = new ActivationCheck<AutoDiff.Activations.SoftsignOperator>(default),
    };

    public static readonly Dictionary<string, ICheck> Losses = new()
    {
        ["SquaredError"] = new LossCheck<AutoDiff.Losses.SquaredErrorOperator>(default),
        ["AbsoluteError"] = new LossCheck<AutoDiff.Losses.AbsoluteErrorOperator>(default),
        ["SquaredLogError"] = new LossCheck<AutoDiff.Losses.SquaredLogErrorOperator>(default),
        ["Huber"] = new LossCheck<AutoDiff.Losses.HuberOperator>(new(1f)),
        ["SmoothL1"] = new LossCheck<AutoDiff.Losses.SmoothL1Operator>(new(1f)),
        ["LogCosh"] = new LossCheck<AutoDiff.Losses.LogCoshOperator>(default),
        ["BinaryCrossEntropy"] = new LossCheck<AutoDiff.Losses.BinaryCrossEntropyOperator>(default),
        ["BinaryCrossEntropyWithLogits"] = new LossCheck<AutoDiff.Losses.BinaryCrossEntropyWithLogitsOperator>(default),
        ["Hinge"] = new LossCheck<AutoDiff.Losses.HingeOperator>(default),
        ["SquaredHinge"] = new LossCheck<AutoDiff.Losses.SquaredHingeOperator>(default),
    };

    private static float[] Inputs(int n, int seed, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(low + (random.NextDouble() * (high - low)))).ToArray();
    }

    private sealed class ActivationCheck<TOp>(TOp op) : ICheck
        where TOp : struct, IActivation<float>
    {
        public void Check()
        {
            Assert.True(float.IsNaN(op.Value(float.NaN)), "f(NaN) is not NaN");
            for (int n = 0; n <= 67; n++)
            {
                var x = Inputs(n, n, -4, 4);
                if (n > 3)
                {
                    x[n / 2] = float.NaN;
                }

                var y = new float[n];
                var d = new float[n];
                var upstream = Inputs(n, n + 100, -1, 1);
                op.Forward(x, y);
                op.Backward(x, upstream, d);
                for (int i = 0; i < n; i++)
                {
                    TorchReference.Close(op.Value(x[i]), y[i], 4e-7, 1e-7, $"{typeof(TOp).Name}, n = {n}: f({x[i]:R}) in the span form");
                    if (float.IsNaN(x[i]))
                    {
                        Assert.True(float.IsNaN(y[i]), $"n = {n}: a NaN input gave {y[i]} in the span form");
                    }
                }

                // Backward is the upstream gradient times the derivative: a zero upstream gives zero where finite.
                var zero = new float[n];
                op.Backward(x, new float[n], zero);
                Assert.All(zero.Where((v, i) => !float.IsNaN(x[i])), v => Assert.Equal(0f, v));
            }
        }
    }

    private sealed class LossCheck<TLoss>(TLoss loss) : ICheck
        where TLoss : struct, ILoss<float>
    {
        public void Check()
        {
            for (int n = 0; n <= 67; n++)
            {
                var target = Inputs(n, n, 0, 1);
                var prediction = Inputs(n, n + 1, 0.05, 0.95);
                var values = new float[n];
                var dSum = new float[n];
                var dMean = new float[n];
                loss.Forward(target, prediction, values);
                float sum = loss.Sum(target, prediction, dSum);
                float mean = loss.Mean(target, prediction, dMean);
                TorchReference.Close(values.Sum(v => (double)v), sum, 1e-6, 1e-6, $"n = {n}: sum");
                if (n == 0)
                {
                    Assert.True(float.IsNaN(mean), "the mean of nothing is NaN, as PyTorch's");
                    continue;
                }

                TorchReference.Close(sum / n, mean, 1e-6, 1e-7, $"n = {n}: mean");
                for (int i = 0; i < n; i++)
                {
                    // Mean and Sum round in a different order; where a gradient is a difference of nearly equal
                    // terms (σ(z) − t), that shows relative to the result, not to the terms (~0.1/n here).
                    TorchReference.Close(dSum[i] / n, dMean[i], 1e-6, 3e-7 / n, $"{typeof(TLoss).Name}, n = {n}: mean gradient [{i}]");
                }

                prediction[n - 1] = float.NaN;
                Assert.True(float.IsNaN(loss.Sum(target, prediction, dSum)), $"n = {n}: a NaN prediction did not make the sum NaN");
            }
        }
    }
}

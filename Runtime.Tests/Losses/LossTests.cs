namespace AutoDiff.Runtime.Tests.Reference;

/// <summary>Worked examples of the notes, special values, every length, and allocation of the runtime's losses and activations.</summary>
public sealed class LossTests
{
    private static readonly double Ln10 = System.Math.Log(10);

    [Theory]
    [InlineData(2, 3, "is 3,")]    // in the first vector of targets
    [InlineData(13, 3, "is 3,")]   // in the second
    [InlineData(13, -1, "is -1,")] // negative
    [InlineData(19, 7, "is 7,")]   // in the scalar tail past the last whole vector
    public void A_target_outside_the_row_is_named_before_anything_is_written(int row, int target, string expected)
    {
        const int Rows = 20, Classes = 3;
        var logits = new float[Rows * Classes];
        var targets = new int[Rows];
        targets[row] = target;
        targets[Rows - 1 == row ? 0 : Rows - 1] = 2; // a valid index after the bad one does not hide it
        var dLogits = Enumerable.Repeat(42f, logits.Length).ToArray();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropyMean(Rows, logits, targets, dLogits));
        Assert.Equal("target", error.ParamName);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.All(dLogits, v => Assert.Equal(42f, v));
    }

    [Theory]
    [InlineData(30, 20, 0.02861)]
    [InlineData(30000, 20000, 0.03100)]
    [InlineData(20, 10, 0.07886)]
    [InlineData(20, 30, 0.02861)]
    public void Msle_reproduces_the_notes_table_in_log_base_10(float target, float prediction, double notes)
    {
        // The notes compute with log₁₀; ours is the natural log (Keras, PyTorch): divide by (ln 10)².
        // Four significant digits: within one unit of the table's last digit (30000/20000 is 0.0310056,
        // which the table gives as 0.03100).
        double msle = AutoDiff.Losses.SquaredLogError(target, prediction) / (Ln10 * Ln10);
        double unit = System.Math.Pow(10, System.Math.Floor(System.Math.Log10(notes)) - 3);
        Assert.True(System.Math.Abs(msle - notes) <= unit, $"MSLE/(ln 10)² = {msle:R}, the notes give {notes}");
    }

    [Fact]
    public void Msle_and_mse_rank_the_notes_pairs_as_the_notes_say()
    {
        // Same absolute error (MSE 100) but the underestimate costs more than the overestimate under MSLE.
        Assert.Equal(AutoDiff.Losses.SquaredError(20, 10), AutoDiff.Losses.SquaredError(20, 30));
        Assert.True(AutoDiff.Losses.SquaredLogError(20, 10) > 2 * AutoDiff.Losses.SquaredLogError(20, 30));
    }

    public static TheoryData<string> Activations => new(Operators.Activations.Keys);

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_propagates_nan_and_every_length_matches_the_scalar_form(string name) =>
        Operators.Activations[name].Check();

    public static TheoryData<string> ElementwiseLosses => new(Operators.Losses.Keys);

    [Theory]
    [MemberData(nameof(ElementwiseLosses))]
    public void Loss_propagates_nan_and_every_length_matches_the_scalar_form(string name) =>
        Operators.Losses[name].Check();

    // Huber's linear branch is copysign(δ, r)·r − ½δ²: a NaN residual must still take a NaN gradient (libtorch's), not
    // ±δ as copysign alone would give it, in the scalar form and in every lane of the fused mean; |r| = δ is quadratic.
    [Fact]
    public void Huber_of_a_nan_residual_has_a_nan_gradient_and_the_boundary_is_quadratic()
    {
        Assert.True(float.IsNaN(AutoDiff.Losses.HuberGradient(0f, float.NaN, 1f, out float dNaN)));
        Assert.True(float.IsNaN(dNaN));
        Assert.Equal(2f, AutoDiff.Losses.HuberGradient(1f, 3f, 2f, out float dBoundary)); // ½·2² at |r| = δ
        Assert.Equal(2f, dBoundary);
        Assert.Equal(4f, AutoDiff.Losses.HuberGradient(0f, -3f, 2f, out float dLinear));   // 2·3 − ½·2²
        Assert.Equal(-2f, dLinear);
        foreach (int n in new[] { 1, 7, 8, 9, 67 })
        {
            var target = new float[n];
            var prediction = Enumerable.Range(0, n).Select(i => (i % 3) - 1.5f).ToArray();
            prediction[n / 2] = float.NaN;
            var gradient = new float[n];
            Assert.True(float.IsNaN(AutoDiff.Losses.HuberMean(target, prediction, 1f, gradient)));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(i == n / 2, float.IsNaN(gradient[i]));
            }
        }
    }

    [Fact]
    public void Cross_entropy_of_a_nan_logit_is_nan_and_of_extreme_logits_finite()
    {
        var d = new float[3];
        Assert.True(float.IsNaN(AutoDiff.Losses.CrossEntropyGradient([1f, float.NaN, 0f], 0, d)));
        float loss = AutoDiff.Losses.CrossEntropyGradient([1000f, -1000f, 0f], 1, d);
        Assert.Equal(2000f, loss);
        Assert.Equal([1f, -1f, 0f], d);
    }

    [Fact]
    public void Stable_forms_stay_finite_where_the_naive_formula_overflows()
    {
        Assert.Equal(100f, AutoDiff.Activations.Softplus(100f));
        Assert.Equal(0f, AutoDiff.Losses.BinaryCrossEntropyWithLogits(1f, 200f));
        Assert.Equal(200f, AutoDiff.Losses.BinaryCrossEntropyWithLogits(0f, 200f));
        Assert.Equal(100f - MathF.Log(2f), AutoDiff.Losses.LogCosh(0f, 100f), 4);
        Assert.Equal(100f, AutoDiff.Losses.BinaryCrossEntropy(1f, 0f)); // log 0 clamped at −100, as PyTorch
    }

    [Fact]
    public void Fused_losses_allocate_nothing()
    {
        var random = new Random(9);
        var target = Enumerable.Range(0, 4096).Select(_ => (float)random.NextDouble()).ToArray();
        var prediction = Enumerable.Range(0, 4096).Select(_ => (float)random.NextDouble()).ToArray();
        var gradient = new float[4096];
        var logits = Enumerable.Range(0, 640).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        var dLogits = new float[640];

        void Everything()
        {
            AutoDiff.Losses.HuberMean(target, prediction, 1f, gradient);
            AutoDiff.Losses.BinaryCrossEntropyWithLogitsMean(target, prediction, gradient);
            AutoDiff.Losses.CrossEntropyMean(64, logits, labels, dLogits);
            new AutoDiff.Losses.CrossEntropyOperator().Mean(64, logits, labels, dLogits);
            new AutoDiff.Activations.ReluOperator().Backward(prediction, target, gradient);
            AutoDiff.Activations.Softmax(64, logits, dLogits);
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Everything));
    }
}

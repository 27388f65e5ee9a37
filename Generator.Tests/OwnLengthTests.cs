using System.Reflection;
using AutoDiff.Generator.Tests.Infrastructure;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Row methods the graph holds whose spans have lengths of their own: a span read at fixed indices only (parameters
/// beside data, clad's <c>f(params, constants)</c>) need not be as long as the rows read element by element. Its
/// gradient, Hessian-vector product and Jvp are checked against central differences in double (and the gradient's
/// dot product with the direction) at rows of several lengths beside two parameters; a gradient span of the wrong
/// length, or an index past the parameters, is refused, naming the argument, before anything is written.
/// </summary>
public sealed class OwnLengthTests
{
    private const string Source = """
        using System;
        using AutoDiff;

        namespace Own;

        public static partial class Lengths
        {
            // The squared error of a decay a·e^(−b·t) over data (t, y): two parameters beside rows of any length.
            [Differentiable]
            public static double Decay(ReadOnlySpan<double> theta, [NoDiff] ReadOnlySpan<double> t, [NoDiff] ReadOnlySpan<double> y)
            {
                var a = theta[0];
                var b = theta[1];
                return AD.Sum(t, y, (ti, yi) => (a * Math.Exp(-b * ti) - yi) * (a * Math.Exp(-b * ti) - yi));
            }

            // A weight picked by an index, and the first, times a sum over a row of another length.
            [Differentiable]
            public static double Picked(ReadOnlySpan<double> w, ReadOnlySpan<double> x, int k) => (w[k] * AD.Sum(x, v => v * v)) + (w[0] * w[0]);

            public static double DecayValue(double[] theta, double[] t, double[] y) => Decay(theta, t, y);

            public static double DecayGradient(double[] theta, double[] t, double[] y, double[] d) => DecayGradient(theta.AsSpan(), t, y, d.AsSpan());

            public static double DecayHvp(double[] theta, double[] t, double[] y, double[] v, double[] hv) => DecayHessianVectorProduct(theta, t, y, v, hv);

            public static double DecayTangent(double[] theta, double[] t, double[] y, double[] v, double[] tangent) => DecayJvp(theta, t, y, v, out tangent[0]);

            public static double PickedValue(double[] w, double[] x, int k) => Picked(w, x, k);

            public static double PickedGradient(double[] w, double[] x, int k, double[] dW, double[] dX) => PickedGradient(w.AsSpan(), x, k, dW.AsSpan(), dX);
        }
        """;

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Own.Lengths"));

    private static double Call(string name, params object[] arguments) =>
        (double)Compiled.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static, arguments.Select(a => a.GetType()).ToArray())!.Invoke(null, arguments)!;

    private static (double[] T, double[] Y) Data(int n)
    {
        var random = new Random(n);
        var t = Enumerable.Range(0, n).Select(i => 0.1 * i).ToArray();
        return (t, t.Select(ti => (1.2 * Math.Exp(-0.5 * ti)) + (0.05 * random.NextDouble())).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(67)]
    public void Two_parameters_beside_rows_of_any_length_have_the_gradient_Hessian_vector_product_and_Jvp_of_central_differences(int n)
    {
        var (t, y) = Data(n);
        double[] theta = [1.5, 0.7], direction = [0.3, -0.8];
        double[] d = [double.NaN, double.NaN]; // written over, never added to
        double value = Call("DecayGradient", theta, t, y, d);
        Numerics.Close(Call("DecayValue", theta, t, y), value, 1e-13, "value");
        const double h = 1e-6;
        for (int i = 0; i < 2; i++)
        {
            double[] plus = [.. theta], minus = [.. theta];
            plus[i] += h;
            minus[i] -= h;
            double difference = (Call("DecayValue", plus, t, y) - Call("DecayValue", minus, t, y)) / (2 * h);
            Assert.True(Math.Abs(d[i] - difference) <= 1e-6 * Math.Max(1, Math.Abs(difference)), $"n = {n}: ∂/∂θ{i} {d[i]:R}, central difference {difference:R}");
        }

        // H·v against central differences of the gradient along v.
        double[] hv = [double.NaN, double.NaN];
        double along = Call("DecayHvp", theta, t, y, direction, hv);
        double[] ahead = theta.Select((p, i) => p + (1e-5 * direction[i])).ToArray(), behind = theta.Select((p, i) => p - (1e-5 * direction[i])).ToArray();
        double[] dAhead = new double[2], dBehind = new double[2];
        Call("DecayGradient", ahead, t, y, dAhead);
        Call("DecayGradient", behind, t, y, dBehind);
        for (int i = 0; i < 2; i++)
        {
            double difference = (dAhead[i] - dBehind[i]) / 2e-5;
            Assert.True(Math.Abs(hv[i] - difference) <= 1e-6 * Math.Max(1, Math.Abs(difference)), $"n = {n}: (H·v){i} {hv[i]:R}, central difference {difference:R}");
        }

        double dot = (d[0] * direction[0]) + (d[1] * direction[1]);
        var tangent = new double[1];
        Numerics.Close(value, Call("DecayTangent", theta, t, y, direction, tangent), 1e-13, "Jvp value");
        Assert.True(Math.Abs(tangent[0] - dot) <= 1e-12 * Math.Max(1, Math.Abs(dot)), $"n = {n}: Jvp {tangent[0]:R}, ∇F·v {dot:R}");
        Assert.True(Math.Abs(along - dot) <= 1e-12 * Math.Max(1, Math.Abs(dot)), $"n = {n}: the product's directional derivative {along:R}, ∇F·v {dot:R}");
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(5, 2)]
    [InlineData(40, 1)]
    public void A_weight_picked_by_an_index_beside_a_row_of_another_length_has_the_gradient_of_central_differences(int n, int k)
    {
        var random = new Random(n);
        double[] w = [0.5, -1.0, 2.0];
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] dW = [double.NaN, double.NaN, double.NaN], dX = Enumerable.Repeat(double.NaN, n).ToArray(); // written over
        Call("PickedGradient", w, x, k, dW, dX);
        const double h = 1e-6;
        for (int i = 0; i < 3 + n; i++)
        {
            double[] wPlus = [.. w], wMinus = [.. w], xPlus = [.. x], xMinus = [.. x];
            if (i < 3)
            {
                wPlus[i] += h;
                wMinus[i] -= h;
            }
            else
            {
                xPlus[i - 3] += h;
                xMinus[i - 3] -= h;
            }

            double difference = (Call("PickedValue", wPlus, xPlus, k) - Call("PickedValue", wMinus, xMinus, k)) / (2 * h);
            double entry = i < 3 ? dW[i] : dX[i - 3];
            Assert.True(Math.Abs(entry - difference) <= 1e-6 * Math.Max(1, Math.Abs(difference)), $"n = {n}, k = {k}: entry {i} {entry:R}, central difference {difference:R}");
        }
    }

    [Fact]
    public void A_gradient_span_of_another_length_or_an_index_past_the_parameters_is_refused_naming_it_before_anything_is_written()
    {
        var (t, y) = Data(5);
        var d = new double[] { 7, 7, 7 };
        var error = Assert.Throws<ArgumentException>(() => Unwrap(() => Call("DecayGradient", new[] { 1.5, 0.7 }, t, y, d)));
        Assert.Equal("dTheta", error.ParamName);
        Assert.Contains("one entry per element of 'theta'", error.Message);
        Assert.All(d, v => Assert.Equal(7, v));

        var short2 = new double[] { 7 };
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => Unwrap(() => Call("DecayGradient", new[] { 1.5 }, t, y, short2)));
        Assert.Equal("theta[1]", outside.ParamName);
        Assert.Equal(7, short2[0]);

        double[] dW = [7, 7], dX = new double[4];
        var index = Assert.Throws<ArgumentOutOfRangeException>(() => Unwrap(() => Call("PickedGradient", new[] { 1.0, 2.0 }, new[] { 1.0, 2.0, 3.0, 4.0 }, 2, dW, dX)));
        Assert.Equal("k", index.ParamName);
        Assert.All(dW, v => Assert.Equal(7, v));
    }

    private static void Unwrap(Action call)
    {
        try
        {
            call();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

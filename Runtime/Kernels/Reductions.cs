using System.ComponentModel;

namespace AutoDiff.CompilerServices;

/// <summary>
/// AD's reductions over a row as <c>[Differentiable]</c> methods of their own, for the generated code of a method whose
/// gradient is taped (one with a loop whose count is known only when it runs): there <c>AD.Dot(a, b)</c> is a call of
/// <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, differentiated through the gradient, Jvp and
/// Hessian-vector product the generator writes for it here once, as a call of any method over spans is. Each is the
/// AD method of the same name and signature; a method the graph holds reads AD's reductions directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Reductions
{
    /// <summary>Σᵢ aᵢ.</summary>
    /// <param name="a">The row.</param>
    /// <returns>The sum.</returns>
    [Differentiable]
    public static float Sum(ReadOnlySpan<float> a) => AD.Sum(a);

    /// <inheritdoc cref="Sum(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Sum(ReadOnlySpan<double> a) => AD.Sum(a);

    /// <summary>(1/n)·Σᵢ aᵢ (NaN for an empty row).</summary>
    /// <param name="a">The row.</param>
    /// <returns>The mean.</returns>
    [Differentiable]
    public static float Mean(ReadOnlySpan<float> a) => AD.Mean(a);

    /// <inheritdoc cref="Mean(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Mean(ReadOnlySpan<double> a) => AD.Mean(a);

    /// <summary>maxᵢ aᵢ; its gradient shared evenly by the elements that tie for the maximum, as torch.max's.</summary>
    /// <param name="a">The row.</param>
    /// <returns>The maximum.</returns>
    [Differentiable]
    public static float Max(ReadOnlySpan<float> a) => AD.Max(a);

    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Max(ReadOnlySpan<double> a) => AD.Max(a);

    /// <summary>minᵢ aᵢ; its gradient shared evenly by the elements that tie for the minimum, as torch.min's.</summary>
    /// <param name="a">The row.</param>
    /// <returns>The minimum.</returns>
    [Differentiable]
    public static float Min(ReadOnlySpan<float> a) => AD.Min(a);

    /// <inheritdoc cref="Min(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Min(ReadOnlySpan<double> a) => AD.Min(a);

    /// <summary>log Σᵢ exp(aᵢ), computed without overflow; its gradient is softmax(a).</summary>
    /// <param name="a">The row.</param>
    /// <returns>The log-sum-exp.</returns>
    [Differentiable]
    public static float LogSumExp(ReadOnlySpan<float> a) => AD.LogSumExp(a);

    /// <inheritdoc cref="LogSumExp(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> a) => AD.LogSumExp(a);

    /// <summary>Σᵢ aᵢbᵢ.</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of a's length.</param>
    /// <returns>The dot product.</returns>
    [Differentiable]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Dot(a, b);

    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => AD.Dot(a, b);

    /// <summary>‖a‖₂ = √(Σᵢ aᵢ²); its gradient a/‖a‖ is NaN at a = 0.</summary>
    /// <param name="a">The row.</param>
    /// <returns>The Euclidean norm.</returns>
    [Differentiable]
    public static float Norm(ReadOnlySpan<float> a) => AD.Norm(a);

    /// <inheritdoc cref="Norm(ReadOnlySpan{float})"/>
    [Differentiable]
    public static double Norm(ReadOnlySpan<double> a) => AD.Norm(a);

    /// <summary>‖a − b‖₂² = Σᵢ (aᵢ − bᵢ)².</summary>
    /// <param name="a">The first row.</param>
    /// <param name="b">The second row, of a's length.</param>
    /// <returns>The squared distance.</returns>
    [Differentiable]
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.SquaredDistance(a, b);

    /// <inheritdoc cref="SquaredDistance(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    [Differentiable]
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => AD.SquaredDistance(a, b);
}

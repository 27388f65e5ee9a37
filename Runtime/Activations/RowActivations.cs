using System.Numerics;
using System.Numerics.Tensors;
using AutoDiff.CompilerServices;

namespace AutoDiff;

// Activations whose output is a row, not one number per element: softmax, log-softmax, CReLU.
public static partial class Activations
{
    /// <summary>
    /// softmax over each row: yᵢ = e^(xᵢ)/Σⱼ e^(xⱼ), computed as the gradient of the generated
    /// <see cref="LogSumExp(ReadOnlySpan{float})"/> (∂ log Σ eˣ/∂xᵢ = softmaxᵢ): stable for any logits.
    /// </summary>
    /// <param name="rows">The number of rows; <paramref name="x"/> holds rows × columns values, row after row.</param>
    /// <param name="x">The logits.</param>
    /// <param name="destination">Receives the probabilities; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The lengths do not describe rows × columns; nothing is written then.</exception>
    public static void Softmax(int rows, ReadOnlySpan<float> x, Span<float> destination)
    {
        int columns = Check(rows, x, destination, nameof(destination));
        for (int r = 0; r < rows; r++)
        {
            LogSumExpGradient(x.Slice(r * columns, columns), destination.Slice(r * columns, columns));
        }
    }

    /// <summary>
    /// The backward of <see cref="Softmax(int, ReadOnlySpan{float}, Span{float})"/> from its <em>output</em> y (where every other …Backward takes the input:
    /// hence the name): dxᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ) in each row.
    /// </summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="output">The output y of <see cref="Softmax(int, ReadOnlySpan{float}, Span{float})"/>, not its input.</param>
    /// <param name="upstream">∂L/∂y.</param>
    /// <param name="dX">Receives ∂L/∂x.</param>
    /// <exception cref="ArgumentException">The lengths disagree; nothing is written then.</exception>
    public static void SoftmaxBackwardFromOutput(int rows, ReadOnlySpan<float> output, ReadOnlySpan<float> upstream, Span<float> dX)
    {
        var y = output;
        int columns = Check(rows, y, dX, nameof(dX));
        KernelGuard.SameLength(y.Length, upstream.Length, nameof(upstream), nameof(output));
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * columns, columns);
            var gr = upstream.Slice(r * columns, columns);
            var dr = dX.Slice(r * columns, columns);
            float dot = TensorPrimitives.Dot(gr, yr);
            TensorPrimitives.Subtract(gr, dot, dr);
            TensorPrimitives.Multiply(dr, yr, dr);
        }
    }

    /// <summary>log-softmax over each row: yᵢ = xᵢ − log Σⱼ e^(xⱼ), stable for any logits.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="x">The logits.</param>
    /// <param name="destination">Receives the log-probabilities; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The lengths do not describe rows × columns; nothing is written then.</exception>
    public static void LogSoftmax(int rows, ReadOnlySpan<float> x, Span<float> destination)
    {
        int columns = Check(rows, x, destination, nameof(destination));
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * columns, columns);
            float lse = LogSumExpRowValue(row); // the generated kernel of LogSumExp
            TensorPrimitives.Subtract(row, lse, destination.Slice(r * columns, columns));
        }
    }

    /// <summary>
    /// The backward of <see cref="LogSoftmax(int, ReadOnlySpan{float}, Span{float})"/> from its <em>output</em> y (where every other …Backward takes the
    /// input: hence the name): dxᵢ = gᵢ − e^(yᵢ)·Σⱼ gⱼ in each row.
    /// </summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="output">The output y of <see cref="LogSoftmax(int, ReadOnlySpan{float}, Span{float})"/>, not its input.</param>
    /// <param name="upstream">∂L/∂y.</param>
    /// <param name="dX">Receives ∂L/∂x.</param>
    /// <exception cref="ArgumentException">The lengths disagree; nothing is written then.</exception>
    public static void LogSoftmaxBackwardFromOutput(int rows, ReadOnlySpan<float> output, ReadOnlySpan<float> upstream, Span<float> dX)
    {
        var y = output;
        int columns = Check(rows, y, dX, nameof(dX));
        KernelGuard.SameLength(y.Length, upstream.Length, nameof(upstream), nameof(output));
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * columns, columns);
            var gr = upstream.Slice(r * columns, columns);
            var dr = dX.Slice(r * columns, columns);
            float sum = TensorPrimitives.Sum(gr);
            TensorPrimitives.Exp(yr, dr);
            TensorPrimitives.MultiplyAdd(dr, -sum, gr, dr);
        }
    }

    /// <summary>
    /// CReLU (Shang et al., 2016): each row of n values becomes 2n, [relu(x), relu(−x)], so no sign of the
    /// input is lost; the output is twice as wide.
    /// </summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="x">rows × n inputs.</param>
    /// <param name="destination">Receives rows × 2n outputs: each row's relu(x), then its relu(−x).</param>
    /// <exception cref="ArgumentException">The lengths disagree; nothing is written then.</exception>
    public static void CRelu(int rows, ReadOnlySpan<float> x, Span<float> destination)
    {
        int n = KernelGuard.Columns(rows, x.Length, nameof(x));
        KernelGuard.SameLength(2 * x.Length, destination.Length, nameof(destination), "2 × x");
        if (x.Overlaps(destination))
        {
            throw new ArgumentException("CReLU's output is twice as wide as its input: it cannot be computed in place.", nameof(destination));
        }

        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * n, n);
            var output = destination.Slice(2 * r * n, 2 * n);
            TensorPrimitives.Max(row, 0f, output[..n]);
            TensorPrimitives.Negate(row, output[n..]);
            TensorPrimitives.Max(output[n..], 0f, output[n..]);
        }
    }

    /// <summary>The backward of <see cref="CRelu(int, ReadOnlySpan{float}, Span{float})"/>: dxᵢ = gᵢ·[xᵢ &gt; 0] − g′ᵢ·[xᵢ &lt; 0], with g and g′ the two halves of each upstream row.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="x">The inputs of the forward pass.</param>
    /// <param name="upstream">rows × 2n gradients of the output.</param>
    /// <param name="dX">Receives rows × n gradients of the input.</param>
    /// <exception cref="ArgumentException">The lengths disagree; nothing is written then.</exception>
    public static void CReluBackward(int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> dX)
    {
        int n = KernelGuard.Columns(rows, x.Length, nameof(x));
        KernelGuard.SameLength(2 * x.Length, upstream.Length, nameof(upstream), "2 × x");
        KernelGuard.SameLength(x.Length, dX.Length, nameof(dX), nameof(x));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * n, n);
            var positive = upstream.Slice(2 * r * n, n);
            var negative = upstream.Slice((2 * r * n) + n, n);
            var dr = dX.Slice(r * n, n);
            int i = 0;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(xr[i..]);
                var result = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), new Vector<float>(positive[i..]), Vector<float>.Zero)
                    - Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), new Vector<float>(negative[i..]), Vector<float>.Zero);
                result.CopyTo(dr[i..]);
            }

            for (; i < n; i++)
            {
                dr[i] = (xr[i] > 0 ? positive[i] : 0f) - (xr[i] < 0 ? negative[i] : 0f);
            }
        }
    }

    private static int Check(int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> output, string outputName)
    {
        int columns = KernelGuard.Columns(rows, x.Length, "x");
        KernelGuard.SameLength(x.Length, output.Length, outputName, "x");
        KernelGuard.NoPartialOverlap(x, output, outputName, "x");
        return columns;
    }
}

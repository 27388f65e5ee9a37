using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiff.CompilerServices;

/// <summary>
/// Argument checks the generated span kernels run before they write anything. Public because
/// generated code in user assemblies calls it; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KernelGuard
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> when <paramref name="actual"/> ≠ <paramref name="expected"/>.</summary>
    /// <param name="expected">The length of the first span, <paramref name="reference"/>.</param>
    /// <param name="actual">The length of the span <paramref name="name"/>.</param>
    /// <param name="name">The parameter whose length is checked.</param>
    /// <param name="reference">The parameter whose length every span must have.</param>
    public static void SameLength(int expected, int actual, string name, string reference)
    {
        if (expected != actual)
        {
            ThrowLength(expected, actual, name, reference);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="name"/> when <paramref name="actual"/> ≠
    /// <paramref name="expected"/>: a gradient, direction or tangent span of an input that may have a length of its own
    /// (one read at fixed indices only, beside rows of another length).
    /// </summary>
    /// <param name="expected">The length of the input <paramref name="of"/>.</param>
    /// <param name="actual">The length of the span <paramref name="name"/>.</param>
    /// <param name="name">The parameter whose length is checked.</param>
    /// <param name="of">The input it holds one entry per element of.</param>
    public static void OnePerElement(int expected, int actual, string name, string of)
    {
        if (expected != actual)
        {
            ThrowOnePerElement(expected, actual, name, of);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="outputName"/> when the output overlaps
    /// the input without being the very same span (in place is allowed, a shifted overlap is not).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="input">An input span.</param>
    /// <param name="output">An output span.</param>
    /// <param name="outputName">The output parameter.</param>
    /// <param name="inputName">The input parameter.</param>
    public static void NoPartialOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string outputName, string inputName)
    {
        // Branch-light form of Overlaps(out offset) && offset != 0, which costs a few percent of a 1,000-element
        // kernel (docs/benchmarks.md): the output starts inside the input or the input inside the output.
        nint bytes = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(output));
        if (bytes != 0 && ((nuint)bytes < (nuint)input.Length * (nuint)Unsafe.SizeOf<T>() || (nuint)(-bytes) < (nuint)output.Length * (nuint)Unsafe.SizeOf<T>()))
        {
            ThrowOverlap(outputName, inputName);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="outputName"/> when the output shares any element
    /// with the input, even as the very same span: a gradient written statement by statement reads its inputs again
    /// in its reverse sweep, after it has begun writing the output.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="input">An input span.</param>
    /// <param name="output">An output span.</param>
    /// <param name="outputName">The output parameter.</param>
    /// <param name="inputName">The input parameter.</param>
    public static void NoOverlap<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string outputName, string inputName)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException(
                $"'{outputName}' overlaps '{inputName}': the gradient reads '{inputName}' again after it has begun writing '{outputName}'; pass memory that does not overlap.", outputName);
        }
    }

    /// <summary>
    /// The number of columns of a row-major matrix of <paramref name="rows"/> rows stored in <paramref name="length"/>
    /// elements; throws <see cref="ArgumentException"/> naming <paramref name="name"/> when the length is not a multiple of the rows.
    /// </summary>
    /// <param name="rows">The number of rows (at least 0).</param>
    /// <param name="length">The length of the matrix span.</param>
    /// <param name="name">The matrix parameter.</param>
    /// <returns>length ÷ rows (0 when there are no rows).</returns>
    public static int Columns(int rows, int length, string name)
    {
        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "The number of rows must not be negative.");
        }

        if (rows == 0 ? length != 0 : length % rows != 0)
        {
            throw new ArgumentException($"'{name}' has length {length}, which is not {rows} rows of equal length.", name);
        }

        return rows == 0 ? 0 : length / rows;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless 0 ≤ <paramref name="index"/> &lt; <paramref name="length"/>.</summary>
    /// <param name="index">The index.</param>
    /// <param name="length">The length of the row it indexes.</param>
    /// <param name="name">The index parameter.</param>
    public static void Index(int index, int length, string name)
    {
        if ((uint)index >= (uint)length)
        {
            ThrowIndex(index, length, name);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless every index is in [0, <paramref name="length"/>).</summary>
    /// <param name="indices">One index per row.</param>
    /// <param name="length">The length of the rows they index.</param>
    /// <param name="name">The index parameter.</param>
    public static void Indices(ReadOnlySpan<int> indices, int length, string name)
    {
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)length)
            {
                ThrowIndex(index, length, name);
            }
        }
    }

    /// <summary>
    /// Checks the outputs of a generated Hessian form before anything is written: at least k elements for the
    /// gradient, at least k·k for the Hessian, and no memory shared between them; throws
    /// <see cref="ArgumentException"/> naming the output at fault.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="parameters">k, the number of differentiable parameters.</param>
    /// <param name="gradient">The gradient output.</param>
    /// <param name="hessian">The Hessian output, row-major.</param>
    /// <param name="gradientName">The gradient parameter.</param>
    /// <param name="hessianName">The Hessian parameter.</param>
    public static void HessianOutputs<T>(int parameters, ReadOnlySpan<T> gradient, ReadOnlySpan<T> hessian, string gradientName, string hessianName)
    {
        if (gradient.Length < parameters)
        {
            throw new ArgumentException($"'{gradientName}' has length {gradient.Length}: it needs one element per differentiable parameter, {parameters}.", gradientName);
        }

        if (hessian.Length < parameters * parameters)
        {
            throw new ArgumentException(
                $"'{hessianName}' has length {hessian.Length}: the {parameters} × {parameters} Hessian needs {parameters * parameters} elements, row-major.", hessianName);
        }

        if (gradient.Slice(0, parameters).Overlaps(hessian.Slice(0, parameters * parameters)))
        {
            throw new ArgumentException($"'{hessianName}' overlaps '{gradientName}': pass separate memory for the two.", hessianName);
        }
    }

    [DoesNotReturn]
    private static void ThrowIndex(int index, int length, string name) =>
        throw new ArgumentOutOfRangeException(name, index, $"'{name}' is {index}, outside the row of length {length}.");

    [DoesNotReturn]
    private static void ThrowLength(int expected, int actual, string name, string reference) =>
        throw new ArgumentException(
            $"'{name}' has length {actual}, but '{reference}' has length {expected}: every span must have the same length.", name);

    [DoesNotReturn]
    private static void ThrowOnePerElement(int expected, int actual, string name, string of) =>
        throw new ArgumentException($"'{name}' has length {actual}, but '{of}' has length {expected}: it holds one entry per element of '{of}'.", name);

    [DoesNotReturn]
    private static void ThrowOverlap(string outputName, string inputName) =>
        throw new ArgumentException(
            $"'{outputName}' partially overlaps '{inputName}': pass the same span to work in place, or memory that does not overlap.", outputName);
}

using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace AutoDiff;

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
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            ThrowOverlap(outputName, inputName);
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(int expected, int actual, string name, string reference) =>
        throw new ArgumentException(
            $"'{name}' has length {actual}, but '{reference}' has length {expected}: every span must have the same length.", name);

    [DoesNotReturn]
    private static void ThrowOverlap(string outputName, string inputName) =>
        throw new ArgumentException(
            $"'{outputName}' partially overlaps '{inputName}': pass the same span to work in place, or memory that does not overlap.", outputName);
}

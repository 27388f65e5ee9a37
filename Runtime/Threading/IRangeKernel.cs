namespace AutoDiff.Threading;

/// <summary>
/// Work over a range of elements that <see cref="KernelPool"/> can split into parts and run on several
/// threads. Implemented by (ref) structs, so a parallel loop allocates nothing: no closure, no delegate,
/// no task.
/// </summary>
public interface IRangeKernel
{
    /// <summary>Processes elements [<paramref name="start"/>, <paramref name="end"/>) as part number <paramref name="part"/>.</summary>
    /// <param name="part">The index of the part, 0 ≤ part &lt; parts: a slot for a per-part result.</param>
    /// <param name="start">The first element of the part.</param>
    /// <param name="end">One past the last element of the part.</param>
    void Execute(int part, int start, int end);
}

namespace AutoDiff.Distributed;

/// <summary>
/// The processes that train one model together (PyTorch's process group): each knows its rank among
/// <see cref="Size"/>, and they sum buffers across themselves. Every member must make the same calls in the same order
/// with the same lengths.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="Size"/>; rank 0 reports and writes files.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>bufferᵢ ← Σ over the ranks of their bufferᵢ, in place, the same result on every rank.</summary>
    /// <param name="buffer">This rank's values; the sums on return.</param>
    void AllReduceSum(Span<float> buffer);

    /// <summary>buffer ← rank <paramref name="root"/>'s buffer, on every rank.</summary>
    /// <param name="buffer">The root's values to send, or the place for them on the other ranks.</param>
    /// <param name="root">The rank whose values every rank gets.</param>
    void Broadcast(Span<float> buffer, int root);

    /// <summary>Ends every process of the group at once with <paramref name="exitCode"/>: for a failure on one rank while the others wait in a collective.</summary>
    /// <param name="exitCode">The exit code.</param>
    void Abort(int exitCode);
}

namespace AutoDiff.Distributed;

/// <summary>
/// The processes that <c>mpirun -np N</c> started, as one <see cref="IProcessGroup"/> over Open MPI (its shared
/// memory between processes of a machine, TCP between machines). <see cref="FromEnvironment"/> tells whether this
/// process was so launched; disposing the group finalises MPI.
/// </summary>
public sealed class MpiProcessGroup : IProcessGroup, IDisposable
{
    private bool _disposed;

    private MpiProcessGroup()
    {
        Mpi.Initialize();
        Rank = Mpi.Rank();
        Size = Mpi.Size();
    }

    /// <summary>
    /// The group of this process when Open MPI's <c>mpirun</c> started it (its environment says so), or null when it
    /// runs alone.
    /// </summary>
    /// <returns>The group, MPI initialised; or null.</returns>
    /// <exception cref="DllNotFoundException">Launched by mpirun, but Open MPI's library cannot be loaded (the message says what to install).</exception>
    public static MpiProcessGroup? FromEnvironment() => Launched ? new MpiProcessGroup() : null;

    /// <summary>Whether Open MPI's <c>mpirun</c> started this process (its environment says so); nothing is loaded.</summary>
    public static bool Launched => Mpi.Launched;

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Mpi.AllReduceSum(buffer);
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> buffer, int root)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        Mpi.Broadcast(buffer, root);
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Mpi.Abort(exitCode);

    /// <summary>Finalises MPI: every rank calls it after its last collective.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Mpi.End();
        }
    }
}

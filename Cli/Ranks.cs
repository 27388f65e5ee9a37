using AutoDiff.Distributed;

namespace AutoDiff.Cli;

/// <summary>
/// Runs a command on this process's rank when Open MPI's <c>mpirun</c> started it, or alone otherwise. Rank 0 prints;
/// the other ranks print only their own failures, each line marked with the rank. A failure on any rank ends every
/// rank at once (<c>MPI_Abort</c>), so none waits for it in a collective.
/// </summary>
internal static class Ranks
{
    public static int Run(string command, Func<IProcessGroup?, TextWriter, TextWriter, int> run)
    {
        if (!MpiProcessGroup.Launched)
        {
            return run(null, Console.Out, Console.Error);
        }

        // mpirun gives a rank a pseudo-terminal for its standard output, on which .NET's console would first write
        // terminal set-up codes (ESC[?1h ESC=) into the job's output: the ranks write to the descriptors directly.
        using var output = Descriptor(1);
        using var error = Descriptor(2);
        MpiProcessGroup group;
        try
        {
            group = MpiProcessGroup.FromEnvironment()!;
        }
        catch (DllNotFoundException e)
        {
            error.WriteLine($"autodiff {command}: started by mpirun, but {e.Message}");
            return 2;
        }

        TextWriter errors = group.Rank == 0 ? error : new MarkedWriter(error, $"[rank {group.Rank}] ");
        int code;
        try
        {
            code = run(group, group.Rank == 0 ? output : TextWriter.Null, errors);
        }
        catch (Exception e)
        {
            // Not one of the failures a command reports in a line: a fault of the program, told in full, then every
            // rank ends (the others would wait for this one in their next collective).
            errors.WriteLine($"autodiff {command}: {e}");
            group.Abort(70);
            return 70;
        }

        if (code != 0 && group.Size > 1)
        {
            // A failure every rank meets (a divergence: they hold the same weights) is rank 0's to report: the others
            // give it two seconds to print before they end the job.
            if (group.Rank != 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(2));
            }

            output.Flush();
            error.Flush();
            group.Abort(code);
        }

        group.Dispose();
        return code;
    }

    private static StreamWriter Descriptor(int descriptor) =>
        new(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0)) { AutoFlush = true };

    // Each line written through it starts with a mark (the rank).
    private sealed class MarkedWriter(TextWriter inner, string mark) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value) => inner.WriteLine(mark + value);

        public override void Write(char value) => inner.Write(value);

        public override void Flush() => inner.Flush();
    }
}

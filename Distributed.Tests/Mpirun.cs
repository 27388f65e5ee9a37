using System.Diagnostics;

namespace AutoDiff.Distributed.Tests;

/// <summary>Starts the `autodiff` program, alone or under Open MPI's mpirun, and captures what it writes.</summary>
internal sealed class Mpirun : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    private Mpirun(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Tests run as root in CI: Open MPI refuses that unless told.
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        _process = Process.Start(start) ?? throw new InvalidOperationException($"'{file}' did not start.");
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The program, as the .NET host runs it (the test host is that host).</summary>
    private static string[] Program => [Path.Combine(AppContext.BaseDirectory, "AutoDiff.Cli.dll")];

    /// <summary>`mpirun -np N autodiff ARGS`: every rank on this machine, not bound to a core (see docs/cluster.md).</summary>
    public static Mpirun Start(int ranks, params string[] args) =>
        new("mpirun", ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe", "--bind-to", "none", Environment.ProcessPath!, .. Program, .. args]);

    /// <summary>`autodiff ARGS` alone.</summary>
    public static Mpirun Alone(params string[] args) => new(Environment.ProcessPath!, [.. Program, .. args]);

    /// <summary>mpirun's process.</summary>
    public Process Process => _process;

    /// <summary>Waits for the end (at most <paramref name="seconds"/>, then kills everything) and returns the exit code and the two streams.</summary>
    public (int Code, string Output, string Error) Wait(int seconds = 240)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException($"The run did not end within {seconds} s. Output so far: {_output.Result} {_error.Result}");
        }

        return (_process.ExitCode, _output.Result, _error.Result);
    }

    /// <summary>The process id of rank <paramref name="rank"/>: the child of mpirun whose environment names that rank.</summary>
    public int RankProcess(int rank)
    {
        foreach (string task in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                string status = File.ReadAllText(Path.Combine(task, "status"));
                string parent = status.Split('\n').First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim();
                if (parent != _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    continue;
                }

                string environment = File.ReadAllText(Path.Combine(task, "environ"));
                if (environment.Split('\0').Contains($"OMPI_COMM_WORLD_RANK={rank}"))
                {
                    return int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        throw new InvalidOperationException($"No process of rank {rank} under mpirun {_process.Id}.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

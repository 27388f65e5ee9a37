namespace AutoDiff.Runtime.Tests.Cli;

/// <summary>Runs one of the program's commands in process and captures what it writes.</summary>
internal static class Command
{
    public static (int Code, string Output, string Error) Run(Func<string[], TextWriter, TextWriter, int> command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = command(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

namespace AutoDiff.Cli;

/// <summary>The commands' shared reading of <c>--name value</c> pairs.</summary>
internal static class CommandLine
{
    /// <summary>
    /// Hands each <c>--name value</c> pair of <paramref name="args"/> to <paramref name="apply"/>, which returns why
    /// the pair is wrong or null; stops at the first problem and writes it, naming the command.
    /// </summary>
    /// <returns>Whether every pair was taken.</returns>
    public static bool ReadPairs(string[] args, string command, TextWriter error, Func<string, string, string?> apply)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                error.WriteLine($"autodiff {command}: unexpected argument '{name}'. Run 'autodiff --help'.");
                return false;
            }

            if (i + 1 >= args.Length)
            {
                error.WriteLine($"autodiff {command}: {name} needs a value.");
                return false;
            }

            if (apply(name, args[++i]) is string problem)
            {
                error.WriteLine($"autodiff {command}: {problem}.");
                return false;
            }
        }

        return true;
    }

    /// <summary>An exception's message for a person: without the "(Parameter 'x')" an <see cref="ArgumentException"/> appends.</summary>
    public static string Message(Exception e) =>
        e is ArgumentException { ParamName: string name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
}

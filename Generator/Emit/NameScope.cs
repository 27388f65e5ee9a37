using System.Collections.Generic;

namespace AutoDiff.Generator.Emit;

/// <summary>Hands out identifiers unique within one emitted method.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken = new();

    public NameScope(IEnumerable<string> reserved)
    {
        foreach (var name in reserved)
        {
            _taken.Add(name);
        }
    }

    public string Fresh(string wanted)
    {
        if (_taken.Add(wanted))
        {
            return wanted;
        }

        for (int i = 1; ; i++)
        {
            var candidate = wanted + i;
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    public static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
}

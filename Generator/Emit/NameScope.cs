using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Emit;

/// <summary>Hands out identifiers unique within one emitted method.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken = new();

    /// <summary>
    /// The names of a method's gradient outputs: d + each differentiable parameter's name, made unique among the
    /// parameters' names. The emitter's forms, the taped gradient's body and a supplied derivative's call all use these.
    /// </summary>
    public static string[] GradientNames(IEnumerable<ParameterModel> parameters)
    {
        var all = parameters.ToArray();
        var scope = new NameScope(all.Select(p => p.Name));
        return all.Where(p => p.Role == ParameterRole.Differentiable).Select(p => scope.Fresh("d" + Pascal(p.Name))).ToArray();
    }

    public NameScope(IEnumerable<string> reserved)
    {
        foreach (var name in reserved)
        {
            _taken.Add(name);
        }
    }

    public string Fresh(string wanted)
    {
        var identifier = Identifier(wanted);
        if (_taken.Add(identifier))
        {
            return identifier;
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

    /// <summary>The name as C# source: a reserved keyword gets its @ (<c>@out</c>), anything else stays.</summary>
    public static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>The name with its first letter upper case, without the @ of a keyword (<c>@out</c> → <c>Out</c>).</summary>
    public static string Pascal(string name)
    {
        name = name.TrimStart('@');
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
    }
}

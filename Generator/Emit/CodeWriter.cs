using System;
using System.Collections.Generic;
using System.Text;

namespace AutoDiff.Generator.Emit;

/// <summary>A small indented text writer for emitted source.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>
    /// <paramref name="head"/>(a, b, …)<paramref name="tail"/> on one line where it fits in 160 columns, else one
    /// argument or parameter per line, a level deeper.
    /// </summary>
    public CodeWriter Wrapped(string head, string[] items, string tail)
    {
        string line = $"{head}({string.Join(", ", items)}){tail}";
        if ((_indent * 4) + line.Length <= 160 || items.Length < 2)
        {
            return Line(line);
        }

        Line(head + "(");
        _indent++;
        for (int i = 0; i < items.Length; i++)
        {
            Line(items[i] + (i < items.Length - 1 ? "," : ")" + tail));
        }

        _indent--;
        return this;
    }

    public IDisposable Block(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return new Closer(this);
    }

    /// <summary>True while nothing has been written.</summary>
    public bool IsEmpty => _text.Length == 0;

    /// <summary>A new, empty writer one level deeper, for lines that may go into a block of this one (see <see cref="Append"/>).</summary>
    public CodeWriter Indented() => new() { _indent = _indent + 1 };

    /// <summary>A new, empty writer at this one's level, for lines to be looked over before they are appended.</summary>
    public CodeWriter Beside() => new() { _indent = _indent };

    /// <summary>Writes what <paramref name="other"/> holds, as it is indented there.</summary>
    public void Append(CodeWriter other) => _text.Append(other._text);

    /// <summary>Writes <paramref name="lines"/>, each already indented, as they are.</summary>
    public void AppendLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _text.Append(line).Append('\n');
        }
    }

    public override string ToString() => _text.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly CodeWriter _writer;

        public Closer(CodeWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}

using System.Linq;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// A diagnostic as plain equatable data (a <see cref="Location"/> would pin the syntax tree in the
/// incremental cache): the descriptor's id, the message arguments, and where it points.
/// </summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, string FilePath, int Start, int Length,
    int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
    {
        var span = location.SourceSpan;
        var lines = location.GetLineSpan();
        return new DiagnosticInfo(descriptor.Id, arguments.ToEquatableArray(), location.SourceTree?.FilePath ?? string.Empty,
            span.Start, span.Length, lines.StartLinePosition.Line, lines.StartLinePosition.Character,
            lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    public Diagnostic ToDiagnostic()
    {
        var location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
        var descriptor = DiagnosticDescriptors.Find(Id) ?? DiagnosticDescriptors.InternalError;
        return Diagnostic.Create(descriptor, location, Arguments.Cast<object>().ToArray());
    }
}

/// <summary>
/// What a pipeline stage produced: a model, or the diagnostics that stopped it (or both empty). <paramref name="SignatureErrors"/>:
/// the diagnostics are those of the method's declaration, which the signature analyzer reports unless analyzers are off.
/// </summary>
internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics, bool SignatureErrors = false)
    where T : class;

using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.Generator.Analyzers;

/// <summary>
/// Reports what is wrong with the declaration of a [Differentiable] method — not static (AD0004), a containing
/// type not partial (AD0005), a parameter by reference (AD0003), a type that is not float or double or that
/// mixes them (AD0007, AD0006), generics (AD0014), parameters without a usable role (AD0011, AD0015, AD0016)
/// — as an analyzer, so an editor shows it while the user types and offers the code fixes. The checks are the
/// generator's own (<see cref="DifferentiableGenerator.Parser.Signature"/>); the generator skips such a method
/// without reporting them twice. What the body decides is the generator's to report: a scalar of a row method
/// without a role (AD0018) and an int without a span (AD0007) are errors only where the gradient is not taped.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SignatureAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ParameterByReference,
        DiagnosticDescriptors.MethodNotStatic,
        DiagnosticDescriptors.TypeNotPartial,
        DiagnosticDescriptors.MixedPrecision,
        DiagnosticDescriptors.UnsupportedType,
        DiagnosticDescriptors.UnsupportedSyntax,
        DiagnosticDescriptors.GenericNotSupported,
        DiagnosticDescriptors.NoElementParameter,
        DiagnosticDescriptors.ConflictingRoles);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration);
    }

    private static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (syntax.AttributeLists.Count == 0 ||
            context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method ||
            !DifferentiableGenerator.Parser.HasAttribute(method, DifferentiableGenerator.Parser.DifferentiableAttribute))
        {
            return;
        }

        foreach (var info in DifferentiableGenerator.Parser.Signature(syntax, method, context.SemanticModel, context.CancellationToken))
        {
            if (DiagnosticDescriptors.Find(info.Id) is { } descriptor)
            {
                var location = Location.Create(syntax.SyntaxTree, new TextSpan(info.Start, info.Length));
                context.ReportDiagnostic(Diagnostic.Create(descriptor, location, info.Arguments.Cast<object>().ToArray()));
            }
        }
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.CodeFixes;

/// <summary>
/// AD0009 (a non-differentiable function — Floor, Ceiling, Round, Truncate, Sign — of a differentiable value):
/// marks the parameter [NoDiff] when every use of it in the method is inside such a function, so it never needed a
/// gradient. A parameter also used elsewhere gets no fix: [NoDiff] would silently drop its gradient there.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNoDiffCodeFix)), Shared]
public sealed class AddNoDiffCodeFix : CodeFixProvider
{
    private static readonly ImmutableHashSet<string> StepFunctions = ImmutableHashSet.Create("Floor", "Ceiling", "Round", "Truncate", "Sign");

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("AD0009");

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || root.FindNode(context.Span) is not { } flagged ||
            flagged.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is not { } method)
        {
            return;
        }

        var candidates = flagged.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Select(identifier => model.GetSymbolInfo(identifier, context.CancellationToken).Symbol)
            .OfType<IParameterSymbol>()
            .Where(p => SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, model.GetDeclaredSymbol(method, context.CancellationToken)))
            .Distinct(SymbolEqualityComparer.Default)
            .Cast<IParameterSymbol>();
        foreach (var parameter in candidates)
        {
            if (parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is not ParameterSyntax declaration ||
                !OnlyInStepFunctions(method, parameter, model, context.CancellationToken))
            {
                continue;
            }

            // [NoDiff] where 'using AutoDiff;' is in scope, else its full name.
            bool imported = model.LookupNamespacesAndTypes(declaration.SpanStart, name: "NoDiffAttribute").Any();
            context.RegisterCodeFix(
                CodeAction.Create($"Mark '{parameter.Name}' [NoDiff]", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, AddNoDiff(declaration, imported)))),
                    equivalenceKey: nameof(AddNoDiffCodeFix) + parameter.Name),
                context.Diagnostics);
        }
    }

    // Every reference to the parameter in the method lies in the arguments of Math/MathF Floor, Ceiling, Round, Truncate or Sign.
    private static bool OnlyInStepFunctions(MethodDeclarationSyntax method, IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
    {
        var body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
        if (body is null)
        {
            return false;
        }

        return body.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(identifier => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, parameter))
            .All(identifier => identifier.Ancestors().OfType<InvocationExpressionSyntax>().Any(invocation =>
                invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: var name } access &&
                StepFunctions.Contains(name) && access.Expression.ToString() is "Math" or "MathF" or "System.Math" or "System.MathF" &&
                invocation.ArgumentList.Span.Contains(identifier.Span)));
    }

    private static ParameterSyntax AddNoDiff(ParameterSyntax parameter, bool imported)
    {
        var name = SyntaxFactory.ParseName(imported ? "NoDiff" : "AutoDiff.NoDiff");
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithTrailingTrivia(SyntaxFactory.Space);

        // The parameter's leading trivia moves onto the new attribute, which comes first.
        var first = parameter.GetFirstToken();
        var stripped = parameter.ReplaceToken(first, first.WithLeadingTrivia());
        return stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, attribute.WithLeadingTrivia(first.LeadingTrivia)));
    }
}

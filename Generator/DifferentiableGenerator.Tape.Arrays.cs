using System;
using System.Collections.Generic;
using AutoDiff.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        private sealed partial class Lowering
        {
            // The taped gradient's local arrays and spans: each made beside an adjoint buffer, its elements written and kept.
            private sealed partial class TapeTranslator
            {
                // Span<T> or T[]: the element type, else null.
                private static ITypeSymbol? ElementOf(ITypeSymbol type) => type switch
                {
                    IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
                    INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span => span.TypeArguments[0],
                    _ => null,
                };

                // A local array or stackalloc span of T, declared outside every loop with its length: the method's buffer
                // and its adjoint beside it, both of that length (stackalloc where the method uses stackalloc). Writing
                // an element keeps the value it overwrites; reading one sends its adjoint to the adjoint's element.
                private void LocalArray(ILocalSymbol local, VariableDeclaratorSyntax declarator, CodeWriter forward)
                {
                    var initializer = declarator.Initializer?.Value;
                    bool stack = initializer is StackAllocArrayCreationExpressionSyntax;
                    var ranks = initializer switch
                    {
                        StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax array } => array.RankSpecifiers,
                        ArrayCreationExpressionSyntax { Initializer: null } array => array.Type.RankSpecifiers,
                        _ => default,
                    };
                    var size = ranks.Count == 1 && ranks[0].Sizes.Count == 1 && ranks[0].Sizes[0] is not OmittedArraySizeExpressionSyntax ? ranks[0].Sizes[0] : null;
                    if (size is null || ElementOf(local.Type)!.SpecialType != _l._type || _regions.Count > 1)
                    {
                        Fail(declarator.GetLocation(), $"The local '{local.Name}' of type '{local.Type.ToDisplayString()}' declared so",
                            $"declare a local array or span of {_t} outside every loop, with its length: new {_t}[n] or stackalloc {_t}[n]");
                        return;
                    }

                    var length = PassiveText(size);
                    if (length is null)
                    {
                        return;
                    }

                    string name = _names.Fresh(local.Name), adjoint = _names.Fresh("d" + NameScope.Pascal(local.Name));
                    string type = stack ? $"global::System.Span<{_t}>" : $"{_t}[]";
                    string empty = stack ? $"stackalloc {_t}[0]" : "null";
                    string create = stack ? $"stackalloc {_t}[{length}]" : $"new {_t}[{length}]";
                    _hoisted.Add($"{type} {name} = {empty}, {adjoint} = {empty};");
                    forward.Line($"{name} = {create};");
                    forward.Line($"{adjoint} = {create};");
                    _variables[local] = new Variable(name, Kind.Span, adjoint) { Writable = true };
                }

                // An element of a local array or span written: a[i] = …, a[i] += …, a[i]++. The element's old value is
                // kept; the reverse puts it back, then sends the element's adjoint to what the right side read.
                private void WriteElement(ElementAccessExpressionSyntax element, ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (_l._model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is not { } symbol || !_variables.TryGetValue(symbol, out var span) ||
                        span.Kind != Kind.Span || element.ArgumentList.Arguments.Count != 1)
                    {
                        Fail(element.GetLocation(), "Writing to this element", "write to the elements of a local array or span of the method");
                        return;
                    }

                    if (!span.Writable)
                    {
                        Fail(element.GetLocation(), "Writing to an element of a parameter", $"copy the parameter into a local array (new {_t}[n] or stackalloc {_t}[n]) and write to that");
                        return;
                    }

                    if (PassiveText(element.ArgumentList.Arguments[0].Expression) is not { } index)
                    {
                        return;
                    }

                    var current = new Term(TermKind.Element, $"{span.Name}[{index}]") { Variable = span, Index = index };
                    Term? value = expression switch
                    {
                        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment => Real(assignment.Right),
                        AssignmentExpressionSyntax assignment when Compound(assignment.Kind()) is { } kind => Real(assignment.Right) is { } right ? new Term(kind, string.Empty, current, right) : null,
                        PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax =>
                            new Term(expression.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression ? TermKind.Add : TermKind.Subtract, string.Empty,
                                current, new Term(TermKind.Constant, One)),
                        _ => null,
                    };
                    if (value is null)
                    {
                        if (!_failed)
                        {
                            Fail(expression.GetLocation(), Describe(expression), "assign the element with =, +=, -=, *=, /= or %=, or step it with ++ or --");
                        }

                        return;
                    }

                    forward.Line($"{_tape}.Push({current.Text});");
                    forward.Line($"{current.Text} = {Text(value)};");
                    reverse.Add(w =>
                    {
                        using (w.Block())
                        {
                            string at = _names.Fresh("at"), g = _names.Fresh("g");
                            string after = value.IsLeaf || value.Kind == TermKind.Call ? string.Empty : _names.Fresh("after");
                            w.Line($"int {at} = {index};");
                            if (after.Length > 0)
                            {
                                w.Line($"{_t} {after} = {span.Name}[{at}];");
                            }

                            w.Line($"{span.Name}[{at}] = {_tape}.Pop();");
                            w.Line($"{_t} {g} = {span.Adjoint}[{at}];");
                            w.Line($"{span.Adjoint}[{at}] = {Zero};");
                            Backpropagate(value, g, w, after.Length > 0 ? after : null);
                        }
                    });
                }
            }
        }
    }
}

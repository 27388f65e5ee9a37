using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        // The reductions over a row (methods with span parameters): sums, means, log-sum-exp, max, dot, norm, a[k].
        private sealed partial class Lowering
        {
            // The span parameter an expression names, or -1.
            private int SpanParameter(ExpressionSyntax expression) =>
                expression is IdentifierNameSyntax &&
                _model.GetSymbolInfo(expression, _cancellationToken).Symbol is IParameterSymbol parameter &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method) &&
                _parameters[parameter.Ordinal].Shape == ParameterShape.Span
                    ? parameter.Ordinal
                    : -1;

            private int LowerElementAccess(ElementAccessExpressionSyntax access)
            {
                int span = SpanParameter(access.Expression);
                if (span < 0)
                {
                    return Fail(access, "Indexing anything but a span parameter", "index a ReadOnlySpan parameter of the method with an int parameter");
                }

                var arguments = access.ArgumentList.Arguments;
                if (arguments.Count != 1)
                {
                    return -1; // the compiler reports it
                }

                var index = arguments[0].Expression;
                // The element of a loop over the row: a[i] with i its counter.
                if (_rowIndex is not null && IsCounter(index, _rowIndex))
                {
                    return _graph.Element(span);
                }

                // A constant, or an int known while lowering (an unrolled loop's counter: a[k], a[n - 1 - k]).
                if (TryEvaluateInt(index, out long value))
                {
                    return value < 0
                        ? Fail(index, $"The negative index {value}", "index with a constant from 0 or an int parameter")
                        : _graph.At(span, _graph.Constant(value));
                }

                if (_model.GetSymbolInfo(index, _cancellationToken).Symbol is IParameterSymbol parameter &&
                    SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method) &&
                    _parameters[parameter.Ordinal].Shape == ParameterShape.Index)
                {
                    return _graph.At(span, _graph.Parameter(parameter.Ordinal));
                }

                // Any other int (a local, a computed index, a passive call's value): the tape's to take (AD0001, reported
                // only if the tape fails silently).
                Report(DiagnosticDescriptors.LoopNotSupported, index.GetLocation(), $"The index '{index}'", "an index the graph cannot hold");
                return -1;
            }

            // AD.Sum(a, x => …) and the named reductions, expressed with Sum and MaxOf over elements.
            private int LowerReduction(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                if (callee.Parameters.Any(p => p.Type is INamedTypeSymbol { Name: "ReadOnlySpan" } span && span.TypeArguments[0].SpecialType != _type))
                {
                    Report(DiagnosticDescriptors.MixedPrecision, invocation.GetLocation(), callee.ReturnType.ToDisplayString(), TypeName,
                        $"reduce ReadOnlySpan<{TypeName}> rows");
                    return -1;
                }

                return LowerReduction(invocation, callee.Name, invocation.ArgumentList.Arguments.Select(a => a.Expression).ToList());
            }

            // LINQ over a span parameter (an array, as C# users write it): a.Sum(), a.Sum(x => …), a.Average(),
            // a.Average(x => …), a.Max() are AD.Sum, AD.Mean and AD.Max over the row — one pass, no enumerator, nothing
            // allocated. Null for another (AD0008 then says what to write).
            private int? LowerLinq(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                if (LinqReduction(invocation, callee) is not { } linq)
                {
                    return null;
                }

                int value = LowerReduction(invocation, linq.Name == "Mean" && linq.Arguments.Count == 2 ? "Sum" : linq.Name, linq.Arguments);
                return value >= 0 && linq.Name == "Mean" && linq.Arguments.Count == 2 ? _graph.Divide(value, _graph.Length()) : value;
            }

            // The reduction of AD a call of Enumerable's is (its name: Sum, Mean, Max, Min) and its arguments, the source first;
            // null where there is none (a selector for Max or Min, a source that is not a span of the method, …).
            private (string Name, List<ExpressionSyntax> Arguments)? LinqReduction(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                var arguments = invocation.ArgumentList.Arguments.Select(a => a.Expression).ToList();
                if (callee.ReducedFrom is not null && invocation.Expression is MemberAccessExpressionSyntax member)
                {
                    arguments.Insert(0, member.Expression); // a.Sum(f): the source before the call
                }

                string? name = (callee.Name, arguments.Count) switch
                {
                    ("Sum", 1 or 2) => "Sum",
                    ("Average", 1 or 2) => "Mean",
                    ("Max", 1) => "Max",
                    ("Min", 1) => "Min",
                    _ => null,
                };
                return name is not null && callee.ContainingType.ToDisplayString() == "System.Linq.Enumerable" && SpanParameter(arguments[0]) >= 0 &&
                       (arguments.Count == 1 || arguments[1] is LambdaExpressionSyntax)
                    ? (name, arguments)
                    : null;
            }

            private int LowerReduction(SyntaxNode call, string name, IReadOnlyList<ExpressionSyntax> arguments)
            {
                // In a loop over the row every span means one element: a reduction there would sum over the same index.
                if (_inRowLoop)
                {
                    return Fail(call, $"AD.{name} inside a loop over the row", "compute the reduction before the loop, in a local, and use the local inside");
                }

                var elements = new List<int>();
                LambdaExpressionSyntax? lambda = null;
                foreach (var expression in arguments)
                {
                    if (expression is LambdaExpressionSyntax l)
                    {
                        lambda = l;
                        continue;
                    }

                    if (expression is IdentifierNameSyntax or MemberAccessExpressionSyntax &&
                        _model.GetSymbolInfo(expression, _cancellationToken).Symbol is IMethodSymbol group)
                    {
                        // AD.Sum(a, Square): the lambda it stands for says which elements reach which parameter.
                        var names = string.Join(", ", group.Parameters.Select(p => p.Name));
                        string parameters = group.Parameters.Length == 1 ? names : $"({names})";
                        return Fail(expression.Parent ?? expression, $"The method group '{expression}' as the reduction's function", $"write it as a lambda: {parameters} => {expression}({names})");
                    }

                    int span = SpanParameter(expression);
                    if (span < 0)
                    {
                        Report(DiagnosticDescriptors.SpanMisused, (expression.Parent as ArgumentSyntax ?? (SyntaxNode)expression).GetLocation(), (expression.Parent as ArgumentSyntax)?.ToString() ?? expression.ToString());
                        return -1;
                    }

                    elements.Add(_graph.Element(span));
                }

                if (elements.Count == 0)
                {
                    return -1; // the compiler reports a bad call
                }

                if (name == "Sum" && lambda is not null)
                {
                    int body = LowerLambda(lambda, elements);
                    return body < 0 ? -1 : _graph.Sum(body);
                }

                return Reductions.Lower(_graph, name, elements);
            }

            private int LowerLambda(LambdaExpressionSyntax lambda, List<int> elements)
            {
                if (lambda.ExpressionBody is not { } body)
                {
                    return Fail(lambda, "A lambda with a block body", "write the lambda as an expression (x => …); compute shared values in locals before the call");
                }

                var parameters = lambda switch
                {
                    SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter },
                    ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.ToArray(),
                    _ => Array.Empty<ParameterSyntax>(),
                };
                if (parameters.Length != elements.Count)
                {
                    return -1; // the compiler reports it
                }

                var outer = _locals;
                var locals = outer;
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (_model.GetDeclaredSymbol(parameters[i], _cancellationToken) is not IParameterSymbol symbol)
                    {
                        return -1;
                    }

                    locals = locals.SetItem(symbol, elements[i]);
                }

                int value = LowerValue(body, locals);
                _locals = outer;
                return value;
            }

            // Whether the generator gives the callee no gradient: in this project, when lowering it fails (its own
            // diagnostics say why); in a compiled assembly, when the gradient is not there. With it, whether the callee
            // has a Hessian form. Remembered per callee across the nested lowerings of one method, so a chain of calls
            // is lowered once per method.
            private bool IsRejected(IMethodSymbol callee) => Facts(callee).Rejected;

            private CalleeFacts Facts(IMethodSymbol callee)
            {
                if (_calleeFacts.TryGetValue(callee, out var known))
                {
                    return known;
                }

                CalleeFacts facts;
                if (callee.DeclaringSyntaxReferences.IsEmpty)
                {
                    bool Has(string form) => !callee.ContainingType.GetMembers(callee.Name + form).IsEmpty;
                    facts = new CalleeFacts(!Has("Gradient"), Has("Hessian"), Has("Jvp"), Has("HessianVectorProduct"));
                }
                else
                {
                    var syntax = callee.DeclaringSyntaxReferences
                        .Select(r => r.GetSyntax(_cancellationToken)).OfType<MethodDeclarationSyntax>()
                        .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
                    var model = syntax is null ? null : syntax.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(syntax.SyntaxTree);
                    _calleeFacts[callee] = new CalleeFacts(false, true); // a cycle is the recursion check's to report
                    var result = syntax is null ? null : new Lowering(syntax, callee, model!, _cancellationToken, _calleeFacts).Run();
                    bool rejected = result?.Value is null || result.Diagnostics.Count > 0;
                    var lowered = rejected ? null : result!.Value!;
                    facts = lowered is null ? new CalleeFacts(true, false, false)
                        : lowered.Narrowed ? new CalleeFacts(true, false, false, Narrowed: true)
                        : new CalleeFacts(false, lowered.HasHessian, lowered.HasJvp, lowered.HasHessianVectorProduct);
                }

                _calleeFacts[callee] = facts;
                return facts;
            }

            // Mutual recursion: does any [Differentiable] method reachable from the callee call us back?
            private string? FindCycle(IMethodSymbol start)
            {
                var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { start };
                var queue = new Queue<IMethodSymbol>();
                queue.Enqueue(start);
                while (queue.Count > 0 && seen.Count < 256)
                {
                    var current = queue.Dequeue();
                    foreach (var reference in current.DeclaringSyntaxReferences)
                    {
                        var body = reference.GetSyntax(_cancellationToken);
                        var model = body.SyntaxTree == _model.SyntaxTree ? _model : _model.Compilation.GetSemanticModel(body.SyntaxTree);
                        foreach (var call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
                        {
                            if (model.GetSymbolInfo(call, _cancellationToken).Symbol is not IMethodSymbol next ||
                                !HasAttribute(next, DifferentiableAttribute))
                            {
                                continue;
                            }

                            next = next.OriginalDefinition;
                            if (SymbolEqualityComparer.Default.Equals(next, _method.OriginalDefinition))
                            {
                                return start.Name;
                            }

                            if (seen.Add(next))
                            {
                                queue.Enqueue(next);
                            }
                        }
                    }
                }

                return null;
            }
        }
    }
}

using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        // Loops over the elements of a row: `for (int i = 0; i < a.Length; i++)` and `foreach (var x in a)` in a method over
        // spans, whose body only accumulates (s += …, s -= …, s = s ± …; under if/else too). Such a loop is a sum over the
        // row: the body is lowered once, for one element (a[i] is that element of a, for every span a), with each
        // accumulated local starting at 0, which leaves that element's increment in it; after the loop the local is its
        // value before plus the sum of the increments over the row. It then runs as every reduction does: one Vector<T>
        // pass over the row, its gradient by the reverse pass (no tape: an increment depends on its own element only).
        // A loop that carries anything else from one element to the next (a recurrence h = tanh(w·h + x[i]), a running
        // maximum, a product) is AD0001.
        private sealed partial class Lowering
        {
            private ILocalSymbol? _rowIndex;
            private bool _inRowLoop;

            // Whether `for` is a loop over the row; reports and returns false when it is one in form but not in its body.
            private bool? TryLowerRowFor(ForStatementSyntax loop, Flow flow)
            {
                if (loop.Declaration is not { Variables.Count: 1 } declaration || declaration.Variables[0] is not { Initializer.Value: var start } variable ||
                    _model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol counter || !IsInteger(counter.Type) ||
                    !TryEvaluateInt(start, out long first) || first != 0 || loop.Initializers.Count > 0 ||
                    loop.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression } condition ||
                    !IsCounter(condition.Left, counter) ||
                    condition.Right is not MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } length || SpanParameter(length.Expression) < 0 ||
                    loop.Incrementors.Count != 1 || !IsIncrementOfOne(loop.Incrementors[0], counter))
                {
                    return null;
                }

                return LowerRowLoop(loop.ForKeyword, "for", loop.Statement, counter, element: null, flow);
            }

            private bool? TryLowerRowForEach(ForEachStatementSyntax loop, Flow flow)
            {
                int span = SpanParameter(loop.Expression);
                if (span < 0 || _model.GetDeclaredSymbol(loop, _cancellationToken) is not ILocalSymbol variable)
                {
                    return null;
                }

                return LowerRowLoop(loop.ForEachKeyword, "foreach", loop.Statement, counter: null, element: (variable, _graph.Element(span)), flow);
            }

            private bool LowerRowLoop(SyntaxToken keyword, string kind, StatementSyntax body, ILocalSymbol? counter, (ILocalSymbol Variable, int Element)? element, Flow flow)
            {
                string loop = $"This '{kind}' loop over the row";
                if (_inRowLoop)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), loop,
                        "a loop over the row inside another (a double sum over one row is not a reduction the kernels have)");
                }

                // Every element is visited: no return, and no break or continue of this loop (one of a loop inside it is its own).
                var exit = body.DescendantNodesAndSelf().FirstOrDefault(node => node is ReturnStatementSyntax ||
                    (node is BreakStatementSyntax or ContinueStatementSyntax && node.Ancestors().FirstOrDefault(IsLoop) == body.Parent));
                if (exit is not null)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, exit.GetLocation(), loop,
                        "a return, break or continue in its body (a loop over the row visits every element; select the increment with ?: or if/else instead)");
                }

                var dataFlow = _model.AnalyzeDataFlow(body);
                if (dataFlow is null || !dataFlow.Succeeded)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), loop, "a body whose data flow the compiler cannot analyse");
                }

                if (counter is not null && dataFlow.WrittenInside.Contains(counter, SymbolEqualityComparer.Default))
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), loop, $"its counter '{counter.Name}' assigned in the body");
                }

                // The variables the loop carries from one element to the next: written inside, declared outside.
                var carried = dataFlow.WrittenInside.Except(dataFlow.VariablesDeclared, SymbolEqualityComparer.Default).ToList();
                foreach (var variable in carried)
                {
                    if (variable is ILocalSymbol local && IsInteger(local.Type))
                    {
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), loop,
                            $"the int '{local.Name}' changed per element (an int depends on the data there; count with a {TypeName} sum instead)");
                    }

                    if (FirstNonAccumulatingUse(body, variable) is { } use)
                    {
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, use.GetLocation(), loop,
                            $"'{variable.Name}' carried from one element to the next other than by a sum (only s += …, s -= … and s = s ± … accumulate; a recurrence, a running maximum or a product needs a loop the kernels do not run yet)");
                    }
                }

                // The body for one element, each accumulated variable starting at 0.
                var zero = _graph.Constant(0);
                var inner = new Flow(_graph.Bool(false), -1, flow.Locals);
                foreach (var variable in carried)
                {
                    inner.Locals = inner.Locals.SetItem(variable, zero);
                }

                if (element is { } e)
                {
                    inner.Locals = inner.Locals.SetItem(e.Variable, e.Element);
                }

                (_rowIndex, _inRowLoop) = (counter, true);
                var ints = _ints;
                bool lowered;
                try
                {
                    lowered = LowerStatement(body, inner);
                }
                finally
                {
                    (_rowIndex, _inRowLoop) = (null, false);
                }

                if (!lowered)
                {
                    return false;
                }

                _ints = ints; // the body's own int locals end with it (one the loop carries is refused above)
                if (!IsFalse(inner.Done) || inner.Jump != LoopJump.None)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), loop, "a body that leaves it early");
                }

                foreach (var variable in carried)
                {
                    int before = Current(variable, flow);
                    int increment = inner.Locals[variable];
                    if (before < 0)
                    {
                        return false; // unassigned before the loop: the compiler reports it
                    }

                    Assign(variable, _graph.Add(before, _graph.Sum(increment)), flow);
                }

                return true;
            }

            private static bool IsLoop(SyntaxNode node) => node is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax;

            private bool IsFalse(int condition) => _graph[condition] is { Op: Op.BoolConstant, Value: 0 };

            private bool IsCounter(ExpressionSyntax expression, ILocalSymbol counter) =>
                expression is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(expression, _cancellationToken).Symbol, counter);

            // i++, ++i, i += 1, i = i + 1.
            private bool IsIncrementOfOne(ExpressionSyntax step, ILocalSymbol counter) => step switch
            {
                PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } p => IsCounter(p.Operand, counter),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } p => IsCounter(p.Operand, counter),
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } a => IsCounter(a.Left, counter) && TryEvaluateInt(a.Right, out long by) && by == 1,
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } sum } a =>
                    IsCounter(a.Left, counter) && IsCounter(sum.Left, counter) && TryEvaluateInt(sum.Right, out long one) && one == 1,
                _ => false,
            };

            // The first read of a carried variable other than as the accumulator of s += e, s -= e or s = s ± e ± … (s the
            // leftmost term of a chain of + and −, the rest not reading it); null when every use accumulates.
            private IdentifierNameSyntax? FirstNonAccumulatingUse(StatementSyntax body, ISymbol variable)
            {
                foreach (var identifier in body.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (!Is(identifier, variable))
                    {
                        continue;
                    }

                    bool accumulates = identifier.Parent switch
                    {
                        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression or (int)SyntaxKind.SubtractAssignmentExpression } a => a.Left == identifier,
                        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } a => a.Left == identifier && LeftmostTerm(a.Right) is { } first && Is(first, variable),
                        _ => LeadsSelfSum(identifier, variable),
                    };
                    if (!accumulates)
                    {
                        return identifier;
                    }
                }

                return null;
            }

            // Whether the identifier is the leftmost term of the right side of `s = s ± … ± …`.
            private bool LeadsSelfSum(IdentifierNameSyntax identifier, ISymbol variable)
            {
                SyntaxNode node = identifier;
                while (node.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression } sum && sum.Left == node)
                {
                    node = sum;
                }

                return node != identifier && node.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment &&
                    assignment.Right == node && assignment.Left is IdentifierNameSyntax left && Is(left, variable);
            }

            // The leftmost term of a chain of + and −: `s` of `s - x + y`; null when the expression is no such chain.
            private static IdentifierNameSyntax? LeftmostTerm(ExpressionSyntax expression)
            {
                if (expression is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression })
                {
                    return null;
                }

                while (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression } sum)
                {
                    expression = sum.Left;
                }

                return expression as IdentifierNameSyntax;
            }

            private bool Is(IdentifierNameSyntax identifier, ISymbol variable) =>
                SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(identifier, _cancellationToken).Symbol, variable);
        }
    }
}

using System.Collections.Generic;
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
        // Loops whose trip count is known while lowering: their int counters (and any int local) are evaluated
        // here, in C#'s integer arithmetic, and the body is lowered once per iteration into the graph. The reverse
        // pass then keeps every iteration's carried values as locals of the generated code (a tape on the stack,
        // sized by the iterations), and the loop runs in every form (lanes and spans too): no iteration depends on
        // the data. A loop whose count depends on the data, or a break/continue under a condition on the data, is
        // refused (AD0001) with what to write instead.
        private sealed partial class Lowering
        {
            /// <summary>The most loop iterations one method unrolls, all loops together.</summary>
            internal const int MaxIterations = 256;

            private ImmutableDictionary<ISymbol, long> _ints = ImmutableDictionary.Create<ISymbol, long>(SymbolEqualityComparer.Default);
            private int _iterations;

            // A value as the integer type holds it: C#'s unchecked arithmetic wraps an int at 32 bits.
            private static long Wrap(ITypeSymbol? type, long value) => type?.SpecialType switch
            {
                SpecialType.System_Int32 => (int)value,
                SpecialType.System_Int16 => (short)value,
                SpecialType.System_Byte => (byte)value,
                SpecialType.System_SByte => (sbyte)value,
                SpecialType.System_UInt16 => (ushort)value,
                SpecialType.System_UInt32 => (uint)value,
                _ => value,
            };

            private static bool IsInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32;

            private bool LowerFor(ForStatementSyntax loop, Flow flow)
            {
                if (TryLowerRowFor(loop, flow) is { } overRow)
                {
                    return overRow;
                }

                if (loop.Declaration is { } declaration)
                {
                    foreach (var variable in declaration.Variables)
                    {
                        if (_model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local || !IsInteger(local.Type))
                        {
                            return Unsupported(DiagnosticDescriptors.LoopNotSupported, declaration.Type.GetLocation(), "This 'for' loop",
                                "a counter that is not an int (declare an int counter; it converts to " + TypeName + " where it meets one)");
                        }

                        if (variable.Initializer is not { } initializer || !TryEvaluateInt(initializer.Value, out long start))
                        {
                            return Unsupported(DiagnosticDescriptors.LoopNotSupported, variable.GetLocation(), "This 'for' loop",
                                $"a start for '{local.Name}' that depends on the data");
                        }

                        _ints = _ints.SetItem(local, start);
                    }
                }

                foreach (var initializer in loop.Initializers)
                {
                    if (!LowerClause(initializer, flow))
                    {
                        return false;
                    }
                }

                return Unroll(loop.ForKeyword, "for", loop.Condition, loop.Statement, loop.Incrementors, flow, conditionFirst: true);
            }

            private bool LowerWhile(SyntaxToken keyword, ExpressionSyntax condition, StatementSyntax body, Flow flow, bool conditionFirst) =>
                Unroll(keyword, keyword.Text, condition, body, default, flow, conditionFirst);

            private bool Unroll(SyntaxToken keyword, string kind, ExpressionSyntax? condition, StatementSyntax body,
                SeparatedSyntaxList<ExpressionSyntax> incrementors, Flow flow, bool conditionFirst)
            {
                for (bool first = true; ; first = false)
                {
                    if (!first || conditionFirst)
                    {
                        bool? go = condition is null ? true : TryEvaluateCondition(condition);
                        if (go is null)
                        {
                            return Unsupported(DiagnosticDescriptors.LoopNotSupported, condition!.GetLocation(), $"This '{kind}' loop",
                                "a condition that depends on the data");
                        }

                        if (go == false)
                        {
                            return true;
                        }
                    }

                    if (++_iterations > MaxIterations)
                    {
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, keyword.GetLocation(), $"This '{kind}' loop",
                            $"more than {MaxIterations} iterations in one method, all loops together");
                    }

                    if (!LowerStatement(body, flow))
                    {
                        return false;
                    }

                    var jump = flow.Jump;
                    flow.Jump = LoopJump.None;
                    if (jump == LoopJump.Break || IsTrue(flow.Done))
                    {
                        return true;
                    }

                    foreach (var step in incrementors)
                    {
                        if (!LowerClause(step, flow))
                        {
                            return false;
                        }
                    }
                }
            }

            // A branch on the data may not break, continue or change an int (the unrolling would differ per path).
            private bool CheckDataBranch(IfStatementSyntax statement, Flow whenTrue, Flow whenFalse, ImmutableDictionary<ISymbol, long> intsWhenTrue)
            {
                if (whenTrue.Jump != LoopJump.None || whenFalse.Jump != LoopJump.None)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, statement.IfKeyword.GetLocation(), "This condition around a break or continue",
                        "a value that depends on the data (write the iteration's update with ?: or if/else instead)");
                }

                var changed = InSourceOrder(intsWhenTrue).Concat(InSourceOrder(_ints)).FirstOrDefault(pair =>
                    !intsWhenTrue.TryGetValue(pair.Key, out long a) || !_ints.TryGetValue(pair.Key, out long b) || a != b);
                if (changed.Key is { } variable)
                {
                    return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, statement.IfKeyword.GetLocation(),
                        $"The int local '{variable.Name}' assigned under a condition on the data",
                        "keep int locals to counters and bounds known while compiling; compute with " + TypeName + " values in branches");
                }

                return true;
            }

            // A for loop's initializer or incrementor: an assignment or step, of an int counter or a T local.
            private bool LowerClause(ExpressionSyntax clause, Flow flow) =>
                IsAssignmentOrStep(clause) ? LowerAssignmentOrStep(clause, flow)
                    : Unsupported(DiagnosticDescriptors.UnsupportedSyntax, clause.GetLocation(), Describe(clause), "step the loop counter with ++, --, += or =");

            private static bool IsAssignmentOrStep(ExpressionSyntax expression) => expression is AssignmentExpressionSyntax ||
                expression.RawKind is (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression
                    or (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression;

            // x = …, x op= …, x++, ++x, x--, --x: evaluated now for an int local, into the graph for a T local or parameter.
            private bool LowerAssignmentOrStep(ExpressionSyntax expression, Flow flow)
            {
                var (target, increment) = expression switch
                {
                    AssignmentExpressionSyntax a => (a.Left, false),
                    PostfixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PostIncrementExpression)),
                    PrefixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PreIncrementExpression)),
                    _ => (expression, false),
                };
                if (_model.GetSymbolInfo(target, _cancellationToken).Symbol is ILocalSymbol local && IsInteger(local.Type))
                {
                    return LowerIntStatement(expression, target, local, increment);
                }

                return expression is AssignmentExpressionSyntax assignment ? LowerAssignment(assignment, flow) : LowerStep(target, increment, flow);
            }

            // An int statement: i++, --i, i += k, i = expression, on an int local.
            private bool LowerIntStatement(ExpressionSyntax statement, ExpressionSyntax target, ILocalSymbol local, bool increment)
            {
                long? value = statement is AssignmentExpressionSyntax assignment ? Compound(assignment) : Step(target, increment ? 1 : -1);
                if (value is null)
                {
                    return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, statement.GetLocation(), $"A value of the int '{local.Name}' that depends on the data",
                        "compute int locals from constants and other int locals only");
                }

                _ints = _ints.SetItem(local, Wrap(local.Type, value.Value));
                return true;
            }

            private long? Step(ExpressionSyntax operand, int by) => TryEvaluateInt(operand, out long current) ? current + by : null;

            private long? Compound(AssignmentExpressionSyntax assignment)
            {
                if (!TryEvaluateInt(assignment.Right, out long right))
                {
                    return null;
                }

                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    return right;
                }

                if (!TryEvaluateInt(assignment.Left, out long left))
                {
                    return null;
                }

                return Arithmetic(assignment.Kind() switch
                {
                    SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
                    SyntaxKind.SubtractAssignmentExpression => SyntaxKind.SubtractExpression,
                    SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
                    SyntaxKind.DivideAssignmentExpression => SyntaxKind.DivideExpression,
                    SyntaxKind.ModuloAssignmentExpression => SyntaxKind.ModuloExpression,
                    _ => SyntaxKind.None,
                }, left, right);
            }

            // C#'s integer + − * / % (division truncating towards zero); null for anything else or a division by zero.
            private static long? Arithmetic(SyntaxKind kind, long left, long right) => kind switch
            {
                SyntaxKind.AddExpression => left + right,
                SyntaxKind.SubtractExpression => left - right,
                SyntaxKind.MultiplyExpression => left * right,
                SyntaxKind.DivideExpression when right != 0 => left / right,
                SyntaxKind.ModuloExpression when right != 0 => left % right,
                _ => null,
            };

            // The value of an int expression from constants and int locals, in C#'s integer arithmetic; false when it
            // depends on anything else (a parameter, an element, a float).
            private bool TryEvaluateInt(ExpressionSyntax expression, out long value)
            {
                value = 0;
                var constant = _model.GetConstantValue(expression, _cancellationToken);
                if (constant.HasValue)
                {
                    if (constant.Value is int or long or short or byte or sbyte or ushort or uint)
                    {
                        value = System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
                        return true;
                    }

                    return false;
                }

                switch (expression)
                {
                    case ParenthesizedExpressionSyntax p:
                        return TryEvaluateInt(p.Expression, out value);
                    case IdentifierNameSyntax when _model.GetSymbolInfo(expression, _cancellationToken).Symbol is ILocalSymbol local && _ints.TryGetValue(local, out value):
                        return true;
                    case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negation when TryEvaluateInt(negation.Operand, out long operand):
                        value = -operand;
                        return true;
                    case BinaryExpressionSyntax binary when IsInteger(_model.GetTypeInfo(binary, _cancellationToken).Type) &&
                        TryEvaluateInt(binary.Left, out long left) && TryEvaluateInt(binary.Right, out long right):
                        long? result = Arithmetic(binary.Kind(), left, right);
                        value = Wrap(_model.GetTypeInfo(binary, _cancellationToken).Type, result ?? 0);
                        return result.HasValue;
                    default:
                        return false;
                }
            }

            // A loop condition from constants and int locals: true, false, or null when it depends on the data.
            private bool? TryEvaluateCondition(ExpressionSyntax condition)
            {
                var constant = _model.GetConstantValue(condition, _cancellationToken);
                if (constant.HasValue)
                {
                    return constant.Value as bool?;
                }

                switch (condition)
                {
                    case ParenthesizedExpressionSyntax p:
                        return TryEvaluateCondition(p.Expression);
                    case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                        return !TryEvaluateCondition(not.Operand);
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and:
                        return TryEvaluateCondition(and.Left) is { } l ? (l ? TryEvaluateCondition(and.Right) : false) : null;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } or:
                        return TryEvaluateCondition(or.Left) is { } lo ? (lo ? true : TryEvaluateCondition(or.Right)) : null;
                    case BinaryExpressionSyntax binary when TryEvaluateInt(binary.Left, out long left) && TryEvaluateInt(binary.Right, out long right):
                        return binary.Kind() switch
                        {
                            SyntaxKind.LessThanExpression => left < right,
                            SyntaxKind.LessThanOrEqualExpression => left <= right,
                            SyntaxKind.GreaterThanExpression => left > right,
                            SyntaxKind.GreaterThanOrEqualExpression => left >= right,
                            SyntaxKind.EqualsExpression => left == right,
                            SyntaxKind.NotEqualsExpression => left != right,
                            _ => null,
                        };
                    default:
                        return null;
                }
            }
        }
    }
}

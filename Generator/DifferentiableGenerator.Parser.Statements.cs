using System;
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
        // The statements: the body, locals, assignments, if/else and returns as straight-line code with conditions.
        private sealed partial class Lowering
        {
            private int LowerBody()
            {
                if (_syntax.ExpressionBody is { } arrow)
                {
                    return LowerValue(arrow.Expression);
                }

                if (_syntax.Body is null)
                {
                    return -1;
                }

                var flow = new Flow(_graph.Bool(false), -1, ImmutableDictionary.Create<ISymbol, int>(SymbolEqualityComparer.Default));
                if (!LowerStatements(_syntax.Body.Statements, flow))
                {
                    return -1;
                }

                // The compiler proved every path returns; a Done we cannot reduce to true means a path we lost.
                return _graph[flow.Done] is { Op: Op.BoolConstant, Value: 1 } ? flow.Value : -1;
            }

            private bool LowerStatements(IEnumerable<StatementSyntax> statements, Flow flow)
            {
                foreach (var statement in statements)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    if (_graph[flow.Done] is { Op: Op.BoolConstant, Value: 1 } || flow.Jump != LoopJump.None)
                    {
                        break; // unreachable code after a return, a break or a continue
                    }

                    if (!LowerStatement(statement, flow))
                    {
                        return false;
                    }
                }

                return true;
            }

            private bool LowerStatement(StatementSyntax statement, Flow flow)
            {
                switch (statement)
                {
                    case BlockSyntax block:
                        return LowerStatements(block.Statements, flow);
                    case EmptyStatementSyntax:
                        return true;
                    case LocalFunctionStatementSyntax:
                        return true; // lowered where it is called
                    case LocalDeclarationStatementSyntax declaration:
                        return LowerDeclaration(declaration, flow);
                    case ExpressionStatementSyntax { Expression: var expression } when IsAssignmentOrStep(expression):
                        return LowerAssignmentOrStep(expression, flow);
                    case ReturnStatementSyntax { Expression: { } expression }:
                        int value = LowerValue(expression, flow.Locals);
                        if (value < 0)
                        {
                            return false;
                        }

                        Return(flow, _graph.Bool(true), value);
                        return true;
                    case IfStatementSyntax ifStatement:
                        return LowerIf(ifStatement, flow);
                    case ForStatementSyntax loop:
                        return LowerFor(loop, flow);
                    case WhileStatementSyntax loop:
                        return LowerWhile(loop.WhileKeyword, loop.Condition, loop.Statement, flow, conditionFirst: true);
                    case DoStatementSyntax loop:
                        return LowerWhile(loop.DoKeyword, loop.Condition, loop.Statement, flow, conditionFirst: false);
                    case BreakStatementSyntax:
                        flow.Jump = LoopJump.Break;
                        return true;
                    case ContinueStatementSyntax:
                        flow.Jump = LoopJump.Continue;
                        return true;
                    case ForEachStatementSyntax loop:
                        return TryLowerRowForEach(loop, flow) ?? Unsupported(DiagnosticDescriptors.LoopNotSupported, loop.ForEachKeyword.GetLocation(), "This 'foreach' loop",
                            "a collection other than a span parameter of the method (foreach over a span parameter accumulates over the row)");
                    // A void helper's results come back through its out and ref parameters, and a call whose value is
                    // dropped is there for what it writes: the tape's to follow (AD0001 says so, reported only if the tape
                    // fails silently).
                    case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation }
                        when _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol callee:
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, invocation.GetLocation(), $"The call of '{callee.Name}'",
                            callee.ReturnsVoid ? "results in out or ref arguments" : "its value dropped");
                    // A switch statement: the tape's to follow (AD0001, reported only if the tape fails silently).
                    case SwitchStatementSyntax choice:
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, choice.SwitchKeyword.GetLocation(), "This switch statement", "sections the graph does not hold");
                    case ForEachVariableStatementSyntax loop:
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, loop.ForEachKeyword.GetLocation(), "This 'foreach' loop", "a length known only when it runs");
                    default:
                        return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, statement.GetLocation(), Describe(statement),
                            "write the body with locals, assignments, if/else, switch, for, while, do and foreach loops, break, continue and return");
                }
            }

            private bool Unsupported(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
            {
                Report(descriptor, location, arguments);
                return false;
            }

            private bool LowerDeclaration(LocalDeclarationStatementSyntax declaration, Flow flow)
            {
                if (declaration.IsConst)
                {
                    return true; // read through GetConstantValue where used
                }

                if (declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                {
                    return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, declaration.GetLocation(), "A using declaration",
                        "declare plain locals");
                }

                foreach (var variable in declaration.Declaration.Variables)
                {
                    if (_model.GetDeclaredSymbol(variable, _cancellationToken) is ILocalSymbol counter && IsInteger(counter.Type))
                    {
                        if (variable.Initializer is not { } start || !TryEvaluateInt(start.Value, out long value0))
                        {
                            // What the graph cannot hold, the tape can: AD0001 says so (reported only if the tape fails silently).
                            return Unsupported(DiagnosticDescriptors.LoopNotSupported, variable.GetLocation(), $"The int local '{counter.Name}'", "a value that depends on the data");
                        }

                        _ints = _ints.SetItem(counter, value0);
                        continue;
                    }

                    if (_model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local || !CheckLocalType(local, declaration.Declaration.Type))
                    {
                        return false;
                    }

                    if (variable.Initializer is { } initializer)
                    {
                        int value = LowerLocal(local, initializer.Value, flow.Locals);
                        if (value < 0)
                        {
                            return false;
                        }

                        _graph.Name(value, local.Name);
                        flow.Locals = flow.Locals.SetItem(local, value);
                    }
                }

                return true;
            }

            private bool CheckLocalType(ILocalSymbol local, TypeSyntax typeSyntax)
            {
                var special = local.Type.SpecialType;
                if (special == _type || special == SpecialType.System_Boolean)
                {
                    return true;
                }

                if (special is SpecialType.System_Single or SpecialType.System_Double)
                {
                    return Unsupported(DiagnosticDescriptors.MixedPrecision, typeSyntax.GetLocation(), local.Type.ToDisplayString(), TypeName,
                        $"declare '{local.Name}' as {TypeName}");
                }

                // A local array or span of T or int, a ReadOnlySpan of T (another name for a row), an int or long local: the
                // graph holds no buffers and no integers (an unrolled loop's counter aside), the tape does (AD0001 says
                // so, reported only if the tape fails silently).
                bool buffer = ElementOf(local.Type)?.SpecialType is { } element && (element == _type || element == SpecialType.System_Int32);
                bool view = local.Type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span && span.TypeArguments[0].SpecialType == _type;
                if (buffer || view || special is SpecialType.System_Int32 || IsOtherInteger(special) || local.Type.TypeKind == TypeKind.Enum)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, typeSyntax.GetLocation(), $"The local '{local.Name}'", ElementOf(local.Type) is null ? "an integer type" : "elements written one by one");
                }

                if (FieldsOf(local.Type, _type) is not null)
                {
                    return Unsupported(DiagnosticDescriptors.LoopNotSupported, typeSyntax.GetLocation(), $"The local '{local.Name}'", "fields written one by one");
                }

                return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, typeSyntax.GetLocation(), $"The local '{local.Name}' of type '{local.Type.ToDisplayString()}'",
                    $"declare locals of {TypeName}, integers (int, long, short, char …) and bool, local arrays or spans of {TypeName} or int, and locals of a struct whose fields are {TypeName}");
            }

            // The local or scalar parameter an assignment, ++ or -- writes; null (reported) for anything else. A
            // parameter is a value: assigning it gives later reads the new value (the generated code computes from
            // the graph, so the caller's argument is never written).
            private ISymbol? AssignedVariable(ExpressionSyntax left)
            {
                var target = _model.GetSymbolInfo(left, _cancellationToken).Symbol;
                if (target is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method) && left is IdentifierNameSyntax)
                {
                    if (_parameters[parameter.Ordinal].Shape != ParameterShape.Scalar)
                    {
                        Unsupported(DiagnosticDescriptors.ParameterAssigned, left.GetLocation(), parameter.Name);
                        return null;
                    }

                    return parameter;
                }

                if (target is not ILocalSymbol || left is not IdentifierNameSyntax)
                {
                    Unsupported(DiagnosticDescriptors.UnsupportedSyntax, left.GetLocation(), "Assigning to anything but a local or a parameter",
                        "assign to a local declared in the method, or to a scalar parameter");
                    return null;
                }

                return target;
            }

            // The value a variable holds at this point of the flow: its last assignment, or the parameter itself.
            private int Current(ISymbol variable, Flow flow) =>
                flow.Locals.TryGetValue(variable, out var current) ? current
                : variable is IParameterSymbol parameter ? _graph.Parameter(parameter.Ordinal)
                : -1;

            private bool Assign(ISymbol variable, int value, Flow flow)
            {
                _graph.Name(value, variable.Name);
                flow.Locals = flow.Locals.SetItem(variable, value);
                return true;
            }

            // x++, ++x, x--, --x as statements: x = x ± 1.
            private bool LowerStep(ExpressionSyntax operand, bool increment, Flow flow)
            {
                if (AssignedVariable(operand) is not { } variable)
                {
                    return false;
                }

                int current = Current(variable, flow);
                if (current < 0 || _graph.IsBoolean(current))
                {
                    return false;
                }

                return Assign(variable, increment ? _graph.Add(current, _graph.Constant(1)) : _graph.Subtract(current, _graph.Constant(1)), flow);
            }

            private bool LowerAssignment(AssignmentExpressionSyntax assignment, Flow flow)
            {
                if (IsDeconstruction(assignment))
                {
                    return LowerDeconstruction(assignment, flow);
                }

                if (AssignedVariable(assignment.Left) is not { } variable)
                {
                    return false;
                }

                // x op= e reads x before e runs (C#'s order, which matters where e assigns).
                int current = assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ? -1 : Current(variable, flow);
                int right;
                if (Unparenthesized(assignment.Right) is AssignmentExpressionSyntax inner)
                {
                    // x = (y += e), x = y = e: the inner assignment as a statement of its own, then y's new value.
                    if (AssignedVariable(inner.Left) is not { } target || SymbolEqualityComparer.Default.Equals(target, variable))
                    {
                        return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, inner.GetLocation(), "An assignment inside another to the same variable",
                            "assign in two statements");
                    }

                    right = LowerAssignment(inner, flow) ? Current(target, flow) : -1;
                }
                else
                {
                    right = variable is ILocalSymbol local ? LowerLocal(local, assignment.Right, flow.Locals) : LowerValue(assignment.Right, flow.Locals);
                }

                if (right < 0)
                {
                    return false;
                }

                int value;
                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    value = right;
                }
                else
                {
                    if (current < 0)
                    {
                        return false;
                    }

                    value = assignment.Kind() switch
                    {
                        SyntaxKind.AddAssignmentExpression => _graph.Add(current, right),
                        SyntaxKind.SubtractAssignmentExpression => _graph.Subtract(current, right),
                        SyntaxKind.MultiplyAssignmentExpression => _graph.Multiply(current, right),
                        SyntaxKind.DivideAssignmentExpression => _graph.Divide(current, right),
                        SyntaxKind.ModuloAssignmentExpression => _graph.Function(Op.Remainder, current, right),
                        _ => -1,
                    };
                    if (value < 0)
                    {
                        return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, assignment.OperatorToken.GetLocation(),
                            $"The '{assignment.OperatorToken.Text}' operator", "use =, +=, -=, *=, /= or %=");
                    }
                }

                return Assign(variable, value, flow);
            }

            private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
            {
                while (expression is ParenthesizedExpressionSyntax parenthesized)
                {
                    expression = parenthesized.Expression;
                }

                return expression;
            }

            /// <summary>
            /// One element of a deconstruction: where it is written, the local or parameter it assigns (null for a discard), the
            /// type written where it declares that local (else null), and its value — or, from <c>Math.SinCos(v)</c>, the
            /// function (<see cref="Op.Sin"/>, <see cref="Op.Cos"/>) of the value v.
            /// </summary>
            // Math.SinCos(v), MathF's, float's or double's, or their SinCosPi: its argument and the functions of its two parts.
            private static (ExpressionSyntax Argument, Op Sin, Op Cos)? SinCosOf(ExpressionSyntax expression, SemanticModel model, System.Threading.CancellationToken ct) =>
                expression is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } invocation &&
                model.GetSymbolInfo(invocation, ct).Symbol is IMethodSymbol { Name: "SinCos" or "SinCosPi" } method &&
                method.ContainingType.ToDisplayString() is "System.Math" or "System.MathF" or "double" or "float"
                    ? (arguments[0].Expression, method.Name == "SinCos" ? Op.Sin : Op.SinPi, method.Name == "SinCos" ? Op.Cos : Op.CosPi)
                    : null;

            // Math.SinCos(v).Sin (or .Cos, .Item1, .Item2; SinCosPi's .SinPi, .CosPi): one part, the function of v.
            private static (ExpressionSyntax Argument, Op Function)? SinCosPart(MemberAccessExpressionSyntax member, SemanticModel model, System.Threading.CancellationToken ct) =>
                SinCosOf(Unparenthesized(member.Expression), model, ct) is { } sinCos
                    ? member.Name.Identifier.Text switch
                    {
                        "Sin" or "SinPi" or "Item1" => (sinCos.Argument, sinCos.Sin),
                        "Cos" or "CosPi" or "Item2" => (sinCos.Argument, sinCos.Cos),
                        _ => null,
                    }
                    : null;

            private readonly record struct Deconstructed(ExpressionSyntax Target, ISymbol? Variable, TypeSyntax? DeclaredType, ExpressionSyntax Value, Op? Function = null);

            // Whether an assignment deconstructs: (a, b) = …, var (a, b) = …, (double a, int i) = ….
            private static bool IsDeconstruction(AssignmentExpressionSyntax assignment) =>
                assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Left is TupleExpressionSyntax or DeclarationExpressionSyntax;

            // The elements of (a, b) = (x, y), var (a, b) = (x, y), (double a, _) = (x, y) or var (s, c) = Math.SinCos(x), in
            // order, each value the tuple's element at its place: C# computes every value before it assigns any (a swap, (a, b) = (b, a), needs no
            // temporary in the source). Null, with what to write instead, for a nested tuple, a value that is not a tuple
            // written out, or an element that assigns something other than a local, a parameter or a field of a local.
            private static IReadOnlyList<Deconstructed>? Deconstruction(AssignmentExpressionSyntax assignment, SemanticModel model, System.Threading.CancellationToken ct,
                out (Location Where, string What, string Instead) refusal)
            {
                refusal = default;
                var targets = new List<(ExpressionSyntax Target, ISymbol? Variable, TypeSyntax? Type)>();
                switch (assignment.Left)
                {
                    case DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation } declaration:
                        foreach (var variable in designation.Variables)
                        {
                            switch (variable)
                            {
                                case SingleVariableDesignationSyntax single:
                                    targets.Add((declaration, model.GetDeclaredSymbol(single, ct), declaration.Type));
                                    break;
                                case DiscardDesignationSyntax:
                                    targets.Add((declaration, null, null));
                                    break;
                                default:
                                    refusal = (variable.GetLocation(), "A nested deconstruction", "deconstruct one level: var (a, b) = (x, y)");
                                    return null;
                            }
                        }

                        break;
                    case TupleExpressionSyntax tuple:
                        foreach (var argument in tuple.Arguments)
                        {
                            switch (argument.Expression)
                            {
                                case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single } declaration:
                                    targets.Add((declaration, model.GetDeclaredSymbol(single, ct), declaration.Type));
                                    break;
                                case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax } discard:
                                    targets.Add((discard, null, null));
                                    break;
                                case IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax }:
                                    var symbol = model.GetSymbolInfo(argument.Expression, ct).Symbol;
                                    targets.Add((argument.Expression, symbol is IDiscardSymbol ? null : symbol, null));
                                    break;
                                default:
                                    refusal = (argument.GetLocation(), argument.Expression is TupleExpressionSyntax ? "A nested deconstruction" : "Deconstructing into an element or a member",
                                        "deconstruct one level into locals and parameters, then assign the element from a local");
                                    return null;
                            }
                        }

                        break;
                    default:
                        refusal = (assignment.Left.GetLocation(), "This deconstruction", "deconstruct into locals and parameters: (a, b) = (x, y)");
                        return null;
                }

                // var (sin, cos) = Math.SinCos(v) (or double.SinCosPi(v)): the two functions of v.
                if (targets.Count == 2 && SinCosOf(Unparenthesized(assignment.Right), model, ct) is { } sinCos)
                {
                    return new[] { new Deconstructed(targets[0].Target, targets[0].Variable, targets[0].Type, sinCos.Argument, sinCos.Sin),
                                   new Deconstructed(targets[1].Target, targets[1].Variable, targets[1].Type, sinCos.Argument, sinCos.Cos) };
                }

                if (Unparenthesized(assignment.Right) is not TupleExpressionSyntax values || values.Arguments.Count != targets.Count)
                {
                    refusal = (assignment.Right.GetLocation(), "Deconstructing a value other than a tuple written out", "write the values as a tuple, (a, b) = (x, y), or assign each in a statement");
                    return null;
                }

                return targets.Select((t, i) => new Deconstructed(t.Target, t.Variable, t.Type, values.Arguments[i].Expression)).ToList();
            }

            // (a, b) = (x, y): every value lowered before any is assigned.
            private bool LowerDeconstruction(AssignmentExpressionSyntax assignment, Flow flow)
            {
                if (Deconstruction(assignment, _model, _cancellationToken, out var refusal) is not { } elements)
                {
                    return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, refusal.Where, refusal.What, refusal.Instead);
                }

                var assigned = new List<(ISymbol Variable, int Value)>();
                foreach (var element in elements)
                {
                    if (element.Variable is null)
                    {
                        continue; // a discard: nothing reads it
                    }

                    if (element.Variable is ILocalSymbol local && (IsInteger(local.Type) || IsOtherInteger(local.Type.SpecialType)))
                    {
                        // What the graph cannot hold, the tape can (AD0001, reported only if the tape fails silently).
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, element.Target.GetLocation(), $"The int '{local.Name}' assigned by a deconstruction", "a value the graph does not keep");
                    }

                    ISymbol? variable = element.DeclaredType is { } type
                        ? element.Variable is ILocalSymbol declared && CheckLocalType(declared, type) ? declared : null
                        : AssignedVariable(element.Target);
                    if (variable is null)
                    {
                        return false;
                    }

                    int value = element.Function is { } function ? (LowerValue(element.Value, flow.Locals) is var of and >= 0 ? _graph.Function(function, of) : -1)
                        : variable is ILocalSymbol l ? LowerLocal(l, element.Value, flow.Locals) : LowerValue(element.Value, flow.Locals);
                    if (value < 0)
                    {
                        return false;
                    }

                    assigned.Add((variable, value));
                }

                foreach (var (variable, value) in assigned)
                {
                    Assign(variable, value, flow);
                }

                return true;
            }

            private bool LowerIf(IfStatementSyntax statement, Flow flow)
            {
                int condition = LowerCondition(statement.Condition, flow.Locals);
                if (condition < 0)
                {
                    return false;
                }

                // A condition known while lowering (on loop counters, in an unrolled loop) takes its branch only.
                if (_graph[condition].Op == Op.BoolConstant)
                {
                    var taken = _graph[condition].Value != 0 ? statement.Statement : statement.Else?.Statement;
                    return taken is null || LowerStatement(taken, flow);
                }

                var ints = _ints;
                var whenTrue = new Flow(_graph.Bool(false), -1, flow.Locals);
                var whenFalse = new Flow(_graph.Bool(false), -1, flow.Locals);
                if (!LowerStatement(statement.Statement, whenTrue))
                {
                    return false;
                }

                var intsWhenTrue = _ints;
                _ints = ints;
                if (statement.Else is { } elseClause && !LowerStatement(elseClause.Statement, whenFalse))
                {
                    return false;
                }

                if (!CheckDataBranch(statement, whenTrue, whenFalse, intsWhenTrue))
                {
                    return false;
                }

                // Both branches become selects on the condition: their returns, and every local either assigned.
                int done = _graph.Select(condition, whenTrue.Done, whenFalse.Done);
                int value = whenTrue.Value < 0 ? whenFalse.Value : whenFalse.Value < 0 ? whenTrue.Value : _graph.Select(condition, whenTrue.Value, whenFalse.Value);
                flow.Locals = Merge(condition, whenTrue, whenFalse);
                if (value >= 0)
                {
                    Return(flow, done, value);
                }

                return true;
            }

            private ImmutableDictionary<ISymbol, int> Merge(int condition, Flow whenTrue, Flow whenFalse)
            {
                if (IsTrue(whenTrue.Done))
                {
                    return whenFalse.Locals;
                }

                if (IsTrue(whenFalse.Done))
                {
                    return whenTrue.Locals;
                }

                // In source order: the selects made here become locals of the generated code in the order they are
                // made, and a dictionary of symbols iterates in the order of their hash codes, which differ from one
                // compilation to the next (the output would too).
                // A parameter assigned in one branch only holds the parameter itself in the other (a local declared
                // inside one branch is out of scope after the if: its value is kept, never read).
                var merged = whenTrue.Locals;
                foreach (var pair in InSourceOrder(whenFalse.Locals))
                {
                    if (!merged.TryGetValue(pair.Key, out var value))
                    {
                        merged = merged.SetItem(pair.Key, pair.Key is IParameterSymbol ? Selected(pair.Key, Current(pair.Key, whenTrue), pair.Value) : pair.Value);
                    }
                    else if (value != pair.Value)
                    {
                        merged = merged.SetItem(pair.Key, Selected(pair.Key, value, pair.Value));
                    }
                }

                foreach (var pair in InSourceOrder(whenTrue.Locals).Where(pair => pair.Key is IParameterSymbol && !whenFalse.Locals.ContainsKey(pair.Key)))
                {
                    merged = merged.SetItem(pair.Key, Selected(pair.Key, pair.Value, Current(pair.Key, whenFalse)));
                }

                return merged;

                int Selected(ISymbol variable, int ifTrue, int ifFalse)
                {
                    int select = _graph.Select(condition, ifTrue, ifFalse);
                    _graph.Name(select, variable.Name);
                    return select;
                }
            }

            // The entries of a dictionary of locals (and parameters) in the order of their declarations.
            private static IEnumerable<KeyValuePair<ISymbol, T>> InSourceOrder<T>(ImmutableDictionary<ISymbol, T> variables) =>
                variables.OrderBy(pair => pair.Key.Locations.Length > 0 ? pair.Key.Locations[0].SourceSpan.Start : -1).ThenBy(pair => pair.Key.Name, StringComparer.Ordinal);

            private void Return(Flow flow, int done, int value)
            {
                flow.Value = flow.Value < 0 ? value : _graph.Select(flow.Done, flow.Value, value);
                flow.Done = _graph.Or(flow.Done, done);
            }

            private bool IsTrue(int id) => _graph[id] is { Op: Op.BoolConstant, Value: 1 };
        }
    }
}

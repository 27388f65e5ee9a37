using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        // The expressions: arithmetic, comparisons, the functions of Math and AD (Rules.Functions), calls of other methods.
        private sealed partial class Lowering
        {
            private ImmutableDictionary<ISymbol, int> _locals = ImmutableDictionary.Create<ISymbol, int>(SymbolEqualityComparer.Default);

            // Inside (float)(…) of a float method, where C# computed in double what float values promoted
            // ((float)Math.Exp(x)): the double values are taken as the method's own, differentiated in float.
            private bool _promoted;

            private int LowerValue(ExpressionSyntax expression, ImmutableDictionary<ISymbol, int>? locals = null)
            {
                if (locals is not null)
                {
                    _locals = locals;
                }

                int id = Lower(expression);
                if (id >= 0 && _graph.IsBoolean(id))
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, expression.GetLocation(), "A bool value here",
                        $"use a condition in ?: or if to choose between {TypeName} values");
                    return -1;
                }

                return id;
            }

            private int LowerLocal(ILocalSymbol local, ExpressionSyntax expression, ImmutableDictionary<ISymbol, int> locals) =>
                local.Type.SpecialType == SpecialType.System_Boolean ? LowerCondition(expression, locals) : LowerValue(expression, locals);

            private int LowerCondition(ExpressionSyntax expression, ImmutableDictionary<ISymbol, int> locals)
            {
                _locals = locals;
                int id = Lower(expression);
                return id >= 0 && !_graph.IsBoolean(id) ? -1 : id;
            }

            private int Lower(ExpressionSyntax expression)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var constant = _model.GetConstantValue(expression, _cancellationToken);
                if (constant.HasValue)
                {
                    return LowerConstant(expression, constant.Value);
                }

                // An int expression of counters and constants (i, n - 1 - i) is a number known while lowering.
                if (!_ints.IsEmpty && IsInteger(_model.GetTypeInfo(expression, _cancellationToken).Type) && TryEvaluateInt(expression, out long known))
                {
                    return LowerConstant(expression, known);
                }

                int id = expression switch
                {
                    ParenthesizedExpressionSyntax p => Lower(p.Expression),
                    CheckedExpressionSyntax c => Lower(c.Expression),
                    IdentifierNameSyntax identifier => LowerIdentifier(identifier),
                    BinaryExpressionSyntax binary => LowerBinary(binary),
                    PrefixUnaryExpressionSyntax unary => LowerUnary(unary),
                    ConditionalExpressionSyntax conditional => LowerConditional(conditional),
                    IsPatternExpressionSyntax isPattern => Lower(isPattern.Expression) is var subject and >= 0 ? LowerPattern(isPattern.Pattern, subject) : -1,
                    SwitchExpressionSyntax choice => LowerSwitch(choice),
                    InvocationExpressionSyntax invocation => LowerInvocation(invocation),
                    CastExpressionSyntax cast => LowerCast(cast),
                    MemberAccessExpressionSyntax member => LowerMember(member),
                    ElementAccessExpressionSyntax access => LowerElementAccess(access),
                    _ => Fail(expression, Describe(expression), $"write it with arithmetic, comparisons, ?: and Math/MathF calls on {TypeName} values"),
                };
                return id < 0 ? id : CheckType(expression, id);
            }

            private int Fail(SyntaxNode node, string what, string instead) => Fail(node.GetLocation(), what, instead);

            private int Fail(SyntaxToken token, string what, string instead) => Fail(token.GetLocation(), what, instead);

            private int Fail(Location location, string what, string instead)
            {
                Report(DiagnosticDescriptors.UnsupportedSyntax, location, what, instead);
                return -1;
            }

            // A value of the other floating type (a double literal in a float method promotes the whole
            // expression) is reported where it first appears.
            private int CheckType(ExpressionSyntax expression, int id)
            {
                var info = _model.GetTypeInfo(expression, _cancellationToken);
                var type = info.Type?.SpecialType ?? SpecialType.None;
                if (type == _type || type == SpecialType.System_Boolean || (_promoted && type == SpecialType.System_Double))
                {
                    return id;
                }

                // a.Length is an int; used as a number it converts to the method's type.
                if (_graph[id].Op == Op.Length)
                {
                    return id;
                }

                // Math.Sign returns int; AD.Sign's value, converted back to the method's type, is the same.
                if (_graph[id].Op == Op.Sign && info.ConvertedType?.SpecialType == _type)
                {
                    return id;
                }

                // A float parameter of a double method, read where C# widens it (Math.Pow(x, 2), x * y with y double): its
                // value. (A double parameter of a float method is read in a cast to float: LowerCast.)
                if (ConvertedParameter(expression) is { } converted)
                {
                    if (_type == SpecialType.System_Double && info.ConvertedType?.SpecialType == SpecialType.System_Double)
                    {
                        return id;
                    }

                    Report(DiagnosticDescriptors.MixedPrecision, expression.GetLocation(), converted.Type.ToDisplayString(), TypeName, ConvertedReadAdvice(converted.Name));
                }
                else if (type is SpecialType.System_Single or SpecialType.System_Double)
                {
                    Report(DiagnosticDescriptors.MixedPrecision, expression.GetLocation(), type == SpecialType.System_Double ? "double" : "float",
                        TypeName, Advice());
                }
                else
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, expression.GetLocation(), $"A value of type '{type}'",
                        $"compute with {TypeName} values");
                }

                return -1;
            }

            // The parameter of the other floating type (IsConverted) that an expression reads, or null.
            private IParameterSymbol? ConvertedParameter(ExpressionSyntax expression) =>
                expression is IdentifierNameSyntax && _model.GetSymbolInfo(expression, _cancellationToken).Symbol is IParameterSymbol parameter &&
                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method) && _parameters[parameter.Ordinal].Converted
                    ? parameter
                    : null;

            // Where a parameter of the other floating type is read as it may not be (float arithmetic in a double method).
            private string ConvertedReadAdvice(string name) => _type == SpecialType.System_Double
                ? $"widen it where it is read, as in (double){name}: arithmetic in float on it is not taken"
                : $"narrow it where it is read, as in (float){name}";

            private string Advice() => _type == SpecialType.System_Single
                ? "write float literals such as 2f and call MathF, not Math"
                : "write double literals and call Math";

            private int LowerConstant(ExpressionSyntax expression, object? value)
            {
                var info = _model.GetTypeInfo(expression, _cancellationToken);
                switch (value)
                {
                    case bool b:
                        return _graph.Bool(b);
                    case double when _type == SpecialType.System_Single && info.ConvertedType?.SpecialType == SpecialType.System_Double && !_promoted:
                        Report(DiagnosticDescriptors.MixedPrecision, expression.GetLocation(), "double", TypeName, Advice());
                        return -1;
                    case double or float or int or long or short or byte or sbyte or uint or ulong or ushort or decimal:
                        double number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                        return _graph.Constant(_type == SpecialType.System_Single ? (float)number : number);
                    default:
                        return Fail(expression, "A constant of type " + (info.Type?.ToDisplayString() ?? "null"), $"use {TypeName} constants");
                }
            }

            private int LowerIdentifier(IdentifierNameSyntax identifier)
            {
                var symbol = _model.GetSymbolInfo(identifier, _cancellationToken).Symbol;
                switch (symbol)
                {
                    case IParameterSymbol lambdaParameter when _locals.TryGetValue(lambdaParameter, out var element):
                        return element;
                    case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method):
                        switch (_parameters[parameter.Ordinal].Shape)
                        {
                            case ParameterShape.Span:
                                Report(DiagnosticDescriptors.SpanMisused, identifier.GetLocation(), parameter.Name);
                                return -1;
                            case ParameterShape.Index:
                                Report(DiagnosticDescriptors.IndexMisused, identifier.GetLocation(), parameter.Name);
                                return -1;
                            case ParameterShape.Flag or ParameterShape.Integer or ParameterShape.Indices: // the tape's to read (AD0001, reported only if the tape fails silently)
                                Report(DiagnosticDescriptors.LoopNotSupported, identifier.GetLocation(), $"The {_parameters[parameter.Ordinal].Shape switch { ParameterShape.Flag => "bool", ParameterShape.Indices => "int span", _ => "long" }} parameter '{parameter.Name}'",
                                    "a value the graph cannot hold");
                                return -1;
                        }

                        return _graph.Parameter(parameter.Ordinal);
                    case ILocalSymbol local when _locals.TryGetValue(local, out var value):
                        return value;
                    case ILocalSymbol counter when SymbolEqualityComparer.Default.Equals(counter, _rowIndex):
                        return Fail(identifier, $"The counter '{counter.Name}' of a loop over the row used other than as an index",
                            $"index the row's spans with it exactly ({counter.Name} itself, as in a[{counter.Name}]); the position of an element is not a value the kernels have");
                    case ILocalSymbol:
                        return -1; // unassigned: the compiler reports it
                    case IFieldSymbol or IPropertySymbol:
                        return FieldRead(identifier, symbol);
                    default:
                        return Fail(identifier, $"'{identifier.Identifier.Text}'", "read parameters, locals and constants");
                }
            }

            private int LowerMember(MemberAccessExpressionSyntax member)
            {
                if (member.Name.Identifier.Text == "Length" && SpanParameter(member.Expression) >= 0)
                {
                    return _graph.Length();
                }

                if (SinCosPart(member, _model, _cancellationToken) is { } part)
                {
                    int of = Lower(part.Argument);
                    return of < 0 ? -1 : _graph.Function(part.Function, of);
                }

                var symbol = _model.GetSymbolInfo(member, _cancellationToken).Symbol;
                if (symbol is IFieldSymbol or IPropertySymbol)
                {
                    return FieldRead(member, symbol);
                }

                return Fail(member, $"'{member}'", "read parameters, locals and constants");
            }

            // A static field or property of T, an integer or a bool (static readonly double Scale = …) is a value with
            // no gradient that the tape reads (AD0001, reported only if the tape fails silently); an instance member or
            // an indexer is AD0012.
            private int FieldRead(ExpressionSyntax read, ISymbol symbol)
            {
                if (IsStaticField(symbol))
                {
                    Report(DiagnosticDescriptors.LoopNotSupported, read.GetLocation(), $"The static {(symbol is IFieldSymbol ? "field" : "property")} '{symbol.Name}'", "a value the graph cannot hold");
                    return -1;
                }

                Report(DiagnosticDescriptors.UnsupportedSymbol, read.GetLocation(), read.ToString());
                return -1;
            }

            // A static method, not [Differentiable] nor an extension, that returns an integer or a bool: called as it is,
            // no gradient flowing through what it returns (its arguments integers, bools and values of T: TapeTranslator.PassiveCall).
            internal static bool IsPassiveCall(IMethodSymbol callee) =>
                callee is { IsStatic: true, IsExtensionMethod: false, ReturnsVoid: false, ReturnsByRef: false, MethodKind: not MethodKind.LocalFunction } && !HasAttribute(callee, DifferentiableAttribute) &&
                IsIntegerOrBool(callee.ReturnType);

            // An int, another integer or a bool.
            private static bool IsIntegerOrBool(ITypeSymbol type) => type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Int32 || IsOtherInteger(type.SpecialType);

            // A static field (not const) or a static property with a getter, of float, double, an integer or a bool (the
            // reads check the precision as for any value: a double field in a float method is cast, (float)Scale).
            internal static bool IsStaticField(ISymbol? symbol)
            {
                var type = symbol switch
                {
                    IFieldSymbol { IsStatic: true, IsConst: false } field => field.Type,
                    IPropertySymbol { IsStatic: true, GetMethod: not null, Parameters.Length: 0, ReturnsByRef: false } property => property.Type,
                    _ => null,
                };
                return type is not null && (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double || IsIntegerOrBool(type));
            }

            private int LowerBinary(BinaryExpressionSyntax binary)
            {
                var kind = binary.Kind();
                if (kind == SyntaxKind.IsExpression && _model.GetConstantValue(binary.Right, _cancellationToken).HasValue)
                {
                    kind = SyntaxKind.EqualsExpression; // x is Limits.Zero: a constant pattern that reads as a type test
                }

                if (kind is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.BitwiseAndExpression or SyntaxKind.BitwiseOrExpression)
                {
                    int l = Lower(binary.Left);
                    int r = l < 0 ? -1 : Lower(binary.Right);
                    if (r < 0)
                    {
                        return -1;
                    }

                    if (!_graph.IsBoolean(l) || !_graph.IsBoolean(r))
                    {
                        return Fail(binary.OperatorToken, $"The '{binary.OperatorToken.Text}' operator on numbers", "use && and || on conditions");
                    }

                    return kind is SyntaxKind.LogicalAndExpression or SyntaxKind.BitwiseAndExpression ? _graph.And(l, r) : _graph.Or(l, r);
                }

                Op? op = kind switch
                {
                    SyntaxKind.AddExpression => Op.Add,
                    SyntaxKind.SubtractExpression => Op.Subtract,
                    SyntaxKind.MultiplyExpression => Op.Multiply,
                    SyntaxKind.DivideExpression => Op.Divide,
                    SyntaxKind.ModuloExpression => Op.Remainder,
                    SyntaxKind.LessThanExpression => Op.LessThan,
                    SyntaxKind.LessThanOrEqualExpression => Op.LessThanOrEqual,
                    SyntaxKind.GreaterThanExpression => Op.GreaterThan,
                    SyntaxKind.GreaterThanOrEqualExpression => Op.GreaterThanOrEqual,
                    SyntaxKind.EqualsExpression => Op.Equal,
                    SyntaxKind.NotEqualsExpression => Op.NotEqual,
                    _ => null,
                };
                if (op is null)
                {
                    return Fail(binary.OperatorToken, $"The '{binary.OperatorToken.Text}' operator", "use + - * / % and comparisons");
                }

                int left = Lower(binary.Left);
                int right = left < 0 ? -1 : Lower(binary.Right);
                if (right < 0)
                {
                    return -1;
                }

                bool comparison = op is >= Op.LessThan and <= Op.NotEqual;
                if (_graph.IsBoolean(left) || _graph.IsBoolean(right))
                {
                    return comparison && op is Op.Equal or Op.NotEqual && _graph.IsBoolean(left) && _graph.IsBoolean(right)
                        ? (op == Op.Equal ? _graph.Not(_graph.Compare(Op.NotEqual, left, right)) : _graph.Compare(Op.NotEqual, left, right))
                        : Fail(binary.OperatorToken, $"The '{binary.OperatorToken.Text}' operator on conditions", "combine conditions with &&, || and !");
                }

                return op switch
                {
                    Op.Add => _graph.Add(left, right),
                    Op.Subtract => _graph.Subtract(left, right),
                    Op.Multiply => _graph.Multiply(left, right),
                    Op.Divide => _graph.Divide(left, right),
                    Op.Remainder => _graph.Function(Op.Remainder, left, right),
                    _ => _graph.Compare(op.Value, left, right),
                };
            }

            private string MathClass => _type == SpecialType.System_Single ? "MathF" : "Math";

            private int LowerUnary(PrefixUnaryExpressionSyntax unary)
            {
                switch (unary.Kind())
                {
                    case SyntaxKind.UnaryMinusExpression:
                        int operand = Lower(unary.Operand);
                        return operand < 0 ? -1 : _graph.Negate(operand);
                    case SyntaxKind.UnaryPlusExpression:
                        return Lower(unary.Operand);
                    case SyntaxKind.LogicalNotExpression:
                        int condition = Lower(unary.Operand);
                        return condition < 0 ? -1 : _graph.Not(condition);
                    default:
                        return Fail(unary.OperatorToken, $"The '{unary.OperatorToken.Text}' operator", "assign a new value to a local (x = x + 1)");
                }
            }

            private int LowerConditional(ConditionalExpressionSyntax conditional)
            {
                int condition = Lower(conditional.Condition);
                int whenTrue = condition < 0 ? -1 : Lower(conditional.WhenTrue);
                int whenFalse = whenTrue < 0 ? -1 : Lower(conditional.WhenFalse);
                return whenFalse < 0 ? -1 : _graph.Select(condition, whenTrue, whenFalse);
            }

            // A pattern of constants and comparisons (is > 0 and < 1, is 0 or 1, is not 0) on a subject already lowered:
            // each test a comparison of the subject, so the subject is computed once.
            private int LowerPattern(PatternSyntax pattern, int subject)
            {
                switch (pattern)
                {
                    case ParenthesizedPatternSyntax parenthesized:
                        return LowerPattern(parenthesized.Pattern, subject);
                    case DiscardPatternSyntax: // _ when …: an arm that matches anything its when clause allows
                        return _graph.Bool(true);
                    case UnaryPatternSyntax { Pattern: var inner }: // not
                        int negated = LowerPattern(inner, subject);
                        return negated < 0 ? -1 : _graph.Not(negated);
                    case BinaryPatternSyntax binary:
                        int left = LowerPattern(binary.Left, subject);
                        int right = left < 0 ? -1 : LowerPattern(binary.Right, subject);
                        return right < 0 ? -1 : binary.IsKind(SyntaxKind.AndPattern) ? _graph.And(left, right) : _graph.Or(left, right);
                    case ConstantPatternSyntax { Expression: var constant } when _model.GetConstantValue(constant, _cancellationToken) is { HasValue: true, Value: not (null or double.NaN or float.NaN) }:
                        int value = Lower(constant);
                        if (value < 0)
                        {
                            return -1;
                        }

                        return _graph.IsBoolean(subject) ? _graph.Not(_graph.Compare(Op.NotEqual, subject, value)) : _graph.Compare(Op.Equal, subject, value);
                    case ConstantPatternSyntax { Expression: var constant } when _model.GetConstantValue(constant, _cancellationToken) is { HasValue: true, Value: double.NaN or float.NaN }:
                        return _graph.Compare(Op.NotEqual, subject, subject); // is double.NaN: C# tests double.IsNaN, which == cannot
                    case RelationalPatternSyntax relational when _model.GetConstantValue(relational.Expression, _cancellationToken).HasValue:
                        int bound = Lower(relational.Expression);
                        return bound < 0 ? -1 : _graph.Compare(relational.OperatorToken.Kind() switch
                        {
                            SyntaxKind.LessThanToken => Op.LessThan,
                            SyntaxKind.LessThanEqualsToken => Op.LessThanOrEqual,
                            SyntaxKind.GreaterThanToken => Op.GreaterThan,
                            _ => Op.GreaterThanOrEqual,
                        }, subject, bound);
                    default:
                        return Fail(pattern, $"The pattern '{pattern}'", PatternAdvice);
                }
            }

            internal const string PatternAdvice = "test with constants and comparisons (is > 0 and < 1, is 0 or 1, is not 0); bind a value to a local before the test";

            // x switch { < 0 => a, 0 => b, _ => c }: a select for each arm but the last, which must be a discard (the
            // generator does not prove a switch exhaustive, and C# would throw where none matched).
            private int LowerSwitch(SwitchExpressionSyntax choice)
            {
                if (choice.Arms.LastOrDefault() is not { Pattern: DiscardPatternSyntax, WhenClause: null } last)
                {
                    return Fail(choice.SwitchKeyword, "A switch expression whose last arm is not '_ =>'", "end it with _ => the value where no other arm matches");
                }

                int subject = Lower(choice.GoverningExpression);
                int result = subject < 0 ? -1 : Lower(last.Expression);
                for (int k = choice.Arms.Count - 2; k >= 0 && result >= 0; k--)
                {
                    var arm = choice.Arms[k];
                    int test = LowerPattern(arm.Pattern, subject);
                    if (test >= 0 && arm.WhenClause is { } when)
                    {
                        int condition = Lower(when.Condition);
                        test = condition < 0 ? -1 : _graph.And(test, condition);
                    }

                    int value = test < 0 ? -1 : Lower(arm.Expression);
                    result = value < 0 ? -1 : _graph.Select(test, value, result);
                }

                return result;
            }

            private int LowerCast(CastExpressionSyntax cast)
            {
                // A cast to the method's own type of a value already of that type changes nothing;
                // anything else crosses float/double or leaves the reals.
                var target = _model.GetTypeInfo(cast.Type, _cancellationToken).Type?.SpecialType ?? SpecialType.None;
                if (target == _type && ConvertedParameter(cast.Expression) is { } converted)
                {
                    return _graph.Parameter(converted.Ordinal); // (double)x of a float parameter, (float)x of a double one
                }

                if (target == _type && _type == SpecialType.System_Single && !_promoted &&
                    _model.GetTypeInfo(cast.Expression, _cancellationToken).Type?.SpecialType == SpecialType.System_Double)
                {
                    _promoted = true;
                    int promoted = Lower(cast.Expression);
                    _promoted = false;
                    return promoted;
                }

                if (target == _type || (_promoted && target == SpecialType.System_Double))
                {
                    return Lower(cast.Expression);
                }

                if (target is SpecialType.System_Single or SpecialType.System_Double)
                {
                    Report(DiagnosticDescriptors.MixedPrecision, cast.GetLocation(), target == SpecialType.System_Double ? "double" : "float", TypeName, Advice());
                    return -1;
                }

                return Fail(cast, $"A cast to '{cast.Type}'", $"stay in {TypeName}; {MathClass}.Truncate or Floor of a [NoDiff] value gives whole numbers");
            }

            private int LowerInvocation(InvocationExpressionSyntax invocation)
            {
                if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol callee)
                {
                    return -1;
                }

                // A method returning an integer or a bool of integers, bools and values of T (Factorial(i), int.Max(a, b),
                // a bin's index GetBin(x, n)) is called as it is: the tape's to take (AD0001, reported only if the tape
                // fails silently). Math's (Math.Sign, Math.ILogB) are the function table's.
                if (IsPassiveCall(callee) && callee.Parameters.All(p => IsIntegerOrBool(p.Type) || (p.Type.SpecialType == _type &&
                        callee.ContainingType.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double) && callee.ContainingType.Name is not ("Math" or "MathF"))))
                {
                    Report(DiagnosticDescriptors.LoopNotSupported, invocation.GetLocation(), $"The call of '{callee.Name}'", "an integer or a bool the graph cannot hold");
                    return -1;
                }

                var name = callee.ContainingType?.ToDisplayString() ?? string.Empty;
                var key = callee.Name + "/" + callee.Parameters.Length;
                if (name is "System.Math" or "System.MathF" or "float" or "double" && (Functions.ByMathName.TryGetValue(key, out var op) || callee.Name == "Clamp" || Composites.Keys.Contains(key)))
                {
                    return LowerFunction(invocation, callee, callee.Name == "Clamp" || Composites.Keys.Contains(key) ? null : op);
                }

                if (name == "AutoDiff.AD" && HelperFunctions.TryGetValue(key, out op))
                {
                    return LowerFunction(invocation, callee, op);
                }

                // Math.Round(x, digits), Math.Round(x, mode): piecewise constant as Round(x) is (AD0009 of a value with a
                // gradient); of one without, a value the graph cannot hold, which the tape reads.
                if (name is "System.Math" or "System.MathF" or "float" or "double" && callee.Name == "Round" && invocation.ArgumentList.Arguments.Count > 1)
                {
                    int rounded = Lower(invocation.ArgumentList.Arguments[0].Expression);
                    if (rounded >= 0 && _graph.IsActive(rounded))
                    {
                        Report(DiagnosticDescriptors.NotDifferentiable, invocation.GetLocation(), callee.ContainingType!.Name + ".Round", ActiveParameterOf(rounded));
                    }
                    else if (rounded >= 0)
                    {
                        Report(DiagnosticDescriptors.LoopNotSupported, invocation.GetLocation(), "Round with digits or a mode", "a value the graph cannot hold");
                    }

                    return -1;
                }

                if (name == "AutoDiff.AD" && Reductions.Names.Contains(callee.Name))
                {
                    return LowerReduction(invocation, callee);
                }

                if (HasAttribute(callee, DifferentiableAttribute))
                {
                    return LowerCall(invocation, callee);
                }

                if (name == "System.Linq.Enumerable" && LowerLinq(invocation, callee) is { } linq)
                {
                    return linq;
                }

                if (callee.MethodKind == MethodKind.LocalFunction)
                {
                    return LowerLocalFunction(invocation, callee);
                }

                // Only a method whose source is in this project can be marked; a library's (Math.ScaleB, a package's)
                // cannot, and the advice says so instead of asking for the impossible.
                string known = $"use one of Math/MathF {MathList} or AD {HelperList}";
                string advice = name == "System.Linq.Enumerable" ? LinqAdvice
                    : callee.DeclaringSyntaxReferences.IsEmpty
                    ? $"it is compiled library code, which has no derivative here; {known}, or a [Differentiable] method of your own written with them"
                    : $"mark it [Differentiable] (in a partial type), or {known}";
                Report(DiagnosticDescriptors.UnknownMethod, invocation.GetLocation(), callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), advice);
                return -1;
            }

            internal const string LinqAdvice =
                "write it with AD's reductions over the span, which allocate nothing: AD.Sum(a, x => …), AD.Sum(a), AD.Mean(a), AD.Max(a), AD.Min(a) " +
                "(a.Sum(…), a.Average(…), a.Max() and a.Min() over a span of the method are read as those)";

            private readonly List<IMethodSymbol> _inlining = new(); // the local functions whose bodies are being lowered

            // A local function's declaration, and the one expression it returns where it is that alone (=> e, or { return e; }).
            private static (LocalFunctionStatementSyntax? Declaration, ExpressionSyntax? Expression) LocalFunction(IMethodSymbol callee, System.Threading.CancellationToken ct)
            {
                var declaration = callee.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<LocalFunctionStatementSyntax>().FirstOrDefault();
                var expression = declaration?.ExpressionBody?.Expression ??
                    (declaration?.Body?.Statements is { Count: 1 } statements && statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
                return (declaration, expression);
            }

            // A local function of T's (static double Sq(double v) => v * v, or { return …; }): its expression lowered in
            // place of each call, each parameter bound to its argument; what it reads of the method's locals, their values
            // at the call (C#'s). Any other (a block of statements, ints, bools, no value) is the tape's, which translates
            // its body in place of the call (AD0001, reported only if the tape fails silently).
            private int LowerLocalFunction(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                var body = LocalFunction(callee, _cancellationToken).Expression;
                if (body is null || callee.ReturnType.SpecialType != _type || callee.IsGenericMethod ||
                    callee.Parameters.Any(p => p.Type.SpecialType != _type || p.RefKind != RefKind.None))
                {
                    Report(DiagnosticDescriptors.LoopNotSupported, invocation.GetLocation(), $"The call of the local function '{callee.Name}'",
                        $"a body of statements, or parameters or a result other than {TypeName}");
                    return -1;
                }

                if (_inlining.Contains(callee, SymbolEqualityComparer.Default))
                {
                    Report(DiagnosticDescriptors.Recursion, invocation.GetLocation(), _method.Name, $" through '{callee.Name}'");
                    return -1;
                }

                if (LowerArguments(invocation, callee) is not { } args)
                {
                    return -1;
                }

                var outer = _locals;
                _locals = callee.Parameters.Select((p, i) => (p, i)).Aggregate(outer, (locals, pair) => locals.SetItem(pair.p, args[pair.i]));
                _inlining.Add(callee);
                int value = Lower(body);
                _inlining.RemoveAt(_inlining.Count - 1);
                _locals = outer;
                return value;
            }

            private int[]? LowerArguments(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                var args = new int[callee.Parameters.Length];
                for (int i = 0; i < args.Length; i++)
                {
                    args[i] = -1;
                }

                var arguments = invocation.ArgumentList.Arguments;
                for (int i = 0; i < arguments.Count; i++)
                {
                    var argument = arguments[i];
                    if (argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) && callee.Parameters.Any(p => p.RefKind == RefKind.Ref))
                    {
                        // What a method writes through a ref parameter is the tape's to follow (AD0001 says so, reported
                        // only if the tape fails silently).
                        Report(DiagnosticDescriptors.LoopNotSupported, argument.GetLocation(), $"The call of '{callee.Name}'", "a ref argument it may write");
                        return null;
                    }

                    if (!argument.RefKindKeyword.IsKind(SyntaxKind.None))
                    {
                        Fail(argument, $"A '{argument.RefKindKeyword.Text}' argument", "pass the value");
                        return null;
                    }

                    int index = i;
                    if (argument.NameColon is { } nameColon)
                    {
                        index = callee.Parameters.Select(p => p.Name).ToList().IndexOf(nameColon.Name.Identifier.Text);
                    }

                    if (index < 0 || index >= args.Length)
                    {
                        return null;
                    }

                    args[index] = Lower(argument.Expression);
                    if (args[index] < 0)
                    {
                        return null;
                    }
                }

                for (int i = 0; i < args.Length; i++)
                {
                    if (args[i] < 0)
                    {
                        var parameter = callee.Parameters[i];
                        if (!parameter.HasExplicitDefaultValue || parameter.ExplicitDefaultValue is null)
                        {
                            return null;
                        }

                        double value = Convert.ToDouble(parameter.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture);
                        args[i] = _graph.Constant(_type == SpecialType.System_Single ? (float)value : value);
                    }
                }

                return args;
            }

            private int LowerFunction(InvocationExpressionSyntax invocation, IMethodSymbol callee, Op? op)
            {
                // Math.Exp(float) promotes to double: report it on the call, with the MathF advice — unless a cast back to
                // float takes it ((float)Math.Exp(x): _promoted), computed in float as MathF.Exp.
                var returns = callee.ReturnType.SpecialType;
                if (op != Op.Sign && returns != _type && !(_promoted && returns == SpecialType.System_Double))
                {
                    Report(DiagnosticDescriptors.MixedPrecision, invocation.GetLocation(), callee.ReturnType.ToDisplayString(), TypeName, Advice());
                    return -1;
                }

                var args = LowerArguments(invocation, callee);
                if (args is null)
                {
                    return -1;
                }

                if (op is null && callee.Name == "Clamp")
                {
                    // Clamp(x, lo, hi) = Min(Max(x, lo), hi): PyTorch's clamp gradient, and no rule of its own.
                    return _graph.Function(Op.Min, _graph.Function(Op.Max, args[0], args[1]), args[2]);
                }

                if (op is null)
                {
                    return Composites.Build(callee.Name + "/" + args.Length, new GraphAlgebra(_graph), args);
                }

                if (OpFacts.IsPiecewiseConstant(op.Value) && _graph.IsActive(args[0]))
                {
                    Report(DiagnosticDescriptors.NotDifferentiable, invocation.GetLocation(), callee.ContainingType.Name + "." + callee.Name,
                        ActiveParameterOf(args[0]));
                    return -1;
                }

                return op == Op.NoGradient ? _graph.NoGradient(args[0]) : _graph.Function(op.Value, args);
            }

            private sealed class GraphAlgebra(GraphBuilder graph) : IAlgebra<int>
            {
                public int Constant(double value) => graph.Constant(value);

                public int Add(int a, int b) => graph.Add(a, b);

                public int Subtract(int a, int b) => graph.Subtract(a, b);

                public int Multiply(int a, int b) => graph.Multiply(a, b);

                public int Divide(int a, int b) => graph.Divide(a, b);

                public int Function(Op op, int x) => graph.Function(op, x);

                public int Function(Op op, int x, int y) => graph.Function(op, x, y);
            }

            private string ActiveParameterOf(int id)
            {
                var stack = new Stack<int>();
                var seen = new HashSet<int>();
                stack.Push(id);
                while (stack.Count > 0)
                {
                    var node = _graph[stack.Pop()];
                    if (node.Op is Op.Parameter or Op.Element or Op.At && _parameters[node.Index].Role == ParameterRole.Differentiable)
                    {
                        return _parameters[node.Index].Name;
                    }

                    foreach (var arg in node.Args)
                    {
                        if (seen.Add(arg))
                        {
                            stack.Push(arg);
                        }
                    }
                }

                return "?";
            }

            private int LowerCall(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                callee = callee.OriginalDefinition;
                if (SymbolEqualityComparer.Default.Equals(callee, _method.OriginalDefinition))
                {
                    Report(DiagnosticDescriptors.Recursion, invocation.GetLocation(), _method.Name, string.Empty);
                    return -1;
                }

                if (FindCycle(callee) is { } through)
                {
                    Report(DiagnosticDescriptors.Recursion, invocation.GetLocation(), _method.Name, $" through '{through}'");
                    return -1;
                }

                // A callee over spans or ints is the taped gradient's to follow (AD0001 says so, reported only if the
                // tape fails silently).
                if (callee.Parameters.Any(p => ShapeOf(p.Type, out _) is { } shape && (shape == ParameterShape.Span || shape.IsPassive())))
                {
                    Report(DiagnosticDescriptors.LoopNotSupported, invocation.GetLocation(), $"The call of '{callee.Name}'", "span or int parameters");
                    return -1;
                }

                // Name the type that differs: the result, or the first parameter of the other type.
                var other = callee.ReturnType.SpecialType != _type ? callee.ReturnType : callee.Parameters.FirstOrDefault(p => p.Type.SpecialType != _type)?.Type;
                if (other is not null)
                {
                    string where = callee.ReturnType.SpecialType != _type ? "returns it" : $"takes it for '{callee.Parameters.First(p => p.Type.SpecialType != _type).Name}'";
                    Report(DiagnosticDescriptors.MixedPrecision, invocation.GetLocation(), other.ToDisplayString(), TypeName,
                        $"'{callee.Name}' {where}; call a {TypeName} version of it");
                    return -1;
                }

                if (!callee.IsStatic || callee.IsGenericMethod)
                {
                    return -1; // the callee's own diagnostics say why
                }

                // A callee the generator rejects has no gradient to call: one error here, not compile errors inside
                // this method's generated file.
                if (IsRejected(callee))
                {
                    ReportRejected(callee, invocation.GetLocation());
                    return -1;
                }

                var args = LowerArguments(invocation, callee);
                if (args is null)
                {
                    return -1;
                }

                var parameters = callee.Parameters.Select(p => new ParameterModel(Emit.NameScope.Identifier(p.Name), RoleOf(p))).ToEquatableArray();
                for (int i = 0; i < args.Length; i++)
                {
                    var location = i < invocation.ArgumentList.Arguments.Count ? invocation.ArgumentList.Arguments[i].GetLocation() : invocation.GetLocation();
                    if (parameters[i].Role == ParameterRole.Constant && _graph.IsVarying(args[i]))
                    {
                        Report(DiagnosticDescriptors.ConstantArgumentVaries, location, parameters[i].Name, callee.Name);
                        return -1;
                    }

                    if (parameters[i].Role != ParameterRole.Differentiable && _graph.IsActive(args[i]))
                    {
                        Report(DiagnosticDescriptors.GradientBlocked, location, parameters[i].Name, callee.Name, ActiveParameterOf(args[i]));
                        return -1;
                    }
                }

                var model = new CalleeModel(callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), callee.Name, parameters,
                    HasHessian: Facts(callee).HasHessian);
                int index = _callees.IndexOf(model);
                if (index < 0)
                {
                    index = _callees.Count;
                    _callees.Add(model);
                }

                return _graph.Call(index, args);
            }
        }
    }
}

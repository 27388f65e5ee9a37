using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Emit;
using AutoDiff.Generator.Model;
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
            // Void helpers called as statements: their bodies translated in place of the call.
            private sealed partial class TapeTranslator
            {
                private readonly Stack<IMethodSymbol> _inlined = new(); // the helpers whose bodies are being translated, innermost on top

                // A void [Differentiable] helper called as a statement (Polar(r, t, out x, out y)): its body is translated
                // here, in place of the call, so the forward sweep runs it and the reverse sweep undoes it statement by
                // statement like the method's own, in every form. A value parameter is a local of this method assigned
                // its argument (a copy, as C# passes it); an out or ref parameter is the
                // caller's variable itself, which the body writes as its own; a span parameter the caller's span.
                private void Inline(InvocationExpressionSyntax invocation, IMethodSymbol callee, CodeWriter forward, List<Action<CodeWriter>> reverse, Variable? result = null)
                {
                    if (SymbolEqualityComparer.Default.Equals(callee, _l._method.OriginalDefinition) || _inlined.Contains(callee, SymbolEqualityComparer.Default) ||
                        _l.FindCycle(callee) is not null)
                    {
                        string through = _l.FindCycle(callee) is { } cycle ? $" through '{cycle}'" : string.Empty;
                        _l.Report(DiagnosticDescriptors.Recursion, invocation.GetLocation(), _l._method.Name, through);
                        _failed = true;
                        return;
                    }

                    var syntax = callee.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_l._cancellationToken))
                        .Select(node => node switch
                        {
                            MethodDeclarationSyntax method => (Node: node, method.Body, method.ExpressionBody),
                            LocalFunctionStatementSyntax local => (Node: node, local.Body, local.ExpressionBody),
                            _ => default,
                        })
                        .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
                    if (syntax.Node is null)
                    {
                        Fail(invocation.GetLocation(), $"A call of the void method '{callee.Name}', whose body is not in this compilation",
                            "declare the helper in this project, or make it return its result");
                        return;
                    }

                    if (callee.MethodKind != MethodKind.LocalFunction && _l.IsRejected(callee))
                    {
                        _l.ReportRejected(callee, invocation.GetLocation());
                        _failed = true;
                        return;
                    }

                    if (ByParameter(invocation, callee) is not { } arguments)
                    {
                        return;
                    }

                    // a[i..j] of an array is a new array in C#: what the helper writes into it would not reach a.
                    if (arguments.FirstOrDefault(a => a?.Expression is ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } range } access &&
                            range[0].Expression is RangeExpressionSyntax && _model.GetTypeInfo(access.Expression, _l._cancellationToken).Type is IArrayTypeSymbol) is { } copied)
                    {
                        Fail(copied.GetLocation(), $"'{copied}', a copy of the array's elements, passed to the helper '{callee.Name}'",
                            $"pass a view of them, which the helper's writes reach: {((ElementAccessExpressionSyntax)copied.Expression).Expression}.AsSpan(start, length)");
                        return;
                    }

                    var bound = new List<(IParameterSymbol Parameter, Variable Variable)>();
                    var copyOut = new List<Action>(); // elements passed by reference, written back after the body
                    for (int i = 0; i < arguments.Length; i++)
                    {
                        var parameter = callee.Parameters[i];
                        var argument = arguments[i];
                        var variable = parameter.RefKind is RefKind.Out or RefKind.Ref ? ResultArgument(argument!, invocation, copyOut, forward, reverse)
                            : (ShapeOf(parameter.Type, out _) == ParameterShape.Span || ElementOf(parameter.Type) is not null) && argument is not null ? RowArgument(argument.Expression)?.Variable
                            : Copy(parameter, argument?.Expression, forward, reverse);
                        if (variable is null)
                        {
                            return;
                        }

                        bound.Add((parameter, variable));
                    }

                    // The body, read with the helper's own semantic model (it may live in another file).
                    var saved = _model;
                    _model = syntax.Node.SyntaxTree == saved.SyntaxTree ? saved : saved.Compilation.GetSemanticModel(syntax.Node.SyntaxTree);
                    foreach (var (parameter, variable) in bound)
                    {
                        _variables[parameter] = variable;
                    }

                    if (syntax.Body is { } body && _model.AnalyzeDataFlow(body) is { Succeeded: true } flow)
                    {
                        _read.UnionWith(flow.ReadInside);
                    }

                    StaticArrays(syntax.Node);

                    _inlined.Push(callee);
                    var outer = _returnInto;
                    _returnInto = result;
                    if (syntax.Body is { } block)
                    {
                        Statement(block, forward, reverse);
                    }
                    else if (result is not null && !ReferenceEquals(result, Discarded))
                    {
                        if (InlineWritingCalls(syntax.ExpressionBody!.Expression, forward, reverse) && RunAssignment(syntax.ExpressionBody.Expression, forward, reverse) is { } read)
                        {
                            Assign(result, SyntaxKind.SimpleAssignmentExpression, read, forward, reverse, keep: _regions.Count > 1);
                        }
                    }
                    else if (InlineWritingCalls(syntax.ExpressionBody!.Expression, forward, reverse) && (result is null || IsStatementExpression(syntax.ExpressionBody.Expression)))
                    {
                        Effect(syntax.ExpressionBody.Expression, forward, reverse); // a value dropped: only what it writes is left
                    }

                    _returnInto = outer;
                    _inlined.Pop();
                    _model = saved;
                    foreach (var write in copyOut)
                    {
                        write();
                    }
                }

                // The arguments of a call in the order of the callee's parameters: named ones where their names say, null
                // for one left to its default value; null (reported) for a name the callee does not have or an argument
                // left out without a default.
                private ArgumentSyntax?[]? ByParameter(InvocationExpressionSyntax invocation, IMethodSymbol callee)
                {
                    var byParameter = new ArgumentSyntax?[callee.Parameters.Length];
                    var arguments = invocation.ArgumentList.Arguments;
                    for (int i = 0; i < arguments.Count; i++)
                    {
                        int index = arguments[i].NameColon is { } named ? callee.Parameters.Select(p => p.Name).ToList().IndexOf(named.Name.Identifier.Text) : i;
                        if (index < 0 || index >= byParameter.Length || byParameter[index] is not null)
                        {
                            Fail(arguments[i].GetLocation(), $"The argument '{arguments[i]}' of a call of '{callee.Name}'", "pass each parameter one argument, in order or by its name");
                            return null;
                        }

                        byParameter[index] = arguments[i];
                    }

                    for (int i = 0; i < byParameter.Length; i++)
                    {
                        if (byParameter[i] is null && !callee.Parameters[i].HasExplicitDefaultValue)
                        {
                            Fail(invocation.GetLocation(), $"A call of '{callee.Name}' without an argument for '{callee.Parameters[i].Name}'", "pass it, or give the parameter a default value");
                            return null;
                        }
                    }

                    return byParameter;
                }

                // A parameter's default value as the generated code writes it.
                private string DefaultText(IParameterSymbol parameter) => parameter.ExplicitDefaultValue switch
                {
                    bool b => b ? "true" : "false",
                    null => "default",
                    var value when parameter.Type.TypeKind == TypeKind.Enum && IntegerText(value) is { } number => EnumConstant(parameter.Type, number),
                    var value when IntegerText(value) is { } integer => integer,
                    var value => RealLiteral(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
                };

                // A value parameter's copy: a local of this method assigned the argument (its default value where the call
                // leaves it out).
                private Variable? Copy(IParameterSymbol parameter, ExpressionSyntax? argument, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (KindOf(parameter.Type) is not { } kind)
                    {
                        Fail((argument ?? (SyntaxNode)parameter.DeclaringSyntaxReferences[0].GetSyntax(_l._cancellationToken)).GetLocation(),
                            $"The argument for '{parameter.Name}' of type '{parameter.Type.ToDisplayString()}'", $"pass {_l.TypeName}, integers, bools or spans of {_l.TypeName}");
                        return null;
                    }

                    string? integerType = kind == Kind.Integer ? parameter.Type.ToDisplayString() : null;
                    string name = Hoist(_names.Fresh(parameter.Name), kind, integerType);
                    string? adjoint = null;
                    if (kind == Kind.Real)
                    {
                        adjoint = _names.Fresh("d" + NameScope.Pascal(parameter.Name));
                        _lazyAdjoints.Add(adjoint);
                    }

                    // Each call site has its own copy: outside loops it is assigned once, and there is nothing to keep.
                    var copy = new Variable(name, kind, adjoint) { IntegerType = integerType };
                    bool keep = _regions.Count > 1;
                    if (argument is not null)
                    {
                        Assign(copy, SyntaxKind.SimpleAssignmentExpression, argument, forward, reverse, keep);
                        return _failed ? null : copy;
                    }

                    if (keep)
                    {
                        Keep(copy, forward, reverse);
                    }

                    forward.Line($"{name} = {DefaultText(parameter)};");
                    return copy;
                }

                // The caller's variable an out or ref argument names: a local or parameter (declared here for out var x,
                // out double x and a discard, out _); for an element of a local array (ref a[i]), a local copied from it
                // (ref) and written back to it after the body, at the same index (which no argument by reference may change).
                private Variable? ResultArgument(ArgumentSyntax argument, InvocationExpressionSyntax invocation, List<Action> copyOut, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    switch (argument.Expression)
                    {
                        case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element
                            when _model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is { } spanSymbol &&
                                 _variables.TryGetValue(spanSymbol, out var span) && span is { Kind: Kind.Span, Writable: true }:
                            var byReference = invocation.ArgumentList.Arguments.Where(a => !a.RefKindKeyword.IsKind(SyntaxKind.None))
                                .Select(a => _model.GetSymbolInfo(a.Expression, _l._cancellationToken).Symbol).OfType<ISymbol>().ToArray();
                            var indexSyntax = element.ArgumentList.Arguments[0].Expression;
                            if (indexSyntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                                .Any(n => byReference.Contains(_model.GetSymbolInfo(n, _l._cancellationToken).Symbol, SymbolEqualityComparer.Default)))
                            {
                                Fail(indexSyntax.GetLocation(), "An index that the same call changes by reference", "compute the index into a local the call does not take");
                                return null;
                            }

                            if (PassiveText(indexSyntax) is not { } index)
                            {
                                return null;
                            }

                            string elementName = Hoist(_names.Fresh("element"), Kind.Real), elementAdjoint = _names.Fresh("dElement");
                            _lazyAdjoints.Add(elementAdjoint);
                            var copy = new Variable(elementName, Kind.Real, elementAdjoint);
                            if (argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword))
                            {
                                Assign(copy, SyntaxKind.SimpleAssignmentExpression, element, forward, reverse, keep: _regions.Count > 1);
                            }

                            copyOut.Add(() => WriteElement(span, index, new Term(TermKind.Variable, elementName) { Variable = copy }, keep: true, forward, reverse));
                            return _failed ? null : copy;
                        case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation } declaration
                            when _model.GetDeclaredSymbol(designation, _l._cancellationToken) is ILocalSymbol local:
                            return Declare(local, declaration.Type);
                        case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax } or IdentifierNameSyntax { Identifier.Text: "_" }
                            when _model.GetTypeInfo(argument.Expression, _l._cancellationToken).Type is { } type && KindOf(type) == Kind.Real:
                            string discard = _names.Fresh("discarded"), adjoint = _names.Fresh("dDiscarded");
                            Hoist(discard, Kind.Real);
                            _lazyAdjoints.Add(adjoint);
                            return new Variable(discard, Kind.Real, adjoint);
                        case IdentifierNameSyntax identifier when _model.GetSymbolInfo(identifier, _l._cancellationToken).Symbol is { } symbol:
                            if (!_variables.ContainsKey(symbol) && symbol is ILocalSymbol unread)
                            {
                                return Declare(unread, identifier); // declared without a value, read nowhere but here
                            }

                            if (Target(identifier) is { Kind: Kind.Real or Kind.Int or Kind.Integer or Kind.Bool } variable)
                            {
                                return variable;
                            }

                            break;
                    }

                    if (!_failed)
                    {
                        Fail(argument.GetLocation(), $"The argument '{argument}' for an out or ref parameter",
                            $"pass a local or a parameter (out var x declares one), or an element of a local array or of an array parameter");
                    }

                    return null;
                }

                // return x *= 2; (and => x *= 2): the assignment or prefix step a value is, run as a statement of its own;
                // what is read then is what it wrote. Anything else is read as it is. Null where it failed (reported).
                private ExpressionSyntax? RunAssignment(ExpressionSyntax value, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var top = Unparenthesized(value);
                    if (AssignedBy(top) is not { } target)
                    {
                        return value;
                    }

                    Effect(top, forward, reverse);
                    return _failed ? null : target;
                }

                // An expression C# takes as a statement: an assignment, a step or a call.
                private static bool IsStatementExpression(ExpressionSyntax expression) =>
                    AssignedBy(expression) is not null || expression is PostfixUnaryExpressionSyntax or InvocationExpressionSyntax;

                // What an assignment (x op= e) or a prefix step (++x, --x) writes; null for any other node.
                private static ExpressionSyntax? AssignedBy(SyntaxNode node) => node switch
                {
                    AssignmentExpressionSyntax { Parent: not InitializerExpressionSyntax } assignment => assignment.Left, // not new P { a = x }
                    PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } step => step.Operand,
                    _ => null,
                };

                // The ordinals of a method's ref parameters of T, integers and bools (a method returning a value may write them too).
                private static IEnumerable<int> RefScalars(IMethodSymbol method) =>
                    method.Parameters.Where(p => p.RefKind == RefKind.Ref && IsOneValue(p.Type)).Select(p => p.Ordinal);

                // Where the return of a method being inlined for its value goes (InlineWritingCalls); null elsewhere.
                private Variable? _returnInto;

                // The calls in a statement of [Differentiable] methods that write the elements of an array argument (so the
                // caller's array changes, as C# passes it): each inlined like a void helper before the statement, its
                // return assigned to a local of this method that the statement reads in place of the call. Not where the
                // statement reads that array elsewhere (C# would read it before the call writes it): AD0011 at the call.
                // Whether the statement is left to translate (false: reported). assignments: whether assignments inside
                // its expressions run before it too (not in a condition, where Tested runs them).
                private bool InlineWritingCalls(SyntaxNode statement, CodeWriter forward, List<Action<CodeWriter>> reverse, bool assignments = true)
                {
                    if (!InlineLocalFunctions(statement, forward, reverse))
                    {
                        return false;
                    }

                    InlineReductions(statement, forward, reverse);
                    if (!_failed && assignments)
                    {
                        InlineAssignments(statement, forward, reverse);
                    }

                    foreach (var invocation in statement.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax).OfType<InvocationExpressionSyntax>())
                    {
                        if (_model.GetSymbolInfo(invocation, _l._cancellationToken).Symbol is not IMethodSymbol { ReturnsVoid: false } callee ||
                            !HasAttribute(callee, DifferentiableAttribute) || _l.IsRejected(callee) ||
                            ByParameter(invocation, callee) is not { } arguments)
                        {
                            continue;
                        }

                        var arrays = WrittenBy(callee).Where(o => ElementOf(callee.Parameters[o].Type) is not null && arguments[o] is not null)
                            .Concat(RefScalars(callee))
                            .Select(o => _model.GetSymbolInfo(arguments[o]!.Expression, _l._cancellationToken).Symbol).ToArray();
                        if (arrays.Length == 0)
                        {
                            if (invocation.Parent is ExpressionStatementSyntax)
                            {
                                _inlinedValues[invocation] = Discarded; // F(y += x);: its value dropped, it writes nothing
                            }

                            continue;
                        }

                        if (statement.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => !invocation.Span.Contains(n.Span) &&
                                arrays.Contains(_model.GetSymbolInfo(n, _l._cancellationToken).Symbol, SymbolEqualityComparer.Default)))
                        {
                            continue; // refused where the call is read (DifferentiableCall)
                        }

                        // The value of a call whose value goes to a local nothing reads (double temp = Modify(a);) is not kept.
                        var declared = invocation.Parent switch
                        {
                            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => _model.GetDeclaredSymbol(declarator, _l._cancellationToken),
                            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: var left } => _model.GetSymbolInfo(left, _l._cancellationToken).Symbol,
                            _ => null,
                        };
                        var result = (declared is ILocalSymbol unread && !_read.Contains(unread)) || invocation.Parent is ExpressionStatementSyntax ? Discarded
                            : new Variable(Hoist(_names.Fresh(callee.Name + "Value"), Kind.Real), Kind.Real, Hoist(_names.Fresh("d" + callee.Name + "Value"), Kind.Real));
                        Inline(invocation, callee.OriginalDefinition, forward, reverse, result);
                        _inlinedValues[invocation] = result;
                    }

                    return !_failed;
                }

                private readonly Dictionary<InvocationExpressionSyntax, Variable> _inlinedValues = new();

                // The calls of local functions that return a value in a statement: each body translated before the statement,
                // innermost call first, into a local of this method (of T, an integer or a bool) that the statement reads in
                // place of the call; a call as a statement of its own keeps only what the body writes. Not a call that runs
                // only sometimes (under ?:, &&, ||, ??, a switch expression's arm): AD0011, as is a call inside an
                // expression of one that writes a variable outside itself.
                private bool InlineLocalFunctions(SyntaxNode statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var ct = _l._cancellationToken;
                    var calls = statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<InvocationExpressionSyntax>()
                        .Where(call => !_inlinedValues.ContainsKey(call))
                        .Select(call => (Call: call, Callee: _model.GetSymbolInfo(call, ct).Symbol as IMethodSymbol))
                        .Where(c => c.Callee is { MethodKind: MethodKind.LocalFunction, ReturnsVoid: false })
                        .Reverse() // inner calls (the arguments of outer ones) first
                        .ToList();
                    foreach (var (call, callee) in calls)
                    {
                        bool alone = call.Parent is ExpressionStatementSyntax;
                        bool sometimes = RunsSometimes(call, statement);
                        if (!alone && sometimes && SubstitutedBody(callee!) is not null)
                        {
                            continue; // a function of one expression: read as it where it is read, under its condition (Substituted)
                        }

                        string advice = $"compute it in a statement of its own (var v = {callee!.Name}(…);) and read v here";
                        if (sometimes)
                        {
                            Fail(call.GetLocation(), $"A call of the local function '{callee.Name}' that runs only under a condition (?:, &&, ||, ??, a switch arm)", advice + ", or choose with if/else");
                            return false;
                        }

                        if (!alone && WritesOutside(callee))
                        {
                            Fail(call.GetLocation(), $"A call inside an expression of the local function '{callee.Name}', which assigns a variable or an element outside itself",
                                "call it as a statement of its own, or have it return what it computes");
                            return false;
                        }

                        var kind = KindOf(callee.ReturnType);
                        if (!alone && kind is null)
                        {
                            Fail(call.GetLocation(), $"A call of the local function '{callee.Name}', which returns '{callee.ReturnType.ToDisplayString()}'", $"return {_l.TypeName}, an integer or a bool");
                            return false;
                        }

                        string? integerType = kind == Kind.Integer ? callee.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null;
                        var result = alone ? Discarded
                            : new Variable(Hoist(_names.Fresh(callee.Name + "Value"), kind!.Value, integerType), kind.Value,
                                kind == Kind.Real ? Hoist(_names.Fresh("d" + NameScope.Pascal(callee.Name) + "Value"), Kind.Real) : null)
                            { IntegerType = integerType };
                        Inline(call, callee.OriginalDefinition, forward, reverse, result);
                        if (_failed)
                        {
                            return false;
                        }

                        _inlinedValues[call] = result;
                    }

                    return true;
                }

                // Whether an expression inside a statement runs only under a condition the statement tests.
                private static bool RunsSometimes(SyntaxNode node, SyntaxNode statement)
                {
                    for (var child = node; child != statement && child.Parent is { } parent; child = parent)
                    {
                        bool sometimes = parent switch
                        {
                            ConditionalExpressionSyntax conditional => child != conditional.Condition,
                            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression } binary => child == binary.Right,
                            SwitchExpressionArmSyntax arm => child != arm.Pattern || arm.WhenClause is not null,
                            ConditionalAccessExpressionSyntax access => child == access.WhenNotNull,
                            _ => false,
                        };
                        if (sometimes)
                        {
                            return true;
                        }
                    }

                    return false;
                }

                // Whether a local function assigns anything but its own locals and value parameters (a variable of the
                // method it reads, a ref or out parameter, an element).
                private bool WritesOutside(IMethodSymbol callee)
                {
                    if (LocalFunction(callee, _l._cancellationToken).Declaration is not { } local)
                    {
                        return true;
                    }

                    var flow = local.Body is { } block ? _model.AnalyzeDataFlow(block) : _model.AnalyzeDataFlow(local.ExpressionBody!.Expression);
                    if (flow is not { Succeeded: true })
                    {
                        return true;
                    }

                    var own = flow.VariablesDeclared.Concat(callee.Parameters.Where(p => p.RefKind == RefKind.None));
                    return flow.WrittenInside.Except(own, SymbolEqualityComparer.Default).Any() ||
                        local.DescendantNodes().Any(n => WrittenElement(n) is not null);
                }

                private readonly Dictionary<ISymbol, Term> _bound = new(SymbolEqualityComparer.Default); // local functions' parameters, substituted

                // The expression of a local function of T's with one (static double Sq(double v) => v * v, or { return …; }),
                // which a call may be read as with its parameters bound to its arguments: where the statement does not
                // always run it (under ?:, &&, in a loop's condition) or inside a reduction's lambda. Null for another.
                private ExpressionSyntax? SubstitutedBody(IMethodSymbol callee) =>
                    callee is { IsGenericMethod: false } && callee.ReturnType.SpecialType is SpecialType.System_Single or SpecialType.System_Double &&
                    callee.Parameters.All(p => p.RefKind == RefKind.None && p.Type.SpecialType == callee.ReturnType.SpecialType)
                        ? LocalFunction(callee, _l._cancellationToken).Expression
                        : null;

                // A call of a local function of one expression read as that expression, its parameters bound to the
                // arguments' terms (nothing kept: the reverse sweep recomputes it as it does any expression).
                private Term? Substituted(InvocationExpressionSyntax call, IMethodSymbol callee, ExpressionSyntax body)
                {
                    if (callee.Parameters.Any(_bound.ContainsKey))
                    {
                        _l.Report(DiagnosticDescriptors.Recursion, call.GetLocation(), _l._method.Name, $" through '{callee.Name}'");
                        _failed = true;
                        return null;
                    }

                    if (ByParameter(call, callee) is not { } arguments)
                    {
                        return null;
                    }

                    var terms = new Term[arguments.Length];
                    for (int i = 0; i < terms.Length; i++)
                    {
                        var parameter = callee.Parameters[i];
                        var term = arguments[i] is { } argument ? Real(argument.Expression)
                            : new Term(TermKind.Constant, RealLiteral(Convert.ToDouble(parameter.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture)));
                        if (term is null)
                        {
                            return null;
                        }

                        terms[i] = term;
                    }

                    for (int i = 0; i < terms.Length; i++)
                    {
                        _bound[callee.Parameters[i]] = terms[i];
                    }

                    var value = Real(body);
                    foreach (var parameter in callee.Parameters)
                    {
                        _bound.Remove(parameter);
                    }

                    return value;
                }

                // The local that holds a local function's value, computed before its statement (InlineLocalFunctions); null,
                // reported, where the call was not (in a loop's condition, or where it does not always run).
                private Variable? InlinedLocalFunction(InvocationExpressionSyntax call, IMethodSymbol callee)
                {
                    if (_inlinedValues.TryGetValue(call, out var inlined) && !ReferenceEquals(inlined, Discarded))
                    {
                        return inlined;
                    }

                    if (!_failed)
                    {
                        Fail(call.GetLocation(), $"This call of the local function '{callee.Name}' (in a loop's condition or step, or where its value is dropped)",
                            $"compute it in a statement of its own (var v = {callee.Name}(…);) and read v here");
                    }

                    return null;
                }

                // The sums of a function over one to three rows of one length in a statement (AD.Sum(a, x => x * x),
                // AD.Sum(a, b, (x, y) => x * y)): each a loop of this method before the statement, into a local that the
                // statement reads in place of the call; its reverse a loop that recomputes the function at each element
                // and sends the sum's adjoint down to the elements and to what the function reads besides. Nothing is
                // kept per element (the function's values are recomputed), one T per run where the statement is in a loop.
                private void InlineReductions(SyntaxNode statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    foreach (var invocation in statement.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax).OfType<InvocationExpressionSyntax>())
                    {
                        var arguments = invocation.ArgumentList.Arguments;
                        var callee = _model.GetSymbolInfo(invocation, _l._cancellationToken).Symbol as IMethodSymbol;
                        if (callee is { Name: "Sum" } && callee.ContainingType.ToDisplayString() == "AutoDiff.AD" && arguments.Count == callee.Parameters.Length && arguments.Count > 1 &&
                            arguments.All(a => a.NameColon is null) && arguments.Last().Expression is LambdaExpressionSyntax lambda)
                        {
                            if (InlineReduction(statement, invocation, arguments.Take(arguments.Count - 1).Select(a => a.Expression).ToList(), lambda, forward, reverse) is not { } sum)
                            {
                                _refusedReductions.Add(invocation); // reported: not again where the statement reads it
                                _failed = true;
                                return;
                            }

                            _inlinedValues[invocation] = sum;
                        }
                        else if (callee?.ContainingType.ToDisplayString() == "System.Linq.Enumerable" && _l.LinqReduction(invocation, callee) is { Arguments: { Count: 2 } linqArguments } linq && linqArguments[1] is LambdaExpressionSyntax selector)
                        {
                            // LINQ's a.Sum(x => …) and a.Average(x => …) over a span of the method: the same loop (the mean divided by the length after it).
                            var source = linqArguments[0];
                            if (InlineReduction(statement, invocation, new[] { source }, selector, forward, reverse) is not { } total)
                            {
                                _refusedReductions.Add(invocation);
                                _failed = true;
                                return;
                            }

                            if (linq.Name == "Mean" && RowArgument(source) is { Variable: { } row })
                            {
                                var mean = new Variable(Hoist(_names.Fresh("mean"), Kind.Real), Kind.Real, Hoist(_names.Fresh("dMean"), Kind.Real));
                                var length = new Term(TermKind.Passive, $"({_t})({row.Name}.Length)");
                                AssignTerm(mean, new Term(TermKind.Divide, string.Empty, new Term(TermKind.Variable, total.Name) { Variable = total }, length), forward, reverse, keep: _regions.Count > 1);
                                total = mean;
                            }

                            _inlinedValues[invocation] = total;
                        }
                    }
                }

                private readonly HashSet<InvocationExpressionSyntax> _refusedReductions = new();

                // The assignments and prefix steps inside a statement's expression (x * (y = x), x = ++t[0],
                // t = x = y = x = 0, t[3] = y *= t[0] = t[1] = t[2]): each run before the statement as a statement of
                // its own, innermost first, and read where it stood as the variable or element it wrote. That is C#'s
                // order where nothing else in the statement reads what they write (else AD0011): a target written
                // twice only along one chain (each value read at once by the assignment around it), an element
                // by a constant index.
                private void InlineAssignments(SyntaxNode statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var top = statement switch
                    {
                        ExpressionSyntax expression => Unparenthesized(expression),
                        _ => null,
                    };
                    var nested = statement.DescendantNodesAndSelf(n => n is not AnonymousFunctionExpressionSyntax)
                        .Where(n => n != top && AssignedBy(n) is not null)
                        .Cast<ExpressionSyntax>()
                        .ToList();
                    if (nested.Count == 0 || statement is not (ExpressionSyntax or LocalDeclarationStatementSyntax))
                    {
                        return;
                    }

                    // x = (y op= e) alone is Effect's to run (y may be an element at any index: arr[i] *= 5).
                    if (top is AssignmentExpressionSyntax { Left: IdentifierNameSyntax } outer && nested.Count == 1 &&
                        nested[0] == Unparenthesized(outer.Right) && nested[0] is AssignmentExpressionSyntax)
                    {
                        return;
                    }

                    static ExpressionSyntax TargetOf(ExpressionSyntax n) => AssignedBy(n)!;
                    var written = nested.Select(n => Key(TargetOf(n))).ToList();
                    if (written.Any(k => k is null))
                    {
                        Fail(nested[written.FindIndex(k => k is null)].GetLocation(), "An assignment inside an expression to anything but a local, a parameter or an element at a constant index",
                            "assign in a statement of its own");
                        return;
                    }

                    // A local the same declaration declares is assigned by its declarator where C# runs it, not before.
                    if (statement is LocalDeclarationStatementSyntax declaration &&
                        nested.FirstOrDefault(n => declaration.Declaration.Variables.Any(v => Key(TargetOf(n)) is { } key &&
                            key.Index is null && SymbolEqualityComparer.Default.Equals(key.Symbol, _model.GetDeclaredSymbol(v, _l._cancellationToken)))) is { } early)
                    {
                        Fail(early.GetLocation(), $"'{TargetOf(early)}' assigned inside the declaration that declares it", "assign it in a statement of its own");
                        return;
                    }

                    // Every other place the statement names a written target (a read, or a write that is not a step of
                    // the same chain) would see it at another time than C# does.
                    var targets = nested.Select(TargetOf).Concat(top is AssignmentExpressionSyntax { Left: var topLeft } ? new[] { topLeft } : Array.Empty<ExpressionSyntax>()).ToList();
                    foreach (var name in statement.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax).OfType<ExpressionSyntax>()
                                 .Where(n => n is IdentifierNameSyntax or ElementAccessExpressionSyntax && Key(n) is { } key && written.Contains(key)))
                    {
                        if (targets.Contains(name) || targets.Any(t => t.Span.Contains(name.Span) && t is ElementAccessExpressionSyntax && name is IdentifierNameSyntax))
                        {
                            continue;
                        }

                        // Read by the right side of its own assignment (s += Math.Tanh(h = 0.5 * h)): before the write,
                        // where the assignment run first reads it too.
                        if (nested.Any(n => n is AssignmentExpressionSyntax { Right: var right } && right.Span.Contains(name.Span) && Equals(Key(TargetOf(n)), Key(name))))
                        {
                            continue;
                        }

                        Fail(name.GetLocation(), $"'{name}', read in a statement that assigns it inside an expression", "assign it in a statement of its own, before or after");
                        return;
                    }

                    for (int i = 0; i < nested.Count; i++)
                    {
                        bool twice = written.Count(k => k == written[i]) > 1 || (top is AssignmentExpressionSyntax topAssignment && Key(topAssignment.Left) == written[i]);
                        if (twice && !(nested[i].Parent is AssignmentExpressionSyntax chain && Unparenthesized(chain.Right) == nested[i]) &&
                            !(nested[i].Parent is EqualsValueClauseSyntax))
                        {
                            Fail(nested[i].GetLocation(), $"'{TargetOf(nested[i])}' assigned twice in one statement, not along one chain", "assign it in statements of their own");
                            return;
                        }
                    }

                    // Innermost first: the order in which C# finishes them.
                    foreach (var n in nested.OrderBy(n => n.Span.End).ThenByDescending(n => n.Span.Start))
                    {
                        Effect(n, forward, reverse);
                        if (_failed)
                        {
                            return;
                        }

                        _ranBefore.Add(n);
                    }

                    // What an assignment writes: a local or parameter (no index), or an array and the constant index of an
                    // element; null for anything else.
                    Written? Key(ExpressionSyntax target)
                    {
                        var ct = _l._cancellationToken;
                        return Unparenthesized(target) switch
                        {
                            IdentifierNameSyntax identifier when _model.GetSymbolInfo(identifier, ct).Symbol is ILocalSymbol or IParameterSymbol =>
                                new Written(_model.GetSymbolInfo(identifier, ct).Symbol!, null),
                            ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element
                                when _model.GetSymbolInfo(element.Expression, ct).Symbol is { } array &&
                                     _model.GetConstantValue(element.ArgumentList.Arguments[0].Expression, ct) is { HasValue: true, Value: int at } =>
                                new Written(array, at),
                            _ => null,
                        };
                    }
                }

                // A variable, or an element of an array at a constant index, that an assignment inside an expression writes.
                private sealed record Written(ISymbol Symbol, int? Index)
                {
                    public bool Equals(Written? other) => other is not null && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol) && Index == other.Index;

                    public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Symbol), Index).GetHashCode();
                }

                // The assignments and steps run before their statement (InlineAssignments): read as what they wrote.
                private readonly HashSet<ExpressionSyntax> _ranBefore = new();

                // The variable an assignment, a step or a ref argument writes (an array for its element, a struct local for
                // its field); null where it is not a name.
                private ISymbol? WrittenBy(SyntaxNode write)
                {
                    var target = WrittenTarget(write);
                    while (true)
                    {
                        switch (target)
                        {
                            case ParenthesizedExpressionSyntax parenthesized:
                                target = parenthesized.Expression;
                                continue;
                            case ElementAccessExpressionSyntax element:
                                target = element.Expression;
                                continue;
                            case MemberAccessExpressionSyntax member:
                                target = member.Expression;
                                continue;
                            case IdentifierNameSyntax name:
                                return _model.GetSymbolInfo(name, _l._cancellationToken).Symbol;
                            default:
                                return null;
                        }
                    }
                }

                private Variable? InlineReduction(SyntaxNode statement, InvocationExpressionSyntax invocation, IReadOnlyList<ExpressionSyntax> sources, LambdaExpressionSyntax lambda,
                    CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var rows = new List<Variable>();
                    foreach (var source in sources)
                    {
                        if (RowArgument(source) is not { Variable: { } row })
                        {
                            return null;
                        }

                        rows.Add(row);
                    }

                    if (lambda.ExpressionBody is not { } body)
                    {
                        Fail(lambda.GetLocation(), "A lambda with a block body", "write the function as an expression (x => x * x)");
                        return null;
                    }

                    // The loop runs before the statement: what the statement writes besides its own target (s = s++ …,
                    // a ref argument) would be read by the function or its rows before it is written (where they read
                    // it: Relax(ref h, AD.Sum(a, x => x * x)) runs the sum first, as C# does).
                    var read = new HashSet<ISymbol>(sources.Append(lambda).SelectMany(a => a.DescendantNodesAndSelf()).OfType<IdentifierNameSyntax>()
                        .Select(n => _model.GetSymbolInfo(n, _l._cancellationToken).Symbol).OfType<ISymbol>(), SymbolEqualityComparer.Default);
                    var writes = statement.DescendantNodesAndSelf()
                        .Where(n => n != statement && (n is AssignmentExpressionSyntax || n is PostfixUnaryExpressionSyntax || (n is PrefixUnaryExpressionSyntax prefix && prefix.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression) ||
                                                     n is ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }))
                        .Where(n => n.Parent is not ExpressionStatementSyntax && (WrittenBy(n) is not { } written || read.Contains(written)))
                        .Concat(statement.DescendantNodes().OfType<VariableDeclaratorSyntax>().Where(d => d.Initializer is not null && !d.Span.Contains(invocation.Span) &&
                            (_model.GetDeclaredSymbol(d, _l._cancellationToken) is not { } declared || read.Contains(declared))))
                        .ToList();
                    if (writes.Count > 0)
                    {
                        Fail(writes[0].GetLocation(), $"'{writes[0]}' in the statement of a sum over a function, which runs before the statement",
                            "assign it in a statement of its own, before or after");
                        return null;
                    }

                    string index = _names.Fresh("i");
                    var parameters = lambda switch
                    {
                        SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter },
                        ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.ToArray(),
                        _ => Array.Empty<ParameterSyntax>(),
                    };
                    for (int k = 0; k < parameters.Length; k++)
                    {
                        if (_model.GetDeclaredSymbol(parameters[k], _l._cancellationToken) is { } symbol)
                        {
                            _variables[symbol] = new Variable(parameters[k].Identifier.ValueText, Kind.Real, null) { Alias = (rows[k], index) };
                        }
                    }

                    if (Real(body) is not { } term)
                    {
                        return null;
                    }

                    var sum = new Variable(Hoist(_names.Fresh("sum"), Kind.Real), Kind.Real, Hoist(_names.Fresh("dSum"), Kind.Real));
                    string length = $"{rows[0].Name}.Length";
                    for (int k = 1; k < rows.Count; k++)
                    {
                        forward.Line($"global::AutoDiff.CompilerServices.KernelGuard.SameLength({length}, {rows[k].Name}.Length, \"{sources[k]}\", \"{sources[0]}\");");
                    }

                    bool keep = _regions.Count > 1;
                    if (keep)
                    {
                        forward.Line($"{_tape}.Push({sum.Name});");
                    }

                    // A float sum is added in double, as AD.Sum adds it (the same value as the method's own).
                    string accumulator = !_dual && !_isDouble ? _names.Fresh("total") : sum.Name;
                    forward.Line(accumulator == sum.Name ? $"{sum.Name} = {Zero};" : $"double {accumulator} = 0;");
                    using (forward.Block($"for (int {index} = 0; {index} < {length}; {index}++)"))
                    {
                        forward.Line($"{accumulator} += {Text(term)};");
                    }

                    if (accumulator != sum.Name)
                    {
                        forward.Line($"{sum.Name} = ({_t}){accumulator};");
                    }

                    reverse.Add(w =>
                    {
                        using (w.Block($"for (int {index} = {length} - 1; {index} >= 0; {index}--)"))
                        {
                            Backpropagate(term, sum.Adjoint!, w);
                        }

                        w.Line($"{sum.Adjoint} = {Zero};");
                        if (keep)
                        {
                            w.Line($"{sum.Name} = {_tape}.Pop();");
                        }
                    });
                    return sum;
                }

                // The value of a method inlined for its writes alone (InlineWritingCalls): its return is not translated.
                private static readonly Variable Discarded = new("_", Kind.Real, null);

                // A bare return: the end of a void method's body (the method's own, or a helper's being inlined).
                private void EndOfVoidBody(ReturnStatementSyntax statement)
                {
                    if (statement.Parent is not BlockSyntax { Parent: MethodDeclarationSyntax } block || block.Statements.Last() != statement)
                    {
                        Fail(statement.GetLocation(), "A return before the end of a void helper", "leave the helper at its end: put what follows under an if");
                    }
                }
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
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
            // Span<T> or T[]: the element type, else null.
            private static ITypeSymbol? ElementOf(ITypeSymbol type) => type switch
            {
                IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
                INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span => span.TypeArguments[0],
                _ => null,
            };

            // The instance fields of a struct declared in source whose every field is of type t (no auto-property): a
            // local of it is a variable per field in the taped gradient; else null.
            private static IReadOnlyList<IFieldSymbol>? FieldsOf(ITypeSymbol type, SpecialType t)
            {
                if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None, IsGenericType: false } named || named.DeclaringSyntaxReferences.IsEmpty)
                {
                    return null;
                }

                var fields = named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
                return fields.Count > 0 && fields.All(f => f.Type.SpecialType == t && !f.IsImplicitlyDeclared) ? fields : null;
            }

            // The taped gradient's local arrays and spans: each made beside an adjoint buffer, its elements written and kept.
            private sealed partial class TapeTranslator
            {

                // A ref local: bound to a local or a parameter, it is that variable (another name for it); bound to an
                // element (ref double r = ref a[i]), it reads and writes a[at], at an int local holding the index as it
                // was when it was bound (kept, where the binding runs more than once). Binding it again (r = ref b[j]) is
                // not taken.
                private void RefLocal(ILocalSymbol local, VariableDeclaratorSyntax declarator, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var target = (declarator.Initializer?.Value as RefExpressionSyntax)?.Expression;
                    if (_l._syntax.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Right is RefExpressionSyntax &&
                            SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(a.Left, _l._cancellationToken).Symbol, local)))
                    {
                        Fail(declarator.GetLocation(), $"The ref local '{local.Name}', bound again later", "declare a ref local for each binding");
                        return;
                    }

                    switch (target)
                    {
                        case IdentifierNameSyntax identifier when _model.GetSymbolInfo(identifier, _l._cancellationToken).Symbol is { } symbol &&
                                                                   _variables.TryGetValue(symbol, out var variable) && variable.Kind is Kind.Real or Kind.Int or Kind.Integer or Kind.Bool:
                            _variables[local] = variable;
                            return;
                        case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element
                            when _model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is { } spanSymbol &&
                                 _variables.TryGetValue(spanSymbol, out var span) && span.Kind == Kind.Span:
                            if (IndexText(span, element.ArgumentList.Arguments[0].Expression) is not { } index)
                            {
                                return;
                            }

                            string at = Hoist(_names.Fresh(local.Name + "At"), Kind.Int);
                            if (_regions.Count > 1)
                            {
                                forward.Line($"{_tape}.PushInt({at});");
                                reverse.Add(w => w.Line($"{at} = {_tape}.PopInt();"));
                            }

                            forward.Line($"{at} = {index};");
                            _variables[local] = new Variable(span.Name, Kind.Real, span.Adjoint) { Alias = (span, at) };
                            return;
                        case IdentifierNameSyntax or MemberAccessExpressionSyntax when StaticField(target) is { } field:
                            _fieldAliases[local] = field; // read as the field (StaticField); written through, it is no variable (AD0011)
                            return;
                        case IdentifierNameSyntax identifier when _model.GetSymbolInfo(identifier, _l._cancellationToken).Symbol is { } symbol &&
                                                                   _structs.TryGetValue(symbol, out var fields):
                            _structs[local] = fields; // ref Pair r = ref p: r.a is p.a
                            return;
                        case MemberAccessExpressionSyntax when FieldOfLocal(target) is { } structField:
                            _variables[local] = structField; // ref double r = ref p.a
                            return;
                    }

                    Fail(declarator.GetLocation(), $"The ref local '{local.Name}' bound so", $"bind a ref local to a local, a parameter, a struct local or its field, a static field or an element of an array of {_l.TypeName}");
                }

                // The locals of a struct type, each field a variable of T: what the struct local's name and a ref local
                // bound to it give.
                private readonly Dictionary<ISymbol, Dictionary<IFieldSymbol, Variable>> _structs = new(SymbolEqualityComparer.Default);

                // p.a, where p is a struct local (or a ref local bound to one): the variable of that field; else null.
                private Variable? FieldOfLocal(ExpressionSyntax expression) =>
                    expression is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Expression: IdentifierNameSyntax receiver } member &&
                    _model.GetSymbolInfo(receiver, _l._cancellationToken).Symbol is { } symbol && _structs.TryGetValue(symbol, out var fields) &&
                    _model.GetSymbolInfo(member, _l._cancellationToken).Symbol is IFieldSymbol field && fields.TryGetValue(field, out var variable)
                        ? variable
                        : null;

                // A local of a struct whose fields are of T (Pair p; Pair p = default; new Pair(); new Pair { a = x, b = y };
                // Pair q = p): a variable per field (p.a, p.b), written and read as locals are; one not written reads as
                // zero.
                private void StructLocal(ILocalSymbol local, IReadOnlyList<IFieldSymbol> fields, VariableDeclaratorSyntax declarator, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var variables = new Dictionary<IFieldSymbol, Variable>(SymbolEqualityComparer.Default);
                    foreach (var field in fields)
                    {
                        string name = Hoist(_names.Fresh(local.Name + NameScope.Pascal(field.Name)), Kind.Real);
                        variables[field] = new Variable(name, Kind.Real, Hoist(_names.Fresh("d" + NameScope.Pascal(local.Name) + NameScope.Pascal(field.Name)), Kind.Real));
                    }

                    _structs[local] = variables;
                    if (declarator.Initializer?.Value is { } initializer)
                    {
                        AssignStruct(variables, initializer, forward, reverse, keep: _regions.Count > 1);
                    }
                }

                // A struct local given a whole value: another struct local's fields (copied), default, or new P() and
                // new P { a = x, … } where P declares no constructor (its fields zero, then those named).
                private void AssignStruct(Dictionary<IFieldSymbol, Variable> target, ExpressionSyntax value, CodeWriter forward, List<Action<CodeWriter>> reverse, bool keep)
                {
                    var type = (INamedTypeSymbol)target.Keys.First().ContainingType;
                    if (value is IdentifierNameSyntax && _model.GetSymbolInfo(value, _l._cancellationToken).Symbol is { } symbol && _structs.TryGetValue(symbol, out var source))
                    {
                        if (ReferenceEquals(source, target))
                        {
                            return; // p = p, or p = r where r is a ref to p
                        }

                        foreach (var pair in target)
                        {
                            AssignTerm(pair.Value, new Term(TermKind.Variable, source[pair.Key].Name) { Variable = source[pair.Key] }, forward, reverse, keep);
                        }

                        return;
                    }

                    InitializerExpressionSyntax? members = null;
                    switch (value)
                    {
                        case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression }:
                        case DefaultExpressionSyntax:
                            break;
                        case BaseObjectCreationExpressionSyntax creation when (creation.ArgumentList?.Arguments.Count ?? 0) == 0 &&
                                                                          type.InstanceConstructors.All(c => c.IsImplicitlyDeclared):
                            members = creation.Initializer;
                            break;
                        default:
                            Fail(value.GetLocation(), $"A value of the struct '{type.Name}' made so", $"give it another struct local, default or new {type.Name} {{ field = … }} (no constructor), or assign its fields");
                            return;
                    }

                    foreach (var variable in target.Values)
                    {
                        AssignTerm(variable, new Term(TermKind.Constant, Zero), forward, reverse, keep);
                    }

                    foreach (var expression in members?.Expressions ?? default)
                    {
                        if (expression is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax name } assignment ||
                            _model.GetSymbolInfo(name, _l._cancellationToken).Symbol is not IFieldSymbol field || !target.TryGetValue(field, out var variable))
                        {
                            Fail(expression.GetLocation(), "This member initializer", $"set a field of the struct: new {type.Name} {{ field = … }}");
                            return;
                        }

                        Assign(variable, SyntaxKind.SimpleAssignmentExpression, assignment.Right, forward, reverse, keep);
                    }
                }

                // ReadOnlySpan<T> sum = sumParam, Span<T> head = buffer.AsSpan(0, 2): a span local declared as another row of
                // the method or a slice of one is another name for those elements, as a pointer is in C (it is never given
                // another: AD0011). False where the local is not so declared.
                private bool SpanAlias(ILocalSymbol local, ExpressionSyntax? initializer)
                {
                    if (local.Type is not INamedTypeSymbol { Name: "ReadOnlySpan" or "Span", TypeArguments.Length: 1 } ||
                        initializer is not (IdentifierNameSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax) ||
                        (initializer is not IdentifierNameSyntax && Sliced(initializer) is null && !_failed))
                    {
                        return false;
                    }

                    var body = initializer.FirstAncestorOrSelf<MemberDeclarationSyntax>()!;
                    if (body.DescendantNodes().OfType<AssignmentExpressionSyntax>().FirstOrDefault(a =>
                            SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(a.Left, _l._cancellationToken).Symbol, local)) is { } again)
                    {
                        Fail(again.GetLocation(), $"The span local '{local.Name}' given another span", "declare a span local for each row or slice it names");
                        return true;
                    }

                    if (RowArgument(initializer)?.Variable is { } row)
                    {
                        _variables[local] = row;
                    }

                    return true;
                }

                // A local array or stackalloc span of T, declared outside every loop with its length or its elements:
                // the method's buffer and its adjoint beside it, both of that length (stackalloc where the method uses
                // stackalloc). Writing an element keeps the value it overwrites; reading one sends its adjoint to the
                // adjoint's element. The elements of an initializer are written as the declaration runs, once.
                private void LocalArray(ILocalSymbol local, VariableDeclaratorSyntax declarator, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var initializer = declarator.Initializer?.Value;
                    if (initializer is IdentifierNameSyntax && local.Type is IArrayTypeSymbol && ElementOf(local.Type)!.SpecialType == _l._type)
                    {
                        // var old = state: another name for that array (AssignArray).
                        string array = _names.Fresh(local.Name), arrayAdjoint = _names.Fresh("d" + NameScope.Pascal(local.Name));
                        _hoisted.Add($"{_t}[] {array} = null, {arrayAdjoint} = null;");
                        var named = new Variable(array, Kind.Span, arrayAdjoint) { Writable = true, IsArray = true };
                        _variables[local] = named;
                        AssignArray(named, initializer, forward, reverse);
                        return;
                    }

                    bool stack = initializer is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax ||
                                 (initializer is CollectionExpressionSyntax && local.Type is not IArrayTypeSymbol); // Span<T> s = [a, b]
                    var ranks = initializer switch
                    {
                        StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax array } => array.RankSpecifiers,
                        ArrayCreationExpressionSyntax array => array.Type.RankSpecifiers,
                        _ => default,
                    };
                    IReadOnlyList<ExpressionSyntax>? elements = initializer switch
                    {
                        InitializerExpressionSyntax list => list.Expressions,
                        StackAllocArrayCreationExpressionSyntax { Initializer: { } list } => list.Expressions,
                        ImplicitStackAllocArrayCreationExpressionSyntax { Initializer: var list } => list.Expressions,
                        ArrayCreationExpressionSyntax { Initializer: { } list } => list.Expressions,
                        ImplicitArrayCreationExpressionSyntax { Initializer: var list } => list.Expressions,
                        CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax) =>
                            collection.Elements.Select(e => ((ExpressionElementSyntax)e).Expression).ToArray(),
                        _ => null,
                    };
                    var size = elements is null && ranks.Count == 1 && ranks[0].Sizes.Count == 1 && ranks[0].Sizes[0] is not OmittedArraySizeExpressionSyntax
                        ? ranks[0].Sizes[0]
                        : null;

                    // [x, .. a, 0.0]: elements and rows spread in order (a row: a span, an array or a slice of one).
                    var spread = initializer is CollectionExpressionSyntax withSpreads && withSpreads.Elements.Any(e => e is SpreadElementSyntax)
                        ? withSpreads.Elements
                        : default(SeparatedSyntaxList<CollectionElementSyntax>?);
                    if (ElementOf(local.Type)!.SpecialType == SpecialType.System_Int32 && (elements is not null || size is not null) && _regions.Count == 1)
                    {
                        IntArray(local, elements, size, stack, forward);
                        return;
                    }

                    // Inside a loop only an array made with new: each pass makes its own, and the one before is kept (below).
                    bool inLoop = _regions.Count > 1;
                    if ((size is null && elements is null && spread is null) || ElementOf(local.Type)!.SpecialType != _l._type || (inLoop && (stack || local.Type is not IArrayTypeSymbol)))
                    {
                        Fail(declarator.GetLocation(), $"The local '{local.Name}' of type '{local.Type.ToDisplayString()}' declared so",
                            $"declare a local array or span of {_l.TypeName} with its length or its elements (new {_l.TypeName}[n], stackalloc {_l.TypeName}[n], {{ a, b }}, [a, b]), " +
                            $"or of int outside every loop (new int[n], {{ 4, 7, 3 }}); inside a loop, an array of {_l.TypeName} made with new {_l.TypeName}[n]");
                        return;
                    }

                    var rows = new List<Variable?>(); // per element of a spread, the row it spreads (null: one element)
                    foreach (var part in spread ?? default)
                    {
                        if (part is not SpreadElementSyntax { Expression: var spreadRow })
                        {
                            rows.Add(null);
                        }
                        else if (RowArgument(spreadRow)?.Variable is { } row)
                        {
                            rows.Add(row);
                        }
                        else
                        {
                            return;
                        }
                    }

                    var length = spread is not null ? string.Join(" + ", rows.Select(r => r is null ? "1" : $"{r.Name}.Length"))
                        : elements is not null ? elements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : PassiveText(size!);
                    if (length is null)
                    {
                        return;
                    }

                    string name = _names.Fresh(local.Name), adjoint = _names.Fresh("d" + NameScope.Pascal(local.Name));
                    string type = stack ? $"global::System.Span<{_t}>" : $"{_t}[]";
                    string empty = stack ? $"stackalloc {_t}[0]" : "null";
                    string create = stack ? $"stackalloc {_t}[{length}]" : $"new {_t}[{length}]";
                    _hoisted.Add($"{type} {name} = {empty}, {adjoint} = {empty};");
                    var buffer = new Variable(name, Kind.Span, adjoint) { Writable = true, IsArray = !stack };
                    if (inLoop)
                    {
                        KeepArray(buffer, forward, reverse); // the pass before's array, which its statements' reverse reads
                    }

                    forward.Line($"{name} = {create};");
                    forward.Line($"{adjoint} = {create};");
                    _variables[local] = buffer;
                    for (int i = 0; elements is not null && i < elements.Count; i++)
                    {
                        if (Real(elements[i]) is not { } value)
                        {
                            return;
                        }

                        WriteElement(buffer, i.ToString(System.Globalization.CultureInfo.InvariantCulture), value, keep: false, forward, reverse);
                    }

                    string offset = "0";
                    for (int i = 0; spread is { } parts && i < parts.Count; i++)
                    {
                        string at = offset;
                        if (rows[i] is not { } row)
                        {
                            if (Real(((ExpressionElementSyntax)parts[i]).Expression) is not { } value)
                            {
                                return;
                            }

                            WriteElement(buffer, at, value, keep: false, forward, reverse);
                            offset += " + 1";
                            continue;
                        }

                        // The row's elements copied in; the reverse sends their adjoints back to the row's.
                        string k = _names.Fresh("k");
                        forward.Line($"for (int {k} = 0; {k} < {row.Name}.Length; {k}++) {{ {name}[{at} + {k}] = {ElementText(row, k)}; }}");
                        if (row.Adjoint is not null)
                        {
                            reverse.Add(w =>
                            {
                                var into = AdjointOutsideLoop(row, w);
                                using (w.Block($"for (int {k} = 0; {k} < {row.Name}.Length; {k}++)"))
                                {
                                    w.Line(AddToElement(into, k, $"{adjoint}[{at} + {k}]"));
                                    w.Line($"{adjoint}[{at} + {k}] = {Zero};");
                                }
                            });
                        }

                        offset += $" + {row.Name}.Length";
                    }
                }

                // An array local given another array (state = next, state = new T[n], var old = state): the variable and its adjoint take
                // the other's references, as C# does, so what one writes the other reads (and the adjoints alias as the
                // arrays do). The references they held before are kept on the tape and put back by the reverse.
                private void AssignArray(Variable array, ExpressionSyntax right, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    string? value = null, adjoint = null;
                    if (right is IdentifierNameSyntax && _model.GetSymbolInfo(right, _l._cancellationToken).Symbol is { } symbol &&
                        _variables.TryGetValue(symbol, out var other) && other.IsArray)
                    {
                        (value, adjoint) = (other.Name, other.Adjoint);
                    }
                    else if (right is ArrayCreationExpressionSyntax { Initializer: null, Type.RankSpecifiers: { Count: 1 } ranks } && ranks[0].Sizes.Count == 1 &&
                             _model.GetTypeInfo(right, _l._cancellationToken).Type is { } created && ElementOf(created)?.SpecialType == _l._type &&
                             PassiveText(ranks[0].Sizes[0]) is { } length)
                    {
                        (value, adjoint) = ($"new {_t}[{length}]", $"new {_t}[{length}]");
                    }
                    else if (!_failed)
                    {
                        Fail(right.Parent!.GetLocation(), "Assigning an array so", $"assign an array local of {_l.TypeName} another one (state = next) or a new one (state = new {_l.TypeName}[n])");
                    }

                    if (value is null)
                    {
                        return;
                    }

                    KeepArray(array, forward, reverse);
                    forward.Line($"{array.Name} = {value};");
                    forward.Line($"{array.Adjoint} = {adjoint};");
                }

                // The array and adjoint references a local holds, kept before it is given others and put back by the reverse.
                private void KeepArray(Variable array, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    _keepsArrays = true;
                    forward.Line($"{_tape}.PushArray({array.Name});");
                    forward.Line($"{_tape}.PushArray({array.Adjoint});");
                    reverse.Add(w =>
                    {
                        w.Line($"{array.Adjoint} = {_tape}.PopArray();");
                        w.Line($"{array.Name} = {_tape}.PopArray();");
                    });
                }

                // T[] parameters whose elements the body writes (a[i] = …, a[i]++, ref a[i]), and Span<T> ones of a method
                // that returns a value: a copy made on entry, in room rented on the thread's tape, read and written as a
                // local array (the generated forms take a ReadOnlySpan<T> and never change the caller's array: the
                // gradient is the value's with respect to the array as it came in). Its adjoint is added to the
                // parameter's at the end of the reverse sweep, and the rooms given back; over dual numbers the copy holds
                // the elements with their tangents. Spans of ints are read only (AD0011 where written).
                private void CopyWrittenArrays(CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var written = WrittenParameters(_l._syntax, _model).Select(ordinal => _l._method.Parameters[ordinal])
                        .Where(p => (!_l._method.ReturnsVoid || _valueOnly) && _variables[p].Kind == Kind.Span).ToArray(); // a void method's gradient writes its results in place
                    if (written.Length == 0)
                    {
                        return;
                    }

                    string tape = _tape;
                    if (_valueOnly)
                    {
                        // Forward mode keeps no tape of its own: the rooms come from the thread's, given back however it ends.
                        _hoisted.Add($"var {tape} = global::AutoDiff.CompilerServices.Tape<{_t}>.ForThisThread;");
                    }

                    foreach (var parameter in written)
                    {
                        var original = _variables[parameter];
                        string copy = _names.Fresh(parameter.Name), k = _names.Fresh("k");
                        _hoisted.Add($"global::System.Span<{_t}> {copy} = default;");
                        forward.Line($"{copy} = {tape}.Rent({original.Name}.Length);");
                        forward.Line(_dual
                            ? $"for (int {k} = 0; {k} < {copy}.Length; {k}++) {{ {copy}[{k}] = {ElementText(original, k)}; }}"
                            : $"{original.Name}.CopyTo({copy});");
                        if (_valueOnly)
                        {
                            _epilogue.Add($"{tape}.Return({copy}.Length);");
                            _variables[parameter] = new Variable(copy, Kind.Span, null) { Writable = true };
                            if (_l._method.ReturnsVoid)
                            {
                                _writtenBack.Add((original, copy)); // a void method's result: its values and tangents written back at the end
                            }

                            continue;
                        }

                        string adjoint = _names.Fresh("d" + NameScope.Pascal(parameter.Name));
                        _hoisted.Add($"global::System.Span<{_t}> {adjoint} = default;");
                        forward.Line($"{adjoint} = {tape}.Rent({original.Name}.Length);");
                        forward.Line($"{adjoint}.Clear();");
                        _variables[parameter] = new Variable(copy, Kind.Span, adjoint) { Writable = true };
                        reverse.Add(w =>
                        {
                            if (original.Adjoint is not null)
                            {
                                using (w.Block($"for (int {k} = 0; {k} < {copy}.Length; {k}++)"))
                                {
                                    w.Line(AddToElement(original, k, $"{adjoint}[{k}]"));
                                }
                            }

                            w.Line($"{tape}.Return({adjoint}.Length);");
                            w.Line($"{tape}.Return({copy}.Length);");
                        });
                    }
                }

                // The ordinals of the parameters whose elements a method's body writes (a[i] = …, a[i]++, ref a[i]), or
                // passes to a [Differentiable] method that writes them (its body, read the same way, once per method).
                private HashSet<int> WrittenParameters(MethodDeclarationSyntax method, SemanticModel model)
                {
                    var written = new HashSet<int>();
                    var self = model.GetDeclaredSymbol(method, _l._cancellationToken);
                    foreach (var node in method.DescendantNodes())
                    {
                        if (WrittenElement(node) is { } element)
                        {
                            if (model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is IParameterSymbol parameter &&
                                SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, self))
                            {
                                written.Add(parameter.Ordinal);
                            }

                            continue;
                        }

                        if (node is not InvocationExpressionSyntax invocation ||
                            model.GetSymbolInfo(invocation, _l._cancellationToken).Symbol is not IMethodSymbol helper ||
                            !HasAttribute(helper, DifferentiableAttribute) ||
                            helper.OriginalDefinition.DeclaringSyntaxReferences.Length == 0)
                        {
                            continue;
                        }

                        var byHelper = WrittenBy(helper);

                        var arguments = invocation.ArgumentList.Arguments;
                        for (int i = 0; i < arguments.Count; i++)
                        {
                            int ordinal = arguments[i].NameColon is { } named ? helper.Parameters.Select(p => p.Name).ToList().IndexOf(named.Name.Identifier.Text) : i;
                            var whole = arguments[i].Expression switch // a slice's row: a.Slice(…), a.AsSpan(…), a[i..j]
                            {
                                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Slice" or "AsSpan" } member } => member.Expression,
                                ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } range } access when range[0].Expression is RangeExpressionSyntax => access.Expression,
                                var argument => argument,
                            };
                            if (byHelper.Contains(ordinal) && model.GetSymbolInfo(whole, _l._cancellationToken).Symbol is IParameterSymbol passed &&
                                SymbolEqualityComparer.Default.Equals(passed.ContainingSymbol, self))
                            {
                                written.Add(passed.Ordinal);
                            }
                        }
                    }

                    return written;
                }

                // The ordinals of the parameters whose elements a method of this compilation writes (WrittenParameters),
                // read once per method; none for one without a body here.
                private HashSet<int> WrittenBy(IMethodSymbol method)
                {
                    method = method.OriginalDefinition;
                    if (!_writtenParameters.TryGetValue(method, out var written))
                    {
                        _writtenParameters[method] = new HashSet<int>(); // a recursion is reported where the method is called
                        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_l._cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
                        written = syntax is null ? new HashSet<int>() : WrittenParameters(syntax, _model.Compilation.GetSemanticModel(syntax.SyntaxTree));
                        _writtenParameters[method] = written;
                    }

                    return written;
                }

                private readonly Dictionary<IMethodSymbol, HashSet<int>> _writtenParameters = new(SymbolEqualityComparer.Default);

                // The element an assignment, a step or a ref or out argument writes; null for anything else.
                private static ElementAccessExpressionSyntax? WrittenElement(SyntaxNode node) => WrittenTarget(node) as ElementAccessExpressionSyntax;

                // What an assignment, a step, a ref or out argument or a ref expression writes; null for anything else.
                private static ExpressionSyntax? WrittenTarget(SyntaxNode node) => node switch
                {
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    PostfixUnaryExpressionSyntax step => step.Operand,
                    PrefixUnaryExpressionSyntax step when step.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression => step.Operand,
                    ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) => argument.Expression,
                    RefExpressionSyntax reference => reference.Expression, // ref double r = ref a[i]: written through r, perhaps
                    _ => null,
                };

                // A local array or span of ints, with its elements ({ 4, 7, 3 }, [4, 7, 3]) or its length (new int[n]), outside
                // every loop: indices, counts and numbers, no adjoint; an element written keeps the value it overwrites
                // on the int tape.
                private void IntArray(ILocalSymbol local, IReadOnlyList<ExpressionSyntax>? elements, ExpressionSyntax? size, bool stack, CodeWriter forward)
                {
                    string? create;
                    if (elements is not null)
                    {
                        var values = new List<string>();
                        foreach (var element in elements)
                        {
                            if (PassiveText(element) is not { } value)
                            {
                                return;
                            }

                            values.Add(value);
                        }

                        create = $"{(stack ? "stackalloc" : "new")} int[] {{ {string.Join(", ", values)} }}";
                    }
                    else
                    {
                        create = PassiveText(size!) is { } length ? $"{(stack ? "stackalloc" : "new")} int[{length}]" : null;
                    }

                    if (create is null)
                    {
                        return;
                    }

                    string name = _names.Fresh(local.Name);
                    _hoisted.Add(stack ? $"global::System.Span<int> {name} = stackalloc int[0];" : $"int[] {name} = null;");
                    forward.Line($"{name} = {create};");
                    _variables[local] = new Variable(name, Kind.Ints, null) { Writable = true };
                }

                // ints[i] = …, ints[i] += …, ints[i]++: the old element kept on the int tape, put back by the reverse
                // (which finds i as it was: every variable is restored before the statement's reverse runs).
                private void WriteInt(Variable ints, ElementAccessExpressionSyntax element, ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var indexSyntax = element.ArgumentList.Arguments[0].Expression;
                    if (indexSyntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.Text == ((IdentifierNameSyntax)element.Expression).Identifier.Text))
                    {
                        Fail(indexSyntax.GetLocation(), "An index that reads the array of ints it writes", "compute the index into an int local first");
                        return;
                    }

                    if (IndexText(ints, indexSyntax) is not { } index)
                    {
                        return;
                    }

                    string target = $"{ints.Name}[{index}]";
                    string? write = expression switch
                    {
                        AssignmentExpressionSyntax assignment when AssignmentOperator(assignment.Kind()) is { } op =>
                            PassiveText(assignment.Right) is { } right ? $"{target} {op}= {right};" : null,
                        PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax =>
                            expression.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression ? $"{target}++;" : $"{target}--;",
                        _ => null,
                    };
                    if (write is null)
                    {
                        if (!_failed)
                        {
                            Fail(expression.GetLocation(), Describe(expression), "assign the element with =, +=, -=, *=, /= or %=, or step it with ++ or --");
                        }

                        return;
                    }

                    forward.Line($"{_tape}.PushInt({target});");
                    forward.Line(write);
                    reverse.Add(w => w.Line($"{target} = {_tape}.PopInt();"));
                }

                // An element of a local array or span written: a[i] = …, a[i] += …, a[i]++. The element's old value is
                // kept; the reverse puts it back, then sends the element's adjoint to what the right side read.
                private void WriteElement(ElementAccessExpressionSyntax element, ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (_model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is { } ints && _variables.TryGetValue(ints, out var read) &&
                        read.Kind == Kind.Ints && element.ArgumentList.Arguments.Count == 1 && element.Expression is IdentifierNameSyntax)
                    {
                        if (!read.Writable)
                        {
                            Fail(element.GetLocation(), $"Writing to the elements of the int parameter '{element.Expression}'", "copy it into a local array of ints (int[] own = new int[a.Length]; and a loop) and write that");
                            return;
                        }

                        WriteInt(read, element, expression, forward, reverse);
                        return;
                    }

                    if (_model.GetSymbolInfo(element.Expression, _l._cancellationToken).Symbol is not { } symbol || !_variables.TryGetValue(symbol, out var span) ||
                        span.Kind != Kind.Span || element.ArgumentList.Arguments.Count != 1)
                    {
                        Fail(element.GetLocation(), "Writing to this element", "write to the elements of a local array or span of the method");
                        return;
                    }

                    if (IndexText(span, element.ArgumentList.Arguments[0].Expression) is not { } index)
                    {
                        return;
                    }

                    WriteElement(span, index, expression, forward, reverse);
                }

                // span[index] written by an assignment, a compound assignment or a step (of the element, or of a ref local
                // that aliases it).
                private void WriteElement(Variable span, string index, ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (!span.Writable)
                    {
                        Fail(expression.GetLocation(), "Writing to an element of a span parameter or a static array", $"copy it into a local array (new {_l.TypeName}[n] or stackalloc {_l.TypeName}[n]) and write to that");
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

                    WriteElement(span, index, value, keep: true, forward, reverse);
                }

                // span[index] = value, the old element kept where keep (an initializer's first write keeps nothing).
                private void WriteElement(Variable span, string index, Term value, bool keep, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    string element = $"{span.Name}[{index}]";
                    if (keep)
                    {
                        forward.Line($"{_tape}.Push({element});");
                    }

                    forward.Line($"{element} = {Text(value)};");
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

                            if (keep)
                            {
                                w.Line($"{span.Name}[{at}] = {_tape}.Pop();");
                            }

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

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    /// <summary>
    /// Lowers a [Differentiable] method (syntax + semantic model) to a <see cref="MethodModel"/>: an
    /// expression DAG over parameters, constants, arithmetic, selects and calls. Anything outside the
    /// accepted language becomes a diagnostic at the exact span of the offending syntax; a method the
    /// C# compiler already rejects yields nothing (the compiler's own error is the right one).
    /// </summary>
    internal static partial class Parser
    {
        internal const string DifferentiableAttribute = "AutoDiff.DifferentiableAttribute";
        private const string NoDiffAttribute = "AutoDiff.NoDiffAttribute";
        private const string ConstantAttribute = "AutoDiff.ConstantAttribute";

        public static Result<MethodModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            try
            {
                return context.TargetNode switch
                {
                    MethodDeclarationSyntax method when context.TargetSymbol is IMethodSymbol symbol =>
                        new Lowering(method, symbol, context.SemanticModel, cancellationToken).Run(),
                    LocalFunctionStatementSyntax local => Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSyntax,
                        local.Identifier.GetLocation(), "A local function",
                        "declare it as a static method of a partial type")),
                    _ => Empty,
                };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                var location = context.TargetNode is MethodDeclarationSyntax m ? m.Identifier.GetLocation() : context.TargetNode.GetLocation();
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location,
                    context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message));
            }
        }

        /// <summary>
        /// The diagnostics of a [Differentiable] method's signature alone (AD0003–AD0007, AD0011, AD0014–AD0018 where
        /// they concern the declaration): what <see cref="Analyzers.SignatureAnalyzer"/> reports while the user types.
        /// The generator skips such a method without reporting them again.
        /// </summary>
        public static IReadOnlyList<DiagnosticInfo> Signature(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken) =>
            new Lowering(syntax, method, model, cancellationToken).SignatureDiagnostics();

        private static Result<MethodModel> Empty { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);

        private static Result<MethodModel> Fail(params DiagnosticInfo[] diagnostics) => new(null, diagnostics.ToEquatableArray());

        internal static bool HasAttribute(ISymbol symbol, string fullName)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is { } type && IsAutoDiffType(type, fullName))
                {
                    return true;
                }
            }

            return false;
        }

        // Whether the type is "AutoDiff.<Name>" (a top-level type of the AutoDiff namespace), without formatting
        // its name: the analyzer and the generator ask this of every attribute of every parameter.
        private static bool IsAutoDiffType(INamedTypeSymbol type, string fullName) =>
            fullName.Length == "AutoDiff.".Length + type.Name.Length &&
            fullName.EndsWith(type.Name, StringComparison.Ordinal) &&
            type.ContainingType is null &&
            type.ContainingNamespace is { Name: "AutoDiff", ContainingNamespace.IsGlobalNamespace: true };

        internal static ParameterRole RoleOf(IParameterSymbol parameter) =>
            HasAttribute(parameter, ConstantAttribute) ? ParameterRole.Constant :
            HasAttribute(parameter, NoDiffAttribute) ? ParameterRole.NoDiff :
            ParameterRole.Differentiable;

        /// <summary>The functions of Math, MathF, float and double the generator knows, by name and arity.</summary>
        internal static readonly ImmutableDictionary<string, Op> MathFunctions = new Dictionary<string, Op>
        {
            ["Exp/1"] = Op.Exp,
            ["Log/1"] = Op.Log,
            ["Log2/1"] = Op.Log2,
            ["Log10/1"] = Op.Log10,
            ["Sqrt/1"] = Op.Sqrt,
            ["Abs/1"] = Op.Abs,
            ["Tanh/1"] = Op.Tanh,
            ["Sinh/1"] = Op.Sinh,
            ["Cosh/1"] = Op.Cosh,
            ["Sin/1"] = Op.Sin,
            ["Cos/1"] = Op.Cos,
            ["Tan/1"] = Op.Tan,
            ["Asin/1"] = Op.Asin,
            ["Acos/1"] = Op.Acos,
            ["Atan/1"] = Op.Atan,
            ["Atan2/2"] = Op.Atan2,
            ["Asinh/1"] = Op.Asinh,
            ["Acosh/1"] = Op.Acosh,
            ["Atanh/1"] = Op.Atanh,
            ["Cbrt/1"] = Op.Cbrt,
            ["Exp2/1"] = Op.Exp2,          // float and double only
            ["Exp10/1"] = Op.Exp10,        // float and double only
            ["Hypot/2"] = Op.Hypot,        // float and double only
            ["IEEERemainder/2"] = Op.IeeeRemainder,
            // float's and double's ExpM1 and LogP1 compute e^x − 1 and ln(1 + x) naively in .NET 10 (all the digits
            // of a small x lost); they are differentiated and emitted as AD.ExpM1 and AD.Log1P, which are accurate.
            ["ExpM1/1"] = Op.ExpM1,
            ["LogP1/1"] = Op.Log1P,
            ["Pow/2"] = Op.Pow,
            ["Max/2"] = Op.Max,
            ["Min/2"] = Op.Min,
            ["CopySign/2"] = Op.CopySign,
            ["FusedMultiplyAdd/3"] = Op.FusedMultiplyAdd,
            ["Sign/1"] = Op.Sign,
            ["Floor/1"] = Op.Floor,
            ["Ceiling/1"] = Op.Ceiling,
            ["Round/1"] = Op.Round,
            ["Truncate/1"] = Op.Truncate,
        }.ToImmutableDictionary();

        /// <summary>The functions of AutoDiff.AD the generator knows.</summary>
        internal static readonly ImmutableDictionary<string, Op> HelperFunctions = new Dictionary<string, Op>
        {
            ["Sigmoid/1"] = Op.Sigmoid,
            ["Softplus/1"] = Op.Softplus,
            ["Log1P/1"] = Op.Log1P,
            ["ExpM1/1"] = Op.ExpM1,
            ["Erf/1"] = Op.Erf,
            ["Sign/1"] = Op.Sign,
            ["StopGradient/1"] = Op.NoGradient,
        }.ToImmutableDictionary();

        private static readonly string MathList =
            string.Join(", ", MathFunctions.Keys.Select(k => k.Split('/')[0]).Where(n => n is not ("Sign" or "Floor" or "Ceiling" or "Round" or "Truncate")).OrderBy(n => n)) + ", Clamp";

        private static readonly string HelperList = string.Join(", ", HelperFunctions.Keys.Select(k => k.Split('/')[0]).OrderBy(n => n));

        /// <summary>The state of straight-line code at one point: has it returned (a condition), with what, and the locals otherwise.</summary>
        private sealed class Flow
        {
            public Flow(int done, int value, ImmutableDictionary<ISymbol, int> locals)
            {
                Done = done;
                Value = value;
                Locals = locals;
            }

            public int Done { get; set; }

            public int Value { get; set; }

            public ImmutableDictionary<ISymbol, int> Locals { get; set; }

            /// <summary>A break or continue reached on every path here (an unrolled loop's body stops at it).</summary>
            public LoopJump Jump { get; set; }
        }

        /// <summary>What a caller needs to know of a callee: whether it has a gradient at all, and whether a Hessian form.</summary>
        private readonly record struct CalleeFacts(bool Rejected, bool HasHessian);

        private enum LoopJump
        {
            None,
            Break,
            Continue,
        }

        private sealed partial class Lowering
        {
            private readonly MethodDeclarationSyntax _syntax;
            private readonly IMethodSymbol _method;
            private readonly SemanticModel _model;
            private readonly CancellationToken _cancellationToken;
            private readonly List<DiagnosticInfo> _diagnostics = new();
            private readonly List<CalleeModel> _callees = new();
            private readonly List<ParameterModel> _parameters = new();
            private readonly Dictionary<ISymbol, CalleeFacts> _calleeFacts;
            private GraphBuilder _graph = null!;
            private SpecialType _type;

            public Lowering(MethodDeclarationSyntax syntax, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken,
                Dictionary<ISymbol, CalleeFacts>? calleeFacts = null)
            {
                _syntax = syntax;
                _method = method;
                _model = model;
                _cancellationToken = cancellationToken;
                _calleeFacts = calleeFacts ?? new Dictionary<ISymbol, CalleeFacts>(SymbolEqualityComparer.Default);
            }

            private string TypeName => _type == SpecialType.System_Double ? "double" : "float";

            public IReadOnlyList<DiagnosticInfo> SignatureDiagnostics()
            {
                CheckSignature();
                return _diagnostics;
            }

            public Result<MethodModel> Run()
            {
                // A signature in error is the analyzer's to report (it shows while typing); no code for it. The
                // diagnostics come along, marked, for a build that runs no analyzers (the generator reports them then).
                var types = CheckSignature();
                if (_diagnostics.Count > 0)
                {
                    return new Result<MethodModel>(null, _diagnostics.ToEquatableArray(), SignatureErrors: true);
                }

                // A method the compiler rejects (half typed, in an editor) gets no diagnostics of ours
                // on top of the compiler's, and no code.
                if (_model.GetDiagnostics(_syntax.Span, _cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    return Empty;
                }

                // A supplied derivative replaces the body: F is one call of itself, whose chain rule is the derivative.
                // One whose signature does not fit is reported at its attribute; F then gets no code.
                var custom = CustomDerivatives.Find(_method);
                if (custom is { Valid: false })
                {
                    return Empty;
                }

                _graph = new GraphBuilder(_parameters, _callees);
                int output = custom is { Method: var derivative } ? LowerAsCustom(derivative) : LowerBody();
                if (output < 0 || _diagnostics.Count > 0)
                {
                    return Finish(null);
                }

                var ns = _method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
                int overload = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
                    .TakeWhile(m => !SymbolEqualityComparer.Default.Equals(m, _method)).Count();
                return Finish(new MethodModel(ns, types.ToEquatableArray(), Accessibility(_method.DeclaredAccessibility),
                    _method.Name, _type == SpecialType.System_Double, _parameters.ToEquatableArray(), _callees.ToEquatableArray(),
                    _graph.ToGraph(), _graph.ToNames(), output, overload, custom?.Method.Name, _callees.All(c => c.HasHessian)));
            }

            private int LowerAsCustom(IMethodSymbol derivative)
            {
                var self = new CalleeModel(_method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), _method.Name,
                    _parameters.ToEquatableArray(), derivative.Name, HasHessian: false);
                _callees.Add(self);
                return _graph.Call(0, Enumerable.Range(0, _parameters.Count).Select(_graph.Parameter).ToArray());
            }

            private Result<MethodModel> Finish(MethodModel? model) => new(model, _diagnostics.ToEquatableArray());

            private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
                _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

            // ---- Signature ---------------------------------------------------------------------

            private List<TypeDeclarationModel> CheckSignature()
            {
                var types = new List<TypeDeclarationModel>();
                for (var parent = _syntax.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is not TypeDeclarationSyntax type)
                    {
                        continue;
                    }

                    if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        Report(DiagnosticDescriptors.TypeNotPartial, type.Identifier.GetLocation(), type.Identifier.Text, _method.Name);
                    }

                    if (type.TypeParameterList is not null)
                    {
                        Report(DiagnosticDescriptors.GenericNotSupported, type.Identifier.GetLocation(), type.Identifier.Text);
                    }

                    string keyword = type switch
                    {
                        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                        _ => type.Keyword.Text,
                    };
                    types.Insert(0, new TypeDeclarationModel(keyword, type.Identifier.Text));
                }

                if (_syntax.TypeParameterList is not null)
                {
                    Report(DiagnosticDescriptors.GenericNotSupported, _syntax.Identifier.GetLocation(), _method.Name);
                }

                if (!_method.IsStatic)
                {
                    Report(DiagnosticDescriptors.MethodNotStatic, _syntax.Identifier.GetLocation(), _method.Name);
                }

                _type = _method.ReturnType.SpecialType;
                if (_type is not (SpecialType.System_Single or SpecialType.System_Double))
                {
                    Report(DiagnosticDescriptors.UnsupportedType, _syntax.ReturnType.GetLocation(), _method.Name, _method.ReturnType.ToDisplayString());
                    _type = _method.Parameters.FirstOrDefault()?.Type.SpecialType ?? SpecialType.System_Single;
                }

                // The method symbol's parameters are the syntax's, in order (asking the model per parameter costs more).
                var parameters = _syntax.ParameterList.Parameters;
                for (int i = 0; i < parameters.Count && i < _method.Parameters.Length; i++)
                {
                    CheckParameter(parameters[i], _method.Parameters[i]);
                }

                if (_diagnostics.Count == 0)
                {
                    CheckRowParameters();
                }

                if (_diagnostics.Count == 0 && _parameters.All(p => p.Role == ParameterRole.Constant || p.Shape == ParameterShape.Index))
                {
                    Report(DiagnosticDescriptors.NoElementParameter, _syntax.Identifier.GetLocation(), _method.Name);
                }

                return types;
            }

            private void CheckParameter(ParameterSyntax syntax, IParameterSymbol parameter)
            {
                foreach (var modifier in syntax.Modifiers)
                {
                    if (modifier.Kind() is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword
                        or SyntaxKind.ParamsKeyword or SyntaxKind.ThisKeyword or SyntaxKind.ReadOnlyKeyword or SyntaxKind.ScopedKeyword)
                    {
                        Report(DiagnosticDescriptors.ParameterByReference, modifier.GetLocation(), parameter.Name, modifier.Text);
                    }
                }

                var typeLocation = syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation();
                var shape = ShapeOf(parameter.Type, out var special);
                if (shape is null || special is not (SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32))
                {
                    Report(DiagnosticDescriptors.UnsupportedType, typeLocation, parameter.Name, parameter.Type.ToDisplayString());
                }
                else if (special != _type && shape != ParameterShape.Index)
                {
                    var expected = shape == ParameterShape.Span ? $"ReadOnlySpan<{TypeName}>" : TypeName;
                    Report(DiagnosticDescriptors.MixedPrecision, typeLocation, parameter.Type.ToDisplayString(), TypeName,
                        $"declare '{parameter.Name}' as {expected}");
                }

                bool noDiff = HasAttribute(parameter, NoDiffAttribute);
                bool constant = HasAttribute(parameter, ConstantAttribute);
                if (noDiff && constant)
                {
                    Report(DiagnosticDescriptors.ConflictingRoles, syntax.Identifier.GetLocation(), parameter.Name);
                }

                var role = shape == ParameterShape.Index ? ParameterRole.NoDiff : RoleOf(parameter);
                if (shape == ParameterShape.Span && role == ParameterRole.Constant)
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, syntax.Identifier.GetLocation(), $"A [Constant] span '{parameter.Name}'",
                        "mark a span without a gradient [NoDiff]; [Constant] is for one scalar shared by every row");
                }

                _parameters.Add(new ParameterModel(Emit.NameScope.Identifier(parameter.Name), role, shape ?? ParameterShape.Scalar));
            }

            // float/double, ReadOnlySpan<float/double>, or int (an index into a span).
            private static ParameterShape? ShapeOf(ITypeSymbol type, out SpecialType element)
            {
                element = type.SpecialType;
                if (element is SpecialType.System_Single or SpecialType.System_Double)
                {
                    return ParameterShape.Scalar;
                }

                if (element == SpecialType.System_Int32)
                {
                    return ParameterShape.Index;
                }

                if (type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span &&
                    span.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
                {
                    element = span.TypeArguments[0].SpecialType;
                    return ParameterShape.Span;
                }

                return null;
            }

            // A method over spans: its scalars are per-row data or per-batch constants, never differentiated;
            // an int only makes sense as an index into a span.
            private void CheckRowParameters()
            {
                bool row = _parameters.Any(p => p.Shape == ParameterShape.Span);
                for (int i = 0; i < _parameters.Count; i++)
                {
                    var parameter = _parameters[i];
                    var syntax = _syntax.ParameterList.Parameters[i];
                    if (row && parameter.Shape == ParameterShape.Scalar && parameter.Role == ParameterRole.Differentiable)
                    {
                        Report(DiagnosticDescriptors.RowScalarDifferentiable, syntax.Identifier.GetLocation(), parameter.Name);
                    }
                    else if (!row && parameter.Shape == ParameterShape.Index)
                    {
                        Report(DiagnosticDescriptors.UnsupportedType, syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation(), parameter.Name, "int, but no span to index");
                    }
                }
            }

            private static string Accessibility(Accessibility accessibility) => accessibility switch
            {
                Microsoft.CodeAnalysis.Accessibility.Public => "public",
                Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
                Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
                Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
                Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
                _ => "private",
            };

            // ---- Statements --------------------------------------------------------------------

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
                    case ForEachVariableStatementSyntax loop:
                        return Unsupported(DiagnosticDescriptors.LoopNotSupported, loop.ForEachKeyword.GetLocation(), "This 'foreach' loop", "a length known only when it runs");
                    default:
                        return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, statement.GetLocation(), Describe(statement),
                            "write the body with locals, if/else and return statements");
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
                            return Unsupported(DiagnosticDescriptors.UnsupportedSyntax, variable.GetLocation(), $"The int local '{counter.Name}' with a value that depends on the data",
                                "give int locals values known while compiling (constants, counters, bounds); compute with " + TypeName + " otherwise");
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

                return Unsupported(DiagnosticDescriptors.UnsupportedType, typeSyntax.GetLocation(), local.Name, local.Type.ToDisplayString());
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
                if (AssignedVariable(assignment.Left) is not { } variable)
                {
                    return false;
                }

                int right = variable is ILocalSymbol local ? LowerLocal(local, assignment.Right, flow.Locals) : LowerValue(assignment.Right, flow.Locals);
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
                    int current = Current(variable, flow);
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

                var merged = whenTrue.Locals;
                foreach (var pair in whenFalse.Locals)
                {
                    if (!merged.TryGetValue(pair.Key, out var value))
                    {
                        merged = merged.SetItem(pair.Key, pair.Value);
                    }
                    else if (value != pair.Value)
                    {
                        int select = _graph.Select(condition, value, pair.Value);
                        _graph.Name(select, pair.Key.Name);
                        merged = merged.SetItem(pair.Key, select);
                    }
                }

                return merged;
            }

            private void Return(Flow flow, int done, int value)
            {
                flow.Value = flow.Value < 0 ? value : _graph.Select(flow.Done, flow.Value, value);
                flow.Done = _graph.Or(flow.Done, done);
            }

            private bool IsTrue(int id) => _graph[id] is { Op: Op.BoolConstant, Value: 1 };

            // ---- Expressions -------------------------------------------------------------------

            private ImmutableDictionary<ISymbol, int> _locals = ImmutableDictionary.Create<ISymbol, int>(SymbolEqualityComparer.Default);

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
                if (type == _type || type == SpecialType.System_Boolean)
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

                if (type is SpecialType.System_Single or SpecialType.System_Double)
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
                    case double when _type == SpecialType.System_Single && info.ConvertedType?.SpecialType == SpecialType.System_Double:
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
                        Report(DiagnosticDescriptors.UnsupportedSymbol, identifier.GetLocation(), symbol.Name);
                        return -1;
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

                var symbol = _model.GetSymbolInfo(member, _cancellationToken).Symbol;
                if (symbol is IFieldSymbol or IPropertySymbol)
                {
                    Report(DiagnosticDescriptors.UnsupportedSymbol, member.GetLocation(), member.ToString());
                    return -1;
                }

                return Fail(member, $"'{member}'", "read parameters, locals and constants");
            }

            private int LowerBinary(BinaryExpressionSyntax binary)
            {
                var kind = binary.Kind();
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

            private int LowerCast(CastExpressionSyntax cast)
            {
                // A cast to the method's own type of a value already of that type changes nothing;
                // anything else crosses float/double or leaves the reals.
                var target = _model.GetTypeInfo(cast.Type, _cancellationToken).Type?.SpecialType ?? SpecialType.None;
                if (target == _type)
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

                var name = callee.ContainingType?.ToDisplayString() ?? string.Empty;
                var key = callee.Name + "/" + callee.Parameters.Length;
                if (name is "System.Math" or "System.MathF" or "float" or "double" && (MathFunctions.TryGetValue(key, out var op) || callee.Name == "Clamp"))
                {
                    return LowerFunction(invocation, callee, callee.Name == "Clamp" ? null : op);
                }

                if (name == "AutoDiff.AD" && HelperFunctions.TryGetValue(key, out op))
                {
                    return LowerFunction(invocation, callee, op);
                }

                if (name == "AutoDiff.AD" && Reductions.Contains(callee.Name))
                {
                    return LowerReduction(invocation, callee);
                }

                if (HasAttribute(callee, DifferentiableAttribute))
                {
                    return LowerCall(invocation, callee);
                }

                // Only a method whose source is in this project can be marked; a library's (Math.ScaleB, a package's)
                // cannot, and the advice says so instead of asking for the impossible.
                string known = $"use one of Math/MathF {MathList} or AD {HelperList}";
                string advice = callee.DeclaringSyntaxReferences.IsEmpty
                    ? $"it is compiled library code, which has no derivative here; {known}, or a [Differentiable] method of your own written with them"
                    : $"mark it [Differentiable] (in a partial type), or {known}";
                Report(DiagnosticDescriptors.UnknownMethod, invocation.GetLocation(), callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), advice);
                return -1;
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
                // Math.Exp(float) promotes to double: report it on the call, with the MathF advice.
                var returns = callee.ReturnType.SpecialType;
                if (op != Op.Sign && returns != _type)
                {
                    Report(DiagnosticDescriptors.MixedPrecision, invocation.GetLocation(), callee.ReturnType.ToDisplayString(), TypeName, Advice());
                    return -1;
                }

                var args = LowerArguments(invocation, callee);
                if (args is null)
                {
                    return -1;
                }

                if (op is null)
                {
                    // Clamp(x, lo, hi) = Min(Max(x, lo), hi): PyTorch's clamp gradient, and no rule of its own.
                    return _graph.Function(Op.Min, _graph.Function(Op.Max, args[0], args[1]), args[2]);
                }

                if (OpFacts.IsPiecewiseConstant(op.Value) && _graph.IsActive(args[0]))
                {
                    Report(DiagnosticDescriptors.NotDifferentiable, invocation.GetLocation(), callee.ContainingType.Name + "." + callee.Name,
                        ActiveParameterOf(args[0]));
                    return -1;
                }

                return op == Op.NoGradient ? _graph.NoGradient(args[0]) : _graph.Function(op.Value, args);
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

                if (callee.Parameters.Any(p => ShapeOf(p.Type, out _) is ParameterShape.Span or ParameterShape.Index))
                {
                    return Fail(invocation, $"A call of '{callee.Name}', a method over spans",
                        "write its reductions here (calls of [Differentiable] methods are followed for scalar methods only)");
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
                    Report(DiagnosticDescriptors.CalleeRejected, invocation.GetLocation(), callee.Name);
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

            // ---- Rows ----------------------------------------------------------------------------

            private static readonly ImmutableHashSet<string> Reductions =
                ImmutableHashSet.Create("Sum", "Mean", "LogSumExp", "Max", "Dot", "Norm", "SquaredDistance");

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

                return Fail(index, $"The index '{index}'", "index with an int parameter of the method or an int constant");
            }

            // AD.Sum(a, x => …) and the named reductions, expressed with Sum and MaxOf over elements.
            private int LowerReduction(InvocationExpressionSyntax invocation, IMethodSymbol callee)
            {
                // In a loop over the row every span means one element: a reduction there would sum over the same index.
                if (_inRowLoop)
                {
                    return Fail(invocation, $"AD.{callee.Name} inside a loop over the row", "compute the reduction before the loop, in a local, and use the local inside");
                }

                if (callee.Parameters.Any(p => p.Type is INamedTypeSymbol { Name: "ReadOnlySpan" } span && span.TypeArguments[0].SpecialType != _type))
                {
                    Report(DiagnosticDescriptors.MixedPrecision, invocation.GetLocation(), callee.ReturnType.ToDisplayString(), TypeName,
                        $"reduce ReadOnlySpan<{TypeName}> rows");
                    return -1;
                }

                var elements = new List<int>();
                LambdaExpressionSyntax? lambda = null;
                foreach (var argument in invocation.ArgumentList.Arguments)
                {
                    if (argument.Expression is LambdaExpressionSyntax l)
                    {
                        lambda = l;
                        continue;
                    }

                    int span = SpanParameter(argument.Expression);
                    if (span < 0)
                    {
                        Report(DiagnosticDescriptors.SpanMisused, argument.GetLocation(), argument.ToString());
                        return -1;
                    }

                    elements.Add(_graph.Element(span));
                }

                if (elements.Count == 0)
                {
                    return -1; // the compiler reports a bad call
                }

                int x = elements[0];
                switch (callee.Name)
                {
                    case "Sum" when lambda is not null:
                        int body = LowerLambda(lambda, elements);
                        return body < 0 ? -1 : _graph.Sum(body);
                    case "Sum":
                        return _graph.Sum(x);
                    case "Mean":
                        return _graph.Divide(_graph.Sum(x), _graph.Length());
                    case "Max":
                        return _graph.MaxOf(x);
                    case "LogSumExp":
                        // m + log Σ exp(x − m), m = max x (0 where infinite, as torch.logsumexp); no gradient flows through m.
                        int max = _graph.MaxOf(x);
                        int infinite = _graph.Compare(Op.Equal, _graph.Function(Op.Abs, max), _graph.Constant(double.PositiveInfinity));
                        int shift = _graph.NoGradient(_graph.Select(infinite, _graph.Constant(0), max));
                        _graph.Name(shift, "shift");
                        int sum = _graph.Sum(_graph.Function(Op.Exp, _graph.Subtract(x, shift)));
                        return _graph.Add(_graph.Function(Op.Log, sum), shift);
                    case "Dot" when elements.Count == 2:
                        return _graph.Sum(_graph.Multiply(x, elements[1]));
                    case "Norm":
                        return _graph.Function(Op.Sqrt, _graph.Sum(_graph.Multiply(x, x)));
                    case "SquaredDistance" when elements.Count == 2:
                        int difference = _graph.Subtract(x, elements[1]);
                        return _graph.Sum(_graph.Multiply(difference, difference));
                    default:
                        return -1;
                }
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
                    facts = new CalleeFacts(callee.ContainingType.GetMembers(callee.Name + "Gradient").IsEmpty, !callee.ContainingType.GetMembers(callee.Name + "Hessian").IsEmpty);
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
                    facts = new CalleeFacts(rejected, !rejected && result!.Value!.HasHessian);
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

        /// <summary>"A switch statement" for a SwitchStatementSyntax: the construct in words, for messages.</summary>
        internal static string Describe(SyntaxNode node)
        {
            var kind = node.Kind().ToString();
            var words = new System.Text.StringBuilder();
            foreach (char c in kind)
            {
                if (char.IsUpper(c) && words.Length > 0)
                {
                    words.Append(' ');
                }

                words.Append(char.ToLowerInvariant(c));
            }

            var text = words.ToString().Replace(" expression", string.Empty).Replace(" statement", " statement");
            return ("aeiou".IndexOf(text[0]) >= 0 ? "An " : "A ") + text;
        }
    }
}

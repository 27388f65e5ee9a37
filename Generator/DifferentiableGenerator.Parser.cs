using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Rules;
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

        /// <summary>
        /// A scalar of the other floating type taken by value by a method that returns a value: a float of a double method
        /// (read where C# widens it), a double of a float method (read where the method narrows it). The method's scalar
        /// forms take it (ParameterModel.Converted); a supplied derivative or spans beside it do not.
        /// </summary>
        internal static bool IsConverted(IParameterSymbol parameter, IMethodSymbol method) =>
            parameter.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double &&
            !SymbolEqualityComparer.Default.Equals(parameter.Type, method.ReturnType) && parameter.RefKind == RefKind.None && !method.ReturnsVoid;

        internal static ParameterRole RoleOf(IParameterSymbol parameter) =>
            HasAttribute(parameter, ConstantAttribute) ? ParameterRole.Constant :
            HasAttribute(parameter, NoDiffAttribute) ? ParameterRole.NoDiff :
            ParameterRole.Differentiable;

        /// <summary>The functions of AutoDiff.AD the generator knows (Rules.Functions), and AD.StopGradient, which is no function but the graph's NoGradient.</summary>
        private static readonly ImmutableDictionary<string, Op> HelperFunctions = Functions.ByHelperName.ToImmutableDictionary().Add("StopGradient/1", Op.NoGradient);

        private static readonly string MathList =
            string.Join(", ", Functions.All.Where(f => f.Rule is not null).SelectMany(f => f.MathNames).Concat(Composites.Keys.Select(k => k.Split('/')[0])).Distinct().OrderBy(n => n)) + ", Clamp";

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
        /// <summary>
        /// What a caller needs to know of a callee: whether it has no gradient, and which second-order and forward forms
        /// it has (FHessian for a method of scalars; FJvp and FHessianVectorProduct for one with spans or ints).
        /// </summary>
        private readonly record struct CalleeFacts(bool Rejected, bool HasHessian, bool HasJvp = true, bool HasHessianVectorProduct = false, bool Narrowed = false);

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

            // What the signature alone cannot decide (AD0018, an int without a span): reported unless the gradient is taped.
            private readonly List<DiagnosticInfo> _deferred = new();
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

                // A float method of scalars that keeps double locals (C's double sum over floats): its taped gradient computes
                // in double throughout, as a double method taking its float parameters; its forms narrow what they return.
                // Where that fails, the method is lowered as written (and the double local is AD0006).
                if (!_widened && IsWidenable() && new Lowering(_syntax, _method, _model, _cancellationToken, _calleeFacts) { _widened = true }.Run() is { Value: not null } widened &&
                    widened.Diagnostics.Count == 0)
                {
                    return widened;
                }

                if (_widened)
                {
                    _type = SpecialType.System_Double;
                    for (int i = 0; i < _parameters.Count; i++)
                    {
                        if (_parameters[i].Shape is ParameterShape.Scalar or ParameterShape.Out)
                        {
                            _parameters[i] = _parameters[i] with { Converted = _method.Parameters[i].Type.SpecialType == SpecialType.System_Single };
                        }
                    }
                }

                // A void helper (its results its out and ref parameters, and the spans it writes) is differentiated where
                // it is called: its body is translated into each caller's taped gradient. Translated here once, so that
                // what it cannot take is reported at it; that translation, each result's adjoint seeded, is its own
                // vector-Jacobian product (FVjp), where it has a differentiable result.
                if (_method.ReturnsVoid)
                {
                    _graph = new GraphBuilder(_parameters, _callees);
                    var vjp = new TapeTranslator(this, TapeForm.Gradient).Translate();
                    if (vjp is null || _diagnostics.Count > 0)
                    {
                        return Finish(null);
                    }

                    // Its forward mode (FJvp) is the body over dual numbers, its spans written in place through copies.
                    bool hasResult = _parameters.Any(p => p.Role == ParameterRole.Differentiable && p.IsWrittenResult);
                    var jvp = hasResult ? LowerTapeOverDuals(TapeForm.ValueOverDuals) : null;
                    return Finish(new MethodModel(Namespace(), types.ToEquatableArray(), Accessibility(_method.DeclaredAccessibility), _method.Name,
                        _type == SpecialType.System_Double, _parameters.ToEquatableArray(), _callees.ToEquatableArray(), _graph.ToGraph(), _graph.ToNames(),
                        Output: -1, OverloadIndex(), HasHessian: false, IsVoid: true,
                        TapeGradient: hasResult ? vjp.ToEquatableArray() : default, TapeValueOverDuals: jvp?.ToEquatableArray() ?? default));
                }

                // A supplied derivative replaces the body: F is one call of itself, whose chain rule is the derivative.
                // One whose signature does not fit is reported at its attribute; F then gets no code.
                // So is a supplied Hessian (or Hessian-vector product) that does not fit or has no supplied gradient beside it.
                var custom = CustomDerivatives.Find(_method);
                var suppliedHessian = CustomDerivatives.FindHessian(_method);
                if ((custom is not null || suppliedHessian is not null) && _parameters.Any(p => p.Converted))
                {
                    ConvertedOutsideScalarForms();
                    return Finish(null);
                }

                if (custom is { Valid: false } || suppliedHessian is { Valid: false } || (suppliedHessian is not null && custom is null))
                {
                    return Empty;
                }

                _graph = new GraphBuilder(_parameters, _callees);

                // A method over spans (or with ints or bools) whose derivative its author supplies: its FGradient is that
                // derivative (called, where it has another name), which callers' taped gradients call; no other forms.
                if (custom is { Method: var supplied } && _parameters.Any(p => p.Shape != ParameterShape.Scalar))
                {
                    var outputs = _parameters.Where(p => p.Role == ParameterRole.Differentiable).Zip(Emit.NameScope.GradientNames(_parameters),
                        (p, d) => (p.Shape == ParameterShape.Span ? string.Empty : "out ") + d);
                    var arguments = _parameters.Select(p => p.Name).Concat(outputs);
                    var call = new[] { $"return {Emit.NameScope.Identifier(supplied.Name)}({string.Join(", ", arguments)});" };
                    return Finish(new MethodModel(Namespace(), types.ToEquatableArray(), Accessibility(_method.DeclaredAccessibility), _method.Name,
                        _type == SpecialType.System_Double, _parameters.ToEquatableArray(), _callees.ToEquatableArray(), _graph.ToGraph(), _graph.ToNames(),
                        Output: -1, OverloadIndex(), supplied.Name, HasHessian: false, TapeGradient: call.ToEquatableArray(),
                        GradientSupplied: supplied.Name == _method.Name + "Gradient", SuppliedHessian: suppliedHessian?.Method.Name));
                }

                int output = custom is { Method: var derivative } ? LowerAsCustom(derivative.Name) : _widened ? -1 : LowerBody();

                // What the graph cannot hold (a loop whose count is known only when it runs, an int computed from the
                // data): the gradient is written statement by statement instead, and a method of scalars is one call
                // of itself through it. Where that fails too, the tape's diagnostics are reported if the graph's were
                // about what the tape is for (AD0001: a loop it cannot unroll, an int computed from the data) and the
                // tape said why, else the graph's and the signature's deferred ones.
                // A signature the graph cannot serve (a differentiable scalar beside spans, an int with no span) is the
                // tape's to try too, whether or not the graph held the body.
                IReadOnlyList<string>? tape = null, tapeOverDuals = null, valueOverDuals = null;
                if ((output < 0 || _deferred.Count > 0) && custom is null)
                {
                    var refused = _diagnostics.ToList();
                    _diagnostics.Clear();
                    _callees.Clear();
                    _graph = new GraphBuilder(_parameters, _callees);
                    tape = LowerTape();
                    output = tape is null ? -1 : LowerAsCustom(_method.Name + "Gradient");
                    if (tape is not null)
                    {
                        tapeOverDuals = LowerTapeOverDuals(TapeForm.GradientOverDuals);
                        valueOverDuals = LowerTapeOverDuals(TapeForm.ValueOverDuals);
                    }
                    if (tape is null && (_diagnostics.Count == 0 || !refused.Any(d => d.Id == DiagnosticDescriptors.LoopNotSupported.Id)))
                    {
                        // An int used as a number (AD0020), a slice passed to a reduction (AD0019) and a differentiable
                        // scalar beside spans (AD0018) are the tape's to take: what stopped the tape is said too, or the graph's advice alone (pass it as a
                        // double, give it a role) would hide it (a tuple, a pattern).
                        bool tapesToTake = refused.Any(d => d.Id == DiagnosticDescriptors.IndexMisused.Id || d.Id == DiagnosticDescriptors.SpanMisused.Id) ||
                                           _deferred.Any(d => d.Id == DiagnosticDescriptors.RowScalarDifferentiable.Id);
                        var tapes = tapesToTake ? _diagnostics.ToList() : new List<DiagnosticInfo>();
                        _diagnostics.Clear();
                        _diagnostics.AddRange(refused);
                        _diagnostics.AddRange(_deferred);
                        _diagnostics.AddRange(tapes.Where(d => !_diagnostics.Any(said => said.Id == d.Id && said.FilePath == d.FilePath && said.Start == d.Start && said.Length == d.Length)));
                    }
                }
                else if (_deferred.Count > 0)
                {
                    _diagnostics.AddRange(_deferred);
                }

                if (output >= 0 && _diagnostics.Count == 0 && _parameters.Any(p => p.Shape == ParameterShape.Span || p.Shape == ParameterShape.Indices))
                {
                    ConvertedOutsideScalarForms();
                }

                if (output < 0 || _diagnostics.Count > 0)
                {
                    return Finish(null);
                }

                return Finish(new MethodModel(Namespace(), types.ToEquatableArray(), Accessibility(_method.DeclaredAccessibility),
                    _method.Name, _type == SpecialType.System_Double, _parameters.ToEquatableArray(), _callees.ToEquatableArray(),
                    _graph.ToGraph(), _graph.ToNames(), output, OverloadIndex(), custom?.Method.Name ?? (tape is null ? null : _method.Name + "Gradient"),
                    suppliedHessian is not null
                        || (tape is null ? _callees.All(c => c.HasHessian) : tapeOverDuals is not null && _parameters.All(p => p.Shape == ParameterShape.Scalar)),
                    tape?.ToEquatableArray() ?? default, tapeOverDuals?.ToEquatableArray() ?? default, valueOverDuals?.ToEquatableArray() ?? default,
                    SuppliedHessian: suppliedHessian?.Method.Name, Narrowed: _widened));
            }

            // Lowered as a double method (Narrowed): a float method returning a value, of scalars, ints and bools, without a
            // supplied derivative, that declares a double local.
            private bool _widened;

            private bool IsWidenable() =>
                _type == SpecialType.System_Single &&
                _parameters.All(p => p.Shape is not (ParameterShape.Span or ParameterShape.Indices)) &&
                CustomDerivatives.Find(_method) is null && CustomDerivatives.FindHessian(_method) is null &&
                _syntax.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                    .Any(v => _model.GetDeclaredSymbol(v, _cancellationToken) is ILocalSymbol { Type.SpecialType: SpecialType.System_Double });

            // A call of a [Differentiable] method without a gradient to call: its own errors say why, or it computes in double
            // (Narrowed), which no other method's forms can take.
            private void ReportRejected(IMethodSymbol callee, Location location)
            {
                if (Facts(callee).Narrowed)
                {
                    Report(DiagnosticDescriptors.MixedPrecision, location, "double", TypeName,
                        $"'{callee.Name}' computes in double (a float method with double locals), so it has forms of its own alone; declare its locals float to call it here");
                }
                else
                {
                    Report(DiagnosticDescriptors.CalleeRejected, location, callee.Name);
                }
            }

            // F as one call of itself through its gradient (the derivative's name): supplied, or written with a tape.
            private int LowerAsCustom(string gradient)
            {
                var self = new CalleeModel(_method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), _method.Name,
                    _parameters.ToEquatableArray(), gradient, HasHessian: false);
                _callees.Add(self);
                return _graph.Call(0, Enumerable.Range(0, _parameters.Count).Select(_graph.Parameter).ToArray());
            }

            private Result<MethodModel> Finish(MethodModel? model) => new(model, _diagnostics.ToEquatableArray());

            private string Namespace() => _method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;

            // Which overload of its name the method is (0 for the first declared), for the names of its nested types.
            private int OverloadIndex() => _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
                .TakeWhile(m => !SymbolEqualityComparer.Default.Equals(m, _method)).Count();

            private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
                _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
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

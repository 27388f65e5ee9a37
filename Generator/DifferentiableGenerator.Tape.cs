using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Emit;
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
        // A method of scalars with a loop whose trip count is known only when it runs (while (x > 1), for (int i = 0;
        // i < x; i++), more than 256 iterations): the graph cannot hold it, so its gradient is written statement by
        // statement, reverse mode over the statements as Tapenade and clad do it. The forward sweep is the body as
        // written, each assignment first pushing the value it overwrites onto a per-thread tape
        // (AutoDiff.CompilerServices.Tape<T>), each loop pushing the iterations it ran, each if the branch it took.
        // The reverse sweep walks the statements backwards: an assignment pops the old value back (every variable is
        // then as it was before the assignment), then sends its adjoint to what its right side read; a loop runs its
        // body's reverse as many times as the loop ran, an if the reverse of the branch it took. Memory: one T per
        // assignment run and one int per int assignment, loop and branch run; no allocation once the thread's tape
        // has grown to the largest call. The method then has FGradient written this way, and every other form through
        // it (as for a derivative its author supplies: FJvp from it, lanes and span forms lane by lane, no FHessian).
        private sealed partial class Lowering
        {
            /// <summary>The gradient's body, statement by statement; null where the body has what it cannot take (reported).</summary>
            private IReadOnlyList<string>? LowerTape() => new TapeTranslator(this, TapeForm.Gradient).Translate();

            // The same body over dual numbers (AutoDiff.CompilerServices.Dual<T>): the gradient, which FHessian runs
            // once per parameter (forward over reverse), or the value alone, which FJvp runs once (forward mode). Null
            // where it cannot be (the gradient through a callee without a Hessian); never reported, for the gradient's
            // translation has said all there is to say about this body.
            private IReadOnlyList<string>? LowerTapeOverDuals(TapeForm form)
            {
                int reported = _diagnostics.Count;
                var lines = new TapeTranslator(this, form).Translate();
                _diagnostics.RemoveRange(reported, _diagnostics.Count - reported);
                return lines;
            }

            private enum TapeForm
            {
                /// <summary>FGradient: the forward sweep, then the reverse.</summary>
                Gradient,

                /// <summary>The gradient over dual numbers, for second derivatives.</summary>
                GradientOverDuals,

                /// <summary>The forward sweep alone over dual numbers: the value and its tangent.</summary>
                ValueOverDuals,
            }

            private enum Kind
            {
                Real,
                Int,

                /// <summary>
                /// An integer other than int (long, short, char, uint …; its keyword the variable's IntegerType): an
                /// integer as an int is, kept on the int tape as a long (two ints).
                /// </summary>
                Integer,
                Bool,
                Span,

                /// <summary>A local array or span of ints, made from its elements and only read.</summary>
                Ints,
            }

            private enum TermKind
            {
                Variable,
                Constant,
                Passive,
                Negate,
                Add,
                Subtract,
                Multiply,
                Divide,
                Remainder,
                Function,
                Select,
                Call,
                Element,

                /// <summary>A span or local array passed whole to a callee: its Text the span's name.</summary>
                Row,
            }

            private sealed record Variable(string Name, Kind Kind, string? Adjoint)
            {
                /// <summary>The keyword of a <see cref="Kind.Integer"/> variable's type (long, short, char …).</summary>
                public string? IntegerType { get; init; }

                /// <summary>A local array or span the method writes (a span parameter is read only).</summary>
                public bool Writable { get; init; }

                /// <summary>An array in the generated code too (a local made with new); a parameter is a span there.</summary>
                public bool IsArray { get; init; }

                /// <summary>A ref local bound to an element (ref double r = ref a[i]): the span and the int local holding the index.</summary>
                public (Variable Span, string Index)? Alias { get; init; }

                /// <summary>
                /// Over dual numbers, a differentiable span parameter's tangent span: its elements are read as
                /// (x[i], t[i]), and its adjoint span receives the tangents of the adjoints alone (the Hessian times the
                /// direction).
                /// </summary>
                public string? Tangent { get; init; }
            }

            // One node of a right side of T: what the reverse sweep recomputes and sends adjoints through. A
            // Passive term is a value through which no gradient flows (an int converted to T, a stopped gradient);
            // its Text is C#. A Select's Text is its condition.
            private sealed class Term
            {
                public Term(TermKind kind, string text, params Term[] args)
                {
                    Kind = kind;
                    Text = text;
                    Args = args;
                }

                public TermKind Kind { get; }

                /// <summary>A value read as it is (a variable, a constant, a passive value, an element): nothing to recompute.</summary>
                public bool IsLeaf => Kind is TermKind.Variable or TermKind.Constant or TermKind.Passive or TermKind.Element or TermKind.Row;

                public string Text { get; }

                public Term[] Args { get; }

                public Variable? Variable { get; init; }

                public TapeFunction? Function { get; init; }

                /// <summary>An element's index, as C#.</summary>
                public string? Index { get; init; }

                /// <summary>
                /// A call's callee: what the forward sweep calls for its value, what the reverse sweep calls for the value
                /// and the partials (one <c>out</c> per differentiable parameter), and which parameters are differentiable.
                /// </summary>
                public (string Value, string Gradient, bool[] Differentiable)? Callee { get; init; }
            }

            /// <summary>
            /// A function the statement-by-statement gradient knows: its name on Math, MathF, float, double or AD; how
            /// the generated code calls it (<c>{T}</c> stands for float or double); and its partial adjoints, given
            /// the arguments' values, the result's value and the adjoint (identifiers or literals), null for an
            /// argument without one.
            /// </summary>
            private sealed record TapeFunction(string Name, int Arity, string Call, Func<TapeRule, string?[]> Partials);

            /// <summary>What a rule is given: the arguments' values, the result, the adjoint, and spellings of T.</summary>
            private sealed record TapeRule(string[] U, string Value, string G, string T, string AD, bool IsDouble, string Zero, string One);

            private static string Lit(TapeRule r, double value) => GraphRenderer.Literal(value, r.IsDouble);

            // A chooser's partials: the adjoint to the argument it returned (the first where both are equal).
            private static string?[] Returned(TapeRule r) =>
                new[] { $"({r.Value} == {r.U[0]} ? {r.G} : {r.Zero})", $"({r.Value} == {r.U[0]} ? {r.Zero} : {r.G})" };

            private const string DualType = "global::AutoDiff.CompilerServices.Dual";

            private static readonly TapeFunction[] TapeFunctions =
            {
                new("Exp", 1, "{T}.Exp", r => new[] { $"{r.G} * {r.Value}" }),
                new("Exp2", 1, "{T}.Exp2", r => new[] { $"{r.G} * {r.Value} * {Lit(r, 0.69314718055994530942)}" }),
                new("Exp10", 1, "{T}.Exp10", r => new[] { $"{r.G} * {r.Value} * {Lit(r, 2.30258509299404568402)}" }),
                new("Log", 1, "{T}.Log", r => new[] { $"{r.G} / {r.U[0]}" }),
                new("Log2", 1, "{T}.Log2", r => new[] { $"{r.G} / ({r.U[0]} * {Lit(r, 0.69314718055994530942)})" }),
                new("Log10", 1, "{T}.Log10", r => new[] { $"{r.G} / ({r.U[0]} * {Lit(r, 2.30258509299404568402)})" }),
                new("Sqrt", 1, "{T}.Sqrt", r => new[] { $"{r.G} / ({r.Value} + {r.Value})" }),
                new("Cbrt", 1, "{T}.Cbrt", r => new[] { $"{r.G} / ({Lit(r, 3)} * {r.Value} * {r.Value})" }),
                new("Tanh", 1, "{T}.Tanh", r => new[] { $"{r.G} * ({r.One} - {r.Value} * {r.Value})" }),
                new("Sinh", 1, "{T}.Sinh", r => new[] { $"{r.G} * {r.T}.Cosh({r.U[0]})" }),
                new("Cosh", 1, "{T}.Cosh", r => new[] { $"{r.G} * {r.T}.Sinh({r.U[0]})" }),
                new("Sin", 1, "{T}.Sin", r => new[] { $"{r.G} * {r.T}.Cos({r.U[0]})" }),
                new("Cos", 1, "{T}.Cos", r => new[] { $"-{r.G} * {r.T}.Sin({r.U[0]})" }),
                new("Tan", 1, "{T}.Tan", r => new[] { $"{r.G} * ({r.One} + {r.Value} * {r.Value})" }),
                new("BitIncrement", 1, "{T}.BitIncrement", r => new[] { r.G }),
                new("BitDecrement", 1, "{T}.BitDecrement", r => new[] { r.G }),
                new("RootN", 2, "{T}.RootN", r => new[] { $"{r.G} * {r.Value} / ({r.U[1]} * {r.U[0]})", null }), // n an int, no gradient
                new("SinPi", 1, "{T}.SinPi", r => new[] { $"{r.G} * {Lit(r, Math.PI)} * {r.T}.CosPi({r.U[0]})" }),
                new("CosPi", 1, "{T}.CosPi", r => new[] { $"-{r.G} * {Lit(r, Math.PI)} * {r.T}.SinPi({r.U[0]})" }),
                new("TanPi", 1, "{T}.TanPi", r => new[] { $"{r.G} * {Lit(r, Math.PI)} * ({r.One} + {r.Value} * {r.Value})" }),
                new("Asin", 1, "{T}.Asin", r => new[] { $"{r.G} / {r.T}.Sqrt({r.One} - {r.U[0]} * {r.U[0]})" }),
                new("Acos", 1, "{T}.Acos", r => new[] { $"-{r.G} / {r.T}.Sqrt({r.One} - {r.U[0]} * {r.U[0]})" }),
                new("Atan", 1, "{T}.Atan", r => new[] { $"{r.G} / ({r.One} + {r.U[0]} * {r.U[0]})" }),
                new("Asinh", 1, "{T}.Asinh", r => new[] { $"{r.G} / {r.T}.Sqrt({r.U[0]} * {r.U[0]} + {r.One})" }),
                new("Acosh", 1, "{T}.Acosh", r => new[] { $"{r.G} / {r.T}.Sqrt({r.U[0]} * {r.U[0]} - {r.One})" }),
                new("Atanh", 1, "{T}.Atanh", r => new[] { $"{r.G} / ({r.One} - {r.U[0]} * {r.U[0]})" }),
                new("Abs", 1, "{T}.Abs", r => new[] { $"({r.U[0]} > {r.Zero} ? {r.G} : {r.U[0]} < {r.Zero} ? -{r.G} : {r.Zero})" }),
                new("Pow", 2, "{T}.Pow", r => new[]
                {
                    $"({r.U[1]} == {r.Zero} ? {r.Zero} : {r.G} * {r.U[1]} * {r.T}.Pow({r.U[0]}, {r.U[1]} - {r.One}))",
                    $"({r.U[0]} == {r.Zero} && {r.U[1]} >= {r.Zero} ? {r.Zero} : {r.G} * {r.Value} * {r.T}.Log({r.U[0]}))",
                }),
                new("Max", 2, "{T}.Max", r => new[] { $"({r.U[0]} >= {r.U[1]} ? {r.G} : {r.Zero})", $"({r.U[0]} >= {r.U[1]} ? {r.Zero} : {r.G})" }),
                new("Min", 2, "{T}.Min", r => new[] { $"({r.U[0]} <= {r.U[1]} ? {r.G} : {r.Zero})", $"({r.U[0]} <= {r.U[1]} ? {r.Zero} : {r.G})" }),
                new("MaxMagnitude", 2, "{T}.MaxMagnitude", r => Returned(r)),
                new("MinMagnitude", 2, "{T}.MinMagnitude", r => Returned(r)),
                new("MaxNumber", 2, "{T}.MaxNumber", r => Returned(r)),
                new("MinNumber", 2, "{T}.MinNumber", r => Returned(r)),
                new("MaxMagnitudeNumber", 2, "{T}.MaxMagnitudeNumber", r => Returned(r)),
                new("MinMagnitudeNumber", 2, "{T}.MinMagnitudeNumber", r => Returned(r)),
                new("Atan2", 2, "{T}.Atan2", r => new[]
                {
                    $"{r.G} * {r.U[1]} / ({r.U[0]} * {r.U[0]} + {r.U[1]} * {r.U[1]})",
                    $"-{r.G} * {r.U[0]} / ({r.U[0]} * {r.U[0]} + {r.U[1]} * {r.U[1]})",
                }),
                new("Hypot", 2, "{T}.Hypot", r => new[] { $"{r.G} * {r.U[0]} / {r.Value}", $"{r.G} * {r.U[1]} / {r.Value}" }),
                new("Clamp", 3, "{T}.Clamp", r => new[]
                {
                    $"({r.U[0]} >= {r.U[1]} && {r.U[0]} <= {r.U[2]} ? {r.G} : {r.Zero})",
                    $"({r.U[0]} < {r.U[1]} ? {r.G} : {r.Zero})",
                    $"({r.U[0]} > {r.U[2]} && {r.U[0]} >= {r.U[1]} ? {r.G} : {r.Zero})",
                }),
                new("FusedMultiplyAdd", 3, "{T}.FusedMultiplyAdd", r => new[] { $"{r.G} * {r.U[1]}", $"{r.G} * {r.U[0]}", r.G }),
                new("Sigmoid", 1, "global::AutoDiff.AD.Sigmoid", r => new[] { $"{r.G} * {r.Value} * ({r.One} - {r.Value})" }),
                new("Softplus", 1, "global::AutoDiff.AD.Softplus", r => new[] { $"{r.G} * {r.AD}.Sigmoid({r.U[0]})" }),
                new("Log1P", 1, "global::AutoDiff.AD.Log1P", r => new[] { $"{r.G} / ({r.One} + {r.U[0]})" }),
                new("ExpM1", 1, "global::AutoDiff.AD.ExpM1", r => new[] { $"{r.G} * ({r.Value} + {r.One})" }),
                new("Erf", 1, "global::AutoDiff.AD.Erf", r => new[] { $"{r.G} * {Lit(r, 1.1283791670955126)} * {r.T}.Exp(-{r.U[0]} * {r.U[0]})" }),
                new("IEEERemainder", 2, "{Math}.IEEERemainder", r => new[] { r.G, $"-{r.G} * {r.T}.Round({r.U[0]} / {r.U[1]})" }),
                new("Ieee754Remainder", 2, "{T}.Ieee754Remainder", r => new[] { r.G, $"-{r.G} * {r.T}.Round({r.U[0]} / {r.U[1]})" }),
                new("CopySign", 2, "{T}.CopySign", r => new[] { $"{r.G} * {r.T}.Sign({r.U[0]}) * {r.T}.CopySign({r.One}, {r.U[1]})", null }),
            };

            private sealed partial class TapeTranslator
            {
                private readonly Lowering _l;
                private SemanticModel _model; // the method's, or an inlined helper's while its body is translated
                private readonly Dictionary<ISymbol, Variable> _variables = new(SymbolEqualityComparer.Default);
                private readonly List<string> _hoisted = new();
                private readonly NameScope _names;
                private readonly string _t; // T as the generated code spells it: float, double, or Dual<T>
                private readonly bool _isDouble;
                private readonly bool _dual;
                private readonly bool _valueOnly;

                // Whether the forward sweep keeps array references (AssignArray, KeepArray): the catch then rewinds them too.
                private bool _keepsArrays;
                private readonly Dictionary<string, (string Forward, string Second)> _dualCalls = new();
                private readonly CodeWriter _localFunctions = new();
                private readonly string _tape;
                private readonly string[] _outputs;
                private readonly string[] _tangentSpans; // over dual numbers, the differentiable spans' tangents (parameters after the method's)
                private readonly bool[] _outputSpans;

                // A void method's results (its out and ref scalars, the spans it writes in place): their adjoints come in
                // seeded (FVjp's upstream gradient) and, for a ref scalar or a span, go out as the gradient of the value
                // they held on entry. Never zeroed first.
                private readonly bool[] _seeded;
                private readonly Dictionary<Term, string?[]> _partials = new();
                private readonly List<string> _rented = new(); // the rooms for callees' span partials, in one right side's reverse
                private readonly HashSet<string> _calls = new(); // the values that are calls of callees' gradients: kept, read or not
                private readonly List<string> _epilogue = new(); // forward mode's last lines, however it ends: the rooms of written arrays given back
                private readonly List<(Variable Span, string Copy)> _writtenBack = new(); // forward mode of a void method: its spans written in place, over duals in a copy
                private readonly List<string> _lazyAdjoints = new();
                private readonly HashSet<string> _usedAdjoints = new();
                private readonly HashSet<Variable> _unassignedPassive = new();
                private readonly HashSet<ISymbol> _read = new(SymbolEqualityComparer.Default);
                private List<(string Name, bool Increment)>? _conditionSteps; // the int steps of the loop condition being read
                private readonly Stack<Region> _regions = new();
                private readonly string _value;
                private readonly string? _reverseLabel;
                private bool _failed;

                public TapeTranslator(Lowering lowering, TapeForm form)
                {
                    _l = lowering;
                    _model = lowering._model;
                    _isDouble = lowering.TypeName == "double";
                    bool dual = form != TapeForm.Gradient;
                    _dual = dual;
                    _valueOnly = form == TapeForm.ValueOverDuals;
                    _t = dual ? $"{DualType}<{lowering.TypeName}>" : lowering.TypeName;
                    // The outputs are named as the emitter names them (d + the name, made unique).
                    var parameters = lowering._method.Parameters;
                    var models = lowering._parameters;
                    _outputs = NameScope.GradientNames(models);
                    _outputSpans = models.Where(p => p.Role == ParameterRole.Differentiable).Select(p => p.Shape == ParameterShape.Span).ToArray();
                    _seeded = models.Where(p => p.Role == ParameterRole.Differentiable)
                        .Select(p => lowering._method.ReturnsVoid && p.IsWrittenResult).ToArray();
                    _names = new NameScope(parameters.Select(p => NameScope.Identifier(p.Name)).Concat(_outputs));

                    // Over dual numbers, each differentiable span has a tangent span (t + the name, the first names
                    // taken after the outputs: the emitter names them the same way).
                    var tangents = dual
                        ? models.Where(p => p.Role == ParameterRole.Differentiable && p.Shape == ParameterShape.Span).Select(p => _names.Fresh("t" + NameScope.Pascal(p.Name))).ToArray()
                        : Array.Empty<string>();
                    _tangentSpans = tangents;
                    _tape = _names.Fresh("tape");
                    if (lowering._syntax.Body is { } block && lowering._model.AnalyzeDataFlow(block) is { Succeeded: true } flow)
                    {
                        _read.UnionWith(flow.ReadInside);
                    }

                    StaticArrays(lowering._syntax);

                    _value = _names.Fresh("value");
                    // A return before the end jumps to the reverse sweep, and each return sets the method's exit number
                    // (none is needed where the only return is the last statement).
                    var returns = lowering._syntax.Body?.DescendantNodes(n => n is not LocalFunctionStatementSyntax).OfType<ReturnStatementSyntax>().ToArray() ?? Array.Empty<ReturnStatementSyntax>();
                    if (returns.Any(r => r != lowering._syntax.Body!.Statements.LastOrDefault()))
                    {
                        _reverseLabel = _names.Fresh(_valueOnly ? "end" : "reverse");
                    }

                    _regions.Push(new Region(_reverseLabel is not null ? Hoist(_names.Fresh("exit"), Kind.Int) : string.Empty, count: null, next: null));

                    // A [NoDiff] or [Constant] parameter gets an adjoint local too (assigned, it may carry a gradient
                    // on to the others), declared only where the reverse sweep uses it.
                    var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                    foreach (var node in lowering._syntax.DescendantNodes())
                    {
                        if (node is TupleExpressionSyntax { Parent: AssignmentExpressionSyntax deconstruction } tuple && deconstruction.Left == tuple)
                        {
                            foreach (var element in tuple.Arguments)
                            {
                                if (lowering._model.GetSymbolInfo(element.Expression, lowering._cancellationToken).Symbol is { } written)
                                {
                                    assigned.Add(written);
                                }
                            }

                            continue;
                        }

                        var target = node switch
                        {
                            AssignmentExpressionSyntax assignment => assignment.Left,
                            PostfixUnaryExpressionSyntax step => step.Operand,
                            PrefixUnaryExpressionSyntax step when step.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression => step.Operand,
                            _ => null,
                        };
                        if (target is not null && lowering._model.GetSymbolInfo(target, lowering._cancellationToken).Symbol is { } symbol)
                        {
                            assigned.Add(symbol);
                        }
                    }

                    int k = 0, t = 0;
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        var p = parameters[i];
                        bool differentiable = models[i].Role == ParameterRole.Differentiable;
                        if (models[i].Shape == ParameterShape.Span || models[i].IsPassive)
                        {
                            var span = models[i].Shape == ParameterShape.Span;
                            var kind = models[i].Shape switch { ParameterShape.Span => Kind.Span, ParameterShape.Flag => Kind.Bool, ParameterShape.Integer => Kind.Integer, ParameterShape.Indices => Kind.Ints, _ => Kind.Int };
                            _variables[p] = new Variable(NameScope.Identifier(p.Name), kind, span && differentiable ? _outputs[k++] : null)
                            {
                                IntegerType = models[i].IntegerType,
                                Tangent = span && differentiable && dual ? tangents[t++] : null,
                                Writable = kind == Kind.Span && models[i].Writable, // a void helper's span or array, written in place
                            };
                            continue;
                        }

                        string adjoint = differentiable ? _outputs[k++] : _names.Fresh("d" + NameScope.Pascal(p.Name));
                        _variables[p] = new Variable(NameScope.Identifier(p.Name), Kind.Real, adjoint);
                        if (!differentiable)
                        {
                            _lazyAdjoints.Add(adjoint);
                            if (!assigned.Contains(p))
                            {
                                _unassignedPassive.Add(_variables[p]);
                            }
                        }
                    }
                }

                private string Zero => _isDouble ? "0.0" : "0f";

                private string One => _isDouble ? "1.0" : "1f";

                public IReadOnlyList<string>? Translate()
                {
                    var forward = new CodeWriter().Indented();
                    var reverse = new List<Action<CodeWriter>>();
                    CopyWrittenArrays(forward, reverse);
                    if (_l._syntax.Body is { } body)
                    {
                        Statement(body, forward, reverse);
                    }
                    else if (_l._syntax.ExpressionBody is { Expression: var effect } && _l._method.ReturnsVoid)
                    {
                        if (InlineWritingCalls(effect, forward, reverse))
                        {
                            Effect(effect, forward, reverse); // => v *= by: a void helper's one statement
                        }
                    }
                    else if (_l._syntax.ExpressionBody is { Expression: var result })
                    {
                        // => result: the one return, last.
                        var steps = new List<Action<CodeWriter>>();
                        if (InlineWritingCalls(result, forward, steps) && RunAssignment(result, forward, steps) is { } read)
                        {
                            Return(read, last: true, forward, steps);
                        }

                        reverse.Add(w => Reverse(steps, w));
                    }
                    else
                    {
                        Fail(_l._syntax.Identifier.GetLocation(), "A method without a body", "write its body");
                    }

                    if (_failed)
                    {
                        return null;
                    }

                    if (_valueOnly)
                    {
                        return ForwardOnly(WithoutUnreadExit(forward.ToString()));
                    }

                    var backward = new CodeWriter().Indented();
                    if (_reverseLabel is not null)
                    {
                        backward.Line($"{_reverseLabel}:");
                    }

                    backward.Line("// The reverse sweep: the statements backwards, each popping what it overwrote.");
                    Reverse(reverse, backward);
                    string forwardText = WithoutUnreadExit(forward.ToString());
                    if (SweepsApart(forwardText, backward.ToString()) is { } apart)
                    {
                        return apart;
                    }

                    backward.Line($"return {_value};");

                    // A call that throws (an int divided by zero) leaves the tape as it found it.
                    string values = _names.Fresh("values"), ints = _names.Fresh("ints"), arrays = _names.Fresh("arrays");
                    var lines = new List<string>
                    {
                        $"var {_tape} = global::AutoDiff.CompilerServices.Tape<{_t}>.ForThisThread;",
                        _keepsArrays
                            ? $"int {values} = {_tape}.ValueCount, {ints} = {_tape}.IntCount, {arrays} = {_tape}.ArrayCount;"
                            : $"int {values} = {_tape}.ValueCount, {ints} = {_tape}.IntCount;",
                    };
                    lines.AddRange(SweepLocals());
                    lines.AddRange(_outputs.Select((d, k) => _seeded[k] ? null : _outputSpans[k] ? $"{d}.Clear();" : $"{d} = {Zero};").OfType<string>());
                    lines.Add("try");
                    lines.Add("{");
                    lines.Add("    " + ForwardSweepComment);
                    lines.AddRange(Lines(forwardText));
                    lines.AddRange(Lines(backward.ToString()));
                    lines.Add("}");
                    lines.Add("catch");
                    lines.Add("{");
                    lines.Add(_keepsArrays ? $"    {_tape}.Rewind({values}, {ints}, {arrays});" : $"    {_tape}.Rewind({values}, {ints});");
                    lines.Add("    throw;");
                    lines.Add("}");
                    AddLocalFunctions(lines);
                    return WithoutUnmentionedInts(lines);
                }

                // The gradient whose sweeps keep nothing but values and integers (no call of another gradient — AD's
                // reductions aside, whose span partials take room on top — or of the user's code, no array, no return but
                // the last; the gradient over dual numbers too, calling nothing): the sweeps move to a static local
                // function that makes no call but the body's own (its math functions), so that no value its loops carry
                // lives across a call of the tape's growth, the checks or the clearing of the gradient spans — any such
                // call in the method gives each of them a home on the stack that the loops load and store. They keep what
                // they overwrite in the room above the thread's tape (Tape<T>.FreeValues, FreeInts), a bounds test per
                // push; where it is full they say so, the tape grows, and they run again. Their results come back through
                // out parameters, added up in locals meanwhile. Nothing to rewind if they throw: the tape's counts never
                // moved. Null where the body does not qualify (the method is then written as before).
                private IReadOnlyList<string>? SweepsApart(string forwardText, string backwardText)
                {
                    string tape = Regex.Escape(_tape);
                    string text = forwardText + backwardText;
                    var rent = new Regex($@"^([ ]*)var (\w+) = {tape}\.Rent\((.*)\);$", RegexOptions.Multiline);
                    var giveBack = new Regex($@"^([ ]*){tape}\.Return\((\w+)\.Length\);$", RegexOptions.Multiline);
                    bool qualifies = (_calls.Count == 0 || !_dual) && !_keepsArrays && _epilogue.Count == 0
                        && !Regex.IsMatch(backwardText, $@"{tape}\.Push")
                        && Regex.Matches(text, $@"{tape}\.(\w+)").Cast<Match>().All(m => m.Groups[1].Value is "Push" or "PushInt" or "Pop" or "PopInt" or "Rent" or "Return")
                        && Regex.Matches(forwardText, $@"{tape}\.Push").Count == Regex.Matches(forwardText, $@"^[ ]*{tape}\.Push(Int)?\(.*\);$", RegexOptions.Multiline).Count
                        && Regex.Matches(text, $@"{tape}\.Rent").Count == rent.Matches(text).Count
                        && Regex.Matches(text, $@"{tape}\.Return").Count == giveBack.Matches(text).Count
                        && !Regex.IsMatch(text, @"\breturn\b|ForThisThread|\btry\b")
                        && !_hoisted.Any(line => line.Contains(_tape) || line.Contains("ForThisThread")) && _localFunctions.IsEmpty
                        // A void method's spans are written in place (and their seeds by the reverse sweep): the sweeps could not
                        // run again after the room was found full.
                        && !(_l._method.ReturnsVoid && _l._parameters.Any(p => p.IsWrittenSpan))
                        // No user code runs in them (an int method's call, a property's getter): it could run a gradient on
                        // this thread's tape, which would take the same room. .NET's and AutoDiff's own never do.
                        && Regex.Matches(text, @"global::([\w.@]+)").Cast<Match>().All(m =>
                            m.Groups[1].Value.StartsWith("System.", StringComparison.Ordinal) || m.Groups[1].Value.StartsWith("AutoDiff.AD.", StringComparison.Ordinal) ||
                            m.Groups[1].Value.StartsWith("AutoDiff.CompilerServices.", StringComparison.Ordinal));
                    if (!qualifies)
                    {
                        return null;
                    }

                    string values = _names.Fresh("values"), ints = _names.Fresh("ints"), valueSlot = _names.Fresh("valueSlot"), intSlot = _names.Fresh("intSlot");
                    string sweeps = _names.Fresh("Sweeps"), full = _names.Fresh("full"), room = "global::AutoDiff.CompilerServices.TapeRoom";
                    var models = _l._parameters;
                    var scalarOutputs = _outputs.Where((_, k) => !_outputSpans[k]).ToArray();
                    var results = scalarOutputs.ToDictionary(d => d, d => _names.Fresh(d + "Result"));
                    string valueResult = _names.Fresh(_value + "Result");
                    // The method's signature (over dual numbers: its scalars dual, its spans' tangents after them).
                    string plain = _l.TypeName;
                    var parameters = models.Select(p => $"{(p.Shape is ParameterShape.Scalar or ParameterShape.Out ? _t : p.IsWrittenSpan && _l._method.ReturnsVoid ? $"global::System.Span<{plain}>" : p.SourceType(plain))} {p.Name}")
                        .Concat(_tangentSpans.Select(t => $"global::System.ReadOnlySpan<{plain}> {t}"))
                        .Concat(_outputs.Select((d, k) => _outputSpans[k] ? $"global::System.Span<{plain}> {d}" : $"{(_seeded[k] ? "ref" : "out")} {_t} {results[d]}"))
                        .Append($"out {_t} {valueResult}")
                        .Append($"global::System.Span<{_t}> {values}")
                        .Append("global::System.Span<int> " + ints);
                    var arguments = models.Select(p => p.Name)
                        .Concat(_tangentSpans)
                        .Concat(_outputs.Select((d, k) => _outputSpans[k] ? d : (_seeded[k] ? "ref " : "out ") + d))
                        .Append("out " + _value)
                        .Append($"{_tape}.FreeValues")
                        .Append($"{_tape}.FreeInts");

                    // The pushes and pops on the room, and the room a reduction's span partials take on top: what finds it
                    // full returns (the gradient spans are cleared again before the sweeps run again).
                    string Kept(string lines)
                    {
                        lines = Regex.Replace(lines, $@"^([ ]*){tape}\.Push(Int)?\((.*)\);$", m =>
                        {
                            var (into, slot, what) = m.Groups[2].Success ? (ints, intSlot, "IntsFull") : (values, valueSlot, "ValuesFull");
                            string indent = m.Groups[1].Value;
                            return $"{indent}if ((uint){slot} >= (uint){into}.Length) return {room}.{what};\n{indent}{into}[{slot}++] = {m.Groups[3].Value};";
                        }, RegexOptions.Multiline);
                        lines = rent.Replace(lines, m =>
                        {
                            string indent = m.Groups[1].Value, partial = m.Groups[2].Value, length = m.Groups[3].Value;
                            return $"{indent}if ({values}.Length - {valueSlot} < ({length})) return {room}.ValuesFull;\n" +
                                   $"{indent}var {partial} = {values}.Slice({valueSlot}, {length});\n{indent}{valueSlot} += {partial}.Length;";
                        });
                        return giveBack.Replace(lines, m => $"{m.Groups[1].Value}{valueSlot} -= {m.Groups[2].Value}.Length;")
                            .Replace($"{_tape}.PopInt()", $"{ints}[--{intSlot}]")
                            .Replace($"{_tape}.Pop()", $"{values}[--{valueSlot}]");
                    }

                    // The gradient spans cleared once, or before each run where the reverse sweep may find the room full
                    // after writing them (a reduction's partials take room there).
                    var w = new CodeWriter();
                    var clears = _outputs.Where((_, k) => _outputSpans[k] && !_seeded[k]).Select(d => $"{d}.Clear();").ToArray();
                    bool rents = rent.IsMatch(text);
                    w.Line($"var {_tape} = global::AutoDiff.CompilerServices.Tape<{_t}>.ForThisThread;");
                    foreach (var clear in rents ? Array.Empty<string>() : clears)
                    {
                        w.Line(clear);
                    }

                    w.Line($"{_t} {_value};");
                    w.Line($"{room} {full};");
                    if (rents)
                    {
                        using (w.Block("while (true)"))
                        {
                            foreach (var clear in clears)
                            {
                                w.Line(clear);
                            }

                            w.Wrapped($"if (({full} = {sweeps}", arguments.ToArray(), $") == {room}.Enough)");
                            using (w.Block())
                            {
                                w.Line("break;");
                            }

                            w.Line();
                            w.Line($"{_tape}.Grow({full});");
                        }
                    }
                    else
                    {
                        w.Wrapped($"while (({full} = {sweeps}", arguments.ToArray(), $") != {room}.Enough)");
                        using (w.Block())
                        {
                            w.Line($"{_tape}.Grow({full});");
                        }
                    }

                    w.Line();
                    w.Line($"return {_value};");
                    w.Line();
                    w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
                    w.Wrapped($"static {room} {sweeps}", parameters.ToArray(), string.Empty);
                    using (w.Block())
                    {
                        foreach (var line in SweepLocals().Concat(scalarOutputs.Select(d => $"{_t} {d} = {(IsSeeded(d) ? results[d] : Zero)};")))
                        {
                            w.Line(line);
                        }

                        // The room's cursors, where the sweeps keep something there (an unread local is CS0219 in the user's build).
                        string sweepsText = Kept(forwardText) + Kept(backwardText);
                        var cursors = new[] { valueSlot, intSlot }.Where(c => Regex.IsMatch(sweepsText, $@"(?<![\w@]){Regex.Escape(c)}(?!\w)")).ToArray();
                        if (cursors.Length > 0)
                        {
                            w.Line($"int {string.Join(", ", cursors.Select(c => c + " = 0"))};");
                        }

                        foreach (var d in scalarOutputs.Where(d => !IsSeeded(d)))
                        {
                            w.Line($"{results[d]} = {Zero};");
                        }

                        w.Line($"{valueResult} = {Zero};");
                        w.Line(ForwardSweepComment);
                        w.AppendLines(Lines(sweepsText));
                        foreach (var d in scalarOutputs)
                        {
                            w.Line($"{results[d]} = {d};");
                        }

                        w.Line($"{valueResult} = {_value};");
                        w.Line($"return {room}.Enough;");
                    }

                    return WithoutUnmentionedInts(Lines(w.ToString()).ToList());

                    bool IsSeeded(string d) => _seeded[Array.IndexOf(_outputs, d)];
                }

                private const string ForwardSweepComment = "// The forward sweep: the body as written, each assignment first keeping what it overwrites.";

                // An int the translation hoisted (a loop's count, an exit number) that no other line of the form mentions is
                // not declared: an unread local is CS0219 in the user's build.
                private static List<string> WithoutUnmentionedInts(List<string> lines)
                {
                    var text = string.Join("\n", lines);
                    return lines.Where(line =>
                        Regex.Match(line, @"^\s*int ([\w@]+) = 0;$") is not { Success: true } declaration ||
                        Regex.Matches(text, $@"(?<![\w@]){Regex.Escape(declaration.Groups[1].Value)}(?!\w)").Count > 1).ToList();
                }

                // The sweeps' locals: the value, the adjoints of [NoDiff] and [Constant] parameters the reverse sweep uses,
                // and what the translation hoisted (the body's locals, loops' counts and exit numbers).
                private IEnumerable<string> SweepLocals() =>
                    _lazyAdjoints.Where(_usedAdjoints.Contains).Select(a => $"{_t} {a} = {Zero};").Prepend($"{_t} {_value} = {Zero};").Concat(_hoisted);

                // Forward mode: the forward sweep alone over dual numbers, each value carrying its tangent. Nothing is
                // kept for a reverse sweep (the tape's pushes are left out), and the locals only the reverse sweep
                // reads (adjoints, loops' exit numbers) are not declared.
                private IReadOnlyList<string> ForwardOnly(string forwardText)
                {
                    forwardText = Regex.Replace(forwardText, $@"^[ ]*{_tape}\.Push(Int|Long|Array)?\(.*\);\n", string.Empty, RegexOptions.Multiline);
                    forwardText = Regex.Replace(forwardText, @"^([ ]*)else\n\1\{\n\1\}\n", string.Empty, RegexOptions.Multiline); // a branch that only kept its number

                    // A loop's count of iterations, kept for the reverse sweep only: only reset and stepped now.
                    foreach (var line in _hoisted.Where(line => line.StartsWith("int ", StringComparison.Ordinal)).ToArray())
                    {
                        string name = Regex.Escape(line.Split(' ')[1]);
                        var uses = Regex.Matches(forwardText, $@"^.*(?<![\w@]){name}(?!\w).*$", RegexOptions.Multiline).Cast<Match>().ToArray();
                        if (uses.All(use => Regex.IsMatch(use.Value, $@"^[ ]*{name}(\+\+| = 0);$")))
                        {
                            forwardText = Regex.Replace(forwardText, $@"^[ ]*{name}(\+\+| = 0);\n", string.Empty, RegexOptions.Multiline);
                        }
                    }

                    string used = forwardText + _reverseLabel;
                    _hoisted.RemoveAll(line => !Regex.IsMatch(used, $@"(?<![\w@]){Regex.Escape(line.Split(' ')[1])}(?!\w)"));
                    var lines = new List<string> { $"{_t} {_value} = {Zero};" };
                    lines.AddRange(_hoisted);
                    var body = new List<string> { "// The forward sweep over dual numbers: the body as written, each value carrying its tangent." };
                    body.AddRange(Lines(forwardText).Select(line => line.Length >= 4 ? line.Substring(4) : line));
                    if (_reverseLabel is not null)
                    {
                        body.Add($"{_reverseLabel}:");
                    }

                    foreach (var (span, copy) in _writtenBack)
                    {
                        string k = _names.Fresh("k");
                        string tangent = span.Tangent is { } t ? $" {t}[{k}] = {copy}[{k}].Tangent;" : string.Empty;
                        body.Add($"for (int {k} = 0; {k} < {copy}.Length; {k}++) {{ {span.Name}[{k}] = {copy}[{k}].Value;{tangent} }}");
                    }

                    body.Add($"return {_value};");
                    if (_epilogue.Count == 0)
                    {
                        lines.AddRange(body);
                    }
                    else
                    {
                        lines.Add("try");
                        lines.Add("{");
                        lines.AddRange(body.Select(line => "    " + line));
                        lines.Add("}");
                        lines.Add("finally");
                        lines.Add("{");
                        lines.AddRange(_epilogue.AsEnumerable().Reverse().Select(line => "    " + line));
                        lines.Add("}");
                    }

                    AddLocalFunctions(lines);
                    return WithoutUnmentionedInts(lines);
                }

                // The method's exit number where nothing reads it (each return's reverse tests its loop's): not kept.
                private string WithoutUnreadExit(string forwardText)
                {
                    var method = _regions.Peek();
                    if (method.Code.Length == 0 || method.Read)
                    {
                        return forwardText;
                    }

                    _hoisted.Remove($"int {method.Code} = 0;");
                    return Regex.Replace(forwardText, $@"^[ ]*{method.Code} = \d+;\n", string.Empty, RegexOptions.Multiline);
                }

                private void AddLocalFunctions(List<string> lines)
                {
                    if (!_localFunctions.IsEmpty)
                    {
                        lines.Add(string.Empty);
                        lines.AddRange(Lines(_localFunctions.ToString()));
                    }
                }

                private static IEnumerable<string> Lines(string text) => text.TrimEnd('\n').Split('\n');

                // One assignment's reverse, tidied: the values the rules did not read (the right side's value kept as
                // `after`, a product only its other factor's rule needed) are not declared, and the adjoint reset to
                // zero and then given its first share, `dP = 0; dP += g * x;`, is given it, `dP = g * x;` — the same
                // number but for the sign of a zero, and one addition fewer on the chain a loop carries from step to step.
                private List<string> Tidied(List<string> lines, string adjoint)
                {
                    var declaration = new Regex($@"^\s*{Regex.Escape(_t)} (@?\w+) = (.*);$");
                    for (bool removed = true; removed;)
                    {
                        removed = false;
                        for (int i = 0; i < lines.Count; i++)
                        {
                            var match = declaration.Match(lines[i]);
                            if (match.Success && !_calls.Contains(match.Groups[1].Value) && !match.Groups[2].Value.Contains(_tape)
                                && !lines.Where((line, k) => k != i).Any(line => Mentions(line, match.Groups[1].Value)))
                            {
                                lines.RemoveAt(i);
                                removed = true;
                                break;
                            }
                        }
                    }

                    // The first line that mentions the adjoint after the reset must run whenever the reset does: the same
                    // block, no block opened between them.
                    int reset = lines.FindIndex(line => line.Trim() == $"{adjoint} = {Zero};");
                    int first = reset < 0 ? -1 : lines.FindIndex(reset + 1, line => Mentions(line, adjoint));
                    bool sameBlock = first >= 0 && lines.Skip(reset + 1).Take(first - reset)
                        .All(line => Indent(line) == Indent(lines[reset]) && !line.TrimEnd().EndsWith("{", StringComparison.Ordinal));
                    string share = first >= 0 ? lines[first].Trim() : string.Empty;
                    if (sameBlock && share.StartsWith($"{adjoint} += ", StringComparison.Ordinal) && share.EndsWith(";", StringComparison.Ordinal)
                        && !Mentions(share.Substring(adjoint.Length + 4), adjoint))
                    {
                        lines[first] = lines[first].Replace($"{adjoint} += ", $"{adjoint} = ");
                        lines.RemoveAt(reset);
                    }

                    return lines;

                    static bool Mentions(string line, string name) => Regex.IsMatch(line, $@"(?<![\w@.]){Regex.Escape(name)}(?!\w)");
                    static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
                }

                private static bool IsInteger(Kind kind) => kind is Kind.Int or Kind.Integer;

                // The value of a variable of T, an integer or a bool kept before it is overwritten, and put back by the
                // reverse. Another integer than int goes on the tape as a long (a ulong's bits as they are).
                private void Keep(Variable variable, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    string name = variable.Name;
                    forward.Line(variable.Kind switch
                    {
                        Kind.Real => $"{_tape}.Push({name});",
                        Kind.Int => $"{_tape}.PushInt({name});",
                        Kind.Integer when variable.IntegerType == "ulong" => $"{_tape}.PushLong(unchecked((long){name}));",
                        Kind.Integer => $"{_tape}.PushLong((long){name});", // an enum's value too
                        _ => $"{_tape}.PushInt({name} ? 1 : 0);",
                    });
                    string pop = variable.Kind switch
                    {
                        Kind.Real => $"{_tape}.Pop()",
                        Kind.Int => $"{_tape}.PopInt()",
                        Kind.Integer when variable.IntegerType == "long" => $"{_tape}.PopLong()",
                        Kind.Integer => $"unchecked(({variable.IntegerType}){_tape}.PopLong())",
                        _ => $"{_tape}.PopInt() != 0",
                    };
                    reverse.Add(w => w.Line($"{name} = {pop};"));
                }

                // integerType: the keyword of a Kind.Integer variable's type.
                private string Hoist(string name, Kind kind, string? integerType = null)
                {
                    _hoisted.Add(kind switch
                    {
                        Kind.Real => $"{_t} {name} = {Zero};",
                        Kind.Int => $"int {name} = 0;",
                        Kind.Integer => $"{integerType} {name} = default;",
                        _ => $"bool {name} = false;",
                    });
                    return name;
                }

                // Why this method's gradient is written statement by statement, as the diagnostics say it.
                private const string Taped = "a method whose gradient is written statement by statement (one with a loop whose count is known only when it runs, or that passes a span to another method)";

                private void Fail(Location location, string what, string instead)
                {
                    _l.Report(DiagnosticDescriptors.UnsupportedSyntax, location, $"{what} (in {Taped})", instead);
                    _failed = true;
                }

                // ---- Statements -------------------------------------------------------------------------------

                // A statement's reverse runs only where the statement ran: where exits of its region come before it,
                // behind a test of the exit number (above those before it).
                private void Statement(StatementSyntax statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (_failed)
                    {
                        return;
                    }

                    if (statement is BlockSyntax block)
                    {
                        foreach (var inner in block.Statements)
                        {
                            Statement(inner, forward, reverse);
                            if (!Reaches(inner))
                            {
                                break; // what follows never runs (the compiler says so too)
                            }
                        }

                        return;
                    }

                    var region = _regions.Peek();
                    int before = region.Exits;
                    var steps = new List<Action<CodeWriter>>();
                    switch (statement)
                    {
                        case EmptyStatementSyntax:
                        case LocalFunctionStatementSyntax: // translated where it is called
                            break;
                        case LocalDeclarationStatementSyntax { IsConst: true }:
                            break; // read where used, as a constant
                        case LocalDeclarationStatementSyntax declaration when !declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword):
                            if (InlineWritingCalls(declaration, forward, steps))
                            {
                                Declaration(declaration.Declaration, forward, steps);
                            }

                            break;
                        case ExpressionStatementSyntax { Expression: var expression }:
                            if (InlineWritingCalls(expression, forward, steps))
                            {
                                Effect(expression, forward, steps);
                            }

                            break;
                        case IfStatementSyntax ifStatement:
                            If(ifStatement, forward, steps);
                            break;
                        case SwitchStatementSyntax switchStatement:
                            Switch(switchStatement, forward, steps);
                            break;
                        case ForStatementSyntax loop:
                            Loop(loop, loop.Declaration, loop.Initializers, loop.Condition, loop.Incrementors, loop.Statement, conditionFirst: true, forward, steps);
                            break;
                        case WhileStatementSyntax loop:
                            Loop(loop, null, default, loop.Condition, default, loop.Statement, conditionFirst: true, forward, steps);
                            break;
                        case DoStatementSyntax loop:
                            Loop(loop, null, default, loop.Condition, default, loop.Statement, conditionFirst: false, forward, steps);
                            break;
                        case ForEachStatementSyntax loop:
                            ForEach(loop, forward, steps);
                            break;
                        case ReturnStatementSyntax { Expression: { } result } returnStatement when _returnInto is { } into:
                            // The end of a method inlined for its value (InlineWritingCalls): its value assigned.
                            if (returnStatement.Parent is not BlockSyntax { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax } body || body.Statements.Last() != returnStatement)
                            {
                                Fail(returnStatement.GetLocation(), "A return before the end of a method translated where it is called (a local function, or one that writes its array parameter)",
                                    "return at its end: put what follows under an if");
                                break;
                            }

                            if (InlineWritingCalls(result, forward, steps) && RunAssignment(result, forward, steps) is { } returned && !ReferenceEquals(into, Discarded))
                            {
                                Assign(into, SyntaxKind.SimpleAssignmentExpression, returned, forward, steps, keep: _regions.Count > 1);
                            }

                            break;
                        case ReturnStatementSyntax { Expression: { } result } returnStatement:
                            if (InlineWritingCalls(result, forward, steps) && RunAssignment(result, forward, steps) is { } read)
                            {
                                Return(read, returnStatement == _l._syntax.Body!.Statements.LastOrDefault(), forward, steps);
                            }

                            break;
                        case ReturnStatementSyntax { Expression: null } bare:
                            EndOfVoidBody(bare);
                            break;
                        case ThrowStatementSyntax { Expression: ObjectCreationExpressionSyntax creation } when
                            _model.GetTypeInfo(creation, _l._cancellationToken).Type is INamedTypeSymbol exception && IsException(exception) && creation.Initializer is null:
                            // A guard clause (if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));): thrown by the forward
                            // sweep as written; the tape's counts have not moved, and nothing after it runs.
                            if (PassiveArguments(creation.ArgumentList, exception.Name) is { } reasons)
                            {
                                forward.Line($"throw new {exception.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}({string.Join(", ", reasons)});");
                            }

                            break;
                        case BreakStatementSyntax or ContinueStatementSyntax when region.Count is not null:
                            int exit = ++region.Exits;
                            forward.Line($"{_tape}.PushInt({exit});");
                            if (statement is ContinueStatementSyntax)
                            {
                                region.Continues.Add(exit);
                                forward.Line(region.ContinueText);
                            }
                            else
                            {
                                forward.Line("break;");
                            }

                            break;
                        default:
                            Fail(statement.GetLocation(), Describe(statement), "write the body with locals, assignments, if/else, for, while, do and foreach loops, break, continue and return");
                            break;
                    }

                    if (steps.Count > 0)
                    {
                        // A return's reverse tests its own exit number.
                        reverse.Add(w => Under(w, before == 0 || statement is ReturnStatementSyntax ? null : $"{region.Use()} > {before}", () => Reverse(steps, w)));
                    }
                }

                private void Declaration(VariableDeclarationSyntax declaration, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    foreach (var variable in declaration.Variables)
                    {
                        if (_model.GetDeclaredSymbol(variable, _l._cancellationToken) is not ILocalSymbol local)
                        {
                            _failed = true;
                            return;
                        }

                        if (local.IsRef)
                        {
                            RefLocal(local, variable, forward, reverse);
                            continue;
                        }

                        if (!_read.Contains(local))
                        {
                            continue; // never read: nothing depends on it (see Effect)
                        }

                        if (SpanAlias(local, variable.Initializer?.Value))
                        {
                            continue;
                        }

                        if (ElementOf(local.Type) is not null)
                        {
                            LocalArray(local, variable, forward, reverse);
                            continue;
                        }

                        if (FieldsOf(local.Type, _l._type) is { } fields)
                        {
                            StructLocal(local, fields, variable, forward, reverse);
                            continue;
                        }

                        if (Declare(local, declaration.Type) is not { } declared)
                        {
                            _failed = true;
                            return;
                        }

                        // Outside loops a declaration runs once, and nothing reads the variable before it: there is
                        // nothing to keep.
                        if (variable.Initializer is { } initializer)
                        {
                            Assign(declared, SyntaxKind.SimpleAssignmentExpression, initializer.Value, forward, reverse, keep: _regions.Count > 1);
                        }
                    }
                }

                // lazyAdjoint: the adjoint is declared only if the reverse sweep uses it (a foreach's element, which no
                // assignment of the method reads back).
                private Variable? Declare(ILocalSymbol local, SyntaxNode type, bool lazyAdjoint = false)
                {
                    var kind = KindOf(local.Type);
                    if (kind is null)
                    {
                        if (local.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double)
                        {
                            _l.Report(DiagnosticDescriptors.MixedPrecision, type.GetLocation(), local.Type.ToDisplayString(), _l.TypeName, $"declare '{local.Name}' as {_l.TypeName}");
                        }
                        else
                        {
                            _l.Report(DiagnosticDescriptors.UnsupportedSyntax, type.GetLocation(), $"The local '{local.Name}' of type '{local.Type.ToDisplayString()}'",
                                $"declare locals of {_l.TypeName}, integers (int, long, short, char …), bool, and structs whose fields are {_l.TypeName}");
                        }

                        return null;
                    }

                    string? integerType = kind == Kind.Integer ? local.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null;
                    string name = Hoist(_names.Fresh(local.Name), kind.Value, integerType);
                    string? adjoint = kind != Kind.Real ? null
                        : lazyAdjoint ? _names.Fresh("d" + NameScope.Pascal(local.Name))
                        : Hoist(_names.Fresh("d" + NameScope.Pascal(local.Name)), Kind.Real);
                    if (lazyAdjoint && adjoint is not null)
                    {
                        _lazyAdjoints.Add(adjoint);
                    }

                    var declared = new Variable(name, kind.Value, adjoint) { IntegerType = integerType };
                    _variables[local] = declared;
                    return declared;
                }

                private Kind? KindOf(ITypeSymbol? type) => type?.SpecialType switch
                {
                    SpecialType.System_Int32 => Kind.Int,
                    SpecialType special when IsOtherInteger(special) => Kind.Integer,
                    _ when type is { TypeKind: TypeKind.Enum } => Kind.Integer, // kept and compared as its underlying integer
                    SpecialType.System_Boolean => Kind.Bool,
                    var special when special == _l._type || (_promoted && special == SpecialType.System_Double) ||
                                     (_l._widened && special == SpecialType.System_Single) => Kind.Real, // a float method's float values, computed in double
                    _ => null,
                };

                // Inside (float)(…) of a float method, where C# computed in double what float values promoted
                // ((float)Math.Exp(x)): the double values are taken as the method's own, computed and differentiated in float.
                private bool _promoted;

                // An assignment, compound assignment, ++ or -- as a statement.
                private void Effect(ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    // x = (y += e), x = y = e: the inner assignment as a statement of its own, then the outer reads y
                    // (where it did not run before the statement already: InlineAssignments).
                    if (expression is AssignmentExpressionSyntax outer && Unparenthesized(outer.Right) is AssignmentExpressionSyntax inner && !_ranBefore.Contains(inner))
                    {
                        var ct = _l._cancellationToken;
                        var assigned = _model.GetSymbolInfo(outer.Left, ct).Symbol;
                        if (outer.Left is not IdentifierNameSyntax || assigned is null || SymbolEqualityComparer.Default.Equals(assigned, _model.GetSymbolInfo(inner.Left, ct).Symbol))
                        {
                            Fail(outer.GetLocation(), "An assignment whose value is another assignment, to an element or to the same variable", "assign in statements of their own");
                            return;
                        }

                        Effect(inner, forward, reverse);
                        if (assigned is ILocalSymbol { IsRef: false } unread && !_read.Contains(unread))
                        {
                            return;
                        }

                        if (Target(outer.Left) is { } target) // else Target said why
                        {
                            Assign(target, outer.Kind(), inner.Left, forward, reverse);
                        }

                        return;
                    }

                    if (expression is AssignmentExpressionSyntax deconstruction && IsDeconstruction(deconstruction))
                    {
                        Deconstruct(deconstruction, forward, reverse);
                        return;
                    }

                    // A local the method never reads is neither declared nor assigned (C# would warn of it in the
                    // generated code, as it does in the method).
                    if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax } } unreadAssignment &&
                        _model.GetSymbolInfo(unreadAssignment.Left is MemberAccessExpressionSyntax member ? member.Expression : unreadAssignment.Left, _l._cancellationToken).Symbol
                            is ILocalSymbol { IsRef: false } local && !_read.Contains(local))
                    {
                        return; // p = …, or p.a = … of a struct local p
                    }

                    var written = expression switch
                    {
                        AssignmentExpressionSyntax assignment => assignment.Left,
                        PostfixUnaryExpressionSyntax step => step.Operand,
                        PrefixUnaryExpressionSyntax step => step.Operand,
                        _ => null,
                    };
                    if (written is ElementAccessExpressionSyntax element)
                    {
                        WriteElement(element, expression, forward, reverse);
                        return;
                    }

                    if (written is IdentifierNameSyntax && _model.GetSymbolInfo(written, _l._cancellationToken).Symbol is { } aliasSymbol &&
                        _variables.TryGetValue(aliasSymbol, out var aliasing) && aliasing.Alias is { } alias)
                    {
                        WriteElement(alias.Span, alias.Index, expression, forward, reverse);
                        return;
                    }

                    switch (expression)
                    {
                        case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax } assignment
                            when _model.GetSymbolInfo(assignment.Left, _l._cancellationToken).Symbol is { } structSymbol && _structs.TryGetValue(structSymbol, out var fields):
                            AssignStruct(fields, assignment.Right, forward, reverse, keep: true);
                            break;
                        case AssignmentExpressionSyntax assignment when Target(assignment.Left) is { } variable:
                            Assign(variable, assignment.Kind(), assignment.Right, forward, reverse);
                            break;
                        case PostfixUnaryExpressionSyntax { Operand: var operand } step when Target(operand) is { } variable:
                            Step(variable, step.IsKind(SyntaxKind.PostIncrementExpression), step, forward, reverse);
                            break;
                        case PrefixUnaryExpressionSyntax { Operand: var operand } step when
                            step.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression && Target(operand) is { } variable:
                            Step(variable, step.IsKind(SyntaxKind.PreIncrementExpression), step, forward, reverse);
                            break;
                        case InvocationExpressionSyntax invocation when _inlinedValues.ContainsKey(invocation):
                            break; // a call of a method that returns a value, as a statement: inlined (InlineWritingCalls), its value dropped
                        case InvocationExpressionSyntax invocation when _model.GetSymbolInfo(invocation, _l._cancellationToken).Symbol is IMethodSymbol callee &&
                                                                         (callee.ReturnsVoid || HasAttribute(callee, DifferentiableAttribute) || callee.MethodKind == MethodKind.LocalFunction):
                            if (HasAttribute(callee, DifferentiableAttribute) || callee.MethodKind == MethodKind.LocalFunction)
                            {
                                Inline(invocation, callee.OriginalDefinition, forward, reverse, callee.ReturnsVoid ? null : Discarded); // (one returning a value is rejected here)
                            }
                            else if (PassiveStatement(invocation, callee) is { } call)
                            {
                                forward.Line(call + ";"); // Debug.Assert(x > 0), Console.WriteLine(x): run as written, in the forward sweep
                            }
                            else if (_failed)
                            {
                                break; // an argument said why
                            }
                            else
                            {
                                Fail(invocation.GetLocation(), $"A call of '{callee.Name}', which is not [Differentiable]",
                                    "mark it [Differentiable]: a void method whose results are its out and ref parameters is differentiated where it is called");
                            }

                            break;
                        default:
                            if (!_failed)
                            {
                                Fail(expression.GetLocation(), Describe(expression) + " as a statement", "assign a local or a parameter, or step one with ++ or --, or call a [Differentiable] method");
                            }

                            break;
                    }
                }

                // = += -= *= /= %=: the operator before the '=' (empty for =); null for the others.
                private static string? AssignmentOperator(SyntaxKind kind) => kind switch
                {
                    SyntaxKind.SimpleAssignmentExpression => string.Empty,
                    SyntaxKind.AddAssignmentExpression => "+",
                    SyntaxKind.SubtractAssignmentExpression => "-",
                    SyntaxKind.MultiplyAssignmentExpression => "*",
                    SyntaxKind.DivideAssignmentExpression => "/",
                    SyntaxKind.ModuloAssignmentExpression => "%",
                    _ => null,
                };

                private static TermKind? Compound(SyntaxKind kind) => kind switch
                {
                    SyntaxKind.AddAssignmentExpression => TermKind.Add,
                    SyntaxKind.SubtractAssignmentExpression => TermKind.Subtract,
                    SyntaxKind.MultiplyAssignmentExpression => TermKind.Multiply,
                    SyntaxKind.DivideAssignmentExpression => TermKind.Divide,
                    SyntaxKind.ModuloAssignmentExpression => TermKind.Remainder,
                    _ => null,
                };

                // (a, b) = (x, y), var (a, b) = (x, y): C# computes every value before it assigns any. A value that reads
                // a variable an element before it assigns is computed into a temporary first (in a swap, (a, b) = (b, a),
                // the second); the others are assigned as they are computed, in order.
                private void Deconstruct(AssignmentExpressionSyntax assignment, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var ct = _l._cancellationToken;
                    if (Deconstruction(assignment, _model, ct, out var refusal) is not { } elements)
                    {
                        Fail(refusal.Where, refusal.What, refusal.Instead);
                        return;
                    }

                    var targets = new Variable?[elements.Count];
                    for (int i = 0; i < elements.Count; i++)
                    {
                        var element = elements[i];
                        if (element.Variable is null || (element.Variable is ILocalSymbol { IsRef: false } local && !_read.Contains(local)))
                        {
                            continue; // a discard, or a local nothing reads
                        }

                        var target = element.DeclaredType is { } type ? Declare((ILocalSymbol)element.Variable, type) : Target(element.Target);
                        if (target is null)
                        {
                            _failed = true; // Declare and Target said why
                            return;
                        }

                        if (target.Kind is Kind.Span or Kind.Ints || target.Alias is not null || _structs.ContainsKey(element.Variable))
                        {
                            Fail(element.Target.GetLocation(), "Deconstructing into a span, an array, a reference or a struct", $"deconstruct into locals of {_l.TypeName}, integers and bools");
                            return;
                        }

                        targets[i] = target;
                    }

                    var assignedBefore = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                    var temporaries = new Variable?[elements.Count];
                    for (int i = 0; i < elements.Count; i++)
                    {
                        if (targets[i] is { } target && elements[i].Value.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                                .Any(n => _model.GetSymbolInfo(n, ct).Symbol is { } read && assignedBefore.Contains(read)))
                        {
                            string name = Hoist(_names.Fresh(target.Name + "New"), target.Kind, target.IntegerType);
                            string? adjoint = target.Kind == Kind.Real ? _names.Fresh("d" + NameScope.Pascal(name)) : null;
                            if (adjoint is not null)
                            {
                                _lazyAdjoints.Add(adjoint);
                            }

                            // Nothing reads a temporary but its copy below, whose reverse needs no value: its old value is not kept.
                            temporaries[i] = new Variable(name, target.Kind, adjoint) { IntegerType = target.IntegerType };
                            AssignElement(temporaries[i]!, elements[i], keep: false);
                        }

                        if (elements[i].Variable is { } assigned)
                        {
                            assignedBefore.Add(assigned);
                        }
                    }

                    for (int i = 0; i < elements.Count && !_failed; i++)
                    {
                        if (targets[i] is not { } target)
                        {
                            continue;
                        }

                        bool keep = elements[i].DeclaredType is null || _regions.Count > 1;
                        if (temporaries[i] is not { } temporary)
                        {
                            AssignElement(target, elements[i], keep);
                        }
                        else if (target.Kind == Kind.Real)
                        {
                            AssignTerm(target, new Term(TermKind.Variable, temporary.Name) { Variable = temporary }, forward, reverse, keep);
                        }
                        else
                        {
                            if (keep)
                            {
                                Keep(target, forward, reverse);
                            }

                            forward.Line($"{target.Name} = {temporary.Name};");
                        }
                    }

                    // An element's value (Math.SinCos's: its function of the value) assigned to a variable.
                    void AssignElement(Variable variable, Deconstructed element, bool keep)
                    {
                        if (element.Function is not { } function)
                        {
                            Assign(variable, SyntaxKind.SimpleAssignmentExpression, element.Value, forward, reverse, keep);
                        }
                        else if (variable.Kind != Kind.Real)
                        {
                            Fail(element.Target.GetLocation(), "Deconstructing Math.SinCos into a variable that is not a " + _l.TypeName, $"declare it as {_l.TypeName}");
                        }
                        else if (Real(element.Value) is { } of)
                        {
                            var rule = TapeFunctions.First(f => f.Name == function.ToString() && f.Arity == 1);
                            AssignTerm(variable, new Term(TermKind.Function, string.Empty, of) { Function = rule }, forward, reverse, keep);
                        }
                    }
                }

                private Variable? Target(ExpressionSyntax left)
                {
                    if (left is IdentifierNameSyntax && _model.GetSymbolInfo(left, _l._cancellationToken).Symbol is { } symbol &&
                        _variables.TryGetValue(symbol, out var variable))
                    {
                        return variable;
                    }

                    if (FieldOfLocal(left) is { } field)
                    {
                        return field;
                    }

                    Fail(left.GetLocation(), "Assigning to anything but a local, a parameter or a field of a struct local", "assign to a local declared in the method, or to a parameter");
                    return null;
                }

                private void Step(Variable variable, bool increment, ExpressionSyntax step, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (variable.Kind is Kind.Bool or Kind.Span or Kind.Ints)
                    {
                        Fail(step.GetLocation(), "Stepping a bool, an array or a span", "assign it");
                        return;
                    }

                    string op = increment ? "+" : "-";
                    // An int step is undone by the opposite step (int arithmetic wraps, so every step is invertible):
                    // nothing to keep.
                    if (IsInteger(variable.Kind))
                    {
                        string back = increment ? "--" : "++";
                        forward.Line($"{variable.Name}{op}{op};");
                        reverse.Add(w => w.Line($"{variable.Name}{back};"));
                        return;
                    }

                    // x = x ± 1: the adjoint passes through unchanged, and x is restored.
                    forward.Line($"{_tape}.Push({variable.Name});");
                    forward.Line($"{variable.Name} {op}= {One};");
                    reverse.Add(w => w.Line($"{variable.Name} = {_tape}.Pop();"));
                }

                // keep: whether the value overwritten is pushed, and popped back by the reverse.
                private void Assign(Variable variable, SyntaxKind kind, ExpressionSyntax right, CodeWriter forward, List<Action<CodeWriter>> reverse, bool keep = true)
                {
                    string? op = AssignmentOperator(kind);
                    if (op is null)
                    {
                        Fail(right.Parent!.GetLocation(), "This compound assignment", "write it out: x = x … y, with + − * / %");
                        return;
                    }

                    if (variable is { Kind: Kind.Span, IsArray: true } && op.Length == 0)
                    {
                        AssignArray(variable, right, forward, reverse);
                        return;
                    }

                    if (variable.Kind is Kind.Span or Kind.Ints)
                    {
                        Fail(right.Parent!.GetLocation(), "Assigning a span parameter, a span or an array of ints", $"introduce a local; an array local of {_l.TypeName} may be given another (state = next)");
                        return;
                    }

                    if (variable.Kind != Kind.Real)
                    {
                        var text = IsInteger(variable.Kind) ? PassiveText(right) : Condition(right);
                        if (text is null)
                        {
                            return;
                        }

                        if (keep)
                        {
                            Keep(variable, forward, reverse);
                        }

                        forward.Line($"{variable.Name} {op}= {text};");
                        return;
                    }

                    var value = Real(right);
                    if (value is null)
                    {
                        return;
                    }

                    if (op.Length > 0)
                    {
                        var current = new Term(TermKind.Variable, variable.Name) { Variable = variable };
                        value = new Term(Compound(kind)!.Value, string.Empty, current, value);
                    }

                    AssignTerm(variable, value, forward, reverse, keep);
                }

                // variable = value (a variable of T), keeping what it overwrites where keep says so.
                private void AssignTerm(Variable variable, Term value, CodeWriter forward, List<Action<CodeWriter>> reverse, bool keep)
                {
                    if (keep)
                    {
                        forward.Line($"{_tape}.Push({variable.Name});");
                    }

                    forward.Line($"{variable.Name} = {Text(value)};");
                    reverse.Add(w =>
                    {
                        // Before the pop the variable holds what the right side computed: its value, not recomputed
                        // (a tanh taken once per step, not twice).
                        using (w.Block())
                        {
                            var block = w.Beside();
                            string after = value.IsLeaf || value.Kind == TermKind.Call
                                ? string.Empty
                                : _names.Fresh("after");
                            if (after.Length > 0)
                            {
                                block.Line($"{_t} {after} = {variable.Name};");
                            }

                            if (keep)
                            {
                                block.Line($"{variable.Name} = {_tape}.Pop();");
                            }

                            _usedAdjoints.Add(variable.Adjoint!);
                            string g = _names.Fresh("g");
                            block.Line($"{_t} {g} = {variable.Adjoint};");
                            block.Line($"{variable.Adjoint} = {Zero};");
                            Backpropagate(value, g, block, after.Length > 0 ? after : null);
                            w.AppendLines(Tidied(Lines(block.ToString()).ToList(), variable.Adjoint!));
                        }
                    });
                }

                // ---- Expressions ------------------------------------------------------------------------------

                // A right side of T as a term; null (reported) for what the statement-by-statement gradient cannot take.
                private Term? Real(ExpressionSyntax expression)
                {
                    if (_ranBefore.Contains(expression))
                    {
                        return Real(AssignedBy(expression)!);
                    }

                    var model = _model;
                    var type = model.GetTypeInfo(expression, _l._cancellationToken).Type;
                    var constant = model.GetConstantValue(expression, _l._cancellationToken);
                    if (constant.HasValue && constant.Value is not bool and not null)
                    {
                        return new Term(TermKind.Constant, RealLiteral(Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture)));
                    }

                    if (KindOf(type) is Kind.Int or Kind.Integer)
                    {
                        return PassiveText(expression) is { } text ? new Term(TermKind.Passive, text) : null;
                    }

                    if (KindOf(type) != Kind.Real)
                    {
                        // A float parameter of a double method, read where C# widens it: the sweeps take it as a double (a
                        // double one of a float method is read in a cast to float, where _promoted takes it).
                        var converted = _l.ConvertedParameter(expression);
                        if (converted is not null && _isDouble && _variables.TryGetValue(converted, out var widened) &&
                            model.GetTypeInfo(expression, _l._cancellationToken).ConvertedType?.SpecialType == SpecialType.System_Double)
                        {
                            return new Term(TermKind.Variable, widened.Name) { Variable = widened };
                        }

                        if (type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double)
                        {
                            // x * x of a float parameter x: arithmetic in float, which says how to widen x
                            converted ??= expression.DescendantNodes().OfType<IdentifierNameSyntax>().Select(_l.ConvertedParameter).FirstOrDefault(p => p is not null);
                            _l.Report(DiagnosticDescriptors.MixedPrecision, expression.GetLocation(), type.ToDisplayString(), _l.TypeName,
                                converted is not null ? _l.ConvertedReadAdvice(converted.Name) : $"compute in {_l.TypeName}");
                        }
                        else
                        {
                            Fail(expression.GetLocation(), $"A value of type '{type?.ToDisplayString() ?? "?"}' here", $"compute with {_l.TypeName}, int and bool");
                        }

                        _failed = true;
                        return null;
                    }

                    switch (expression)
                    {
                        case ParenthesizedExpressionSyntax parenthesized:
                            return Real(parenthesized.Expression);
                        case CheckedExpressionSyntax checkedOrNot:
                            return Real(checkedOrNot.Expression); // arithmetic of T: checked or not, the same
                        case IdentifierNameSyntax when model.GetSymbolInfo(expression, _l._cancellationToken).Symbol is IParameterSymbol parameter && _bound.TryGetValue(parameter, out var bound):
                            return bound; // a parameter of a local function substituted where it is called
                        case IdentifierNameSyntax when model.GetSymbolInfo(expression, _l._cancellationToken).Symbol is { } symbol && _variables.TryGetValue(symbol, out var variable):
                            return variable.Alias is { } alias
                                ? new Term(TermKind.Element, ElementText(alias.Span, alias.Index)) { Variable = alias.Span, Index = alias.Index }
                                : new Term(TermKind.Variable, variable.Name) { Variable = variable };
                        case MemberAccessExpressionSyntax when FieldOfLocal(expression) is { } structField:
                            return new Term(TermKind.Variable, structField.Name) { Variable = structField };
                        case MemberAccessExpressionSyntax member when SinCosPart(member, model, _l._cancellationToken) is { } part:
                            return Real(part.Argument) is { } of
                                ? new Term(TermKind.Function, string.Empty, of) { Function = TapeFunctions.First(f => f.Name == part.Function.ToString() && f.Arity == 1) }
                                : null;
                        case IdentifierNameSyntax or MemberAccessExpressionSyntax when StaticField(expression) is { } field:
                            return new Term(TermKind.Passive, field);
                        case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: var operand }:
                            return Real(operand) is { } negated ? new Term(TermKind.Negate, string.Empty, negated) : null;
                        case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression, Operand: var operand }:
                            return Real(operand);
                        case BinaryExpressionSyntax binary when BinaryKind(binary) is { } kind:
                            return Real(binary.Left) is { } left && Real(binary.Right) is { } right ? new Term(kind, string.Empty, left, right) : null;
                        case ConditionalExpressionSyntax conditional:
                            return Condition(conditional.Condition) is { } test && Real(conditional.WhenTrue) is { } a && Real(conditional.WhenFalse) is { } b
                                ? new Term(TermKind.Select, test, a, b)
                                : null;
                        case SwitchExpressionSyntax choice:
                            return Arms(choice, Real, (test, a, b) => new Term(TermKind.Select, test, a, b));
                        case CastExpressionSyntax cast:
                            var inner = model.GetTypeInfo(cast.Expression, _l._cancellationToken).Type;
                            if (KindOf(inner) is Kind.Int or Kind.Integer)
                            {
                                return PassiveText(cast.Expression) is { } text ? new Term(TermKind.Passive, $"(({_t}){text})") : null;
                            }

                            if (KindOf(inner) == Kind.Real)
                            {
                                return Real(cast.Expression);
                            }

                            if (!_isDouble && !_promoted && inner?.SpecialType == SpecialType.System_Double)
                            {
                                _promoted = true;
                                var promoted = Real(cast.Expression);
                                _promoted = false;
                                return promoted;
                            }

                            break;
                        case InvocationExpressionSyntax invocation:
                            return Call(invocation);
                        case ElementAccessExpressionSyntax access when access.ArgumentList.Arguments.Count == 1 &&
                                                                       model.GetSymbolInfo(access.Expression, _l._cancellationToken).Symbol is { } spanSymbol &&
                                                                       _variables.TryGetValue(spanSymbol, out var span) && span.Kind == Kind.Span:
                            return IndexText(span, access.ArgumentList.Arguments[0].Expression) is { } index
                                ? new Term(TermKind.Element, ElementText(span, index)) { Variable = span, Index = index }
                                : null;
                    }

                    if (expression is AssignmentExpressionSyntax)
                    {
                        AssignmentUsedAsValue(expression);
                        return null;
                    }

                    Fail(expression.GetLocation(), Describe(expression), $"compute with + − * /, ?:, locals, parameters and the functions of Math and AD");
                    return null;
                }

                // (r = x) != 0, res += (a = b): C# allows it, the statement-by-statement gradient keeps assignments as statements.
                private void AssignmentUsedAsValue(ExpressionSyntax expression) =>
                    Fail(expression.GetLocation(), "An assignment used as a value", "assign in a statement of its own (a = n; b = n;), then use the variable");

                private static TermKind? BinaryKind(BinaryExpressionSyntax binary) => binary.Kind() switch
                {
                    SyntaxKind.AddExpression => TermKind.Add,
                    SyntaxKind.SubtractExpression => TermKind.Subtract,
                    SyntaxKind.MultiplyExpression => TermKind.Multiply,
                    SyntaxKind.DivideExpression => TermKind.Divide,
                    SyntaxKind.ModuloExpression => TermKind.Remainder,
                    _ => null,
                };

                private Term? Call(InvocationExpressionSyntax invocation)
                {
                    if (_model.GetSymbolInfo(invocation, _l._cancellationToken).Symbol is not IMethodSymbol callee)
                    {
                        _failed = true;
                        return null;
                    }

                    if (HasAttribute(callee, DifferentiableAttribute))
                    {
                        return DifferentiableCall(invocation, callee.OriginalDefinition);
                    }

                    if (callee.MethodKind == MethodKind.LocalFunction)
                    {
                        if (_inlinedValues.TryGetValue(invocation, out var inlined) && !ReferenceEquals(inlined, Discarded))
                        {
                            return new Term(TermKind.Variable, inlined.Name) { Variable = inlined };
                        }

                        return SubstitutedBody(callee) is { } body ? Substituted(invocation, callee, body) : InlinedLocalFunction(invocation, callee) is { } local ? new Term(TermKind.Variable, local.Name) { Variable = local } : null;
                    }

                    string container = callee.ContainingType.ToDisplayString();
                    string name = callee.Name switch
                    {
                        "LogP1" when container is "float" or "double" => "Log1P",
                        "ExpM1" when container is "float" or "double" => "ExpM1",
                        var other => other,
                    };

                    // A stopped gradient is a value read as it is.
                    if (name == "StopGradient" && container == "AutoDiff.AD" && callee.Parameters.Length == 1)
                    {
                        return Real(invocation.ArgumentList.Arguments[0].Expression) is { } stopped
                            ? new Term(TermKind.Passive, _dual ? $"{_t}.StopGradient({Text(stopped)})" : Text(stopped))
                            : null;
                    }

                    bool known = container is "System.Math" or "System.MathF" or "float" or "double" or "AutoDiff.AD";
                    string key = name + "/" + callee.Parameters.Length;

                    // ScaleB(x, n) = x·2ⁿ, 2ⁿ a value with no gradient (x·2ⁿ is ScaleB's value bit for bit but where 2ⁿ alone
                    // overflows or underflows, |n| past 1023).
                    if (known && name == "ScaleB" && callee.Parameters.Length == 2 && KindOf(callee.Parameters[1].Type) == Kind.Int)
                    {
                        var arguments = invocation.ArgumentList.Arguments;
                        return Real(arguments[0].Expression) is { } x && PassiveText(arguments[1].Expression) is { } n
                            ? new Term(TermKind.Multiply, string.Empty, x, new Term(TermKind.Passive, $"{_l.TypeName}.ScaleB({One}, {n})"))
                            : null;
                    }

                    if (known && container != "AutoDiff.AD" && Composites.Keys.Contains(key))
                    {
                        var parts = new List<Term>();
                        foreach (var argument in invocation.ArgumentList.Arguments)
                        {
                            if (Real(argument.Expression) is not { } part)
                            {
                                return null;
                            }

                            parts.Add(part);
                        }

                        return Composites.Build(key, new TermAlgebra(this), parts.ToArray());
                    }

                    var function = known ? TapeFunctions.FirstOrDefault(f => f.Name == name && f.Arity == callee.Parameters.Length) : null;
                    if (function is null)
                    {
                        // AD's reductions over rows (AD.Sum(a), AD.Dot(a, b), AD.LogSumExp(a) …) are calls of the runtime's
                        // [Differentiable] twins of them (AutoDiff.CompilerServices.Reductions); those that take a
                        // lambda are the graph's alone.
                        bool reduction = container == "AutoDiff.AD" && callee.Parameters.Any(p => p.Type is INamedTypeSymbol { Name: "ReadOnlySpan" or "Span" } or IArrayTypeSymbol);
                        if (reduction && ReductionTwin(callee) is { } twin)
                        {
                            return DifferentiableCall(invocation, twin);
                        }

                        // LINQ's a.Sum(), a.Average(), a.Max(), a.Min() over a span of the method: AD's (a sum of a function: InlineReductions).
                        if (container == "System.Linq.Enumerable" && _l.LinqReduction(invocation, callee) is { Arguments.Count: 1 } linq &&
                            _model.Compilation.GetTypeByMetadataName("AutoDiff.AD")?.GetMembers(linq.Name).OfType<IMethodSymbol>()
                                .FirstOrDefault(m => m.Parameters.Length == 1 && m.Parameters[0].Type is INamedTypeSymbol { Name: "ReadOnlySpan" } span && span.TypeArguments[0].SpecialType == _l._type) is { } ad &&
                            ReductionTwin(ad) is { } linqTwin)
                        {
                            return DifferentiableCall(invocation, linqTwin, linq.Arguments);
                        }

                        // A sum of a function, a loop written before the statement (InlineReductions).
                        if (_inlinedValues.TryGetValue(invocation, out var sum))
                        {
                            return new Term(TermKind.Variable, sum.Name) { Variable = sum };
                        }

                        if (_refusedReductions.Contains(invocation))
                        {
                            _failed = true;
                            return null;
                        }

                        if (invocation.ArgumentList.Arguments is { Count: > 1 } arguments && arguments.Last().Expression is LambdaExpressionSyntax && arguments.All(a => a.NameColon is null))
                        {
                            Fail(invocation.GetLocation(), "A sum over a function here (a loop's condition or step, which runs it again on every pass)",
                                "assign it to a local in a statement of its own (before the loop and at the end of its body) and read that");
                            return null;
                        }

                        if (known && name is "Floor" or "Round" or "Ceiling" or "Truncate")
                        {
                            // Of a value no gradient flows through ([NoDiff] data, constants): a value.
                            if (invocation.ArgumentList.Arguments is { Count: > 0 } roundingArguments && roundingArguments.All(a => a.NameColon is null))
                            {
                                if (Real(roundingArguments[0].Expression) is not { } rounded)
                                {
                                    return null;
                                }

                                var rest = roundingArguments.Skip(1).Select(a => PassiveText(a.Expression)).ToArray();
                                if (rest.Any(text => text is null))
                                {
                                    return null; // said why
                                }

                                if (IsPassive(rounded))
                                {
                                    return new Term(TermKind.Passive, RoundingText(callee, rounded, rest!));
                                }
                            }

                            string step = (container.StartsWith("System.", StringComparison.Ordinal) ? container.Substring("System.".Length) : container) + "." + name;
                            Fail(invocation.GetLocation(), $"'{step}' of a value that may carry a gradient (its derivative is zero wherever there is one)",
                                $"read it where an integer or a condition takes it ((int){step}(x), {step}(x) > y), or use a smooth function");
                            return null;
                        }

                        string list = string.Join(", ", TapeFunctions.Select(f => f.Name).Concat(Composites.Keys.Select(k => k.Split('/')[0])).Distinct());
                        _l.Report(DiagnosticDescriptors.UnknownMethod, invocation.GetLocation(), callee.Name, reduction
                            ? $"in {Taped}, AD's reductions take their function as a lambda written at the call, the arguments in order (AD.Sum(a, x => x * x)); write it so, or put it in a [Differentiable] method of its own and call that"
                            : container == "System.Linq.Enumerable" ? $"in {Taped}, {LinqAdvice}"
                            : $"in {Taped}, the gradient knows {list} (on Math, MathF, float, double or AD); compute with those");
                        _failed = true;
                        return null;
                    }

                    // An int parameter (RootN's n) takes its argument as it is, a value with no gradient.
                    var args = new Term[function.Arity];
                    for (int i = 0; i < args.Length; i++)
                    {
                        var expression = invocation.ArgumentList.Arguments[i].Expression;
                        var arg = KindOf(callee.Parameters[i].Type) == Kind.Int
                            ? PassiveText(expression) is { } count ? new Term(TermKind.Passive, $"({count})") : null
                            : Real(expression);
                        if (arg is null)
                        {
                            return null;
                        }

                        args[i] = arg;
                    }

                    return new Term(TermKind.Function, string.Empty, args) { Function = function };
                }

                // AD's reduction's [Differentiable] twin in the runtime: the method of AutoDiff.CompilerServices.Reductions
                // with its name and parameter types; null where there is none (one that takes a function).
                private IMethodSymbol? ReductionTwin(IMethodSymbol reduction) =>
                    _model.Compilation.GetTypeByMetadataName("AutoDiff.CompilerServices.Reductions")?.GetMembers(reduction.Name).OfType<IMethodSymbol>()
                        .FirstOrDefault(twin => twin.Parameters.Select(p => p.Type).SequenceEqual(reduction.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default));

                // A call of another [Differentiable] method of scalars: its value, and in the reverse sweep its gradient
                // (FGradient, generated or supplied) recomputed at the arguments, times the adjoint.
                // sources: the arguments where the call's own are not them (LINQ's a.Sum(): the source before the call).
                private Term? DifferentiableCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, IReadOnlyList<ExpressionSyntax>? sources = null)
                {
                    if (SymbolEqualityComparer.Default.Equals(callee, _l._method.OriginalDefinition) || _l.FindCycle(callee) is not null)
                    {
                        string through = _l.FindCycle(callee) is { } cycle ? $" through '{cycle}'" : string.Empty;
                        _l.Report(DiagnosticDescriptors.Recursion, invocation.GetLocation(), _l._method.Name, through);
                        _failed = true;
                        return null;
                    }

                    if (_inlinedValues.TryGetValue(invocation, out var inlined))
                    {
                        return new Term(TermKind.Variable, inlined.Name) { Variable = inlined };
                    }

                    // One with ref parameters is inlined where it can be (InlineWritingCalls); here it is read with its
                    // writes unseen. (A ref parameter has no default: its argument is there.)
                    if (HasAttribute(callee, DifferentiableAttribute) && RefScalars(callee).Any() && ByParameter(invocation, callee) is { } passed &&
                        passed[RefScalars(callee).First()] is { } reference)
                    {
                        Fail(reference.GetLocation(), $"'{reference}' passed by reference to '{callee.Name}', which may write it, where the statement reads it too or in a loop's condition",
                            $"call '{callee.Name}' where nothing else in the statement reads what it writes (var v = {callee.Name}(ref x); and {callee.Name}(ref x); are inlined, so its writes are differentiated)");
                        return null;
                    }

                    // Each parameter a T, a row of T (ReadOnlySpan<T> or T[]), an int, a long, a bool or a span of ints, as the callee's own signature allows.
                    var shapes = callee.Parameters.Select(p =>
                        p.RefKind is RefKind.None or RefKind.In or RefKind.RefReadOnlyParameter && ShapeOf(p.Type, out var element) is { } shape &&
                        (shape == ParameterShape.Integer || element == (shape switch { ParameterShape.Index or ParameterShape.Indices => SpecialType.System_Int32, ParameterShape.Flag => SpecialType.System_Boolean, _ => _l._type }))
                            ? shape
                            : (ParameterShape?)null).ToArray();
                    if (!callee.IsStatic || callee.IsGenericMethod || callee.ReturnType.SpecialType != _l._type || shapes.Any(s => s is null))
                    {
                        Fail(invocation.GetLocation(), $"A call of '{callee.Name}', which is not a static method of {_l.TypeName}, ReadOnlySpan<{_l.TypeName}>, {_l.TypeName}[], integer and bool parameters",
                            $"call [Differentiable] methods of {_l.TypeName}, ReadOnlySpan<{_l.TypeName}>, {_l.TypeName}[], integer and bool parameters only");
                        return null;
                    }

                    if (_l.IsRejected(callee))
                    {
                        _l.ReportRejected(callee, invocation.GetLocation());
                        _failed = true;
                        return null;
                    }

                    if ((sources?.ToArray() ?? ByParameter(invocation, callee)?.Select(a => a?.Expression).ToArray()) is not { } arguments)
                    {
                        return null;
                    }

                    // A callee that writes the elements of its array parameter changes the caller's array, as C# passes it:
                    // its gradient, taken as the value's, would not follow that change (unless it is inlined: InlineWritingCalls).
                    if (WrittenBy(callee).Where(ordinal => ElementOf(callee.Parameters[ordinal].Type) is not null && arguments[ordinal] is not null)
                            .Select(ordinal => (int?)ordinal).FirstOrDefault() is { } written && arguments[written] is { } changed)
                    {
                        Fail(changed.GetLocation(), $"'{changed}' passed to '{callee.Name}', which writes the elements of its {(callee.Parameters[written].Type is IArrayTypeSymbol ? "array" : "span")} parameter '{callee.Parameters[written].Name}' (so the caller's elements change)",
                            $"call '{callee.Name}' where nothing else in the statement reads that array (var v = {callee.Name}(…); is inlined, so its writes are differentiated), not in a condition");
                        return null;
                    }

                    var args = new Term[arguments.Length];
                    for (int i = 0; i < args.Length; i++)
                    {
                        var arg = (shapes[i], arguments[i]) switch
                        {
                            (ParameterShape.Span, { } span) => RowArgument(span, callee.Parameters[i]),
                            (ParameterShape.Indices, { } ints) => IntsArgument(ints) is { } text ? new Term(TermKind.Passive, text) : null,
                            ({ } shape, { } passive) when shape.IsPassive() => PassiveText(passive) is { } text ? new Term(TermKind.Passive, text) : null,
                            ({ } shape, null) when shape.IsPassive() => new Term(TermKind.Passive, DefaultText(callee.Parameters[i])),
                            (_, null) => new Term(TermKind.Constant, DefaultText(callee.Parameters[i])),
                            (_, { } value) => Real(value),
                        };
                        if (arg is null)
                        {
                            return null;
                        }

                        args[i] = arg;
                        if (shapes[i] is ParameterShape.Scalar or ParameterShape.Span && RoleOf(callee.Parameters[i]) != ParameterRole.Differentiable && !IsPassive(arg))
                        {
                            Fail(arguments[i]!.GetLocation(), $"The argument for the [NoDiff] or [Constant] parameter '{callee.Parameters[i].Name}' of '{callee.Name}', computed from values that may carry a gradient",
                                $"pass a constant, an int or a [NoDiff] parameter this method does not assign (no gradient flows through '{callee.Parameters[i].Name}'), or remove its attribute");
                            return null;
                        }
                    }

                    string method = callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + NameScope.Identifier(callee.Name);
                    var differentiable = callee.Parameters.Select((p, i) => shapes[i] is ParameterShape.Scalar or ParameterShape.Span && RoleOf(p) == ParameterRole.Differentiable).ToArray();
                    if (!_dual)
                    {
                        return new Term(TermKind.Call, string.Empty, args) { Callee = (method, method + "Gradient", differentiable) };
                    }

                    // Over dual numbers, a callee of spans or ints goes through its Jvp and, in the gradient, its gradient
                    // and Hessian-vector product; without them this method has no forward mode or second derivatives of
                    // its own (its Jvp then goes through its gradient where it has scalars alone).
                    if (shapes.Any(s => s != ParameterShape.Scalar))
                    {
                        var facts = _l.Facts(callee);
                        if (!facts.HasJvp || (!_valueOnly && !facts.HasHessianVectorProduct))
                        {
                            _failed = true;
                            return null;
                        }

                        var forms = args.Select(a => a.Kind == TermKind.Row ? FormOf(a.Variable!) : (RowForm?)null).ToArray();
                        string key = method + "(" + string.Join(",", forms) + ")";
                        if (!_dualCalls.TryGetValue(key, out var rowLocal))
                        {
                            if (!_localFunctions.IsEmpty)
                            {
                                _localFunctions.Line();
                            }

                            rowLocal = (_names.Fresh(callee.Name + "OverDuals"), _names.Fresh(callee.Name + "GradientOverDuals"));
                            _dualCalls[key] = rowLocal;
                            DualRowCallee(method, callee.Parameters, shapes.Select(s => s!.Value).ToArray(), differentiable, forms, rowLocal.Forward, rowLocal.Second);
                        }

                        return new Term(TermKind.Call, string.Empty, args) { Callee = (rowLocal.Forward, rowLocal.Second, differentiable) };
                    }

                    // Over dual numbers: the callee's value and tangent from its Jvp, its partials and their tangents from
                    // its Hessian, each through a local function of the method (a callee without a Hessian: no FHessian).
                    if (!_valueOnly && !_l.Facts(callee).HasHessian)
                    {
                        _failed = true;
                        return null;
                    }

                    if (!_dualCalls.TryGetValue(method, out var local))
                    {
                        if (!_localFunctions.IsEmpty)
                        {
                            _localFunctions.Line();
                        }

                        local = (_names.Fresh(callee.Name + "OverDuals"), _names.Fresh(callee.Name + "GradientOverDuals"));
                        _dualCalls[method] = local;
                        DualCallee(method, callee.Parameters.Select(p => p.Name).ToArray(), differentiable, local.Forward, local.Second);
                    }

                    return new Term(TermKind.Call, string.Empty, args) { Callee = (local.Forward, local.Second, differentiable) };
                }

                // A span argument: a span parameter or a local array or span of T, passed whole. Over dual numbers a
                // parameter with a tangent span is passed with it (its Text is then both, as the call's arguments).
                // The forward sweep calls the callee itself, so a T[] parameter takes an array: the generated code has one
                // only for a local array made with new (a parameter is a ReadOnlySpan<T> there).
                private Term? RowArgument(ExpressionSyntax expression, IParameterSymbol? parameter = null)
                {
                    var sliced = Sliced(expression);
                    if (_failed)
                    {
                        return null;
                    }

                    var whole = sliced?.Of ?? expression;
                    if (whole is IdentifierNameSyntax && _model.GetSymbolInfo(whole, _l._cancellationToken).Symbol is { } symbol &&
                        _variables.TryGetValue(symbol, out var row) && row.Kind == Kind.Span)
                    {
                        if (sliced is { } slice)
                        {
                            // The slice is a span of its own in the generated code, its adjoint and tangent the same slices of the row's.
                            string at = slice.Length(row.Name) is { } length ? $"{slice.Start(row.Name)}, {length}" : slice.Start(row.Name);
                            string Slice(string span) => row.IsArray // a local array is an array in the generated code too
                                ? $"global::System.MemoryExtensions.AsSpan({span}, {at})"
                                : $"{span}.Slice({at})";
                            row = new Variable(Slice(row.Name), Kind.Span, row.Adjoint is { } adjoint ? Slice(adjoint) : null)
                            {
                                Writable = row.Writable,
                                Tangent = row.Tangent is { } rowTangent ? Slice(rowTangent) : null,
                            };
                        }

                        if (parameter?.Type is IArrayTypeSymbol && !row.IsArray && !_dual)
                        {
                            Fail(expression.GetLocation(), $"'{expression}', a span in the generated code, passed to the {parameter.Type.ToDisplayString()} parameter '{parameter.Name}'",
                                $"declare '{parameter.Name}' as ReadOnlySpan<{_l.TypeName}> (an array converts to it)");
                            return null;
                        }

                        return new Term(TermKind.Row, row.Tangent is { } tangent ? $"{row.Name}, {tangent}" : row.Name) { Variable = row };
                    }

                    Fail(expression.GetLocation(), $"The span argument '{expression}'",
                        $"pass a span parameter or a local array or span of {_l.TypeName}, whole or sliced (a.Slice(i, n), a.AsSpan(i, n), a[i..j])");
                    return null;
                }

                // a.Slice(start[, length]), a.AsSpan(start[, length]) or a[start..end] (either end may count from the end,
                // ^k): the row sliced, and the slice's start and length as C# given the row's name (the length null where the
                // slice runs to the row's end); null for anything else.
                private (ExpressionSyntax Of, Func<string, string> Start, Func<string, string?> Length)? Sliced(ExpressionSyntax expression)
                {
                    switch (expression)
                    {
                        case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Slice" or "AsSpan" } member } invocation
                            when invocation.ArgumentList.Arguments.Count is 1 or 2 &&
                                 _model.GetTypeInfo(invocation.ArgumentList.Arguments[0].Expression, _l._cancellationToken).Type?.SpecialType == SpecialType.System_Int32:
                            var arguments = invocation.ArgumentList.Arguments;
                            if (PassiveText(arguments[0].Expression) is not { } start)
                            {
                                return null;
                            }

                            if (arguments.Count == 1)
                            {
                                return (member.Expression, _ => start, _ => null);
                            }

                            return PassiveText(arguments[1].Expression) is { } length ? (member.Expression, _ => start, _ => length) : ((ExpressionSyntax, Func<string, string>, Func<string, string?>)?)null;
                        case ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } range } access when range[0].Expression is RangeExpressionSyntax bounds:
                            // Each end as C# with {0} for the row's name: an index, or ^k (row.Length - k).
                            string? End(ExpressionSyntax end) => end is PrefixUnaryExpressionSyntax hat && hat.IsKind(SyntaxKind.IndexExpression)
                                ? PassiveText(hat.Operand) is { } k ? $"{{0}}.Length - ({k.Replace("{", "{{").Replace("}", "}}")})" : null
                                : PassiveText(end)?.Replace("{", "{{").Replace("}", "}}");
                            string? first = bounds.LeftOperand is { } left ? End(left) : "0";
                            string? last = bounds.RightOperand is { } right ? End(right) : null;
                            if (first is null || (bounds.RightOperand is not null && last is null))
                            {
                                return null;
                            }

                            string Format(string format, string row) => string.Format(CultureInfo.InvariantCulture, format, row);
                            return (access.Expression, row => Format(first, row),
                                row => last is null ? null : first == "0" ? Format(last, row) : $"{Format(last, row)} - ({Format(first, row)})");
                    }

                    return null;
                }

                /// <summary>How a span argument reaches a callee over dual numbers.</summary>
                private enum RowForm
                {
                    /// <summary>A parameter's values with its tangent span.</summary>
                    WithTangent,

                    /// <summary>A parameter's values alone ([NoDiff]: its tangent is 0).</summary>
                    Values,

                    /// <summary>A local array or span of dual numbers.</summary>
                    Duals,
                }

                private static RowForm FormOf(Variable row) => row.Tangent is not null ? RowForm.WithTangent : row.Writable ? RowForm.Duals : RowForm.Values;

                // The local functions through which the body over dual numbers calls a callee with spans or ints: its value
                // and tangent from its Jvp; in the gradient, its partials from its gradient and their tangents from its
                // Hessian-vector product along the arguments' tangents. The callee takes values and tangents apart: a
                // local buffer of dual numbers is split into room rented on the thread's Tape<T> (a [NoDiff] span's
                // tangent is room cleared), given back when the call returns or throws.
                private void DualRowCallee(string method, IReadOnlyList<IParameterSymbol> calleeParameters, ParameterShape[] shapes, bool[] differentiable, RowForm?[] forms, string forward, string second)
                {
                    var scope = new NameScope(Array.Empty<string>());
                    string scalar = _l.TypeName, values = $"global::System.ReadOnlySpan<{scalar}>", scratch = scope.Fresh("scratch");
                    var parameters = new List<string>();
                    var inputs = new List<string>(); // the callee's arguments: values, ints
                    var directions = new List<string>(); // a tangent per differentiable parameter
                    var lengths = new List<string?>(); // per differentiable parameter, a span's length (null for a scalar)
                    var prepare = new List<string>();
                    var rented = new List<string>();
                    string Rent(string name, string length)
                    {
                        prepare.Add($"var {name} = {scratch}.Rent({length});");
                        rented.Add(name);
                        return name;
                    }

                    for (int i = 0; i < shapes.Length; i++)
                    {
                        string a = scope.Fresh(calleeParameters[i].Name);
                        string? tangent = null;
                        switch (shapes[i])
                        {
                            case ParameterShape.Index or ParameterShape.Flag or ParameterShape.Integer or ParameterShape.Indices:
                                parameters.Add($"{calleeParameters[i].Type.ToDisplayString()} {a}");
                                inputs.Add(a);
                                continue;
                            case ParameterShape.Scalar:
                                parameters.Add($"{_t} {a}");
                                inputs.Add($"{a}.Value");
                                tangent = $"{a}.Tangent";
                                break;
                            case ParameterShape.Span when forms[i] == RowForm.Duals:
                                parameters.Add($"global::System.ReadOnlySpan<{_t}> {a}");
                                string v = Rent(scope.Fresh("values"), $"{a}.Length"), t = Rent(scope.Fresh("tangents"), $"{a}.Length");
                                string k = scope.Fresh("k");
                                prepare.Add($"for (int {k} = 0; {k} < {a}.Length; {k}++) {{ {v}[{k}] = {a}[{k}].Value; {t}[{k}] = {a}[{k}].Tangent; }}");
                                inputs.Add(v);
                                tangent = t;
                                break;
                            case ParameterShape.Span:
                                parameters.Add($"{values} {a}");
                                inputs.Add(a);
                                if (forms[i] == RowForm.WithTangent)
                                {
                                    tangent = scope.Fresh("t" + NameScope.Pascal(a));
                                    parameters.Add($"{values} {tangent}");
                                }
                                else if (differentiable[i])
                                {
                                    tangent = Rent(scope.Fresh("zeros"), $"{a}.Length");
                                    prepare.Add($"{tangent}.Clear();");
                                }

                                break;
                        }

                        if (differentiable[i])
                        {
                            directions.Add(tangent!);
                            lengths.Add(shapes[i] == ParameterShape.Span ? $"{a}.Length" : null);
                        }
                    }

                    var partials = lengths.Select(_ => scope.Fresh("partial")).ToArray();
                    string value = scope.Fresh("value"), slope = scope.Fresh("tangent");
                    var w = _localFunctions;

                    w.Wrapped($"static {_t} {forward}", parameters.ToArray(), string.Empty);
                    WriteRowCall(w, scalar, scratch, prepare, rented, () =>
                    {
                        w.Wrapped($"{scalar} {value} = {method}Jvp", inputs.Concat(directions).Append($"out {scalar} {slope}").ToArray(), ";");
                        return $"new {_t}({value}, {slope})";
                    });

                    if (_valueOnly)
                    {
                        return;
                    }

                    // The gradient's spans and the product's, rented too; each partial the dual (∂g/∂aⱼ, (∇²g·ȧ)ⱼ).
                    var gradients = new List<string>();
                    var products = new List<string>();
                    var more = new List<string>(prepare);
                    var moreRented = new List<string>(rented);
                    var assemble = new List<string>();
                    var outputs = new List<string>();
                    for (int j = 0; j < partials.Length; j++)
                    {
                        if (lengths[j] is { } length)
                        {
                            string g = scope.Fresh("gradient"), h = scope.Fresh("product"), k = scope.Fresh("k");
                            more.Add($"var {g} = {scratch}.Rent({length});");
                            more.Add($"var {h} = {scratch}.Rent({length});");
                            moreRented.Add(g);
                            moreRented.Add(h);
                            gradients.Add(g);
                            products.Add(h);
                            outputs.Add($"global::System.Span<{_t}> {partials[j]}");
                            assemble.Add($"for (int {k} = 0; {k} < {length}; {k}++) {{ {partials[j]}[{k}] = new {_t}({g}[{k}], {h}[{k}]); }}");
                        }
                        else
                        {
                            string g = scope.Fresh("gradient"), h = scope.Fresh("product");
                            gradients.Add($"out {scalar} {g}");
                            products.Add($"out {scalar} {h}");
                            outputs.Add($"out {_t} {partials[j]}");
                            assemble.Add($"{partials[j]} = new {_t}({g}, {h});");
                        }
                    }

                    w.Line();
                    w.Wrapped($"static {_t} {second}", parameters.Concat(outputs).ToArray(), string.Empty);
                    WriteRowCall(w, scalar, scratch, more, moreRented, () =>
                    {
                        w.Wrapped($"{scalar} {value} = {method}Gradient", inputs.Concat(gradients).ToArray(), ";");
                        w.Wrapped($"{scalar} {slope} = {method}HessianVectorProduct", inputs.Concat(directions).Concat(products).ToArray(), ";");
                        foreach (var line in assemble)
                        {
                            w.Line(line);
                        }

                        return $"new {_t}({value}, {slope})";
                    });
                }

                // A local function's body: rooms rented on the thread's Tape<T> (and what fills them), the calls and the
                // result, the rooms given back however the calls end.
                private static void WriteRowCall(CodeWriter w, string scalar, string scratch, List<string> prepare, List<string> rented, Func<string> calls)
                {
                    using (w.Block())
                    {
                        if (rented.Count > 0)
                        {
                            w.Line($"var {scratch} = global::AutoDiff.CompilerServices.Tape<{scalar}>.ForThisThread;");
                        }

                        foreach (var line in prepare)
                        {
                            w.Line(line);
                        }

                        if (rented.Count == 0)
                        {
                            w.Line($"return {calls()};");
                            return;
                        }

                        using (w.Block("try"))
                        {
                            w.Line($"return {calls()};");
                        }

                        using (w.Block("finally"))
                        {
                            for (int i = rented.Count - 1; i >= 0; i--)
                            {
                                w.Line($"{scratch}.Return({rented[i]}.Length);");
                            }
                        }
                    }
                }

                // The local functions through which the gradient over dual numbers calls a callee of m differentiable
                // parameters: its value with the tangent Σⱼ ∂g/∂aⱼ·ȧⱼ (its Jvp), and the value with each partial ∂g/∂aⱼ and
                // its tangent Σₖ ∂²g/∂aⱼ∂aₖ·ȧₖ (its Hessian).
                private void DualCallee(string method, string[] names, bool[] differentiable, string forward, string second)
                {
                    var scope = new NameScope(Array.Empty<string>());
                    var args = names.Select(scope.Fresh).ToArray();
                    var active = args.Where((_, i) => differentiable[i]).ToArray();
                    var partials = active.Select(_ => scope.Fresh("partial")).ToArray();
                    string tangent = scope.Fresh("tangent"), gradient = scope.Fresh("gradient"), hessian = scope.Fresh("hessian"), value = scope.Fresh("value");
                    string scalar = _l.TypeName;
                    var parameters = args.Select(a => $"{_t} {a}").ToArray();
                    var values = args.Select(a => a + ".Value").ToArray();
                    string Along(int row) => string.Join(" + ", active.Select((a, k) => $"{hessian}[{row * active.Length + k}] * {a}.Tangent"));
                    var w = _localFunctions;
                    w.Wrapped($"static {_t} {forward}", parameters, string.Empty);
                    using (w.Block())
                    {
                        w.Wrapped($"{scalar} {value} = {method}Jvp", values.Concat(active.Select(a => a + ".Tangent")).Append($"out {scalar} {tangent}").ToArray(), ";");
                        w.Line($"return new {_t}({value}, {tangent});");
                    }

                    if (_valueOnly)
                    {
                        return;
                    }

                    w.Line();
                    w.Wrapped($"static {_t} {second}", parameters.Concat(partials.Select(p => $"out {_t} {p}")).ToArray(), string.Empty);
                    using (w.Block())
                    {
                        w.Line($"global::System.Span<{scalar}> {gradient} = stackalloc {scalar}[{active.Length}];");
                        w.Line($"global::System.Span<{scalar}> {hessian} = stackalloc {scalar}[{active.Length * active.Length}];");
                        w.Wrapped($"{scalar} {value} = {method}Hessian", values.Append(gradient).Append(hessian).ToArray(), ";");
                        for (int j = 0; j < active.Length; j++)
                        {
                            w.Line($"{partials[j]} = new {_t}({gradient}[{j}], {Along(j)});");
                        }

                        string slope = active.Length == 0 ? Zero : string.Join(" + ", active.Select((a, j) => $"{gradient}[{j}] * {a}.Tangent"));
                        w.Line($"return new {_t}({value}, {slope});");
                    }
                }

                // Math.Round(x, …), Floor(x) … as a value: the call with the value of x and its other arguments (digits, a mode).
                private string RoundingText(IMethodSymbol rounder, Term rounded, IEnumerable<string> rest) =>
                    $"{rounder.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{rounder.Name}({string.Join(", ", rest.Prepend(PrimalText(rounded)))})";

                // Whether no gradient can flow through the term: constants, ints, and [NoDiff] or [Constant] parameters
                // the body never assigns.
                private bool IsPassive(Term term) => term.Kind switch
                {
                    TermKind.Constant or TermKind.Passive => true,
                    TermKind.Variable => _unassignedPassive.Contains(term.Variable!),
                    TermKind.Element or TermKind.Row => term.Variable!.Adjoint is null,
                    _ => term.Args.All(IsPassive) && term.Kind != TermKind.Call,
                };

                private string RealLiteral(double value)
                {
                    // A number in parentheses (−2 stays one operand); NaN and the infinities are names.
                    string literal = GraphRenderer.Literal(value, _isDouble);
                    return double.IsInfinity(_isDouble ? value : (float)value) || double.IsNaN(value) ? literal : $"({literal})";
                }

                // How the generated code calls a function: {T} is float or double, {Math} the class the method calls;
                // over dual numbers, Dual<T>'s function of the same name.
                private string CallOf(TapeFunction function) => _dual
                    ? $"{_t}.{function.Name}"
                    : function.Call.Replace("{T}", _t).Replace("{Math}", _isDouble ? "global::System.Math" : "global::System.MathF");

                // A value as C#, inline: the forward sweep's right sides.
                private string Text(Term term) => term.Kind switch
                {
                    _ when term.IsLeaf => term.Text,
                    TermKind.Negate => $"(-{Text(term.Args[0])})",
                    TermKind.Add => $"({Text(term.Args[0])} + {Text(term.Args[1])})",
                    TermKind.Subtract => $"({Text(term.Args[0])} - {Text(term.Args[1])})",
                    TermKind.Multiply => $"({Text(term.Args[0])} * {Text(term.Args[1])})",
                    TermKind.Divide => $"({Text(term.Args[0])} / {Text(term.Args[1])})",
                    TermKind.Remainder => $"({Text(term.Args[0])} % {Text(term.Args[1])})",
                    TermKind.Select => $"({term.Text} ? {Text(term.Args[0])} : {Text(term.Args[1])})",
                    TermKind.Call => $"{term.Callee!.Value.Value}({string.Join(", ", term.Args.Select(Text))})",
                    _ => $"{CallOf(term.Function!)}({string.Join(", ", term.Args.Select(Text))})",
                };

                // The reverse of one right side: its values recomputed into locals (every variable holds what it held
                // when the assignment ran), then its adjoint g sent down to the variables it read.
                // known: the name of the term's value where it is known already (what the assignment stored).
                private void Backpropagate(Term term, string g, CodeWriter w, string? known = null)
                {
                    var values = new Dictionary<Term, string>();
                    _rented.Clear();
                    Evaluate(term, values, w, known);
                    Send(term, g, values, w);
                    for (int i = _rented.Count - 1; i >= 0; i--)
                    {
                        w.Line($"{_tape}.Return({_rented[i]}.Length);");
                    }
                }

                private string Evaluate(Term term, Dictionary<Term, string> values, CodeWriter w, string? known = null)
                {
                    if (term.IsLeaf)
                    {
                        return term.Text;
                    }

                    var args = term.Args.Select(a => Evaluate(a, values, w)).ToArray();
                    if (known is not null && term.Callee is null)
                    {
                        values[term] = known;
                        return known;
                    }

                    if (term.Callee is { } callee)
                    {
                        // The value and the partials in one call of the callee's gradient; a span's partials into room
                        // rented on the tape, given back once they are added to the span's adjoint.
                        var partials = callee.Differentiable.Select(d => d ? _names.Fresh("partial") : null).ToArray();
                        string call = _names.Fresh("v");
                        var outs = new List<string>();
                        for (int i = 0; i < partials.Length; i++)
                        {
                            if (partials[i] is not { } partial)
                            {
                                continue;
                            }

                            if (term.Args[i].Kind == TermKind.Row)
                            {
                                w.Line($"var {partial} = {_tape}.Rent({term.Args[i].Variable!.Name}.Length);");
                                _rented.Add(partial);
                                outs.Add($", {partial}");
                            }
                            else
                            {
                                outs.Add($", out {_t} {partial}");
                            }
                        }

                        w.Line($"{_t} {call} = {callee.Gradient}({string.Join(", ", args)}{string.Concat(outs)});");
                        _calls.Add(call);
                        values[term] = call;
                        _partials[term] = partials;
                        return call;
                    }

                    string value = term.Kind switch
                    {
                        TermKind.Negate => $"-{args[0]}",
                        TermKind.Add => $"{args[0]} + {args[1]}",
                        TermKind.Subtract => $"{args[0]} - {args[1]}",
                        TermKind.Multiply => $"{args[0]} * {args[1]}",
                        TermKind.Divide => $"{args[0]} / {args[1]}",
                        TermKind.Remainder => $"{args[0]} % {args[1]}",
                        TermKind.Select => $"{term.Text} ? {args[0]} : {args[1]}",
                        _ => $"{CallOf(term.Function!)}({string.Join(", ", args)})",
                    };
                    string name = _names.Fresh("v");
                    w.Line($"{_t} {name} = {value};");
                    values[term] = name;
                    return name;
                }

                // span[index] as a value: over dual numbers, a parameter's element with its tangent.
                // The static arrays of T or int a body reads (static readonly double[] Weights = { … }: a table of
                // coefficients), as spans through which no gradient flows, read where they are (Weights[i], Weights.Length,
                // passed whole), never written (a write would be seen outside, and the sweeps may run twice).
                private void StaticArrays(SyntaxNode body)
                {
                    foreach (var name in body.DescendantNodes().OfType<SimpleNameSyntax>())
                    {
                        if (_model.GetSymbolInfo(name, _l._cancellationToken).Symbol is IFieldSymbol { IsStatic: true, Type: IArrayTypeSymbol { Rank: 1 } array } field &&
                            !_variables.ContainsKey(field) &&
                            (array.ElementType.SpecialType == _l._type || array.ElementType.SpecialType == SpecialType.System_Int32))
                        {
                            string text = $"{field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{NameScope.Identifier(field.Name)}";
                            _variables[field] = new Variable(text, array.ElementType.SpecialType == _l._type ? Kind.Span : Kind.Ints, Adjoint: null);
                        }
                    }
                }

                // An index into a span or array of the method: as computed, or ^k from its end (its length minus k).
                // An index as the generated code's spans take it: an int. C# indexes an array by a long (or a uint) too,
                // a span by an int alone: such an index is converted, checked (an index past int's range throws, as
                // the array's would).
                private string? IndexText(Variable span, ExpressionSyntax index)
                {
                    var at = index is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.IndexExpression } fromEnd ? fromEnd.Operand : index;
                    if (PassiveText(at) is not { } text)
                    {
                        return null;
                    }

                    if (_model.GetTypeInfo(at, _l._cancellationToken).Type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_UInt32)
                    {
                        text = $"checked((int)({text}))";
                    }

                    return at == index ? text : $"{span.Name}.Length - ({text})";
                }

                private string ElementText(Variable span, string index) =>
                    span.Tangent is { } tangent ? $"new {_t}({span.Name}[{index}], {tangent}[{index}])" : $"{span.Name}[{index}]";

                // The adjoint g added to the element's adjoint: over dual numbers, a parameter's adjoint span receives
                // the tangent alone (g may be made of literals alone: converted first).
                private string AddToElement(Variable span, string index, string g) =>
                    span.Tangent is null ? $"{span.Adjoint}[{index}] += {g};"
                    : SyntaxFacts.IsValidIdentifier(g) ? $"{span.Adjoint}[{index}] += {g}.Tangent;"
                    : $"{span.Adjoint}[{index}] += (({_t})({g})).Tangent;";

                // A slice's adjoint (dX.Slice(i, 2)) taken once into a local before a loop adds to its elements; a row's
                // own adjoint as it is.
                private Variable AdjointOutsideLoop(Variable row, CodeWriter w)
                {
                    if (SyntaxFacts.IsValidIdentifier(row.Adjoint!))
                    {
                        return row;
                    }

                    string slice = _names.Fresh("dSlice");
                    w.Line($"var {slice} = {row.Adjoint};");
                    return row with { Adjoint = slice };
                }

                private string ValueOf(Term term, Dictionary<Term, string> values) => values.TryGetValue(term, out var name) ? name : term.Text;

                // g is an identifier or a literal: every rule multiplies it into a product or negates it.
                private void Send(Term term, string g, Dictionary<Term, string> values, CodeWriter w)
                {
                    switch (term.Kind)
                    {
                        case TermKind.Variable:
                            _usedAdjoints.Add(term.Variable!.Adjoint!);
                            w.Line($"{term.Variable.Adjoint} += {g};");
                            return;
                        case TermKind.Constant or TermKind.Passive:
                            return;
                        case TermKind.Element:
                            if (term.Variable!.Adjoint is not null)
                            {
                                w.Line(AddToElement(term.Variable, term.Index!, g));
                            }

                            return;
                        case TermKind.Negate:
                            SendTo(term.Args[0], $"-{g}", values, w);
                            return;
                        case TermKind.Add:
                            SendTo(term.Args[0], g, values, w);
                            SendTo(term.Args[1], g, values, w);
                            return;
                        case TermKind.Subtract:
                            SendTo(term.Args[0], g, values, w);
                            SendTo(term.Args[1], $"-{g}", values, w);
                            return;
                        case TermKind.Multiply:
                            SendTo(term.Args[0], $"{g} * {ValueOf(term.Args[1], values)}", values, w);
                            SendTo(term.Args[1], $"{g} * {ValueOf(term.Args[0], values)}", values, w);
                            return;
                        case TermKind.Divide:
                            SendTo(term.Args[0], $"{g} / {ValueOf(term.Args[1], values)}", values, w);
                            SendTo(term.Args[1], $"-{g} * {values[term]} / {ValueOf(term.Args[1], values)}", values, w);
                            return;
                        case TermKind.Remainder:
                            // x % y = x − y·trunc(x/y), as C's fmod and PyTorch's torch.fmod: ∂x = 1, ∂y = −trunc(x/y).
                            SendTo(term.Args[0], g, values, w);
                            SendTo(term.Args[1], $"-{g} * {_t}.Truncate({ValueOf(term.Args[0], values)} / {ValueOf(term.Args[1], values)})", values, w);
                            return;
                        case TermKind.Select:
                            using (w.Block($"if ({term.Text})"))
                            {
                                SendTo(term.Args[0], g, values, w);
                            }

                            using (w.Block("else"))
                            {
                                SendTo(term.Args[1], g, values, w);
                            }

                            return;
                        case TermKind.Call:
                            var partialOf = _partials[term];
                            for (int i = 0; i < term.Args.Length; i++)
                            {
                                if (partialOf[i] is not { } partial)
                                {
                                    continue;
                                }

                                if (term.Args[i] is { Kind: TermKind.Row, Variable: { Adjoint: not null } row })
                                {
                                    string k = _names.Fresh("k");
                                    var into = AdjointOutsideLoop(row, w);
                                    using (w.Block($"for (int {k} = 0; {k} < {partial}.Length; {k}++)"))
                                    {
                                        w.Line(AddToElement(into, k, $"{g} * {partial}[{k}]"));
                                    }
                                }
                                else if (term.Args[i].Kind != TermKind.Row)
                                {
                                    SendTo(term.Args[i], $"{g} * {partial}", values, w);
                                }
                            }

                            return;
                        default:
                            var rule = new TapeRule(term.Args.Select(a => ValueOf(a, values)).ToArray(), values[term], g, _t, _dual ? _t : "global::AutoDiff.AD", _isDouble, Zero, One);
                            var partials = term.Function!.Partials(rule);
                            for (int i = 0; i < term.Args.Length; i++)
                            {
                                if (partials[i] is { } partial)
                                {
                                    SendTo(term.Args[i], partial, values, w);
                                }
                            }

                            return;
                    }
                }

                // An adjoint expression to one argument: added to a variable, or named and sent further down.
                private void SendTo(Term term, string adjoint, Dictionary<Term, string> values, CodeWriter w)
                {
                    if (term.Kind is TermKind.Constant or TermKind.Passive)
                    {
                        return;
                    }

                    if (term.Kind is TermKind.Variable or TermKind.Element || SyntaxFacts.IsValidIdentifier(adjoint))
                    {
                        Send(term, adjoint, values, w); // a variable, or an adjoint that is already a name
                        return;
                    }

                    string g = _names.Fresh("g");
                    w.Line($"{_t} {g} = {adjoint};");
                    Send(term, g, values, w);
                }

                // ---- Conditions and integers ---------------------------------------------------------------------

                private string? Condition(ExpressionSyntax expression)
                {
                    if (KindOf(_model.GetTypeInfo(expression, _l._cancellationToken).Type) != Kind.Bool)
                    {
                        Fail(expression.GetLocation(), "A condition that is not a bool", "compare");
                        return null;
                    }

                    return PassiveText(expression);
                }

                // A value of T as a number, never differentiated: over dual numbers its primal (a constant or a value read
                // without a tangent is a T there already: the cast to Dual<T> takes either).
                private string PrimalText(Term term) => _dual ? $"(({_t})({Text(term)})).Value" : Text(term);

                // A span or array of ints passed on: the method's own (a parameter or a local), whole or sliced (counts[1..],
                // counts[..^1], counts.Slice(i, n): Sliced); null, reported, for anything else.
                private string? IntsArgument(ExpressionSyntax argument)
                {
                    var sliced = Sliced(Unparenthesized(argument));
                    var whole = sliced?.Of ?? Unparenthesized(argument);
                    if (whole is not IdentifierNameSyntax || _model.GetSymbolInfo(whole, _l._cancellationToken).Symbol is not { } symbol ||
                        !_variables.TryGetValue(symbol, out var ints) || ints.Kind != Kind.Ints)
                    {
                        Fail(argument.GetLocation(), $"The span of ints '{argument}'", "pass a span or array of ints the method has (a parameter or a local), whole or sliced (a[1..], a.Slice(i, n))");
                        return null;
                    }

                    if (sliced is not { } slice)
                    {
                        return ints.Name;
                    }

                    string row = $"((global::System.ReadOnlySpan<int>){ints.Name})"; // the slice as RowArgument takes a row's
                    return $"{row}.Slice({(slice.Length(row) is { } length ? $"{slice.Start(row)}, {length}" : slice.Start(row))})";
                }

                // An int or bool expression as C#, its variables renamed as hoisted; a value of T inside it (x > 1,
                // (int)x) is read, never differentiated.
                private string? PassiveText(ExpressionSyntax expression)
                {
                    if (_ranBefore.Contains(expression))
                    {
                        return PassiveText(AssignedBy(expression)!);
                    }

                    var model = _model;
                    var constant = model.GetConstantValue(expression, _l._cancellationToken);
                    var type = model.GetTypeInfo(expression, _l._cancellationToken).Type;
                    if (constant.HasValue)
                    {
                        return constant.Value switch
                        {
                            bool b => b ? "true" : "false",
                            double or float when KindOf(type) == Kind.Real => RealLiteral(Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture)),
                            var value when type is { TypeKind: TypeKind.Enum } && IntegerText(value) is { } number => EnumConstant(type, number),
                            var value => IntegerText(value) ?? Unsupported(expression),
                        };
                    }

                    // Math.Round(x), Math.Floor(x) … read by an int or a condition ((int)Math.Floor(x * 3), Math.Round(x) > 2): a
                    // value, whose derivative (zero wherever there is one) nothing asks for. Round's digits and mode too
                    // (Math.Round(x, 2), Math.Round(x, MidpointRounding.AwayFromZero)).
                    if (expression is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } roundingArguments } rounding &&
                        model.GetSymbolInfo(rounding, _l._cancellationToken).Symbol is IMethodSymbol { Name: "Round" or "Floor" or "Ceiling" or "Truncate" } rounder &&
                        (rounder.Parameters.Length == 1 || (rounder.Name == "Round" && roundingArguments.All(a => a.NameColon is null))) &&
                        (rounder.ContainingType.SpecialType is SpecialType.System_Double or SpecialType.System_Single || rounder.ContainingType.ToDisplayString() is "System.Math" or "System.MathF"))
                    {
                        var rest = roundingArguments.Skip(1).Select(a => PassiveText(a.Expression)).ToArray();
                        return Real(roundingArguments[0].Expression) is { } rounded && rest.All(text => text is not null)
                            ? RoundingText(rounder, rounded, rest!)
                            : null;
                    }

                    if (KindOf(type) == Kind.Real)
                    {
                        return Real(expression) is { } real ? Text(real) : null;
                    }

                    if (KindOf(type) is null)
                    {
                        return Unsupported(expression);
                    }

                    switch (expression)
                    {
                        case ParenthesizedExpressionSyntax parenthesized:
                            return PassiveText(parenthesized.Expression) is { } inner ? $"({inner})" : null;
                        case CheckedExpressionSyntax checkedOrNot:
                            return PassiveText(checkedOrNot.Expression) is { } guarded ? $"{checkedOrNot.Keyword.Text}({guarded})" : null;
                        case MemberAccessExpressionSyntax { Name.Identifier.Text: "Length" } length
                            when model.GetSymbolInfo(length.Expression, _l._cancellationToken).Symbol is { } spanSymbol &&
                                 _variables.TryGetValue(spanSymbol, out var span) && span.Kind is Kind.Span or Kind.Ints:
                            return $"{span.Name}.Length";
                        case ElementAccessExpressionSyntax access when access.ArgumentList.Arguments.Count == 1 &&
                                                                       model.GetSymbolInfo(access.Expression, _l._cancellationToken).Symbol is { } intsSymbol &&
                                                                       _variables.TryGetValue(intsSymbol, out var ints) && ints.Kind == Kind.Ints:
                            return IndexText(ints, access.ArgumentList.Arguments[0].Expression) is { } at ? $"{ints.Name}[{at}]" : null;
                        case IdentifierNameSyntax when model.GetSymbolInfo(expression, _l._cancellationToken).Symbol is IParameterSymbol parameter && _bound.TryGetValue(parameter, out var bound):
                            return $"({Text(bound)})";
                        case IdentifierNameSyntax when model.GetSymbolInfo(expression, _l._cancellationToken).Symbol is { } symbol && _variables.TryGetValue(symbol, out var variable):
                            return variable.Alias is { } alias ? ElementText(alias.Span, alias.Index) : variable.Name;
                        case IdentifierNameSyntax or MemberAccessExpressionSyntax when StaticField(expression) is { } field:
                            return field;
                        case InvocationExpressionSyntax call when model.GetSymbolInfo(call, _l._cancellationToken).Symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } local:
                            return InlinedLocalFunction(call, local)?.Name;
                        case InvocationExpressionSyntax call when model.GetSymbolInfo(call, _l._cancellationToken).Symbol is IMethodSymbol callee && IsPassiveCall(callee) &&
                                                                  call.ArgumentList.Arguments.All(a => a.RefKindKeyword.IsKind(SyntaxKind.None)):
                            return PassiveCall(call, callee); // its arguments checked there
                        case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.IsExpression } isConstant when model.GetConstantValue(isConstant.Right, _l._cancellationToken).HasValue:
                            // m is Mode.Squared: a constant pattern that reads as a type test.
                            return PassiveText(isConstant.Left) is { } tested && PassiveText(isConstant.Right) is { } constantText ? $"(({tested}) == {constantText})" : null;
                        case BinaryExpressionSyntax binary when binary.Kind() is not (SyntaxKind.CoalesceExpression or SyntaxKind.AsExpression or SyntaxKind.IsExpression):
                            return PassiveText(binary.Left) is { } left && PassiveText(binary.Right) is { } right ? $"{left} {binary.OperatorToken.Text} {right}" : null;
                        case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax when ConditionStep(expression) is { } step:
                            return step;
                        case PrefixUnaryExpressionSyntax unary when unary.Kind() is SyntaxKind.LogicalNotExpression or SyntaxKind.UnaryMinusExpression or SyntaxKind.UnaryPlusExpression or SyntaxKind.BitwiseNotExpression:
                            return PassiveText(unary.Operand) is { } operand ? $"{unary.OperatorToken.Text}{operand}" : null;
                        case ConditionalExpressionSyntax conditional:
                            return PassiveText(conditional.Condition) is { } c && PassiveText(conditional.WhenTrue) is { } a && PassiveText(conditional.WhenFalse) is { } b ? $"({c} ? {a} : {b})" : null;
                        case IsPatternExpressionSyntax isPattern:
                            return PassiveText(isPattern.Expression) is { } subject && PatternTest(isPattern.Pattern, $"({subject})") is { } matched ? $"({matched})" : null;
                        case SwitchExpressionSyntax choice:
                            return Arms(choice, PassiveText, (test, a, b) => $"({test} ? {a} : {b})");
                        case CastExpressionSyntax cast when KindOf(type) is Kind.Int or Kind.Integer:
                            var inner2 = model.GetTypeInfo(cast.Expression, _l._cancellationToken).Type;
                            if (KindOf(inner2) is Kind.Int or Kind.Integer or Kind.Real)
                            {
                                return PassiveText(cast.Expression) is { } operand2 ? $"({type!.ToDisplayString()})({operand2})" : null;
                            }

                            break;
                    }

                    return Unsupported(expression);
                }

                // A composite's terms (Rules.Composites): arithmetic and the functions of the tape's table.
                private sealed class TermAlgebra(TapeTranslator tape) : IAlgebra<Term>
                {
                    public Term Constant(double value) => new(TermKind.Constant, tape.RealLiteral(value));

                    public Term Add(Term a, Term b) => new(TermKind.Add, string.Empty, a, b);

                    public Term Subtract(Term a, Term b) => new(TermKind.Subtract, string.Empty, a, b);

                    public Term Multiply(Term a, Term b) => new(TermKind.Multiply, string.Empty, a, b);

                    public Term Divide(Term a, Term b) => new(TermKind.Divide, string.Empty, a, b);

                    public Term Function(Op op, Term x) =>
                        new(TermKind.Function, string.Empty, x) { Function = TapeFunctions.First(f => f.Name == op.ToString() && f.Arity == 1) };

                    public Term Function(Op op, Term x, Term y) =>
                        new(TermKind.Function, string.Empty, x, y) { Function = TapeFunctions.First(f => f.Name == op.ToString() && f.Arity == 2) };
                }

                // A static void method that is not [Differentiable], called as a statement with arguments by value of T, an
                // integer, a bool or a constant of another type (Debug.Assert(y >= 1), Console.WriteLine(x), clad's
                // opaque_config(1, nullptr)): nothing flows back through it, so the forward sweep calls it as written,
                // with the values its arguments have there (of T, the primal over dual numbers). Null where it is not one.
                private string? PassiveStatement(InvocationExpressionSyntax call, IMethodSymbol callee)
                {
                    if (callee is not { IsStatic: true, IsExtensionMethod: false, ReturnsVoid: true } ||
                        callee.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams) || call.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)))
                    {
                        return null;
                    }

                    return PassiveCall(call, callee);
                }

                // A call through which no gradient flows, as written (Factorial(i), int.Max(a, b), GetBin(0.0, 1.0, x, 10):
                // where the method calls it, and again where the reverse sweep reads its value; a passive statement): its
                // arguments of T their values here (the primal over dual numbers), integers and bools as computed,
                // constants of other types as literals; null (reported) for another argument.
                private string? PassiveCall(InvocationExpressionSyntax call, IMethodSymbol callee)
                {
                    if (PassiveArguments(call.ArgumentList, callee.Name) is not { } arguments)
                    {
                        return null;
                    }

                    // A parameter that takes the caller's argument as text (ArgumentOutOfRangeException.ThrowIfNegative(x)'s
                    // paramName) is given the method's, not the generated code's.
                    var passed = call.ArgumentList.Arguments;
                    var callerTexts = callee.Parameters.Where(p => p.IsOptional && p.Ordinal >= passed.TakeWhile(a => a.NameColon is null).Count() &&
                            !passed.Any(a => a.NameColon?.Name.Identifier.Text == p.Name))
                        .Select(p => (p.Name, Of: p.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "CallerArgumentExpressionAttribute")?.ConstructorArguments.FirstOrDefault().Value as string))
                        .Where(p => p.Of is not null)
                        .Select(p => (p.Name, Argument: callee.Parameters.FirstOrDefault(q => q.Name == p.Of) is { } of && of.Ordinal < passed.Count && passed[of.Ordinal].NameColon is null
                            ? passed[of.Ordinal].Expression.ToString() : null))
                        .Where(p => p.Argument is not null)
                        .Select(p => $"{NameScope.Identifier(p.Name)}: {SymbolDisplay.FormatLiteral(p.Argument!, quote: true)}");
                    return $"{callee.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{NameScope.Identifier(callee.Name)}({string.Join(", ", arguments.Concat(callerTexts))})";
                }

                // The arguments of a call through which no gradient flows, or of an exception's constructor, as the
                // generated code writes them (named ones by their names); null, reported, for one it cannot.
                private IReadOnlyList<string>? PassiveArguments(BaseArgumentListSyntax? list, string callee)
                {
                    var arguments = new List<string>();
                    foreach (var argument in list?.Arguments ?? default)
                    {
                        if (PassiveArgument(argument.Expression, callee) is not { } text)
                        {
                            return null;
                        }

                        arguments.Add(argument.NameColon is { } named ? $"{named.Name.Identifier.Text}: {text}" : text);
                    }

                    return arguments;
                }

                // A value of T (its primal over dual numbers), an integer or a bool as computed, a constant as a literal,
                // $"…" of them; null, reported, for another.
                private string? PassiveArgument(ExpressionSyntax expression, string callee)
                {
                    var type = _model.GetTypeInfo(expression, _l._cancellationToken).Type;
                    string? text = KindOf(type) switch
                    {
                        Kind.Real => Real(expression) is { } term ? PrimalText(term) : null,
                        Kind.Int or Kind.Integer => PassiveText(expression),
                        Kind.Bool => Condition(expression),
                        _ when _model.GetConstantValue(expression, _l._cancellationToken) is { HasValue: true } constant => ConstantText(constant.Value),
                        _ when expression is InterpolatedStringExpressionSyntax interpolated => InterpolatedText(interpolated, callee),
                        _ => null,
                    };
                    if (text is null && !_failed)
                    {
                        Fail(expression.GetLocation(), $"The argument '{expression}' of '{callee}'", $"pass values of {_l.TypeName}, integers, bools, constants or $\"…\" of them");
                    }

                    return text;
                }

                // $"x = {x:F3}" as the generated code writes it: its text as it is, each hole a passive argument, its
                // alignment and format as written.
                private string? InterpolatedText(InterpolatedStringExpressionSyntax interpolated, string callee)
                {
                    var text = new System.Text.StringBuilder(interpolated.StringStartToken.Text);
                    foreach (var content in interpolated.Contents)
                    {
                        if (content is InterpolationSyntax hole)
                        {
                            if (PassiveArgument(hole.Expression, callee) is not { } value)
                            {
                                return null;
                            }

                            text.Append("{(").Append(value).Append(')').Append(hole.AlignmentClause?.ToString()).Append(hole.FormatClause?.ToString()).Append('}');
                        }
                        else
                        {
                            text.Append(content.ToString());
                        }
                    }

                    return text.Append(interpolated.StringEndToken.Text).ToString();
                }

                private static bool IsException(INamedTypeSymbol? type)
                {
                    for (; type is not null; type = type.BaseType)
                    {
                        if (type.ToDisplayString() == "System.Exception")
                        {
                            return true;
                        }
                    }

                    return false;
                }

                // A constant of a type other than T, an integer or a bool, as a C# literal: a string or a char quoted, a
                // double or a float with its suffix, null; else null.
                private static string? ConstantText(object? value) => value switch
                {
                    null => "null",
                    string text => SymbolDisplay.FormatLiteral(text, quote: true),
                    char character => SymbolDisplay.FormatLiteral(character, quote: true),
                    double number => GraphRenderer.Literal(number, isDouble: true),
                    float number => GraphRenderer.Literal(number, isDouble: false),
                    _ => null,
                };

                // The ref locals bound to a static field, and the field's text.
                private readonly Dictionary<ILocalSymbol, string> _fieldAliases = new(SymbolEqualityComparer.Default);

                // A static field or property of T, an integer or a bool (or a ref local bound to one), read by its full
                // name: a value with no gradient that the generated code reads where the method does (a property's getter
                // runs again where the reverse sweep reads it; a double one in float code is under a cast, (float)Scale,
                // checked as any double value); null for anything else.
                private string? StaticField(ExpressionSyntax expression)
                {
                    var symbol = _model.GetSymbolInfo(expression, _l._cancellationToken).Symbol;
                    if (symbol is ILocalSymbol local && _fieldAliases.TryGetValue(local, out var aliased))
                    {
                        return aliased; // ref double r = ref s_global;
                    }

                    if (symbol is null || !IsStaticField(symbol))
                    {
                        return null;
                    }

                    var type = symbol is IFieldSymbol field ? field.Type : ((IPropertySymbol)symbol).Type;
                    string name = $"{symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{NameScope.Identifier(symbol.Name)}";
                    return type.SpecialType == _l._type || type.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double) ? name : $"(({_l.TypeName}){name})";
                }

                // A pattern of constants and comparisons (is > 0 and < 1, is 0 or 1, is not 0) as a test of the subject's
                // text (parenthesized); null (reported) for one that declares, tests a type or reads members.
                private string? PatternTest(PatternSyntax pattern, string subject)
                {
                    switch (pattern)
                    {
                        case ParenthesizedPatternSyntax parenthesized:
                            return PatternTest(parenthesized.Pattern, subject) is { } inner ? $"({inner})" : null;
                        case DiscardPatternSyntax: // _ when …
                            return "true";
                        case UnaryPatternSyntax { Pattern: var negated }: // not
                            return PatternTest(negated, subject) is { } inner2 ? $"!({inner2})" : null;
                        case BinaryPatternSyntax binary:
                            return PatternTest(binary.Left, subject) is { } left && PatternTest(binary.Right, subject) is { } right
                                ? $"({left} {(binary.IsKind(SyntaxKind.AndPattern) ? "&&" : "||")} {right})"
                                : null;
                        case ConstantPatternSyntax { Expression: var constant } when _model.GetConstantValue(constant, _l._cancellationToken) is { HasValue: true, Value: not (null or double.NaN or float.NaN) }:
                            return PassiveText(constant) is { } value ? $"{subject} == {value}" : null;
                        case ConstantPatternSyntax { Expression: var constant } when _model.GetConstantValue(constant, _l._cancellationToken) is { HasValue: true, Value: double.NaN or float.NaN }:
                            return $"{subject} != {subject}"; // is double.NaN: C# tests double.IsNaN, which == cannot
                        case RelationalPatternSyntax relational when _model.GetConstantValue(relational.Expression, _l._cancellationToken).HasValue:
                            return PassiveText(relational.Expression) is { } bound ? $"{subject} {relational.OperatorToken.Text} {bound}" : null;
                        default:
                            Fail(pattern.GetLocation(), $"The pattern '{pattern}'", PatternAdvice);
                            return null;
                    }
                }

                // x switch { < 0 => a, 0 => b, _ => c } as a select per arm but the last, which must be a discard (C#
                // would throw where none matched); the subject's text is tested by each arm.
                private TResult? Arms<TResult>(SwitchExpressionSyntax choice, Func<ExpressionSyntax, TResult?> value, Func<string, TResult, TResult, TResult> select)
                    where TResult : class
                {
                    if (choice.Arms.LastOrDefault() is not { Pattern: DiscardPatternSyntax, WhenClause: null } last)
                    {
                        Fail(choice.SwitchKeyword.GetLocation(), "A switch expression whose last arm is not '_ =>'", "end it with _ => the value where no other arm matches");
                        return null;
                    }

                    if (PassiveText(choice.GoverningExpression) is not { } subject || value(last.Expression) is not { } result)
                    {
                        return null;
                    }

                    for (int k = choice.Arms.Count - 2; k >= 0; k--)
                    {
                        var arm = choice.Arms[k];
                        string? guard = arm.WhenClause is { } when ? Condition(when.Condition) : "true";
                        if (PatternTest(arm.Pattern, $"({subject})") is not { } test || guard is null || value(arm.Expression) is not { } chosen)
                        {
                            return null;
                        }

                        result = select(arm.WhenClause is null ? test : $"{test} && ({guard})", chosen, result);
                    }

                    return result;
                }

                // An enum's constant as C#: its underlying number cast to the enum (case ((global::Op)2):).
                private static string EnumConstant(ITypeSymbol type, string number) => $"(({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){number})";

                // An integer constant as C# source of its own type ('a' as (char)97, which converts to an int where
                // C# converts the literal); null for anything else.
                private static string? IntegerText(object? value)
                {
                    string Of(object number) => Convert.ToString(number, CultureInfo.InvariantCulture)!;
                    return value switch
                    {
                        int i => i < 0 ? $"({Of(i)})" : Of(i),
                        long l => l < 0 ? $"({Of(l)}L)" : Of(l) + "L",
                        char c => $"(char){Of((int)c)}",
                        uint or ulong or short or ushort or byte or sbyte => $"unchecked(({value switch
                        {
                            uint => "uint",
                            ulong => "ulong",
                            short => "short",
                            ushort => "ushort",
                            byte => "byte",
                            _ => "sbyte",
                        }}){Of(value)})",
                        _ => null,
                    };
                }

                private string? Unsupported(ExpressionSyntax expression)
                {
                    if (expression is AssignmentExpressionSyntax)
                    {
                        AssignmentUsedAsValue(expression);
                        return null;
                    }

                    Fail(expression.GetLocation(), Describe(expression), $"compute conditions and ints from {_l.TypeName}, int and bool locals and parameters, constants and operators");
                    return null;
                }
            }
        }
    }
}

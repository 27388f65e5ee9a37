using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Rules;

namespace AutoDiff.Generator.Emit;

/// <summary>
/// Turns nodes of a <see cref="KernelModel"/> graph into C# statements and expressions, scalar or
/// <c>Vector&lt;T&gt;</c>. A node used more than once, a call, or a node the source named becomes a local;
/// everything else is written inline, so the code reads as if written by hand. Nodes that do not vary
/// per element stay scalars and, in loop kernels, are hoisted before the loop.
/// </summary>
internal sealed class GraphRenderer
{
    public const string MathF = "global::System.MathF";
    public const string Math = "global::System.Math";
    public const string Vector = "global::System.Numerics.Vector";
    public const string Vector512 = "global::System.Runtime.Intrinsics.Vector512";
    public const string AD = "global::AutoDiff.AD";
    public const string Lanes = "global::AutoDiff.CompilerServices.Lanes";

    private readonly KernelModel _kernel;
    private readonly EquatableArray<Node> _graph;
    private readonly bool[] _varying;
    private readonly NameScope _scope;
    private readonly Dictionary<int, string> _names = new();
    private readonly Dictionary<int, string> _broadcasts = new();
    private readonly HashSet<int> _declared = new();
    private readonly HashSet<int> _readBack = new();
    private readonly Dictionary<Node, int> _ids = new();
    private Dictionary<int, int> _reachable = new();
    private bool _vector;
    private string _vectorClass = Vector;
    private Func<int, string> _leaf = _ => throw new InvalidOperationException("No leaf access set.");
    private readonly HashSet<int> _declaredDerivatives = new(); // the CallPartial and CallSecond nodes given a name by their call

    public GraphRenderer(KernelModel kernel, NameScope scope)
    {
        _kernel = kernel;
        _graph = kernel.Graph;
        _scope = scope;
        _varying = new bool[_graph.Count];
        var parameters = kernel.Method.Parameters;
        bool row = kernel.Method.IsRow;
        for (int i = 0; i < _graph.Count; i++)
        {
            var node = _graph[i];
            _ids[node] = i;
            _varying[i] = node.Op switch
            {
                Op.Parameter => !row && parameters[node.Index].Role != ParameterRole.Constant,
                Op.Seed => !row && node.Index == (int)SeedKind.Varying,
                Op.Tangent => !row,
                Op.Element => true,
                Op.Sum or Op.MaxOf or Op.At or Op.Length => false,
                _ => node.Args.Any(a => _varying[a]),
            };
        }
    }

    public string T => _kernel.Method.ElementType;

    /// <summary>The static class of the vectors the statements written next use: Vector, or Vector512 in a wide loop.</summary>
    public string VectorClass => _vectorClass;

    public string VectorT => $"{_vectorClass}<{T}>";

    public bool IsVarying(int id) => _varying[id];

    /// <summary>
    /// How varying leaves (parameters, the seed) are read in the statements written next, and whether those are
    /// vector statements, with <c>Vector512&lt;T&gt;</c> when <paramref name="wide"/>.
    /// </summary>
    public void Enter(bool vector, Func<int, string> leaf, bool wide = false)
    {
        _vector = vector;
        _vectorClass = wide ? Vector512 : Vector;
        _leaf = leaf;
        _declared.RemoveWhere(id => _varying[id]);
        _declaredDerivatives.RemoveWhere(id => _varying[id]);
    }

    /// <summary>
    /// Writes the locals that <paramref name="outputs"/> need: the uniform ones when
    /// <paramref name="uniform"/> (a preamble, hoisted out of any loop), else the varying ones.
    /// In a preamble, <paramref name="hoistAll"/> makes every uniform computation a local.
    /// </summary>
    public void WriteLocals(CodeWriter writer, IReadOnlyList<int> outputs, bool uniform, bool hoistAll = false)
    {
        var uses = CountUses(outputs, out var vectorUses);
        _reachable = uses;
        var partners = _vector && !uniform ? Log1PPartners(uses.Keys) : new Dictionary<int, int>();
        var firsts = new HashSet<int>(partners.Values);
        foreach (var id in uses.Keys.OrderBy(k => k))
        {
            var node = _graph[id];
            if (partners.TryGetValue(id, out var first))
            {
                // Two independent log1p in one call that computes both (AD.Log1P(a, b, out …)),
                // written where the second is due: everything both need is declared by then.
                writer.Line($"var {NameOf(first)} = {AD}.Log1P({Operand(_graph[first][0], true, 0)}, {Operand(node[0], true, 0)}, out var {NameOf(id)});");
                _declared.Add(first);
                _declared.Add(id);
                continue;
            }

            if (node.Op is Op.CallPartial or Op.CallSecond && _varying[id] != uniform && _declared.Contains(node[0]) && !_declaredDerivatives.Contains(id))
            {
                // The call was written for its value alone (in a pass before, or its value is read back): called
                // again, for the derivatives read now.
                foreach (var line in Declaration(node[0], _graph[node[0]]).Split('\n'))
                {
                    writer.Line(line);
                }

                continue;
            }

            if (_varying[id] == uniform || _declared.Contains(id) || firsts.Contains(id) || !Materialize(id, node, uses[id], hoistAll, operand: !outputs.Contains(id)))
            {
                continue;
            }

            foreach (var line in Declaration(id, node).Split('\n'))
            {
                writer.Line(line);
            }

            _declared.Add(id);
        }

        if (uniform && _vector)
        {
            foreach (var id in vectorUses.OrderBy(k => k))
            {
                if (!_broadcasts.ContainsKey(id) && !IsTrivialBroadcast(id))
                {
                    var node = _graph[id];
                    var stem = node.Op == Op.Parameter ? _kernel.Method.Parameters[node.Index].Name : _names.TryGetValue(id, out var n) ? n : "c";
                    var name = _scope.Fresh(stem + "Vector");
                    writer.Line($"var {name} = {NewBroadcast(id)};");
                    _broadcasts[id] = name;
                }
            }
        }
    }

    // Pairs of varying log1p nodes of a vector statement list, second → first, in node order: the second does not
    // depend on the first, and no node between them does (the pair is written where the second is due, so the
    // first has no name before that). A loop with two log1p per element (MSLE) gives the processor two
    // independent chains at once this way, behind one fast-path test (faster per element: docs/design.md).
    private Dictionary<int, int> Log1PPartners(IEnumerable<int> reachable)
    {
        var partners = new Dictionary<int, int>();
        var ordered = reachable.OrderBy(k => k).ToList();
        int pending = -1;
        foreach (var id in ordered)
        {
            if (_graph[id].Op != Op.Log1P || !_varying[id] || _declared.Contains(id))
            {
                continue;
            }

            // Neither the second nor a node between the two reads the first.
            if (pending >= 0 && ordered.All(c => c <= pending || c > id || !DependsOn(c, pending)))
            {
                partners[id] = pending;
                pending = -1;
            }
            else
            {
                pending = id;
            }
        }

        return partners;
    }

    // Whether node `id` reads node `on`, directly or through other nodes (arguments have smaller ids).
    private bool DependsOn(int id, int on)
    {
        var stack = new Stack<int>();
        var seen = new HashSet<int>();
        stack.Push(id);
        while (stack.Count > 0)
        {
            var node = _graph[stack.Pop()];
            for (int i = 0; i < node.Arity; i++)
            {
                int arg = node[i];
                if (arg == on)
                {
                    return true;
                }

                if (arg > on && seen.Add(arg))
                {
                    stack.Push(arg);
                }
            }
        }

        return false;
    }

    /// <summary>The varying leaves (parameters, the seed, span elements) that <paramref name="outputs"/> read, in node order.</summary>
    public IEnumerable<int> VaryingLeaves(IReadOnlyList<int> outputs) =>
        CountUses(outputs, out _).Keys.Where(id => _varying[id] && _graph[id].Op is Op.Parameter or Op.Seed or Op.Element).OrderBy(id => id);

    /// <summary>
    /// The C# type of a local the uniform statements declared (to hold it in a field instead): a broadcast is a
    /// vector, a condition a bool, anything else the method's type.
    /// </summary>
    public string TypeOfLocal(string name)
    {
        foreach (var broadcast in _broadcasts)
        {
            if (broadcast.Value == name)
            {
                return VectorT;
            }
        }

        foreach (var local in _names)
        {
            if (local.Value == name)
            {
                return OpFacts.IsBoolean(_graph[local.Key].Op) ? "bool" : T;
            }
        }

        return T;
    }

    /// <summary>Binds a node to a local the caller wrote (a reduction computed by a loop).</summary>
    public void Declare(int id, string name)
    {
        _names[id] = name;
        _declared.Add(id);
    }

    /// <summary>Binds an element-level node to a value the caller read back from memory, for the statements written next: what it is computed from is not needed.</summary>
    public void DeclareReadBack(int id, string name)
    {
        Declare(id, name);
        _readBack.Add(id);
    }

    /// <summary>A fresh local name for a node, from the name the source gave it or <paramref name="stem"/>.</summary>
    public string FreshName(int id, string stem)
    {
        var hint = _kernel.Method.Names.Count > id ? _kernel.Method.Names[id] : string.Empty;
        return _scope.Fresh(hint.Length > 0 ? hint : stem);
    }

    /// <summary>The expression for a node; in a vector statement, <paramref name="vectorSlot"/> asks for a Vector&lt;T&gt; value.</summary>
    public string Expr(int id, bool vectorSlot) => Operand(id, vectorSlot, 0);

    // An operand longer than this gets a local of its own, so that no generated line grows past 300 characters.
    private const int LongExpression = 80;

    private bool Materialize(int id, Node node, int uses, bool hoistAll, bool operand)
    {
        if (node.Op is Op.Parameter or Op.Constant or Op.BoolConstant or Op.Seed or Op.Tangent or Op.CallPartial or Op.CallSecond or Op.SoftplusSlope
            or Op.Element or Op.Length or Op.NoGradient)
        {
            return false;
        }

        // a[k] is read once, before any gradient is written (the d span may be the row itself). A softplus
        // whose slope is needed too is one call that returns both; one whose slope alone is needed (a backward
        // step) is not declared, and the slope is σ(x) alone.
        return node.Op is Op.Call or Op.At || uses > 1 || _kernel.Method.Names.Count > id && _kernel.Method.Names[id].Length > 0 ||
               (hoistAll && !_varying[id]) || (operand && Operand(id, _vector && _varying[id], 0).Length > LongExpression);
    }

    private Dictionary<int, int> CountUses(IReadOnlyList<int> outputs, out HashSet<int> vectorUses)
    {
        var uses = new Dictionary<int, int>();
        vectorUses = new HashSet<int>();
        var stack = new Stack<int>();
        foreach (var output in outputs)
        {
            if (_vector && !_varying[output])
            {
                vectorUses.Add(output);
            }

            if (Visit(output))
            {
                stack.Push(output);
            }
        }

        while (stack.Count > 0)
        {
            int id = stack.Pop();
            var node = _graph[id];

            // σ(x) of a softplus written without its softplus (Compose: AD.Sigmoid(x)) reads x itself: where the softplus
            // is a value read back from memory, x would otherwise not be loaded in this pass.
            var args = node.Op == Op.SoftplusSlope ? node.Args.Append(_graph[node[0]][0]).ToArray() : node.Args.ToArray();
            for (int i = 0; i < args.Length; i++)
            {
                int arg = args[i];
                if (_vector && _varying[id] && !_varying[arg] && (i >= node.Arity || !IsScalarSlot(node, i)))
                {
                    vectorUses.Add(arg);
                }

                // A declared node is a local (a computed reduction, a value read back from memory): what it
                // reads is not needed again.
                if (Visit(arg) && !(_declared.Contains(arg) && (OpFacts.IsReduction(_graph[arg].Op) || _readBack.Contains(arg))))
                {
                    stack.Push(arg);
                }
            }
        }

        return uses;

        bool Visit(int id)
        {
            uses.TryGetValue(id, out var count);
            uses[id] = count + 1;
            return count == 0;
        }
    }

    // In a vector statement, the arguments that stay scalars: a callee's [Constant] parameters, a
    // uniform condition (written as c ? a : b), and a uniform factor (Vector<T> * T).
    private bool IsScalarSlot(Node consumer, int argIndex) => consumer.Op switch
    {
        Op.Call => _kernel.Method.Callees[consumer.Index].Parameters[argIndex].Role == ParameterRole.Constant,
        Op.Select => argIndex == 0,
        Op.Multiply => true,
        _ => false,
    };

    private bool IsTrivialBroadcast(int id) => _graph[id].Op is Op.BoolConstant || IsConstant(id, 0) || IsConstant(id, 1);

    private bool IsConstant(int id, double value) => _graph[id].Op == Op.Constant && _graph[id].Value.Equals(value);

    private string NameOf(int id)
    {
        if (!_names.TryGetValue(id, out var name))
        {
            var hint = _kernel.Method.Names.Count > id ? _kernel.Method.Names[id] : string.Empty;
            name = _scope.Fresh(hint.Length > 0 ? hint : StemOf(id));
            _names[id] = name;
        }

        return name;
    }

    // A name for a value the source did not name, from what computes it: expNegR for e^(−r), absR, aAtMostDelta,
    // sum, product; a function of an unnamed value is the function's name alone (exp), so names stay short.
    private string StemOf(int id)
    {
        var node = _graph[id];
        string Camel(string text) => char.ToLowerInvariant(text[0]) + text.Substring(1);
        string Of(string stem, string argument) => argument.Length > 0 && stem.Length + argument.Length <= 16 ? stem + NameScope.Pascal(argument) : stem;

        // a·b as aB (halfDelta), a − b as aMinusB, …, where both have short names; else the operation's noun.
        string Between(string word, string noun)
        {
            string a = ShortName(node[0]), b = ShortName(node[1]);
            return a.Length > 0 && b.Length > 0 && a.Length + word.Length + b.Length <= 16 ? Camel(a) + word + NameScope.Pascal(b) : noun;
        }
        switch (node.Op)
        {
            case Op.Add: return Between("Plus", "sum");
            case Op.Subtract: return Between("Minus", "difference");
            case Op.Multiply when node[0] == node[1] && ShortName(node[0]) is { Length: > 0 and <= 9 } squared: return Camel(squared) + "Squared";
            case Op.Multiply: return Between(string.Empty, "product");
            case Op.Divide: return Between("Over", "quotient");
            case Op.Negate: return Of("neg", ShortName(node[0]));
            case Op.Select: return "choice";
            case Op.Call: return Camel(_kernel.Method.Callees[node.Index].Name.TrimStart('@'));
            case Op.LessThan or Op.LessThanOrEqual or Op.GreaterThan or Op.GreaterThanOrEqual:
                string a = ShortName(node[0]), b = ShortName(node[1]);
                string relation = node.Op switch { Op.LessThan => "Below", Op.LessThanOrEqual => "AtMost", Op.GreaterThan => "Above", _ => "AtLeast" };
                return a.Length > 0 && b.Length > 0 && a.Length + b.Length <= 12 ? Camel(NameScope.Pascal(a)) + relation + NameScope.Pascal(b) : "condition";
            case var op when OpFacts.IsBoolean(op): return "condition";
            case var op when node.Arity == 1: return Of(Camel(op.ToString()), ShortName(node[0]));
            default: return Camel(node.Op.ToString());
        }
    }

    // The name a value already has (a parameter, a local of the source, a name given above), or "" for a
    // constant or a value not named yet.
    private string ShortName(int id)
    {
        var node = _graph[id];
        if (node.Op == Op.Parameter)
        {
            return _kernel.Method.Parameters[node.Index].Name.TrimStart('@');
        }

        if (node.Op == Op.Constant)
        {
            return node.Value == 0.5 ? "half" : string.Empty;
        }

        // Not a value read from a callee's outputs (mixedGradient[0]).
        return _names.TryGetValue(id, out var name) && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name.TrimStart('@')) ? name.TrimStart('@') : string.Empty;
    }

    private string Declaration(int id, Node node)
    {
        if (node.Op == Op.Softplus && SlopeOf(id) is var slope && slope >= 0)
        {
            return $"var {NameOf(id)} = {AD}.SoftplusGradient({Operand(node[0], _vector && _varying[id], 0)}, out var {NameOf(slope)});";
        }

        if (node.Op != Op.Call)
        {
            return $"var {NameOf(id)} = {Render(id, node)};";
        }

        var callee = _kernel.Method.Callees[node.Index];
        var name = NameOf(id);
        var args = Arguments(id, node);
        var seconds = Reached(Op.CallSecond, id);
        string head = _declared.Contains(id) ? string.Empty : $"var {name} = "; // a call written again for its derivatives
        if (seconds.Count > 0 && _vector && _varying[id])
        {
            // On lanes: the callee's lanes Hessian, its value, partials and upper triangle returned as vectors.
            int count = callee.Parameters.Count(p => p.Role == ParameterRole.Differentiable);
            var laneOuts = new List<string>();
            for (int k = 0; k < count; k++)
            {
                laneOuts.Add(Out(Op.CallPartial, k));
            }

            for (int i = 0; i < count; i++)
            {
                for (int j = i; j < count; j++)
                {
                    laneOuts.Add(Out(Op.CallSecond, (count * i) + j));
                }
            }

            return $"{head}{callee.ContainingType}.{callee.Name}Hessian({args}, {string.Join(", ", laneOuts)});";

            string Out(Op op, int index) => NewDerivative(id, op, index) is { } read ? "out var " + read : "out _";
        }

        if (seconds.Count > 0)
        {
            // Second derivatives (the Hessian form): the callee's generated Hessian, into stack buffers.
            int count = callee.Parameters.Count(p => p.Role == ParameterRole.Differentiable);
            var gradient = _scope.Fresh(name + "Gradient");
            var hessian = _scope.Fresh(name + "Hessian");
            foreach (var partial in Reached(Op.CallPartial, id).Where(_declaredDerivatives.Add))
            {
                _names[partial] = $"{gradient}[{_graph[partial].Index.ToString(CultureInfo.InvariantCulture)}]";
            }

            foreach (var second in seconds.Where(_declaredDerivatives.Add))
            {
                _names[second] = $"{hessian}[{_graph[second].Index.ToString(CultureInfo.InvariantCulture)}]";
            }

            return $"global::System.Span<{T}> {gradient} = stackalloc {T}[{count}];\n" +
                   $"global::System.Span<{T}> {hessian} = stackalloc {T}[{count * count}];\n" +
                   $"{head}{callee.ContainingType}.{callee.Name}Hessian({args}, {gradient}, {hessian});";
        }

        var partials = PartialsOf(id);
        if (partials.Count == 0)
        {
            return $"var {name} = {callee.ContainingType}.{callee.Name}({args});";
        }

        // Lanes call the callee's lanes gradient, always NameGradient; a scalar call may name a custom derivative.
        // Where only the partials are read (a backward step of F(G(x)) reads G's partial, not G), the value is not
        // kept: the uses counted are of everything written until the next Enter, which forgets varying locals.
        var outs = string.Join(", ", partials.Select(p => "out var " + p));
        var call = $"{callee.ContainingType}.{(_vector && _varying[id] ? callee.Name + "Gradient" : callee.ScalarGradient)}({args}, {outs});";
        int partialReads = _reachable.Keys.Count(k => _graph[k].Op == Op.CallPartial && _graph[k][0] == id);
        return head.Length == 0 || (_varying[id] && _reachable[id] == partialReads) ? call : head + call;
    }

    // The nodes of kind op (CallPartial, CallSecond) of a call that the statements written next read.
    private List<int> Reached(Op op, int call) =>
        _reachable.Keys.Where(id => _graph[id].Op == op && _graph[id][0] == call).OrderBy(id => id).ToList();

    // The softplus′ node of a softplus node, when the statements written next need it; else −1.
    private int SlopeOf(int softplus) =>
        _graph[softplus].Op == Op.Softplus && _ids.TryGetValue(new Node(Op.SoftplusSlope, new EquatableArray<int>(new[] { softplus })), out var slope) &&
        _reachable.ContainsKey(slope) ? slope : -1;

    // The out variables of a call's generated gradient, one per differentiable parameter of the callee.
    private List<string> PartialsOf(int call)
    {
        var callee = _kernel.Method.Callees[_graph[call].Index];
        var result = new List<string>();
        int k = 0;
        foreach (var parameter in callee.Parameters)
        {
            if (parameter.Role != ParameterRole.Differentiable)
            {
                continue;
            }

            result.Add(NewDerivative(call, Op.CallPartial, k++) ?? "_");
        }

        // Only the value is needed: call the plain method.
        return result.All(r => r == "_") ? new List<string>() : result;
    }

    // The name of a call's derivative (a CallPartial or CallSecond node of `index`) where the statements written next
    // read it and no call has written it yet, now marked written; else null.
    private string? NewDerivative(int call, Op op, int index) =>
        _ids.TryGetValue(new Node(op, new EquatableArray<int>(new[] { call }), Index: index), out var id) && _reachable.ContainsKey(id) && _declaredDerivatives.Add(id)
            ? NameOf(id)
            : null;

    private string Arguments(int id, Node call)
    {
        var callee = _kernel.Method.Callees[call.Index];
        var parts = new string[call.Arity];
        for (int i = 0; i < call.Arity; i++)
        {
            bool vectorSlot = _vector && _varying[id] && callee.Parameters[i].Role != ParameterRole.Constant;
            parts[i] = Expr(call[i], vectorSlot);
        }

        return string.Join(", ", parts);
    }

    // ---- Expressions ---------------------------------------------------------------------------

    private const int Conditional = 0, OrElse = 1, AndAlso = 2, BitOr = 3, BitAnd = 4, Equality = 5, Relational = 6,
        Additive = 7, Multiplicative = 8, Unary = 9, Primary = 10;

    private string Operand(int id, bool vectorSlot, int minPrecedence)
    {
        var (text, precedence) = Term(id, vectorSlot);
        return precedence < minPrecedence ? "(" + text + ")" : text;
    }

    private (string Text, int Precedence) Term(int id, bool vectorSlot)
    {
        var node = _graph[id];
        if (vectorSlot && !_varying[id])
        {
            return (Broadcast(id), Primary);
        }

        if (_declared.Contains(id) || _declaredDerivatives.Contains(id) ||
            (node.Op == Op.SoftplusSlope && _declared.Contains(node[0]) && _names.ContainsKey(id)))
        {
            return (NameOf(id), Primary);
        }

        switch (node.Op)
        {
            case Op.Parameter:
            case Op.Seed:
            case Op.Tangent:
            case Op.Element:
                // A parameter of the other floating type (and its tangent) is read through a cast: a unary expression.
                return (node.Op == Op.Parameter && !_varying[id] ? _kernel.Method.Parameters[node.Index].Read(T) : _leaf(id),
                    node.Op is Op.Parameter or Op.Tangent && _kernel.Method.Parameters[node.Index].Converted ? Unary : Primary);
            case Op.Length:
                return (_leaf(id), Primary);
            case Op.NoGradient:
                return Term(node[0], vectorSlot);
            case Op.Constant:
                var literal = Literal(node.Value);
                return (literal, literal.StartsWith("-", StringComparison.Ordinal) ? Unary : Primary);
            case Op.BoolConstant:
                return (node.Value != 0 ? "true" : "false", Primary);
        }

        return Compose(id, node);
    }

    private string Render(int id, Node node)
    {
        var (text, _) = Compose(id, node);
        return text;
    }

    private (string Text, int Precedence) Compose(int id, Node node)
    {
        bool vector = _vector && _varying[id];
        string Arg(int i, int precedence = 0) => Operand(node[i], vector, precedence);
        string Args() => string.Join(", ", node.Args.Select(a => Operand(a, vector, 0)));
        switch (node.Op)
        {
            case Op.Add: return ($"{Arg(0, Additive)} + {Arg(1, Additive + 1)}", Additive);
            case Op.Subtract: return ($"{Arg(0, Additive)} - {Arg(1, Additive + 1)}", Additive);
            case Op.Multiply when vector && !_varying[node[0]]:
                return ($"{Operand(node[1], true, Multiplicative)} * {Operand(node[0], false, Multiplicative + 1)}", Multiplicative);
            case Op.Multiply when vector && !_varying[node[1]]:
                return ($"{Operand(node[0], true, Multiplicative)} * {Operand(node[1], false, Multiplicative + 1)}", Multiplicative);
            case Op.Multiply: return ($"{Arg(0, Multiplicative)} * {Arg(1, Multiplicative + 1)}", Multiplicative);
            case Op.Divide: return ($"{Arg(0, Multiplicative)} / {Arg(1, Multiplicative + 1)}", Multiplicative);
            case Op.Negate: return ("-" + Arg(0, Unary), Unary);
            case Op.Remainder when !vector: return ($"{Arg(0, Multiplicative)} % {Arg(1, Multiplicative + 1)}", Multiplicative);
            case Op.SoftplusSlope: return ($"{AD}.Sigmoid({Operand(_graph[node[0]][0], vector, 0)})", Primary);   // its softplus was not declared with it
            case var op when Functions.Of(op) is { } function: return (Call(function), Primary);
            case Op.LessThan: return Comparison("<", "LessThan", Relational);
            case Op.LessThanOrEqual: return Comparison("<=", "LessThanOrEqual", Relational);
            case Op.GreaterThan: return Comparison(">", "GreaterThan", Relational);
            case Op.GreaterThanOrEqual: return Comparison(">=", "GreaterThanOrEqual", Relational);
            case Op.Equal: return Comparison("==", "Equals", Equality);
            case Op.NotEqual:
                return vector
                    ? ($"~{_vectorClass}.Equals<{T}>({Arg(0)}, {Arg(1)})", Unary)
                    : ($"{Arg(0, Equality)} != {Arg(1, Equality + 1)}", Equality);
            case Op.And:
                return vector ? ($"{Arg(0, BitAnd)} & {Arg(1, BitAnd + 1)}", BitAnd) : ($"{Arg(0, AndAlso)} && {Arg(1, AndAlso + 1)}", AndAlso);
            case Op.Or:
                return vector ? ($"{Arg(0, BitOr)} | {Arg(1, BitOr + 1)}", BitOr) : ($"{Arg(0, OrElse)} || {Arg(1, OrElse + 1)}", OrElse);
            case Op.Not: return ((vector ? "~" : "!") + Arg(0, Unary), Unary);
            case Op.Select when vector && _varying[node[0]]:
                return ($"{_vectorClass}.ConditionalSelect({Arg(0)}, {Arg(1)}, {Arg(2)})", Primary);
            case Op.Select:
                return ($"{Operand(node[0], false, OrElse)} ? {Arg(1, OrElse)} : {Arg(2, Conditional)}", Conditional);
            case Op.Call:
                var callee = _kernel.Method.Callees[node.Index];
                return ($"{callee.ContainingType}.{callee.Name}({Arguments(id, node)})", Primary);
            case Op.At:
                var index = _graph[node[0]];
                var k = index.Op == Op.Constant ? ((int)index.Value).ToString(CultureInfo.InvariantCulture) : _kernel.Method.Parameters[index.Index].Name;
                return ($"{_kernel.Method.Parameters[node.Index].Name}[{k}]", Primary);
            default:
                throw new InvalidOperationException($"Cannot emit {node.Op} at node {id}.");
        }

        // A function of the table: MathF.Exp(x), float.Exp2(x), AD.Sigmoid(x); on lanes AD.Exp(v), Vector.Abs(v).
        string Call(Function function)
        {
            if (!vector)
            {
                string owner = function.Scalar switch
                {
                    ScalarSpelling.Math => MathClass,
                    ScalarSpelling.Typed => _kernel.Method.IsDouble ? "double" : "float",
                    _ => AD,
                };
                return $"{owner}.{function.Name}({Args()})";
            }

            string name = function.LanesName ?? function.Name;
            return function.Lanes == LanesSpelling.Helper
                ? $"{AD}.{name}({Args()})"
                : $"{_vectorClass}.{(_vectorClass == Vector ? function.VectorName ?? name : name)}({Args()})";
        }

        (string, int) Comparison(string symbol, string vectorName, int precedence) => vector
            ? ($"{_vectorClass}.{vectorName}<{T}>({Arg(0)}, {Arg(1)})", Primary)
            : ($"{Arg(0, precedence)} {symbol} {Arg(1, precedence + 1)}", precedence);
    }

    private string MathClass => _kernel.Method.IsDouble ? Math : MathF;

    private string Broadcast(int id)
    {
        var node = _graph[id];
        if (node.Op == Op.BoolConstant)
        {
            return node.Value != 0 ? $"{VectorT}.AllBitsSet" : $"{VectorT}.Zero";
        }

        if (IsConstant(id, 0))
        {
            return $"{VectorT}.Zero";
        }

        if (IsConstant(id, 1))
        {
            return $"{VectorT}.One";
        }

        if (_broadcasts.TryGetValue(id, out var name))
        {
            return name;
        }

        return OpFacts.IsBoolean(node.Op) ? $"({NewBroadcast(id)})" : NewBroadcast(id);
    }

    // A uniform value in every lane; a condition becomes an all-bits mask.
    private string NewBroadcast(int id)
    {
        var scalar = Expr(id, vectorSlot: false);
        return OpFacts.IsBoolean(_graph[id].Op)
            ? $"{Operand(id, false, OrElse)} ? {VectorT}.AllBitsSet : {VectorT}.Zero"
            : _vectorClass == Vector ? $"new {VectorT}({scalar})" : $"{_vectorClass}.Create({scalar})";
    }

    /// <summary>A literal of the method's type: 0.5f, 2f, 1E-08f; 0.5, 2.0 for double.</summary>
    public string Literal(double value) => Literal(value, _kernel.Method.IsDouble);

    /// <summary>A literal of float or double: 0.5f, 2f, 1E-08f; 0.5, 2.0; float.NaN, double.PositiveInfinity ….</summary>
    public static string Literal(double value, bool isDouble)
    {
        if (isDouble)
        {
            if (double.IsNaN(value))
            {
                return "double.NaN";
            }

            if (double.IsInfinity(value))
            {
                return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
            }

            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
        }

        float single = (float)value;
        if (float.IsNaN(single))
        {
            return "float.NaN";
        }

        if (float.IsInfinity(single))
        {
            return single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        return single.ToString("R", CultureInfo.InvariantCulture) + "f";
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoDiff.Generator.Model;

/// <summary>
/// Builds an expression DAG by hash-consing: asking twice for the same operation on the same nodes
/// returns the same node, which is common-subexpression elimination. Every constructor also applies
/// the algebraic simplifications that make emitted code read as if written by hand (x·1 = x, x + 0 = x,
/// constant folding, selects pushed outward so a discarded branch cannot leak NaN into a gradient).
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly List<string> _names = new();
    private readonly List<bool> _active = new();
    private readonly List<bool> _varying = new();
    private readonly Dictionary<Node, int> _index = new();
    private readonly IReadOnlyList<ParameterModel> _parameters;
    private readonly IReadOnlyList<CalleeModel> _callees;
    private readonly bool _row;

    public GraphBuilder(IReadOnlyList<ParameterModel> parameters, IReadOnlyList<CalleeModel> callees)
    {
        _parameters = parameters;
        _callees = callees;
        _row = parameters.Any(p => p.Shape != ParameterShape.Scalar);
    }

    /// <summary>Re-opens a finished graph to extend it (the reverse pass adds its nodes after the forward ones).</summary>
    public GraphBuilder(MethodModel method)
        : this(method.Parameters.ToArray(), method.Callees.ToArray())
    {
        for (int i = 0; i < method.Graph.Count; i++)
        {
            Append(method.Graph[i]);
            _names[i] = method.Names[i];
        }
    }

    /// <summary>Appends a node of another graph with the same ids below it (a graph re-read with more parameters), and its name.</summary>
    public int Replay(Node node, string name)
    {
        int id = Append(node);
        _names[id] = name;
        return id;
    }

    public int Count => _nodes.Count;

    public Node this[int id] => _nodes[id];

    public IReadOnlyList<CalleeModel> Callees => _callees;

    /// <summary>True when the node depends on a differentiable parameter, so a gradient flows through it.</summary>
    public bool IsActive(int id) => _active[id];

    /// <summary>
    /// True when the node differs from element to element: in an elementwise method, it depends on a
    /// non-[Constant] parameter; in a row method, it depends on an element of a span outside any reduction.
    /// </summary>
    public bool IsVarying(int id) => _varying[id];

    public bool IsBoolean(int id) => OpFacts.IsBoolean(_nodes[id].Op);

    /// <summary>
    /// The operations a loop runs per element to compute <paramref name="roots"/>: the distinct varying nodes
    /// they reach, leaves (loads, the seed) aside. Shared nodes count once, as the emitted code computes them once.
    /// </summary>
    public int PerElementCost(IEnumerable<int> roots)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(roots);
        int cost = 0;
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!_varying[id] || !seen.Add(id))
            {
                continue;
            }

            var node = _nodes[id];
            if (node.Arity > 0)
            {
                cost++;
            }

            for (int i = 0; i < node.Arity; i++)
            {
                stack.Push(node[i]);
            }
        }

        return cost;
    }

    public bool IsConstant(int id, double value) => _nodes[id].Op == Op.Constant && _nodes[id].Value.Equals(value);

    public bool TryGetConstant(int id, out double value)
    {
        value = _nodes[id].Value;
        return _nodes[id].Op == Op.Constant;
    }

    public void Name(int id, string name)
    {
        var node = _nodes[id];
        if (_names[id].Length == 0 && node.Op is not (Op.Parameter or Op.Constant or Op.BoolConstant))
        {
            _names[id] = name;
        }
    }

    public EquatableArray<Node> ToGraph() => _nodes.ToEquatableArray();

    public EquatableArray<string> ToNames() => _names.ToEquatableArray();

    // ---- Leaves ----------------------------------------------------------------------------

    public int Parameter(int index) => Append(new Node(Op.Parameter, EquatableArray<int>.Empty, Index: index));

    public int Constant(double value) => Append(new Node(Op.Constant, EquatableArray<int>.Empty, value));

    public int Bool(bool value) => Append(new Node(Op.BoolConstant, EquatableArray<int>.Empty, value ? 1 : 0));

    public int Seed(SeedKind kind) => Append(new Node(Op.Seed, EquatableArray<int>.Empty, Index: (int)kind));

    // ---- Rows ----------------------------------------------------------------------------------

    /// <summary>Element j of span parameter <paramref name="parameter"/>, inside a reduction.</summary>
    public int Element(int parameter) => Append(new Node(Op.Element, EquatableArray<int>.Empty, Index: parameter));

    /// <summary>The length of the row (every span of a row method has it).</summary>
    public int Length() => Append(new Node(Op.Length, EquatableArray<int>.Empty));

    /// <summary>The sum over the row of an element-level body; a row-level body sums to length × body.</summary>
    public int Sum(int body)
    {
        if (IsConstant(body, 0))
        {
            return body;
        }

        return _varying[body] ? Append(new Node(Op.Sum, new EquatableArray<int>(new[] { body }))) : Multiply(Length(), body);
    }

    /// <summary>The maximum over the row of an element-level body.</summary>
    public int MaxOf(int body) => _varying[body] ? Append(new Node(Op.MaxOf, new EquatableArray<int>(new[] { body }))) : body;

    /// <summary><c>a[index]</c> for span parameter <paramref name="parameter"/>.</summary>
    public int At(int parameter, int index) => Append(new Node(Op.At, new EquatableArray<int>(new[] { index }), Index: parameter));

    /// <summary>The value of <paramref name="x"/>, through which no gradient flows.</summary>
    public int NoGradient(int x) => _active[x] ? Append(new Node(Op.NoGradient, new EquatableArray<int>(new[] { x }))) : x;

    // ---- Arithmetic ------------------------------------------------------------------------

    public int Add(int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y))
        {
            return Constant(x + y);
        }

        if (IsConstant(a, 0))
        {
            return b;
        }

        if (IsConstant(b, 0))
        {
            return a;
        }

        if (a == b)
        {
            return Multiply(Constant(2), a);
        }

        if (_nodes[b].Op == Op.Negate)
        {
            return Subtract(a, _nodes[b][0]);
        }

        if (_nodes[a].Op == Op.Negate)
        {
            return Subtract(b, _nodes[a][0]);
        }

        if (TryMergeSelects(a, b, out var merged))
        {
            return merged;
        }

        return Binary(Op.Add, a, b);
    }

    public int Subtract(int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y))
        {
            return Constant(x - y);
        }

        if (IsConstant(b, 0))
        {
            return a;
        }

        if (IsConstant(a, 0))
        {
            return Negate(b);
        }

        if (a == b)
        {
            return Constant(0);
        }

        if (_nodes[b].Op == Op.Negate)
        {
            return Add(a, _nodes[b][0]);
        }

        return Binary(Op.Subtract, a, b);
    }

    public int Multiply(int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y))
        {
            return Constant(x * y);
        }

        // Constants go first, so that c·x and x·c are one node and c₁·(c₂·x) folds.
        if (_nodes[b].Op == Op.Constant)
        {
            (a, b) = (b, a);
        }

        if (TryGetConstant(a, out var c))
        {
            if (c == 0)
            {
                return a;
            }

            if (c == 1)
            {
                return b;
            }

            if (c == -1)
            {
                return Negate(b);
            }

            if (_nodes[b].Op == Op.Multiply && TryGetConstant(_nodes[b][0], out var inner))
            {
                return Multiply(Constant(c * inner), _nodes[b][1]);
            }

            // c·(u·x) → (c·u)·x when u is the same for every element and x is not, for c a power of two (exact
            // either way): c·u is hoisted out of the loop, one multiplication per element fewer (MSE's (2/N)·r).
            if (IsPowerOfTwo(c) && _nodes[b].Op == Op.Multiply && TrySplitUniform(b, out var uniform, out var perElement)
                && _nodes[perElement].Op != Op.Select)
            {
                // c·u simplifies (2·(½·s) = s); the outer product must not, or it would take c back out.
                return Binary(Op.Multiply, Multiply(a, uniform), perElement);
            }
        }
        else if (_nodes[b].Op == Op.Multiply && TryGetConstant(_nodes[b][0], out var right))
        {
            // x·(c·y) → c·(x·y): constants gather in front, so equal products meet as one node.
            return Multiply(Constant(right), Multiply(a, _nodes[b][1]));
        }
        else if (_nodes[a].Op == Op.Multiply && TryGetConstant(_nodes[a][0], out var left))
        {
            return Multiply(Constant(left), Multiply(_nodes[a][1], b));
        }

        if (_nodes[a].Op == Op.Negate)
        {
            return Negate(Multiply(_nodes[a][0], b));
        }

        if (_nodes[b].Op == Op.Negate)
        {
            return Negate(Multiply(a, _nodes[b][0]));
        }

        // x·(1/y) → x/y
        if (_nodes[b].Op == Op.Divide && IsConstant(_nodes[b][0], 1))
        {
            return Divide(a, _nodes[b][1]);
        }

        if (_nodes[a].Op == Op.Divide && IsConstant(_nodes[a][0], 1))
        {
            return Divide(b, _nodes[a][1]);
        }

        if (TryPushSelectOut(Op.Multiply, a, b, out var pushed))
        {
            return pushed;
        }

        return Binary(Op.Multiply, a, b);
    }

    public int Divide(int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y))
        {
            return Constant(x / y);
        }

        if (IsConstant(b, 1))
        {
            return a;
        }

        if (IsConstant(a, 0))
        {
            return a;
        }

        // Dividing by a power of two is an exact multiplication.
        if (TryGetConstant(b, out var divisor) && IsPowerOfTwo(divisor))
        {
            return Multiply(Constant(1 / divisor), a);
        }

        if (_nodes[a].Op == Op.Negate)
        {
            return Negate(Divide(_nodes[a][0], b));
        }

        if (_nodes[a].Op == Op.Multiply && TryGetConstant(_nodes[a][0], out var factor))
        {
            return Multiply(Constant(factor), Divide(_nodes[a][1], b));
        }

        if (_nodes[a].Op == Op.Select && TryPushSelectOut(Op.Divide, a, b, out var pushed))
        {
            return pushed;
        }

        return Append(new Node(Op.Divide, new EquatableArray<int>(new[] { a, b })));
    }

    public int Negate(int a)
    {
        var node = _nodes[a];
        switch (node.Op)
        {
            case Op.Constant:
                return Constant(-node.Value);
            case Op.Negate:
                return node[0];
            case Op.Subtract:
                return Subtract(node[1], node[0]);
            case Op.Select when IsZeroBranch(node, out var cond, out var value, out var valueFirst):
                var negated = Negate(value);
                return valueFirst ? Select(cond, negated, node[2]) : Select(cond, node[1], negated);
            default:
                return Append(new Node(Op.Negate, new EquatableArray<int>(new[] { a })));
        }
    }

    // ---- Functions ---------------------------------------------------------------------------

    public int Function(Op op, params int[] args)
    {
        switch (op)
        {
            case Op.Pow:
                return Pow(args[0], args[1]);
            case Op.Abs when _nodes[args[0]].Op == Op.Abs:
                return args[0];
            case Op.Exp when IsConstant(args[0], 0):
                return Constant(1);
            case Op.Log when IsConstant(args[0], 1):
                return Constant(0);
        }

        return Append(new Node(op, args.ToEquatableArray()));
    }

    private int Pow(int a, int b)
    {
        if (TryGetConstant(b, out var p))
        {
            switch (p)
            {
                case 0:
                    return Constant(1);
                case 1:
                    return a;
                case 2:
                    return Multiply(a, a);
                case 3:
                    return Multiply(Multiply(a, a), a);
                case -1:
                    return Divide(Constant(1), a);
            }
        }

        return Append(new Node(Op.Pow, new EquatableArray<int>(new[] { a, b })));
    }

    public int Call(int callee, int[] args) => Append(new Node(Op.Call, args.ToEquatableArray(), Index: callee));

    public int CallPartial(int call, int differentiableIndex) =>
        Append(new Node(Op.CallPartial, new EquatableArray<int>(new[] { call }), Index: differentiableIndex));

    /// <summary>
    /// ∂²callee/∂xₖ∂xₘ of a call (k, m count the callee's differentiable parameters), from its generated Hessian; the
    /// two orders are one node.
    /// </summary>
    public int CallSecond(int call, int k, int m, int differentiableCount) =>
        Append(new Node(Op.CallSecond, new EquatableArray<int>(new[] { call }), Index: (differentiableCount * Math.Min(k, m)) + Math.Max(k, m)));

    /// <summary>The tangent (direction) of differentiable parameter <paramref name="parameter"/>, a leaf of a forward-mode form.</summary>
    public int Tangent(int parameter) => Append(new Node(Op.Tangent, EquatableArray<int>.Empty, Index: parameter));

    /// <summary>softplus′(x) = σ(x) as a partial of the softplus node itself, so both come from one e^−|x|.</summary>
    public int SoftplusSlope(int softplus) => Append(new Node(Op.SoftplusSlope, new EquatableArray<int>(new[] { softplus })));

    // ---- Booleans and selects --------------------------------------------------------------

    public int Compare(Op op, int a, int b)
    {
        if (TryGetConstant(a, out var x) && TryGetConstant(b, out var y))
        {
            return Bool(op switch
            {
                Op.LessThan => x < y,
                Op.LessThanOrEqual => x <= y,
                Op.GreaterThan => x > y,
                Op.GreaterThanOrEqual => x >= y,
                Op.Equal => x == y,
                _ => x != y,
            });
        }

        return Binary(op, a, b);
    }

    public int And(int a, int b) =>
        TryGetBool(a, out var x) ? (x ? b : a) :
        TryGetBool(b, out var y) ? (y ? a : b) :
        a == b ? a : Binary(Op.And, a, b);

    public int Or(int a, int b) =>
        TryGetBool(a, out var x) ? (x ? a : b) :
        TryGetBool(b, out var y) ? (y ? b : a) :
        a == b ? a : Binary(Op.Or, a, b);

    public int Not(int a)
    {
        if (TryGetBool(a, out var x))
        {
            return Bool(!x);
        }

        return _nodes[a].Op == Op.Not ? _nodes[a][0] : Append(new Node(Op.Not, new EquatableArray<int>(new[] { a })));
    }

    public int Select(int condition, int whenTrue, int whenFalse)
    {
        if (TryGetBool(condition, out var c))
        {
            return c ? whenTrue : whenFalse;
        }

        if (whenTrue == whenFalse)
        {
            return whenTrue;
        }

        if (_nodes[condition].Op == Op.Not)
        {
            return Select(_nodes[condition][0], whenFalse, whenTrue);
        }

        // A branch that chooses on the same condition again takes the same side.
        if (_nodes[whenTrue].Op == Op.Select && _nodes[whenTrue][0] == condition)
        {
            return Select(condition, _nodes[whenTrue][1], whenFalse);
        }

        if (_nodes[whenFalse].Op == Op.Select && _nodes[whenFalse][0] == condition)
        {
            return Select(condition, whenTrue, _nodes[whenFalse][2]);
        }

        // select(c, select(d, a, b), select(d, e, f)) → select(d, select(c, a, e), select(c, b, f)): the
        // adjoints of nested branches line up on one condition, where they merge.
        if (_nodes[whenTrue].Op == Op.Select && _nodes[whenFalse].Op == Op.Select && _nodes[whenTrue][0] == _nodes[whenFalse][0]
            && _nodes[whenTrue][0] < condition)
        {
            var inTrue = _nodes[whenTrue];
            var inFalse = _nodes[whenFalse];
            return Select(inTrue[0], Select(condition, inTrue[1], inFalse[1]), Select(condition, inTrue[2], inFalse[2]));
        }

        // A choice between conditions is a condition.
        if (TryGetBool(whenTrue, out var t))
        {
            return t ? Or(condition, whenFalse) : And(Not(condition), whenFalse);
        }

        if (TryGetBool(whenFalse, out var f))
        {
            return f ? Or(Not(condition), whenTrue) : And(condition, whenTrue);
        }

        return Append(new Node(Op.Select, new EquatableArray<int>(new[] { condition, whenTrue, whenFalse })));
    }

    private bool TryGetBool(int id, out bool value)
    {
        value = _nodes[id].Value != 0;
        return _nodes[id].Op == Op.BoolConstant;
    }

    // select(c, a, 0) ⊙ b → select(c, a ⊙ b, 0): the discarded branch is never multiplied, so an
    // infinite local derivative there (√x at 0, 1/x at 0) cannot turn the gradient into NaN.
    private bool TryPushSelectOut(Op op, int a, int b, out int result)
    {
        result = -1;
        if (op == Op.Multiply && _nodes[b].Op == Op.Select && _nodes[a].Op != Op.Select)
        {
            (a, b) = (b, a);
        }

        if (!IsZeroBranch(_nodes[a], out var cond, out var value, out var valueFirst))
        {
            return false;
        }

        int combined = op == Op.Multiply ? Multiply(value, b) : Divide(value, b);
        var zero = Constant(0);
        result = valueFirst ? Select(cond, combined, zero) : Select(cond, zero, combined);
        return true;
    }

    // select(c, a, b) + select(c, d, e) → select(c, a + d, b + e): gradients of one branch structure stay one select.
    private bool TryMergeSelects(int a, int b, out int result)
    {
        result = -1;
        var x = _nodes[a];
        var y = _nodes[b];
        if (x.Op != Op.Select || y.Op != Op.Select || x[0] != y[0])
        {
            return false;
        }

        result = Select(x[0], Add(x[1], y[1]), Add(x[2], y[2]));
        return true;
    }

    private bool IsZeroBranch(Node node, out int condition, out int value, out bool valueFirst)
    {
        condition = value = -1;
        valueFirst = false;
        if (node.Op != Op.Select)
        {
            return false;
        }

        condition = node[0];
        if (IsConstant(node[2], 0))
        {
            value = node[1];
            valueFirst = true;
            return true;
        }

        if (IsConstant(node[1], 0))
        {
            value = node[2];
            return true;
        }

        return false;
    }

    // The factors of a product of one uniform node (the same for every element) and one varying node.
    private bool TrySplitUniform(int product, out int uniform, out int perElement)
    {
        var (x, y) = (_nodes[product][0], _nodes[product][1]);
        (uniform, perElement) = _varying[x] ? (y, x) : (x, y);
        return _varying[perElement] && !_varying[uniform];
    }

    private static bool IsPowerOfTwo(double value)
    {
        if (value == 0 || double.IsNaN(value) || double.IsInfinity(value))
        {
            return false;
        }

        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        return (bits & 0x000F_FFFF_FFFF_FFFFL) == 0 && ((bits >> 52) & 0x7FF) is > 0 and < 0x7FE;
    }

    private int Binary(Op op, int a, int b)
    {
        // Commutative operands in a canonical order (constants first in sums and products, then by node) so x·y and y·x are one node.
        if (op is Op.Add or Op.Multiply && (_nodes[b].Op == Op.Constant || (_nodes[a].Op != Op.Constant && a > b)))
        {
            (a, b) = (b, a);
        }
        else if (OpFacts.IsCommutative(op) && op is not (Op.Add or Op.Multiply) && (_nodes[a].Op is Op.Constant or Op.BoolConstant || (_nodes[b].Op is not (Op.Constant or Op.BoolConstant) && a > b)))
        {
            (a, b) = (b, a); // comparisons read x != 0, constants second
        }

        return Append(new Node(op, new EquatableArray<int>(new[] { a, b })));
    }

    private int Append(Node node)
    {
        if (_index.TryGetValue(node, out var existing))
        {
            return existing;
        }

        int id = _nodes.Count;
        _nodes.Add(node);
        _names.Add(string.Empty);
        _index.Add(node, id);
        switch (node.Op)
        {
            case Op.Parameter:
                var parameter = _parameters[node.Index];
                _active.Add(parameter.Role == ParameterRole.Differentiable && parameter.Shape == ParameterShape.Scalar);
                _varying.Add(!_row && parameter.Role != ParameterRole.Constant);
                break;
            case Op.Element:
                _active.Add(_parameters[node.Index].Role == ParameterRole.Differentiable);
                _varying.Add(true);
                break;
            case Op.At:
                _active.Add(_parameters[node.Index].Role == ParameterRole.Differentiable);
                _varying.Add(false);
                break;
            case Op.Length:
            case Op.NoGradient:
                _active.Add(false);
                _varying.Add(node.Op == Op.NoGradient && _varying[node[0]]);
                break;
            case Op.Sum:
            case Op.MaxOf:
                _active.Add(_active[node[0]]);
                _varying.Add(false);
                break;
            case Op.Seed:
            case Op.Tangent:
                _active.Add(false);
                _varying.Add(!_row && (node.Op == Op.Tangent || node.Index == (int)SeedKind.Varying));
                break;
            default:
                bool active = false, varying = false;
                foreach (var arg in node.Args)
                {
                    active |= _active[arg];
                    varying |= _varying[arg];
                }

                _active.Add(active && !OpFacts.IsBoolean(node.Op));
                _varying.Add(varying);
                break;
        }

        return id;
    }
}

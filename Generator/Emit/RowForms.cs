using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Emit;

/// <summary>
/// The generated API of a method over spans (a row function such as a cross-entropy): a per-row
/// gradient, and batched kernels over a row-major matrix — per-row values, backward, and the fused
/// sum and mean over rows. Every form runs one private row kernel: each group of reductions that
/// depend only on what is already computed is one Vector&lt;T&gt; pass over the row (a log-sum-exp is a
/// max pass, then a sum pass), and a last pass writes the gradient. The loops over a batch's rows are the
/// runtime's (AutoDiff.CompilerServices.Rows&lt;T&gt;), over a row-kernel struct written here per method.
/// </summary>
internal sealed class RowForms
{
    private const string Vector = GraphRenderer.Vector;
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Guard = "global::AutoDiff.CompilerServices.KernelGuard";
    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"AutoDiff.Generator\", \"1.0.0\")]";
    private const string Optimized = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    private const string NotInlined = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]";

    private readonly KernelModel _kernel;
    private readonly MethodModel _method;
    private readonly CodeWriter _w;
    private readonly string _t;
    private readonly string _vt;
    private readonly string _cref;
    private readonly ParameterModel[] _differentiable;
    private readonly string[] _dNames;

    // The spans read at fixed indices only (a[0], a[k]), never element by element, in a method that does not read the
    // row's length: each may have a length of its own in the one-row forms (parameters beside data, clad's
    // f(params, constants)), checked against it, and its gradient is cleared and then given its a[k] shares, where a
    // row's is written element by element. The batch forms take every span as a row of one matrix width.
    private readonly HashSet<string> _own;

    // The gradient outputs written element by element (of the spans read so), by index into _dNames.
    private readonly int[] _rowOutputs;

    // Names of the generated code's own parameters and locals, clear of the method's parameter names.
    private readonly string _rows, _columns, _scale, _destination, _upstream;
    private bool _taped; // the batch forms of a taped method (EmitTapedBatch)

    /// <param name="kernel">The method and its reverse pass.</param>
    /// <param name="writer">Where the code goes.</param>
    /// <param name="gradientPrefix">The prefix of the gradient outputs' names: d (dX), hv (hvX) for a Hessian-vector product.</param>
    public RowForms(KernelModel kernel, CodeWriter writer, string gradientPrefix = "d")
    {
        _kernel = kernel;
        _method = kernel.Method;
        _w = writer;
        _t = _method.ElementType;
        _vt = $"{Vector}<{_t}>";
        _cref = $"{_method.Name}({string.Join(", ", _method.Parameters.Select(SourceType))})";
        _differentiable = _method.Parameters.Where(p => p.Role == ParameterRole.Differentiable).ToArray();
        var scope = new NameScope(_method.Parameters.Select(p => p.Name));
        _dNames = _differentiable.Select(p => scope.Fresh(gradientPrefix + NameScope.Pascal(p.Name))).ToArray();
        var elementwise = new HashSet<int>(_method.Graph.Where(node => node.Op == Op.Element).Select(node => node.Index));
        _own = new HashSet<string>(_method.Graph.Any(node => node.Op == Op.Length)
            ? Enumerable.Empty<string>()
            : _method.Parameters.Where((p, i) => p.Shape == ParameterShape.Span && !elementwise.Contains(i)).Select(p => p.Name));
        _rowOutputs = Enumerable.Range(0, _dNames.Length).Where(k => !_own.Contains(_differentiable[k].Name)).ToArray();
        _rows = scope.Fresh("rows");
        _columns = scope.Fresh("columns");
        _scale = scope.Fresh("scale");
        _destination = scope.Fresh("destination");
        _upstream = scope.Fresh("upstream");
    }

    private IEnumerable<ParameterModel> Spans => _method.Parameters.Where(p => p.Shape == ParameterShape.Span);

    private string FirstSpan => Spans.First().Name;

    // The first span read element by element, whose length is the row's (n) in the one-row forms; the first span if none is.
    private string FirstRowSpan => Spans.FirstOrDefault(p => !_own.Contains(p.Name))?.Name ?? FirstSpan;


    // The one-row forms' length checks: the row's spans against the first, each of the others' and each output against its span.
    // `spans`: the form's span parameters (a Jvp's are the method's, not its directional derivative's).
    private void WriteLengthChecks(string n, IReadOnlyCollection<string> spans, IEnumerable<(string Span, string Of)> outputs)
    {
        string first = FirstRowSpan;
        _w.Line($"int {n} = {first}.Length;");
        foreach (var span in spans.Where(s => s != first && !_own.Contains(s)))
        {
            _w.Line($"{Guard}.SameLength({n}, {span}.Length, nameof({span}), nameof({first}));");
        }

        foreach (var (output, of) in outputs)
        {
            _w.Line(_own.Contains(of)
                ? $"{Guard}.OnePerElement({of}.Length, {output}.Length, nameof({output}), nameof({of}));"
                : $"{Guard}.SameLength({n}, {output}.Length, nameof({output}), nameof({first}));");
        }

        WriteIndexChecks(n, (index, length) => $"{Guard}.Index({index}, {length}, nameof({index}));", ownLengths: true, spans);
    }

    private string RowKernel => _method.Name + "Row";

    private string RowValueKernel => _method.Name + "RowValue";

    private string ShortRowKernel => _method.Name + "ShortRow";

    private string TinyRowKernel => _method.Name + "TinyRow";

    private string RowKernelType => _method.NestedTypeName("RowKernel");

    private string RowLoops => $"global::AutoDiff.CompilerServices.Rows<{_t}>";

    private string SourceType(ParameterModel p) => p.CrefType(_t);

    private string RowType(ParameterModel p) => p.SourceType(_t);

    // In the batched forms a span is a matrix, and a per-row scalar or index is a span of one per row.
    private string BatchType(ParameterModel p) => p.Shape switch
    {
        ParameterShape.Span => $"global::System.ReadOnlySpan<{_t}>",
        ParameterShape.Index => "global::System.ReadOnlySpan<int>",
        _ when p.Role == ParameterRole.Constant => _t,
        _ => $"global::System.ReadOnlySpan<{_t}>",
    };

    private bool PerRow(ParameterModel p) => p.Shape != ParameterShape.Span && p.Role != ParameterRole.Constant;

    public void Emit()
    {
        RowGradient();
        BatchForward();
        BatchBackward();
        BatchReduction(mean: false);
        BatchReduction(mean: true);
        RowKernelStruct();
        Kernel(RowKernel, gradient: true);
        Kernel(ShortRowKernel, gradient: true, RowKind.Short);
        Kernel(TinyRowKernel, gradient: true, RowKind.Tiny);
        Kernel(RowValueKernel, gradient: false);
    }

    /// <summary>
    /// The batch forms of a method over rows whose gradient is taped (<see cref="MethodModel.IsTapedRow"/>), for a
    /// signature the batch forms take (<see cref="HasTapedBatch"/>): F of every row, the backward, the fused sum and
    /// mean, over a row kernel that runs the method and its taped gradient on each row.
    /// </summary>
    public void EmitTapedBatch()
    {
        _taped = true;
        BatchForward();
        BatchBackward();
        BatchReduction(mean: false);
        BatchReduction(mean: true);
        RowKernelStruct(taped: true);
    }

    /// <summary>
    /// Whether a taped method over rows gets batch forms: its parameters are spans (rows of a matrix), int indices,
    /// per-row [NoDiff] scalars and [Constant]s, as a row method the graph holds (a differentiable scalar beside the
    /// spans, a bool or a long has no per-row meaning in a batch), none declared as an array or a Span (the row kernel calls
    /// the method itself on each row, a read-only slice of the matrix, which it cannot pass to either).
    /// </summary>
    public static bool HasTapedBatch(MethodModel method) =>
        method.IsTapedRow && method.Parameters.Any(p => p.Shape == ParameterShape.Span && p.Role == ParameterRole.Differentiable) &&
        method.Parameters.All(p => (p.Shape == ParameterShape.Span && !p.Array && !p.Writable) || p.Shape == ParameterShape.Index ||
                                   (p.Shape == ParameterShape.Scalar && p.Role != ParameterRole.Differentiable));

    /// <summary>
    /// For the kernel of a method's directional derivative D(x, …, vX, …) (<see cref="KernelModel.HessianVector"/>): the
    /// public Hessian-vector product of <paramref name="of"/> (D's row gradient, where every method it calls has a
    /// Hessian), its Jvp (D's value), and the row kernels they run.
    /// </summary>
    public void EmitHessianVectorProduct(MethodModel of)
    {
        // The direction spans follow the method's parameters, one per differentiable span, in order.
        var spans = of.Parameters.Where(p => p.Role == ParameterRole.Differentiable && p.Shape == ParameterShape.Span).ToArray();
        if (of.HasHessianVectorProduct)
        {
            HessianVectorProduct(of, spans);
        }

        Jvp(of, spans);
    }

    private void HessianVectorProduct(MethodModel of, ParameterModel[] spans)
    {
        var along = _method.Parameters.Skip(of.Parameters.Count).Select((direction, k) => (direction, spans[k])).ToDictionary(x => x.direction.Name, x => x.Item2.Name);
        var cref = $"{of.Name}({string.Join(", ", of.Parameters.Select(SourceType))})";
        RowGradient(
            of.Name + "HessianVectorProduct",
            $"The Hessian-vector product of <see cref=\"{cref}\"/> over one row, by forward mode over reverse (the cost of a few gradients; the Hessian is never formed): the directional derivative Σⱼ ∂{of.Name}/∂x[j]·v[j] is returned, and (∇²{of.Name})·v is written to the <c>hv</c> span of each differentiable span, v being the direction spans together.",
            p => along.TryGetValue(p.Name, out var span) ? $"The direction's component along <c>{span}</c>, one entry per element." : Describe(p, batch: false),
            k => $"Receives the rows of ∇²{of.Name} for <c>{_differentiable[k].Name}</c> times the direction, one entry per element.",
            rowKinds: false);
        Kernel(RowKernel, gradient: true);
    }

    // Forward mode of a method over spans: its value (its own row kernel) and the directional derivative (the value
    // kernel of this, the directional-derivative method), two forward passes and no reverse one.
    private void Jvp(MethodModel of, ParameterModel[] spans)
    {
        var scope = new NameScope(of.Parameters.Select(p => p.Name));
        var tangents = spans.Select(p => scope.Fresh("t" + NameScope.Pascal(p.Name))).ToArray();
        var output = scope.Fresh("tangent");
        string n = scope.Fresh("n");
        var cref = $"{of.Name}({string.Join(", ", of.Parameters.Select(SourceType))})";
        _w.Line($"/// <summary>Computes <see cref=\"{cref}\"/> of one row and its directional derivative Σⱼ ∂{of.Name}/∂x[j]·t[j] (a Jacobian-vector product, forward mode): the value is returned, the derivative written to <paramref name=\"{output}\"/>.</summary>");
        foreach (var p in of.Parameters)
        {
            _w.Line($"/// <param name=\"{p.Name.TrimStart('@')}\">{Describe(p, batch: false)}</param>");
        }

        for (int k = 0; k < spans.Length; k++)
        {
            _w.Line($"/// <param name=\"{tangents[k]}\">The direction's component along <c>{spans[k].Name}</c>, one entry per element.</param>");
        }

        _w.Line($"/// <param name=\"{output}\">The directional derivative.</param>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The spans differ in length.</exception>");
        _w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">An index is outside the row.</exception>");
        var parameters = of.Parameters.Select(p => $"{RowType(p)} {p.Name}").Concat(tangents.Select(t => $"global::System.ReadOnlySpan<{_t}> {t}")).Append($"out {_t} {output}");
        _w.Line(GeneratedCode);
        using (_w.Block($"{of.Accessibility} static {_t} {of.Name}Jvp({string.Join(", ", parameters)})"))
        {
            WriteLengthChecks(n, of.Parameters.Where(p => p.Shape == ParameterShape.Span).Select(p => p.Name).ToArray(), tangents.Select((t, k) => (t, spans[k].Name)));
            var arguments = of.Parameters.Select(p => p.Name).ToList();
            _w.Line($"{output} = {RowValueKernel}({string.Join(", ", arguments.Concat(tangents))});");
            _w.Line($"return {of.Name}RowValue({string.Join(", ", arguments)});");
        }

        _w.Line();
        Kernel(RowValueKernel, gradient: false);
    }

    // ---- Public forms ----------------------------------------------------------------------------

    private void RowGradient() => RowGradient(
        _method.Name + "Gradient",
        $"Computes <see cref=\"{_cref}\"/> of one row and its gradient: the value is returned, and ∂{_method.Name}/∂x for each element of each differentiable span is written to its <c>d</c> span.",
        p => Describe(p, batch: false),
        k => $"Receives ∂{_method.Name}/∂{_differentiable[k].Name}, one entry per element.");

    // `rowKinds`: the row's length picks the tiny, short or general kernel (the gradient, whose kernels the batch
    // loops need anyway); else the general kernel alone, which takes any length (the Hessian-vector product: a
    // single-row call, for which two more kernels per method cost every build more than they save a user).
    private void RowGradient(string name, string summary, System.Func<ParameterModel, string> describe, System.Func<int, string> output, bool rowKinds = true)
    {
        _w.Line($"/// <summary>{summary}</summary>");
        foreach (var p in _method.Parameters)
        {
            _w.Line($"/// <param name=\"{p.Name.TrimStart('@')}\">{describe(p)}</param>");
        }

        for (int k = 0; k < _dNames.Length; k++)
        {
            _w.Line($"/// <param name=\"{_dNames[k]}\">{output(k)} It may be <c>{_differentiable[k].Name}</c> itself.</param>");
        }

        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The spans differ in length, or an output span partially overlaps an input; nothing is written then.</exception>");
        _w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">An index is outside the row.</exception>");
        var parameters = _method.Parameters.Select(p => $"{RowType(p)} {p.Name}").Concat(_dNames.Select(d => $"global::System.Span<{_t}> {d}"));
        _w.Line(GeneratedCode);
        using (_w.Block($"{_method.Accessibility} static {_t} {name}({string.Join(", ", parameters)})"))
        {
            string n = new NameScope(_method.Parameters.Select(p => p.Name).Concat(_dNames)).Fresh("n");
            WriteLengthChecks(n, Spans.Select(p => p.Name).ToArray(), _dNames.Select((d, k) => (d, _differentiable[k].Name)));
            WriteOverlapChecks();
            var arguments = string.Join(", ", _method.Parameters.Select(p => p.Name).Concat(new[] { One }).Concat(_dNames));
            if (rowKinds)
            {
                _w.Line($"if ({RowLoops}.IsTiny({n})) return {TinyRowKernel}({arguments});");
                _w.Line($"if ({RowLoops}.IsShort({n})) return {ShortRowKernel}({arguments});");
            }

            _w.Line($"return {RowKernel}({arguments});");
        }

        _w.Line();
    }

    private string One => _method.IsDouble ? "1.0" : "1f";

    private void BatchForward()
    {
        WriteBatchDocs($"Writes <see cref=\"{_cref}\"/> of every row of a batch into <paramref name=\"destination\"/> (the reduction PyTorch calls 'none').",
            new[] { (_destination, "Receives one value per row.") });
        WriteBatch(_method.Name, "void", new string[0], new[] { _destination }, kernel => $"{RowLoops}.Forward({kernel}, {_rows}, {_columns}, {_destination});");
    }

    private void BatchBackward()
    {
        var docs = new List<(string, string)> { (_upstream, "The gradient of the final loss with respect to each row's value.") };
        docs.AddRange(_differentiable.Select((p, k) => (_dNames[k], $"Receives upstream[r]·∂{_method.Name}/∂{p.Name} for every element of every row r.")));
        WriteBatchDocs($"The backward kernel of <see cref=\"{_cref}\"/> over a batch: for each row, the upstream gradient times the row's gradient.", docs);
        WriteBatch(_method.Name + "Backward", "void", new[] { _upstream }, _dNames, kernel => $"{RowLoops}.Backward({kernel}, {_rows}, {_columns}, {_upstream});");
    }

    private void BatchReduction(bool mean)
    {
        var docs = _differentiable.Select((p, k) => (_dNames[k], mean
            ? $"Receives ∂mean/∂{p.Name} = (1/rows)·∂{_method.Name}/∂{p.Name} for every element of every row."
            : $"Receives ∂sum/∂{p.Name} = ∂{_method.Name}/∂{p.Name} for every element of every row.")).ToList();
        WriteBatchDocs(mean
                ? $"Fused value and gradient: returns the mean of <see cref=\"{_cref}\"/> over the rows of a batch (NaN when there are none) and writes its gradient."
                : $"Fused value and gradient: returns the sum of <see cref=\"{_cref}\"/> over the rows of a batch and writes its gradient.",
            docs);
        _w.Line("/// <remarks>The rows' values are added in double, in parts that depend on the batch's size alone, so the result does not depend on the number of threads.</remarks>");
        string form = mean ? "Mean" : "Sum";
        WriteBatch(_method.Name + form, _t, new string[0], _dNames, kernel => $"return {RowLoops}.{form}({kernel}, {_rows}, {_columns});");
    }

    private void WriteBatchDocs(string summary, IEnumerable<(string Name, string Text)> extra)
    {
        _w.Line($"/// <summary>{summary}</summary>");
        _w.Line($"/// <param name=\"{_rows}\">The number of rows; every matrix holds rows × columns elements, row after row.</param>");
        foreach (var p in _method.Parameters)
        {
            _w.Line($"/// <param name=\"{p.Name.TrimStart('@')}\">{Describe(p, batch: true)}</param>");
        }

        foreach (var (name, text) in extra)
        {
            _w.Line($"/// <param name=\"{name}\">{text}</param>");
        }

        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A matrix is not rows × columns, the per-row spans do not have one entry per row, or an output partially overlaps an input; nothing is written then.</exception>");
        _w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">An index is outside its row, or rows is negative.</exception>");
    }

    private string Describe(ParameterModel p, bool batch) => p.Shape switch
    {
        ParameterShape.Span when batch => $"The matrix of rows <c>{p.Name}</c> ({(p.Role == ParameterRole.Differentiable ? "differentiable" : "no gradient, [NoDiff]")}).",
        ParameterShape.Span => $"The row <c>{p.Name}</c> ({(p.Role == ParameterRole.Differentiable ? "differentiable" : "no gradient, [NoDiff]")}).",
        ParameterShape.Index when batch => $"The index <c>{p.Name}</c> of each row.",
        ParameterShape.Index => $"The index <c>{p.Name}</c> into the row.",
        _ when p.Role == ParameterRole.Constant => $"The constant <c>{p.Name}</c>, shared by every row ([Constant]).",
        _ when batch => $"The value <c>{p.Name}</c> of each row ([NoDiff]).",
        _ => $"The value <c>{p.Name}</c> of the row ([NoDiff]).",
    };

    // Checks every argument, then runs the runtime's loop over the rows (`call`, given the new row kernel).
    private void WriteBatch(string name, string returns, string[] extra, string[] outputs, System.Func<string, string> call)
    {
        var parameters = new[] { $"int {_rows}" }
            .Concat(_method.Parameters.Select(p => $"{BatchType(p)} {p.Name}"))
            .Concat(extra.Select(e => $"global::System.ReadOnlySpan<{_t}> {e}"))
            .Concat(outputs.Select(o => $"global::System.Span<{_t}> {o}"));
        _w.Line(GeneratedCode);
        using (_w.Block($"{_method.Accessibility} static {returns} {name}({string.Join(", ", parameters)})"))
        {
            _w.Line($"int {_columns} = {Guard}.Columns({_rows}, {FirstSpan}.Length, nameof({FirstSpan}));");
            foreach (var span in Spans.Skip(1).Select(p => p.Name).Concat(outputs.Where(o => o != _destination)))
            {
                _w.Line($"{Guard}.SameLength({FirstSpan}.Length, {span}.Length, nameof({span}), nameof({FirstSpan}));");
            }

            foreach (var perRow in _method.Parameters.Where(PerRow).Select(p => p.Name).Concat(extra).Concat(outputs.Where(o => o == _destination)))
            {
                _w.Line($"{Guard}.SameLength({_rows}, {perRow}.Length, nameof({perRow}), nameof({_rows}));");
            }

            WriteIndexChecks(_columns, (index, _) => $"{Guard}.Indices({index}, {_columns}, nameof({index}));", ownLengths: false);
            var inputs = Spans.Select(p => p.Name).Concat(_method.Parameters.Where(PerRow).Select(p => p.Name)).Concat(extra).ToList();
            foreach (var output in outputs)
            {
                foreach (var input in inputs)
                {
                    if (_method.Parameters.FirstOrDefault(p => p.Name == input)?.Shape != ParameterShape.Index)
                    {
                        // A taped gradient clears its outputs before it reads its rows: no output may be an input.
                        _w.Line($"{Guard}.{(_taped ? "NoOverlap" : "NoPartialOverlap")}({input}, {output}, nameof({output}), nameof({input}));");
                    }
                }
            }

            var fields = _method.Parameters.Select(p => p.Name).Concat(outputs.Where(o => o != _destination)).Select(f => $"{f} = {f}");
            _w.Line(call($"new {RowKernelType} {{ {string.Join(", ", fields)} }}"));
        }

        _w.Line();
    }

    // The batch forms' row kernel (IRowKernel): the call's matrices, per-row spans, constants and gradient
    // outputs, and row r of each for the row kernels; for a taped method, the method and its gradient (which
    // overwrites the row's gradient, then scaled) instead.
    private void RowKernelStruct(bool taped = false)
    {
        var scope = new NameScope(_method.Parameters.Select(p => p.Name).Concat(_dNames));
        string row = scope.Fresh("row"), offset = scope.Fresh("offset"), columns = scope.Fresh("columns"), scale = scope.Fresh("scale");
        var slices = _method.Parameters.Select(p => p.Shape == ParameterShape.Span ? $"{p.Name}.Slice({offset}, {columns})" : PerRow(p) ? $"{p.Name}[{row}]" : p.Name).ToList();
        var gradients = _dNames.Select(d => $"{d}.Slice({offset}, {columns})");
        string kernelInterface = $"global::AutoDiff.CompilerServices.IRowKernel<{_t}>";
        string rowArguments = $"int {row}, int {offset}, int {columns}";
        string gradientArguments = string.Join(", ", slices.Append(scale).Concat(gradients));

        _w.Line(GeneratedCode);
        using (_w.Block($"private ref struct {RowKernelType} : {kernelInterface}"))
        {
            foreach (var p in _method.Parameters)
            {
                _w.Line($"public {BatchType(p)} {p.Name};");
            }

            if (_dNames.Length > 0)
            {
                _w.Line($"public global::System.Span<{_t}> {string.Join(", ", _dNames)};");
            }

            _w.Line();
            if (taped)
            {
                string value = scope.Fresh("value"), k = scope.Fresh("k"), scaled = scope.Fresh("ScaledGradient");
                _w.Line($"{_t} {kernelInterface}.Value({rowArguments}) => {_method.Name}({string.Join(", ", slices)});");
                foreach (var kind in new[] { "Gradient", "ShortGradient", "TinyGradient" })
                {
                    _w.Line();
                    _w.Line($"{_t} {kernelInterface}.{kind}({rowArguments}, {_t} {scale}) => {scaled}({row}, {offset}, {columns}, {scale});");
                }

                _w.Line();
                using (_w.Block($"private {_t} {scaled}({rowArguments}, {_t} {scale})"))
                {
                    _w.Line($"{_t} {value} = {_method.Name}Gradient({string.Join(", ", slices.Concat(gradients))});");
                    foreach (var d in _dNames)
                    {
                        _w.Line($"for (int {k} = {offset}; {k} < {offset} + {columns}; {k}++) {{ {d}[{k}] *= {scale}; }}");
                    }

                    _w.Line($"return {value};");
                }
            }
            else
            {
                _w.Line($"{_t} {kernelInterface}.Value({rowArguments}) => {RowValueKernel}({string.Join(", ", slices)});");
                _w.Line();
                _w.Line($"{_t} {kernelInterface}.Gradient({rowArguments}, {_t} {scale}) => {RowKernel}({gradientArguments});");
                _w.Line();
                _w.Line($"{_t} {kernelInterface}.ShortGradient({rowArguments}, {_t} {scale}) => {ShortRowKernel}({gradientArguments});");
                _w.Line();
                _w.Line($"{_t} {kernelInterface}.TinyGradient({rowArguments}, {_t} {scale}) => {TinyRowKernel}({gradientArguments});");
            }
        }

        _w.Line();
    }

    // Every index inside the row it reads: an int parameter (`check` of it and a length), a constant (a[3]). With
    // ownLengths, a span of its own length (_own) is checked against that length, the row's spans against n. Reads of
    // spans not in `spans` (a Jvp's: not its directional derivative's directions) are not checked.
    private void WriteIndexChecks(string n, System.Func<string, string, string> check, bool ownLengths, IReadOnlyCollection<string>? spans = null)
    {
        var reads = _kernel.Graph.Where(node => node.Op == Op.At).Select(node => (Span: _method.Parameters[node.Index].Name, Index: _kernel.Graph[node[0]]))
            .Where(r => spans is null || spans.Contains(r.Span)).ToArray();
        string Length(string span) => ownLengths && _own.Contains(span) ? $"{span}.Length" : n;
        for (int i = 0; i < _method.Parameters.Count; i++)
        {
            if (_method.Parameters[i].Shape == ParameterShape.Index)
            {
                var lengths = reads.Where(r => r.Index.Op == Op.Parameter && r.Index.Index == i).Select(r => Length(r.Span)).DefaultIfEmpty(n).Distinct();
                foreach (var length in lengths)
                {
                    _w.Line(check(_method.Parameters[i].Name, length));
                }
            }
        }

        // a[3]: the row must be long enough.
        var constants = reads.Where(r => r.Index.Op == Op.Constant).Select(r => (Span: Length(r.Span) == n ? FirstRowSpan : r.Span, Index: (int)r.Index.Value))
            .Distinct().OrderBy(r => r.Span != FirstRowSpan).ThenBy(r => r.Index).ThenBy(r => r.Span, System.StringComparer.Ordinal);
        foreach (var (span, c) in constants)
        {
            _w.Line($"{Guard}.Index({c}, {Length(span)}, \"{span}[{c}]\");");
        }
    }

    private void WriteOverlapChecks()
    {
        foreach (var d in _dNames)
        {
            foreach (var span in Spans)
            {
                _w.Line($"{Guard}.NoPartialOverlap({span.Name}, {d}, nameof({d}), nameof({span.Name}));");
            }
        }
    }

    // ---- The row kernel ----------------------------------------------------------------------------

    // The gradient kernel (`gradient`), or the value alone. A row longer than one vector and no longer than two
    // (10 floats, say) goes to the short-row kernel (RowKind.Short): it loads each span's two vectors (the first
    // and the last Count elements) once and keeps every pass in registers, where the general kernel's passes
    // store a vector, then read back one that partly overlaps it, which the store cannot forward to (three
    // stalls per row; docs/benchmarks.md has the figures). Lanes the two vectors
    // share get the same values from the same inputs, so both are stored whole, after every load (a d span may
    // be the row itself). A row shorter than one vector (RowKind.Tiny), which the general kernel runs as one
    // masked step per pass, is one vector read once and written once with masked loads and stores, every pass in
    // registers. Each is a call of its own: inlined
    // beside the general kernel into one loop method, the short-row kernel's vectors spilled to the stack.
    private void Kernel(string name, bool gradient, RowKind kind = RowKind.General)
    {
        var parameters = _method.Parameters.Select(p => $"{RowType(p)} {p.Name}").ToList();
        var reserved = _method.Parameters.Select(p => p.Name).ToList();
        if (gradient)
        {
            parameters.Add($"{_t} {_scale}");
            parameters.AddRange(_dNames.Select(d => $"global::System.Span<{_t}> {d}"));
            reserved.Add(_scale);
            reserved.AddRange(_dNames);
        }

        var scope = new NameScope(reserved);
        string n = scope.Fresh("n");
        string length = scope.Fresh(_method.IsDouble ? "length" : "lengthF");
        var renderer = new GraphRenderer(_kernel, scope);
        var refs = new Dictionary<string, string>();
        var loads = new Dictionary<int, string>();

        string Leaf(int id)
        {
            var node = _kernel.Graph[id];
            return node.Op switch
            {
                Op.Seed => _scale,
                Op.Length => length,
                _ => loads[id],
            };
        }

        _w.Line(GeneratedCode);
        _w.Line(kind == RowKind.General ? Optimized : NotInlined);
        using (_w.Block($"private static {_t} {name}({string.Join(", ", parameters)})"))
        {
            var finals = new List<int> { _method.Output };
            if (gradient)
            {
                finals.AddRange(_kernel.ScaledGradient);
                finals.AddRange(_kernel.Scatters.Select(s => s.Value));
            }

            _w.Line($"int {n} = {FirstRowSpan}.Length;");
            if (Reachable(finals, throughReductions: true).Any(id => _kernel.Graph[id].Op == Op.Length))
            {
                _w.Line($"{_t} {length} = {n};");
            }

            foreach (var span in Spans.Select(p => p.Name).Concat(gradient ? _dNames : new string[0]))
            {
                refs[span] = scope.Fresh(span + "Ref");
                _w.Line($"ref {_t} {refs[span]} = ref {MemoryMarshal}.GetReference({span});");
            }

            // a[k] is read before any pass writes a d span, which may be the row itself.
            var reads = Reachable(finals, throughReductions: true).Where(id => _kernel.Graph[id].Op == Op.At).OrderBy(id => id).ToArray();
            renderer.Enter(vector: false, Leaf);
            renderer.WriteLocals(_w, reads, uniform: true);

            // Passes of reductions: each pass computes every reduction whose inputs are ready.
            var passes = Plan(finals);
            var stored = gradient && passes.Count > 0 ? Stored(passes[passes.Count - 1]) : new Dictionary<int, int>();
            var registers = kind == RowKind.General ? null : new RowInRegisters(this, scope, n, refs, loads, Reachable(finals, throughReductions: true), tiny: kind == RowKind.Tiny);
            for (int p = 0; p < passes.Count; p++)
            {
                if (registers is not null)
                {
                    registers.ReductionPass(passes[p], renderer, Leaf, p == passes.Count - 1 ? stored : null);
                }
                else
                {
                    ReductionPass(passes[p], renderer, scope, n, refs, loads, Leaf, p == passes.Count - 1 ? stored : null);
                }
            }

            // Everything per row, then the gradient pass, then the scatters of a[k].
            renderer.Enter(vector: false, Leaf);
            renderer.WriteLocals(_w, finals.Where(f => !_kernel.ScaledGradient.Contains(f)).ToArray(), uniform: true, hoistAll: true);
            if (gradient)
            {
                renderer.Enter(vector: true, Leaf);
                renderer.WriteLocals(_w, _kernel.ScaledGradient.ToArray(), uniform: true, hoistAll: true);
            }

            if (gradient && _dNames.Length > 0)
            {
                var outputs = _kernel.ScaledGradient.ToArray();
                if (_rowOutputs.Length > 0 && registers is not null)
                {
                    registers.GradientPass(renderer, Leaf, outputs);
                }
                else if (_rowOutputs.Length > 0)
                {
                    GradientPass(renderer, scope, n, refs, loads, Leaf, outputs, stored);
                }

                foreach (int k in Enumerable.Range(0, _dNames.Length).Except(_rowOutputs))
                {
                    _w.Line($"{_dNames[k]}.Clear();"); // a span read at fixed indices only: its a[k] shares follow
                }

                foreach (var scatter in _kernel.Scatters)
                {
                    var index = _kernel.Graph[scatter.Index];
                    var at = index.Op == Op.Constant ? ((int)index.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) : _method.Parameters[index.Index].Name;
                    int k = System.Array.IndexOf(_differentiable, _method.Parameters[scatter.Parameter]);
                    _w.Line($"{Unsafe}.Add(ref {refs[_dNames[k]]}, {at}) += {renderer.Expr(scatter.Value, false)};");
                }
            }

            _w.Line($"return {renderer.Expr(_method.Output, false)};");
        }

        _w.Line();
    }

    // The gradient pass of the general kernel: every element's gradient, written to the d spans.
    private void GradientPass(GraphRenderer renderer, NameScope scope, string n, Dictionary<string, string> refs, Dictionary<int, string> loads,
        System.Func<int, string> leaf, int[] outputs, Dictionary<int, int> stored)
    {
        // An intermediate the last reduction pass stored in a d span is read back, not recomputed.
        System.Action<Step, string> prepare = (step, i) =>
        {
            foreach (var pair in stored)
            {
                var name = scope.Fresh("stored");
                _w.Line($"var {name} = {Load(step, refs[_dNames[pair.Key]], i, n)};");
                renderer.DeclareReadBack(pair.Value, name);
            }
        };
        var written = _rowOutputs;
        Pass(renderer, scope, n, refs, loads, leaf, written.Select(k => outputs[k]).ToArray(), prepare: prepare, headMasked: false, each: (step, i, mask) =>
        {
            foreach (int k in written)
            {
                _w.Line(Store(step, renderer.Expr(outputs[k], true), refs[_dNames[k]], i, mask, n));
            }
        });
    }

    // The passes over the row: each holds every reduction whose inputs earlier passes computed.
    private List<List<int>> Plan(List<int> finals)
    {
        var pending = Reachable(finals, throughReductions: true).Where(id => OpFacts.IsReduction(_kernel.Graph[id].Op)).OrderBy(id => id).ToList();
        var passes = new List<List<int>>();
        while (pending.Count > 0)
        {
            var ready = pending.Where(r => !Needs(r, pending)).ToList();
            if (ready.Count == 0)
            {
                throw new System.InvalidOperationException("The reductions of the row depend on each other in a cycle.");
            }

            passes.Add(ready);
            pending = pending.Except(ready).ToList();
        }

        return passes;
    }

    // Every node the outputs read; without throughReductions, a reduction's body is not entered.
    private HashSet<int> Reachable(IEnumerable<int> outputs, bool throughReductions, int? leaf = null)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>(outputs);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id) || id == leaf || (!throughReductions && OpFacts.IsReduction(_kernel.Graph[id].Op)))
            {
                continue;
            }

            foreach (var arg in _kernel.Graph[id].Args)
            {
                stack.Push(arg);
            }
        }

        return seen;
    }

    // For each d span (by index), an expensive element-level intermediate that the last reduction pass
    // computes and the gradient needs (softmax's e^(z − m)): that pass stores it in the d span, and the
    // gradient pass reads it back instead of computing it again. Only where, with it read back, the
    // gradient reads no span at all, so a d span that is the row itself is still right; and only after a
    // pass of sums (a max pass may read a lane twice).
    private Dictionary<int, int> Stored(List<int> lastPass)
    {
        var result = new Dictionary<int, int>();
        if (lastPass.Any(r => _kernel.Graph[r].Op != Op.Sum))
        {
            return result;
        }

        var inPass = Reachable(lastPass.Select(r => _kernel.Graph[r][0]), throughReductions: false);
        foreach (int k in _rowOutputs)
        {
            int g = _kernel.ScaledGradient[k];
            var inGradient = Reachable(new[] { g }, throughReductions: false);
            // Not a call: the gradient reads its partials, which only the call gives, from its arguments.
            var candidates = inGradient.Where(id => inPass.Contains(id) && _kernel.Graph[id].Op != Op.Call && IsExpensiveElementwise(id)).OrderByDescending(id => id);
            foreach (var candidate in candidates)
            {
                bool readsSpans = Reachable(new[] { g }, throughReductions: false, leaf: candidate)
                    .Any(id => id != candidate && _kernel.Graph[id].Op == Op.Element);
                if (!readsSpans)
                {
                    result[k] = candidate;
                    break;
                }
            }
        }

        return result;
    }

    private bool IsExpensiveElementwise(int id)
    {
        var node = _kernel.Graph[id];
        if (node.Op is Op.Element or Op.Parameter or Op.Constant || !Reachable(new[] { id }, throughReductions: false).Any(a => _kernel.Graph[a].Op == Op.Element))
        {
            return false;
        }

        return Reachable(new[] { id }, throughReductions: false).Any(a => OpFacts.IsCostly(_kernel.Graph[a].Op));
    }

    // Does reduction r read another reduction still pending (through its body and the row values the body reads)?
    private bool Needs(int r, List<int> pending)
    {
        var stack = new Stack<int>(_kernel.Graph[r].Args);
        var seen = new HashSet<int>();
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (!seen.Add(id))
            {
                continue;
            }

            if (OpFacts.IsReduction(_kernel.Graph[id].Op))
            {
                if (pending.Contains(id))
                {
                    return true;
                }

                continue;
            }

            foreach (var arg in _kernel.Graph[id].Args)
            {
                stack.Push(arg);
            }
        }

        return false;
    }

    // One pass over the row for several reductions into vector accumulators, then each summed across its lanes.
    private void ReductionPass(List<int> reductions, GraphRenderer renderer, NameScope scope, string n,
        Dictionary<string, string> refs, Dictionary<int, string> loads, System.Func<int, string> leaf, Dictionary<int, int>? stored)
    {
        stored ??= new Dictionary<int, int>();
        var bodies = reductions.Select(r => _kernel.Graph[r][0]).Concat(stored.Values).ToArray();
        renderer.Enter(vector: true, leaf);
        renderer.WriteLocals(_w, bodies, uniform: true, hoistAll: true);
        var accumulators = new string[reductions.Count];
        var results = new string[reductions.Count];
        for (int k = 0; k < reductions.Count; k++)
        {
            bool max = _kernel.Graph[reductions[k]].Op == Op.MaxOf;
            accumulators[k] = scope.Fresh(max ? "maxV" : "sumV");
            results[k] = renderer.FreshName(reductions[k], max ? "max" : "sum");
            _w.Line(max ? $"var {accumulators[k]} = new {_vt}({_t}.NegativeInfinity);" : $"var {accumulators[k]} = {_vt}.Zero;");
        }

        // A pass of maxima alone may see a lane twice and needs no mask.
        bool masked = stored.Count > 0 || reductions.Any(r => _kernel.Graph[r].Op != Op.MaxOf);
        Pass(renderer, scope, n, refs, loads, leaf, bodies, masked: masked, each: (step, i, mask) =>
        {
            foreach (var pair in stored)
            {
                _w.Line(Store(step, renderer.Expr(pair.Value, true), refs[_dNames[pair.Key]], i, mask, n));
            }

            for (int k = 0; k < reductions.Count; k++)
            {
                bool max = _kernel.Graph[reductions[k]].Op == Op.MaxOf;
                var value = renderer.Expr(bodies[k], true);

                // A max may see a lane twice (or the first element again, in the head step); a sum must not: the
                // masked and head steps add the fresh lanes only.
                _w.Line(max ? $"{accumulators[k]} = {Vector}.Max({accumulators[k]}, {value});"
                    : step == Step.Vector ? $"{accumulators[k]} += {value};"
                    : $"{accumulators[k]} += {Vector}.ConditionalSelect({mask}, {value}, {_vt}.Zero);");
            }
        }, after: () =>
        {
            for (int k = 0; k < reductions.Count; k++)
            {
                bool max = _kernel.Graph[reductions[k]].Op == Op.MaxOf;
                _w.Line(max ? $"{_t} {results[k]} = {GraphRenderer.Lanes}.MaxAcross({accumulators[k]});" : $"{_t} {results[k]} = {Vector}.Sum({accumulators[k]});");
            }
        });

        for (int k = 0; k < reductions.Count; k++)
        {
            renderer.Declare(reductions[k], results[k]);
        }
    }

    private enum RowKind
    {
        General,
        Short,
        Tiny,
    }

    // The passes of the short- and tiny-row kernels (see Kernel), on vectors held in registers. A short row of
    // Count < n ≤ 2·Count elements is two vectors, the first Count elements and the last Count, whose lanes
    // past the first vector are `fresh`. A tiny row of 0 < n < Count elements is one vector, its first n lanes
    // `fresh` and the others repeating the first element (AD.LoadHead), stored with a mask (AD.StoreHead).
    private sealed class RowInRegisters
    {
        private readonly RowForms _forms;
        private readonly NameScope _scope;
        private readonly Dictionary<int, string> _loads;
        private readonly Dictionary<string, string> _refs;
        private readonly string _n, _last, _fresh;
        private readonly bool _tiny;
        private readonly (int Id, string First, string Last)[] _elements;
        private readonly Dictionary<int, string>[] _stored = { new(), new() };

        public RowInRegisters(RowForms forms, NameScope scope, string n, Dictionary<string, string> refs, Dictionary<int, string> loads, HashSet<int> reachable, bool tiny)
        {
            _forms = forms;
            _scope = scope;
            _loads = loads;
            _refs = refs;
            _n = n;
            _tiny = tiny;
            var w = forms._w;
            string index = forms._method.IsDouble ? "long" : "int";
            _last = tiny ? string.Empty : scope.Fresh("last");
            _fresh = scope.Fresh("fresh");
            if (tiny)
            {
                w.Line($"var {_fresh} = {Vector}.LessThan({Vector}<{index}>.Indices, new {Vector}<{index}>({n}));");
            }
            else
            {
                w.Line($"int {_last} = {n} - {forms._vt}.Count;");
                w.Line($"var {_fresh} = {Vector}.GreaterThanOrEqual({Vector}<{index}>.Indices + new {Vector}<{index}>({_last}), new {Vector}<{index}>({forms._vt}.Count));");
            }

            _elements = reachable.Where(id => forms._kernel.Graph[id].Op == Op.Element).OrderBy(id => id).Select(id =>
            {
                var span = forms._method.Parameters[forms._kernel.Graph[id].Index].Name;
                string first = scope.Fresh(span + "First");
                if (tiny)
                {
                    w.Line($"var {first} = {GraphRenderer.Lanes}.LoadHead(ref {refs[span]}, {n});");
                    return (id, first, string.Empty);
                }

                string last = scope.Fresh(span + "Last");
                w.Line($"var {first} = {Vector}.LoadUnsafe(ref {refs[span]});");
                w.Line($"var {last} = {Vector}.LoadUnsafe(ref {refs[span]}, (nuint){_last});");
                return (id, first, last);
            }).ToArray();
        }

        private int Steps => _tiny ? 1 : 2;

        // Enters step 0 (the first vector) or 1 (the last): the span elements read the step's registers.
        private void Enter(int step, GraphRenderer renderer, System.Func<int, string> leaf, bool readBack)
        {
            foreach (var (id, first, last) in _elements)
            {
                _loads[id] = step == 0 ? first : last;
            }

            renderer.Enter(vector: true, leaf);
            foreach (var pair in readBack ? _stored[step] : new Dictionary<int, string>())
            {
                renderer.DeclareReadBack(pair.Key, pair.Value);
            }
        }

        // A step's value as the left operand of +: a name as it is, an expression (inlined where the step has no locals,
        // and possibly a c ? x : y, which + would otherwise take apart) in parentheses.
        private static string Term(string value) => value.All(ch => char.IsLetterOrDigit(ch) || ch == '_') ? value : $"({value})";

        public void ReductionPass(List<int> reductions, GraphRenderer renderer, System.Func<int, string> leaf, Dictionary<int, int>? stored)
        {
            var forms = _forms;
            var w = forms._w;
            var keep = stored?.Values.Distinct().ToArray() ?? new int[0];
            var bodies = reductions.Select(r => forms._kernel.Graph[r][0]).Concat(keep).ToArray();
            renderer.Enter(vector: true, leaf);
            renderer.WriteLocals(w, bodies, uniform: true, hoistAll: true);
            var values = new string[Steps][];
            for (int step = 0; step < Steps; step++)
            {
                Enter(step, renderer, leaf, readBack: false);
                var locals = w.Indented();
                renderer.WriteLocals(locals, bodies, uniform: false);
                var expressions = reductions.Select(r => renderer.Expr(forms._kernel.Graph[r][0], true)).ToArray();
                var kept = keep.ToDictionary(id => id, id => renderer.Expr(id, true));
                foreach (var id in keep)
                {
                    // What the general kernel stores in a d span stays in a register for the gradient pass.
                    _stored[step][id] = _scope.Fresh("kept");
                }

                if (locals.IsEmpty)
                {
                    values[step] = expressions;
                    foreach (var id in keep)
                    {
                        w.Line($"var {_stored[step][id]} = {kept[id]};");
                    }

                    continue;
                }

                // The step's locals have the same names as the other step's: each goes in a block of its own, and
                // what the block computes into registers declared before it.
                values[step] = reductions.Select(r => _scope.Fresh(forms._kernel.Graph[r].Op == Op.MaxOf ? "maxV" : "sumV")).ToArray();
                w.Line($"{forms._vt} {string.Join(", ", values[step].Concat(keep.Select(id => _stored[step][id])))};");
                using (w.Block())
                {
                    w.Append(locals);
                    for (int k = 0; k < reductions.Count; k++)
                    {
                        w.Line($"{values[step][k]} = {expressions[k]};");
                    }

                    foreach (var id in keep)
                    {
                        w.Line($"{_stored[step][id]} = {kept[id]};");
                    }
                }
            }

            for (int k = 0; k < reductions.Count; k++)
            {
                bool max = forms._kernel.Graph[reductions[k]].Op == Op.MaxOf;
                var result = renderer.FreshName(reductions[k], max ? "max" : "sum");

                // A max may see a lane twice; a sum adds the fresh lanes of the last vector only.
                var lastFresh = $"{Vector}.ConditionalSelect({_fresh}, {values[Steps - 1][k]}, {forms._vt}.Zero)";
                w.Line(max
                    ? $"{forms._t} {result} = {GraphRenderer.Lanes}.MaxAcross({(_tiny ? values[0][k] : $"{Vector}.Max({values[0][k]}, {values[1][k]})")});"
                    : $"{forms._t} {result} = {Vector}.Sum({(_tiny ? lastFresh : $"{Term(values[0][k])} + {lastFresh}")});");
                renderer.Declare(reductions[k], result);
            }
        }

        // Both vectors' gradients, stored whole (a tiny row's fresh lanes only): every load is already done, so a
        // d span may be the row itself.
        public void GradientPass(GraphRenderer renderer, System.Func<int, string> leaf, int[] outputs)
        {
            var forms = _forms;
            for (int step = 0; step < Steps; step++)
            {
                Enter(step, renderer, leaf, readBack: true);
                var locals = forms._w.Indented();
                var written = forms._rowOutputs;
                renderer.WriteLocals(locals, written.Select(k => outputs[k]).ToArray(), uniform: false);
                var stores = written.Select(k => _tiny
                    ? $"{GraphRenderer.Lanes}.StoreHead({renderer.Expr(outputs[k], true)}, ref {_refs[forms._dNames[k]]}, {_n});"
                    : step == 0
                    ? $"{Vector}.StoreUnsafe({renderer.Expr(outputs[k], true)}, ref {_refs[forms._dNames[k]]});"
                    : $"{Vector}.StoreUnsafe({renderer.Expr(outputs[k], true)}, ref {_refs[forms._dNames[k]]}, (nuint){_last});").ToList();
                using (locals.IsEmpty ? null : forms._w.Block())
                {
                    forms._w.Append(locals);
                    foreach (var store in stores)
                    {
                        forms._w.Line(store);
                    }
                }
            }
        }
    }

    private enum Step
    {
        Vector,
        Masked,
        Head,
    }

    // A loop over the row: Vector<T> steps; then, if a tail is left and the row holds a whole vector, one
    // last vector step over the final Count elements with a mask of the lanes not yet done (a row of 10 is two
    // vector steps); a row shorter than one vector is one step of masked loads and stores (AD.LoadHead,
    // AD.StoreHead), its lanes past the row repeating the first element. No scalar code. `each` writes the
    // statements of one step (its offset, and the mask's name in the masked step, and in the head step when
    // `headMasked`); `after` follows them all.
    private void Pass(GraphRenderer renderer, NameScope scope, string n, Dictionary<string, string> refs, Dictionary<int, string> loads,
        System.Func<int, string> leaf, int[] outputs, System.Action<Step, string, string> each, System.Action? after = null,
        System.Action<Step, string>? prepare = null, bool masked = true, bool headMasked = true)
    {
        string i = scope.Fresh("i");
        string index = _method.IsDouble ? "long" : "int";
        _w.Line($"int {i} = 0;");
        foreach (var step in new[] { Step.Vector, Step.Masked, Step.Head })
        {
            string offset = i, mask = string.Empty;
            string header = step switch
            {
                Step.Vector => $"for (; {i} <= {n} - {_vt}.Count; {i} += {_vt}.Count)",
                Step.Masked => $"if ({i} < {n} && {n} >= {_vt}.Count)",
                _ => $"if ({i} < {n})",
            };
            using (_w.Block(header))
            {
                if (step == Step.Masked)
                {
                    offset = scope.Fresh("last");
                    _w.Line($"int {offset} = {n} - {_vt}.Count;");
                    if (masked)
                    {
                        mask = scope.Fresh("fresh");
                        _w.Line($"var {mask} = {Vector}.GreaterThanOrEqual({Vector}<{index}>.Indices + new {Vector}<{index}>({offset}), new {Vector}<{index}>({i}));");
                    }
                }
                else if (step == Step.Head && masked && headMasked)
                {
                    mask = scope.Fresh("fresh");
                    _w.Line($"var {mask} = {Vector}.LessThan({Vector}<{index}>.Indices, new {Vector}<{index}>({n}));");
                }

                renderer.Enter(vector: true, leaf);
                prepare?.Invoke(step, offset);
                foreach (var element in renderer.VaryingLeaves(outputs))
                {
                    var span = _method.Parameters[_kernel.Graph[element].Index].Name;
                    loads[element] = scope.Fresh(span + "V");
                    _w.Line($"var {loads[element]} = {Load(step, refs[span], offset, n)};");
                }

                renderer.WriteLocals(_w, outputs, uniform: false);
                each(step, offset, mask);
                if (step == Step.Masked)
                {
                    _w.Line($"{i} = {n};"); // the head step is for rows shorter than a vector only
                }
            }
        }

        after?.Invoke();
    }

    // A vector of the span at `offset`; in the head step (offset 0, a row shorter than one vector) a masked load.
    private static string Load(Step step, string reference, string offset, string n) => step == Step.Head
        ? $"{GraphRenderer.Lanes}.LoadHead(ref {reference}, {n})"
        : $"{Vector}.LoadUnsafe(ref {reference}, (nuint){offset})";

    // A vector store of `value` at `offset`: whole in the vector step; in the masked step the lanes already written
    // are kept (a d span may be the row itself); in the head step a masked store of the row's lanes.
    private static string Store(Step step, string value, string reference, string offset, string mask, string n) => step switch
    {
        Step.Vector => $"{Vector}.StoreUnsafe({value}, ref {reference}, (nuint){offset});",
        Step.Masked => $"{GraphRenderer.Lanes}.StoreSelected({mask}, {value}, ref {reference}, {offset});",
        _ => $"{GraphRenderer.Lanes}.StoreHead({value}, ref {reference}, {n});",
    };
}

using System;
using System.Linq;

namespace AutoDiff.Generator.Model;

/// <summary>How a parameter of a [Differentiable] method takes part.</summary>
internal enum ParameterRole
{
    /// <summary>Per-element and differentiated: gets a <c>d</c> output.</summary>
    Differentiable,

    /// <summary>Per-element data without a gradient ([NoDiff]).</summary>
    NoDiff,

    /// <summary>One scalar for every element ([Constant]).</summary>
    Constant,
}

/// <summary>What a parameter holds: one number, a row of numbers, or an index into a row.</summary>
internal enum ParameterShape
{
    /// <summary>A <c>float</c> or <c>double</c>.</summary>
    Scalar,

    /// <summary>A <c>ReadOnlySpan</c> of the method's type (or an array of it, taken as a span): one row, reduced with <c>AD.Sum</c>, <c>AD.LogSumExp</c> ….</summary>
    Span,

    /// <summary>An <c>int</c> that indexes a span (a class label).</summary>
    Index,

    /// <summary>An <c>out</c> or <c>ref</c> float or double of a void helper: a result (a <c>ref</c> one an input too).</summary>
    Out,

    /// <summary>A <c>bool</c>: a switch the body reads (the gradient is taped).</summary>
    Flag,

    /// <summary>
    /// An integer other than <c>int</c> (<c>long</c>, <c>short</c>, <c>byte</c>, <c>char</c>, <c>uint</c> …): a count or a
    /// number the body reads (the gradient is taped). Its keyword is <see cref="ParameterModel.IntegerType"/>.
    /// </summary>
    Integer,

    /// <summary>
    /// A <c>ReadOnlySpan&lt;int&gt;</c>, <c>Span&lt;int&gt;</c> or <c>int[]</c>: indices or counts the body reads (a gather,
    /// <c>x[index[i]]</c>), never differentiated (the gradient is taped).
    /// </summary>
    Indices,
}

/// <summary>
/// A parameter; its name as C# source (<c>@out</c> for a keyword). <paramref name="Array"/>: a span declared as an array
/// (<c>T[]</c>), which the generated forms take as a <c>ReadOnlySpan&lt;T&gt;</c> (an array converts to one).
/// <paramref name="IntegerType"/>: the keyword of an <see cref="ParameterShape.Integer"/> parameter's type (<c>long</c>, <c>char</c> …).
/// <paramref name="ByReference"/>: a <c>ref</c> scalar of a method that returns a value, which the generated forms take by
/// value (a form that calls the method itself passes it a copy); of an <see cref="ParameterShape.Out"/> result, a <c>ref</c>
/// one (an input too), where it is false for an <c>out</c> one; of a void method's integer or bool, a <c>ref</c> one (a
/// counter it steps), which its forms pass on by reference.
/// <paramref name="Writable"/>: a span declared as a <c>Span&lt;T&gt;</c>, which the generated forms of a method that returns a
/// value take as a <c>ReadOnlySpan&lt;T&gt;</c> (copied on entry where the body writes it, as an array is); of a void
/// method, a <c>Span&lt;T&gt;</c> or <c>T[]</c>, one of its results, written in place.
/// <paramref name="Converted"/>: a scalar of the other floating type (a <c>float</c> of a <c>double</c> method, read where C#
/// widens it; a <c>double</c> of a <c>float</c> method, read where the method narrows it): the method's scalar forms take
/// it, its gradient and its tangent in its own type, and compute in the method's.
/// <paramref name="PassedIn"/>: declared <c>in</c> or <c>ref readonly</c>; a form that calls the method itself passes it with <c>in</c>.
/// </summary>
internal sealed record ParameterModel(string Name, ParameterRole Role, ParameterShape Shape = ParameterShape.Scalar, bool Array = false, string? IntegerType = null,
    bool ByReference = false, bool Writable = false, bool Converted = false, bool PassedIn = false)
{
    /// <summary>
    /// Of a void method, one of its results: an <c>out</c> or <c>ref</c> scalar, or a span or array it writes in place
    /// (whose adjoint FVjp seeds and whose tangent FJvp gives back).
    /// </summary>
    public bool IsWrittenResult => Shape == ParameterShape.Out || IsWrittenSpan;

    /// <summary>Of a void method, a span or array it writes in place.</summary>
    public bool IsWrittenSpan => Shape == ParameterShape.Span && Writable;

    /// <summary>The parameter's type as the user declared it, as a <c>cref</c> writes it.</summary>
    public string CrefType(string t) => Shape switch
    {
        ParameterShape.Span => Array ? t + "[]" : Writable ? $"global::System.Span{{{t}}}" : $"global::System.ReadOnlySpan{{{t}}}",
        ParameterShape.Indices => Array ? "int[]" : Writable ? "global::System.Span{int}" : "global::System.ReadOnlySpan{int}",
        ParameterShape.Out => (ByReference ? "ref " : "out ") + t,
        _ when ByReference => "ref " + SourceType(t),
        _ when IsPassive => SourceType(t),
        _ when Converted => OtherType(t),
        _ => t,
    };

    /// <summary>The parameter's type in a generated signature: a span for a span or an array (fully qualified), else as declared.</summary>
    public string SourceType(string t) => Shape switch
    {
        ParameterShape.Span => $"global::System.ReadOnlySpan<{t}>",
        ParameterShape.Index => "int",
        ParameterShape.Flag => "bool",
        ParameterShape.Integer => IntegerType ?? "long",
        ParameterShape.Indices => "global::System.ReadOnlySpan<int>",
        _ when Converted => OtherType(t),
        _ => t,
    };

    /// <summary>How the generated scalar forms read the parameter: as the method's type <paramref name="t"/> (a <see cref="Converted"/> one cast: a unary expression).</summary>
    public string Read(string t) => Converted ? $"({t}){Name}" : Name;

    /// <summary>The floating type that is not <paramref name="t"/>.</summary>
    public static string OtherType(string t) => t == "double" ? "float" : "double";

    /// <summary>An int, bool, other integer or span of ints: read by the body, never differentiated.</summary>
    public bool IsPassive => Shape.IsPassive();
}

internal static class ParameterShapes
{
    /// <summary>An int, bool, other integer or span of ints: read by the body, never differentiated.</summary>
    public static bool IsPassive(this ParameterShape shape) => shape is ParameterShape.Index or ParameterShape.Flag or ParameterShape.Integer or ParameterShape.Indices;
}

/// <summary>A containing type declaration, outermost first: its keyword (<c>class</c>, <c>record struct</c> …) and name.</summary>
internal sealed record TypeDeclarationModel(string Keyword, string Name);

/// <summary>Another [Differentiable] method the body calls; the chain rule goes through its generated gradient.</summary>
/// <param name="GradientName">The scalar gradient the chain rule calls: <c>NameGradient</c> unless named (a custom derivative of the method itself).</param>
/// <param name="HasHessian">Whether it has a Hessian form (not when it, or anything it calls, has a custom derivative).</param>
internal sealed record CalleeModel(string ContainingType, string Name, EquatableArray<ParameterModel> Parameters, string? GradientName = null, bool HasHessian = true)
{
    public string ScalarGradient => GradientName ?? Name + "Gradient";
}

/// <summary>
/// A [Differentiable] method lowered to an expression DAG: everything the later stages need, and
/// nothing from Roslyn (no ISymbol, SyntaxNode, Location or Compilation), so that it is structurally
/// equatable and the incremental cache holds across unrelated edits. Keep it immutable.
/// </summary>
/// <param name="Names">A name for each node that the source bound to a local (empty where none), parallel to <paramref name="Graph"/>.</param>
/// <param name="CustomDerivative">The method marked [DerivativeOf] for this one, whose body is then one call of itself through it; else null.</param>
/// <param name="HasHessian">Whether the Hessian form is emitted: no custom derivative here or in a callee unless its Hessian is supplied too; for a taped gradient, whether it runs over dual numbers.</param>
/// <param name="TapeGradient">
/// Where a loop runs a count known only when it runs: the body of FGradient, written statement by statement with a tape
/// (the graph is then one call of the method through it, as for a custom derivative named FGradient); else empty.
/// </param>
/// <param name="TapeGradientOverDuals">
/// Where <paramref name="TapeGradient"/> is written: the same body over AutoDiff.CompilerServices.Dual&lt;T&gt;, which
/// FHessian runs once per parameter (a method of scalars) or FHessianVectorProduct once (a method over spans); empty
/// where a callee has no Hessian.
/// </param>
/// <param name="TapeValueOverDuals">
/// Where <paramref name="TapeGradient"/> is written: its forward sweep alone over dual numbers, which FJvp runs once.
/// </param>
/// <param name="GradientSupplied">A method over spans whose derivative its author supplies under the name FGradient: no FGradient is emitted.</param>
/// <param name="SuppliedHessian">
/// The second [DerivativeOf] method of a method with a custom derivative, with the signature of its Hessian form (a
/// method of scalars) or its Hessian-vector product (a method over rows): that form is this method (or one checked call
/// of it), which callers' second derivatives go through; else null.
/// </param>
/// <param name="IsVoid">
/// A void helper whose results are its out and ref parameters and the spans it writes: differentiated where it is called
/// (its body translated into each caller's taped gradient). Its one form of its own is FVjp, where it has a differentiable
/// result: <paramref name="TapeGradient"/> is then the body of its sweeps, each result's adjoint seeded by the caller.
/// </param>
/// <param name="Narrowed">
/// A float method of scalars that keeps double locals (a double accumulator): lowered as a double method (<paramref name="IsDouble"/>),
/// its float parameters <see cref="ParameterModel.Converted"/>, its taped gradient computing in double; its forms return
/// float, their values narrowed once at the end.
/// </param>
internal sealed record MethodModel(
    string Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    string Accessibility,
    string Name,
    bool IsDouble,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<CalleeModel> Callees,
    EquatableArray<Node> Graph,
    EquatableArray<string> Names,
    int Output,
    int OverloadIndex,
    string? CustomDerivative = null,
    bool HasHessian = true,
    EquatableArray<string> TapeGradient = default,
    EquatableArray<string> TapeGradientOverDuals = default,
    EquatableArray<string> TapeValueOverDuals = default,
    bool GradientSupplied = false,
    bool IsVoid = false,
    string? SuppliedHessian = null,
    bool Narrowed = false)
{
    public string ElementType => IsDouble ? "double" : "float";

    /// <summary>
    /// The name of a private type the generator nests for this method: its name, the kind, then the overload's index
    /// from the second overload on (F's third overload: FKernel2). The kind stands between, so that F1's third
    /// overload (F1Kernel2) and F12 (F12Kernel) do not meet.
    /// </summary>
    /// <param name="kind">What the type is: Kernel, RowKernel.</param>
    public string NestedTypeName(string kind) =>
        Name + kind + (OverloadIndex > 0 ? OverloadIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>A method taking a scalar of the other floating type (<see cref="ParameterModel.Converted"/>): its scalar forms alone (no lanes hold both types).</summary>
    public bool IsMixed => Parameters.Any(p => p.Converted);

    /// <summary>True for a function of whole rows (it has span parameters): it gets row kernels, not elementwise ones.</summary>
    public bool IsRow => Parameters.Any(p => p.Shape != ParameterShape.Scalar);

    /// <summary>
    /// Its parameters are numbers, ints and bools, no spans: a taped one gets FHessian over its differentiable scalars
    /// (k runs of its gradient over dual numbers) besides its Hessian-vector product.
    /// </summary>
    public bool HasScalarsOnly => Parameters.All(p => p.Shape is ParameterShape.Scalar or ParameterShape.Index or ParameterShape.Integer or ParameterShape.Flag);

    /// <summary>A method over spans whose gradient is taped: it has that one-row gradient alone.</summary>
    public bool IsTapedRow => IsRow && TapeGradient.Count > 0;

    /// <summary>A method over spans (or with ints or bools) whose derivative its author supplies: its FGradient is that derivative.</summary>
    public bool IsSuppliedRow => IsTapedRow && (GradientSupplied || CustomDerivative != Name + "Gradient");

    /// <summary>Whether FJvp is emitted: for every method of scalars and every row the graph holds; for a taped row, where its body runs over dual numbers or through its supplied derivative.</summary>
    public bool HasJvp => !IsRow || !IsTapedRow || TapeValueOverDuals.Count > 0 || IsSuppliedRow;

    /// <summary>Whether FHessianVectorProduct exists: for a row, where its gradient runs over dual numbers (taped), its author supplies it, or the graph holds it and every method it calls has a Hessian.</summary>
    public bool HasHessianVectorProduct => IsRow && (IsTapedRow ? TapeGradientOverDuals.Count > 0 || SuppliedHessian is not null : Callees.All(c => c.HasHessian));
}

/// <summary>The method with its reverse passes: one gradient node per differentiable parameter for each seed.</summary>
/// <param name="Graph">The method's graph extended with the gradient nodes.</param>
/// <param name="Gradient">Seed 1: the scalar and lanes gradient, and the fused sum.</param>
/// <param name="ScaledGradient">Seed a uniform scale (1/N): the fused mean.</param>
/// <param name="BackwardGradient">Seed the per-element upstream gradient: the backward kernel.</param>
/// <param name="Scatters">In a row method: the gradient of each <c>a[k]</c> read, added at index k after the elementwise gradient is written.</param>
/// <param name="Tangent">Forward mode: Σ ∂F/∂xᵢ·tXᵢ over the <see cref="Op.Tangent"/> leaves (the Jvp form); −1 in a row method.</param>
/// <param name="Hessian">
/// ∂²F/∂xᵢ∂xⱼ for i ≤ j, row by row (the upper triangle of the Hessian form, mirrored when written); empty in a row
/// method.
/// </param>
/// <param name="HessianColumns">
/// Where the written-out <paramref name="Hessian"/> would be too long (empty then): ∂²F/∂xᵢ∂x·t for each i, the gradient's
/// tangent along a direction given by the <see cref="Op.Tangent"/> leaves; the Hessian form computes one column per call.
/// </param>
/// <param name="HessianVector">In a row method: the directional derivative along a direction span per differentiable span, as a row method, differentiated (its row gradient is ∇²F·v).</param>
internal sealed record KernelModel(
    MethodModel Method,
    EquatableArray<Node> Graph,
    EquatableArray<int> Gradient,
    EquatableArray<int> ScaledGradient,
    EquatableArray<int> BackwardGradient,
    EquatableArray<Scatter> Scatters = default,
    int Tangent = -1,
    EquatableArray<int> Hessian = default,
    KernelModel? HessianVector = null,
    EquatableArray<int> HessianColumns = default);

/// <summary>An adjoint that flows into one element of a span: <c>dSpan[index] += value</c>.</summary>
/// <param name="Parameter">The span parameter.</param>
/// <param name="Index">The node of the index (an int parameter or constant).</param>
/// <param name="Value">The node of the adjoint.</param>
internal sealed record Scatter(int Parameter, int Index, int Value);

/// <summary>One generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

namespace AutoDiff;

/// <summary>
/// Marks a static method of a <see langword="partial"/> type whose body is plain scalar C#
/// (<see cref="float"/> or <see cref="double"/>). At build time the AutoDiff generator adds, next to it,
/// its reverse-mode gradient (<c>NameGradient</c>), its <see cref="System.Numerics.Vector{T}"/> lanes,
/// span kernels (<c>Name</c>, <c>NameBackward</c>) and fused one-pass value-and-gradient reductions
/// (<c>NameSum</c>, <c>NameMean</c>).
/// </summary>
/// <remarks>
/// Every parameter is differentiable unless marked <see cref="NoDiffAttribute"/> (per-element data
/// such as a target) or <see cref="ConstantAttribute"/> (one scalar broadcast to every element, such
/// as a margin). See the README for the accepted language and the diagnostics.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute;

/// <summary>
/// A per-element input of a <see cref="DifferentiableAttribute"/> method that gets no gradient:
/// a target, a label, a mask. In span kernels it is a <see cref="ReadOnlySpan{T}"/> like the
/// differentiable inputs, but no <c>d</c>-span is written for it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDiffAttribute : Attribute;

/// <summary>
/// A scalar hyper-parameter of a <see cref="DifferentiableAttribute"/> method (Huber's δ, a margin):
/// one value broadcast to every element, never differentiated. In lanes and span kernels it stays a
/// scalar, and everything computed from constants alone is hoisted out of the loop.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ConstantAttribute : Attribute;

/// <summary>
/// Supplies the derivative of a <see cref="DifferentiableAttribute"/> method of the same type, in place of
/// differentiating its body (JAX's <c>custom_vjp</c>, Swift's <c>@derivative(of:)</c>): for a method that calls code
/// the generator cannot differentiate (a library function, a table, an iterative solver), or for a better formula.
/// </summary>
/// <remarks>
/// <para>
/// The marked method has the signature of the target's generated scalar gradient: the target's parameters, then one
/// <c>out</c> per differentiable parameter, returning the value. For
/// <c>[Differentiable] static double F(double x, [NoDiff] double t)</c>:
/// <code>
/// [DerivativeOf(nameof(F))]
/// static double FGradient(double x, double t, out double dX) { dX = …; return F(x, t); }
/// </code>
/// Named <c>FGradient</c> it is the gradient form; under another name the generator adds an <c>FGradient</c> that
/// calls it. Every [Differentiable] caller of F goes through it, and F's other forms are built from it: its lanes run
/// it lane by lane, its span kernels loop over those, and its <c>FJvp</c> is the gradient times the tangent. F gets no
/// <c>FHessian</c> (nor does a method that calls it), since only a first derivative is supplied. Only methods of
/// scalar parameters take a custom derivative.
/// </para>
/// <para>The test suite should check a hand-written derivative against finite differences, as it does the generated ones.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>Names the method whose derivative this is.</summary>
    /// <param name="method">The [Differentiable] method of the same type, <c>nameof(F)</c>.</param>
    public DerivativeOfAttribute(string method) => Method = method;

    /// <summary>The [Differentiable] method whose derivative this is.</summary>
    public string Method { get; }
}

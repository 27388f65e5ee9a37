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

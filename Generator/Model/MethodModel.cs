using System;

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

internal sealed record ParameterModel(string Name, ParameterRole Role);

/// <summary>A containing type declaration, outermost first: its keyword (<c>class</c>, <c>record struct</c> …) and name.</summary>
internal sealed record TypeDeclarationModel(string Keyword, string Name);

/// <summary>Another [Differentiable] method the body calls; the chain rule goes through its generated gradient.</summary>
internal sealed record CalleeModel(string ContainingType, string Name, EquatableArray<ParameterModel> Parameters);

/// <summary>
/// A [Differentiable] method lowered to an expression DAG: everything the later stages need, and
/// nothing from Roslyn (no ISymbol, SyntaxNode, Location or Compilation), so that it is structurally
/// equatable and the incremental cache holds across unrelated edits. Keep it immutable.
/// </summary>
/// <param name="Names">A name for each node that the source bound to a local (empty where none), parallel to <paramref name="Graph"/>.</param>
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
    int OverloadIndex)
{
    public string ElementType => IsDouble ? "double" : "float";
}

/// <summary>The method with its reverse passes: one gradient node per differentiable parameter for each seed.</summary>
/// <param name="Graph">The method's graph extended with the gradient nodes.</param>
/// <param name="Gradient">Seed 1: the scalar and lanes gradient, and the fused sum.</param>
/// <param name="ScaledGradient">Seed a uniform scale (1/N): the fused mean.</param>
/// <param name="BackwardGradient">Seed the per-element upstream gradient: the backward kernel.</param>
internal sealed record KernelModel(
    MethodModel Method,
    EquatableArray<Node> Graph,
    EquatableArray<int> Gradient,
    EquatableArray<int> ScaledGradient,
    EquatableArray<int> BackwardGradient);

/// <summary>One generated file.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

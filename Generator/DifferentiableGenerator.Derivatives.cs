using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    /// <summary>
    /// Custom derivatives: a method marked <c>[DerivativeOf(nameof(F))]</c> with the signature of F's scalar gradient
    /// supplies F's derivative; F's body is then not differentiated. The checks live here once: the attribute's own
    /// pipeline reports them at the attribute, and F's lowering uses a derivative only when they pass.
    /// </summary>
    internal static class CustomDerivatives
    {
        internal const string Attribute = "AutoDiff.DerivativeOfAttribute";

        /// <summary>The derivative supplied for <paramref name="target"/>, and whether its signature fits; null when none is.</summary>
        public static (IMethodSymbol Method, bool Valid)? Find(IMethodSymbol target) => Find(target, hessian: false);

        /// <summary>
        /// The Hessian supplied for <paramref name="target"/> (a second [DerivativeOf] method, with the signature of F's
        /// Hessian form), and whether its signature fits; null when none is.
        /// </summary>
        public static (IMethodSymbol Method, bool Valid)? FindHessian(IMethodSymbol target) => Find(target, hessian: true);

        private static (IMethodSymbol Method, bool Valid)? Find(IMethodSymbol target, bool hessian)
        {
            foreach (var member in target.ContainingType.GetMembers())
            {
                if (member is IMethodSymbol candidate && TargetName(candidate) == target.Name && IsHessian(candidate, target) == hessian &&
                    Resolve(candidate).Target is { } resolved && SymbolEqualityComparer.Default.Equals(resolved, target))
                {
                    return (candidate, Mismatch(candidate, target) is null);
                }
            }

            return null;
        }

        // A derivative shaped as F's second-order form. For a method of scalars its Hessian form: F's parameters, then
        // two spans of T (its gradient ends in out parameters instead). For a method over rows its Hessian-vector
        // product: F's parameters, a direction and a product per differentiable parameter (its gradient has one output
        // per differentiable parameter, so the counts differ).
        private static bool IsHessian(IMethodSymbol derivative, IMethodSymbol target)
        {
            if (OfScalars(target))
            {
                return derivative.Parameters.Length == target.Parameters.Length + 2 &&
                    derivative.Parameters.Last() is { RefKind: RefKind.None, Type: INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1 } };
            }

            int outputs = Outputs(target).Count();
            return outputs > 0 && derivative.Parameters.Length == target.Parameters.Length + (2 * outputs);
        }

        private static bool OfScalars(IMethodSymbol target) => target.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, target.ReturnType));

        // "Hessian" or "Hessian-vector product": the second-order form a method of this kind has.
        private static string SecondOrder(IMethodSymbol target) => OfScalars(target) ? "Hessian" : "Hessian-vector product";

        // The differentiable parameters that get an output: those of T and the rows of T (not ints or bools).
        private static IEnumerable<IParameterSymbol> Outputs(IMethodSymbol target) =>
            target.Parameters.Where(p => Parser.RoleOf(p) == ParameterRole.Differentiable && Kind(p, target.ReturnType) is { } kind && kind != "int" && kind != "bool");

        /// <summary>The diagnostics of one [DerivativeOf] attribute: a target that is missing or not [Differentiable], or a signature that does not fit.</summary>
        public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol derivative || context.Attributes.FirstOrDefault() is not { } attribute ||
                attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            var location = syntax.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? syntax.GetLocation();
            string name = TargetName(derivative) ?? string.Empty;
            var (target, problem) = Resolve(derivative);
            if (target is null)
            {
                return One(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeTarget, location, name, derivative.Name, problem!));
            }

            // A target taking a scalar of the other floating type is AD0006 at that parameter (its lowering says so): a
            // supplied derivative is written in one type.
            if (target.Parameters.Any(p => Parser.IsConverted(p, target)))
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            // One derivative and one second-order form per method: a second is an error at its attribute (the first one
            // found is used).
            bool hessian = IsHessian(derivative, target);
            if (Find(target, hessian) is { Method: var first } && !SymbolEqualityComparer.Default.Equals(first, derivative))
            {
                return One(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeTarget, location, name, derivative.Name,
                    $"'{target.Name}' already has its {(hessian ? SecondOrder(target) : "derivative")} in '{first.Name}'; remove one of them"));
            }

            // A second-order form supplied beside a body the generator differentiates would contradict it: the gradient first.
            if (hessian && Find(target, hessian: false) is null)
            {
                return One(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeTarget, location, name, derivative.Name,
                    $"a {SecondOrder(target)} is supplied without the gradient it differentiates: add [DerivativeOf(nameof({target.Name}))] {Expected(target, target.Name + "Gradient", hessian: false)}"));
            }

            if (Mismatch(derivative, target) is { } mismatch)
            {
                return One(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativeSignature, syntax.GetLocation(),
                    derivative.Name, target.Name, Expected(target, derivative.Name, hessian), mismatch));
            }

            return EquatableArray<DiagnosticInfo>.Empty;
        }

        // The [Differentiable] method of the derivative's type that the attribute names (the overload whose signature
        // fits, else the first), or why there is none.
        private static (IMethodSymbol? Target, string? Problem) Resolve(IMethodSymbol derivative)
        {
            var name = TargetName(derivative);
            if (string.IsNullOrEmpty(name))
            {
                return (null, "name the method with nameof(F)");
            }

            var candidates = derivative.ContainingType.GetMembers(name!).OfType<IMethodSymbol>().ToList();
            if (candidates.Count == 0)
            {
                return (null, $"'{derivative.ContainingType.Name}' has no method '{name}'; a derivative is declared in the type of the method it differentiates");
            }

            var marked = candidates.Where(c => Parser.HasAttribute(c, Parser.DifferentiableAttribute)).ToList();
            if (marked.Count == 0)
            {
                return (null, $"mark '{name}' [Differentiable]: the derivative replaces the differentiation of its body");
            }

            return (marked.FirstOrDefault(m => Mismatch(derivative, m) is null) ?? marked[0], null);
        }

        private static string? TargetName(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == Attribute)
                {
                    return attribute.ConstructorArguments.FirstOrDefault().Value as string;
                }
            }

            return null;
        }

        // Why the derivative's signature does not fit the target's gradient, or null. The gradient takes the target's
        // parameters (a row of T as a ReadOnlySpan<T>, an int, a bool), then per differentiable parameter an out T or,
        // for a row, a Span<T> for its gradient.
        private static string? Mismatch(IMethodSymbol derivative, IMethodSymbol target)
        {
            var type = target.ReturnType;
            var expected = Parameters(target, IsHessian(derivative, target));
            if (expected is null)
            {
                var other = target.Parameters.First(p => Kind(p, type) is null);
                return $"only methods of {type.ToDisplayString()} scalars, rows of them, ints and bools take a custom derivative ('{other.Name}' is {other.Type.ToDisplayString()})";
            }

            if (!derivative.IsStatic)
            {
                return "it is not static";
            }

            if (derivative.IsGenericMethod)
            {
                return "it is generic";
            }

            if (!SymbolEqualityComparer.Default.Equals(derivative.ReturnType, type))
            {
                return $"it returns {derivative.ReturnType.ToDisplayString()}";
            }

            if (derivative.Parameters.Length != expected.Count)
            {
                return $"it has {derivative.Parameters.Length} parameters, not {expected.Count}";
            }

            for (int i = 0; i < expected.Count; i++)
            {
                var p = derivative.Parameters[i];
                if (Describe(p) != expected[i].Type)
                {
                    return $"parameter {i + 1}, '{p.Name}', is {Describe(p)}";
                }
            }

            return null;
        }

        // What a parameter of the target is: "T", "ReadOnlySpan<T>" (a row, as a span or an array), "int", "bool"; null for anything else.
        private static string? Kind(IParameterSymbol p, ITypeSymbol type) => p.Type switch
        {
            _ when SymbolEqualityComparer.Default.Equals(p.Type, type) => type.ToDisplayString(),
            { SpecialType: SpecialType.System_Int32 } => "int",
            { SpecialType: SpecialType.System_Boolean } => "bool",
            IArrayTypeSymbol { Rank: 1 } array when SymbolEqualityComparer.Default.Equals(array.ElementType, type) => $"System.ReadOnlySpan<{type.ToDisplayString()}>",
            INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span when SymbolEqualityComparer.Default.Equals(span.TypeArguments[0], type) =>
                $"System.ReadOnlySpan<{type.ToDisplayString()}>",
            _ => null,
        };

        // The derivative's parameters, types as Describe writes them, with names for the expected signature; null where
        // the target has a parameter of another kind.
        private static List<(string Type, string Name)>? Parameters(IMethodSymbol target, bool hessian)
        {
            var type = target.ReturnType;
            var inputs = target.Parameters.Select(p => (Type: Kind(p, type), p.Name)).ToList();
            if (inputs.Any(p => p.Type is null))
            {
                return null;
            }

            // F's Hessian form: its parameters, then the gradient and the row-major Hessian over the differentiable ones.
            string t = type.ToDisplayString(), span = $"System.Span<{t}>";
            if (hessian && OfScalars(target))
            {
                return inputs.Select(p => (p.Type!, p.Name)).Append((span, "gradient")).Append((span, "hessian")).ToList();
            }

            bool IsScalar(IParameterSymbol p) => Kind(p, type) == t;
            var outputs = Outputs(target).Select(p => (Type: IsScalar(p) ? "out " + t : span, Name: "d" + Emit.NameScope.Pascal(p.Name)));
            if (hessian)
            {
                // F's Hessian-vector product: its parameters, a direction per differentiable one, then the product's rows.
                var directions = Outputs(target).Select(p => (Type: IsScalar(p) ? t : $"System.ReadOnlySpan<{t}>", Name: "v" + Emit.NameScope.Pascal(p.Name)));
                outputs = Outputs(target).Select(p => (Type: IsScalar(p) ? "out " + t : span, Name: "hv" + Emit.NameScope.Pascal(p.Name)));
                return inputs.Select(p => (p.Type!, p.Name)).Concat(directions).Concat(outputs).ToList();
            }

            return inputs.Select(p => (p.Type!, p.Name)).Concat(outputs).ToList();
        }

        private static string Describe(IParameterSymbol p) => p.RefKind switch
        {
            RefKind.Out => "out " + p.Type.ToDisplayString(),
            RefKind.Ref => "ref " + p.Type.ToDisplayString(),
            RefKind.In => "in " + p.Type.ToDisplayString(),
            _ => p.Type.ToDisplayString(),
        };

        // "static double FGradient(double x, double t, out double dX)" (or "static double FHessian(double x, double t,
        // System.Span<double> gradient, System.Span<double> hessian)"): the signature the derivative must have.
        private static string Expected(IMethodSymbol target, string name, bool hessian)
        {
            var t = target.ReturnType.ToDisplayString();
            var parameters = Parameters(target, hessian)?.Select(p => $"{p.Type} {p.Name}") ?? Enumerable.Empty<string>();
            return $"static {t} {name}({string.Join(", ", parameters)})";
        }

        private static EquatableArray<DiagnosticInfo> One(DiagnosticInfo info) => new(new[] { info });
    }
}

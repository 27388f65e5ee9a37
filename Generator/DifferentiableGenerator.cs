using System;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

/// <summary>
/// Compile-time reverse-mode automatic differentiation: for every <c>[Differentiable]</c> method, emits
/// its gradient, Vector&lt;T&gt; lanes and fused span kernels. The pipeline is four stages, one file each:
/// discover (here), lower (<c>.Parser.cs</c>), differentiate (<c>.Differentiator.cs</c>), emit
/// (<c>.Emitter.cs</c>). Models between stages are equatable records, so an edit elsewhere costs nothing.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>The names of the tracked pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Syntax + semantics lowered to a <c>MethodModel</c> and its diagnostics.</summary>
        public const string Lower = nameof(Lower);

        /// <summary>The diagnostics of each method.</summary>
        public const string Diagnostics = nameof(Diagnostics);

        /// <summary>The reverse passes.</summary>
        public const string Differentiate = nameof(Differentiate);

        /// <summary>The emitted source.</summary>
        public const string Emit = nameof(Emit);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                Parser.Parse)
            .WithTrackingName(TrackingNames.Lower);

        // A build without analyzers (RunAnalyzers or RunAnalyzersDuringBuild false; the package makes both visible)
        // would otherwise skip a method with a bad signature in silence: then the generator reports its diagnostics.
        var analyzersOff = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            IsFalse(options.GlobalOptions, "build_property.RunAnalyzers") || IsFalse(options.GlobalOptions, "build_property.RunAnalyzersDuringBuild"));

        var diagnostics = lowered
            .Combine(analyzersOff)
            .Select(static (pair, _) => pair.Left.SignatureErrors && !pair.Right ? EquatableArray<DiagnosticInfo>.Empty : pair.Left.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        // A [DerivativeOf] attribute's target and signature are checked at the attribute.
        var derivatives = context.SyntaxProvider
            .ForAttributeWithMetadataName(CustomDerivatives.Attribute, static (node, _) => node is MethodDeclarationSyntax, CustomDerivatives.Check)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(derivatives, static (spc, list) =>
        {
            foreach (var diagnostic in list)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var kernels = lowered
            .Where(static result => result.Value is { IsVoid: false } or { TapeGradient.Count: > 0 }) // a void helper is written into its callers; FVjp where it has results
            .Select(static (result, _) => Guarded(result.Value!, Differentiator.Differentiate))
            .WithTrackingName(TrackingNames.Differentiate);

        var sources = kernels
            .Select(static (result, _) => result.Value is { } kernel ? Guarded(kernel, Emitter.Emit) : new Result<GeneratedSource>(null, result.Diagnostics))
            .WithTrackingName(TrackingNames.Emit);

        context.RegisterSourceOutput(sources, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (result.Value is { } source)
            {
                try
                {
                    spc.AddSource(source.HintName, source.Text);
                }
                catch (ArgumentException e)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, source.HintName, e.Message));
                }
            }
        });
    }

    private static bool IsFalse(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    // The generator never throws: a failure in a later stage becomes AD0000 on the method.
    private static Result<TOut> Guarded<TIn, TOut>(TIn input, Func<TIn, TOut> stage)
        where TIn : class
        where TOut : class
    {
        try
        {
            return new Result<TOut>(stage(input), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e)
        {
            string name = input is MethodModel m ? m.Name : input is KernelModel k ? k.Method.Name : "?";
            var info = new DiagnosticInfo("AD0000", new[] { name, e.GetType().Name + ": " + e.Message }.ToEquatableArray(), string.Empty, 0, 0, 0, 0, 0, 0);
            return new Result<TOut>(null, new EquatableArray<DiagnosticInfo>(new[] { info }));
        }
    }
}

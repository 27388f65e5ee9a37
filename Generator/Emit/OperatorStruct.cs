using System.Linq;
using AutoDiff.Generator.Model;

namespace AutoDiff.Generator.Emit;

/// <summary>
/// The bridge to generic runtime code (DESIGN.md, "The bridge"): for a method of a known shape, a struct
/// <c>{Name}Operator</c> implementing <c>IActivation&lt;T&gt;</c>, <c>ILoss&lt;T&gt;</c> or
/// <c>IClassificationLoss&lt;T&gt;</c> by calling the generated kernels, with the method's [Constant]
/// parameters as fields. Generic code over <c>TOp : struct, IActivation&lt;T&gt;</c> is specialised by the JIT.
/// </summary>
internal static class OperatorStruct
{
    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"AutoDiff.Generator\", \"1.0.0\")]";

    public static void Emit(MethodModel method, CodeWriter w)
    {
        var constants = method.Parameters.Where(p => p.Role == ParameterRole.Constant && p.Shape == ParameterShape.Scalar).ToArray();
        var others = method.Parameters.Where(p => !constants.Contains(p)).ToArray();
        string t = method.ElementType;
        string ros = $"global::System.ReadOnlySpan<{t}>";
        string span = $"global::System.Span<{t}>";
        bool Is(int i, ParameterRole role, ParameterShape shape) => others[i].Role == role && others[i].Shape == shape;
        string? kind =
            others.Length == 1 && Is(0, ParameterRole.Differentiable, ParameterShape.Scalar) ? "IActivation" :
            others.Length == 2 && Is(0, ParameterRole.NoDiff, ParameterShape.Scalar) && Is(1, ParameterRole.Differentiable, ParameterShape.Scalar) ? "ILoss" :
            others.Length == 2 && Is(0, ParameterRole.Differentiable, ParameterShape.Span) && others[1].Shape == ParameterShape.Index ? "IClassificationLoss" :
            null;
        if (kind is null || constants.Any(c => NameScope.Pascal(c.Name) is "Value" or "Forward" or "Backward" or "Mean" or "Sum"))
        {
            return;
        }

        // The method's arguments, with its [Constant] parameters read from the struct's fields.
        string Args(params string[] inOrder)
        {
            int k = 0;
            return string.Join(", ", method.Parameters.Select(p => p.Role == ParameterRole.Constant && p.Shape == ParameterShape.Scalar ? $"this.{NameScope.Pascal(p.Name)}" : inOrder[k++]));
        }

        string name = method.Name + "Operator";
        string owner = method.Name;
        w.Line($"/// <summary>{Summary(kind, method)}</summary>");
        w.Line(GeneratedCode);
        using (w.Block($"{method.Accessibility} readonly struct {name} : global::AutoDiff.{kind}<{t}>"))
        {
            if (constants.Length > 0)
            {
                foreach (var c in constants)
                {
                    w.Line($"/// <summary>The [Constant] parameter <c>{c.Name}</c> of {owner}.</summary>");
                    w.Line($"public {t} {NameScope.Pascal(c.Name)} {{ get; }}");
                    w.Line();
                }

                w.Line($"/// <summary>The operator with the given [Constant] parameters.</summary>");
                foreach (var c in constants)
                {
                    w.Line($"/// <param name=\"{c.Name.TrimStart('@')}\">The [Constant] parameter <c>{c.Name}</c> of {owner}.</param>");
                }

                using (w.Block($"public {name}({string.Join(", ", constants.Select(c => $"{t} {c.Name}"))})"))
                {
                    foreach (var c in constants)
                    {
                        w.Line($"{NameScope.Pascal(c.Name)} = {c.Name};");
                    }
                }

                w.Line();
            }

            switch (kind)
            {
                case "IActivation":
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public {t} Value({t} x) => {owner}({Args(method.Parameters.Any(p => p.ByReference) ? "ref x" : "x")});"); // x is a copy
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public void Forward({ros} x, {span} destination) => {owner}({Args("x")}, destination);");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public void Backward({ros} x, {ros} upstream, {span} dX) => {owner}Backward({Args("x")}, upstream, dX);");
                    break;
                case "ILoss":
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public {t} Mean({ros} target, {ros} prediction, {span} dPrediction) => {owner}Mean({Args("target", "prediction")}, dPrediction);");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public {t} Sum({ros} target, {ros} prediction, {span} dPrediction) => {owner}Sum({Args("target", "prediction")}, dPrediction);");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public void Forward({ros} target, {ros} prediction, {span} destination) => {owner}({Args("target", "prediction")}, destination);");
                    break;
                default:
                    const string labels = "global::System.ReadOnlySpan<int> labels";
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public {t} Mean(int rows, {ros} scores, {labels}, {span} dScores) => {owner}Mean(rows, {Args("scores", "labels")}, dScores);");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public {t} Sum(int rows, {ros} scores, {labels}, {span} dScores) => {owner}Sum(rows, {Args("scores", "labels")}, dScores);");
                    w.Line();
                    w.Line("/// <inheritdoc/>");
                    w.Line($"public void Forward(int rows, {ros} scores, {labels}, {span} destination) => {owner}(rows, {Args("scores", "labels")}, destination);");
                    break;
            }
        }

        w.Line();
    }

    private static string Summary(string kind, MethodModel method) => kind switch
    {
        "IActivation" => $"<see cref=\"{method.Name}({method.ElementType}{string.Concat(method.Parameters.Skip(1).Select(_ => ", " + method.ElementType))})\"/> as an activation operator for generic layers.",
        "ILoss" => $"The elementwise loss {method.Name} as an operator for generic trainers.",
        _ => $"The row loss {method.Name} of scores and a class index, as an operator for generic trainers.",
    };
}

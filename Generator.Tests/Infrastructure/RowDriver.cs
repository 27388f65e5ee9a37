using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>
/// Calls every generated form of one [Differentiable] method over spans. <c>x[p]</c> is parameter p:
/// a span's elements; a scalar or index in <c>x[p][0]</c> (an index as a whole number). In the batched
/// forms a span is a rows × columns matrix and a per-row scalar or index has one entry per row.
/// </summary>
public interface IRowDriver<T>
    where T : struct
{
    string Name { get; }

    /// <summary>"span", "nodiff-span", "nodiff", "const" or "index" for each parameter.</summary>
    string[] Kinds { get; }

    /// <summary>The method itself: the runtime's reference reductions, not generated code.</summary>
    T Value(T[][] x);

    T Gradient(T[][] x, T[][] d);

    /// <summary>Whether the Hessian-vector product form exists (not for a method that calls another).</summary>
    bool HasHessianVector { get; }

    /// <summary>The Hessian-vector product: Σ ∂F/∂x·v returned, ∇²F·v written to <paramref name="hv"/>; one direction and one output per differentiable span.</summary>
    T HessianVector(T[][] x, T[][] v, T[][] hv);

    /// <summary>The forward-mode form: F and Σ ∂F/∂x·t; one direction per differentiable span.</summary>
    T Jvp(T[][] x, T[][] t, out T tangent);

    void Forward(int rows, T[][] x, T[] destination);

    void Backward(int rows, T[][] x, T[] upstream, T[][] d);

    T Sum(int rows, T[][] x, T[][] d);

    T Mean(int rows, T[][] x, T[][] d);
}

/// <summary>Compiles the row kernels with the generator, and a driver for each.</summary>
public static class RowDrivers
{
    public static string[] Sources(bool asDouble) =>
        Directory.GetFiles(Path.Combine(TestPaths.Project, "RowKernels"), "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(s => asDouble ? KernelDrivers.ToDouble(s) : s)
            .ToArray();

    public static IReadOnlyList<IRowDriver<T>> Build<T>(params string[] sources)
        where T : struct => KernelDrivers.Build<IRowDriver<T>>(sources, DriverSource<T>, "RowDrivers.cs", d => d.Name).Drivers;

    private static string DriverSource<T>(CSharpCompilation compilation)
    {
        string t = typeof(T) == typeof(double) ? "double" : "float";
        var text = new StringBuilder();
        text.AppendLine("namespace RowDrivers;");
        int index = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not IMethodSymbol method ||
                    !method.GetAttributes().Any(a => a.AttributeClass?.Name == "DifferentiableAttribute") ||
                    !method.Parameters.Any(p => p.Type.Name == "ReadOnlySpan"))
                {
                    continue; // elementwise: see KernelDriver
                }

                bool Has(IParameterSymbol p, string name) => p.GetAttributes().Any(a => a.AttributeClass?.Name == name);
                var kinds = method.Parameters.Select(p =>
                    p.Type.SpecialType == SpecialType.System_Int32 ? "index" :
                    p.Type.Name == "ReadOnlySpan" ? (Has(p, "NoDiffAttribute") ? "nodiff-span" : "span") :
                    Has(p, "ConstantAttribute") ? "const" : "nodiff").ToArray();
                string call = $"{method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{method.Name}";
                var diffs = Enumerable.Range(0, kinds.Length).Where(p => kinds[p] == "span").ToArray();
                string Row() => string.Join(", ", kinds.Select((k, p) => k switch
                {
                    "span" or "nodiff-span" => $"x[{p}]",
                    "index" => $"(int)x[{p}][0]",
                    _ => $"x[{p}][0]",
                }));
                string Batch() => string.Join(", ", kinds.Select((k, p) => k switch
                {
                    "index" => $"Ints(x[{p}])",
                    "const" => $"x[{p}][0]",
                    _ => $"x[{p}]",
                }));
                string Outs(string name = "d") => string.Join("", diffs.Select((_, k) => $", {name}[{k}]"));
                bool hasHessianVector = !method.ContainingType.GetMembers(method.Name + "HessianVectorProduct").IsEmpty;

                text.AppendLine($$"""
                    public sealed class Driver{{index++}} : global::AutoDiff.Generator.Tests.Infrastructure.IRowDriver<{{t}}>
                    {
                        public string Name => "{{method.ContainingType.Name}}.{{method.Name}}({{string.Join(", ", kinds)}})";
                        public string[] Kinds => new[] { {{string.Join(", ", kinds.Select(r => $"\"{r}\""))}} };
                        public {{t}} Value({{t}}[][] x) => {{call}}({{Row()}});
                        public {{t}} Gradient({{t}}[][] x, {{t}}[][] d) => {{call}}Gradient({{Row()}}{{Outs()}});
                        public bool HasHessianVector => {{(hasHessianVector ? "true" : "false")}};
                        public {{t}} HessianVector({{t}}[][] x, {{t}}[][] v, {{t}}[][] hv) => {{(hasHessianVector ? $"{call}HessianVectorProduct({Row()}{Outs("v")}{Outs("hv")})" : "throw new global::System.NotSupportedException()")}};
                        public {{t}} Jvp({{t}}[][] x, {{t}}[][] t, out {{t}} tangent) => {{(hasHessianVector ? $"{call}Jvp({Row()}{Outs("t")}, out tangent)" : "throw new global::System.NotSupportedException()")}};
                        public void Forward(int rows, {{t}}[][] x, {{t}}[] destination) => {{call}}(rows, {{Batch()}}, destination);
                        public void Backward(int rows, {{t}}[][] x, {{t}}[] upstream, {{t}}[][] d) => {{call}}Backward(rows, {{Batch()}}, upstream{{Outs()}});
                        public {{t}} Sum(int rows, {{t}}[][] x, {{t}}[][] d) => {{call}}Sum(rows, {{Batch()}}{{Outs()}});
                        public {{t}} Mean(int rows, {{t}}[][] x, {{t}}[][] d) => {{call}}Mean(rows, {{Batch()}}{{Outs()}});
                        private static int[] Ints({{t}}[] x) => global::System.Array.ConvertAll(x, v => (int)v);
                    }
                    """);
            }
        }

        return text.ToString();
    }
}

using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>
/// Calls every generated form of one [Differentiable] method with arrays. Span parameters cannot go
/// through reflection, so <see cref="KernelDrivers"/> compiles an implementation of this interface next
/// to the kernels. In every call, <c>x[p]</c> is parameter p: one value for the scalar forms, one per
/// lane or element otherwise; a [Constant] parameter reads <c>x[p][0]</c> in the vector and span forms.
/// </summary>
public interface IKernelDriver<T>
    where T : struct
{
    string Name { get; }

    /// <summary>"diff", "nodiff" or "const" for each parameter.</summary>
    string[] Roles { get; }

    /// <summary>Where the kernel is defined and smooth enough to sample: [Low, High] for every parameter.</summary>
    (double Low, double High) Domain { get; }

    T Value(T[] x);

    T Gradient(T[] x, T[] d);

    /// <summary>The forward-mode form: F and Σ ∂F/∂xᵢ·tᵢ over the differentiable parameters (<paramref name="t"/> has one per).</summary>
    T Jvp(T[] x, T[] t, out T tangent);

    /// <summary>Whether the Hessian form exists (not for a method with a custom derivative, or one that calls such a method).</summary>
    bool HasHessian { get; }

    /// <summary>The Hessian form: F, its gradient and its k × k Hessian, row-major.</summary>
    T Hessian(T[] x, T[] gradient, T[] hessian);

    /// <summary>The Hessian form on lanes: F, its gradient and the upper triangle of its Hessian, row by row, in every lane.</summary>
    Vector<T> LanesHessian(Vector<T>[] x, Vector<T>[] gradient, Vector<T>[] upper);

    Vector<T> Lanes(Vector<T>[] x);

    Vector<T> LanesGradient(Vector<T>[] x, Vector<T>[] d);

    void Forward(T[][] x, T[] destination);

    void Backward(T[][] x, T[] upstream, T[][] d);

    T Sum(T[][] x, T[][] d);

    T Mean(T[][] x, T[][] d);
}

/// <summary>Compiles a folder of kernels with the generator, and a driver for each kernel.</summary>
public static class KernelDrivers
{
    /// <summary>The kernels under Kernels/, as written (float), or turned into double.</summary>
    public static string[] Sources(bool asDouble) =>
        Directory.GetFiles(TestPaths.Kernels, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(s => asDouble ? ToDouble(s) : s)
            .ToArray();

    /// <summary>float → double, MathF → Math, 0.5f → 0.5: the same kernels in double precision.</summary>
    public static string ToDouble(string source)
    {
        source = Regex.Replace(source, @"\bfloat\b", "double");
        source = Regex.Replace(source, @"\bMathF\b", "Math");
        return Regex.Replace(source, @"(\b\d+(\.\d+)?([eE][+-]?\d+)?)f\b", "$1");
    }

    public static (IReadOnlyList<IKernelDriver<T>> Drivers, GeneratorRun Run) Build<T>(params string[] sources)
        where T : struct => Build<IKernelDriver<T>>(sources, DriverSource<T>, "Drivers.cs", d => d.Name);

    /// <summary>
    /// Runs the generator over the sources (failing on any diagnostic of ours), adds the drivers that
    /// <paramref name="driverSource"/> writes for the compilation, and instantiates every type implementing
    /// <typeparamref name="TDriver"/>, ordered by <paramref name="name"/>.
    /// </summary>
    internal static (IReadOnlyList<TDriver> Drivers, GeneratorRun Run) Build<TDriver>(string[] sources, Func<CSharpCompilation, string> driverSource, string path,
        Func<TDriver, string> name)
        where TDriver : class
    {
        var first = GeneratorHarness.Run(sources);
        var failed = first.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException("The kernels have diagnostics:\n" + string.Join("\n", failed));
        }

        // The drivers are written against the first run's output, so they can see which forms were generated.
        var compilation = first.Input.AddSyntaxTrees(CSharpSyntaxTree.ParseText(driverSource((CSharpCompilation)first.Output), (CSharpParseOptions)first.Input.SyntaxTrees.First().Options, path: path))
            .AddReferences(MetadataReference.CreateFromFile(typeof(TDriver).Assembly.Location));
        var run = GeneratorHarness.Run(compilation);
        var drivers = run.Load().GetTypes()
            .Where(t => typeof(TDriver).IsAssignableFrom(t))
            .Select(t => (TDriver)Activator.CreateInstance(t)!)
            .OrderBy(name, StringComparer.Ordinal)
            .ToList();
        return (drivers, run);
    }

    private static string DriverSource<T>(CSharpCompilation compilation)
    {
        string t = typeof(T) == typeof(double) ? "double" : "float";
        string vt = $"global::System.Numerics.Vector<{t}>";
        var text = new StringBuilder();
        text.AppendLine("namespace Drivers;");
        int index = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not IMethodSymbol method ||
                    !method.GetAttributes().Any(a => a.AttributeClass?.Name == "DifferentiableAttribute") ||
                    method.Parameters.Any(p => p.Type.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double)))
                {
                    continue; // not elementwise: a method over spans has its own driver (RowDriver)
                }

                var roles = method.Parameters.Select(p =>
                    p.GetAttributes().Any(a => a.AttributeClass?.Name == "ConstantAttribute") ? "const" :
                    p.GetAttributes().Any(a => a.AttributeClass?.Name == "NoDiffAttribute") ? "nodiff" : "diff").ToArray();
                var domain = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "DomainAttribute");
                double low = domain is null ? -3 : Convert.ToDouble(domain.ConstructorArguments[0].Value);
                double high = domain is null ? 3 : Convert.ToDouble(domain.ConstructorArguments[1].Value);
                string type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                string call = $"{type}.{method.Name}";
                var diffs = Enumerable.Range(0, roles.Length).Where(p => roles[p] == "diff").ToArray();
                bool hasHessian = !method.ContainingType.GetMembers(method.Name + "Hessian").IsEmpty;

                string Args(Func<int, string> arg) => string.Join(", ", Enumerable.Range(0, roles.Length).Select(arg));
                string Outs(string prefix, string open, string close) => string.Join("", diffs.Select((_, k) => $", {prefix}{open}{k}{close}"));
                string Scalars(string from) => Args(p => $"{from}[{p}]");
                string Vectors() => Args(p => roles[p] == "const" ? $"x[{p}][0]" : $"x[{p}]");
                string Spans() => Args(p => roles[p] == "const" ? $"x[{p}][0]" : $"x[{p}]");

                text.AppendLine($$"""
                    public sealed class Driver{{index++}} : global::AutoDiff.Generator.Tests.Infrastructure.IKernelDriver<{{t}}>
                    {
                        public string Name => "{{method.ContainingType.Name}}.{{method.Name}}";
                        public string[] Roles => new[] { {{string.Join(", ", roles.Select(r => $"\"{r}\""))}} };
                        public (double Low, double High) Domain => ({{low.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, {{high.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}});
                        public {{t}} Value({{t}}[] x) { var c = ({{t}}[])x.Clone(); return {{call}}({{Args(p => (method.Parameters[p].RefKind == RefKind.Ref ? "ref " : "") + $"c[{p}]")}}); } // a copy: a ref parameter may be written
                        public {{t}} Gradient({{t}}[] x, {{t}}[] d) => {{call}}Gradient({{Scalars("x")}}{{Outs("out d", "[", "]")}});
                        public {{t}} Jvp({{t}}[] x, {{t}}[] t, out {{t}} tangent) => {{call}}Jvp({{Scalars("x")}}{{Outs("t", "[", "]")}}, out tangent);
                        public bool HasHessian => {{(hasHessian ? "true" : "false")}};
                        public {{t}} Hessian({{t}}[] x, {{t}}[] gradient, {{t}}[] hessian) => {{(hasHessian ? $"{call}Hessian({Scalars("x")}, gradient, hessian)" : "throw new global::System.NotSupportedException()")}};
                        public {{vt}} LanesHessian({{vt}}[] x, {{vt}}[] gradient, {{vt}}[] upper) => {{(hasHessian ? $"{call}Hessian({Vectors()}{Outs("out gradient", "[", "]")}{string.Concat(Enumerable.Range(0, diffs.Length * (diffs.Length + 1) / 2).Select(e => $", out upper[{e}]"))})" : "throw new global::System.NotSupportedException()")}};
                        public {{vt}} Lanes({{vt}}[] x) => {{call}}({{Args(p => roles[p] == "const" ? $"x[{p}][0]" : $"x[{p}]")}});
                        public {{vt}} LanesGradient({{vt}}[] x, {{vt}}[] d) => {{call}}Gradient({{Vectors()}}{{Outs("out d", "[", "]")}});
                        public void Forward({{t}}[][] x, {{t}}[] destination) => {{call}}({{Spans()}}, destination);
                        public void Backward({{t}}[][] x, {{t}}[] upstream, {{t}}[][] d) => {{call}}Backward({{Spans()}}, upstream{{Outs("d", "[", "]")}});
                        public {{t}} Sum({{t}}[][] x, {{t}}[][] d) => {{call}}Sum({{Spans()}}{{Outs("d", "[", "]")}});
                        public {{t}} Mean({{t}}[][] x, {{t}}[][] d) => {{call}}Mean({{Spans()}}{{Outs("d", "[", "]")}});
                    }
                    """);
            }
        }

        return text.ToString();
    }
}

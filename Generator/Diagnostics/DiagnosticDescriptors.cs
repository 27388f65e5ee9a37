using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Each message says what is wrong and what to write instead.
/// The README's diagnostics table and <c>AnalyzerReleases.Unshipped.md</c> list the same ids.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoDiff";

    /// <summary>AD0000: "The AutoDiff generator failed on '{0}': {1}. Please report this; the method was skipped."</summary>
    public static readonly DiagnosticDescriptor InternalError = Error(
        "AD0000", "AutoDiff generator failure",
        "The AutoDiff generator failed on '{0}': {1}. Please report this; the method was skipped.");

    /// <summary>
    /// AD0001, retired: the graph's reason to try the tape ("This 'while' loop has a condition on the data …", "The int
    /// local 'n' has a value that depends on the data …"), reported only were the taped gradient to fail without a
    /// diagnostic of its own.
    /// </summary>
    public static readonly DiagnosticDescriptor LoopNotSupported = Error(
        "AD0001", "A loop cannot be differentiated",
        "{0} has {1}: a [Differentiable] method unrolls a loop whose trip count is known while compiling and writes the gradient of any other statement by statement with a tape, which failed here without saying why; please report this");

    /// <summary>AD0002: "Parameter '{0}' is assigned …"</summary>
    public static readonly DiagnosticDescriptor ParameterAssigned = Error(
        "AD0002", "A span or index parameter is assigned",
        "Parameter '{0}' is a span or an index and is assigned: scalar parameters may be assigned, spans and indices not; introduce a local instead (var {0}2 = …;)");

    /// <summary>AD0003: "Parameter '{0}' is passed by '{1}' …"</summary>
    public static readonly DiagnosticDescriptor ParameterByReference = Error(
        "AD0003", "A parameter is not passed by value",
        "Parameter '{0}' is declared '{1}': [Differentiable] methods take their inputs by value (a float or double may also be 'in' or 'ref readonly'); remove '{1}'");

    /// <summary>AD0004: "'{0}' must be static …"</summary>
    public static readonly DiagnosticDescriptor MethodNotStatic = Error(
        "AD0004", "A [Differentiable] method must be static",
        "[Differentiable] method '{0}' must be static: declare it 'static' and pass what it reads from the instance as parameters");

    /// <summary>AD0005: "Type '{0}' must be partial …"</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Error(
        "AD0005", "The containing type must be partial",
        "Type '{0}' contains the [Differentiable] method '{1}' and must be declared 'partial' so the generated gradient can be added to it");

    /// <summary>AD0006: "This expression is '{0}' in a '{1}' method …"</summary>
    public static readonly DiagnosticDescriptor MixedPrecision = Error(
        "AD0006", "float and double are mixed",
        "This is '{0}' in a [Differentiable] method of '{1}': use one type throughout ({2})");

    /// <summary>AD0007: "'{0}' has type '{1}' …"</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Error(
        "AD0007", "Parameter or return type is not float or double",
        "'{0}' has type '{1}': a [Differentiable] method returns float or double and takes numbers of that type, rows of it (ReadOnlySpan, Span or array), int indices into those rows (one or a span of them), and integers (int, long, short, char …) and bools as counts and switches");

    /// <summary>AD0008: "'{0}' is neither a known function nor [Differentiable] …"</summary>
    public static readonly DiagnosticDescriptor UnknownMethod = Error(
        "AD0008", "A called method is not differentiable",
        "'{0}' is neither a known function nor [Differentiable]: {1}");

    /// <summary>AD0009: "'{0}' is not differentiable …"</summary>
    public static readonly DiagnosticDescriptor NotDifferentiable = Error(
        "AD0009", "A non-differentiable function of a differentiable value",
        "'{0}' has no useful derivative, and its argument depends on the differentiable parameter '{1}': mark '{1}' [NoDiff] if it needs no gradient, or use a smooth function instead (to wrap a value into a period, x % p or Math.IEEERemainder(x, p), whose derivative in x is 1)");

    /// <summary>AD0021: "'{0}' is [Differentiable] but the generator rejected it …"</summary>
    public static readonly DiagnosticDescriptor CalleeRejected = Error(
        "AD0021", "A called [Differentiable] method has errors",
        "'{0}' is [Differentiable] but the generator rejected it (its own errors say why), so it has no gradient to call: fix '{0}' first");

    /// <summary>AD0010: "'{0}' calls itself …"</summary>
    public static readonly DiagnosticDescriptor Recursion = Error(
        "AD0010", "Recursion is not supported",
        "'{0}' calls itself{1}: the generator differentiates straight-line code; unroll the recursion by hand");

    /// <summary>AD0011: "{0} is not supported in a [Differentiable] method …"</summary>
    public static readonly DiagnosticDescriptor UnsupportedSyntax = Error(
        "AD0011", "Unsupported construct",
        "{0} is not supported in a [Differentiable] method: {1}");

    /// <summary>AD0012: "'{0}' cannot be read …"</summary>
    public static readonly DiagnosticDescriptor UnsupportedSymbol = Error(
        "AD0012", "Only parameters, locals, constants and static members can be read",
        "'{0}' cannot be read in a [Differentiable] method: read parameters, locals, constants and static fields and properties (an instance member is not a value the generated code can reach; copy it into a static field, or pass it as a [Constant] parameter)");

    /// <summary>AD0013: "Argument for [Constant] parameter '{0}' varies per element …"</summary>
    public static readonly DiagnosticDescriptor ConstantArgumentVaries = Error(
        "AD0013", "A [Constant] argument varies per element",
        "The argument for [Constant] parameter '{0}' of '{1}' depends on per-element data: pass an expression of [Constant] parameters and literals only");

    /// <summary>AD0014: "Generic … not supported"</summary>
    public static readonly DiagnosticDescriptor GenericNotSupported = Error(
        "AD0014", "Generic methods and types are not supported",
        "'{0}' is generic: [Differentiable] methods must be non-generic members of non-generic types; write a float and a double overload");

    /// <summary>AD0015: "'{0}' has no per-element parameter …"</summary>
    public static readonly DiagnosticDescriptor NoElementParameter = Error(
        "AD0015", "No per-element parameter",
        "'{0}' has no parameter that varies per element: at least one parameter must be differentiable or [NoDiff] (not [Constant])");

    /// <summary>AD0016: "Parameter '{0}' is both [NoDiff] and [Constant] …"</summary>
    public static readonly DiagnosticDescriptor ConflictingRoles = Error(
        "AD0016", "A parameter has two roles",
        "Parameter '{0}' is both [NoDiff] and [Constant]: keep [Constant] for one scalar shared by every element, or [NoDiff] for per-element data");

    /// <summary>AD0017: "The argument for [NoDiff] parameter '{0}' of '{1}' depends on '{2}' …"</summary>
    public static readonly DiagnosticDescriptor GradientBlocked = Error(
        "AD0017", "A differentiable value is passed to a [NoDiff] parameter",
        "The argument for [NoDiff] parameter '{0}' of '{1}' depends on the differentiable parameter '{2}', but no gradient flows through a [NoDiff] parameter: remove [NoDiff] from '{0}', or mark '{2}' [NoDiff]");

    /// <summary>AD0018: "Parameter '{0}' is a scalar of a row method …"</summary>
    public static readonly DiagnosticDescriptor RowScalarDifferentiable = Error(
        "AD0018", "A scalar parameter of a row method needs a role",
        "Parameter '{0}' is a scalar of a method over spans, and here gradients flow only into spans (a scalar beside spans gets its own gradient where the method's gradient can be written statement by statement, and the error beside this one says what stops that): mark it [NoDiff] (one value per row, such as a label) or [Constant] (one value for the whole batch, such as a margin), or change what stops it");

    /// <summary>AD0019: "Span '{0}' can only be passed whole to a reduction …"</summary>
    public static readonly DiagnosticDescriptor SpanMisused = Error(
        "AD0019", "A span is used other than whole, by a reduction",
        "Span '{0}' can only be passed whole to a reduction (AD.Sum, AD.Mean, AD.LogSumExp, AD.Max, AD.Dot, AD.Norm, AD.SquaredDistance), indexed with an int parameter or constant (a[k]) or measured (a.Length); a slice, a local span or another method is not followed here (a gradient written statement by statement takes them, and the error beside this one says what stops that)");

    /// <summary>AD0020: "Index '{0}' is used as a number …"</summary>
    public static readonly DiagnosticDescriptor IndexMisused = Error(
        "AD0020", "An int parameter is used as a number",
        "The int parameter '{0}' can only index a span (a[{0}]): to use it as a number, pass it as a [NoDiff] or [Constant] float or double");

    /// <summary>AD0022: "[DerivativeOf({0})] …: {1}"</summary>
    public static readonly DiagnosticDescriptor DerivativeTarget = Error(
        "AD0022", "A custom derivative names no [Differentiable] method",
        "[DerivativeOf(\"{0}\")] on '{1}': {2}");

    /// <summary>AD0023: "The derivative of '{0}' must be declared …"</summary>
    public static readonly DiagnosticDescriptor DerivativeSignature = Error(
        "AD0023", "A custom derivative's signature does not match",
        "'{0}' supplies the derivative of '{1}' and must be declared '{2}' (the value returned, then an out for each differentiable scalar and a Span for each differentiable row): {3}");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: $"https://github.com/autodiff/autodiff/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}");

    /// <summary>Every descriptor, by id.</summary>
    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "AD0000" => InternalError,
        "AD0001" => LoopNotSupported,
        "AD0002" => ParameterAssigned,
        "AD0003" => ParameterByReference,
        "AD0004" => MethodNotStatic,
        "AD0005" => TypeNotPartial,
        "AD0006" => MixedPrecision,
        "AD0007" => UnsupportedType,
        "AD0008" => UnknownMethod,
        "AD0009" => NotDifferentiable,
        "AD0010" => Recursion,
        "AD0011" => UnsupportedSyntax,
        "AD0012" => UnsupportedSymbol,
        "AD0013" => ConstantArgumentVaries,
        "AD0014" => GenericNotSupported,
        "AD0015" => NoElementParameter,
        "AD0016" => ConflictingRoles,
        "AD0017" => GradientBlocked,
        "AD0018" => RowScalarDifferentiable,
        "AD0019" => SpanMisused,
        "AD0020" => IndexMisused,
        "AD0021" => CalleeRejected,
        "AD0022" => DerivativeTarget,
        "AD0023" => DerivativeSignature,
        _ => null,
    };
}

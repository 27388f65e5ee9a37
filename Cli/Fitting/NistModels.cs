using AutoDiff.Fitting;

namespace AutoDiff.Cli.Fitting;

/// <summary>
/// The models of the 18 NIST StRD nonlinear regression problems in <c>data/nist</c>, written as a user writes a model:
/// plain C# of the parameters b (a span: b[0] is NIST's b1) and the predictor x, marked <c>[Differentiable]</c>. The
/// generator adds each one's <c>…Gradient(b, x, dB)</c>, which <see cref="LeastSquares.Fit(ModelGradient, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, LeastSquaresOptions?)"/>
/// takes as it is. NIST's <c>**</c> is <c>Math.Pow</c>, its <c>x**2</c> is <c>x * x</c>.
/// </summary>
public static partial class NistModels
{
    /// <summary>Misra1a, BoxBOD: y = b1·(1 − exp(−b2·x)).</summary>
    [Differentiable]
    public static double Misra1a(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * (1 - Math.Exp(-b[1] * x));

    /// <summary>Chwirut1, Chwirut2: y = exp(−b1·x) / (b2 + b3·x).</summary>
    [Differentiable]
    public static double Chwirut(ReadOnlySpan<double> b, [NoDiff] double x) => Math.Exp(-b[0] * x) / (b[1] + (b[2] * x));

    /// <summary>Lanczos1, Lanczos2, Lanczos3: y = b1·exp(−b2·x) + b3·exp(−b4·x) + b5·exp(−b6·x).</summary>
    [Differentiable]
    public static double Lanczos(ReadOnlySpan<double> b, [NoDiff] double x) =>
        (b[0] * Math.Exp(-b[1] * x)) + (b[2] * Math.Exp(-b[3] * x)) + (b[4] * Math.Exp(-b[5] * x));

    /// <summary>Gauss1, Gauss2, Gauss3: an exponential baseline and two Gaussian peaks, y = b1·exp(−b2·x) + b3·exp(−(x − b4)²/b5²) + b6·exp(−(x − b7)²/b8²).</summary>
    [Differentiable]
    public static double Gauss(ReadOnlySpan<double> b, [NoDiff] double x)
    {
        var first = x - b[3];
        var second = x - b[6];
        return (b[0] * Math.Exp(-b[1] * x))
            + (b[2] * Math.Exp(-(first * first) / (b[4] * b[4])))
            + (b[5] * Math.Exp(-(second * second) / (b[7] * b[7])));
    }

    /// <summary>DanWood: y = b1·x^b2.</summary>
    [Differentiable]
    public static double DanWood(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * Math.Pow(x, b[1]);

    /// <summary>Kirby2: y = (b1 + b2·x + b3·x²) / (1 + b4·x + b5·x²).</summary>
    [Differentiable]
    public static double Kirby2(ReadOnlySpan<double> b, [NoDiff] double x) =>
        (b[0] + (b[1] * x) + (b[2] * x * x)) / (1 + (b[3] * x) + (b[4] * x * x));

    /// <summary>Nelson: log y = b1 − b2·x1·exp(−b3·x2), two predictors (time and temperature); fitted to log y.</summary>
    [Differentiable]
    public static double Nelson(ReadOnlySpan<double> b, [NoDiff] double x1, [NoDiff] double x2) => b[0] - (b[1] * x1 * Math.Exp(-b[2] * x2));

    /// <summary>MGH17 (Osborne 1): y = b1 + b2·exp(−x·b4) + b3·exp(−x·b5).</summary>
    [Differentiable]
    public static double Mgh17(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] + (b[1] * Math.Exp(-x * b[3])) + (b[2] * Math.Exp(-x * b[4]));

    /// <summary>Misra1c: y = b1·(1 − (1 + 2·b2·x)^(−1/2)).</summary>
    [Differentiable]
    public static double Misra1c(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * (1 - Math.Pow(1 + (2 * b[1] * x), -0.5));

    /// <summary>Misra1d: y = b1·b2·x·(1 + b2·x)^(−1).</summary>
    [Differentiable]
    public static double Misra1d(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * b[1] * x * Math.Pow(1 + (b[1] * x), -1);

    /// <summary>ENSO: a yearly cycle and two more of periods b4 and b7 months.</summary>
    [Differentiable]
    public static double Enso(ReadOnlySpan<double> b, [NoDiff] double x)
    {
        var angle = 2 * Math.PI * x;
        return b[0] + (b[1] * Math.Cos(angle / 12)) + (b[2] * Math.Sin(angle / 12))
            + (b[4] * Math.Cos(angle / b[3])) + (b[5] * Math.Sin(angle / b[3]))
            + (b[7] * Math.Cos(angle / b[6])) + (b[8] * Math.Sin(angle / b[6]));
    }

    /// <summary>MGH09 (Kowalik and Osborne): y = b1·(x² + x·b2) / (x² + x·b3 + b4).</summary>
    [Differentiable]
    public static double Mgh09(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * ((x * x) + (x * b[1])) / ((x * x) + (x * b[2]) + b[3]);

    /// <summary>Rat42: y = b1 / (1 + exp(b2 − b3·x)).</summary>
    [Differentiable]
    public static double Rat42(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] / (1 + Math.Exp(b[1] - (b[2] * x)));

    /// <summary>MGH10 (Meyer): y = b1·exp(b2 / (x + b3)).</summary>
    [Differentiable]
    public static double Mgh10(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * Math.Exp(b[1] / (x + b[2]));

    /// <summary>Bennett5: y = b1·(b2 + x)^(−1/b3).</summary>
    [Differentiable]
    public static double Bennett5(ReadOnlySpan<double> b, [NoDiff] double x) => b[0] * Math.Pow(b[1] + x, -1 / b[2]);
}

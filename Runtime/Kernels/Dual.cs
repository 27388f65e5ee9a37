using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AutoDiff.CompilerServices;

/// <summary>
/// A value and its derivative along one direction, a + ȧ·ε with ε² = 0: forward mode carried by the arithmetic. The
/// Hessian of a method whose gradient is taped runs that gradient once per parameter over these numbers (forward over
/// reverse), each run's tangents a column of the Hessian. Every operation's tangent is the derivative of its value by
/// the rule the gradient uses (Abs′(0) = 0, Max′ to the first argument on a tie, Pow′ = 0 where the gradient's is), so
/// the Hessian is the derivative of the gradient the method has.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Dual<T> : IEquatable<Dual<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>a.</summary>
    public readonly T Value;

    /// <summary>ȧ, the derivative of a along the direction.</summary>
    public readonly T Tangent;

    /// <summary>a + ȧ·ε.</summary>
    /// <param name="value">a.</param>
    /// <param name="tangent">ȧ.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual(T value, T tangent)
    {
        Value = value;
        Tangent = tangent;
    }

    /// <summary>A constant: its tangent is 0.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Dual<T>(T value) => new(value, T.Zero);

    /// <summary>(int)a, truncated as the cast of T is: the tangent is dropped.</summary>
    /// <param name="value">The value.</param>
    public static explicit operator int(Dual<T> value) => int.CreateSaturating(value.Value);

    /// <summary>−a.</summary>
    /// <param name="a">The operand.</param>
    public static Dual<T> operator -(Dual<T> a) => new(-a.Value, -a.Tangent);

    /// <summary>+a.</summary>
    /// <param name="a">The operand.</param>
    public static Dual<T> operator +(Dual<T> a) => a;

    /// <summary>a + b.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static Dual<T> operator +(Dual<T> a, Dual<T> b) => new(a.Value + b.Value, a.Tangent + b.Tangent);

    /// <summary>a − b.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static Dual<T> operator -(Dual<T> a, Dual<T> b) => new(a.Value - b.Value, a.Tangent - b.Tangent);

    /// <summary>a·b: ȧ·b + a·ḃ.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static Dual<T> operator *(Dual<T> a, Dual<T> b) => new(a.Value * b.Value, a.Tangent * b.Value + a.Value * b.Tangent);

    /// <summary>a / b: (ȧ − (a/b)·ḃ) / b.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static Dual<T> operator /(Dual<T> a, Dual<T> b)
    {
        var q = a.Value / b.Value;
        return new(q, (a.Tangent - q * b.Tangent) / b.Value);
    }

    /// <summary>a % b = a − b·trunc(a/b) (C's fmod): ȧ − trunc(a/b)·ḃ.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static Dual<T> operator %(Dual<T> a, Dual<T> b) =>
        new(a.Value % b.Value, a.Tangent - Along(T.Truncate(a.Value / b.Value), b.Tangent));

    /// <summary>a = b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator ==(Dual<T> a, Dual<T> b) => a.Value == b.Value;

    /// <summary>a ≠ b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator !=(Dual<T> a, Dual<T> b) => a.Value != b.Value;

    /// <summary>a &lt; b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator <(Dual<T> a, Dual<T> b) => a.Value < b.Value;

    /// <summary>a &gt; b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator >(Dual<T> a, Dual<T> b) => a.Value > b.Value;

    /// <summary>a ≤ b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator <=(Dual<T> a, Dual<T> b) => a.Value <= b.Value;

    /// <summary>a ≥ b, on the values.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    public static bool operator >=(Dual<T> a, Dual<T> b) => a.Value >= b.Value;

    /// <summary>exp(a): exp(a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Exp(Dual<T> a)
    {
        var e = T.Exp(a.Value);
        return new(e, e * a.Tangent);
    }

    /// <summary>2^a: 2^a·ln 2·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Exp2(Dual<T> a)
    {
        var e = T.Exp2(a.Value);
        return new(e, e * T.CreateTruncating(0.69314718055994530942) * a.Tangent);
    }

    /// <summary>10^a: 10^a·ln 10·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Exp10(Dual<T> a)
    {
        var e = T.Exp10(a.Value);
        return new(e, e * T.CreateTruncating(2.30258509299404568402) * a.Tangent);
    }

    /// <summary>ln a: ȧ / a.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Log(Dual<T> a) => new(T.Log(a.Value), a.Tangent / a.Value);

    /// <summary>log₂ a: ȧ / (a·ln 2).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Log2(Dual<T> a) => new(T.Log2(a.Value), a.Tangent / (a.Value * T.CreateTruncating(0.69314718055994530942)));

    /// <summary>log₁₀ a: ȧ / (a·ln 10).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Log10(Dual<T> a) => new(T.Log10(a.Value), a.Tangent / (a.Value * T.CreateTruncating(2.30258509299404568402)));

    /// <summary>√a: ȧ / (2√a).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Sqrt(Dual<T> a)
    {
        var s = T.Sqrt(a.Value);
        return new(s, a.Tangent / (s + s));
    }

    /// <summary>∛a: ȧ / (3∛a²).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Cbrt(Dual<T> a)
    {
        var c = T.Cbrt(a.Value);
        return new(c, a.Tangent / (T.CreateTruncating(3) * c * c));
    }

    /// <summary>tanh a: (1 − tanh² a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Tanh(Dual<T> a)
    {
        var t = T.Tanh(a.Value);
        return new(t, (T.One - t * t) * a.Tangent);
    }

    /// <summary>sinh a: cosh a·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Sinh(Dual<T> a) => new(T.Sinh(a.Value), T.Cosh(a.Value) * a.Tangent);

    /// <summary>cosh a: sinh a·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Cosh(Dual<T> a) => new(T.Cosh(a.Value), T.Sinh(a.Value) * a.Tangent);

    /// <summary>sin a: cos a·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Sin(Dual<T> a) => new(T.Sin(a.Value), T.Cos(a.Value) * a.Tangent);

    /// <summary>cos a: −sin a·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Cos(Dual<T> a) => new(T.Cos(a.Value), -T.Sin(a.Value) * a.Tangent);

    /// <summary>tan a: (1 + tan² a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Tan(Dual<T> a)
    {
        var t = T.Tan(a.Value);
        return new(t, (T.One + t * t) * a.Tangent);
    }

    /// <summary>asin a: ȧ / √(1 − a²).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Asin(Dual<T> a) => new(T.Asin(a.Value), a.Tangent / T.Sqrt(T.One - a.Value * a.Value));

    /// <summary>acos a: −ȧ / √(1 − a²).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Acos(Dual<T> a) => new(T.Acos(a.Value), -a.Tangent / T.Sqrt(T.One - a.Value * a.Value));

    /// <summary>atan a: ȧ / (1 + a²).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Atan(Dual<T> a) => new(T.Atan(a.Value), a.Tangent / (T.One + a.Value * a.Value));

    /// <summary>asinh a: ȧ / √(a² + 1).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Asinh(Dual<T> a) => new(T.Asinh(a.Value), a.Tangent / T.Sqrt(a.Value * a.Value + T.One));

    /// <summary>acosh a: ȧ / √(a² − 1).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Acosh(Dual<T> a) => new(T.Acosh(a.Value), a.Tangent / T.Sqrt(a.Value * a.Value - T.One));

    /// <summary>atanh a: ȧ / (1 − a²).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Atanh(Dual<T> a) => new(T.Atanh(a.Value), a.Tangent / (T.One - a.Value * a.Value));

    /// <summary>|a|: sign(a)·ȧ, 0 at 0.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Abs(Dual<T> a) =>
        new(T.Abs(a.Value), a.Value > T.Zero ? a.Tangent : a.Value < T.Zero ? -a.Tangent : T.Zero);

    /// <summary>a^b: b·a^(b−1)·ȧ (0 where b = 0) + a^b·ln a·ḃ (0 where a = 0 and b ≥ 0, or where ḃ = 0).</summary>
    /// <param name="a">The base.</param>
    /// <param name="b">The exponent.</param>
    public static Dual<T> Pow(Dual<T> a, Dual<T> b)
    {
        var p = T.Pow(a.Value, b.Value);
        var da = b.Value == T.Zero ? T.Zero : b.Value * T.Pow(a.Value, b.Value - T.One);
        var db = a.Value == T.Zero && b.Value >= T.Zero ? T.Zero : p * T.Log(a.Value);
        return new(p, Along(da, a.Tangent) + Along(db, b.Tangent));
    }

    /// <summary>max(a, b): the tangent of a where a ≥ b, else of b.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> Max(Dual<T> a, Dual<T> b) => new(T.Max(a.Value, b.Value), a.Value >= b.Value ? a.Tangent : b.Tangent);

    /// <summary>min(a, b): the tangent of a where a ≤ b, else of b.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> Min(Dual<T> a, Dual<T> b) => new(T.Min(a.Value, b.Value), a.Value <= b.Value ? a.Tangent : b.Tangent);

    /// <summary>The one of a and b of larger magnitude (T.MaxMagnitude): the tangent of the one returned, of a where both are equal.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MaxMagnitude(Dual<T> a, Dual<T> b) => Returned(T.MaxMagnitude(a.Value, b.Value), a, b);

    /// <summary>The one of a and b of smaller magnitude (T.MinMagnitude): the tangent of the one returned.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MinMagnitude(Dual<T> a, Dual<T> b) => Returned(T.MinMagnitude(a.Value, b.Value), a, b);

    /// <summary>The larger of a and b, a NaN ignored (T.MaxNumber): the tangent of the one returned.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MaxNumber(Dual<T> a, Dual<T> b) => Returned(T.MaxNumber(a.Value, b.Value), a, b);

    /// <summary>The smaller of a and b, a NaN ignored (T.MinNumber): the tangent of the one returned.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MinNumber(Dual<T> a, Dual<T> b) => Returned(T.MinNumber(a.Value, b.Value), a, b);

    /// <summary>The one of a and b of larger magnitude, a NaN ignored (T.MaxMagnitudeNumber): the tangent of the one returned.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MaxMagnitudeNumber(Dual<T> a, Dual<T> b) => Returned(T.MaxMagnitudeNumber(a.Value, b.Value), a, b);

    /// <summary>The one of a and b of smaller magnitude, a NaN ignored (T.MinMagnitudeNumber): the tangent of the one returned.</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> MinMagnitudeNumber(Dual<T> a, Dual<T> b) => Returned(T.MinMagnitudeNumber(a.Value, b.Value), a, b);

    private static Dual<T> Returned(T value, Dual<T> a, Dual<T> b) => new(value, value == a.Value ? a.Tangent : b.Tangent);

    /// <summary>atan2(y, x): (x·ẏ − y·ẋ) / (x² + y²).</summary>
    /// <param name="y">The ordinate.</param>
    /// <param name="x">The abscissa.</param>
    public static Dual<T> Atan2(Dual<T> y, Dual<T> x) =>
        new(T.Atan2(y.Value, x.Value), (Along(x.Value, y.Tangent) - Along(y.Value, x.Tangent)) / (x.Value * x.Value + y.Value * y.Value));

    /// <summary>The next value above a (T.BitIncrement): the tangent of a.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> BitIncrement(Dual<T> a) => new(T.BitIncrement(a.Value), a.Tangent);

    /// <summary>The next value below a (T.BitDecrement): the tangent of a.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> BitDecrement(Dual<T> a) => new(T.BitDecrement(a.Value), a.Tangent);

    /// <summary>The n-th root of a (T.RootN, of a negative a too where n is odd): root / (n·a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    /// <param name="n">The degree of the root.</param>
    public static Dual<T> RootN(Dual<T> a, int n)
    {
        var root = T.RootN(a.Value, n);
        return new(root, root / (T.CreateTruncating(n) * a.Value) * a.Tangent);
    }

    /// <summary>sin(π·a), .NET's (exact at the integers): π·cos(π·a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> SinPi(Dual<T> a) => new(T.SinPi(a.Value), T.Pi * T.CosPi(a.Value) * a.Tangent);

    /// <summary>cos(π·a), .NET's: −π·sin(π·a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> CosPi(Dual<T> a) => new(T.CosPi(a.Value), -T.Pi * T.SinPi(a.Value) * a.Tangent);

    /// <summary>tan(π·a), .NET's: π·(1 + tan²(π·a))·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> TanPi(Dual<T> a)
    {
        var t = T.TanPi(a.Value);
        return new(t, T.Pi * (T.One + t * t) * a.Tangent);
    }

    /// <summary>√(a² + b²): (a·ȧ + b·ḃ) / √(a² + b²).</summary>
    /// <param name="a">The first argument.</param>
    /// <param name="b">The second argument.</param>
    public static Dual<T> Hypot(Dual<T> a, Dual<T> b)
    {
        var h = T.Hypot(a.Value, b.Value);
        return new(h, (Along(a.Value, a.Tangent) + Along(b.Value, b.Tangent)) / h);
    }

    /// <summary>clamp(a, low, high): the tangent of a inside [low, high], of low below it, of high above it.</summary>
    /// <param name="a">The value.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    public static Dual<T> Clamp(Dual<T> a, Dual<T> low, Dual<T> high) =>
        new(T.Clamp(a.Value, low.Value, high.Value),
            a.Value < low.Value ? low.Tangent : a.Value > high.Value ? high.Tangent : a.Tangent);

    /// <summary>a·b + c, rounded once: ȧ·b + a·ḃ + ċ.</summary>
    /// <param name="a">The first factor.</param>
    /// <param name="b">The second factor.</param>
    /// <param name="c">The addend.</param>
    public static Dual<T> FusedMultiplyAdd(Dual<T> a, Dual<T> b, Dual<T> c) =>
        new(T.FusedMultiplyAdd(a.Value, b.Value, c.Value), a.Tangent * b.Value + a.Value * b.Tangent + c.Tangent);

    /// <summary>σ(a) = 1 / (1 + e^−a): σ(a)·(1 − σ(a))·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Sigmoid(Dual<T> a)
    {
        var s = SigmoidOf(a.Value);
        return new(s, s * (T.One - s) * a.Tangent);
    }

    /// <summary>softplus(a) = ln(1 + e^a): σ(a)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Softplus(Dual<T> a)
    {
        var softplus = typeof(T) == typeof(float) ? T.CreateTruncating(AD.Softplus(float.CreateTruncating(a.Value))) : Scalar(AD.Softplus(Widen(a.Value)));
        return new(softplus, SigmoidOf(a.Value) * a.Tangent);
    }

    /// <summary>ln(1 + a), accurate near 0: ȧ / (1 + a).</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Log1P(Dual<T> a) => new(Scalar(AD.Log1P(Widen(a.Value))), a.Tangent / (T.One + a.Value));

    /// <summary>e^a − 1, accurate near 0: e^a·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> ExpM1(Dual<T> a)
    {
        var e = Scalar(AD.ExpM1(Widen(a.Value)));
        return new(e, (e + T.One) * a.Tangent);
    }

    /// <summary>erf a: 2/√π·e^(−a²)·ȧ.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Erf(Dual<T> a) =>
        new(Scalar(AD.Erf(Widen(a.Value))), T.CreateTruncating(1.1283791670955126) * T.Exp(-a.Value * a.Value) * a.Tangent);

    /// <summary>a − b·round(a/b), as <see cref="Math.IEEERemainder"/> computes it: ȧ − round(a/b)·ḃ.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    public static Dual<T> IEEERemainder(Dual<T> a, Dual<T> b)
    {
        var r = typeof(T) == typeof(float)
            ? T.CreateTruncating(MathF.IEEERemainder(float.CreateTruncating(a.Value), float.CreateTruncating(b.Value)))
            : T.CreateTruncating(Math.IEEERemainder(double.CreateTruncating(a.Value), double.CreateTruncating(b.Value)));
        return new(r, a.Tangent - Along(T.Round(a.Value / b.Value), b.Tangent));
    }

    /// <summary>a − b·round(a/b), as T's own method computes it: ȧ − round(a/b)·ḃ.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    public static Dual<T> Ieee754Remainder(Dual<T> a, Dual<T> b) =>
        new(T.Ieee754Remainder(a.Value, b.Value), a.Tangent - Along(T.Round(a.Value / b.Value), b.Tangent));

    /// <summary>|a| with the sign of b: sign(a)·sign(b)·ȧ (the sign of b is a step: no tangent from it).</summary>
    /// <param name="a">The magnitude.</param>
    /// <param name="b">The sign.</param>
    public static Dual<T> CopySign(Dual<T> a, Dual<T> b) =>
        new(T.CopySign(a.Value, b.Value), T.CreateTruncating(T.Sign(a.Value)) * T.CopySign(T.One, b.Value) * a.Tangent);

    /// <summary>sign(a) as an int: a step, whose derivative is 0 wherever it is defined.</summary>
    /// <param name="a">The argument.</param>
    public static int Sign(Dual<T> a) => T.Sign(a.Value);

    /// <summary>round(a): a step, tangent 0.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Round(Dual<T> a) => T.Round(a.Value);

    /// <summary>trunc(a): a step, tangent 0.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> Truncate(Dual<T> a) => T.Truncate(a.Value);

    /// <summary>a with its tangent dropped: no derivative flows through it.</summary>
    /// <param name="a">The argument.</param>
    public static Dual<T> StopGradient(Dual<T> a) => a.Value;

    /// <summary>Whether both the values and the tangents are equal (<c>==</c>, as the generated code compares, looks at the values only).</summary>
    /// <param name="other">The other number.</param>
    /// <returns>True where both parts are equal.</returns>
    public bool Equals(Dual<T> other) => Value.Equals(other.Value) && Tangent.Equals(other.Tangent);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Dual<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Tangent);

    /// <inheritdoc/>
    public override string ToString() => $"{Value} + {Tangent}ε";

    // A partial times a tangent, 0 where the tangent is 0 (a constant argument): an infinite or NaN partial that the
    // gradient never computes for a constant (ln of a negative base) must not reach the result either.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Along(T partial, T tangent) => tangent == T.Zero ? T.Zero : partial * tangent;

    // AD's own float form where it has one (the values are then the gradient's to the bit).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SigmoidOf(T value) =>
        typeof(T) == typeof(float) ? T.CreateTruncating(AD.Sigmoid(float.CreateTruncating(value))) : Scalar(AD.Sigmoid(Widen(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Widen(T value) => double.CreateTruncating(value);

    // AD's float functions compute in double and round, so a float through double here is the same value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Scalar(double value) => T.CreateTruncating(value);
}

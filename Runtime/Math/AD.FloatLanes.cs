using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiff;

// The single-precision vector functions of our own (exp, log, log1p, expm1, tanh, σ, softplus), written once over
// the vector type they run on: Vector<float>, whatever its width, and Vector512<float>, which the generated span
// kernels use on AVX-512 hardware while Vector<float> stays 256 bits wide (a 512-bit instruction is one
// instruction to the front end of a Zen 4 core, which runs it as two 256-bit halves: the transcendental kernels,
// bound by how many instructions the core keeps in flight, gain about a third).
//
// The algorithms take the vector type and a struct of its operations as type arguments, and hold raw vectors,
// not wrappers: every operation inlines to the one instruction it names. An earlier version wrapped each vector in
// a struct with operators, which read better, but each wrapped operation left the JIT temporaries behind, and in
// a kernel with two log1p per element (MSLE) the JIT stopped inlining halfway, nine times slower (docs/benchmarks.md, "Figures behind the runtime's code").
public static partial class AD
{
    // What the algorithms need of a vector of floats. Masks are vectors with all bits set or clear per lane;
    // "bits" arguments and results hold each lane's 32-bit integer in the float's bits (reinterpreted).
    private interface IFloatOps<TVector>
        where TVector : struct
    {
        static abstract TVector Zero { get; }

        static abstract TVector One { get; }

        static abstract TVector Broadcast(float value);

        static abstract TVector Add(TVector a, TVector b);

        static abstract TVector Subtract(TVector a, TVector b);

        static abstract TVector Multiply(TVector a, TVector b);

        static abstract TVector Divide(TVector a, TVector b);

        static abstract TVector Negate(TVector a);

        static abstract TVector Fma(TVector a, TVector b, TVector c);

        static abstract TVector Or(TVector a, TVector b);

        static abstract TVector AndNot(TVector a, TVector b);

        static abstract TVector Select(TVector mask, TVector a, TVector b);

        static abstract TVector Abs(TVector a);

        static abstract TVector CopySign(TVector value, TVector sign);

        static abstract TVector Max(TVector a, TVector b);

        static abstract TVector MaxNative(TVector a, TVector b);

        static abstract TVector MinNative(TVector a, TVector b);

        static abstract TVector Round(TVector a);

        static abstract TVector Equals(TVector a, TVector b);

        static abstract TVector LessThan(TVector a, TVector b);

        static abstract TVector GreaterThan(TVector a, TVector b);

        static abstract TVector GreaterThanOrEqual(TVector a, TVector b);

        static abstract bool LessThanOrEqualAll(TVector a, TVector b);

        static abstract TVector AddBits(TVector bits, int value);

        static abstract TVector SubtractBits(TVector a, TVector b);

        static abstract TVector SubtractBits(int value, TVector bits);

        static abstract TVector AndBits(TVector bits, int mask);

        static abstract TVector ShiftLeftBits(TVector bits, int count);

        static abstract TVector ShiftRightArithmeticBits(TVector bits, int count);

        // The lanes' integers converted to floats, and floats rounded to integers (bits).
        static abstract TVector BitsToFloat(TVector bits);

        static abstract TVector FloatToBits(TVector value);

        // Every lane's bits, as an unsigned integer, below `limit`.
        static abstract bool AllBitsBelow(TVector bits, uint limit);
    }

    private readonly struct VectorOps : IFloatOps<Vector<float>>
    {
        public static Vector<float> Zero
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Vector<float>.Zero;
        }

        public static Vector<float> One
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Vector<float>.One;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Broadcast(float value) => new(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Add(Vector<float> a, Vector<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Subtract(Vector<float> a, Vector<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Multiply(Vector<float> a, Vector<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Divide(Vector<float> a, Vector<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Negate(Vector<float> a) => -a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Fma(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Or(Vector<float> a, Vector<float> b) => a | b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> AndNot(Vector<float> a, Vector<float> b) => Vector.AndNot(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Select(Vector<float> mask, Vector<float> a, Vector<float> b) => Vector.ConditionalSelect(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Abs(Vector<float> a) => Vector.Abs(a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> CopySign(Vector<float> value, Vector<float> sign) => Vector.CopySign(value, sign);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Max(Vector<float> a, Vector<float> b) => Vector.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> MaxNative(Vector<float> a, Vector<float> b) => Vector.MaxNative(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> MinNative(Vector<float> a, Vector<float> b) => Vector.MinNative(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Round(Vector<float> a) => Vector.Round(a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> Equals(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.Equals(a, b));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> LessThan(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.LessThan(a, b));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> GreaterThan(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.GreaterThan(a, b));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> GreaterThanOrEqual(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.GreaterThanOrEqual(a, b));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool LessThanOrEqualAll(Vector<float> a, Vector<float> b) => Vector.LessThanOrEqualAll(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> AddBits(Vector<float> bits, int value) => Vector.AsVectorSingle(Vector.AsVectorInt32(bits) + new Vector<int>(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> SubtractBits(Vector<float> a, Vector<float> b) => Vector.AsVectorSingle(Vector.AsVectorInt32(a) - Vector.AsVectorInt32(b));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> SubtractBits(int value, Vector<float> bits) => Vector.AsVectorSingle(new Vector<int>(value) - Vector.AsVectorInt32(bits));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> AndBits(Vector<float> bits, int mask) => Vector.AsVectorSingle(Vector.AsVectorInt32(bits) & new Vector<int>(mask));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> ShiftLeftBits(Vector<float> bits, int count) => Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(bits), count));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> ShiftRightArithmeticBits(Vector<float> bits, int count) => Vector.AsVectorSingle(Vector.ShiftRightArithmetic(Vector.AsVectorInt32(bits), count));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> BitsToFloat(Vector<float> bits) => Vector.ConvertToSingle(Vector.AsVectorInt32(bits));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<float> FloatToBits(Vector<float> value) => Vector.AsVectorSingle(Vector.ConvertToInt32Native(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllBitsBelow(Vector<float> bits, uint limit) => Vector.LessThanAll(Vector.AsVectorUInt32(bits), new Vector<uint>(limit));
    }

    private readonly struct Vector512Ops : IFloatOps<Vector512<float>>
    {
        public static Vector512<float> Zero
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Vector512<float>.Zero;
        }

        public static Vector512<float> One
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => Vector512<float>.One;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Negate(Vector512<float> a) => -a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> AndNot(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> CopySign(Vector512<float> value, Vector512<float> sign) => Vector512.CopySign(value, sign);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Equals(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> GreaterThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool LessThanOrEqualAll(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqualAll(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> AddBits(Vector512<float> bits, int value) => (bits.AsInt32() + Vector512.Create(value)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> SubtractBits(Vector512<float> a, Vector512<float> b) => (a.AsInt32() - b.AsInt32()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> SubtractBits(int value, Vector512<float> bits) => (Vector512.Create(value) - bits.AsInt32()).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> AndBits(Vector512<float> bits, int mask) => (bits.AsInt32() & Vector512.Create(mask)).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> ShiftLeftBits(Vector512<float> bits, int count) => Vector512.ShiftLeft(bits.AsInt32(), count).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> ShiftRightArithmeticBits(Vector512<float> bits, int count) => Vector512.ShiftRightArithmetic(bits.AsInt32(), count).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> BitsToFloat(Vector512<float> bits) => Vector512.ConvertToSingle(bits.AsInt32());

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> FloatToBits(Vector512<float> value) => Vector512.ConvertToInt32Native(value).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllBitsBelow(Vector512<float> bits, uint limit) => Vector512.LessThanAll(bits.AsUInt32(), Vector512.Create(limit));
    }

    // The algorithms, over a vector type and its operations.
    private static class FloatLanes<TVector, TOps>
        where TVector : struct
        where TOps : struct, IFloatOps<TVector>
    {
        private const int MaxFloatBits = 0x7F800000;

        // 2¹⁰⁰: where log1p's fast path ends (2⁻ᵉ stays a normal float, and the correction c is still needed).
        private const int Log1PLimitBits = 0x71800000;

        // ---- ln x -------------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Log(TVector x)
        {
            // Every lane a positive normal finite float (one unsigned compare of the bits): the common case, with
            // no special-value blends. Otherwise the general path (inlined: see AD.Log.cs).
            if (!IsPositiveNormal(x, MaxFloatBits))
            {
                return LogSpecial(x);
            }

            var f = Reduce(x, out var e, out _);
            return LogPolynomial(f, e);
        }

        // True when every lane's bits lie in [smallest normal, limit): positive, normal, below the limit; false
        // for any zero, subnormal, negative, infinite or NaN lane.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsPositiveNormal(TVector x, int limit) =>
            TOps.AllBitsBelow(TOps.AddBits(x, -0x00800000), (uint)(limit - 0x00800000));

        // A positive normal float x = (1 + f)·2ᵉ with 1 + f in [√½, √2), from the bits alone: adding the distance
        // from 1 to √½ carries into the exponent exactly where the mantissa reaches √2 (musl's logf reduction).
        // Returns f; the biased exponent comes back as bits. (Out parameters, not a tuple: ValueTuple's constructor
        // is not marked for inlining, and each such call spends the kernel's inlining budget.)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector Reduce(TVector x, out TVector e, out TVector biased)
        {
            const int sqrtHalfBits = 0x3F3504F3;
            var shifted = TOps.AddBits(x, 0x3F800000 - sqrtHalfBits);
            biased = TOps.ShiftRightArithmeticBits(shifted, 23);
            e = TOps.BitsToFloat(TOps.AddBits(biased, -127));
            return TOps.Subtract(TOps.AddBits(TOps.AndBits(shifted, 0x007FFFFF), sqrtHalfBits), TOps.One);
        }

        // f + c·2⁻ᵉ and e for u = (1 + f)·2ᵉ and a small correction c, where 2⁻ᵉ = 2^(127 − biased e) is a normal
        // float for u below 2¹⁰⁰: the polynomial's argument for ln(u + c) = e·ln 2 + ln(1 + f + c·2⁻ᵉ), what log1p
        // needs without a division.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector ReduceCorrected(TVector u, TVector c, out TVector e)
        {
            var f = Reduce(u, out e, out var biased);
            var inverse = TOps.ShiftLeftBits(TOps.SubtractBits(254, biased), 23);
            return TOps.Fma(c, inverse, f);
        }

        // ln(1 + f) + e·ln 2 for f in [√½ − 1, √2 − 1), with Cephes's degree-8 minimax P in Estrin's form (pairs,
        // then powers of f²): four FMAs deep instead of Horner's nine, which the loop's latency felt (docs/benchmarks.md, "Figures behind the runtime's code").
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector LogPolynomial(TVector f, TVector e)
        {
            var z = TOps.Multiply(f, f);
            var z2 = TOps.Multiply(z, z);
            var p01 = TOps.Fma(TOps.Broadcast(-2.4999993993E-1f), f, TOps.Broadcast(3.3333331174E-1f));
            var p23 = TOps.Fma(TOps.Broadcast(-1.6668057665E-1f), f, TOps.Broadcast(2.0000714765E-1f));
            var p45 = TOps.Fma(TOps.Broadcast(-1.2420140846E-1f), f, TOps.Broadcast(1.4249322787E-1f));
            var p67 = TOps.Fma(TOps.Broadcast(-1.1514610310E-1f), f, TOps.Broadcast(1.1676998740E-1f));
            var high = TOps.Fma(TOps.Fma(TOps.Broadcast(7.0376836292E-2f), z, p67), z, p45);
            var p = TOps.Fma(high, z2, TOps.Fma(p23, z, p01));
            var y = TOps.Fma(TOps.Multiply(p, f), z, TOps.Fma(e, TOps.Broadcast(-2.12194440e-4f), TOps.Multiply(z, TOps.Broadcast(-0.5f))));
            return TOps.Fma(e, TOps.Broadcast(0.693359375f), TOps.Add(f, y));
        }

        // The general path: subnormals scaled by 2²³ first; ln 0 = −∞, ln(x < 0) = NaN, ln ∞ = ∞, NaN stays NaN.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector LogSpecial(TVector x)
        {
            var subnormal = TOps.LessThan(x, TOps.Broadcast(1.17549435e-38f));
            var scaled = TOps.Select(subnormal, TOps.Multiply(x, TOps.Broadcast(8388608f)), x);
            var f = Reduce(scaled, out var e, out _);
            var result = LogPolynomial(f, TOps.Select(subnormal, TOps.Subtract(e, TOps.Broadcast(23f)), e));
            result = TOps.Select(TOps.Equals(x, TOps.Zero), TOps.Broadcast(float.NegativeInfinity), result);
            result = TOps.Select(TOps.GreaterThanOrEqual(x, TOps.Zero), result, TOps.Broadcast(float.NaN));   // x < 0 or NaN
            return TOps.Select(TOps.Equals(x, TOps.Broadcast(float.PositiveInfinity)), x, result);
        }

        // ---- eˣ ---------------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Exp(TVector x)
        {
            // Every lane in [−87.3, 87.3] (NaN is not): 2ⁿ is one normal float and no special value can occur, so
            // no clamping and no blends. Otherwise the general path (inlined: see AD.Log.cs).
            if (!TOps.LessThanOrEqualAll(TOps.Abs(x), TOps.Broadcast(87.3f)))
            {
                return ExpSpecial(x);
            }

            var n = TOps.Round(TOps.Multiply(x, TOps.Broadcast(1.44269504088896341f)));
            return TOps.Multiply(ExpPolynomial(x, n), PowerOfTwo(TOps.FloatToBits(n)));
        }

        // 2ⁿ for integer bits n in [−126, 127], straight into the exponent field.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector PowerOfTwo(TVector n) => TOps.ShiftLeftBits(TOps.AddBits(n, 127), 23);

        // eʳ for r = x − n·ln 2 (ln 2 in two parts), |r| ≤ ½ ln 2: Cephes's degree-7 polynomial.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector ExpPolynomial(TVector x, TVector n)
        {
            var r = TOps.Fma(n, TOps.Broadcast(2.12194440e-4f), TOps.Fma(n, TOps.Broadcast(-0.693359375f), x));
            var p = TOps.Broadcast(1.9875691500E-4f);
            p = TOps.Fma(p, r, TOps.Broadcast(1.3981999507E-3f));
            p = TOps.Fma(p, r, TOps.Broadcast(8.3334519073E-3f));
            p = TOps.Fma(p, r, TOps.Broadcast(4.1665795894E-2f));
            p = TOps.Fma(p, r, TOps.Broadcast(1.6666665459E-1f));
            p = TOps.Fma(p, r, TOps.Broadcast(5.0000001201E-1f));
            return TOps.Add(TOps.Fma(p, TOps.Multiply(r, r), r), TOps.One);
        }

        // Some lane beyond ±87.3 or NaN: clamped, 2ⁿ applied in two halves (each a normal float) so results down
        // to the smallest subnormal come out right, then ∞, 0 and NaN where they belong.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector ExpSpecial(TVector x)
        {
            var clamped = TOps.MinNative(TOps.MaxNative(x, TOps.Broadcast(-104f)), TOps.Broadcast(89f)); // NaN is restored below
            var n = TOps.Round(TOps.Multiply(clamped, TOps.Broadcast(1.44269504088896341f)));
            var y = ExpPolynomial(clamped, n);

            // n/2 and n − n/2 lie in [−76, 65].
            var k = TOps.FloatToBits(n);
            var half = TOps.ShiftRightArithmeticBits(k, 1);
            var result = TOps.Multiply(TOps.Multiply(y, PowerOfTwo(half)), PowerOfTwo(TOps.SubtractBits(k, half)));

            result = TOps.Select(TOps.GreaterThan(x, TOps.Broadcast(88.7228394f)), TOps.Broadcast(float.PositiveInfinity), result);
            result = TOps.Select(TOps.LessThan(x, TOps.Broadcast(-103.972076f)), TOps.Zero, result);
            return TOps.Select(TOps.Equals(x, x), result, x);
        }

        // ---- log(1 + x) ----------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Log1P(TVector x)
        {
            var u = TOps.Add(TOps.One, x);
            if (!IsPositiveNormal(u, Log1PLimitBits))
            {
                return Log1PSpecial(x);
            }

            var f = ReduceCorrected(u, Log1PCorrection(x, u), out var e);
            return KeepNegativeZero(x, LogPolynomial(f, e));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Log1P(TVector a, TVector b, out TVector log1pB)
        {
            var ua = TOps.Add(TOps.One, a);
            var ub = TOps.Add(TOps.One, b);
            if (!IsPositiveNormal(ua, Log1PLimitBits) || !IsPositiveNormal(ub, Log1PLimitBits))
            {
                log1pB = Log1PSpecial(b);
                return Log1PSpecial(a);
            }

            var fa = ReduceCorrected(ua, Log1PCorrection(a, ua), out var ea);
            var fb = ReduceCorrected(ub, Log1PCorrection(b, ub), out var eb);
            log1pB = KeepNegativeZero(b, LogPolynomial(fb, eb));
            return KeepNegativeZero(a, LogPolynomial(fa, ea));
        }

        // The rounding error c = (1 + x) − u of u = 1 + x, exact where u is in [2⁻¹²⁶, 2¹⁰⁰) (Sterbenz).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector Log1PCorrection(TVector x, TVector u) =>
            TOps.Select(TOps.LessThan(x, TOps.One), TOps.Subtract(x, TOps.Subtract(u, TOps.One)), TOps.Subtract(TOps.One, TOps.Subtract(u, x)));

        // −0 stays −0 (the reduction adds +0 to it).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector KeepNegativeZero(TVector x, TVector result) => TOps.Select(TOps.Equals(x, TOps.Zero), x, result);

        // Some lane has 1 + x ≤ 0, ≥ 2¹⁰⁰ or NaN: Goldberg's ln u · x/(u − 1), and x where u = 1.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector Log1PSpecial(TVector x)
        {
            var u = TOps.Add(TOps.One, x);
            var d = TOps.Subtract(u, TOps.One);
            var log = LogSpecial(u);   // the general path of ln, not its fast-path test: half the code inlined here
            var result = TOps.Multiply(log, TOps.Divide(x, d));
            result = TOps.Select(TOps.Equals(d, TOps.Zero), x, result);
            return TOps.Select(TOps.Or(TOps.Equals(x, TOps.Broadcast(float.PositiveInfinity)), TOps.Equals(u, TOps.Zero)), log, result);
        }

        // log1p(e) for e in [0, 1] (or NaN) without rounding 1 + e: 1 + e = (1 + f)·2ᵏ with f = e, k = 0 below
        // √2 − 1, and f = (e − 1)/2, k = 1 from there, so ln(1 + f) + k·ln 2 needs no bit-level reduction and no
        // correction term. f is exact from e = ½ on (Sterbenz's lemma; the halving is exact); between √2 − 1 and
        // ½, e − 1 may round, by at most 2⁻²⁵: f by 2⁻²⁶, under an ulp of the result. Measured within 1 ulp.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector Log1POfUnit(TVector e)
        {
            var high = TOps.GreaterThanOrEqual(e, TOps.Broadcast(0.414213562f));
            var f = TOps.Select(high, TOps.Multiply(TOps.Subtract(e, TOps.One), TOps.Broadcast(0.5f)), e);
            return LogPolynomial(f, TOps.Select(high, TOps.One, TOps.Zero));
        }

        // ---- eˣ − 1, tanh --------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector ExpM1(TVector x)
        {
            var clamped = TOps.MinNative(TOps.MaxNative(x, TOps.Broadcast(-17f)), TOps.Broadcast(17f));
            var n = TOps.Round(TOps.Multiply(clamped, TOps.Broadcast(1.44269504088896341f)));
            var r = TOps.Fma(n, TOps.Broadcast(2.12194440e-4f), TOps.Fma(n, TOps.Broadcast(-0.693359375f), clamped));
            var q = TOps.Broadcast(1f / 40320f);
            q = TOps.Fma(q, r, TOps.Broadcast(1f / 5040f));
            q = TOps.Fma(q, r, TOps.Broadcast(1f / 720f));
            q = TOps.Fma(q, r, TOps.Broadcast(1f / 120f));
            q = TOps.Fma(q, r, TOps.Broadcast(1f / 24f));
            q = TOps.Fma(q, r, TOps.Broadcast(1f / 6f));
            q = TOps.Fma(q, r, TOps.Broadcast(0.5f));
            var reduced = TOps.Multiply(TOps.Fma(r, q, TOps.One), r);

            // 2ⁿ for n in [−25, 25] straight into the exponent field; 2ⁿ − 1 is exact there but for n = 25.
            var power = PowerOfTwo(TOps.FloatToBits(n));   // n is clamped: no saturation needed
            var result = TOps.Fma(power, reduced, TOps.Subtract(power, TOps.One));
            result = TOps.Select(TOps.Equals(n, TOps.Zero), reduced, result);
            result = TOps.Select(TOps.GreaterThanOrEqual(TOps.Abs(x), TOps.Broadcast(17f)), TOps.Subtract(Exp(x), TOps.One), result);

            // NaN stays NaN, and ±0 stays itself (the reduction turns −0 into +0).
            return TOps.Select(TOps.AndNot(TOps.Equals(x, x), TOps.Equals(x, TOps.Zero)), result, x);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Tanh(TVector x)
        {
            // MinNative returns its second operand when one is NaN (x86 minps): NaN still reaches the result, and
            // one instruction replaces Vector.Min's three (its IEEE minimum needs two fix-ups on x86).
            var e = ExpM1(TOps.MinNative(TOps.Broadcast(40f), TOps.Multiply(TOps.Abs(x), TOps.Broadcast(2f))));
            return TOps.CopySign(TOps.Divide(e, TOps.Add(e, TOps.Broadcast(2f))), x);
        }

        // ---- σ, softplus ---------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Sigmoid(TVector x) => SigmoidOf(x, Exp(TOps.Negate(TOps.Abs(x))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Softplus(TVector x) => TOps.Add(TOps.Max(x, TOps.Zero), Log1POfUnit(Exp(TOps.Negate(TOps.Abs(x)))));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector SoftplusGradient(TVector x, out TVector sigmoid)
        {
            var e = Exp(TOps.Negate(TOps.Abs(x)));
            sigmoid = SigmoidOf(x, e);
            return TOps.Add(TOps.Max(x, TOps.Zero), Log1POfUnit(e));
        }

        // σ(x) from e = e^−|x|: 1/(1 + e) for x ≥ 0, e/(1 + e) below.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector SigmoidOf(TVector x, TVector e)
        {
            var positive = TOps.Divide(TOps.One, TOps.Add(TOps.One, e));
            return TOps.Select(TOps.LessThan(x, TOps.Zero), TOps.Multiply(e, positive), positive);
        }
    }
}

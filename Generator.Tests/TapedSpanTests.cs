using System.Reflection;
using AutoDiff.CompilerServices;
using AutoDiff.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// Methods over spans whose gradient is taped (a loop the graph cannot hold: a recurrence over the elements, a count
/// that is a parameter, an element and its neighbour): FGradient is checked against central differences in double at
/// random points, through wrappers over arrays written beside each method (the differentiable scalars' gradients after
/// the spans'), and it allocates nothing once the thread's tape has grown; FHessianVectorProduct, the same gradient over
/// dual numbers, against central differences of FGradient along the direction, allocation-free too.
/// </summary>
public sealed class TapedSpanTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using AutoDiff;

        namespace Taped;

        public static partial class Spans
        {
            // h = tanh(w·h + x[i]) over the row, with a gradient for w beside the span's.
            [Differentiable]
            public static double Recurrence(ReadOnlySpan<double> x, double w)
            {
                double h = 0.0;
                for (int i = 0; i < x.Length; i++)
                {
                    h = Math.Tanh(w * h + x[i]);
                }

                return h;
            }

            public static double RecurrenceValue(double[] a) => Recurrence(a.AsSpan(0, 6), a[6]);

            public static double RecurrenceTangent(double[] a, double[] t, double[] tangent) =>
                RecurrenceJvp(a.AsSpan(0, 6), a[6], t.AsSpan(0, 6), t[6], out tangent[0]);

            public static double RecurrenceHvp(double[] a, double[] v, double[] hv) =>
                RecurrenceHessianVectorProduct(a.AsSpan(0, 6), a[6], v.AsSpan(0, 6), v[6], hv.AsSpan(0, 6), out hv[6]);

            public static double RecurrenceGradient(double[] a, double[] d) => RecurrenceGradient(a.AsSpan(0, 6), a[6], d.AsSpan(0, 6), out d[6]);

            // Horner's rule, the loop counting down: p(x) = Σ c[i]·xⁱ.
            [Differentiable]
            public static double Horner(ReadOnlySpan<double> c, double x)
            {
                double p = 0.0;
                for (int i = c.Length - 1; i >= 0; i--)
                {
                    p = p * x + c[i];
                }

                return p;
            }

            public static double HornerValue(double[] a) => Horner(a.AsSpan(0, 16), a[16]);

            public static double HornerTangent(double[] a, double[] t, double[] tangent) =>
                HornerJvp(a.AsSpan(0, 16), a[16], t.AsSpan(0, 16), t[16], out tangent[0]);

            public static double HornerHvp(double[] a, double[] v, double[] hv) =>
                HornerHessianVectorProduct(a.AsSpan(0, 16), a[16], v.AsSpan(0, 16), v[16], hv.AsSpan(0, 16), out hv[16]);

            public static double HornerGradient(double[] a, double[] d) => HornerGradient(a.AsSpan(0, 16), a[16], d.AsSpan(0, 16), out d[16]);

            // Struct locals whose fields are doubles: z·(x + i·c[k]) step by step (made by an object initializer and read
            // through a ref local), a running sum made as default and written by compound assignment, one declared
            // without a value inside the loop, its fields read in a condition.
            [Differentiable]
            public static double Rotations(ReadOnlySpan<double> c, double x)
            {
                var z = new Complex { Re = 1.0, Im = x * 0.5 };
                Complex sum = default;
                ref Complex current = ref z;
                for (int k = 0; k < c.Length; k++)
                {
                    Complex next;
                    next.Re = current.Re * x - current.Im * c[k];
                    next.Im = current.Re * c[k] + current.Im * x;
                    z = next;
                    sum.Re += z.Re;
                    sum.Im += z.Im > 0 ? z.Im * z.Im : Math.Sin(z.Im);
                }

                ref double im = ref sum.Im;
                return sum.Re * Math.Cos(im) + im;
            }

            public static double RotationsValue(double[] a) => Rotations(a.AsSpan(0, 5), a[5]);

            public static double RotationsTangent(double[] a, double[] t, double[] tangent) =>
                RotationsJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double RotationsHvp(double[] a, double[] v, double[] hv) =>
                RotationsHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            public static double RotationsGradient(double[] a, double[] d) => RotationsGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            // A method of scalars with struct locals: one written and never read, one made as default and copied whole,
            // the copy compounded.
            [Differentiable]
            public static double StructCopies(double x, double y)
            {
                Complex unread;
                unread.Re = x;
                unread.Im = y;
                Complex q = default;
                q.Re = x * y;
                q.Im = Math.Sin(q.Re) + y;
                Complex w = q;
                w.Re *= x;
                return w.Re + w.Im * q.Re;
            }

            public static double StructCopiesValue(double[] a) => StructCopies(a[0], a[1]);

            public static double StructCopiesGradient(double[] a, double[] d) => StructCopiesGradient(a[0], a[1], out d[0], out d[1]);

            public static double StructCopiesTangent(double[] a, double[] t, double[] tangent) => StructCopiesJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double StructCopiesHessian(double[] a, double[] gradient, double[] hessian) => StructCopiesHessian(a[0], a[1], gradient, hessian);

            // A count that is a parameter, a [NoDiff] span of weights, an element and its neighbour (a[i − 1]), the counter as a number.
            [Differentiable]
            public static double Smoothness(ReadOnlySpan<double> a, [NoDiff] ReadOnlySpan<double> weights, int n)
            {
                double s = 0.0;
                for (int i = 1; i < n; i++)
                {
                    double step = a[i] - a[i - 1];
                    s += weights[i] * step * step + Math.Sin(a[n - 1 - i]) * i;
                }

                return s;
            }

            public static double SmoothnessValue(double[] a) => Smoothness(a, new double[] { 1, 2, 3, 4, 5 }, 4);

            public static double SmoothnessTangent(double[] a, double[] t, double[] tangent) =>
                SmoothnessJvp(a, new double[] { 1, 2, 3, 4, 5 }, 4, t, out tangent[0]);

            public static double SmoothnessHvp(double[] a, double[] v, double[] hv) => SmoothnessHessianVectorProduct(a, new double[] { 1, 2, 3, 4, 5 }, 4, v, hv);

            public static double SmoothnessGradient(double[] a, double[] d) => SmoothnessGradient(a, new double[] { 1, 2, 3, 4, 5 }, 4, d);

            // foreach over a span, a product carried from one element to the next, a scalar read in every step.
            [Differentiable]
            public static double Product(ReadOnlySpan<double> p, double k)
            {
                double s = 1.0;
                foreach (var v in p)
                {
                    s = s * Math.Sin(v * k) + v;
                }

                return s;
            }

            public static double ProductValue(double[] a) => Product(a.AsSpan(0, 4), a[4]);

            public static double ProductTangent(double[] a, double[] t, double[] tangent) =>
                ProductJvp(a.AsSpan(0, 4), a[4], t.AsSpan(0, 4), t[4], out tangent[0]);

            public static double ProductHvp(double[] a, double[] v, double[] hv) =>
                ProductHessianVectorProduct(a.AsSpan(0, 4), a[4], v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), out hv[4]);

            public static double ProductGradient(double[] a, double[] d) => ProductGradient(a.AsSpan(0, 4), a[4], d.AsSpan(0, 4), out d[4]);

            // Nested loops over the same row.
            [Differentiable]
            public static double Pairs(ReadOnlySpan<double> x)
            {
                double s = 0.0;
                foreach (var a in x)
                {
                    foreach (var b in x)
                    {
                        s += Math.Exp(a - b) * a;
                    }
                }

                return s;
            }

            public static double PairsValue(double[] a) => Pairs(a);

            public static double PairsTangent(double[] a, double[] t, double[] tangent) => PairsJvp(a, t, out tangent[0]);

            public static double PairsHvp(double[] a, double[] v, double[] hv) => PairsHessianVectorProduct(a, v, hv);

            public static double PairsGradient(double[] a, double[] d) => PairsGradient(a.AsSpan(), d.AsSpan());

            // foreach left by a continue, a break and a return, with a scalar beside the span.
            [Differentiable]
            public static double Search(ReadOnlySpan<double> x, double t)
            {
                double s = 0.0;
                foreach (var v in x)
                {
                    if (v < -0.5) { continue; }
                    s += v * t + Math.Sin(s);
                    if (s > 1.0) { break; }
                    if (s < -0.8) { return s * t; }
                }

                return s * s;
            }

            public static double SearchValue(double[] a) => Search(a.AsSpan(0, 6), a[6]);

            public static double SearchTangent(double[] a, double[] t, double[] tangent) =>
                SearchJvp(a.AsSpan(0, 6), a[6], t.AsSpan(0, 6), t[6], out tangent[0]);

            public static double SearchHvp(double[] a, double[] v, double[] hv) =>
                SearchHessianVectorProduct(a.AsSpan(0, 6), a[6], v.AsSpan(0, 6), v[6], hv.AsSpan(0, 6), out hv[6]);

            public static double SearchGradient(double[] a, double[] d) => SearchGradient(a.AsSpan(0, 6), a[6], d.AsSpan(0, 6), out d[6]);

            // A for loop over a count left by a return from inside a nested loop, whose break ends the inner loop only.
            [Differentiable]
            public static double Scan(ReadOnlySpan<double> x, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = i; j < x.Length; j++)
                    {
                        if (x[j] > 0.6) { break; }
                        s = s * 0.5 + x[j] * x[i];
                        if (s > 0.7) { return s + x[i]; }
                    }
                }

                return s;
            }

            public static double ScanValue(double[] a) => Scan(a, 4);

            public static double ScanTangent(double[] a, double[] t, double[] tangent) => ScanJvp(a, 4, t, out tangent[0]);

            public static double ScanHvp(double[] a, double[] v, double[] hv) => ScanHessianVectorProduct(a, 4, v, hv);

            public static double ScanGradient(double[] a, double[] d) => ScanGradient(a, 4, d);

            // Arrays, taken as spans: a taped loop over one, with a scalar beside it, and a reduction the graph holds.
            [Differentiable]
            public static double ArrayProduct(double[] a, double k)
            {
                double s = 1.0;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s * Math.Cos(a[i] * k) + a[i];
                }

                return s;
            }

            public static double ArrayProductValue(double[] v) => ArrayProduct(v[..4], v[4]);

            public static double ArrayProductTangent(double[] a, double[] t, double[] tangent) =>
                ArrayProductJvp(a[..4], a[4], t[..4], t[4], out tangent[0]);

            public static double ArrayProductHvp(double[] a, double[] v, double[] hv) =>
                ArrayProductHessianVectorProduct(a[..4], a[4], v[..4], v[4], hv.AsSpan(0, 4), out hv[4]);

            public static double ArrayProductGradient(double[] v, double[] d) => ArrayProductGradient(v[..4], v[4], d.AsSpan(0, 4), out d[4]);

            [Differentiable]
            public static double ArraySoftMaximum(double[] a) => AD.LogSumExp(a) + 0.5 * AD.Dot(a, a);

            public static double ArraySoftMaximumValue(double[] v) => ArraySoftMaximum(v);

            public static double ArraySoftMaximumGradient(double[] v, double[] d) => ArraySoftMaximumGradient(v.AsSpan(), d.AsSpan());

            // A stackalloc span of the method's own: prefix sums written into it, then read back by a foreach.
            [Differentiable]
            public static double Prefix(ReadOnlySpan<double> x, double w)
            {
                Span<double> sums = stackalloc double[x.Length + 1];
                for (int i = 0; i < x.Length; i++)
                {
                    sums[i + 1] = sums[i] * w + Math.Sin(x[i]);
                }

                double s = 0.0;
                foreach (var v in sums)
                {
                    s += v * v;
                }

                return s;
            }

            public static double PrefixValue(double[] a) => Prefix(a.AsSpan(0, 5), a[5]);

            public static double PrefixTangent(double[] a, double[] t, double[] tangent) =>
                PrefixJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double PrefixHvp(double[] a, double[] v, double[] hv) =>
                PrefixHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            public static double PrefixGradient(double[] a, double[] d) => PrefixGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            // A local array: elements assigned, stepped, scaled and overwritten in nested loops.
            [Differentiable]
            public static double Relax(double x, double y, int n)
            {
                double[] buffer = new double[4];
                buffer[0] = x;
                buffer[1] = y;
                buffer[2] = x * y;
                buffer[3]++;
                for (int k = 0; k < n; k++)
                {
                    for (int j = 1; j < buffer.Length; j++)
                    {
                        buffer[j] = 0.5 * (buffer[j] + Math.Tanh(buffer[j - 1]));
                    }

                    buffer[0] *= 0.9;
                    buffer[k % 4] -= 0.1 * buffer[3];
                }

                return buffer[3] + buffer[2] * buffer[0];
            }

            public static double RelaxValue(double[] a) => Relax(a[0], a[1], 3);

            public static double RelaxTangent(double[] a, double[] t, double[] tangent) =>
                RelaxJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double RelaxHvp(double[] a, double[] v, double[] hv) => RelaxHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            public static double RelaxGradient(double[] a, double[] d) => RelaxGradient(a[0], a[1], 3, out d[0], out d[1]);

            // Local arrays and a span made from their elements ({ … }, new[] { … }, stackalloc T[] { … }), then
            // overwritten in a loop.
            [Differentiable]
            public static double Initialized(double x, double y, int n)
            {
                double[] a = { 1.0, x, 2.0 * y };
                var b = new[] { x * y, Math.Sin(x) };
                Span<double> c = stackalloc double[] { y, x - y };
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    a[i % 3] = a[i % 3] * 0.5 + b[i % 2] * c[(i + 1) % 2];
                    s += a[0] * a[1] + a[2];
                }

                return s;
            }

            public static double InitializedValue(double[] a) => Initialized(a[0], a[1], 5);

            public static double InitializedTangent(double[] a, double[] t, double[] tangent) =>
                InitializedJvp(a[0], a[1], 5, t[0], t[1], out tangent[0]);

            public static double InitializedHvp(double[] a, double[] v, double[] hv) => InitializedHessianVectorProduct(a[0], a[1], 5, v[0], v[1], out hv[0], out hv[1]);

            public static double InitializedGradient(double[] a, double[] d) => InitializedGradient(a[0], a[1], 5, out d[0], out d[1]);

            // Collection expressions ([a, b]) into a local array and a span, in a method with no loop: the graph
            // holds no buffers, so the gradient is taped.
            [Differentiable]
            public static double Collected(double x, double y)
            {
                double[] a = [x * y, y];
                Span<double> s = [x, 2.0 * y];
                a[1] += s[0] * s[1] + Math.Sin(a[0]);
                return a[0] * a[1];
            }

            public static double CollectedValue(double[] a) => Collected(a[0], a[1]);

            public static double CollectedGradient(double[] a, double[] d) => CollectedGradient(a[0], a[1], out d[0], out d[1]);

            public static double CollectedTangent(double[] a, double[] t, double[] tangent) => CollectedJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double CollectedHessian(double[] a, double[] gradient, double[] hessian) => CollectedHessian(a[0], a[1], gradient, hessian);

            // A differentiable scalar beside a span, and an int with no span, in methods with no loop: the graph
            // cannot give w or x a gradient in a row method, the tape can.
            [Differentiable]
            public static double ScalarBeside(ReadOnlySpan<double> a, double w) => a[0] * w + Math.Sin(a[1] * w) + a[2];

            public static double ScalarBesideValue(double[] a) => ScalarBeside(a.AsSpan(0, 3), a[3]);

            public static double ScalarBesideGradient(double[] a, double[] d) => ScalarBesideGradient(a.AsSpan(0, 3), a[3], d.AsSpan(0, 3), out d[3]);

            public static double ScalarBesideTangent(double[] a, double[] t, double[] tangent) =>
                ScalarBesideJvp(a.AsSpan(0, 3), a[3], t.AsSpan(0, 3), t[3], out tangent[0]);

            public static double ScalarBesideHvp(double[] a, double[] v, double[] hv) =>
                ScalarBesideHessianVectorProduct(a.AsSpan(0, 3), a[3], v.AsSpan(0, 3), v[3], hv.AsSpan(0, 3), out hv[3]);

            [Differentiable]
            public static double Counted(double x, double y, int n) => x * y * n + Math.Exp(x / n);

            public static double CountedValue(double[] a) => Counted(a[0], a[1], 3);

            public static double CountedGradient(double[] a, double[] d) => CountedGradient(a[0], a[1], 3, out d[0], out d[1]);

            public static double CountedTangent(double[] a, double[] t, double[] tangent) => CountedJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double CountedHvp(double[] a, double[] v, double[] hv) => CountedHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            // Counters stepped in the conditions (k-- > 0, --j != 0), the counter indexing the row: the reverse undoes
            // each test's step.
            [Differentiable]
            public static double CountDown(ReadOnlySpan<double> x, double w)
            {
                double s = 1.0;
                int k = x.Length;
                while (k-- > 0)
                {
                    int j = 2;
                    do
                    {
                        s = s * w + Math.Sin(x[k] * s + j);
                    }
                    while (--j != 0);
                }

                return s;
            }

            public static double CountDownValue(double[] a) => CountDown(a.AsSpan(0, 5), a[5]);

            public static double CountDownTangent(double[] a, double[] t, double[] tangent) =>
                CountDownJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double CountDownHvp(double[] a, double[] v, double[] hv) =>
                CountDownHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            public static double CountDownGradient(double[] a, double[] d) => CountDownGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            // Calls of [Differentiable] methods over spans from taped code (clad's addArr): a span parameter, a
            // stackalloc span written after a call that read it, a count passed as an int, a callee the graph holds
            // and a taped callee with an int; the callees' span gradients go through room rented on the tape.
            [Differentiable]
            public static double AddArr(ReadOnlySpan<double> arr, int n)
            {
                double ret = 0.0;
                for (int i = 0; i < n; i++)
                {
                    ret += arr[i] * arr[i] + Math.Sin(arr[i]);
                }

                return ret;
            }

            [Differentiable]
            public static double Energy(ReadOnlySpan<double> a) => AD.LogSumExp(a) + 0.5 * AD.Dot(a, a);

            [Differentiable]
            public static double CallsOverSpans(ReadOnlySpan<double> x, [NoDiff] ReadOnlySpan<double> c, double w)
            {
                Span<double> scaled = stackalloc double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    scaled[i] = x[i] * w;
                }

                double s = AddArr(x, x.Length - 1) * w;
                s += Math.Exp(AddArr(scaled, x.Length) * 0.1);
                scaled[0] = s * x[1];
                return s + Energy(scaled) * AddArr(scaled, 2) + Counted(w, x[2], 2) + AddArr(c, 2) * x[0];
            }

            private static readonly double[] Weights = { 0.3, -0.2 };

            public static double CallsOverSpansValue(double[] a) => CallsOverSpans(a.AsSpan(0, 5), Weights, a[5]);

            public static double CallsOverSpansGradient(double[] a, double[] d) => CallsOverSpansGradient(a.AsSpan(0, 5), Weights, a[5], d.AsSpan(0, 5), out d[5]);

            public static double CallsOverSpansTangent(double[] a, double[] t, double[] tangent) =>
                CallsOverSpansJvp(a.AsSpan(0, 5), Weights, a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double CallsOverSpansHvp(double[] a, double[] v, double[] hv) =>
                CallsOverSpansHessianVectorProduct(a.AsSpan(0, 5), Weights, a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            // A reduction beside a call over the same span, written as a loop or in a [Differentiable] method of its own
            // (AD.Sum itself is taken too: Reduced).
            [Differentiable]
            public static double Total(ReadOnlySpan<double> a) => AD.Sum(a);

            [Differentiable]
            public static double SumByLoop(ReadOnlySpan<double> a)
            {
                double s = 0;
                foreach (var v in a) s += v;
                return (Energy(a) * a[0]) + s;
            }

            [Differentiable]
            public static double SumByCall(ReadOnlySpan<double> a) => (Energy(a) * a[0]) + Total(a);

            public static double SumByLoopValue(double[] a) => SumByLoop(a);

            public static double SumByLoopGradient(double[] a, double[] d) => SumByLoopGradient(a.AsSpan(), d.AsSpan());

            public static double SumByLoopTangent(double[] a, double[] t, double[] tangent) => SumByLoopJvp(a, t, out tangent[0]);

            public static double SumByLoopHvp(double[] a, double[] v, double[] hv) => SumByLoopHessianVectorProduct(a, v, hv);

            public static double SumByCallValue(double[] a) => SumByCall(a);

            public static double SumByCallGradient(double[] a, double[] d) => SumByCallGradient(a.AsSpan(), d.AsSpan());

            public static double SumByCallTangent(double[] a, double[] t, double[] tangent) => SumByCallJvp(a, t, out tangent[0]);

            public static double SumByCallHvp(double[] a, double[] v, double[] hv) => SumByCallHessianVectorProduct(a, v, hv);

            // AD's reductions in a taped body, each a call of its [Differentiable] twin in the runtime
            // (AutoDiff.CompilerServices.Reductions): on a parameter, a local array, a slice, inside a loop over a count.
            [Differentiable]
            public static double Reduced(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n)
            {
                var scaled = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    scaled[i] = a[i] * Math.Exp(b[i]);
                }

                double s = AD.Dot(a, b) + Energy(a);
                for (int k = 0; k < n; k++)
                {
                    s = Math.Tanh(s + (0.1 * AD.Sum(scaled)));
                }

                return s + AD.LogSumExp(b) + AD.Mean(a.Slice(1)) + AD.Norm(scaled) + AD.Max(b) + AD.SquaredDistance(a, b);
            }

            // Sums of a function in a taped body, each a loop before its statement: over one row, two rows (a
            // parameter and a local array), a slice, reading a scalar parameter (w) and a local the loop assigns (s),
            // inside a loop over a count and inside a foreach over the row (a reduction in a row loop: AD0011 for the graph).
            [Differentiable]
            public static double SummedFunctions(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double w, int n)
            {
                double s = AD.Sum(a, x => x * x * w);
                var local = new double[a.Length];
                for (int k = 0; k < n; k++)
                {
                    s = Math.Tanh(s + (AD.Sum(a, b, (x, y) => Math.Sin((x * y) + s)) * 0.1));
                    local[k % a.Length] += s;
                }

                foreach (var v in b)
                {
                    s += v * AD.Sum(a, x => Math.Exp(x * v) * 0.1);
                    Scale(ref w, AD.Sum(b, x => 0.9 + (0.1 * Math.Tanh(x * v)))); // the sum, before the call writes w
                }

                return s + AD.Sum(local, b, (u, v) => u * Math.Exp(v)) + AD.Sum(a.Slice(1), x => Math.Cos(x) * w);
            }

            public static double SummedFunctionsValue(double[] a) => SummedFunctions(a.AsSpan(0, 4), a.AsSpan(4, 4), a[8], 3);

            public static double SummedFunctionsGradient(double[] a, double[] d) => SummedFunctionsGradient(a.AsSpan(0, 4), a.AsSpan(4, 4), a[8], 3, d.AsSpan(0, 4), d.AsSpan(4, 4), out d[8]);

            public static double SummedFunctionsTangent(double[] a, double[] t, double[] tangent) =>
                SummedFunctionsJvp(a.AsSpan(0, 4), a.AsSpan(4, 4), a[8], 3, t.AsSpan(0, 4), t.AsSpan(4, 4), t[8], out tangent[0]);

            public static double SummedFunctionsHvp(double[] a, double[] v, double[] hv) =>
                SummedFunctionsHessianVectorProduct(a.AsSpan(0, 4), a.AsSpan(4, 4), a[8], 3, v.AsSpan(0, 4), v.AsSpan(4, 4), v[8], hv.AsSpan(0, 4), hv.AsSpan(4, 4), out hv[8]);

            // A differentiable scalar beside a span in a method of reductions (AD0018 for the graph): taped, margin's
            // gradient too.
            [Differentiable]
            public static double Margin(ReadOnlySpan<double> a, double margin) => (AD.LogSumExp(a) * margin) + AD.Sum(a) - (margin * margin);

            public static double MarginValue(double[] a) => Margin(a.AsSpan(0, 3), a[3]);

            public static double MarginGradient(double[] a, double[] d) => MarginGradient(a.AsSpan(0, 3), a[3], d.AsSpan(0, 3), out d[3]);

            public static double MarginTangent(double[] a, double[] t, double[] tangent) => MarginJvp(a.AsSpan(0, 3), a[3], t.AsSpan(0, 3), t[3], out tangent[0]);

            public static double MarginHvp(double[] a, double[] v, double[] hv) => MarginHessianVectorProduct(a.AsSpan(0, 3), a[3], v.AsSpan(0, 3), v[3], hv.AsSpan(0, 3), out hv[3]);

            public static double ReducedValue(double[] a) => Reduced(a.AsSpan(0, 5), a.AsSpan(5, 5), 3);

            public static double ReducedGradient(double[] a, double[] d) => ReducedGradient(a.AsSpan(0, 5), a.AsSpan(5, 5), 3, d.AsSpan(0, 5), d.AsSpan(5, 5));

            public static double ReducedTangent(double[] a, double[] t, double[] tangent) => ReducedJvp(a.AsSpan(0, 5), a.AsSpan(5, 5), 3, t.AsSpan(0, 5), t.AsSpan(5, 5), out tangent[0]);

            public static double ReducedHvp(double[] a, double[] v, double[] hv) =>
                ReducedHessianVectorProduct(a.AsSpan(0, 5), a.AsSpan(5, 5), 3, v.AsSpan(0, 5), v.AsSpan(5, 5), hv.AsSpan(0, 5), hv.AsSpan(5, 5));

            // A row method the graph holds that calls a method of scalars, on each element and on its maximum, and a taped
            // caller of it: the caller's Hessian-vector product goes through the row method's, which reads the callee's
            // Hessian on lanes.
            [Differentiable]
            public static double Bump(double x) => Math.Exp(-x * x) * x;

            [Differentiable]
            public static double BumpSum(ReadOnlySpan<double> a) => AD.Sum(a, x => Bump(x)) + Bump(AD.Max(a));

            [Differentiable]
            public static double CallsBumps(ReadOnlySpan<double> a) => (BumpSum(a) * a[0]) + Bump(a[1]);

            public static double CallsBumpsValue(double[] a) => CallsBumps(a);

            public static double CallsBumpsGradient(double[] a, double[] d) => CallsBumpsGradient(a.AsSpan(), d.AsSpan());

            public static double CallsBumpsTangent(double[] a, double[] t, double[] tangent) => CallsBumpsJvp(a, t, out tangent[0]);

            public static double CallsBumpsHvp(double[] a, double[] v, double[] hv) => CallsBumpsHessianVectorProduct(a, v, hv);

            // A method of scalars whose local array is passed to the helper.
            [Differentiable]
            public static double CallsWithLocalArray(double x, double y)
            {
                double[] a = { x, y, x * y };
                return AddArr(a, 3) + Math.Sin(AddArr(a, 2)) + ArraySoftMaximum(a); // the last takes a double[]
            }

            public static double CallsWithLocalArrayValue(double[] a) => CallsWithLocalArray(a[0], a[1]);

            public static double CallsWithLocalArrayGradient(double[] a, double[] d) => CallsWithLocalArrayGradient(a[0], a[1], out d[0], out d[1]);

            public static double CallsWithLocalArrayTangent(double[] a, double[] t, double[] tangent) => CallsWithLocalArrayJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double CallsWithLocalArrayHessian(double[] a, double[] gradient, double[] hessian) => CallsWithLocalArrayHessian(a[0], a[1], gradient, hessian);

            public static double RepeatCalls(double[] x, double[] dX, int times)
            {
                double sum = 0.0;
                for (int t = 0; t < times; t++)
                {
                    sum += CallsOverSpansGradient(x, Weights, 0.5, dX, out double dW) + dW;
                }

                return sum;
            }

            public static double RepeatCallsHvp(double[] x, double[] v, double[] hv, int times)
            {
                double sum = 0.0;
                for (int t = 0; t < times; t++)
                {
                    sum += CallsOverSpansHessianVectorProduct(x, Weights, 0.5, v, 0.25, hv, out double hvW) + hvW;
                }

                return sum;
            }

            // Assignments used as values in conditions: a while loop's test assigns a carried value and, behind &&, an
            // int; an if's test a compound assignment, around a break; a do loop's test behind || and &&.
            [Differentiable]
            public static double Assigning(double x, double y, int n)
            {
                double r = 0.0, s = 0.0;
                int k = 0, j = 0;
                while ((r = Math.Sin(x * r + y)) < 0.9 && (k = k + 1) < n)
                {
                    if ((s += r * y) > 2.0) { break; }
                }

                do
                {
                    s = s * 0.5 + x;
                }
                while (((s -= 0.1 * y) > 1.0 || (r *= 0.5) > 0.3) && (j += 1) < 5);
                return s + r;
            }

            public static double AssigningValue(double[] a) => Assigning(a[0], a[1], 4);

            public static double AssigningGradient(double[] a, double[] d) => AssigningGradient(a[0], a[1], 4, out d[0], out d[1]);

            public static double AssigningTangent(double[] a, double[] t, double[] tangent) => AssigningJvp(a[0], a[1], 4, t[0], t[1], out tangent[0]);

            public static double AssigningHvp(double[] a, double[] v, double[] hv) => AssigningHessianVectorProduct(a[0], a[1], 4, v[0], v[1], out hv[0], out hv[1]);

            // Arrays of ints made with their length or their elements, written (=, +=, ++) in a loop and read as indices
            // and numbers: a permutation built by swaps, and counts.
            [Differentiable]
            public static double Permuted(double x, double y, int n)
            {
                int[] order = new int[3];
                for (int i = 0; i < 3; i++)
                {
                    order[i] = i;
                }

                Span<int> counts = stackalloc int[] { 0, 1 };
                double[] values = { x, y, x * y };
                double s = 0.0;
                for (int k = 0; k < n; k++)
                {
                    int t = order[k % 3];
                    order[k % 3] = order[(k + 1) % 3];
                    order[(k + 1) % 3] = t;
                    counts[k % 2]++;
                    counts[1] += order[0];
                    s += values[order[0]] * Math.Sin(values[order[2]] * counts[1]);
                }

                return s;
            }

            public static double PermutedValue(double[] a) => Permuted(a[0], a[1], 5);

            public static double PermutedGradient(double[] a, double[] d) => PermutedGradient(a[0], a[1], 5, out d[0], out d[1]);

            public static double PermutedTangent(double[] a, double[] t, double[] tangent) => PermutedJvp(a[0], a[1], 5, t[0], t[1], out tangent[0]);

            public static double PermutedHvp(double[] a, double[] v, double[] hv) => PermutedHessianVectorProduct(a[0], a[1], 5, v[0], v[1], out hv[0], out hv[1]);

            // Void helpers called as statements, their results in out and ref parameters: out var, out double, a
            // discard, ref to a local and to a parameter, a helper with a loop of its own, one calling another, an
            // expression-bodied one, called inside a loop.
            [Differentiable]
            public static void Polar(double r, double theta, out double x, out double y)
            {
                x = r * Math.Cos(theta);
                y = r * Math.Sin(theta);
            }

            [Differentiable]
            public static void Scale(ref double v, double by) => v *= by;

            [Differentiable]
            public static void Smooth(ref double v, double target, int steps)
            {
                for (int k = 0; k < steps; k++)
                {
                    v = 0.5 * (v + Math.Tanh(target * v));
                }

                Scale(ref v, 1.5);
            }

            [Differentiable]
            public static double Helpers(double r, double t, int n)
            {
                Polar(r, t, out var x, out double y);
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    Polar(x + 0.1 * i, y, out x, out _);
                    Scale(ref s, 0.5);
                    Smooth(ref s, x * y, i % 3);
                    s += x * y;
                }

                Scale(ref r, t);
                return s + r;
            }

            public static double HelpersValue(double[] a) => Helpers(a[0], a[1], 4);

            public static double HelpersGradient(double[] a, double[] d) => HelpersGradient(a[0], a[1], 4, out d[0], out d[1]);

            public static double HelpersTangent(double[] a, double[] t, double[] tangent) => HelpersJvp(a[0], a[1], 4, t[0], t[1], out tangent[0]);

            public static double HelpersHvp(double[] a, double[] v, double[] hv) => HelpersHessianVectorProduct(a[0], a[1], 4, v[0], v[1], out hv[0], out hv[1]);

            // A method of scalars alone that calls a helper: its Hessian.
            [Differentiable]
            public static double CallsPolar(double r, double t)
            {
                Polar(r * r, t + r, out var x, out var y);
                return x * y + Math.Sin(x);
            }

            public static double CallsPolarValue(double[] a) => CallsPolar(a[0], a[1]);

            public static double CallsPolarGradient(double[] a, double[] d) => CallsPolarGradient(a[0], a[1], out d[0], out d[1]);

            public static double CallsPolarTangent(double[] a, double[] t, double[] tangent) => CallsPolarJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double CallsPolarHessian(double[] a, double[] gradient, double[] hessian) => CallsPolarHessian(a[0], a[1], gradient, hessian);

            // bool parameters: switches read by conditions and passed on to a callee.
            [Differentiable]
            public static double Clamped(double x, double y, bool clamp) => clamp ? Math.Min(x * y, 0.25) : x * y + Math.Sin(x);

            [Differentiable]
            public static double Switched(double x, double y, bool flip)
            {
                double s = Clamped(x, y, !flip) + Clamped(y, x, flip);
                bool positive = s > 0.0 && !flip;
                return positive ? s * s : -s * Math.Exp(y);
            }

            public static double SwitchedValue(double[] a) => Switched(a[0], a[1], true) + Switched(a[0], a[1], false);

            public static double SwitchedGradient(double[] a, double[] d)
            {
                double value = SwitchedGradient(a[0], a[1], true, out d[0], out d[1]) + SwitchedGradient(a[0], a[1], false, out double dX, out double dY);
                d[0] += dX;
                d[1] += dY;
                return value;
            }

            public static double SwitchedTangent(double[] a, double[] t, double[] tangent)
            {
                double value = SwitchedJvp(a[0], a[1], true, t[0], t[1], out tangent[0]) + SwitchedJvp(a[0], a[1], false, t[0], t[1], out double other);
                tangent[0] += other;
                return value;
            }

            public static double SwitchedHvp(double[] a, double[] v, double[] hv)
            {
                double value = SwitchedHessianVectorProduct(a[0], a[1], true, v[0], v[1], out hv[0], out hv[1]) +
                               SwitchedHessianVectorProduct(a[0], a[1], false, v[0], v[1], out double hvX, out double hvY);
                hv[0] += hvX;
                hv[1] += hvY;
                return value;
            }

            // A T[] parameter whose elements the body writes, C's in-place style, and passes by reference to a helper: the
            // gradient is the value's with respect to the array as it came in (the wrappers pass copies, a[..4], since the
            // method itself changes its argument).
            [Differentiable]
            public static double InPlace(double[] a, double w, int n)
            {
                for (int k = 0; k < n; k++)
                {
                    for (int i = 1; i < a.Length; i++)
                    {
                        a[i] += w * Math.Sin(a[i - 1]);
                    }

                    a[0] *= 0.5;
                    Scale(ref a[k % 2 + 1], 1.0 + w);
                }

                return a[a.Length - 1] * a[0] + Energy(a);
            }

            public static double InPlaceValue(double[] a) => InPlace(a[..4], a[4], 3);

            public static double InPlaceGradient(double[] a, double[] d) => InPlaceGradient(a[..4], a[4], 3, d.AsSpan(0, 4), out d[4]);

            public static double InPlaceTangent(double[] a, double[] t, double[] tangent) => InPlaceJvp(a[..4], a[4], 3, t[..4], t[4], out tangent[0]);

            public static double InPlaceHvp(double[] a, double[] v, double[] hv) =>
                InPlaceHessianVectorProduct(a[..4], a[4], 3, v[..4], v[4], hv.AsSpan(0, 4), out hv[4]);

            // Named arguments and default values, of a callee (a T, an int and a bool left out) and of a void helper.
            [Differentiable]
            public static double Repeated(double x, double scale = 2.0, int n = 3, bool square = true)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    s += square ? x * x * scale : x * scale;
                }

                return s;
            }

            [Differentiable]
            public static void Shift(double by, ref double v, double times = 0.5) => v += by * times;

            [Differentiable]
            public static double Defaults(double x, double y)
            {
                double v = y;
                for (int k = 0; k < 2; k++)
                {
                    Shift(x, ref v);
                    Shift(times: 2.0, v: ref v, by: y * v);
                }

                return Repeated(x) + Repeated(y, n: 2, scale: x) + Repeated(square: false, x: v);
            }

            public static double DefaultsValue(double[] a) => Defaults(a[0], a[1]);

            public static double DefaultsGradient(double[] a, double[] d) => DefaultsGradient(a[0], a[1], out d[0], out d[1]);

            public static double DefaultsTangent(double[] a, double[] t, double[] tangent) => DefaultsJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double DefaultsHessian(double[] a, double[] gradient, double[] hessian) => DefaultsHessian(a[0], a[1], gradient, hessian);

            // Ref locals: one bound to a local, one to an element (bound again in each iteration, written with =, += and
            // ++), a ref readonly one read.
            [Differentiable]
            public static double Refs(double x, double y, int n)
            {
                double[] a = { x, y, x * y };
                double s = 0.0;
                ref double t = ref s;
                for (int i = 0; i < n; i++)
                {
                    ref double e = ref a[i % 3];
                    e = e * 0.5 + Math.Sin(t);
                    e += y;
                    e++;
                    t += e * x;
                }

                ref readonly double last = ref a[2];
                return s + last * a[0];
            }

            public static double RefsValue(double[] a) => Refs(a[0], a[1], 4);

            public static double RefsGradient(double[] a, double[] d) => RefsGradient(a[0], a[1], 4, out d[0], out d[1]);

            public static double RefsTangent(double[] a, double[] t, double[] tangent) => RefsJvp(a[0], a[1], 4, t[0], t[1], out tangent[0]);

            public static double RefsHvp(double[] a, double[] v, double[] hv) => RefsHessianVectorProduct(a[0], a[1], 4, v[0], v[1], out hv[0], out hv[1]);

            // An int passed by ref to a method returning a value, which counts its calls there (its own forms take it by
            // value), and an in int: the caller reads the count its two calls leave.
            [Differentiable]
            public static double Iterate(double x, in int k, ref int calls)
            {
                calls++;
                double y = x;
                for (int i = 0; i < k; i++)
                {
                    y = Math.Sin(y) + (0.25 * calls);
                }

                return y;
            }

            [Differentiable]
            public static double Tallied(double x, double y)
            {
                int calls = 0;
                double a = Iterate(x, 3, ref calls);
                Iterate(y, 1, ref calls);
                double b = Iterate(y, 2, ref calls);
                return a * b * calls;
            }

            // ScaleB(x, n) = x·2ⁿ and RootN(x, n), each with an int: taped (the graph holds no int argument), their
            // gradients read as x·2ⁿ's and root/(n·x); RootN of a negative value where n is odd.
            [Differentiable]
            public static double ScaledRoots(double x, double y, int n) =>
                Math.ScaleB(x * y, n) + (double.RootN((x * x) + 0.5, n + 1) * y) + double.RootN(y - 3.0, 3) - Math.ScaleB(y, -n);

            public static double ScaledRootsValue(double[] a) => ScaledRoots(a[0], a[1], 2);

            public static double ScaledRootsGradient(double[] a, double[] d) => ScaledRootsGradient(a[0], a[1], 2, out d[0], out d[1]);

            public static double ScaledRootsTangent(double[] a, double[] t, double[] tangent) => ScaledRootsJvp(a[0], a[1], 2, t[0], t[1], out tangent[0]);

            public static double ScaledRootsHvp(double[] a, double[] v, double[] hv) => ScaledRootsHessianVectorProduct(a[0], a[1], 2, v[0], v[1], out hv[0], out hv[1]);

            // Steps that only some tests run: Newton's iteration guarded by a count that stops it early (while (err > tol
            // && it++ < 4)), a do loop's ++k behind &&, and k-- behind && in an if. The counts are read as numbers after.
            [Differentiable]
            public static double Guarded(double a, double b)
            {
                double s = 1.0 + (a * a);
                double target = s * (1.0 + (b * b));
                double x = s;
                double err = 1.0;
                int it = 0;
                while (err > 1e-13 && it++ < 4)
                {
                    double next = 0.5 * (x + (target / x));
                    err = Math.Abs(next - x);
                    x = next;
                }

                int k = 0;
                do
                {
                    x += 0.1 * b * k;
                }
                while (x < 100.0 && ++k < 3);

                if (b > 0 && k-- > 2)
                {
                    x *= 1.5;
                }

                return (x * Math.Min(it, 3)) + k;
            }

            // Round with digits and a mode, read as numbers: a count from a value with a gradient, a condition, and a factor
            // of [NoDiff] data (with Math.Floor of it), in a taped loop.
            [Differentiable]
            public static double Rounding(double a, double b, [NoDiff] double scale)
            {
                int n = 2 + (int)Math.Round(Math.Abs(a) * 3, MidpointRounding.ToZero);
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    s += Math.Sin((a * i) + b) * Math.Round(scale, 1, MidpointRounding.AwayFromZero) * Math.Floor(scale * 4);
                }

                if (Math.Round(b, 2) > 0.25)
                {
                    s *= b;
                }

                return s;
            }

            public static double RoundingValue(double[] a) => Rounding(a[0], a[1], 1.27);

            public static double RoundingGradient(double[] a, double[] d) => RoundingGradient(a[0], a[1], 1.27, out d[0], out d[1]);

            public static double RoundingTangent(double[] a, double[] t, double[] tangent) => RoundingJvp(a[0], a[1], 1.27, t[0], t[1], out tangent[0]);

            public static double RoundingHessian(double[] a, double[] gradient, double[] hessian) => RoundingHessian(a[0], a[1], 1.27, gradient, hessian);

            public static double GuardedValue(double[] a) => Guarded(a[0], a[1]);

            public static double GuardedGradient(double[] a, double[] d) => GuardedGradient(a[0], a[1], out d[0], out d[1]);

            public static double GuardedTangent(double[] a, double[] t, double[] tangent) => GuardedJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double GuardedHessian(double[] a, double[] gradient, double[] hessian) => GuardedHessian(a[0], a[1], gradient, hessian);

            public static double TalliedValue(double[] a) => Tallied(a[0], a[1]);

            public static double TalliedGradient(double[] a, double[] d) => TalliedGradient(a[0], a[1], out d[0], out d[1]);

            public static double TalliedTangent(double[] a, double[] t, double[] tangent) => TalliedJvp(a[0], a[1], t[0], t[1], out tangent[0]);

            public static double TalliedHessian(double[] a, double[] gradient, double[] hessian) => TalliedHessian(a[0], a[1], gradient, hessian);

            // Time steps over arrays: a new array made in each pass and the state given it (state = next), the old state
            // kept as a spare through another name (var old = state) and written there, an element written through the
            // new state's other name (next), and the state given a new array (state = new double[n]) at the end.
            [Differentiable]
            public static double Stepped(ReadOnlySpan<double> a, double w, int steps)
            {
                var state = new double[a.Length];
                double[] spare = [w, 0.0, 0.0, 0.0];
                for (int t = 0; t < steps; t++)
                {
                    var next = new double[a.Length];
                    for (int i = 0; i < a.Length; i++)
                    {
                        double left = i > 0 ? state[i - 1] : spare[a.Length - 1];
                        next[i] = Math.Tanh((w * state[i]) + (0.5 * left) + a[i]);
                    }

                    var old = state;
                    state = next;
                    spare = old;
                    spare[t % a.Length] += w * spare[0];
                    next[0] += 0.1 * w; // state[0] too: the same array
                }

                double s = spare[1] * w;
                foreach (var v in state)
                {
                    s += v * v;
                }

                state = new double[a.Length];
                state[0] = s;
                return state[0] + a[0];
            }

            public static double SteppedValue(double[] a) => Stepped(a.AsSpan(0, 4), a[4], 3);

            public static double SteppedGradient(double[] a, double[] d) => SteppedGradient(a.AsSpan(0, 4), a[4], 3, d.AsSpan(0, 4), out d[4]);

            public static double SteppedTangent(double[] a, double[] t, double[] tangent) => SteppedJvp(a.AsSpan(0, 4), a[4], 3, t.AsSpan(0, 4), t[4], out tangent[0]);

            public static double SteppedHvp(double[] a, double[] v, double[] hv) =>
                SteppedHessianVectorProduct(a.AsSpan(0, 4), a[4], 3, v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), out hv[4]);

            // long counters, bounds and numbers: a long parameter, long locals stepped and assigned (in a condition too),
            // a product past int's range, a long literal, casts between int and long, a long passed to a callee.
            [Differentiable]
            public static double Longs(double x, double y, long n)
            {
                double p = 1.0;
                for (long k = 0; k < n; k++)
                {
                    p = (p * 0.5) + Math.Sin(x * k);
                }

                long m = n * 3_000_000_000L;
                int small = (int)(m % 7);
                long back = small + 4;
                while ((back -= 2) > 0)
                {
                    p += y * back;
                }

                return p + Power(y, n - 1L) + (m * 1e-10 * x);
            }

            [Differentiable]
            public static double Power(double y, long e)
            {
                double r = 1.0;
                for (long i = 0; i < e; i++)
                {
                    r *= y;
                }

                return r;
            }

            public static double LongsValue(double[] a) => Longs(a[0], a[1], 3);

            public static double LongsGradient(double[] a, double[] d) => LongsGradient(a[0], a[1], 3, out d[0], out d[1]);

            public static double LongsTangent(double[] a, double[] t, double[] tangent) => LongsJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double LongsHvp(double[] a, double[] v, double[] hv) => LongsHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            // Conditions that step their counter in loops left by continue, break and return (clad's fn14, fn15, fn17): the
            // counter read as a number in the body (in checked and unchecked expressions too), so the reverse sweep needs
            // each test undone where it ran — after an iteration that ran to its end or continued, and the last test
            // where the loop was not left by break or return.
            [Differentiable]
            public static double SteppedExits(double x, double y, int n)
            {
                double r = 0;
                int k = n;
                while (k-- > 0)
                {
                    if (k == 1)
                    {
                        continue;
                    }

                    r += checked(x * k) * Math.Sin(y * unchecked(k + 0));
                    if (k == 2 && x > 0)
                    {
                        break;
                    }

                    if (k == 3 && y < -0.5)
                    {
                        return r * k;
                    }
                }

                int m = 3;
                do
                {
                    r += y * m * x;
                    if (m == 2)
                    {
                        continue;
                    }

                    if (m == 1 && y > 0)
                    {
                        break;
                    }

                    r *= 0.5 + (0.1 * m);
                }
                while (--m > 0);
                return r + (x * k) + (y * m);
            }

            public static double SteppedExitsValue(double[] a) => SteppedExits(a[0], a[1], 5);

            public static double SteppedExitsGradient(double[] a, double[] d) => SteppedExitsGradient(a[0], a[1], 5, out d[0], out d[1]);

            public static double SteppedExitsTangent(double[] a, double[] t, double[] tangent) => SteppedExitsJvp(a[0], a[1], 5, t[0], t[1], out tangent[0]);

            public static double SteppedExitsHvp(double[] a, double[] v, double[] hv) => SteppedExitsHessianVectorProduct(a[0], a[1], 5, v[0], v[1], out hv[0], out hv[1]);

            // Assignments inside expressions, run before their statement (clad's Assignments.C f7, f8, f13, f22): one
            // inside a product, a chain through elements, a prefix step of an element read as a value, in a loop; and one
            // whose right side reads its own target (the old value, as C# reads it).
            [Differentiable]
            public static double Nested(double x, double y, int n)
            {
                double t = 0, u = 0, h = y;
                double[] a = { x, y, 0.5 };
                for (int i = 0; i < n; i++)
                {
                    t += Math.Sin(x * (u = (t * y) + 0.1));
                    t += 0.25 * Math.Tanh(h = (0.5 * h) + (x * h));
                    a[2] = a[1] *= a[0] = u;
                    x = ++a[2] * 0.5;
                }

                return t + a[2] + (x * y);
            }

            public static double NestedValue(double[] a) => Nested(a[0], a[1], 3);

            public static double NestedGradient(double[] a, double[] d) => NestedGradient(a[0], a[1], 3, out d[0], out d[1]);

            public static double NestedTangent(double[] a, double[] t, double[] tangent) => NestedJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double NestedHvp(double[] a, double[] v, double[] hv) => NestedHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            // The other integers (short, ushort, byte, sbyte, char, uint, ulong): parameters, a short counter, byte and
            // ulong locals assigned in the loop (kept for the reverse sweep, which reads w), wrapping as C# wraps them
            // (which the value check sees), a char counter and a switch on it, casts, and a callee's integer defaults.
            [Differentiable]
            public static double Narrow(double x, double y, short n, byte b, char first, uint u)
            {
                double p = 0.0;
                byte w = b;
                ulong big = 0;
                for (short k = 0; k < n; k++)
                {
                    w += 100;
                    big -= 1;
                    p = (p * 0.25) + Math.Sin(x * w * 1e-2) + (y * (big % 5));
                }

                uint left = u - 7u;
                for (char c = first; c <= 'c'; c++)
                {
                    switch (c)
                    {
                        case 'a':
                            p += x * (left % 3);
                            break;
                        case 'b':
                            p -= y * (sbyte)(w - 128);
                            break;
                        default:
                            p *= 1.5;
                            break;
                    }
                }

                return p + Scaled(y, (ushort)(n + 1));
            }

            [Differentiable]
            public static double Scaled(double y, ushort m, sbyte shift = -2, char unit = 'u', ulong mask = 18446744073709551615) =>
                (y * (m + shift)) + (unit == 'u' ? y * y * (mask % 10) : 0.0);

            public static double NarrowValue(double[] a) => Narrow(a[0], a[1], 3, 200, 'a', 4);

            public static double NarrowGradient(double[] a, double[] d) => NarrowGradient(a[0], a[1], 3, 200, 'a', 4, out d[0], out d[1]);

            public static double NarrowTangent(double[] a, double[] t, double[] tangent) => NarrowJvp(a[0], a[1], 3, 200, 'a', 4, t[0], t[1], out tangent[0]);

            public static double NarrowHvp(double[] a, double[] v, double[] hv) => NarrowHessianVectorProduct(a[0], a[1], 3, 200, 'a', 4, v[0], v[1], out hv[0], out hv[1]);

            // Static fields read as values with no gradient: a static readonly double computed at start-up, a mutable
            // int and bool of another class, a double read through a cast in float code (FieldsInFloat); functions
            // written with the primitives (Lerp, Log(x, b), Exp2M1, Atan2Pi: Rules.Composites), the choosers
            // (MaxMagnitude, MinNumber, MinMagnitudeNumber) and SinPi, CosPi, TanPi.
            private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

            [Differentiable]
            public static double Fields(double x, double sigma)
            {
                double s = 0.0;
                for (int k = 0; k < Settings.Rounds; k++)
                {
                    double z = (x - k) / sigma;
                    s += (-0.5 * z * z) - Math.Log(sigma) - LogSqrt2Pi;
                    s = double.Lerp(s, Math.Log(2.0 + (x * x), 3.0), 0.25) + double.Exp2M1(0.1 * sigma); // composites, taped
                    s += double.Atan2Pi(x, sigma) + Math.MaxMagnitude(0.5 * x, s * 0.1) - double.MinNumber(x * sigma, 0.5); // a composite and choosers
                    s += (double.SinPi(0.25 * x) * double.TanPi(0.1 * sigma)) + double.CosPi(0.01 * s) - double.MinMagnitudeNumber(x, 0.3);
                }

                return Settings.Centered ? s - (Settings.Gain * x) : s;
            }

            [Differentiable]
            public static float FieldsInFloat(float x) => x * (float)Settings.Gain;

            public static double FieldsValue(double[] a) => Fields(a[0], 1.5 + (0.25 * a[1]));

            public static double FieldsGradient(double[] a, double[] d)
            {
                double value = FieldsGradient(a[0], 1.5 + (0.25 * a[1]), out d[0], out d[1]);
                d[1] *= 0.25;
                return value;
            }

            public static double FieldsTangent(double[] a, double[] t, double[] tangent) => FieldsJvp(a[0], 1.5 + (0.25 * a[1]), t[0], 0.25 * t[1], out tangent[0]);

            public static double FieldsHvp(double[] a, double[] v, double[] hv)
            {
                Span<double> gradient = stackalloc double[2], hessian = stackalloc double[4]; // a method of scalars: its Hessian
                FieldsHessian(a[0], 1.5 + (0.25 * a[1]), gradient, hessian);
                hv[0] = (hessian[0] * v[0]) + (hessian[1] * 0.25 * v[1]);
                hv[1] = 0.25 * ((hessian[2] * v[0]) + (hessian[3] * 0.25 * v[1]));
                return (gradient[0] * v[0]) + (gradient[1] * 0.25 * v[1]); // the directional derivative, as the product form returns
            }

            // Slices passed to a method over spans: of a span parameter (Slice with a start and a length, with a start
            // alone, a range from a start, a range to an end counted from the end) and of a local array (AsSpan, a range
            // counted from the end at both ends), in a loop whose counter moves the window; a span local naming a slice.
            [Differentiable]
            public static double Windows(ReadOnlySpan<double> x, double w)
            {
                var buffer = new double[x.Length];
                for (int i = 0; i < x.Length; i++)
                {
                    buffer[i] = Math.Sin(w * x[i]);
                }

                double s = 0.0;
                for (int i = 0; i + 3 <= x.Length; i++)
                {
                    s += (Weighted(x.Slice(i, 3)) * w) + Weighted(buffer.AsSpan(i, 2));
                }

                ReadOnlySpan<double> tail = x[1..]; // another name for those elements
                return s + Weighted(tail) + Weighted(x[..^2]) + Weighted(buffer[^3..^1]) + Weighted(x.Slice(2));
            }

            [Differentiable]
            public static double Weighted(ReadOnlySpan<double> a)
            {
                double s = 0.0;
                for (int i = 0; i < a.Length; i++)
                {
                    s += a[i] * a[i] * (i + 1);
                }

                return s;
            }

            public static double WindowsValue(double[] a) => Windows(a.AsSpan(0, 5), a[5]);

            public static double WindowsGradient(double[] a, double[] d) => WindowsGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            public static double WindowsTangent(double[] a, double[] t, double[] tangent) => WindowsJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double WindowsHvp(double[] a, double[] v, double[] hv) =>
                WindowsHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            // Void helpers that write a span in place (C's style: the array is the result), one calling the other over a
            // slice, called with the method's own array parameter (copied on entry, as when the method writes it), a view
            // of it and a local array.
            [Differentiable]
            public static void Relax(Span<double> v, double w)
            {
                for (int i = 1; i < v.Length; i++)
                {
                    v[i] += w * Math.Sin(v[i - 1]);
                }
            }

            [Differentiable]
            public static void RelaxTwice(double[] v, double w)
            {
                Relax(v, w);
                Relax(v.AsSpan(1), 0.5 * w);
            }

            [Differentiable]
            public static double Smoothed(double[] a, double w)
            {
                RelaxTwice(a, w);
                Relax(a.AsSpan(0, 3), w * w);
                var local = new double[] { w, a[0], a[3] };
                Relax(local, a[1]);
                double s = local[2];
                foreach (var v in a)
                {
                    s += v * v;
                }

                return s;
            }

            public static double SmoothedValue(double[] a) => Smoothed(a[..4], a[4]);

            public static double SmoothedGradient(double[] a, double[] d) => SmoothedGradient(a[..4], a[4], d.AsSpan(0, 4), out d[4]);

            public static double SmoothedTangent(double[] a, double[] t, double[] tangent) => SmoothedJvp(a[..4], a[4], t[..4], t[4], out tangent[0]);

            public static double SmoothedHvp(double[] a, double[] v, double[] hv) =>
                SmoothedHessianVectorProduct(a[..4], a[4], v[..4], v[4], hv.AsSpan(0, 4), out hv[4]);

            // A loss over rows whose loop carries a value (so it is taped), with an index and a constant: it gets the batch
            // forms of a row method (F of every row, backward, sum, mean).
            [Differentiable]
            public static double Carried(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int target, [Constant] double c)
            {
                double h = 0.0;
                for (int i = 0; i < a.Length; i++)
                {
                    h = Math.Tanh((c * h) + (a[i] * b[i]));
                }

                return (h * h) - a[target];
            }

            public static double CarriedValue(double[] a) => Carried(a.AsSpan(0, 4), a.AsSpan(4, 4), 2, 0.7);

            public static double CarriedGradient(double[] a, double[] d) => CarriedGradient(a.AsSpan(0, 4), a.AsSpan(4, 4), 2, 0.7, d.AsSpan(0, 4), d.AsSpan(4, 4));

            public static double CarriedTangent(double[] a, double[] t, double[] tangent) =>
                CarriedJvp(a.AsSpan(0, 4), a.AsSpan(4, 4), 2, 0.7, t.AsSpan(0, 4), t.AsSpan(4, 4), out tangent[0]);

            public static double CarriedHvp(double[] a, double[] v, double[] hv) =>
                CarriedHessianVectorProduct(a.AsSpan(0, 4), a.AsSpan(4, 4), 2, 0.7, v.AsSpan(0, 4), v.AsSpan(4, 4), hv.AsSpan(0, 4), hv.AsSpan(4, 4));

            // The batch forms over rows × columns matrices, against the one-row forms row by row: F of every row, the
            // backward with an upstream gradient per row, the sum and the mean, each value and gradient in one array.
            private static (double[] A, double[] B) CarriedInputs(int rows, int columns)
            {
                var a = new double[rows * columns];
                var b = new double[rows * columns];
                for (int i = 0; i < a.Length; i++)
                {
                    a[i] = Math.Sin(i * 0.37);
                    b[i] = Math.Cos(i * 0.11);
                }

                return (a, b);
            }

            public static double[] CarriedBatch(int rows, int columns)
            {
                var (a, b) = CarriedInputs(rows, columns);
                var target = new int[rows];
                var upstream = new double[rows];
                for (int r = 0; r < rows; r++)
                {
                    target[r] = (r * 3) % columns;
                    upstream[r] = 0.5 + (r % 5);
                }

                var forward = new double[rows];
                Carried(rows, a, b, target, 0.7, forward);
                var dA = new double[a.Length];
                var dB = new double[a.Length];
                CarriedBackward(rows, a, b, target, 0.7, upstream, dA, dB);
                var sumA = new double[a.Length];
                var sumB = new double[a.Length];
                double sum = CarriedSum(rows, a, b, target, 0.7, sumA, sumB);
                var meanA = new double[a.Length];
                var meanB = new double[a.Length];
                double mean = CarriedMean(rows, a, b, target, 0.7, meanA, meanB);
                return [.. forward, .. dA, .. dB, sum, .. sumA, .. sumB, mean, .. meanA, .. meanB];
            }

            public static double[] CarriedByRow(int rows, int columns)
            {
                var (a, b) = CarriedInputs(rows, columns);

                var forward = new double[rows];
                var dA = new double[a.Length];
                var dB = new double[a.Length];
                var rowA = new double[a.Length];
                var rowB = new double[a.Length];
                double sum = 0.0;
                for (int r = 0; r < rows; r++)
                {
                    int offset = r * columns;
                    forward[r] = CarriedGradient(a.AsSpan(offset, columns), b.AsSpan(offset, columns), (r * 3) % columns, 0.7, rowA.AsSpan(offset, columns), rowB.AsSpan(offset, columns));
                    sum += forward[r];
                    for (int k = offset; k < offset + columns; k++)
                    {
                        dA[k] = (0.5 + (r % 5)) * rowA[k];
                        dB[k] = (0.5 + (r % 5)) * rowB[k];
                    }
                }

                return [.. forward, .. dA, .. dB, sum, .. rowA, .. rowB, sum / rows, .. rowA.Select(x => x / rows), .. rowB.Select(x => x / rows)];
            }

            // A collection expression with spreads: a row, a slice of it and elements around them.
            [Differentiable]
            public static double Padded(ReadOnlySpan<double> x, double w)
            {
                double[] p = [w, .. x, 0.5 * w, .. x[1..3]];
                double s = 0.0;
                for (int i = 1; i < p.Length; i++)
                {
                    s += p[i] * Math.Sin(p[i - 1]);
                }

                return s;
            }

            public static double PaddedValue(double[] a) => Padded(a.AsSpan(0, 5), a[5]);

            public static double PaddedGradient(double[] a, double[] d) => PaddedGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            public static double PaddedTangent(double[] a, double[] t, double[] tangent) => PaddedJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            public static double PaddedHvp(double[] a, double[] v, double[] hv) =>
                PaddedHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            // A method that writes its array and returns a value, called twice in statements that read nothing else of
            // the array (inlined there, so its writes are differentiated), the array read after each.
            [Differentiable]
            public static double Drain(double[] arr, int n)
            {
                double res = 0;
                for (int i = 0; i < n; ++i)
                {
                    res += arr[i] * arr[i];
                    arr[i] *= 0.5 + (0.1 * res);
                }

                return res;
            }

            [Differentiable]
            public static double Drained(double x, double y, int n)
            {
                var buf = new double[] { x, y, x * y };
                double s = Drain(buf, n);
                s += Drain(buf, n - 1) * y;
                return s + (buf[0] * buf[2]);
            }

            public static double DrainedValue(double[] a) => Drained(a[0], a[1], 3);

            public static double DrainedGradient(double[] a, double[] d) => DrainedGradient(a[0], a[1], 3, out d[0], out d[1]);

            public static double DrainedTangent(double[] a, double[] t, double[] tangent) => DrainedJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double DrainedHvp(double[] a, double[] v, double[] hv) => DrainedHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            // Span<T> parameters: one the method writes (copied on entry: the generated forms take a ReadOnlySpan and
            // leave the caller's elements alone), one the graph holds; called over a local array, a stackalloc span and
            // the caller's own Span parameter, whose writes the caller then reads.
            [Differentiable]
            public static double SmoothInPlace(Span<double> x, double w)
            {
                double s = 0.0;
                for (int i = 1; i < x.Length; i++)
                {
                    x[i] = (0.5 * x[i]) + (0.5 * Math.Tanh(w * x[i - 1]));
                    s += x[i] * x[i];
                }

                return s;
            }

            public static double SmoothInPlaceOver(double[] a) => SmoothInPlace(a.AsSpan(0, 4), a[4]);

            [Differentiable]
            public static double Corner(Span<double> x, double w) => Math.Sin(x[0] * w) + (x[1] * x[2]);

            [Differentiable]
            public static double Spanned(Span<double> x, double w)
            {
                var buffer = new double[3];
                Span<double> stack = stackalloc double[3];
                for (int i = 0; i < 3; i++)
                {
                    buffer[i] = x[i] * w;
                    stack[i] = x[i + 1] + w;
                }

                double r = SmoothInPlace(buffer, w);
                double q = SmoothInPlace(stack, 0.5);
                double p = SmoothInPlace(x, w);
                return r + q + p + buffer[2] + stack[1] + x[1] + Corner(x, w);
            }

            public static double SpannedValue(double[] a) => Spanned(a.AsSpan(0, 4).ToArray(), a[4]); // a copy: Spanned writes it

            public static double SpannedGradient(double[] a, double[] d) => SpannedGradient(a.AsSpan(0, 4), a[4], d.AsSpan(0, 4), out d[4]);

            public static double SpannedTangent(double[] a, double[] t, double[] tangent) => SpannedJvp(a.AsSpan(0, 4), a[4], t.AsSpan(0, 4), t[4], out tangent[0]);

            public static double SpannedHvp(double[] a, double[] v, double[] hv) => SpannedHessianVectorProduct(a.AsSpan(0, 4), a[4], v.AsSpan(0, 4), v[4], hv.AsSpan(0, 4), out hv[4]);

            // Math.Floor, Round, Ceiling, Truncate where an int or a condition reads them: values (over dual numbers too,
            // where their argument carries a tangent or does not).
            [Differentiable]
            public static double Rounded(double x, double y, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    int k = (int)Math.Floor(x * 3.0) + (int)double.Round(y * 2.0);
                    k += (int)Math.Round(0.5 * i) + Math.Sign(0.25 * (k - 1)); // arguments with no gradient: numbers over dual numbers too
                    if (Math.Floor(x + i) > y || Math.Ceiling(y) < x)
                    {
                        s += x * y * k;
                    }
                    else
                    {
                        s -= Math.Sin(x) * (k + (int)Math.Truncate(y * 4.0));
                    }
                }

                return s;
            }

            public static double RoundedValue(double[] a) => Rounded(a[0], a[1], 3);

            public static double RoundedGradient(double[] a, double[] d) => RoundedGradient(a[0], a[1], 3, out d[0], out d[1]);

            public static double RoundedTangent(double[] a, double[] t, double[] tangent) => RoundedJvp(a[0], a[1], 3, t[0], t[1], out tangent[0]);

            public static double RoundedHvp(double[] a, double[] v, double[] hv) => RoundedHessianVectorProduct(a[0], a[1], 3, v[0], v[1], out hv[0], out hv[1]);

            // Spans of ints (indices, counts: never differentiated): a gather, a sparse matrix in compressed rows (its row
            // starts an int[]) times a vector, a straight-line read at an index from one, a scalar method whose loop counts
            // come from one, passing a slice of it on.
            [Differentiable]
            public static double Gather(ReadOnlySpan<double> w, ReadOnlySpan<double> x, ReadOnlySpan<int> index)
            {
                double s = 0.0;
                for (int i = 0; i < index.Length; i++)
                {
                    s += w[index[i]] * x[i];
                }

                return s;
            }

            [Differentiable]
            public static double SparseEnergy(ReadOnlySpan<double> values, int[] rowStart, ReadOnlySpan<int> column, ReadOnlySpan<double> v)
            {
                double e = 0.0;
                for (int r = 0; r + 1 < rowStart.Length; r++)
                {
                    double y = 0.0;
                    for (int k = rowStart[r]; k < rowStart[r + 1]; k++)
                    {
                        y += values[k] * v[column[k]];
                    }

                    e += Math.Tanh(y) * y;
                }

                return e + (values[column[0]] * v[column[^1]]);
            }

            // No loop: a body the graph would hold but for the span of ints, which the tape reads.
            [Differentiable]
            public static double Picked(ReadOnlySpan<double> x, ReadOnlySpan<int> at) => Math.Sin(x[at[0]]) * x[at[1]];

            public static double PickedValue(double[] a) => Picked(a, Columns);

            public static double PickedGradient(double[] a, double[] d) => PickedGradient(a, Columns, d);

            public static double PickedTangent(double[] a, double[] t, double[] tangent) => PickedJvp(a, Columns, t, out tangent[0]);

            public static double PickedHvp(double[] a, double[] v, double[] hv) => PickedHessianVectorProduct(a, Columns, v, hv);

            private static readonly int[] RowStarts = [0, 2, 3, 5];
            private static readonly int[] Columns = [0, 2, 1, 0, 1];
            private static readonly int[] Counts = [2, 0, 2, 1];

            public static double SparseEnergyValue(double[] a) => SparseEnergy(a.AsSpan(0, 5), RowStarts, Columns, a.AsSpan(5, 3));

            public static double SparseEnergyGradient(double[] a, double[] d) => SparseEnergyGradient(a.AsSpan(0, 5), RowStarts, Columns, a.AsSpan(5, 3), d.AsSpan(0, 5), d.AsSpan(5, 3));

            public static double SparseEnergyTangent(double[] a, double[] t, double[] tangent) =>
                SparseEnergyJvp(a.AsSpan(0, 5), RowStarts, Columns, a.AsSpan(5, 3), t.AsSpan(0, 5), t.AsSpan(5, 3), out tangent[0]);

            public static double SparseEnergyHvp(double[] a, double[] v, double[] hv) =>
                SparseEnergyHessianVectorProduct(a.AsSpan(0, 5), RowStarts, Columns, a.AsSpan(5, 3), v.AsSpan(0, 5), v.AsSpan(5, 3), hv.AsSpan(0, 5), hv.AsSpan(5, 3));

            [Differentiable]
            public static double CountedSteps(double x, double y, ReadOnlySpan<int> counts)
            {
                double s = x;
                foreach (var c in counts)
                {
                    for (int j = 0; j < c; j++)
                    {
                        s = Math.Sin(s * y) + x;
                    }
                }

                var a = new double[] { x, y, s };
                var b = new double[] { y, s, x };
                return s + Gather(a, b, counts[1..^1]);
            }

            public static double CountedStepsValue(double[] a) => CountedSteps(a[0], a[1], Counts);

            public static double CountedStepsGradient(double[] a, double[] d) => CountedStepsGradient(a[0], a[1], Counts, out d[0], out d[1]);

            public static double CountedStepsTangent(double[] a, double[] t, double[] tangent) => CountedStepsJvp(a[0], a[1], Counts, t[0], t[1], out tangent[0]);

            public static double CountedStepsHvp(double[] a, double[] v, double[] hv) => CountedStepsHessianVectorProduct(a[0], a[1], Counts, v[0], v[1], out hv[0], out hv[1]);

            // Arrays kept, then an int divided by zero: the call throws.
            [Differentiable]
            public static double Throwing(ReadOnlySpan<double> a, int by)
            {
                var state = new double[a.Length];
                double s = 0.0;
                for (int t = 0; t < 2; t++)
                {
                    var next = new double[a.Length];
                    next[0] = a[t] + state[0];
                    state = next;
                    s += state[0] * (t / by);
                }

                return s;
            }

            public static double ThrowingGradient(double[] a, double[] d) => ThrowingGradient(a, 0, d);

            // A method over a span whose derivative its author supplies (its body calls LINQ, which the generator does not
            // differentiate), and a taped method that calls it.
            [Differentiable]
            public static double SoftMaximum(ReadOnlySpan<double> a, double w) => w * Math.Log(a.ToArray().Sum(Math.Exp));

            [DerivativeOf(nameof(SoftMaximum))]
            public static double SoftMaximumDerivative(ReadOnlySpan<double> a, double w, Span<double> dA, out double dW)
            {
                double total = 0.0;
                foreach (var v in a)
                {
                    total += Math.Exp(v);
                }

                for (int i = 0; i < a.Length; i++)
                {
                    dA[i] = w * Math.Exp(a[i]) / total;
                }

                dW = Math.Log(total);
                return w * dW;
            }

            // Its Hessian-vector product, supplied under another name. With p the softmax of a and L = log Σ exp(a):
            // ∂²F/∂aᵢ∂aⱼ = w(pᵢδᵢⱼ − pᵢpⱼ), ∂²F/∂aᵢ∂w = pᵢ, ∂²F/∂w² = 0 (worked by hand), times (vA, vW).
            [DerivativeOf(nameof(SoftMaximum))]
            public static double SoftMaximumSecond(ReadOnlySpan<double> a, double w, ReadOnlySpan<double> vA, double vW, Span<double> hvA, out double hvW)
            {
                double total = 0.0, pv = 0.0;
                foreach (var v in a)
                {
                    total += Math.Exp(v);
                }

                for (int i = 0; i < a.Length; i++)
                {
                    pv += Math.Exp(a[i]) / total * vA[i];
                }

                for (int i = 0; i < a.Length; i++)
                {
                    double p = Math.Exp(a[i]) / total;
                    hvA[i] = (w * ((p * vA[i]) - (p * pv))) + (p * vW);
                }

                hvW = pv;
                return (w * pv) + (Math.Log(total) * vW);
            }

            public static double SoftMaximumHvp(double[] a, double[] v, double[] hv) =>
                SoftMaximumHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            public static double SoftMaximumValue(double[] a) => SoftMaximum(a.AsSpan(0, 5), a[5]);

            public static double SoftMaximumGradient(double[] a, double[] d) => SoftMaximumGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            public static double SoftMaximumTangent(double[] a, double[] t, double[] tangent) =>
                SoftMaximumJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            [Differentiable]
            public static double CallsSupplied(ReadOnlySpan<double> x, double w)
            {
                double s = 0.0;
                for (int i = 0; i < 2; i++)
                {
                    s += SoftMaximum(x, w * i + 1.0) * x[i];
                }

                return s;
            }

            public static double CallsSuppliedValue(double[] a) => CallsSupplied(a.AsSpan(0, 5), a[5]);

            public static double CallsSuppliedHvp(double[] a, double[] v, double[] hv) =>
                CallsSuppliedHessianVectorProduct(a.AsSpan(0, 5), a[5], v.AsSpan(0, 5), v[5], hv.AsSpan(0, 5), out hv[5]);

            public static double CallsSuppliedGradient(double[] a, double[] d) => CallsSuppliedGradient(a.AsSpan(0, 5), a[5], d.AsSpan(0, 5), out d[5]);

            public static double CallsSuppliedTangent(double[] a, double[] t, double[] tangent) =>
                CallsSuppliedJvp(a.AsSpan(0, 5), a[5], t.AsSpan(0, 5), t[5], out tangent[0]);

            // Many calls with the same buffers: what steady state allocates.
            public static double Repeat(double[] x, double[] dX, int times)
            {
                double sum = 0.0;
                for (int t = 0; t < times; t++)
                {
                    sum += RecurrenceGradient(x, 0.5, dX, out double dW) + dW;
                }

                return sum;
            }

            public static double RepeatHvp(double[] x, double[] v, double[] hv, int times)
            {
                double sum = 0.0;
                for (int t = 0; t < times; t++)
                {
                    sum += RecurrenceHessianVectorProduct(x, 0.5, v, 0.25, hv, out double hvW) + hvW;
                }

                return sum;
            }
        }

        public static class Settings
        {
            public static int Rounds = 3;
            public static bool Centered = true;
            public static readonly double Gain = 1.25;
        }

        public struct Complex
        {
            public double Re;
            public double Im;
        }
        """;

    /// <summary>The taped methods over spans or with int parameters, and how many inputs their wrappers take.</summary>
    /// <remarks>ScalarBeside and Counted have no loop: they are taped for their signature (a scalar beside a span, an int with no span).</remarks>
    public static TheoryData<string, int> TapedMethods => new()
    {
        { "Recurrence", 7 }, { "Horner", 17 }, { "Smoothness", 5 }, { "Product", 5 }, { "Pairs", 4 }, { "Search", 7 },
        { "Scan", 6 }, { "ArrayProduct", 5 }, { "Prefix", 6 }, { "Relax", 2 }, { "CountDown", 6 }, { "Initialized", 2 },
        { "ScalarBeside", 4 }, { "Counted", 2 }, { "CallsOverSpans", 6 }, { "Assigning", 2 }, { "Permuted", 2 }, { "Helpers", 2 },
        { "Switched", 2 }, { "InPlace", 5 }, { "Refs", 2 }, { "ScaledRoots", 2 }, { "Stepped", 5 }, { "Longs", 2 }, { "Narrow", 2 }, { "Fields", 2 }, { "SteppedExits", 2 }, { "Nested", 2 }, { "Windows", 6 }, { "Smoothed", 5 }, { "Carried", 8 }, { "Padded", 6 }, { "Drained", 2 },
        { "SoftMaximum", 6 }, { "CallsSupplied", 6 }, // a derivative and a Hessian-vector product its author supplies, and a caller
        { "SumByLoop", 4 }, { "SumByCall", 4 }, { "Reduced", 10 }, { "Margin", 4 }, { "SummedFunctions", 9 }, // AD's reductions: runtime twins, loops
        { "CallsBumps", 5 }, // through a row method the graph holds that calls a method of scalars
        { "Rotations", 6 }, // struct locals
        { "Spanned", 5 }, // Span<T> parameters, one written
        { "SparseEnergy", 8 }, { "CountedSteps", 2 }, { "Picked", 3 }, // spans of ints
        { "Rounded", 2 }, // Math.Floor … read as values
    };

    private static readonly Lazy<Type> Compiled = new(() => GeneratorHarness.CompileType(Source, "Taped.Spans"));

    [Theory]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    [InlineData(5000, 7)] // 35,000 elements: parts on the kernel pool
    public void A_taped_row_method_has_batch_forms_that_agree_with_its_row_forms_row_by_row(int rows, int columns)
    {
        var batch = Method<Func<int, int, double[]>>("CarriedBatch")(rows, columns);
        var byRow = Method<Func<int, int, double[]>>("CarriedByRow")(rows, columns);
        Assert.Equal(byRow.Length, batch.Length);
        for (int i = 0; i < batch.Length; i++)
        {
            Numerics.Close(byRow[i], batch[i], 1e-12, $"entry {i} of {rows} × {columns}");
        }
    }

    [Fact]
    public void A_gradient_that_throws_after_keeping_arrays_leaves_the_tape_as_it_found_it()
    {
        var gradient = Method<Func<double[], double[], double>>("ThrowingGradient");
        var tape = Tape<double>.ForThisThread;
        Assert.Throws<DivideByZeroException>(() => gradient([0.5, 0.25], new double[2]));
        Assert.Equal((0, 0, 0), (tape.ValueCount, tape.IntCount, tape.ArrayCount));
    }

    private const string FreshThreadSource = """
        using System;
        using AutoDiff;

        namespace Taped.Fresh;

        public static partial class Long
        {
            [Differentiable]
            public static double Horner(ReadOnlySpan<double> c, double x)
            {
                double p = 0.0;
                for (int i = c.Length - 1; i >= 0; i--)
                {
                    p = (p * x) + c[i];
                }

                return p;
            }

            // A branch per element: one int kept per iteration.
            [Differentiable]
            public static double Signed(ReadOnlySpan<double> a, double w)
            {
                double s = 0.0;
                for (int i = 0; i < a.Length; i++)
                {
                    if (a[i] > 0.0) { s += w * a[i]; } else { s -= a[i] * a[i] * w; }
                }

                return s;
            }

            // A reduction's span partials take room on the tape in the reverse sweep, after the statement below it has
            // written dA: where that room is full the sweeps run again, dA cleared first.
            [Differentiable]
            public static double Dotted(ReadOnlySpan<double> a, double w)
            {
                double s = 0.0;
                for (int i = 0; i < a.Length; i += 1000)
                {
                    s = Math.Tanh((w * AD.Dot(a, a) / a.Length) + s);
                    s = (s * w) + a[i];
                }

                return s;
            }

            public static double DottedValue(double[] a, double w) => Dotted(a, w);

            public static double DottedGradient(double[] a, double w, double[] dA, double[] dW)
            {
                double value = DottedGradient(a, w, dA, out double d);
                dW[0] = d;
                return value;
            }

            public static double HornerGradient(double[] c, double x, double[] dC, double[] dX)
            {
                double value = HornerGradient(c, x, dC, out double d);
                dX[0] = d;
                return value;
            }

            public static double SignedGradient(double[] a, double w, double[] dA, double[] dW)
            {
                double value = SignedGradient(a, w, dA, out double d);
                dW[0] = d;
                return value;
            }

            public static (int Values, int Ints) Room() => (AutoDiff.CompilerServices.Tape<double>.ForThisThread.FreeValues.Length, AutoDiff.CompilerServices.Tape<double>.ForThisThread.FreeInts.Length);
        }
        """;

    [Fact]
    public void On_a_fresh_thread_a_long_loop_grows_the_tape_and_its_gradient_is_the_one_the_math_gives()
    {
        // A thread's tape starts with room for 256 values and 256 ints; these loops keep 5,000 of each. The sweeps find
        // the room full, the tape grows, and they run again from the start: the gradient must be as if they ran once.
        var type = GeneratorHarness.CompileType(FreshThreadSource, "Taped.Fresh.Long");
        var horner = (Func<double[], double, double[], double[], double>)type.GetMethod("HornerGradient", [typeof(double[]), typeof(double), typeof(double[]), typeof(double[])])!
            .CreateDelegate(typeof(Func<double[], double, double[], double[], double>));
        var signed = (Func<double[], double, double[], double[], double>)type.GetMethod("SignedGradient", [typeof(double[]), typeof(double), typeof(double[]), typeof(double[])])!
            .CreateDelegate(typeof(Func<double[], double, double[], double[], double>));
        var dotted = (Func<double[], double, double[], double[], double>)type.GetMethod("DottedGradient", [typeof(double[]), typeof(double), typeof(double[]), typeof(double[])])!
            .CreateDelegate(typeof(Func<double[], double, double[], double[], double>));
        var dottedValue = (Func<double[], double, double>)type.GetMethod("DottedValue")!.CreateDelegate(typeof(Func<double[], double, double>));
        var room = (Func<(int, int)>)type.GetMethod("Room")!.CreateDelegate(typeof(Func<(int, int)>));
        const int n = 5000;
        var c = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        var a = Enumerable.Range(0, n).Select(i => Math.Cos(3.0 * i)).ToArray();
        double x = 0.999, w = 0.75;
        double[] dC = new double[n], dX = new double[1], dA = new double[n], dW = new double[1];
        double hornerValue = 0, signedValue = 0;
        double[] dottedFirst = new double[n + 1], dottedAgain = new double[n + 1];
        (int Values, int Ints) before = default, after = default;
        var thread = new Thread(() =>
        {
            before = room();
            var dWDotted = new double[1];
            var first = new double[n];
            dottedFirst[n] = dotted(a, w, first, dWDotted) + dWDotted[0]; // its 10,000 partials overflow the room again and again
            first.CopyTo(dottedFirst, 0);
            var again = new double[n];
            dottedAgain[n] = dotted(a, w, again, dWDotted) + dWDotted[0]; // the tape grown: the sweeps run once
            again.CopyTo(dottedAgain, 0);
            hornerValue = horner(c, x, dC, dX);
            signedValue = signed(a, w, dA, dW);
            after = room();
        });
        thread.Start();
        thread.Join();
        Assert.True(before.Values < n && before.Ints < n, $"the fresh tape already has room for {before}");
        Assert.True(after.Values >= n && after.Ints >= n, $"the tape did not grow: {after}");

        // Horner's rule: ∂p/∂c[i] = xⁱ, ∂p/∂x = Σ i·c[i]·xⁱ⁻¹, each power and sum in double from the definition.
        double expected = 0, expectedDx = 0;
        for (int i = 0; i < n; i++)
        {
            Numerics.Close(Math.Pow(x, i), dC[i], 1e-12, $"∂p/∂c[{i}]");
            expected += c[i] * Math.Pow(x, i);
            expectedDx += i == 0 ? 0 : i * c[i] * Math.Pow(x, i - 1);
        }

        Numerics.Close(expected, hornerValue, 1e-10, "Horner's value");
        Numerics.Close(expectedDx, dX[0], 1e-9, "∂p/∂x");

        // s = Σ_{a>0} w·a − Σ_{a≤0} a²·w: ∂s/∂a[i] = w or −2a[i]w, ∂s/∂w = Σ_{a>0} a − Σ_{a≤0} a².
        double expectedS = 0, expectedDw = 0;
        for (int i = 0; i < n; i++)
        {
            Numerics.Close(a[i] > 0 ? w : -2 * a[i] * w, dA[i], 1e-14, $"∂s/∂a[{i}]");
            expectedDw += a[i] > 0 ? a[i] : -a[i] * a[i];
            expectedS += a[i] > 0 ? w * a[i] : -a[i] * a[i] * w;
        }

        Numerics.Close(expectedS, signedValue, 1e-12, "Signed's value");
        Numerics.Close(expectedDw, dW[0], 1e-12, "∂s/∂w");

        // Run again and again after a full room, the gradient is the one a single run gives, and the differences'.
        Assert.Equal(dottedAgain, dottedFirst);
        foreach (int i in new[] { 0, 1, 999, 1000, 2500, n - 1 })
        {
            Numerics.Close(Numerics.CentralDifference(v => dottedValue(v, w), a, i).Derivative, dottedFirst[i], 1e-6, $"∂Dotted/∂a[{i}]");
        }
    }

    private const string NestedGradientSource = """
        using System;
        using AutoDiff;

        namespace Taped.Nesting;

        public static partial class Outer
        {
            [Differentiable]
            public static double Inner(ReadOnlySpan<double> a, double w)
            {
                double s = 0.0;
                for (int i = 0; i < a.Length; i++)
                {
                    s = Math.Tanh((s * w) + a[i]);
                }

                return s;
            }

            // User code, read as an int by the body below: it runs a gradient of its own on the same thread, whose
            // sweeps keep 300 values on the thread's tape.
            public static int Extra(double w)
            {
                Span<double> a = stackalloc double[300], d = stackalloc double[300];
                a.Fill(0.25);
                InnerGradient(a, w, d, out _);
                return 0;
            }

            [Differentiable]
            public static double Chain(ReadOnlySpan<double> c, double x)
            {
                double p = 0.0;
                for (int i = 0; i < c.Length + Extra(x); i++)
                {
                    p = Math.Sin((p * x) + c[i]);
                }

                return p;
            }

            public static double ChainValue(double[] c, double x) => Chain(c, x);

            public static double ChainGradient(double[] c, double x, double[] dC)
            {
                ChainGradient(c, x, dC, out double dX);
                return dX;
            }
        }
        """;

    [Fact]
    public void A_gradient_whose_body_runs_user_code_that_runs_another_gradient_on_the_same_thread_is_the_one_the_math_gives()
    {
        // Each p the loop overwrites is kept on the thread's tape while Extra runs Inner's gradient, which keeps its own
        // above it: Chain's gradient must not lend Extra the room its own sweeps fill.
        var type = GeneratorHarness.CompileType(NestedGradientSource, "Taped.Nesting.Outer");
        var value = (Func<double[], double, double>)type.GetMethod("ChainValue")!.CreateDelegate(typeof(Func<double[], double, double>));
        var gradient = (Func<double[], double, double[], double>)type.GetMethod("ChainGradient", [typeof(double[]), typeof(double), typeof(double[])])!
            .CreateDelegate(typeof(Func<double[], double, double[], double>));
        var c = Enumerable.Range(0, 20).Select(i => Math.Cos(i) * 0.5).ToArray();
        const double x = 0.7;
        var dC = new double[c.Length];
        value(c, x); // the thread's tape grown to Inner's 300 values first (growing, Inner would keep them elsewhere)
        double dX = gradient(c, x, dC);
        Numerics.Close(Numerics.CentralDifference(v => value(c, v[0]), [x], 0).Derivative, dX, 1e-7, "∂Chain/∂x");
        for (int i = 0; i < c.Length; i++)
        {
            Numerics.Close(Numerics.CentralDifference(v => value(v, x), c, i).Derivative, dC[i], 1e-7, $"∂Chain/∂c[{i}]");
        }
    }

    [Theory]
    [MemberData(nameof(TapedMethods))]
    [InlineData("ArraySoftMaximum", 5)] // a reduction the graph holds, over an array
    [InlineData("Collected", 2)]
    [InlineData("CallsWithLocalArray", 2)]
    [InlineData("CallsPolar", 2)]
    [InlineData("Defaults", 2)]
    [InlineData("Tallied", 2)] // an int passed by ref, written by the callee, read after
    [InlineData("Guarded", 2)] // steps behind && in loop conditions and an if
    [InlineData("Rounding", 2)] // Round with digits and a mode, read as numbers
    [InlineData("StructCopies", 2)] // struct locals in a method of scalars
    public void The_taped_gradient_matches_central_differences_in_double(string name, int inputs)
    {
        var value = Method<Func<double[], double>>(name + "Value");
        var gradient = Method<Func<double[], double[], double>>(name + "Gradient");
        var random = new Random(name.Length);
        int accepted = 0;
        for (int attempt = 0; attempt < 200 && accepted < 20; attempt++)
        {
            var x = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var d = new double[inputs];
            Numerics.Close(value(x), gradient(x, d), 1e-14, name + " value");
            Assert.Equal((0, 0, 0), (Tape<double>.ForThisThread.ValueCount, Tape<double>.ForThisThread.IntCount, Tape<double>.ForThisThread.ArrayCount)); // every push popped, whichever way the loops were left
            var checks = Enumerable.Range(0, inputs).Select(i => Numerics.CentralDifference(value, x, i)).ToArray();
            if (checks.Any(c => !c.Smooth))
            {
                continue;
            }

            accepted++;
            for (int i = 0; i < inputs; i++)
            {
                double error = Numerics.RelativeError(checks[i].Derivative, d[i]);
                Assert.True(error <= 1e-7, $"{name}: ∂/∂x{i} at ({string.Join(", ", x)}) is {d[i]:R}, finite differences give {checks[i].Derivative:R}");
            }
        }

        Assert.Equal(20, accepted);
    }

    [Theory]
    [MemberData(nameof(TapedMethods))]
    public void The_Hessian_vector_product_matches_central_differences_of_the_gradient(string name, int inputs)
    {
        var gradient = Method<Func<double[], double[], double>>(name + "Gradient");
        var product = Method<Func<double[], double[], double[], double>>(name + "Hvp");
        var random = new Random(name.Length + 1);
        int accepted = 0;
        for (int attempt = 0; attempt < 200 && accepted < 20; attempt++)
        {
            var x = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var v = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var d = new double[inputs];
            gradient(x, d);
            var hv = Enumerable.Repeat(double.NaN, inputs).ToArray();
            double directional = product(x, v, hv);
            Assert.Equal((0, 0), (Tape<AutoDiff.CompilerServices.Dual<double>>.ForThisThread.ValueCount, Tape<AutoDiff.CompilerServices.Dual<double>>.ForThisThread.IntCount));
            Numerics.Close(d.Zip(v, (a, b) => a * b).Sum(), directional, 1e-12, name + " directional derivative");

            // Row i of the Hessian times v: the derivative of ∂F/∂xᵢ along v.
            var checks = Enumerable.Range(0, inputs).Select(i => Numerics.CentralDifference(u =>
            {
                var g = new double[inputs];
                gradient(x.Zip(v, (a, b) => a + (u[0] * b)).ToArray(), g);
                return g[i];
            }, [0.0], 0)).ToArray();
            if (checks.Any(c => !c.Smooth))
            {
                continue;
            }

            accepted++;
            for (int i = 0; i < inputs; i++)
            {
                double error = Numerics.RelativeError(checks[i].Derivative, hv[i]);
                Assert.True(error <= 1e-6, $"{name}: (∇²F·v)[{i}] at ({string.Join(", ", x)}) is {hv[i]:R}, differences of the gradient give {checks[i].Derivative:R}");
            }
        }

        Assert.Equal(20, accepted);
    }

    [Theory]
    [MemberData(nameof(TapedMethods))]
    [InlineData("Collected", 2)]
    [InlineData("CallsWithLocalArray", 2)]
    [InlineData("CallsPolar", 2)]
    [InlineData("Defaults", 2)]
    [InlineData("Tallied", 2)] // an int passed by ref, written by the callee, read after
    [InlineData("Guarded", 2)] // steps behind && in loop conditions and an if
    [InlineData("Rounding", 2)] // Round with digits and a mode, read as numbers
    [InlineData("StructCopies", 2)] // struct locals in a method of scalars
    public void The_Jvp_is_the_value_and_the_gradient_along_the_direction(string name, int inputs)
    {
        var value = Method<Func<double[], double>>(name + "Value");
        var gradient = Method<Func<double[], double[], double>>(name + "Gradient");
        var jvp = Method<Func<double[], double[], double[], double>>(name + "Tangent");
        var random = new Random(name.Length + 2);
        for (int point = 0; point < 20; point++)
        {
            var x = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var t = Enumerable.Range(0, inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var d = new double[inputs];
            gradient(x, d);
            var tangent = new double[1];
            Numerics.Close(value(x), jvp(x, t, tangent), 1e-14, name + " Jvp value");
            double dot = d.Zip(t, (a, b) => a * b).Sum(), scale = d.Zip(t, (a, b) => Math.Abs(a * b)).Sum();
            Assert.True(Math.Abs(tangent[0] - dot) <= 1e-12 * Math.Max(scale, 1e-3), $"{name}: Jvp tangent {tangent[0]:R}, gradient · t = {dot:R} at ({string.Join(", ", x)})");
        }
    }

    [Theory]
    [InlineData("Collected")]
    [InlineData("CallsWithLocalArray")] // its local array passed to a taped method over spans
    [InlineData("CallsPolar")] // a void helper's results through out parameters
    [InlineData("Defaults")] // named arguments and default values
    [InlineData("Tallied")] // an int passed by ref
    [InlineData("Guarded")] // steps behind &&
    [InlineData("Rounding")] // Round with digits and a mode
    [InlineData("StructCopies")] // struct locals
    public void The_Hessian_of_a_method_of_scalars_with_local_arrays_matches_central_differences_of_its_gradient(string name)
    {
        var gradient = Method<Func<double[], double[], double>>(name + "Gradient");
        var hessianOf = Method<Func<double[], double[], double[], double>>(name + "Hessian");
        var random = new Random(7);
        for (int point = 0; point < 20; point++)
        {
            var x = new[] { (random.NextDouble() * 2) - 1, (random.NextDouble() * 2) - 1 };
            var hessian = new double[4];
            hessianOf(x, new double[2], hessian);
            Assert.Equal(hessian[1], hessian[2]);
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    int row = i;
                    var (fd, smooth) = Numerics.CentralDifference(v => { var g = new double[2]; gradient(v, g); return g[row]; }, x, j);
                    Assert.True(smooth);
                    Assert.True(Numerics.RelativeError(fd, hessian[(i * 2) + j]) <= 1e-6, $"H[{i},{j}] = {hessian[(i * 2) + j]:R}, differences of the gradient give {fd:R}");
                }
            }
        }
    }

    [Fact]
    public void Elements_past_the_count_get_a_zero_gradient()
    {
        var gradient = Method<Func<double[], double[], double>>("SmoothnessGradient");
        var d = Enumerable.Repeat(7.0, 5).ToArray();
        gradient([0.1, 0.2, 0.3, 0.4, 0.5], d);
        Assert.Equal(0.0, d[4]); // a[4] is past n = 4: not read, its gradient cleared
    }

    [Fact]
    public void The_generated_forms_leave_the_elements_of_a_Span_parameter_that_the_method_writes_as_they_were()
    {
        double[] point = [0.3, -0.2, 0.7, 0.1, 0.9];
        var a = (double[])point.Clone();
        Method<Func<double[], double[], double>>("SpannedGradient")(a, new double[5]);
        Method<Func<double[], double[], double[], double>>("SpannedTangent")(a, [1, 0, 0, 0, 0], new double[1]);
        Method<Func<double[], double[], double[], double>>("SpannedHvp")(a, [1, 0, 0, 0, 0], new double[5]);
        Assert.Equal(point, a);

        var b = (double[])point.Clone();
        Method<Func<double[], double>>("SmoothInPlaceOver")(b); // the method itself writes them, as C# passes a span
        Assert.NotEqual(point, b);
    }

    [Fact]
    public void A_gradient_span_of_another_length_or_over_an_input_is_refused_before_anything_is_written()
    {
        var method = Compiled.Value.GetMethod("Repeat")!;
        var x = new double[] { 0.1, 0.2, 0.3 };
        var shortD = new double[] { 7, 7 };
        var error = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [x, shortD, 1]));
        Assert.Equal("dX", Assert.IsType<ArgumentException>(error.InnerException).ParamName);
        Assert.Equal([7.0, 7.0], shortD);

        error = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [x, x, 1]));
        Assert.Equal("dX", Assert.IsType<ArgumentException>(error.InnerException).ParamName);
        Assert.Equal([0.1, 0.2, 0.3], x);
    }

    [Fact]
    public void A_direction_or_product_span_of_another_length_or_over_an_input_is_refused_before_anything_is_written()
    {
        var method = Compiled.Value.GetMethod("RepeatHvp")!;
        var x = new double[] { 0.1, 0.2, 0.3 };
        var shortV = new double[] { 1, 1 };
        var hv = new double[] { 7, 7, 7 };
        var error = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [x, shortV, hv, 1]));
        Assert.Equal("vX", Assert.IsType<ArgumentException>(error.InnerException).ParamName);
        Assert.Equal([7.0, 7.0, 7.0], hv);

        error = Assert.Throws<TargetInvocationException>(() => method.Invoke(null, [x, new double[] { 1, 1, 1 }, x, 1]));
        Assert.Equal("hvX", Assert.IsType<ArgumentException>(error.InnerException).ParamName);
        Assert.Equal([0.1, 0.2, 0.3], x);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var repeat = Method<Func<double[], double[], int, double>>("Repeat");
        var x = Enumerable.Range(0, 1000).Select(i => Math.Sin(i)).ToArray();
        var dX = new double[1000];
        Assert.Equal(0, AllocatedInSteadyState(times => repeat(x, dX, times)));
    }

    [Fact]
    public void Calls_over_spans_allocate_nothing_in_steady_state()
    {
        var repeat = Method<Func<double[], double[], int, double>>("RepeatCalls");
        var repeatHvp = Method<Func<double[], double[], double[], int, double>>("RepeatCallsHvp");
        var x = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 0.01).ToArray();
        var v = Enumerable.Range(0, 1000).Select(i => Math.Cos(i)).ToArray();
        var dX = new double[1000];
        Assert.Equal(0, AllocatedInSteadyState(times => repeat(x, dX, times)));
        Assert.Equal(0, AllocatedInSteadyState(times => repeatHvp(x, v, dX, times)));
    }

    [Fact]
    public void The_Hessian_vector_product_allocates_nothing_in_steady_state()
    {
        var repeat = Method<Func<double[], double[], double[], int, double>>("RepeatHvp");
        var x = Enumerable.Range(0, 1000).Select(i => Math.Sin(i)).ToArray();
        var v = Enumerable.Range(0, 1000).Select(i => Math.Cos(i)).ToArray();
        var hv = new double[1000];
        Assert.Equal(0, AllocatedInSteadyState(times => repeat(x, v, hv, times))); // the tape here holds dual numbers
    }

    // Bytes allocated by 100 calls, after 50 that grow the thread's tape to the calls' size and pass tier-0 JIT; the
    // least of three rounds (a round may meet the JIT's own allocations).
    private static long AllocatedInSteadyState(Action<int> calls)
    {
        long allocated = long.MaxValue;
        calls(50);
        for (int round = 0; round < 3 && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            calls(100);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return allocated;
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_where_an_element_gets_no_gradient_or_an_exit_number_is_not_read()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using AutoDiff;

            public static partial class K
            {
                [Differentiable]
                public static float F([NoDiff] ReadOnlySpan<float> counts, float x)
                {
                    float s = 0f;
                    foreach (var c in counts) { s = s * x + 1f; }
                    foreach (var c in counts) { if (c > 0f) { s += x; } }
                    return s;
                }

                // The one return, inside a loop: the method's exit number is not needed (no CS0219 for it).
                [Differentiable]
                public static float G(float x, int n)
                {
                    float s = x;
                    if (n > 3) { s *= 2f; }
                    while (true) { s = s * 0.5f + x; n--; if (n < 0) { return s; } }
                }
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains("public static float FGradient(global::System.ReadOnlySpan<float> counts, float x, out float dX)", run.Sources.Values.First(s => s.Contains("FGradient(", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(run.Sources.Values, s => s.Contains("public static float GGradient(float x, int n, out float dX)", StringComparison.Ordinal));
    }

    private static T Method<T>(string name)
        where T : Delegate
    {
        var parameters = typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        return (T)Compiled.Value.GetMethod(name, parameters)!.CreateDelegate(typeof(T));
    }
}

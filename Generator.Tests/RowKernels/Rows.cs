// Row test kernels: compiled by the tests (float as written, and turned into double), never by the test project.
using System;
using AutoDiff;

namespace RowKernels;

public static partial class Rows
{
    [Differentiable]
    public static float SparseCrossEntropy(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - logits[target];

    [Differentiable]
    public static float SmoothedCrossEntropy(ReadOnlySpan<float> logits, int target, [Constant] float smoothing) =>
        AD.LogSumExp(logits) - (1f - smoothing) * logits[target] - smoothing * AD.Mean(logits);

    [Differentiable]
    public static float DenseCrossEntropy(ReadOnlySpan<float> logits, [NoDiff] ReadOnlySpan<float> target)
    {
        var lse = AD.LogSumExp(logits);
        return AD.Sum(logits, target, (z, t) => t * (lse - z));
    }

    [Differentiable]
    public static float Triplet(ReadOnlySpan<float> anchor, ReadOnlySpan<float> positive, ReadOnlySpan<float> negative, [Constant] float margin) =>
        MathF.Max(0f, margin + AD.SquaredDistance(anchor, positive) - AD.SquaredDistance(anchor, negative));

    [Differentiable]
    public static float Contrastive(ReadOnlySpan<float> a, ReadOnlySpan<float> b, [NoDiff] float y, [Constant] float margin)
    {
        var distance = MathF.Sqrt(AD.SquaredDistance(a, b));
        var hinge = MathF.Max(0f, margin - distance);
        return (1f - y) * 0.5f * distance * distance + y * 0.5f * hinge * hinge;
    }

    [Differentiable]
    public static float MultiClassHinge(ReadOnlySpan<float> scores, int target, [Constant] float margin)
    {
        var correct = scores[target];
        return AD.Sum(scores, s => MathF.Max(0f, s - correct + margin)) - margin;
    }

    [Differentiable]
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        AD.Dot(a, b) / (MathF.Max(AD.Norm(a), 1e-8f) * MathF.Max(AD.Norm(b), 1e-8f));

    [Differentiable]
    public static float MaxMinusMean(ReadOnlySpan<float> a) => AD.Max(a) - AD.Mean(a);

    [Differentiable]
    public static float MinMinusMean(ReadOnlySpan<float> a) => AD.Min(a) - AD.Mean(a);

    [Differentiable]
    public static float ThreeSpans(ReadOnlySpan<float> a, ReadOnlySpan<float> b, [NoDiff] ReadOnlySpan<float> w) =>
        AD.Sum(a, b, w, (x, y, z) => z * MathF.Tanh(x * y)) + AD.Sum(b);

    [Differentiable]
    public static float FirstAndLength(ReadOnlySpan<float> a) => AD.Sum(a, x => x * x) / a.Length + a[0] * a[0];

    [Differentiable]
    public static float CapturedMax(ReadOnlySpan<float> a, [NoDiff] float scale)
    {
        var m = AD.Max(a);
        return scale * AD.Sum(a, x => MathF.Exp(x - m) * x);
    }

    // Loops over the row: a body that only accumulates is a sum over the row.
    [Differentiable]
    public static float SumOfSquaresLoop(ReadOnlySpan<float> a)
    {
        float s = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * a[i];
        }

        return s;
    }

    [Differentiable]
    public static float AccumulatingLoop(ReadOnlySpan<float> a, ReadOnlySpan<float> b, [NoDiff] ReadOnlySpan<float> w)
    {
        float dot = 0f, penalty = 1f;
        var m = AD.Max(a);
        for (int i = 0; i < b.Length; ++i)
        {
            var d = a[i] - b[i];
            dot = dot + a[i] * b[i] * w[i];
            if (d > 0f)
            {
                penalty += d * d;
            }
            else
            {
                penalty -= 0.5f * d;
            }

            penalty = penalty + MathF.Exp(a[i] - m);
        }

        return dot + MathF.Log(penalty);
    }

    [Differentiable]
    public static float ForEachLoop(ReadOnlySpan<float> a, [Constant] float scale)
    {
        float s = 0f;
        foreach (var x in a)
        {
            s += MathF.Tanh(scale * x);
        }

        return s * s;
    }

    // A condition on a row-level value inside a sum: the short-row kernel once wrote its two vectors' terms as
    // `c ? x : y + z`, which C# reads as c ? x : (y + z) (found by the row property test).
    [Differentiable]
    public static float UniformCondition(ReadOnlySpan<float> a)
    {
        var m = AD.Max(a);
        var big = MathF.Tanh(m) > 0.25f;
        return MathF.Tanh(0.1f * (1f + AD.Sum(a, x => big ? 0.3f - m / (1f + x * x) : 0f)));
    }

    // Row methods that call other [Differentiable] methods, on each element (inside a sum over two rows) and on a
    // row-level value (of a mean). Their generated code did not compile until the calls' partials were written where
    // the gradient reads them; their Hessian-vector products read the callees' Hessians on lanes.
    [Differentiable]
    public static float Blend(float x, float y) => x * MathF.Tanh(y) + y * y * x;

    [Differentiable]
    public static float SoftStep(float x, [Constant] float width) => x / (1f + MathF.Exp(-x / width));

    [Differentiable]
    public static float CallsPerElement(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        AD.Sum(a, b, (x, y) => Blend(x, y)) + SoftStep(AD.Mean(a), 0.5f);

    [Differentiable]
    public static float CallsPerRow(ReadOnlySpan<float> a) => SoftStep(AD.Mean(a), 0.5f) * AD.Max(a);

    // A parameter beside a row (read at a fixed index only, so of a length of its own in the one-row forms: see
    // OwnLengthTests; here, as in the batch forms, as long as the row).
    [Differentiable]
    public static float ParameterBesideData(ReadOnlySpan<float> theta, [NoDiff] ReadOnlySpan<float> t)
    {
        var a = theta[0];
        return AD.Sum(t, ti => a * MathF.Exp(-a * ti));
    }
}

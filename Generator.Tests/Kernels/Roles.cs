using System;
using AutoDiff;

namespace Kernels;

// [NoDiff] data and [Constant] hyper-parameters, as losses use them.
public static partial class Roles
{
    [Differentiable]
    public static float Huber([NoDiff] float target, float prediction, [Constant] float delta)
    {
        var r = prediction - target;
        var a = MathF.Abs(r);
        if (a <= delta)
            return 0.5f * r * r;
        return delta * (a - 0.5f * delta);
    }

    [Differentiable]
    public static float WeightedSquare(float x, [NoDiff] float weight) => weight * x * x;

    // Read-only references are values to the generator: every generated form takes them by value.
    [Differentiable]
    public static float ByReadOnlyReference(in float x, [NoDiff] ref readonly float weight, float y) => weight * x * MathF.Sin(y) + x * x;

    [Differentiable]
    public static float Margin([NoDiff] float label, float score, [Constant] float margin, [Constant] float scale)
    {
        var m = margin * scale + 1f;
        return MathF.Max(0f, m - label * score) * scale;
    }

    [Differentiable]
    public static float ConstantOnly([Constant] float c, float x) => c * c + MathF.Exp(c) * x;

    [Differentiable]
    public static float NoDiffOnlyValue([NoDiff] float t, float x) => MathF.Floor(t) + x * MathF.Round(t) + x;

    // Parameters named as the members of the kernel struct the span forms run (its steps are explicit interface
    // implementations, so each parameter's field may take the name).
#pragma warning disable SA1313, IDE1006 // parameter names as the struct's members on purpose
    [Differentiable]
    public static float MemberNames(float Forward, [Constant] float Prepare, [NoDiff] float Mean, float Backward) =>
        Forward * Prepare + Mean * Backward * Backward;
#pragma warning restore SA1313, IDE1006
}

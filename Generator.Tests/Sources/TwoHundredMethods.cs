// 200 [Differentiable] methods, ten kinds × twenty constants: the input of the generator's cost benchmark
// (Benchmarks/GeneratorBenchmarks.cs) and of the 200-method incremental test (Generator.Tests/IncrementalTests.cs).
using System;
using AutoDiff;

namespace Demo;

public static partial class TwoHundred
{
    [Differentiable]
    public static float Tanh0(float x) => MathF.Tanh(0.50f * x) + x * x;

    [Differentiable]
    public static float Huber1([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.50f ? 0.5f * r * r : 0.50f * (MathF.Abs(r) - 0.5f * 0.50f);
    }

    [Differentiable]
    public static float Softplus2(float x, float y) => MathF.Log(1f + MathF.Exp(0.50f * x)) - y * x;

    [Differentiable]
    public static float Elu3(float x) => x > 0f ? x : 0.50f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm4(float x, float y) => MathF.Sqrt(x * x + y * y + 0.50f);

    [Differentiable]
    public static float CrossEntropy5(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.50f * logits[target];

    [Differentiable]
    public static float Sigmoid6(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.50f;
    }

    [Differentiable]
    public static float Swish7(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.50f;

    [Differentiable]
    public static float Hinge8([NoDiff] float target, float prediction) => MathF.Max(0f, 0.50f - target * prediction);

    [Differentiable]
    public static float Mse9(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.50f) / a.Length;

    [Differentiable]
    public static float Tanh10(float x) => MathF.Tanh(0.55f * x) + x * x;

    [Differentiable]
    public static float Huber11([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.55f ? 0.5f * r * r : 0.55f * (MathF.Abs(r) - 0.5f * 0.55f);
    }

    [Differentiable]
    public static float Softplus12(float x, float y) => MathF.Log(1f + MathF.Exp(0.55f * x)) - y * x;

    [Differentiable]
    public static float Elu13(float x) => x > 0f ? x : 0.55f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm14(float x, float y) => MathF.Sqrt(x * x + y * y + 0.55f);

    [Differentiable]
    public static float CrossEntropy15(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.55f * logits[target];

    [Differentiable]
    public static float Sigmoid16(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.55f;
    }

    [Differentiable]
    public static float Swish17(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.55f;

    [Differentiable]
    public static float Hinge18([NoDiff] float target, float prediction) => MathF.Max(0f, 0.55f - target * prediction);

    [Differentiable]
    public static float Mse19(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.55f) / a.Length;

    [Differentiable]
    public static float Tanh20(float x) => MathF.Tanh(0.60f * x) + x * x;

    [Differentiable]
    public static float Huber21([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.60f ? 0.5f * r * r : 0.60f * (MathF.Abs(r) - 0.5f * 0.60f);
    }

    [Differentiable]
    public static float Softplus22(float x, float y) => MathF.Log(1f + MathF.Exp(0.60f * x)) - y * x;

    [Differentiable]
    public static float Elu23(float x) => x > 0f ? x : 0.60f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm24(float x, float y) => MathF.Sqrt(x * x + y * y + 0.60f);

    [Differentiable]
    public static float CrossEntropy25(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.60f * logits[target];

    [Differentiable]
    public static float Sigmoid26(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.60f;
    }

    [Differentiable]
    public static float Swish27(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.60f;

    [Differentiable]
    public static float Hinge28([NoDiff] float target, float prediction) => MathF.Max(0f, 0.60f - target * prediction);

    [Differentiable]
    public static float Mse29(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.60f) / a.Length;

    [Differentiable]
    public static float Tanh30(float x) => MathF.Tanh(0.65f * x) + x * x;

    [Differentiable]
    public static float Huber31([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.65f ? 0.5f * r * r : 0.65f * (MathF.Abs(r) - 0.5f * 0.65f);
    }

    [Differentiable]
    public static float Softplus32(float x, float y) => MathF.Log(1f + MathF.Exp(0.65f * x)) - y * x;

    [Differentiable]
    public static float Elu33(float x) => x > 0f ? x : 0.65f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm34(float x, float y) => MathF.Sqrt(x * x + y * y + 0.65f);

    [Differentiable]
    public static float CrossEntropy35(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.65f * logits[target];

    [Differentiable]
    public static float Sigmoid36(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.65f;
    }

    [Differentiable]
    public static float Swish37(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.65f;

    [Differentiable]
    public static float Hinge38([NoDiff] float target, float prediction) => MathF.Max(0f, 0.65f - target * prediction);

    [Differentiable]
    public static float Mse39(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.65f) / a.Length;

    [Differentiable]
    public static float Tanh40(float x) => MathF.Tanh(0.70f * x) + x * x;

    [Differentiable]
    public static float Huber41([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.70f ? 0.5f * r * r : 0.70f * (MathF.Abs(r) - 0.5f * 0.70f);
    }

    [Differentiable]
    public static float Softplus42(float x, float y) => MathF.Log(1f + MathF.Exp(0.70f * x)) - y * x;

    [Differentiable]
    public static float Elu43(float x) => x > 0f ? x : 0.70f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm44(float x, float y) => MathF.Sqrt(x * x + y * y + 0.70f);

    [Differentiable]
    public static float CrossEntropy45(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.70f * logits[target];

    [Differentiable]
    public static float Sigmoid46(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.70f;
    }

    [Differentiable]
    public static float Swish47(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.70f;

    [Differentiable]
    public static float Hinge48([NoDiff] float target, float prediction) => MathF.Max(0f, 0.70f - target * prediction);

    [Differentiable]
    public static float Mse49(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.70f) / a.Length;

    [Differentiable]
    public static float Tanh50(float x) => MathF.Tanh(0.75f * x) + x * x;

    [Differentiable]
    public static float Huber51([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.75f ? 0.5f * r * r : 0.75f * (MathF.Abs(r) - 0.5f * 0.75f);
    }

    [Differentiable]
    public static float Softplus52(float x, float y) => MathF.Log(1f + MathF.Exp(0.75f * x)) - y * x;

    [Differentiable]
    public static float Elu53(float x) => x > 0f ? x : 0.75f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm54(float x, float y) => MathF.Sqrt(x * x + y * y + 0.75f);

    [Differentiable]
    public static float CrossEntropy55(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.75f * logits[target];

    [Differentiable]
    public static float Sigmoid56(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.75f;
    }

    [Differentiable]
    public static float Swish57(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.75f;

    [Differentiable]
    public static float Hinge58([NoDiff] float target, float prediction) => MathF.Max(0f, 0.75f - target * prediction);

    [Differentiable]
    public static float Mse59(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.75f) / a.Length;

    [Differentiable]
    public static float Tanh60(float x) => MathF.Tanh(0.80f * x) + x * x;

    [Differentiable]
    public static float Huber61([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.80f ? 0.5f * r * r : 0.80f * (MathF.Abs(r) - 0.5f * 0.80f);
    }

    [Differentiable]
    public static float Softplus62(float x, float y) => MathF.Log(1f + MathF.Exp(0.80f * x)) - y * x;

    [Differentiable]
    public static float Elu63(float x) => x > 0f ? x : 0.80f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm64(float x, float y) => MathF.Sqrt(x * x + y * y + 0.80f);

    [Differentiable]
    public static float CrossEntropy65(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.80f * logits[target];

    [Differentiable]
    public static float Sigmoid66(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.80f;
    }

    [Differentiable]
    public static float Swish67(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.80f;

    [Differentiable]
    public static float Hinge68([NoDiff] float target, float prediction) => MathF.Max(0f, 0.80f - target * prediction);

    [Differentiable]
    public static float Mse69(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.80f) / a.Length;

    [Differentiable]
    public static float Tanh70(float x) => MathF.Tanh(0.85f * x) + x * x;

    [Differentiable]
    public static float Huber71([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.85f ? 0.5f * r * r : 0.85f * (MathF.Abs(r) - 0.5f * 0.85f);
    }

    [Differentiable]
    public static float Softplus72(float x, float y) => MathF.Log(1f + MathF.Exp(0.85f * x)) - y * x;

    [Differentiable]
    public static float Elu73(float x) => x > 0f ? x : 0.85f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm74(float x, float y) => MathF.Sqrt(x * x + y * y + 0.85f);

    [Differentiable]
    public static float CrossEntropy75(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.85f * logits[target];

    [Differentiable]
    public static float Sigmoid76(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.85f;
    }

    [Differentiable]
    public static float Swish77(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.85f;

    [Differentiable]
    public static float Hinge78([NoDiff] float target, float prediction) => MathF.Max(0f, 0.85f - target * prediction);

    [Differentiable]
    public static float Mse79(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.85f) / a.Length;

    [Differentiable]
    public static float Tanh80(float x) => MathF.Tanh(0.90f * x) + x * x;

    [Differentiable]
    public static float Huber81([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.90f ? 0.5f * r * r : 0.90f * (MathF.Abs(r) - 0.5f * 0.90f);
    }

    [Differentiable]
    public static float Softplus82(float x, float y) => MathF.Log(1f + MathF.Exp(0.90f * x)) - y * x;

    [Differentiable]
    public static float Elu83(float x) => x > 0f ? x : 0.90f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm84(float x, float y) => MathF.Sqrt(x * x + y * y + 0.90f);

    [Differentiable]
    public static float CrossEntropy85(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.90f * logits[target];

    [Differentiable]
    public static float Sigmoid86(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.90f;
    }

    [Differentiable]
    public static float Swish87(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.90f;

    [Differentiable]
    public static float Hinge88([NoDiff] float target, float prediction) => MathF.Max(0f, 0.90f - target * prediction);

    [Differentiable]
    public static float Mse89(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.90f) / a.Length;

    [Differentiable]
    public static float Tanh90(float x) => MathF.Tanh(0.95f * x) + x * x;

    [Differentiable]
    public static float Huber91([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 0.95f ? 0.5f * r * r : 0.95f * (MathF.Abs(r) - 0.5f * 0.95f);
    }

    [Differentiable]
    public static float Softplus92(float x, float y) => MathF.Log(1f + MathF.Exp(0.95f * x)) - y * x;

    [Differentiable]
    public static float Elu93(float x) => x > 0f ? x : 0.95f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm94(float x, float y) => MathF.Sqrt(x * x + y * y + 0.95f);

    [Differentiable]
    public static float CrossEntropy95(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 0.95f * logits[target];

    [Differentiable]
    public static float Sigmoid96(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 0.95f;
    }

    [Differentiable]
    public static float Swish97(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 0.95f;

    [Differentiable]
    public static float Hinge98([NoDiff] float target, float prediction) => MathF.Max(0f, 0.95f - target * prediction);

    [Differentiable]
    public static float Mse99(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 0.95f) / a.Length;

    [Differentiable]
    public static float Tanh100(float x) => MathF.Tanh(1.00f * x) + x * x;

    [Differentiable]
    public static float Huber101([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.00f ? 0.5f * r * r : 1.00f * (MathF.Abs(r) - 0.5f * 1.00f);
    }

    [Differentiable]
    public static float Softplus102(float x, float y) => MathF.Log(1f + MathF.Exp(1.00f * x)) - y * x;

    [Differentiable]
    public static float Elu103(float x) => x > 0f ? x : 1.00f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm104(float x, float y) => MathF.Sqrt(x * x + y * y + 1.00f);

    [Differentiable]
    public static float CrossEntropy105(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.00f * logits[target];

    [Differentiable]
    public static float Sigmoid106(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.00f;
    }

    [Differentiable]
    public static float Swish107(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.00f;

    [Differentiable]
    public static float Hinge108([NoDiff] float target, float prediction) => MathF.Max(0f, 1.00f - target * prediction);

    [Differentiable]
    public static float Mse109(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.00f) / a.Length;

    [Differentiable]
    public static float Tanh110(float x) => MathF.Tanh(1.05f * x) + x * x;

    [Differentiable]
    public static float Huber111([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.05f ? 0.5f * r * r : 1.05f * (MathF.Abs(r) - 0.5f * 1.05f);
    }

    [Differentiable]
    public static float Softplus112(float x, float y) => MathF.Log(1f + MathF.Exp(1.05f * x)) - y * x;

    [Differentiable]
    public static float Elu113(float x) => x > 0f ? x : 1.05f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm114(float x, float y) => MathF.Sqrt(x * x + y * y + 1.05f);

    [Differentiable]
    public static float CrossEntropy115(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.05f * logits[target];

    [Differentiable]
    public static float Sigmoid116(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.05f;
    }

    [Differentiable]
    public static float Swish117(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.05f;

    [Differentiable]
    public static float Hinge118([NoDiff] float target, float prediction) => MathF.Max(0f, 1.05f - target * prediction);

    [Differentiable]
    public static float Mse119(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.05f) / a.Length;

    [Differentiable]
    public static float Tanh120(float x) => MathF.Tanh(1.10f * x) + x * x;

    [Differentiable]
    public static float Huber121([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.10f ? 0.5f * r * r : 1.10f * (MathF.Abs(r) - 0.5f * 1.10f);
    }

    [Differentiable]
    public static float Softplus122(float x, float y) => MathF.Log(1f + MathF.Exp(1.10f * x)) - y * x;

    [Differentiable]
    public static float Elu123(float x) => x > 0f ? x : 1.10f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm124(float x, float y) => MathF.Sqrt(x * x + y * y + 1.10f);

    [Differentiable]
    public static float CrossEntropy125(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.10f * logits[target];

    [Differentiable]
    public static float Sigmoid126(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.10f;
    }

    [Differentiable]
    public static float Swish127(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.10f;

    [Differentiable]
    public static float Hinge128([NoDiff] float target, float prediction) => MathF.Max(0f, 1.10f - target * prediction);

    [Differentiable]
    public static float Mse129(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.10f) / a.Length;

    [Differentiable]
    public static float Tanh130(float x) => MathF.Tanh(1.15f * x) + x * x;

    [Differentiable]
    public static float Huber131([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.15f ? 0.5f * r * r : 1.15f * (MathF.Abs(r) - 0.5f * 1.15f);
    }

    [Differentiable]
    public static float Softplus132(float x, float y) => MathF.Log(1f + MathF.Exp(1.15f * x)) - y * x;

    [Differentiable]
    public static float Elu133(float x) => x > 0f ? x : 1.15f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm134(float x, float y) => MathF.Sqrt(x * x + y * y + 1.15f);

    [Differentiable]
    public static float CrossEntropy135(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.15f * logits[target];

    [Differentiable]
    public static float Sigmoid136(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.15f;
    }

    [Differentiable]
    public static float Swish137(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.15f;

    [Differentiable]
    public static float Hinge138([NoDiff] float target, float prediction) => MathF.Max(0f, 1.15f - target * prediction);

    [Differentiable]
    public static float Mse139(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.15f) / a.Length;

    [Differentiable]
    public static float Tanh140(float x) => MathF.Tanh(1.20f * x) + x * x;

    [Differentiable]
    public static float Huber141([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.20f ? 0.5f * r * r : 1.20f * (MathF.Abs(r) - 0.5f * 1.20f);
    }

    [Differentiable]
    public static float Softplus142(float x, float y) => MathF.Log(1f + MathF.Exp(1.20f * x)) - y * x;

    [Differentiable]
    public static float Elu143(float x) => x > 0f ? x : 1.20f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm144(float x, float y) => MathF.Sqrt(x * x + y * y + 1.20f);

    [Differentiable]
    public static float CrossEntropy145(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.20f * logits[target];

    [Differentiable]
    public static float Sigmoid146(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.20f;
    }

    [Differentiable]
    public static float Swish147(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.20f;

    [Differentiable]
    public static float Hinge148([NoDiff] float target, float prediction) => MathF.Max(0f, 1.20f - target * prediction);

    [Differentiable]
    public static float Mse149(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.20f) / a.Length;

    [Differentiable]
    public static float Tanh150(float x) => MathF.Tanh(1.25f * x) + x * x;

    [Differentiable]
    public static float Huber151([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.25f ? 0.5f * r * r : 1.25f * (MathF.Abs(r) - 0.5f * 1.25f);
    }

    [Differentiable]
    public static float Softplus152(float x, float y) => MathF.Log(1f + MathF.Exp(1.25f * x)) - y * x;

    [Differentiable]
    public static float Elu153(float x) => x > 0f ? x : 1.25f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm154(float x, float y) => MathF.Sqrt(x * x + y * y + 1.25f);

    [Differentiable]
    public static float CrossEntropy155(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.25f * logits[target];

    [Differentiable]
    public static float Sigmoid156(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.25f;
    }

    [Differentiable]
    public static float Swish157(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.25f;

    [Differentiable]
    public static float Hinge158([NoDiff] float target, float prediction) => MathF.Max(0f, 1.25f - target * prediction);

    [Differentiable]
    public static float Mse159(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.25f) / a.Length;

    [Differentiable]
    public static float Tanh160(float x) => MathF.Tanh(1.30f * x) + x * x;

    [Differentiable]
    public static float Huber161([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.30f ? 0.5f * r * r : 1.30f * (MathF.Abs(r) - 0.5f * 1.30f);
    }

    [Differentiable]
    public static float Softplus162(float x, float y) => MathF.Log(1f + MathF.Exp(1.30f * x)) - y * x;

    [Differentiable]
    public static float Elu163(float x) => x > 0f ? x : 1.30f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm164(float x, float y) => MathF.Sqrt(x * x + y * y + 1.30f);

    [Differentiable]
    public static float CrossEntropy165(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.30f * logits[target];

    [Differentiable]
    public static float Sigmoid166(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.30f;
    }

    [Differentiable]
    public static float Swish167(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.30f;

    [Differentiable]
    public static float Hinge168([NoDiff] float target, float prediction) => MathF.Max(0f, 1.30f - target * prediction);

    [Differentiable]
    public static float Mse169(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.30f) / a.Length;

    [Differentiable]
    public static float Tanh170(float x) => MathF.Tanh(1.35f * x) + x * x;

    [Differentiable]
    public static float Huber171([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.35f ? 0.5f * r * r : 1.35f * (MathF.Abs(r) - 0.5f * 1.35f);
    }

    [Differentiable]
    public static float Softplus172(float x, float y) => MathF.Log(1f + MathF.Exp(1.35f * x)) - y * x;

    [Differentiable]
    public static float Elu173(float x) => x > 0f ? x : 1.35f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm174(float x, float y) => MathF.Sqrt(x * x + y * y + 1.35f);

    [Differentiable]
    public static float CrossEntropy175(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.35f * logits[target];

    [Differentiable]
    public static float Sigmoid176(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.35f;
    }

    [Differentiable]
    public static float Swish177(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.35f;

    [Differentiable]
    public static float Hinge178([NoDiff] float target, float prediction) => MathF.Max(0f, 1.35f - target * prediction);

    [Differentiable]
    public static float Mse179(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.35f) / a.Length;

    [Differentiable]
    public static float Tanh180(float x) => MathF.Tanh(1.40f * x) + x * x;

    [Differentiable]
    public static float Huber181([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.40f ? 0.5f * r * r : 1.40f * (MathF.Abs(r) - 0.5f * 1.40f);
    }

    [Differentiable]
    public static float Softplus182(float x, float y) => MathF.Log(1f + MathF.Exp(1.40f * x)) - y * x;

    [Differentiable]
    public static float Elu183(float x) => x > 0f ? x : 1.40f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm184(float x, float y) => MathF.Sqrt(x * x + y * y + 1.40f);

    [Differentiable]
    public static float CrossEntropy185(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.40f * logits[target];

    [Differentiable]
    public static float Sigmoid186(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.40f;
    }

    [Differentiable]
    public static float Swish187(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.40f;

    [Differentiable]
    public static float Hinge188([NoDiff] float target, float prediction) => MathF.Max(0f, 1.40f - target * prediction);

    [Differentiable]
    public static float Mse189(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.40f) / a.Length;

    [Differentiable]
    public static float Tanh190(float x) => MathF.Tanh(1.45f * x) + x * x;

    [Differentiable]
    public static float Huber191([NoDiff] float target, float prediction)
    {
        var r = prediction - target;
        return MathF.Abs(r) <= 1.45f ? 0.5f * r * r : 1.45f * (MathF.Abs(r) - 0.5f * 1.45f);
    }

    [Differentiable]
    public static float Softplus192(float x, float y) => MathF.Log(1f + MathF.Exp(1.45f * x)) - y * x;

    [Differentiable]
    public static float Elu193(float x) => x > 0f ? x : 1.45f * (MathF.Exp(x) - 1f);

    [Differentiable]
    public static float Norm194(float x, float y) => MathF.Sqrt(x * x + y * y + 1.45f);

    [Differentiable]
    public static float CrossEntropy195(ReadOnlySpan<float> logits, int target) => AD.LogSumExp(logits) - 1.45f * logits[target];

    [Differentiable]
    public static float Sigmoid196(float x)
    {
        var s = 1f / (1f + MathF.Exp(-x));
        return s * (1f - s) * 1.45f;
    }

    [Differentiable]
    public static float Swish197(float x, [Constant] float beta) => x * MathF.Tanh(beta * x) + 1.45f;

    [Differentiable]
    public static float Hinge198([NoDiff] float target, float prediction) => MathF.Max(0f, 1.45f - target * prediction);

    [Differentiable]
    public static float Mse199(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AD.Sum(a, b, (x, y) => (x - y) * (x - y) * 1.45f) / a.Length;
}

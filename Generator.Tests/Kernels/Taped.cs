using System;
using AutoDiff;

namespace Kernels;

// Loops whose trip count is known only when they run, and int locals computed from the data: the graph cannot hold
// them, so the gradient is written statement by statement with a tape, and every other form goes through it.
public static partial class Taped
{
    // A while loop on the data that assigns a parameter: 0 to 3 non-linear steps in the domain.
    [Differentiable, Domain(0.1, 8)]
    public static float HalveUntilSmall(float x, float y)
    {
        float steps = 0f;
        while (x > 1f)
        {
            x = x / 2f + 0.1f * MathF.Sin(x * y);
            steps += 1f;
        }

        return x * x * y + steps;
    }

    // A bound from the data, a nested loop whose count depends on the outer counter, if/else on the counter, an int
    // local stepped, an int in the arithmetic, every compound assignment.
    [Differentiable, Domain(0.5, 4)]
    public static float PowerSeries(float x, float a)
    {
        float t = 1f;
        float sum = 0f;
        int odd = 0;
        for (int i = 0; i < a; i++)
        {
            t *= x / (i + 1);
            for (int j = 0; j <= i % 2; j++)
            {
                sum += t;
            }

            if (i % 2 == 1)
            {
                odd++;
                sum -= 0.25f * t;
            }
            else
            {
                sum = sum + MathF.Tanh(t * a);
            }
        }

        return sum / 2f + odd;
    }

    // A recurrence over 300 steps, more than an unrolled loop may have (256): h = tanh(w·h + x·sin i).
    [Differentiable, Domain(-1, 1)]
    public static float Recurrence(float x, float w)
    {
        float h = 0f;
        for (int i = 0; i < 300; i++)
        {
            h = MathF.Tanh(w * h + x * MathF.Sin(i));
        }

        return h;
    }

    // do/while until converged (Newton's iteration for √a): the derivative of what the iterations computed.
    [Differentiable, Domain(0.2, 3)]
    public static float NewtonSquareRoot(float a, [NoDiff] float guess)
    {
        float x = MathF.Abs(guess) + a;
        int k = 0;
        do
        {
            x = 0.5f * (x + a / x);
            k++;
        }
        while (MathF.Abs(x * x - a) > 1e-3f && k < 50);

        return x;
    }

    // An int computed from the data, a bool flipped, a count down, Pow, Max, ?:, %= on T and a [Constant].
    [Differentiable, Domain(0.5, 2.5)]
    public static float Alternating(float x, [Constant] float c, float y)
    {
        float s = 0f;
        int n = (int)(x * 3f);
        bool flip = y > 1f;
        for (int i = n; i > 0; i -= 1)
        {
            s += flip ? MathF.Pow(x, y) / i : MathF.Max(x * y, c) - s * 0.5f;
            flip = !flip;
            s %= 3f;
        }

        return s + MathF.Exp(-y) * c;
    }

    // Every function the statement-by-statement gradient knows, and % on T, in a loop that runs a count from the data.
    [Differentiable, Domain(0.2, 0.8)]
    public static float EveryFunction(float x, float y)
    {
        float s = 0f;
        for (int i = 0; i < x * 3f; i++)
        {
            s += MathF.Exp(x) + MathF.Log(y) + MathF.Log2(x + 1f) + MathF.Log10(y + 1f) + MathF.Sqrt(x) + MathF.Cbrt(y) + float.Exp2(x) + float.Exp10(y);
            s += MathF.Tanh(x) + MathF.Sinh(y) + MathF.Cosh(x) + MathF.Sin(y) + MathF.Cos(x) + MathF.Tan(y);
            s += MathF.Asin(x) + MathF.Acos(y) + MathF.Atan(x) + MathF.Asinh(y) + MathF.Acosh(x + 1.5f) + MathF.Atanh(y);
            s += MathF.Abs(x - y) + MathF.Pow(x, y) + MathF.Max(x, y) + MathF.Min(x, 2f * y) + MathF.Atan2(y, x) + float.Hypot(x, y);
            s += Math.Clamp(x, y * y - 0.5f, y * y + 0.2f) + Math.Clamp(y, x * x + 0.1f, x * x + 0.5f) + MathF.FusedMultiplyAdd(x, y, x) + AD.Sigmoid(x) + AD.Softplus(y) + AD.Log1P(x) + AD.ExpM1(y);
            s += float.LogP1(x * y) + float.ExpM1(x * y);
            s += MathF.IEEERemainder(x, y) + float.Ieee754Remainder(y, x) + MathF.CopySign(x, y - 0.5f) + AD.Erf(x - y) + x % y;
        }

        return s;
    }

    // A loop on the data left early every way: a continue, a break, a return inside it, and a return before it.
    [Differentiable, Domain(0.3, 2.5)]
    public static float LeftEarly(float x, float y)
    {
        if (x > 2.3f)
        {
            return x * y;
        }

        float s = 0f;
        int i = 0;
        while (s < 6f)
        {
            i++;
            if (i % 3 == 0)
            {
                continue;
            }

            s += x * MathF.Sin(y * i) + 0.5f;
            if (s * y > 4f)
            {
                break;
            }

            if (i > 7)
            {
                return s - y;
            }
        }

        return s * y;
    }

    // Calls of [Differentiable] methods inside the loop: methods written as graphs (one with [NoDiff] and [Constant]
    // parameters) and a taped one, whose own tape nests in this one's.
    [Differentiable, Domain(0.5, 2)]
    public static float CallsInLoop(float x, float y)
    {
        float s = 0f;
        for (int i = 0; i < x * 2f; i++)
        {
            s = Calls.Square(s * 0.5f + y) / 4f + Activations.Scaled(x, i, 2f) + HalveUntilSmall(x + 1f, MathF.Sin(s));
        }

        return s;
    }

    // A caller of a taped method goes through its gradient, in every form.
    [Differentiable, Domain(0.5, 4)]
    public static float CallsTaped(float x, float y) => PowerSeries(x * y, 3.5f) + HalveUntilSmall(x, y) * y;

    // Switch statements on an int computed from the data: a default in the middle, two cases sharing a section, a
    // continue of the enclosing loop inside a section, a nested switch on a constant; then one without a default whose
    // first section returns (clad's test/FirstDerivative/Switch.C has the same shapes: PeerSwitchTests).
    [Differentiable, Domain(0.1, 3)]
    public static float SwitchedSteps(float x, float y)
    {
        int k = (int)(x * 2f);
        float s = 0f;
        for (int i = 0; i < 4; i++)
        {
            switch ((k + i) % 4)
            {
                case 0:
                    s += x * y;
                    break;
                default:
                    s = (s * 0.5f) + MathF.Sin(x + y);
                    break;
                case 1:
                case 2:
                    if (s > 2f)
                    {
                        continue;
                    }

                    switch (1)
                    {
                        case 1:
                            s += MathF.Exp(-x * y * 0.1f);
                            break;
                    }

                    break;
            }
        }

        switch (k)
        {
            case 0:
                return s * x;
            case 5:
                s += y * y;
                break;
        }

        return s + x;
    }

    // An assignment whose value is another, in a loop whose count comes from the data.
    [Differentiable, Domain(0.2, 2)]
    public static float ChainedInALoop(float x, float y)
    {
        float a = 0f, b = 1f;
        int n = 1 + (int)(x * 2f);
        for (int i = 0; i < n; i++)
        {
            a = (b *= 0.5f + (0.25f * x));
            a += MathF.Sin(y * a);
        }

        return a + b;
    }
}

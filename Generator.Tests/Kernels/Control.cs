using System;
using AutoDiff;

namespace Kernels;

// Locals, branches and conditions: everything lowers to selects.
public static partial class Control
{
    [Differentiable]
    public static float Locals(float x, float y)
    {
        var s = x + y;
        float p = x * y;
        var q = s * p;
        return q - p / (1f + s * s);
    }

    [Differentiable]
    public static float IfElseChain(float x)
    {
        if (x < -1f)
        {
            return -2f * x - 1f;
        }
        else if (x < 1f)
        {
            return x * x * x / 3f + x * 2f;
        }
        else
        {
            return 2f * x + 0.5f;
        }
    }

    [Differentiable]
    public static float EarlyReturn(float x, float y)
    {
        if (x > y)
            return x * y;
        var d = y - x;
        if (d > 1f)
            return MathF.Sqrt(d) + x;
        return d * d + x;
    }

    [Differentiable]
    public static float ReassignedInBranches(float x, float y)
    {
        var a = x * 2f;
        var b = y;
        if (x > 0f)
        {
            a = a * y;
            b = b + 1f;
        }
        else
        {
            a = -a;
        }

        if (y > 0.5f)
            b = b * x;
        return a + b * b;
    }

    [Differentiable]
    public static float CompoundAssignment(float x, float y)
    {
        var a = x;
        a += y;
        a *= x;
        a -= 1f;
        a /= 1f + y * y;
        return a;
    }

    [Differentiable]
    public static float Conditional(float x, float y) => x > y ? x * x : (x < -y ? -y : x * y);

    [Differentiable]
    public static float BooleanLogic(float x, float y)
    {
        bool inside = x > -1f && x < 1f;
        bool far = !(y > -2f) || y > 2f;
        return inside || far ? x * y : x + y;
    }

    [Differentiable]
    public static float NestedBranches(float x, float y)
    {
        float r;
        if (x > 0f)
        {
            if (y > 0f)
                r = x * y;
            else
                r = x - y;
        }
        else
        {
            r = MathF.Exp(x) * y;
        }

        return r * r;
    }

    [Differentiable]
    public static float SafeBranch(float x) => x > 0f ? MathF.Sqrt(x) : 0f;

    // A parameter first assigned inside one branch (clad's Assignments.C f2): the other branch keeps the parameter. The
    // graph once took such an assignment as unconditional (f2(5, 3) gave 3, and its gradient that of y).
    [Differentiable]
    public static float AssignedInOneBranch(float x, float y)
    {
        if (x < y)
        {
            x = y * y;
        }

        if (x > 1f)
        {
        }
        else
        {
            y = x + 2f;
        }

        return x * y;
    }

    // Parameters are values: assigned, stepped and compound-assigned, in branches too; the caller's arguments stay.
    [Differentiable]
    public static float ParameterAssignments(float x, float y)
    {
        x = x * y;
        y += 1f;
        x++;
        --y;
        if (x > 1f)
        {
            x *= 2f;
            y -= 0.5f;
        }

        y %= 7f;
        return x * y + y;
    }

    // Loops whose trip count is known while compiling are unrolled: Horner's rule counting down,
    [Differentiable]
    public static float Horner(float x)
    {
        float p = 0f;
        for (int k = 5; k >= 0; k--)
        {
            p = p * x + (k + 1) * 0.5f;
        }

        return p;
    }

    // a recurrence h = tanh(w·h + x·c_t) with an int expression of the counter,
    [Differentiable, Domain(-1, 1)]
    public static float Recurrence(float w, float x)
    {
        float h = 0.1f;
        for (int t = 0; t < 12; t++)
        {
            h = MathF.Tanh(w * h + x * (t % 3 - 1));
        }

        return h;
    }

    // nested while/for/do with continue and break on the counters,
    [Differentiable]
    public static float NestedLoops(float x, float y)
    {
        float s = 0f;
        int i = 0;
        while (i < 4)
        {
            for (int j = 0; j <= i; j++)
            {
                if (j == 2)
                {
                    continue;
                }

                if (i * j > 6)
                {
                    break;
                }

                s += x * j - y / (i + 1);
            }

            i++;
        }

        do
        {
            s *= 0.5f + y * y;
            i--;
        }
        while (i > 2);
        return s;
    }

    // and a return on the data inside a loop (the first return wins).
    [Differentiable]
    public static float ReturnInLoop(float x)
    {
        float s = x;
        for (int i = 0; i < 5; i++)
        {
            s = s * 0.9f + 0.3f;
            if (s > 1f)
            {
                return s * i;
            }
        }

        return -s;
    }

    // int locals wrap at 32 bits as C# computes them (3⁴⁰ does not fit): the unrolled value equals the method's.
    [Differentiable]
    public static float IntegerWrap(float x)
    {
        int k = 1;
        for (int i = 0; i < 40; i++)
        {
            k = (k * 3) + 1;
        }

        return x * (k % 1000) * 0.001f;
    }

    // A recurrence of 64 steps in three variables: its Hessian written out would be three copies of the gradient's
    // work, so the Hessian form computes it a column at a time (KernelTests checks which form it got). The step is a
    // contraction (|∂h'/∂h| ≤ 0.75 on the domain), so lanes and scalar agree to rounding after 64 steps.
    [Differentiable]
    [Domain(-1.5, 1.5)]
    public static float LongRecurrence(float a, float b, float c)
    {
        float h = 0.1f;
        for (int i = 0; i < 64; i++)
        {
            h = 0.3f * MathF.Tanh(a * h + b) + 0.2f * c * MathF.Sin(h);
        }

        return h * h + a * b;
    }

    // Assignments whose value is another assignment (clad's CompoundAssignments.C f4, x = (y += x)): the inner one runs
    // first, then the outer takes its variable's new value; a compound outer reads its own variable before.
    [Differentiable]
    public static float ChainedAssignments(float x, float y)
    {
        float a, b;
        a = b = x * y;
        b += a;
        float s = 1f;
        s *= (y += x * x);
        x = (y -= a);
        return (a * b) + s + x;
    }
}

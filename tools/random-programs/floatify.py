# The float twins of gen.py's methods (float, MathF, f literals), named G…, in class MF.
import re, sys
src = open(sys.argv[1]).read()
# take methods F*, produce float twins named G*
out = []
for m in re.finditer(r"// sig (\d)\n\[Differentiable\]\npublic static double (F\d+)\((.*?)\)\n\{\n(.*?)\n\}\n// end", src, re.S):
    sig, name, params, body = m.groups()
    t = f"// fsig {sig}\n[Differentiable]\npublic static double {name}({params})\n{{\n{body}\n}}\n// fend"
    t = t.replace("public static double " + name, "public static float " + "G" + name[1:])
    t = re.sub(r"\bdouble\b(?!\.)", "float", t)
    t = t.replace("double.Hypot", "float.Hypot")
    t = re.sub(r"(?<![\w.])(\d+\.\d+)(?![\w.])", r"\1f", t)
    t = t.replace("Math.", "MathF.").replace("MathF.Clamp", "Math.Clamp")
    out.append(t)
print("using System;\nusing AutoDiff;\nnamespace Fz;\npublic static partial class MF\n{")
print("\n".join(out))
print("}")
print("""public static partial class H
{
    [Differentiable]
    public static float Energy(ReadOnlySpan<float> v, float w)
    {
        float e = 0f;
        for (int i = 0; i < v.Length; i++)
        {
            e += MathF.Tanh(w * v[i]) * v[i];
        }

        return 0.25f * e;
    }

    [Differentiable]
    public static void Relax(Span<float> v, float w)
    {
        for (int i = 1; i < v.Length; i++)
        {
            v[i] = (0.5f * v[i]) + (0.25f * MathF.Tanh(w * v[i - 1]));
        }
    }

    [Differentiable]
    public static void Pair(ref float p, float q)
    {
        p = 0.5f * p + 0.25f * MathF.Sin(q * p);
    }

    [Differentiable]
    public static float Mix(ref float p, float q)
    {
        p = 0.75f * p + 0.25f * MathF.Tanh(q);
        return MathF.Sin(p) * 0.5f;
    }
}""")

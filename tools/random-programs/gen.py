# Random [Differentiable] methods over spans, written as a user writes them: for (up and down), foreach, while and do
# loops with break, continue and return, nested loops, if/else, ints and bools, compound assignments (parameters too),
# local arrays and stackalloc spans written at computed indices, calls of helpers that read a span, write one in place
# or write a ref, AD's reductions, Math's functions with kinks (Max, Min, Abs, Clamp), ?:, Floor and Round read as ints.
# Usage: gen.py SEED COUNT [SIGNATURES [ONLY]]: signatures 0 ReadOnlySpan<double>, 1 double[] (written), 2 Span<double>
# (written), 3 with a ReadOnlySpan<int> permutation, 4 scalars only (a local array in place of the span).
import os, random, sys
R = random.Random(int(sys.argv[1]))
N = int(sys.argv[2])

def num(): return R.choice(["0.5", "0.25", "1.5", "0.75", "2.0", "0.1"])

def atom(ctx):
    c = ["a", "b", "s", "h", "x[0]", "x[x.Length - 1]", "tmp[1]", "st[2]", f"(0.1 * k)"] + (["x[p[^1]]", "x[p[1]]"] if ctx["sig"] == 3 else [])
    if ctx["i"]:
        i = ctx["i"][-1]
        c += [f"x[{i}]", f"x[x.Length - 1 - {i}]", f"(0.2 * {i})", f"tmp[{i} % 4]", f"x[({i} + 1) % x.Length]"]
        if ctx["sig"] == 3: c += [f"x[p[{i}]]", f"x[p[p[{i}]]]", f"(0.1 * p[{i}])"]
    if ctx.get("v"): c += [ctx["v"]]
    return R.choice(c)

def expr(ctx, d):
    if d == 0: return atom(ctx)
    k = R.randrange(24)
    e1 = expr(ctx, d - 1); e2 = expr(ctx, d - 1)
    return [
        f"({e1} + {e2})", f"({e1} - {e2})", f"({e1} * {e2})", f"({e1} / (1.5 + {e2} * {e2}))",
        f"Math.Tanh({e1})", f"Math.Sin({e1})", f"Math.Atan2({e1}, 1.0 + {e2} * {e2})",
        f"double.Hypot({e1}, 0.5 + {e2} * {e2})", f"Math.Cbrt(2.0 + Math.Tanh({e1}))", f"Math.Pow(1.1 + {e1} * {e1}, {num()})",
        f"Math.Max({e1}, {e2})", f"Math.Min({e1}, {num()})", f"({e1} > {e2} ? {e1} : {num()} * {e2})",
        f"Math.Exp(-({e1} * {e1}))", f"Math.Log(1.0 + {e1} * {e1})", f"Math.Abs({e1})",
        f"H.Energy(x, {e1})", f"H.Energy(x[1..4], {e1})", f"AD.Dot(x[..4], tmp)", f"AD.Sum(x, v => Math.Sin(v * {R.choice(['a', '0.5', 'b'])}))",
        f"Math.Sqrt(1.0 + {e1} * {e1})", f"Math.Clamp({e1}, -0.5, {num()})", f"({e1} * (k > 0 ? 0.5 : -0.25))", f"(0.5 * {e1})",
    ][k]

def bounded(ctx, target):
    e = expr(ctx, R.randrange(1, 3))
    k = R.randrange(6)
    return [f"{target} = Math.Tanh({e});", f"{target} += 0.5 * Math.Sin({e});", f"{target} -= 0.25 * Math.Tanh({e});",
            f"{target} *= 0.5 + 0.25 * Math.Tanh({e});", f"{target} /= 1.5 + 0.5 * Math.Tanh({e});",
            f"{target} = 0.5 * {target} + 0.25 * Math.Atan({e});"][k]

def stmt(ctx, depth):
    opts = ["assign"] * 5 + ["int", "call"] + (["xwrite", "xwrite"] if ctx["sig"] in (1, 2) else [])
    if depth > 0: opts += ["if", "loop", "loop", "ifelse"]
    if ctx["i"]: opts += ["elem"]
    if ctx["i"] or ctx.get("inwhile") or ctx.get("v"): opts += ["exit"]
    o = R.choice(opts)
    if o == "assign":
        return bounded(ctx, R.choice(["s", "h", "a", "b", "s", "h", "tmp[0]", "st[1]", "tmp[3]"]))
    if o == "elem":
        i = ctx["i"][-1]
        return bounded(ctx, R.choice([f"tmp[{i} % 4]", f"st[{i} % 3]", f"tmp[(({i} * 3 + k) % 4 + 4) % 4]"]))
    if o == "call":
        return R.choice([f"H.Relax(tmp, {expr(ctx,1)});", f"H.Relax(st, {expr(ctx,1)});", f"H.Relax(tmp.AsSpan(1, 2), {expr(ctx,1)});", f"H.Pair(ref h, {expr(ctx,1)});",
                         f"s += 0.25 * Math.Tanh(h = Math.Tanh({expr(ctx,1)}));", f"{{ double mm = H.Mix(ref h, 0.5 * a + 0.25); s += 0.5 * mm; }}"] + ([f"H.Relax(x, {expr(ctx,1)});"] if ctx["sig"] in (1, 2) else []))
    if o == "xwrite":
        i = ctx["i"][-1] if ctx["i"] else "0"
        return bounded(ctx, R.choice([f"x[{i}]", f"x[x.Length - 1 - {i}]", "x[1]"]))
    if o == "int":
        return R.choice(["k++;", "k = (k * 3 + 1) % 5;", "k -= 1;", "k += x.Length % 2;", f"k = {expr(ctx,1)} > 0.5 ? 2 : -1;",
                         f"k = (int)(Math.Abs({expr(ctx,1)}) * 3.0) % 4;", f"k = (int)Math.Round({expr(ctx,1)});", f"flag = {expr(ctx,1)} > 0.25;", "flag = !flag;",
                         f"s %= 1.5 + {expr(ctx,1)} * {expr(ctx,1)};", "h++;", "s--;", f"tmp[(k % 4 + 4) % 4] *= 0.5 + 0.25 * Math.Tanh({expr(ctx,1)});",
                         f"{{\nint q = 0;\nwhile (s < 1.0 && q < 6)\n{{\nq++;\ns += 0.25 + 0.1 * Math.Tanh({expr(ctx,1)});\nif (flag && q > 2) {{ break; }}\n}}\n}}\n"])
    if o == "exit":
        kind = R.choice(["break", "continue", "return"])
        c = f"{expr(ctx,1)} > {num()}"
        if kind == "return": return f"if ({c}) {{ return {expr(ctx,1)}; }}"
        return f"if ({c}) {{ {kind}; }}"
    if o in ("if", "ifelse"):
        c = R.choice([f"{expr(ctx,1)} > {num()}", "k % 2 == 0", "a < b", "flag", "!flag && k > 0"])
        t = block(ctx, depth - 1)
        if o == "if": return f"if ({c})\n{{\n{t}}}\n"
        return f"if ({c})\n{{\n{t}}}\nelse\n{{\n{block(ctx, depth - 1)}}}\n"
    if o == "loop":
        if len(ctx["i"]) >= 2: return bounded(ctx, "s")
        i = f"i{len(ctx['i'])}"
        kind = R.randrange(6)
        ctx2 = dict(ctx); ctx2["i"] = ctx["i"] + [i]
        body = block(ctx2, depth - 1)
        if kind == 0: return f"for (int {i} = 0; {i} < x.Length; {i}++)\n{{\n{body}}}\n"
        if kind == 1: return f"for (int {i} = x.Length - 1; {i} >= 0; {i}--)\n{{\n{body}}}\n"
        if kind == 2:
            ctx3 = dict(ctx); ctx3["v"] = "v" + str(R.randrange(10**6)); ctx3["i"] = ctx["i"]
            vb = block(ctx3, depth - 1)
            return f"foreach (var {ctx3['v']} in x)\n{{\n{vb}}}\n"
        wb = block(dict(ctx, inwhile=True), depth - 1)
        w = "w" + str(R.randrange(10**6))
        if kind == 3: return f"{{\nint {w} = 0;\nwhile ({w} < x.Length && s < 3.0)\n{{\n{w}++;\n{wb}}}\n}}\n"
        if kind == 4: return f"{{\nint {w} = 0;\ndo\n{{\n{w}++;\n{wb}}}\nwhile ({w} < 3);\n}}\n"
        outer = ctx["i"][-1] if ctx["i"] else "x.Length"
        return f"for (int {i} = 0; {i} < {outer}; {i}++)\n{{\n{body}}}\n"

def block(ctx, depth):
    return "".join(stmt(ctx, depth).rstrip("\n") + "\n" for _ in range(R.randrange(1, 4)))

sig = ["ReadOnlySpan<double> x, double a, double b", "double[] x, double a, double b", "Span<double> x, double a, double b", "ReadOnlySpan<double> x, double a, double b, ReadOnlySpan<int> p", "double a, double b, double c"]
print("using System;\nusing AutoDiff;\nnamespace Fz;\npublic static partial class M\n{")
for f in range(N):
    s = R.randrange(int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    if len(sys.argv) > 4: s = int(sys.argv[4])
    ctx = {"i": [], "sig": s}
    body = ("double[] x = { c, a * b, 0.5, b, c * c };\n" if s == 4 else "") + "double s = 0.0;\ndouble h = b;\nint k = 1;\nbool flag = a > b;\ndouble[] tmp = new double[4];\nSpan<double> st = stackalloc double[3];\n"
    body += block(ctx, 3)
    body += f"for (int i = 0; i < x.Length; i++)\n{{\n{block({'i':['i'], 'sig': s}, 1)}}}\n"
    body += f"return s + 0.5 * h + 0.25 * tmp[R] + 0.125 * st[Q] + {expr(ctx, 1)};\n".replace("R", str(R.randrange(4))).replace("Q", str(R.randrange(3)))
    print(f"// sig {s}\n[Differentiable]\npublic static double F{f}({sig[s]})\n{{\n{body}}}\n// end")
print("}")
print(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "Helpers.cs.txt")).read())

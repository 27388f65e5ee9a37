# The checking program for gen.py's methods: wrappers over arrays for each method's value, gradient, Jvp and Hessian-vector
# product (or Hessian and lanes, for methods of scalars), then Check.cs.txt's checks.
import os, sys
from methods import HEADER, permutation, read, span

methods = read(sys.argv[1])
names = [n for n, _ in methods]
out = list(HEADER)
xa = span
for n, s in methods:
    P = permutation(s)
    if s == 4:
        out.append(f"static double V_{n}(double[] z) => M.{n}(z[5], z[6], z[0]);")
        out.append(f"static double G_{n}(double[] z, double[] d) {{ Array.Clear(d); return M.{n}Gradient(z[5], z[6], z[0], out d[5], out d[6], out d[0]); }}")
        out.append(f"static double J_{n}(double[] z, double[] t, out double tan) => M.{n}Jvp(z[5], z[6], z[0], t[5], t[6], t[0], out tan);")
        out.append(f"static double H_{n}(double[] z, double[] v, double[] hv) {{ var g = new double[3]; var h = new double[9]; double r = M.{n}Hessian(z[5], z[6], z[0], g, h); int[] at = {{ 5, 6, 0 }}; Array.Clear(hv); double dir = 0; for (int i = 0; i < 3; i++) {{ dir += g[i] * v[at[i]]; for (int j = 0; j < 3; j++) hv[at[i]] += h[i * 3 + j] * v[at[j]]; }} var lanes = M.{n}(new System.Numerics.Vector<double>(z[5]), new System.Numerics.Vector<double>(z[6]), new System.Numerics.Vector<double>(z[0])); if (Math.Abs(lanes[0] - r) > 1e-12 * Math.Max(1, Math.Abs(r))) throw new Exception($\"lanes {{lanes[0]}} vs {{r}}\"); return dir; }}")
        continue
    out.append(f"static double V_{n}(double[] z) {{ var c = (double[])z.Clone(); return M.{n}({xa(s,'c')}, c[5], c[6]{P}); }}")
    out.append(f"static double G_{n}(double[] z, double[] d) {{ var c = (double[])z.Clone(); return M.{n}Gradient({xa(s,'c')}, c[5], c[6]{P}, d.AsSpan(0, 5), out d[5], out d[6]); }}")
    out.append(f"static double J_{n}(double[] z, double[] t, out double tan) {{ var c = (double[])z.Clone(); return M.{n}Jvp({xa(s,'c')}, c[5], c[6]{P}, t.AsSpan(0, 5), t[5], t[6], out tan); }}")
    out.append(f"static double H_{n}(double[] z, double[] v, double[] hv) {{ var c = (double[])z.Clone(); return M.{n}HessianVectorProduct({xa(s,'c')}, c[5], c[6]{P}, v.AsSpan(0, 5), v[5], v[6], hv.AsSpan(0, 5), out hv[5], out hv[6]); }}")
out.append("static readonly (string, Func<double[], double>, Func<double[], double[], double>, Func<double[], double[], (double, double)>, Func<double[], double[], double[], double>)[] All = {")
for n in names:
    out.append(f"(\"{n}\", V_{n}, G_{n}, (z, t) => {{ var r = J_{n}(z, t, out var tan); return (r, tan); }}, H_{n}),")
out.append("};")
out.append(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "Check.cs.txt")).read())
out.append("}")
print("\n".join(out))

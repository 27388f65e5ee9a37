# The checking program for --float: each float gradient and Jvp against the double twin's gradient at the same point.
import sys
from methods import HEADER, permutation, read, span

methods = [(n, s) for n, s in read(sys.argv[1]) if s < 4]  # the scalar methods have no float twin check
names = [n for n, _ in methods]
out = list(HEADER)
xa = span
for n, s in methods:
    P = permutation(s)
    g = "G" + n[1:]
    out.append(f"static double G_{n}(double[] z, double[] d) {{ var c = (double[])z.Clone(); return M.{n}Gradient({xa(s,'c')}, c[5], c[6]{P}, d.AsSpan(0, 5), out d[5], out d[6]); }}")
    out.append(f"static float GF_{n}(float[] z, float[] d) {{ var c = (float[])z.Clone(); return MF.{g}Gradient({xa(s,'c')}, c[5], c[6]{P}, d.AsSpan(0, 5), out d[5], out d[6]); }}")
    out.append(f"static float JF_{n}(float[] z, float[] t, out float tan) {{ var c = (float[])z.Clone(); return MF.{g}Jvp({xa(s,'c')}, c[5], c[6]{P}, t.AsSpan(0, 5), t[5], t[6], out tan); }}")
out.append("static readonly (string, Func<double[], double[], double>, Func<float[], float[], float>, Func<float[], float[], (float, float)>)[] All = {")
for n in names:
    out.append(f"(\"{n}\", G_{n}, GF_{n}, (z, t) => {{ var r = JF_{n}(z, t, out var tan); return (r, tan); }}),")
out.append("};")
out.append('''
public static void Main()
{
    int bad = 0, n = 0;
    foreach (var (name, g, gf, jf) in All)
    {
        var rnd = new Random(name.GetHashCode());
        string? problem = null;
        try
        {
            for (int p = 0; p < 6 && problem is null; p++)
            {
                var zf = new float[7]; var z = new double[7];
                for (int i = 0; i < 7; i++) { zf[i] = (float)(rnd.NextDouble() * 3 - 1.5); z[i] = zf[i]; }
                var d = new double[7]; var df = new float[7];
                double f = g(z, d); float ff = gf(zf, df);
                if (!double.IsFinite(f) || Math.Abs(f) > 1e4) continue;
                if (Math.Abs(f - ff) > 1e-3 * Math.Max(1, Math.Abs(f))) { problem = $"value {ff} vs double {f}"; break; }
                for (int i = 0; i < 7; i++)
                    if (Math.Abs(d[i] - df[i]) > 2e-3 * Math.Max(1, Math.Abs(d[i]))) { problem = $"d[{i}] float {df[i]} vs double {d[i]} at [{string.Join(", ", zf)}]"; break; }
                var t = new float[7]; for (int i = 0; i < 7; i++) t[i] = (float)(rnd.NextDouble() * 2 - 1);
                var (jr, tan) = jf(zf, t);
                double dot = 0; for (int i = 0; i < 7; i++) dot += df[i] * t[i];
                if (problem is null && Math.Abs(tan - dot) > 1e-3 * Math.Max(1, Math.Abs(dot))) problem = $"jvp {tan} vs {dot}";
                n++;
            }
        }
        catch (Exception e) { problem = "threw " + e.GetType().Name + ": " + e.Message; }
        if (problem is not null) { bad++; Console.WriteLine($"{name}: {problem}"); }
    }
    Console.WriteLine($"float: bad {bad} of {All.Length}; points {n}");
}
}''')
print("\n".join(out))

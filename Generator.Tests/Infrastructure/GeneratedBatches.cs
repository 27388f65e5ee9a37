using CsCheck;

namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>The property tests' loop: seeded batches of generated methods, each batch one compilation, a failure shrunk.</summary>
public static class GeneratedBatches
{
    /// <summary>
    /// Generates <paramref name="batches"/> × <paramref name="perBatch"/> method bodies from seeded streams (stream
    /// <paramref name="firstStream"/> + batch), checks each batch in one compilation, and on a failure shrinks with CsCheck
    /// from the failing body's seed (compiling one body at a time) and fails with the minimal source.
    /// </summary>
    /// <returns>The number of bodies checked.</returns>
    public static int Check(Gen<string> body, int batches, int perBatch, uint firstStream,
        Func<List<string>, List<(int Index, string Message)>> check, Func<IEnumerable<string>, string> source)
    {
        int checkedBodies = 0;
        for (int batch = 0; batch < batches; batch++)
        {
            var bodies = new List<(string Seed, string Body)>();
            for (int k = 0; k < perBatch; k++)
            {
                var pcg = new PCG(firstStream + (uint)batch, (ulong)(k + 1) * 0x9E3779B97F4A7C15UL);
                bodies.Add((pcg.ToString(), body.Generate(pcg, null, out _)));
            }

            var failures = check(bodies.Select(b => b.Body).ToList());
            if (failures.Count > 0)
            {
                var (index, message) = failures[0];
                body.Sample(
                    candidate =>
                    {
                        var alone = check(new List<string> { candidate });
                        if (alone.Count > 0)
                        {
                            throw new InvalidOperationException(alone[0].Message);
                        }
                    },
                    seed: bodies[index].Seed, iter: 100_000, time: 60, threads: 1, print: candidate => "\n" + source(new[] { candidate }));
                Assert.Fail($"Body {index} of batch {batch} failed ({message}), but not when compiled alone:\n{bodies[index].Body}");
            }

            checkedBodies += bodies.Count;
        }

        return checkedBodies;
    }
}

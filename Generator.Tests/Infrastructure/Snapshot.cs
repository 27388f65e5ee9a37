namespace AutoDiff.Generator.Tests.Infrastructure;

/// <summary>
/// Baseline snapshots with Verify's conventions: the accepted text lives in
/// <c>Snapshots/{name}.verified.cs</c> next to the tests; a mismatch writes <c>{name}.received.cs</c>
/// beside it and fails. Set <c>AUTODIFF_ACCEPT_SNAPSHOTS=1</c> to accept the received text.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "AUTODIFF_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual)
    {
        var folder = TestPaths.Snapshots;
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}. The output was written to {received}; review it and set {AcceptVariable}=1 to accept."
            : $"The output differs from {verified}; see {received} (diff them), and set {AcceptVariable}=1 to accept.");
    }
}

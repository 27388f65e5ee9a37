using System.IO.Compression;
using System.Security.Cryptography;
using AutoDiff.Data;

namespace AutoDiff.Runtime.Tests.Data;

/// <summary>The IDX reader on hand-made files (raw and gzip, every kind of corruption) and on the MNIST the repository ships.</summary>
public sealed class MnistTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autodiff-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] IdxBytes(uint magic, int[] shape, byte[] data)
    {
        var bytes = new List<byte>();
        void Int(uint v) => bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        Int(magic);
        foreach (var d in shape)
        {
            Int((uint)d);
        }

        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(_folder, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var stream = new GZipStream(file, CompressionLevel.Fastest);
            stream.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_raw_and_gzip_files(bool gzip)
    {
        var pixels = Enumerable.Range(0, 2 * 28 * 28).Select(i => (byte)(i % 256)).ToArray();
        var images = Write("images", IdxBytes(0x0803, [2, 28, 28], pixels), gzip);
        var labels = Write("labels", IdxBytes(0x0801, [2], [7, 3]), gzip);
        var mnist = Mnist.Load(images, labels);
        Assert.Equal(2, mnist.Count);
        Assert.Equal([7, 3], mnist.Labels);
        Assert.Equal(255 / 255f, mnist.Image(0)[255]);
        Assert.Equal((28 * 28 % 256) / 255f, mnist.Image(1)[0]);
    }

    [Fact]
    public void Every_corruption_names_the_file_and_the_problem()
    {
        var good = Enumerable.Repeat((byte)1, 28 * 28).ToArray();
        var labels = Write("labels", IdxBytes(0x0801, [1], [1]));

        void Expect(string name, byte[] bytes, string problem, bool asLabels = false)
        {
            var path = Write(name, bytes);
            var error = Assert.Throws<InvalidDataException>(() => asLabels ? Mnist.Load(Write("ok-images", IdxBytes(0x0803, [1, 28, 28], good)), path) : Mnist.Load(path, labels));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }

        Expect("magic", IdxBytes(0x0D03, [1, 28, 28], good), "magic number is 0x00000D03");
        Expect("dimensions", IdxBytes(0x0802, [28, 28], good), "2 dimensions, 3 expected");
        Expect("truncated", IdxBytes(0x0803, [1, 28, 28], good[..700]), "truncated");
        Expect("long", IdxBytes(0x0803, [1, 28, 28], [.. good, 9]), "too long");
        Expect("header", [0, 0, 8, 3, 0, 0], "ends inside its header");
        Expect("size", IdxBytes(0x0803, [1, 20, 20], good[..400]), "20 × 20 pixels");
        Expect("tiny", [1, 2], "not even the 4 of the magic number");
        Expect("label", IdxBytes(0x0801, [1], [12]), "label 0 is 12", asLabels: true);
        Expect("count", IdxBytes(0x0801, [2], [1, 2]), "holds 1 images but", asLabels: true);

        var gzip = Write("broken.gz", [0x1F, 0x8B, 8, 0, 1, 2, 3]);
        Assert.Contains(gzip, Assert.Throws<InvalidDataException>(() => Idx.Read(gzip, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => Mnist.Load(_folder, training: true)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_files_match_their_checksums()
    {
        var folder = RepositoryPaths.Mnist;
        var sums = File.ReadAllLines(Path.Combine(folder, "SHA256SUMS")).Where(l => l.Length > 0).Select(l => l.Split("  ")).ToList();
        Assert.Equal(4, sums.Count);
        foreach (var parts in sums)
        {
            using var stream = File.OpenRead(Path.Combine(folder, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }

        Assert.Contains("CC BY-SA 3.0", File.ReadAllText(Path.Combine(folder, "NOTICE")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_test_set_loads()
    {
        var test = Mnist.Load(RepositoryPaths.Mnist, training: false);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(7, test.Labels[0]); // the first test digit of MNIST is a 7
        Assert.Equal(2, test.Labels[1]);
        Assert.All(test.Images, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(10, test.Labels.Distinct().Count());
    }
}

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
    public void A_limit_reads_only_the_first_images_and_memory_follows_the_data_not_the_header()
    {
        // A small gzip whose header claims a million images (784 MB) but holds 200: the first 100 load without
        // reading the rest; every image is refused over the cap; memory stays near what the data holds.
        var pixels = Enumerable.Range(0, 200 * 784).Select(i => (byte)(i % 251)).ToArray();
        var images = Write("claims.gz", IdxBytes(0x0803, [1_000_000, 28, 28], pixels), gzip: true);
        var labels = Write("labels.gz", IdxBytes(0x0801, [1_000_000], new byte[200]), gzip: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var first = Mnist.Load(images, labels, limit: 100);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, first.Count);
        Assert.Equal(pixels[99 * 784 + 5] / 255f, first.Image(99)[5]);
        Assert.InRange(allocated, 0, 8 << 20);

        var error = Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels));
        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 1,000,000 items and one read takes at most 250,000", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Mnist.Load(images, labels, limit: 201)).Message, StringComparison.Ordinal);

        var over = Write("over", IdxBytes(0x0803, [Mnist.MaxImages + 1, 28, 28], []), gzip: true);
        Assert.Contains("holds 250,001 items and one read takes at most 250,000", Assert.Throws<InvalidDataException>(() => Mnist.Load(over, labels)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_bomb_stops_one_byte_past_what_the_header_declares()
    {
        // 10 images declared, 64 MB of zeros behind them: refused as too long after reading one byte too many.
        var path = Path.Combine(_folder, "bomb.gz");
        using (var stream = new GZipStream(File.Create(path), CompressionLevel.SmallestSize))
        {
            stream.Write(IdxBytes(0x0803, [10, 28, 28], []));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++)
            {
                stream.Write(zeros);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path, 3));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
        Assert.True(new FileInfo(path).Length < 200_000);
    }

    [Fact]
    public void Damaged_gzip_files_say_what_is_damaged()
    {
        var pixels = Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 7)).ToArray();
        var bytes = File.ReadAllBytes(Write("good.gz", IdxBytes(0x0803, [3, 28, 28], pixels), gzip: true));

        string Message(string name, byte[] damaged) =>
            Assert.Throws<InvalidDataException>(() => Idx.Read(Write(name, damaged), 3)).Message;

        var method = (byte[])bytes.Clone();
        method[2] = 9;
        Assert.Contains("compression method 9, and only deflate (8) exists", Message("method.gz", method), StringComparison.Ordinal);

        var checksum = (byte[])bytes.Clone();
        checksum[^6] ^= 0xFF; // the trailer's CRC-32
        Assert.Contains("gzip data is damaged", Message("crc.gz", checksum), StringComparison.Ordinal);

        var data = (byte[])bytes.Clone();
        data[bytes.Length / 2] ^= 0x5A; // inside the deflate stream
        Assert.Contains("gzip data is damaged", Message("data.gz", data), StringComparison.Ordinal);

        Assert.Contains("truncated", Message("short.gz", bytes[..(bytes.Length / 2)]), StringComparison.Ordinal);
        Assert.Contains("ends inside its gzip header", Message("header.gz", [0x1F, 0x8B]), StringComparison.Ordinal);
        Assert.DoesNotContain("unsupported", Message("data2.gz", data), StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_and_directories_are_refused_from_their_first_bytes()
    {
        Assert.Contains("magic number is 0x00000000", Assert.Throws<InvalidDataException>(() => Idx.Read("/dev/zero", 3)).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<InvalidDataException>(() => Idx.Read(_folder, 3)).Message, StringComparison.Ordinal);
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

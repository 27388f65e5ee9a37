using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoDiff.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST), raw or gzip-compressed: a big-endian magic
/// number 0x0000_08_NN (type 8 = unsigned byte, NN dimensions), NN big-endian dimension sizes, then the bytes.
/// Every problem — a wrong magic number, a dimension count or size that is not expected, data shorter or
/// longer than the dimensions say, an unreadable gzip stream — throws <see cref="InvalidDataException"/>
/// naming the file and the problem.
/// </summary>
public static class Idx
{
    /// <summary>Reads an IDX file of unsigned bytes with the expected number of dimensions.</summary>
    /// <param name="path">The file (gzip-compressed if it starts with the gzip magic bytes).</param>
    /// <param name="dimensions">The number of dimensions the file must have (3 for images, 1 for labels).</param>
    /// <returns>The sizes of the dimensions and the data, row-major.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not such an IDX file, or is truncated or too long.</exception>
    public static (int[] Shape, byte[] Data) Read(string path, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The IDX file '{path}' does not exist.", path);
        }

        byte[] bytes;
        try
        {
            bytes = Decompress(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable gzip stream: {e.Message}", e);
        }

        if (bytes.Length < 4)
        {
            throw Problem(path, $"it holds {bytes.Length} bytes, not even the 4 of the magic number");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if ((magic & 0xFFFF_FF00) != 0x0000_0800)
        {
            throw Problem(path, $"the magic number is 0x{magic:X8}, not 0x000008NN (an IDX file of unsigned bytes)");
        }

        int count = (int)(magic & 0xFF);
        if (count != dimensions)
        {
            throw Problem(path, $"it has {count} dimensions, {dimensions} expected");
        }

        int header = 4 + (4 * count);
        if (bytes.Length < header)
        {
            throw Problem(path, $"it ends inside its header ({bytes.Length} of {header} bytes)");
        }

        var shape = new int[count];
        long size = 1;
        for (int d = 0; d < count; d++)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + (4 * d)));
            if (length == 0 || length > int.MaxValue)
            {
                throw Problem(path, $"dimension {d} has size {length}");
            }

            shape[d] = (int)length;
            size *= length;
        }

        long available = bytes.Length - header;
        if (available != size)
        {
            throw Problem(path, available < size
                ? $"it is truncated: the dimensions {string.Join(" × ", shape)} need {size} bytes of data, it has {available}"
                : $"it is too long: the dimensions {string.Join(" × ", shape)} need {size} bytes of data, it has {available}");
        }

        return (shape, bytes[header..]);
    }

    private static InvalidDataException Problem(string path, string problem) => new($"'{path}' is not a valid IDX file: {problem}.");

    private static byte[] Decompress(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1F || bytes[1] != 0x8B)
        {
            return bytes;
        }

        using var input = new MemoryStream(bytes);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}

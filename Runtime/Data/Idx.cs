using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoDiff.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST), raw or gzip-compressed: a big-endian magic
/// number 0x0000_08_NN (type 8 = unsigned byte, NN dimensions), NN big-endian dimension sizes, then the bytes.
/// The file is read as a stream, header first: memory grows with the bytes the file really holds, never with what
/// its header claims, and under a limit only the items asked for are read. Every problem — a wrong magic number, a
/// dimension count or size that is not expected, data shorter or longer than the dimensions say, a damaged gzip
/// stream — throws <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class Idx
{
    // The first buffer; it doubles as the data arrives, up to the size the header gives.
    private const int InitialBuffer = 1 << 20;

    /// <summary>Reads an IDX file of unsigned bytes with the expected number of dimensions.</summary>
    /// <param name="path">The file (gzip-compressed if it starts with the gzip magic bytes).</param>
    /// <param name="dimensions">The number of dimensions the file must have (3 for images, 1 for labels).</param>
    /// <param name="limit">
    /// The most items (entries of the first dimension) to read. With fewer items than the file holds, reading stops
    /// after them: the rest of the file is neither read nor checked.
    /// </param>
    /// <param name="maxItems">
    /// The most items one read takes: a file holding more (after <paramref name="limit"/>) is refused before its data
    /// is read, so that what a header claims cannot take the machine's memory.
    /// </param>
    /// <returns>
    /// The sizes of the dimensions as the file declares them, and the data of the first min(Shape[0],
    /// <paramref name="limit"/>) items, row-major.
    /// </returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not such an IDX file, a directory, truncated or too long.</exception>
    public static (int[] Shape, byte[] Data) Read(string path, int dimensions, int limit = int.MaxValue, int maxItems = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (Directory.Exists(path))
        {
            throw Problem(path, "it is a directory");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The IDX file '{path}' does not exist.", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> gzipHeader = stackalloc byte[3];
        int start = ReadFully(file, gzipHeader);
        bool gzip = start >= 2 && gzipHeader[0] == 0x1F && gzipHeader[1] == 0x8B;
        if (gzip && (start < 3 || gzipHeader[2] != 8))
        {
            throw Problem(path, start < 3
                ? "it ends inside its gzip header"
                : $"its gzip header names compression method {gzipHeader[2]}, and only deflate (8) exists");
        }

        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        long decoded = 0;
        try
        {
            return Read(path, stream, dimensions, limit, maxItems, gzip ? null : file.Length, ref decoded);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith($"'{path}'", StringComparison.Ordinal))
        {
            // zlib's one message for every decoding error ("unsupported compression method") says nothing true here.
            throw Problem(path, $"its gzip data is damaged: the deflate stream or its CRC-32 check fails after {decoded:N0} decompressed bytes", e);
        }
    }

    private static (int[] Shape, byte[] Data) Read(string path, Stream stream, int dimensions, int limit, int maxItems, long? fileLength, ref long decoded)
    {
        Span<byte> word = stackalloc byte[4];
        int read = ReadFully(stream, word);
        decoded += read;
        if (read < 4)
        {
            throw Problem(path, $"it holds {read} bytes, not even the 4 of the magic number");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(word);
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
        var shape = new int[count];
        long itemSize = 1;
        for (int d = 0; d < count; d++)
        {
            read = ReadFully(stream, word);
            decoded += read;
            if (read < 4)
            {
                throw Problem(path, $"it ends inside its header ({decoded} of {header} bytes)");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(word);
            if (length == 0 || length > int.MaxValue)
            {
                throw Problem(path, $"dimension {d} has size {length}");
            }

            shape[d] = (int)length;
            if (d > 0)
            {
                itemSize *= length;
            }
        }

        string dims = string.Join(" × ", shape);
        long size = shape[0] * itemSize;
        if (itemSize > Array.MaxLength)
        {
            throw Problem(path, $"one item of {dims} is {itemSize:N0} bytes, more than an array holds");
        }

        // A raw file's length is known: a header that does not match it is refused before anything is allocated.
        if (fileLength is long length0 && length0 - header != size)
        {
            long available = length0 - header;
            throw Problem(path, available < size
                ? $"it is truncated: the dimensions {dims} need {size:N0} bytes of data, it has {available:N0}"
                : $"it is too long: the dimensions {dims} need {size:N0} bytes of data, it has {available:N0}");
        }

        int items = Math.Min(shape[0], limit);
        if (items > maxItems)
        {
            throw Problem(path, $"it holds {shape[0]:N0} items and one read takes at most {maxItems:N0}; read the first ones with a limit");
        }

        long wanted = items * itemSize;
        if (wanted > Array.MaxLength)
        {
            throw Problem(path, $"{items:N0} items of {itemSize:N0} bytes are more than an array holds; read fewer");
        }

        var data = new byte[Math.Min(wanted, InitialBuffer)];
        long filled = 0;
        while (filled < wanted)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(wanted, 2L * data.Length));
            }

            int n = stream.Read(data, (int)filled, data.Length - (int)filled);
            if (n == 0)
            {
                throw Problem(path, $"it is truncated: the dimensions {dims} need {size:N0} bytes of data, it has {filled:N0}");
            }

            filled += n;
            decoded += n;
        }

        if (items == shape[0] && fileLength is null && stream.ReadByte() >= 0)
        {
            throw Problem(path, $"it is too long: the dimensions {dims} need {size:N0} bytes of data, it has more");
        }

        return (shape, data);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = stream.Read(buffer[filled..]);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        return filled;
    }

    private static InvalidDataException Problem(string path, string problem, Exception? inner = null) =>
        new($"'{path}' is not a valid IDX file: {problem}.", inner);
}

using System.Buffers.Binary;
using System.Text;

namespace AutoDiff.Benchmarks.Peers;

/// <summary>
/// Makes TorchSharp 0.107's native <c>libLibTorchSharp.so</c> load on Debian 12.
/// </summary>
/// <remarks>
/// The library was built with GCC 13 and lists <c>GLIBCXX_3.4.32</c> among the versions it needs
/// from <c>libstdc++.so.6</c>; Debian 12 ships GCC 12's libstdc++ (up to 3.4.30), so the dynamic
/// loader refuses it. The only symbol of that version is <c>std::ios_base_library_init()</c>, a no-op
/// hook that GCC 13's <c>&lt;iostream&gt;</c> references with a bare <c>.globl</c> — no relocation uses
/// it, so it is never resolved. We rewrite that one version requirement (an entry of the ELF
/// <c>.gnu.version_r</c> section) to <c>GLIBCXX_3.4.30</c>, which the library needs anyway: same file
/// size, no code touched. The copy in the build output is patched, never the NuGet cache. Idempotent,
/// and harmless where libstdc++ does have 3.4.32.
/// </remarks>
public static class LibTorchSharpPatch
{
    private const uint VersionNeededSection = 0x6ffffffe; // SHT_GNU_verneed
    private const string Missing = "GLIBCXX_3.4.32";
    private const string Replacement = "GLIBCXX_3.4.30";

    private static readonly object Gate = new();
    private static bool s_done;

    /// <summary>Patches every libLibTorchSharp.so under the application folder. Call before the first use of <c>torch</c>.</summary>
    public static void Apply()
    {
        lock (Gate)
        {
            if (s_done || !OperatingSystem.IsLinux())
            {
                return;
            }

            foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                var bytes = File.ReadAllBytes(path);
                if (Patch(bytes))
                {
                    var temporary = path + ".patching";
                    File.WriteAllBytes(temporary, bytes);
                    File.Move(temporary, path, overwrite: true);
                }
            }

            s_done = true;
        }
    }

    /// <summary>Rewrites the GLIBCXX_3.4.32 requirement in an ELF64 little-endian image; false when there is none.</summary>
    public static bool Patch(byte[] elf)
    {
        var span = elf.AsSpan();
        if (elf.Length < 64 || span[0] != 0x7f || span[1] != (byte)'E' || span[2] != (byte)'L' || span[3] != (byte)'F' || span[4] != 2 || span[5] != 1)
        {
            throw new InvalidDataException("libLibTorchSharp.so is not a 64-bit little-endian ELF file.");
        }

        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        for (int s = 0; s < count; s++)
        {
            var header = span.Slice((int)(sectionTable + (s * entrySize)), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VersionNeededSection)
            {
                continue;
            }

            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var strings = span.Slice((int)(sectionTable + (link * entrySize)), entrySize);
            long stringTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]);
            return PatchRequirements(span, offset, stringTable);
        }

        return false;
    }

    private static bool PatchRequirements(Span<byte> elf, long offset, long stringTable)
    {
        bool patched = false;
        for (long need = offset; ;)
        {
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(int)(need + 2)..]);
            long aux = need + BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)(need + 8)..]);
            long? missing = null, replacement = null;
            for (int a = 0; a < auxCount; a++)
            {
                string name = ReadString(elf, stringTable + BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)(aux + 8)..]));
                if (name == Missing)
                {
                    missing = aux;
                }
                else if (name == Replacement)
                {
                    replacement = aux;
                }

                aux += BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)(aux + 12)..]);
            }

            if (missing is { } m && replacement is { } r)
            {
                // vna_hash (4 bytes) and vna_name (4 bytes at +8) of the replacement; vna_other, the
                // version index the symbol table uses, stays.
                elf.Slice((int)r, 4).CopyTo(elf[(int)m..]);
                elf.Slice((int)r + 8, 4).CopyTo(elf[((int)m + 8)..]);
                patched = true;
            }

            uint next = BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)(need + 12)..]);
            if (next == 0)
            {
                return patched;
            }

            need += next;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> elf, long offset)
    {
        var tail = elf[(int)offset..];
        return Encoding.ASCII.GetString(tail[..tail.IndexOf((byte)0)]);
    }
}

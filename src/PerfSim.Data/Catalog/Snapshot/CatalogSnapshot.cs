using System.Security.Cryptography;
using System.Text;

namespace PerfSim.Data.Catalog.Snapshot;

/// <summary>
/// A loaded, checked catalog stored as one binary file, so a command does not re-parse ≈ 200 YAML files (docs/startup.md).
/// Never stale: the file is keyed by the SHA-256 of every profile file's path and bytes (and of the code that wrote it);
/// any changed, added or removed file gives another key, and the catalog is then read and checked from YAML again.
/// A damaged or truncated snapshot fails its own checksum and is ignored (then rewritten). Written atomically, in a
/// cache folder the caller chooses (the CLI's lies beside its executable), never in the data folder.
/// </summary>
public static class CatalogSnapshot
{
    /// <summary>Bump when <see cref="SnapshotWriter"/>/<see cref="SnapshotReader"/> or a catalog record changes shape.</summary>
    public const int FormatVersion = 4;

    static ReadOnlySpan<byte> Magic => "PerfSim catalog\n"u8;

    /// <summary>The snapshot file for a data folder: one per folder, so two checkouts never evict each other.</summary>
    public static string PathFor(string cacheDir, string root)
    {
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..16].ToLowerInvariant();
        return Path.Combine(cacheDir, $"catalog-{id}.bin");
    }

    /// <summary>
    /// SHA-256 over the format version, the loader code's identity and every `*.yaml` under `hardware-profiles/` and
    /// `workloads/` (relative path, length, bytes) in ordinal path order; null if a file cannot be read.
    /// </summary>
    public static byte[]? Key(string root)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BitConverter.TryWriteBytes(number, (long)FormatVersion);
        hash.AppendData(number);
        hash.AppendData(Encoding.UTF8.GetBytes(CodeIdentity()));
        var files = new List<(string Rel, string Path)>();
        foreach (var top in new[] { "hardware-profiles", "workloads" })
        {
            var dir = Path.Combine(root, top);
            if (!Directory.Exists(dir)) continue;
            foreach (var f in Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories))
                files.Add((Path.GetRelativePath(root, f).Replace('\\', '/'), f));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Rel, b.Rel));
        var buffer = new byte[64 * 1024];
        try
        {
            foreach (var (rel, path) in files)
            {
                var name = Encoding.UTF8.GetBytes(rel);
                BitConverter.TryWriteBytes(number, (long)name.Length);
                hash.AppendData(number);
                hash.AppendData(name);
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                BitConverter.TryWriteBytes(number, stream.Length);
                hash.AppendData(number);
                int n;
                while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return hash.GetHashAndReset();
    }

    /// <summary>The catalog stored under this key, or null when there is none, it has another key, or it is damaged.</summary>
    public static ProfileCatalog? TryRead(string file, byte[] key, string root)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // magic, key, payload length, payload, SHA-256 of the payload
        int head = Magic.Length + key.Length + sizeof(long);
        if (bytes.Length < head + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || !bytes.AsSpan(Magic.Length, key.Length).SequenceEqual(key)) return null;
        long length = BitConverter.ToInt64(bytes, Magic.Length + key.Length);
        if (length < 0 || length != bytes.Length - head - 32) return null;
        var payload = bytes.AsSpan(head, (int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(head + (int)length, 32))) return null;
        try
        {
            using var stream = new MemoryStream(bytes, head, (int)length, writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var catalog = new SnapshotReader(reader).Catalog(root);
            return stream.Position == stream.Length ? catalog : null;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Stores the catalog under its key: a temporary file in the same folder, then renamed over the old one.</summary>
    public static void Write(string file, byte[] key, ProfileCatalog catalog)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
            new SnapshotWriter(writer).Catalog(catalog);
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                s.Write(Magic);
                s.Write(key);
                Span<byte> number = stackalloc byte[8];
                BitConverter.TryWriteBytes(number, (long)body.Length);
                s.Write(number);
                s.Write(body);
                s.Write(SHA256.HashData(body));
            }
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Which build wrote the snapshot: a rebuilt loader must not trust what an older one stored.</summary>
    static string CodeIdentity()
    {
        var parts = new List<string>();
        foreach (var asm in new[] { typeof(CatalogSnapshot).Assembly, typeof(Core.Hardware.HardwareProfile).Assembly })
        {
            try { parts.Add(asm.ManifestModule.ModuleVersionId.ToString("N")); }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException) { parts.Add(asm.FullName ?? ""); }
        }
        // In a native AOT executable the module IDs may not change with the code; the executable's own stamp does.
        if (Environment.ProcessPath is { } exe)
        {
            try { var info = new FileInfo(exe); parts.Add($"{exe}|{info.Length}|{info.LastWriteTimeUtc.Ticks}"); }
            catch (IOException) { }
        }
        return string.Join(";", parts);
    }
}

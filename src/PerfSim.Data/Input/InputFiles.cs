using System.Runtime.InteropServices;
using System.Text;

namespace PerfSim.Data.Input;

/// <summary>
/// Opens untrusted input files safely: only regular files are read (a path to /dev/zero, a FIFO, a socket or a
/// directory is refused at once, before it is opened, so nothing hangs), and never more than a limit of bytes.
/// </summary>
public static class InputFiles
{
    /// <summary>Why the path cannot be read as an input file, or null if it is a regular file.</summary>
    public static string? NotARegularFile(string path)
    {
        if (Directory.Exists(path)) return "is a directory, not a file";
        if (OperatingSystem.IsLinux() && LinuxFileType(path) is { } type)
            return type == RegularFile ? null : $"is not a regular file ({Describe(type)}); only regular files are read";
        if (!File.Exists(path)) return "no such file";
        return null;
    }

    /// <summary>
    /// The file's text (UTF-8, BOM allowed; invalid bytes become U+FFFD), refusing anything that is not a regular file
    /// or holds more than <paramref name="maxBytes"/>. <paramref name="fail"/> makes the reader's own one-line error.
    /// </summary>
    public static string ReadText(string path, long maxBytes, Func<string, Exception> fail)
    {
        if (NotARegularFile(path) is { } why) throw fail(why);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            // The length is re-checked while reading: a file that grows (or was swapped) still stops at the limit.
            if (fs.CanSeek && fs.Length > maxBytes) throw fail($"file is {fs.Length} bytes; at most {maxBytes} are read");
            var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = fs.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw fail($"file is larger than the limit of {maxBytes} bytes");
                buffer.Write(chunk, 0, n);
            }
            return new UTF8Encoding(false, false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw fail($"cannot read file: {e.Message}");
        }
    }

    const int RegularFile = 0x8000;

    static string Describe(int type) => type switch
    {
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        0x4000 => "a directory",
        _ => "a special file",
    };

    // statx(2) fills a layout that is the same on every Linux architecture; stx_mode is the u16 at offset 28.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    const int AtFdCwd = -100;
    const uint StatxType = 0x1;

    /// <summary>The S_IFMT bits of the path (symbolic links followed), or null if they cannot be had (no such file, old libc).</summary>
    static int? LinuxFileType(string path)
    {
        try
        {
            var buf = new byte[256];
            if (Statx(AtFdCwd, path, 0, StatxType, buf) != 0) return null;
            return BitConverter.ToUInt16(buf, 28) & 0xF000;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }
}

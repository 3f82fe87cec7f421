namespace PerfSim.Data.Input;

/// <summary>
/// Upper bounds on what a reader accepts from an untrusted file, far above any real input (the largest profile in
/// the repository is 5 KB, the largest measurement file 20 KB, a real config.json 5 KB). Beyond them a reader
/// refuses the file with one line instead of running out of memory, time or stack.
/// </summary>
public static class ReaderLimits
{
    /// <summary>A YAML profile (hardware, model, quantization, KV format, scenario, backend).</summary>
    public const long YamlBytes = 1 << 20;
    /// <summary>Mapping/sequence nesting in YAML; profiles nest 4 deep.</summary>
    public const int YamlDepth = 64;
    /// <summary>YAML nodes counted with every alias expanded (the "billion laughs" bound); profiles have a few hundred.</summary>
    public const int YamlExpandedNodes = 100_000;
    /// <summary>Aliases (`*name`) in one YAML file.</summary>
    public const int YamlAliases = 1_000;
    /// <summary>Characters of one YAML scalar (a `notes:` paragraph is a few hundred).</summary>
    public const int YamlScalarChars = 64 * 1024;

    /// <summary>A Hugging Face config.json (MaxDepth of the JSON reader is <see cref="JsonDepth"/>).</summary>
    public const long JsonBytes = 16 << 20;
    public const int JsonDepth = 64;

    /// <summary>A measurement CSV.</summary>
    public const long CsvBytes = 64L << 20;
    public const int CsvRows = 1_000_000;
    public const int CsvFieldsPerRow = 1_000;
    public const int CsvFieldChars = 64 * 1024;

    /// <summary>Characters of a file's value echoed into an error message (longer values are cut with '…').</summary>
    public const int EchoChars = 80;
}

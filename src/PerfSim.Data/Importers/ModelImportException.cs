namespace PerfSim.Data.Importers;

/// <summary>
/// An imported model file (config.json, GGUF) is unusable: one line naming the file, the field and the problem,
/// e.g. "config.json: field 'num_hidden_layers': expected a whole number from 1 to 100000, got 1e12".
/// The CLI prints <see cref="Exception.Message"/> and exits with the invalid-input code.
/// </summary>
public class ModelImportException : Exception
{
    public string File { get; }
    public string Field { get; }
    public string Problem { get; }

    public ModelImportException(string file, string field, string problem)
        : base(PerfSim.Data.Input.Printable.Line(string.IsNullOrEmpty(field) ? $"{file}: {problem}" : $"{file}: field '{field}': {problem}"))
    {
        File = file; Field = field; Problem = problem;
    }

    protected ModelImportException(string file, string field, string problem, string message) : base(PerfSim.Data.Input.Printable.Line(message))
    {
        File = file; Field = field; Problem = problem;
    }
}

/// <summary>
/// A GGUF file that is malformed, truncated, hostile or of an unsupported version; names the byte offset:
/// "model.gguf: offset 24: string length 4611686018427387904 exceeds the 1234 bytes left in the file".
/// </summary>
public sealed class GgufFormatException : ModelImportException
{
    public long Offset { get; }

    public GgufFormatException(string file, long offset, string problem)
        : base(file, "", problem, offset >= 0 ? $"{file}: offset {offset}: {problem}" : $"{file}: {problem}")
    {
        Offset = offset;
    }
}

namespace PerfSim.Data.Profiles;

/// <summary>
/// A problem in an input file, reported as one line: "file:line: field: what was expected".
/// The CLI prints <see cref="Exception.Message"/> and exits with the invalid-input code; no stack trace.
/// </summary>
public sealed class ProfileException(string file, int line, string field, string problem)
    : Exception(Format(file, line, field, problem))
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Field { get; } = field;
    public string Problem { get; } = problem;

    static string Format(string file, int line, string field, string problem)
    {
        var where = line > 0 ? $"{file}:{line}" : file;
        return Input.Printable.Line(string.IsNullOrEmpty(field) ? $"{where}: {problem}" : $"{where}: field '{Input.Printable.Of(field, 120)}': {problem}");
    }
}

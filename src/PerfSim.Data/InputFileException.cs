namespace PerfSim.Data;

/// <summary>A bad input file (CSV, JSON, GGUF, trace): its message already names the file and the field, on one line.</summary>
public sealed class InputFileException(string message) : Exception(Input.Printable.Line(message));

using PerfSim.Composition;
using PerfSim.Data;
using PerfSim.Data.Catalog;
using PerfSim.Data.Importers;
using PerfSim.Data.Profiles;

namespace PerfSim.Fuzz.Tests;

/// <summary>
/// What one input did. Accepted and Rejected (a documented one-line error) are fine; Crash (any other exception),
/// MultiLine (an error message spanning lines) and NonFinite (an accepted input whose figures include NaN, Infinity,
/// a negative or a zero that must not be) are failures.
/// </summary>
public enum Verdict { Accepted, Rejected, Crash, MultiLine, NonFinite }

public sealed record Outcome(Verdict Verdict, string Detail)
{
    public bool Failed => Verdict is Verdict.Crash or Verdict.MultiLine or Verdict.NonFinite;

    /// <summary>The exceptions that are PerfSim's documented one-line refusals (exit codes 2, 3 and 4).</summary>
    public static bool Documented(Exception e) =>
        e is ProfileException or ModelImportException or InputFileException or UsageException or UnknownIdException or DoesNotFitException
        || e is Serving.ServingException;

    /// <summary>Runs one input: <paramref name="body"/> returns null when the accepted input's figures are sound, else what is wrong.</summary>
    public static Outcome Of(Func<string?> body)
    {
        try
        {
            return body() is { } bad ? new(Verdict.NonFinite, bad) : new(Verdict.Accepted, "");
        }
        catch (Exception e) when (Documented(e))
        {
            return e.Message.IndexOfAny(['\n', '\r', '\u2028', '\u2029', '\u0085']) >= 0
                ? new(Verdict.MultiLine, e.Message)
                : new(Verdict.Rejected, e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("engine produced", StringComparison.Ordinal))
        {
            return new(Verdict.NonFinite, e.Message);
        }
        catch (Exception e)
        {
            return new(Verdict.Crash, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}

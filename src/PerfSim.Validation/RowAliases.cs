using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>
/// Labels of the energy file that name a PerfSim ID in other words (shared/validation/README.md asks to map them):
/// each mapping is stated, and assumed where the source is silent. IDs with no PerfSim profile stay as written and the
/// row is listed as not predicted with the unknown ID.
/// </summary>
public static class RowAliases
{
    /// <summary>Assumed when a chat sweep gives no prompt length: the serving simulator's chat prompt (README: "a few hundred tokens").</summary>
    public const int AssumedChatPrompt = ServingValidation.AssumedChatPrompt;
    /// <summary>Assumed when a wall-power benchmark gives no output length: llama-bench's default tg128.</summary>
    public const int AssumedGen = 128;
    /// <summary>Assumed for peak-power rows: llama-bench's pp512 prefill, the most compute-bound test of the run the peak is taken over.</summary>
    public const int AssumedPeakPrompt = 512;

    public static string Quant(string q) => q switch
    {
        "16-bit (not stated)" or "unquantized (dtype not stated)" => "bf16",   // vLLM dtype auto on bf16 checkpoints (assumed)
        "ollama-default (not restated)" => "q4_k_m",                          // Ollama's default tag is Q4_K_M (the row's notes)
        "q4 (exact scheme not restated)" => "q4_k_m",                         // the same run's other rows are Q4_K_M (assumed)
        _ => q,
    };

    public static string Backend(string b) => b switch
    {
        "ollama (llama.cpp-metal)" => "llama.cpp-metal",   // Ollama runs llama.cpp's Metal backend underneath (the row's notes)
        _ => b,
    };

    /// <summary>The vLLM generation whose host loop was serial with the GPU (before 0.6: no async output processing).</summary>
    public const string VllmV0Serial = "vllm-cuda-0.5";

    /// <summary>
    /// The backend of a row, with the software version its notes state: `vllm-cuda` rows that ran vLLM 0.5 or older
    /// ("vLLM 0.5.4" in ML.ENERGY v2's notes) are the older engine generation, whose scheduler, detokeniser and API
    /// server ran between GPU steps (vLLM 0.6.0 overlapped them), so they get that generation's profile.
    /// </summary>
    public static string Backend(ReferenceRow r)
    {
        string b = Backend(r.Backend);
        return b == "vllm-cuda" && VllmMinor(r.Notes) is { } minor && minor < 6 ? VllmV0Serial : b;
    }

    /// <summary>The label a row is reported under: its own, or the version-split profile when its notes chose one.</summary>
    public static string Reported(ReferenceRow r) => Backend(r) == VllmV0Serial ? VllmV0Serial : r.Backend;

    /// <summary>
    /// True where the row's TPOT is the mean time per output token of a server whose scheduler ran each new prompt's
    /// prefill as a step of its own ahead of the decodes (vLLM 0.5's default, no chunked prefill): every request's
    /// decode then waits for the prefills admitted meanwhile, batch ÷ gen of them per step on average, so the mean
    /// TPOT is the decode step plus the batch's prefill time spread over its output tokens (= batch ÷ throughput).
    /// </summary>
    public static bool TpotIncludesPrefills(ReferenceRow r) =>
        Backend(r) == VllmV0Serial && r.Notes.Contains("MEAN time per output token", StringComparison.Ordinal);

    /// <summary>
    /// True for a row of a continuous-batching server sweep (the notes state the `max_num_seqs` cap): `batch` is the
    /// measured average running batch, whose sequences are spread over their lives, so the KV cache holds on average
    /// prompt + gen ÷ 2 tokens per sequence, not the prompt + gen of a static batch's last step.
    /// </summary>
    public static bool ServerSweep(ReferenceRow r) => r.Notes.Contains("max_num_seqs=", StringComparison.Ordinal);

    static int? VllmMinor(string notes)
    {
        var m = System.Text.RegularExpressions.Regex.Match(notes, @"\bvLLM (\d+)\.(\d+)");
        if (!m.Success) return null;
        int major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return major == 0 ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 99;
    }

    public static int Prompt(ReferenceRow r) => r.PromptTokens != ReferenceRow.NotStated ? Math.Max(1, r.PromptTokens)
        : PowerBoundaries.Of(r).Peak ? AssumedPeakPrompt : AssumedChatPrompt;

    public static int Gen(ReferenceRow r) => r.GenTokens != ReferenceRow.NotStated ? Math.Max(1, r.GenTokens) : AssumedGen;
}

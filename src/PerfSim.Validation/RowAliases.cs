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

    public static int Prompt(ReferenceRow r) => r.PromptTokens != ReferenceRow.NotStated ? Math.Max(1, r.PromptTokens)
        : PowerBoundaries.Of(r).Peak ? AssumedPeakPrompt : AssumedChatPrompt;

    public static int Gen(ReferenceRow r) => r.GenTokens != ReferenceRow.NotStated ? Math.Max(1, r.GenTokens) : AssumedGen;
}

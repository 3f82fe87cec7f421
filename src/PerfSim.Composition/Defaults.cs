namespace PerfSim.Composition;

/// <summary>What a request means when it names nothing: the built-in what-if.</summary>
public static class Defaults
{
    public const string Hardware = "nvidia-h100-sxm";
    public const string Model = "llama-3.1-8b";
    public const string Quant = "fp16";
    public const int Batch = 1;
    public const int Prompt = 512;
    public const int Gen = 256;
}

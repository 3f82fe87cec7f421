using PerfSim.Data.Measurements;

namespace PerfSim.Validation;

/// <summary>
/// The speed rows of the vLLM server sweeps (throughput and inter-token latency per server cap) as static-batch rows
/// the backend fitter can use: batch = the measured average running batch, prompt = the assumed chat prompt
/// (<see cref="ServingValidation.AssumedChatPrompt"/>, the sources do not give it), gen = the measured average output.
/// Why static: a server holding `batch` sequences does the same work per output token as a static batch of that
/// size (each request's prefill once, then its decode steps), so the fitted speed factors describe the kernels, not
/// the scheduler; the serving replay (<see cref="ServingValidation.Run"/>) then checks them with the scheduler in.
/// </summary>
public static class ServingSpeedRows
{
    public static ReferenceFile From(IEnumerable<ServingCase> cases, string path)
    {
        var rows = new List<ReferenceRow>();
        foreach (var c in cases.Where(c => c.Kind == "server sweep"))
        {
            int batch = Math.Max(1, (int)Math.Round(c.Measured["batch"]));
            int gen = (int)Math.Round(c.Gen);
            string quant = ServingValidation.QuantOf(c.Quant);
            foreach (var (name, metric) in new[] { ("throughput_tokens_per_s", Metric.ThroughputTokensPerS), ("tpot_s", Metric.TpotS) })
                if (c.Measured.TryGetValue(name, out var v))
                    rows.Add(new ReferenceRow(c.Line, c.Hardware, c.Devices, null, c.Model, quant, c.Backend, batch,
                        c.Prompt ?? ServingValidation.AssumedChatPrompt, gen, metric, v, c.File, c.Label));
        }
        return new ReferenceFile(path, rows, []);
    }
}

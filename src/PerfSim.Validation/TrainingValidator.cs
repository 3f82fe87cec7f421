using System.Globalization;
using System.Text.RegularExpressions;
using PerfSim.Composition;
using PerfSim.Core.Engine;
using PerfSim.Core.Hardware;
using PerfSim.Core.Workloads;
using PerfSim.Data.Catalog;
using PerfSim.Data.Measurements;
using PerfSim.Training;

namespace PerfSim.Validation;

/// <summary>A predicted training row: signed error in percent, (predicted − measured) ÷ measured × 100.</summary>
public sealed record TrainingValidatedRow(TrainingReferenceRow Row, double Predicted, string Layout, string? Note)
{
    public double Measured => Row.Value;
    public double ErrorPercent => (Predicted - Measured) / Measured * 100;
}

public sealed record TrainingValidationResult(IReadOnlyList<TrainingValidatedRow> Rows, IReadOnlyList<ReferenceIssue> Unpredicted,
    int Count, double Mape, IReadOnlyDictionary<string, ErrorStats> ByMetric, IReadOnlyDictionary<string, ErrorStats> ByHardware,
    IReadOnlyDictionary<string, ErrorStats> BySource, ErrorStats MegatronPapers, ErrorStats MegatronRuns, ErrorStats DeepSpeedZero3Baselines)
{
    public IReadOnlyList<TrainingValidatedRow> Worst(int n) => Rows.OrderByDescending(r => Math.Abs(r.ErrorPercent)).Take(n).ToList();
}

/// <summary>
/// Predicts every row of a training measurement file with the training estimator, through the composition layer.
/// A row is turned into a <see cref="TrainingRequest"/>: the model from its shape columns (a catalog model of the
/// same depth and width when there is one, else a GPT block: 4h MLP, multi-head attention, vocabulary from the notes
/// or Megatron's 51200), the layout columns as fixed choices (what a row leaves open is searched, as Calculon
/// does), software facts read from the notes (micro-batch, interleaving, sequence parallelism, overlap flags) and
/// flash attention assumed from 2023 on (the source's year). The metric is then computed with the source's own
/// FLOP convention (hardware FLOPs with recomputation when the notes say so, model FLOPs otherwise).
/// </summary>
public static class TrainingValidator
{
    public static TrainingValidationResult Run(ProfileCatalog catalog, TrainingReferenceFile file)
    {
        var rows = new List<TrainingValidatedRow>();
        var issues = new List<ReferenceIssue>(file.Issues);
        foreach (var row in file.Rows)
        {
            try
            {
                var p = Predict(catalog, row, siblings: file.Rows);
                if (!double.IsFinite(p.Value) || p.Value <= 0)
                    issues.Add(Issue(row, $"prediction is not a positive number ({p.Value})"));
                else rows.Add(new TrainingValidatedRow(row, p.Value, p.Layout, p.Note));
            }
            catch (Exception e) when (e is UnknownIdException or UsageException or DoesNotFitException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                issues.Add(Issue(row, e.Message));
            }
        }
        return Summarize(rows, issues);
    }

    public static TrainingValidationResult Summarize(List<TrainingValidatedRow> rows, List<ReferenceIssue> issues)
    {
        issues.Sort((a, b) => a.Line.CompareTo(b.Line));
        static ErrorStats Stats(IEnumerable<TrainingValidatedRow> rs)
        {
            var list = rs.ToList();
            return new ErrorStats(list.Count, list.Count == 0 ? double.NaN : list.Average(r => Math.Abs(r.ErrorPercent)));
        }
        var byMetric = rows.GroupBy(r => r.Row.Metric).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var byHw = rows.GroupBy(r => r.Row.Hardware).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var bySource = rows.GroupBy(r => TrainingFitter.SourceOf(r.Row)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Stats(g), StringComparer.Ordinal);
        var all = Stats(rows);
        return new TrainingValidationResult(rows, issues, all.Count, all.Mape, byMetric, byHw, bySource, Stats(rows.Where(r => IsMegatronPaper(r.Row))),
            Stats(rows.Where(r => IsMegatronPaper(r.Row) && !IsDeepSpeedBaseline(r.Row))), Stats(rows.Where(r => IsMegatronPaper(r.Row) && IsDeepSpeedBaseline(r.Row))));
    }

    /// <summary>
    /// A Megatron-paper row that is not a run of Megatron-LM: Narayanan et al. 2021 Table 2 compares PTD-P with DeepSpeed
    /// ZeRO-3 (integrated in the Megatron codebase, no model parallelism). Reported as their own subset, never dropped.
    /// </summary>
    public static bool IsDeepSpeedBaseline(TrainingReferenceRow row) =>
        row.Zero.Trim() == "3" && Regex.IsMatch(row.Notes, @"DeepSpeed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The Megatron-LM papers' runs (Narayanan et al. 2021, Korthikanti et al. 2022): the set Calculon's 3.65 % is measured on.</summary>
    public static bool IsMegatronPaper(TrainingReferenceRow row) => TrainingFitter.SourceOf(row) is var s
        && (s.StartsWith("Narayanan", StringComparison.Ordinal) || s.StartsWith("Korthikanti", StringComparison.Ordinal));

    /// <summary>The device class a fitted efficiency belongs to: the hardware and its matmul arithmetic (FP8 GEMMs are another kernel and another peak).</summary>
    public static string DeviceClassOf(TrainingSetup s) => s.Request.Hardware + (s.Precision.ComputeType == DataType.Fp8 ? " fp8" : " 16-bit");

    static ReferenceIssue Issue(TrainingReferenceRow row, string reason) => new(row.Line, row.Hardware, "", row.Metric, reason);

    /// <summary>A row's prediction: the estimate behind it (for refits), the metric's value, the layout used and the notes.</summary>
    public sealed record RowPrediction(TrainingEstimate Estimate, double Value, string Layout, string? Note);

    public static RowPrediction Predict(ProfileCatalog catalog, TrainingReferenceRow row, double? gemmEfficiency = null, IReadOnlyList<TrainingReferenceRow>? siblings = null)
    {
        var request = RequestFor(catalog, row, out var notes, siblings) with { GemmEfficiency = gemmEfficiency };
        var est = TrainingComposer.Estimate(catalog, request);
        var step = est.Step;
        if (!step.Memory.Fits) throw new InvalidOperationException($"does not fit: {step.Memory.Total} per device, device memory {step.Memory.Capacity}");
        var layout = $"{step.Job.Layout} mb{step.Job.MicroBatch} z{step.Job.Zero} {step.Job.Recompute.ToString().ToLowerInvariant()}" + (est.Searched ? " (searched)" : "");
        return new RowPrediction(est, MetricValue(row, step, est.Run), layout, notes.Count > 0 ? string.Join("; ", notes) : null);
    }

    /// <summary>The row's metric from a step and its run, in the source's conventions.</summary>
    public static double MetricValue(TrainingReferenceRow row, TrainingStep step, TrainingRun run) => row.Metric switch
    {
        "iteration_s" => step.Time.Value,
        "mfu" => step.Mfu,
        "tflops_per_device" => FlopsPerToken(row, step) * step.Job.TokensPerStep / step.Time.Value / step.Devices / 1e12,
        "time_to_train_min" => (run.Seconds + EvaluationSeconds(row, step, run)) / 60,
        "device_hours" => run.DeviceHours,
        _ => throw new InvalidOperationException($"metric '{row.Metric}' cannot be computed"),
    };

    /// <summary>
    /// MLPerf's time to train is the wall clock from run start to the quality target, and the benchmark evaluates the
    /// held-out set inside that window. GPT-3: every <see cref="MlperfGpt3EvalIntervalSequences"/> training sequences a
    /// forward pass over <see cref="MlperfGpt3EvalSequences"/> sequences, at the step's achieved FLOP rate (a forward
    /// pass is about 1/3 of a training step's FLOPs without recomputation). Other rows: 0.
    /// </summary>
    public static double EvaluationSeconds(TrainingReferenceRow row, TrainingStep step, TrainingRun run)
    {
        if (!IsMlperfGpt3(row)) return 0;
        var j = step.Job;
        double trainedSequences = run.Steps * j.GlobalBatch;
        double evalTokens = trainedSequences / MlperfGpt3EvalIntervalSequences * MlperfGpt3EvalSequences * j.SeqLen;
        double flopRate = step.HardwareFlops / step.Time.Value;
        return evalTokens * TrainingFlops.ForwardPerToken(j.Parameters, j.SeqLen) / flopRate;
    }

    /// <summary>Assumed (MLPerf Training GPT-3 rules as we know them; not in the shared reference files): evaluation every
    /// 24,576 training sequences, on 11,590 held-out sequences of 2,048 tokens.</summary>
    public const double MlperfGpt3EvalIntervalSequences = 24576, MlperfGpt3EvalSequences = 11590;

    static bool IsMlperfGpt3(TrainingReferenceRow row) => Regex.IsMatch(row.Model + " " + row.Source, @"MLPerf gpt3 benchmark|/gpt3/", RegexOptions.IgnoreCase);

    /// <summary>FLOPs per token in the source's convention: hardware FLOPs (recomputation counted) when the notes say so.</summary>
    static double FlopsPerToken(TrainingReferenceRow row, TrainingStep step)
    {
        bool hardware = Regex.IsMatch(row.Notes, @"HARDWARE FLOPs|hardware FLOPs|eq\.?\s*\(3\)|4\*2 coefficient|incl\. recompute", RegexOptions.CultureInvariant);
        var recompute = hardware ? (step.Job.Recompute == Recompute.None ? Recompute.Full : step.Job.Recompute) : Recompute.None;
        if (hardware && Regex.IsMatch(row.Notes, @"eq\.?\s*\(3\)|4\*2 coefficient", RegexOptions.CultureInvariant)) recompute = Recompute.Full;
        return hardware ? TrainingFlops.HardwarePerToken(step.Job.Parameters, step.Job.SeqLen, recompute) : TrainingFlops.ModelPerToken(step.Job.Parameters, step.Job.SeqLen);
    }

    /// <summary>The request a training row stands for.</summary>
    public static TrainingRequest RequestFor(ProfileCatalog catalog, TrainingReferenceRow row, out List<string> notes, IReadOnlyList<TrainingReferenceRow>? siblings = null)
    {
        notes = [];
        string text = row.Notes + " " + row.Model;
        if (Regex.IsMatch(text, @"LoRA", RegexOptions.IgnoreCase)) throw new InvalidOperationException("LoRA fine-tuning is not modelled (full training only: no frozen-weight backward or adapter optimizer), and the samples trained to the target accuracy are not in the row");
        string hw = Regex.Replace(row.Hardware, @"\s*\(.*\)\s*$", "");
        // "nvidia-h200-sxm-141gb": the catalog's ID without the memory suffix when the device has one memory size.
        if (!catalog.Hardware.ContainsKey(hw) && Regex.Replace(hw, @"-\d+gb$", "") is var bare && bare != hw && catalog.Hardware.ContainsKey(bare))
        {
            notes.Add($"hardware {hw} is the catalog's {bare}");
            hw = bare;
        }
        // Every reason a row cannot be predicted, in one line: adding the hardware alone would not make it predictable.
        var missing = new List<string>();
        if (!catalog.Hardware.ContainsKey(hw)) missing.Add($"hardware '{hw}' is not in the catalog");
        if (row.Devices is null) missing.Add("field 'devices' is empty");
        if (row.Layers is null || row.Hidden is null || row.Heads is null || row.SeqLen is null)
            missing.Add("the model's shape (layers, hidden, heads, seq_len) is not given");
        if (row.GlobalBatchSequences is null && row.GlobalBatchTokens is null) missing.Add("the global batch is not given");
        // A TPU slice is one ICI domain (a torus, no NICs between hosts), up to a pod; beyond a pod the data-center network joins pods.
        int? devicesPerNode = null;
        if (TpuPodChips.TryGetValue(hw, out int pod) && row.Devices is { } chips)
        {
            if (chips > pod) missing.Add($"{chips} chips span more than one {hw} pod ({pod} chips on ICI, recalled from Google Cloud's TPU docs); the data-center network between pods has no figure in the reference material");
            else
            {
                devicesPerNode = chips;
                notes.Add($"one ICI domain: a slice of {chips} {hw} chips (a pod holds {pod}, recalled from Google Cloud's TPU docs)");
            }
        }
        if (missing.Count > 0) throw new InvalidOperationException(string.Join("; ", missing));
        int devices = row.Devices!.Value, layers = row.Layers!.Value, hidden = row.Hidden!.Value, heads = row.Heads!.Value, seq = row.SeqLen!.Value;
        long batch = row.GlobalBatchSequences is { } gs ? (long)Math.Round(gs) : (long)Math.Round(row.GlobalBatchTokens!.Value / seq);

        var model = ModelFor(catalog, row, layers, hidden, heads, seq, notes);
        double tokens = TokensOf(row, batch * (double)seq, notes);
        int year = Regex.Match(row.Source, @"(20[12]\d)") is { Success: true } y ? int.Parse(y.Value, CultureInfo.InvariantCulture) : 2024;
        int? mb = Match(row.Notes, @"micro-?batch(?: size)? (\d+)|MBS (\d+)");
        // A row that states no schedule shares the one a sibling states: the same model and layout in the same publication
        // (Korthikanti et al. 2022 give the schedule with the iteration times, not with the MFU of the same runs).
        string schedule = row.Notes;
        if (!ScheduleStatement.IsMatch(row.Notes) && siblings?.FirstOrDefault(o => o.Line != row.Line && o.Model == row.Model && o.Hardware == row.Hardware
                && o.Tp == row.Tp && o.Pp == row.Pp && TrainingFitter.SourceOf(o) == TrainingFitter.SourceOf(row) && ScheduleStatement.IsMatch(o.Notes)) is { } sibling)
        {
            schedule = sibling.Notes;
            notes.Add($"pipeline schedule of line {sibling.Line} (the same model and layout in the same publication)");
        }
        int? interleave = Match(schedule, @"interleaved schedule with (\d+) stages|virtual PP (\d+)");
        bool deepSpeed = Regex.IsMatch(row.Source + " " + row.Notes, @"DeepSpeed", RegexOptions.IgnoreCase);
        if (interleave is null && Regex.IsMatch(schedule, @"non-interleaved", RegexOptions.IgnoreCase)) interleave = 1;
        // DeepSpeed's pipeline engine (MT-NLG, BLOOM's Megatron-DeepSpeed) runs plain 1F1B: it has no interleaved schedule.
        if (interleave is null && deepSpeed && row.Pp is > 1)
        {
            interleave = 1;
            notes.Add("no interleaving: DeepSpeed's pipeline engine runs plain 1F1B");
        }
        bool statesInterleaving = Regex.IsMatch(schedule, @"interleaved 1F1B", RegexOptions.IgnoreCase);
        // Before Megatron-Core (2023) the interleaved schedule was opt-in (Megatron-LM --num-layers-per-virtual-pipeline-stage):
        // a 2021–2022 run that does not state it ran plain 1F1B (Narayanan et al. 2021 Table 2's step times fall with the
        // number of micro-batches as (p − 1)/(m + p − 1), the plain 1F1B bubble).
        if (interleave is null && !statesInterleaving && year <= 2022 && row.Pp is not 1)
        {
            interleave = 1;
            notes.Add($"plain 1F1B (a {year} source that does not state interleaving)");
        }
        if (interleave is null && statesInterleaving && row.Pp is > 1)
        {
            int perStage = row.Pp is { } p && p > 0 ? layers / p : 0;
            interleave = perStage % 2 == 0 ? 2 : perStage % 3 == 0 ? 3 : 1;
            notes.Add($"interleaving {interleave} chunks per stage (assumed: the source says interleaved without the degree)");
        }
        bool noSp = Regex.IsMatch(row.Notes, @"no sequence parallelism", RegexOptions.IgnoreCase);
        bool sp = !noSp && Regex.IsMatch(row.Notes, @"sequence parallel|seq-par|tp-comm-overlap", RegexOptions.IgnoreCase);

        // Sequence parallelism is Korthikanti et al. 2022 (Megatron-LM, mid-2022): a run states it, or, from 2023 on
        // (Megatron-Core turns it on with TP), a searched layout may choose it; earlier runs without the note had none.
        bool? sequenceParallel = sp ? true : noSp || row.Tp is not null || year <= 2022 ? false : null;
        if (sequenceParallel == false && row.Tp is null && !noSp) notes.Add($"no sequence parallelism (a {year} source that does not state it)");
        // Megatron-LM's weight-gradient GEMM accumulates into the gradient buffer from its 2022 release on
        // (--gradient-accumulation-fusion, with sequence parallelism); before, and in DeepSpeed, a separate add per micro-batch.
        bool fusedAccumulation = year >= 2022 && !deepSpeed;
        if (!fusedAccumulation) notes.Add($"gradient accumulation by a separate kernel each micro-batch (a {(deepSpeed ? "DeepSpeed" : year.ToString(CultureInfo.InvariantCulture))} run; fused accumulation is Megatron-LM's from 2022)");
        bool flash = year >= 2023;
        if (!flash) notes.Add($"no flash attention (assumed for a {year} source)");

        var recompute = row.Recompute.ToLowerInvariant() switch
        {
            var r when r.StartsWith("full", StringComparison.Ordinal) => Recompute.Full,
            var r when r.StartsWith("selective", StringComparison.Ordinal) || r.StartsWith("partial", StringComparison.Ordinal) => Recompute.Selective,
            var r when r.StartsWith("none", StringComparison.Ordinal) => (Recompute?)Recompute.None,
            _ => null,
        };
        // Selective recomputation appeared with Korthikanti et al. 2022; the large runs before it checkpointed
        // every layer (Megatron-LM --checkpoint-activations, DeepSpeed activation checkpointing).
        if (recompute is null && year <= 2022)
        {
            recompute = Recompute.Full;
            notes.Add($"full recomputation (assumed: the {year} source does not say; selective recomputation is from 2022 on)");
        }
        int? zero = row.Zero.Length == 0 ? null
            : Regex.IsMatch(row.Zero, @"params not resharded", RegexOptions.IgnoreCase) ? 2
            : Regex.IsMatch(row.Zero, @"FSDP", RegexOptions.IgnoreCase) ? 3
            : Match(row.Zero, @"^(\d)");
        // Megatron-LM of 2021 kept the whole optimizer state on every data-parallel rank (its distributed optimizer, a
        // ZeRO-1 equivalent, is from 2022; DeepSpeed runs state their stage): a 2021 row that gives no stage ran stage 0.
        if (zero is null && year <= 2021 && !deepSpeed)
        {
            zero = 0;
            notes.Add($"ZeRO stage 0 (a {year} source that does not shard the optimizer state)");
        }
        string precision = row.Precision.ToLowerInvariant() switch
        {
            var p when p.StartsWith("fp8", StringComparison.Ordinal) => "fp8",
            var p when p.StartsWith("bf16", StringComparison.Ordinal) => "bf16",
            var p when p.Contains("fp16", StringComparison.Ordinal) || p.Contains("16-bit", StringComparison.Ordinal) => "fp16",
            _ => "bf16",
        };
        // Narayanan et al. 2021 (§3.3, takeaway #1): tensor parallelism up to the GPUs of one server (8 on a DGX A100),
        // pipeline parallelism across servers. Their rows that give no split follow their own rule; the pipeline depth is searched.
        int? tp = row.Tp;
        if (tp is null && row.Pp is null && Regex.IsMatch(row.Source, @"^Narayanan", RegexOptions.CultureInvariant) && heads % 8 == 0 && devices % 8 == 0)
        {
            tp = 8;
            notes.Add("tensor parallelism 8, the GPUs of one DGX A100 (the source's takeaway #1: TP within a server, PP across)");
        }
        int? cp = Match(row.Notes, @"CP=(\d+)|CP (\d+)");
        int? dp = row.Dp;
        if (cp is > 1 && row.Tp is { } t0 && row.Pp is { } p0) dp = devices / (t0 * p0 * cp.Value);
        // "16M tok" is a rounded figure; sequences per data-parallel rank in the notes give the exact batch (Llama 3: 32 × 64 = 2048 sequences of 8192 = 16.8M tokens).
        if (Match(row.Notes, @"batch size/DP=(\d+)") is { } perRank && dp is { } ranks && (long)perRank * ranks != batch)
        {
            notes.Add($"global batch {(long)perRank * ranks} sequences: {perRank} per data-parallel rank × {ranks} (the notes), not {batch} from the rounded batch column");
            batch = (long)perRank * ranks;
        }
        // A node's NICs when the notes name them ("4x ConnectX-6 HDR per node", "8x200Gb/s HDR IB per node").
        string? network = null;
        int? nics = null;
        if (Regex.Match(row.Notes, @"(\d+)\s*x\s*(?:ConnectX-\d\s*|200Gb/s\s*|400Gb/s\s*)?(HDR|NDR)", RegexOptions.IgnoreCase) is { Success: true } nm)
        {
            network = nm.Groups[2].Value.Equals("HDR", StringComparison.OrdinalIgnoreCase) ? "infiniband-hdr" : "infiniband-ndr";
            nics = int.Parse(nm.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return new TrainingRequest
        {
            DevicesPerNode = devicesPerNode,
            Network = network,
            NicsPerNode = nics,
            Hardware = hw,
            Model = model.Id,
            Architecture = model,
            Tokens = tokens,
            Devices = devices,
            Tp = tp, Pp = row.Pp, Dp = dp, Ep = row.Ep, Cp = cp ?? 1,
            Interleave = interleave,
            SequenceParallel = sequenceParallel,
            Zero = zero,
            Recompute = recompute,
            MicroBatch = mb,
            GlobalBatch = batch,
            SeqLen = seq,
            Precision = precision,
            OverlapGradientReduce = Regex.IsMatch(row.Notes, @"overlap-grad-reduce", RegexOptions.IgnoreCase),
            OverlapTensorComm = Regex.IsMatch(row.Notes, @"tp-comm-overlap", RegexOptions.IgnoreCase),
            FlashAttention = flash,
            FusedGradientAccumulation = fusedAccumulation,
        };
    }

    /// <summary>Notes that name the pipeline schedule (interleaving degree or none).</summary>
    static readonly Regex ScheduleStatement = new(@"interleaved schedule with \d+ stages|virtual PP \d+|non-interleaved|interleaved 1F1B", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Chips in one TPU pod, all on ICI (recalled from Google Cloud's TPU v5e/v5p docs; not in the reference material).</summary>
    static readonly Dictionary<string, int> TpuPodChips = new(StringComparer.Ordinal) { ["google-tpu-v5p"] = 8960, ["google-tpu-v5e"] = 256 };

    /// <summary>Tokens MLPerf's GPT-3 benchmark trains from its checkpoint to the target (validation/README.md: about 1.2B).</summary>
    public const double MlperfGpt3Tokens = 1.2e9;

    static int? Match(string text, string pattern)
    {
        var m = Regex.Match(text, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!m.Success) return null;
        var g = m.Groups.Cast<Group>().Skip(1).FirstOrDefault(x => x.Success);
        return g is not null && int.TryParse(g.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>Tokens of the run for the time and device-hour metrics, from the notes; the other metrics need one step only.</summary>
    static double TokensOf(TrainingReferenceRow row, double tokensPerStep, List<string> notes)
    {
        if (row.Metric is not ("time_to_train_min" or "device_hours")) return tokensPerStep;
        if (Regex.Match(row.Notes, @"trained_samples per run \[([\d, ]+)\]") is { Success: true } m)
            return m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Average(x => double.Parse(x, CultureInfo.InvariantCulture));
        var text = row.Notes + " " + row.Source;
        if (Regex.Match(text, @"([0-9.]+)T tokens") is { Success: true } t) return double.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) * 1e12;
        if (Regex.IsMatch(text, @"each trillion tokens|per 1T tokens")) return 1e12;
        // MLPerf GPT-3 resumes from a fixed checkpoint and trains to a target log-perplexity; the file's README gives
        // about 1.2B tokens (the logged runs: 1.19–1.25B). Used only where a row's own log count is missing.
        if (Regex.IsMatch(text, @"MLPerf gpt3 benchmark|/gpt3/", RegexOptions.IgnoreCase))
        {
            notes.Add("1.2B tokens trained (the MLPerf GPT-3 benchmark's typical logged count; this row's log count is not given)");
            return MlperfGpt3Tokens;
        }
        throw new InvalidOperationException("the number of tokens trained is not given");
    }

    static ModelProfile ModelFor(ProfileCatalog catalog, TrainingReferenceRow row, int layers, int hidden, int heads, int seq, List<string> notes)
    {
        int? vocab = Match(row.Notes, @"V=(\d+)|vocab (\d+)");
        var known = catalog.Models.Values.Where(m => m.Architecture.Layers == layers && m.Architecture.Hidden == hidden && m.Architecture.Heads == heads)
            .OrderBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault();
        ModelArchitecture arch;
        string id;
        if (known is not null)
        {
            arch = known.Architecture with { MaxContext = Math.Max(seq, known.Architecture.MaxContext), Vocab = vocab ?? known.Architecture.Vocab };
            id = known.Id;
            notes.Add($"architecture of catalog model {known.Id}" + (vocab is { } v0 && v0 != known.Architecture.Vocab ? $" with vocabulary {v0}" : ""));
        }
        else
        {
            int v = vocab ?? 51200;
            if (vocab is null) notes.Add("vocabulary 51200 (assumed: Megatron-LM's padded GPT-2 vocabulary)");
            arch = new ModelArchitecture(layers, hidden, heads, heads, hidden / heads, 4 * hidden, v, MlpKind.Plain, NormKind.LayerNorm,
                PositionKind.Learned, TiedEmbeddings: true, AttentionBias: true, MlpBias: true, MaxContext: seq, null, null, null);
            id = $"gpt-{layers}l-{hidden}h";
        }
        var p = ParameterCount.Of(arch).Total;
        if (row.Parameters is { } published && row.ActiveParameters is null && Math.Abs(p / published - 1) > 0.1)
            notes.Add($"built shape has {p / 1e9:0.#}B parameters, the row says {published / 1e9:0.#}B");
        return new ModelProfile(id, row.Model, "shape columns of the measurement row", arch, row.Parameters ?? p, row.ActiveParameters, row.Source, "");
    }
}

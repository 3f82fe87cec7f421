namespace PerfSim.Core.Uncertainty;

/// <summary>
/// One out-of-sample error: ln(predicted ÷ measured) of a measured row predicted by a model that never saw its device
/// (leave-one-device-out). The sign says over- (+) or under-prediction (−); intervals use its magnitude.
/// </summary>
public sealed record Residual(string Backend, string Device, Regime Regime, double LogError);

using PerfSim.Composition;

namespace PerfSim.Training.Tests;

public class MemoryTests
{
    static TrainingRequest Request(int devices, int zero) => new()
    {
        Hardware = "nvidia-a100-sxm-80gb", Model = "llama-3.1-8b", Tokens = 1e9, Devices = devices,
        Tp = 1, Pp = 1, Dp = devices, Zero = zero, MicroBatch = 1, Recompute = Recompute.Full, SeqLen = 2048, GlobalBatch = 512,
    };

    static TrainingMemory Memory(int devices, int zero)
    {
        var s = TestSupport.Setup(Request(devices, zero));
        return TrainingMemory.Of(s.Job, s.Cluster.DeviceMemory);
    }

    [Fact]
    public void Stage_0_holds_16_bytes_per_parameter_of_model_state()
    {
        var m = Memory(1, 0);
        Assert.Equal(16.0, m.ModelState.Value / m.ParametersPerDevice, 9);
        Assert.Equal(2.0, m.Weights.Value / m.ParametersPerDevice, 9);
        Assert.Equal(12.0, m.OptimizerState.Value / m.ParametersPerDevice, 9);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void Zero_3_model_state_per_device_is_one_nth_of_stage_0(int n)
    {
        var stage0 = Memory(n, 0).ModelState.Value;
        var stage3 = Memory(n, 3).ModelState.Value;
        Assert.Equal(stage0 / n, stage3, stage0 * 1e-12);
    }

    [Fact]
    public void Zero_stages_shard_optimizer_then_gradients_then_weights()
    {
        var z0 = Memory(8, 0); var z1 = Memory(8, 1); var z2 = Memory(8, 2); var z3 = Memory(8, 3);
        Assert.Equal(z0.OptimizerState.Value / 8, z1.OptimizerState.Value, 1);
        Assert.Equal(z0.Gradients.Value, z1.Gradients.Value);
        Assert.Equal(z0.Gradients.Value / 8, z2.Gradients.Value, 1);
        Assert.Equal(z0.Weights.Value, z2.Weights.Value);
        Assert.Equal(z0.Weights.Value / 8, z3.Weights.Value, 1);
    }

    [Fact]
    public void More_devices_never_raise_memory_per_device()
    {
        double last = double.PositiveInfinity;
        foreach (int n in new[] { 1, 2, 4, 8, 16, 32, 64, 128 })
        {
            var total = Memory(n, 3).Total.Value;
            Assert.True(total <= last, $"{n} devices: {total} > {last}");
            last = total;
        }
    }

    [Fact]
    public void Recomputation_lowers_activation_memory()
    {
        var s = TestSupport.Setup(Request(1, 0));
        double none = TrainingMemory.ActivationBytes(s.Job with { Recompute = Recompute.None, FlashAttention = false });
        double selective = TrainingMemory.ActivationBytes(s.Job with { Recompute = Recompute.Selective, FlashAttention = false });
        double full = TrainingMemory.ActivationBytes(s.Job with { Recompute = Recompute.Full, FlashAttention = false });
        Assert.True(none > selective && selective > full);
    }

    [Fact]
    public void Cpu_offload_moves_the_optimizer_state_off_the_device()
    {
        var s = TestSupport.Setup(Request(1, 0) with { Offload = Offload.Cpu });
        var m = TrainingMemory.Of(s.Job, s.Cluster.DeviceMemory);
        Assert.Equal(0, m.OptimizerState.Value);
        Assert.True(m.Weights.Value > 0);
    }
}

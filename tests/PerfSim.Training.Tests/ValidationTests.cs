using PerfSim.Data.Measurements;
using PerfSim.Validation;

namespace PerfSim.Training.Tests;

public class ValidationTests
{
    static string Sample => Path.Combine(AppContext.BaseDirectory, "Fixtures", "training-sample.csv");

    [Fact]
    public void The_training_schema_is_recognised_by_its_header()
    {
        Assert.True(TrainingReferenceFile.IsTrainingFile(Sample));
        Assert.False(TrainingReferenceFile.IsTrainingHeader(ReferenceFile.Columns));
    }

    [Theory]
    [InlineData("175B", 175e9, null)]
    [InlineData("671B (37B active)", 671e9, 37e9)]
    [InlineData("1T", 1e12, null)]
    public void Parameters_are_read_with_their_suffix(string text, double total, double? active)
    {
        var (t, a) = TrainingReferenceFile.ParseParameters(text);
        Assert.Equal(total, t!.Value, 1);
        Assert.Equal(active, a);
    }

    [Fact]
    public void Batches_in_sequences_or_tokens()
    {
        Assert.Equal((512.0, (double?)null), TrainingReferenceFile.ParseBatch("512 seq"));
        Assert.Equal(((double?)null, 16e6), TrainingReferenceFile.ParseBatch("16M tok"));
    }

    [Fact]
    public void Every_row_is_predicted_or_listed_with_a_reason()
    {
        var file = TrainingReferenceFile.Load(Sample);
        var v = TrainingValidator.Run(TestSupport.Catalog, file);
        Assert.Equal(file.Rows.Count + file.Issues.Count, v.Rows.Count + v.Unpredicted.Count);
        Assert.Contains(v.Unpredicted, u => u.Reason.Contains("nvidia-h800"));
        Assert.True(v.Rows.Count >= 4);
        Assert.Contains("iteration_s", v.ByMetric.Keys);
        foreach (var r in v.Rows) Assert.True(double.IsFinite(r.Predicted) && r.Predicted > 0);
    }
}

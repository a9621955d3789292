namespace Fairscope.Tests;

/// <summary><see cref="TrainerConfig"/>: the warm-up plus cosine schedule, worked by hand, and validation.</summary>
public sealed class TrainerConfigTests
{
    [Fact]
    public void Learning_rate_warms_up_linearly_then_follows_a_cosine_to_the_minimum_at_the_last_step()
    {
        // 10 warm-up steps, then a cosine over steps 10 .. 110 (100 steps), the last step being 110.
        var config = new TrainerConfig(Steps: 111, LearningRate: 1e-3, WarmupSteps: 10, MinLearningRate: 1e-4);

        Assert.Equal(1e-3 * 1 / 11, config.LearningRateAt(0), 12); // (step + 1)/(warm-up + 1)
        Assert.Equal(1e-3 * 10 / 11, config.LearningRateAt(9), 12);
        Assert.Equal(1e-3, config.LearningRateAt(10), 12); // end of warm-up: the peak
        Assert.Equal(1e-4 + 0.5 * (1 + Math.Cos(Math.PI / 4)) * 9e-4, config.LearningRateAt(35), 12); // a quarter in
        Assert.Equal(5.5e-4, config.LearningRateAt(60), 12); // midway: (max + min)/2
        Assert.Equal(1e-4, config.LearningRateAt(110), 12); // the last step: the minimum
        Assert.Equal(1e-4, config.LearningRateAt(500), 12); // past the end it stays there
    }

    [Fact]
    public void Without_warm_up_the_first_step_uses_the_peak_rate()
    {
        var config = new TrainerConfig(Steps: 3, LearningRate: 0.1, WarmupSteps: 0, MinLearningRate: 0);

        Assert.Equal([0.1, 0.05, 0], new[] { 0, 1, 2 }.Select(s => Math.Round(config.LearningRateAt(s), 12)));
        Assert.Equal(0.1, new TrainerConfig(Steps: 1, LearningRate: 0.1, WarmupSteps: 0).LearningRateAt(0), 12);
    }

    [Theory]
    [InlineData(0, 16, 1e-3, 0, 1e-4, "steps")]
    [InlineData(10, 0, 1e-3, 0, 1e-4, "batch size")]
    [InlineData(10, 16, 0, 0, 0, "learning rate")]
    [InlineData(10, 16, double.NaN, 0, 0, "learning rate")]
    [InlineData(10, 16, 1e-3, 10, 1e-4, "warm-up")]
    [InlineData(10, 16, 1e-3, -1, 1e-4, "warm-up")]
    [InlineData(10, 16, 1e-3, 0, 1e-2, "minimum learning rate")]
    public void Invalid_values_are_rejected_by_name(int steps, int batch, double lr, int warmup, double minLr, string named)
    {
        var config = new TrainerConfig(Steps: steps, BatchSize: batch, LearningRate: lr, WarmupSteps: warmup, MinLearningRate: minLr);

        var error = Assert.Throws<FairscopeException>(() => config.Validate());
        Assert.Contains(named, error.Message);
        Assert.Throws<FairscopeException>(() => new LanguageModelTrainer(config));
    }

    [Fact]
    public void Other_invalid_values_are_rejected()
    {
        var ok = new TrainerConfig(Steps: 10, WarmupSteps: 1);
        ok.Validate();
        foreach (var bad in new[] { ok with { WeightDecay = -1 }, ok with { GradientClip = -0.5 }, ok with { EvalEvery = -1 }, ok with { Beta1 = 1 }, ok with { Beta2 = -0.1 } })
            Assert.Throws<FairscopeException>(() => bad.Validate());
    }
}

using System.Globalization;

namespace Fairscope;

/// <summary>
/// Settings of <see cref="VqAutoencoder.Train"/>. The encoder and decoder learn with Adam at a constant
/// <see cref="LearningRate"/>; the codebook follows the encoder outputs by exponential moving averages with decay
/// <see cref="CodebookDecay"/> (van den Oord et al. 2017, appendix A.1), and <see cref="CommitmentCost"/> is the
/// paper's β. A record can be built with any values; <see cref="Validate"/> checks them.
/// </summary>
/// <param name="Steps">Optimiser steps (batches).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seeds the batch sampler and the codebook restarts; equal seeds give equal weights.</param>
/// <param name="CommitmentCost">β, the weight of the commitment loss ‖z_e − sg(e)‖².</param>
/// <param name="CodebookDecay">γ of the codebook's moving averages, in [0, 1).</param>
public sealed record VqTrainingConfig(int Steps = 2000, int BatchSize = 64, double LearningRate = 2e-3, int Seed = 0,
    double CommitmentCost = 0.25, double CodebookDecay = 0.99)
{
    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public VqTrainingConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid VQ training config: {problem}") : this;

    private string? Problem()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (Steps < 1) return $"steps must be at least 1, got {Steps}";
        if (BatchSize < 1) return $"batch size must be at least 1, got {BatchSize}";
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) return $"learning rate must be a finite number > 0, got {F(LearningRate)}";
        if (!(CommitmentCost >= 0) || !double.IsFinite(CommitmentCost)) return $"commitment cost must be a finite number ≥ 0, got {F(CommitmentCost)}";
        if (!(CodebookDecay >= 0 && CodebookDecay < 1)) return $"codebook decay must be in [0, 1), got {F(CodebookDecay)}";
        return null;
    }
}

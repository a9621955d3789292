using System.Globalization;

namespace Fairscope;

/// <summary>Settings of <see cref="AttributeClassifier.Train"/>: Adam at a constant learning rate on seeded batches,
/// each image shifted by a random whole number of pixels in [−MaxShift, MaxShift] per axis (edges replicated).
/// A record can be built with any values; <see cref="Validate"/> checks them.</summary>
/// <param name="Steps">Optimiser steps (batches).</param>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seeds the batch sampler and the shifts; equal seeds give equal weights.</param>
/// <param name="MaxShift">Largest shift in pixels of the augmentation; 0 turns it off.</param>
public sealed record AttributeTrainingConfig(int Steps = 1000, int BatchSize = 64, double LearningRate = 3e-3, int Seed = 0, int MaxShift = 2)
{
    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public AttributeTrainingConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid attribute training config: {problem}") : this;

    private string? Problem()
    {
        if (Steps < 1) return $"steps must be at least 1, got {Steps}";
        if (BatchSize < 1) return $"batch size must be at least 1, got {BatchSize}";
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            return $"learning rate must be a finite number > 0, got {LearningRate.ToString(CultureInfo.InvariantCulture)}";
        if (MaxShift < 0) return $"max shift must be ≥ 0, got {MaxShift}";
        return null;
    }
}

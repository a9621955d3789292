using System.Globalization;

namespace Fairscope;

/// <summary>
/// Settings of <see cref="LanguageModelTrainer"/>, after nanoGPT's train.py. The learning rate warms up linearly for
/// <see cref="WarmupSteps"/> steps, then follows a cosine from <see cref="LearningRate"/> down to
/// <see cref="MinLearningRate"/>, reached at the last step (<see cref="LearningRateAt"/>). AdamW decays only tensors
/// of two or more dimensions (matrices and embeddings), not biases and layer-norm gains, as nanoGPT's
/// <c>configure_optimizers</c>. A record can be built with any values; <see cref="Validate"/> checks them.
/// </summary>
/// <param name="Steps">Optimiser steps (batches) to train for.</param>
/// <param name="BatchSize">Windows (sequences of the model's context length) per batch.</param>
/// <param name="LearningRate">Peak learning rate, reached at the end of warm-up.</param>
/// <param name="WarmupSteps">Steps of linear warm-up, in [0, Steps).</param>
/// <param name="MinLearningRate">The learning rate the cosine decays to, in [0, LearningRate].</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay on tensors of 2+ dimensions.</param>
/// <param name="GradientClip">Clip the global gradient norm to this; 0 turns clipping off.</param>
/// <param name="EvalEvery">Evaluate on the held-out examples every this many steps (and after the last); 0: only after the last.</param>
/// <param name="Seed">Seeds torch's global generator (dropout) and the batch sampler; equal seeds give equal weights.</param>
/// <param name="Beta1">AdamW's β1.</param>
/// <param name="Beta2">AdamW's β2 (nanoGPT's 0.95; TorchSharp's own default is 0.99).</param>
public sealed record TrainerConfig(
    int Steps = 1000,
    int BatchSize = 16,
    double LearningRate = 1e-3,
    int WarmupSteps = 100,
    double MinLearningRate = 1e-4,
    double WeightDecay = 0.1,
    double GradientClip = 1.0,
    int EvalEvery = 0,
    int Seed = 0,
    double Beta1 = 0.9,
    double Beta2 = 0.95)
{
    /// <summary>Returns this config, or throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public TrainerConfig Validate() =>
        Problem() is { } problem ? throw new FairscopeException($"invalid trainer config: {problem}") : this;

    private string? Problem()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        static bool Finite(double v) => double.IsFinite(v);
        if (Steps < 1) return $"steps must be at least 1, got {Steps}";
        if (BatchSize < 1) return $"batch size must be at least 1, got {BatchSize}";
        if (!(LearningRate > 0) || !Finite(LearningRate)) return $"learning rate must be a finite number > 0, got {F(LearningRate)}";
        if (WarmupSteps < 0 || WarmupSteps >= Steps) return $"warm-up steps must be in [0, steps = {Steps}), got {WarmupSteps}";
        if (!(MinLearningRate >= 0 && MinLearningRate <= LearningRate)) return $"minimum learning rate must be in [0, learning rate = {F(LearningRate)}], got {F(MinLearningRate)}";
        if (!(WeightDecay >= 0) || !Finite(WeightDecay)) return $"weight decay must be a finite number ≥ 0, got {F(WeightDecay)}";
        if (!(GradientClip >= 0) || !Finite(GradientClip)) return $"gradient clip must be a finite number ≥ 0 (0: off), got {F(GradientClip)}";
        if (EvalEvery < 0) return $"eval-every must be ≥ 0 (0: only after the last step), got {EvalEvery}";
        if (!(Beta1 >= 0 && Beta1 < 1)) return $"beta1 must be in [0, 1), got {F(Beta1)}";
        if (!(Beta2 >= 0 && Beta2 < 1)) return $"beta2 must be in [0, 1), got {F(Beta2)}";
        return null;
    }

    /// <summary>
    /// The learning rate of step <paramref name="step"/> (0-based), nanoGPT's <c>get_lr</c>: during warm-up
    /// <c>LearningRate·(step + 1)/(WarmupSteps + 1)</c>; from step <c>WarmupSteps</c> (the full rate) to the last step
    /// <c>Steps − 1</c> (the minimum) a half cosine, <c>min + ½(1 + cos πr)(max − min)</c> with r going from 0 to 1.
    /// </summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / (WarmupSteps + 1);
        int decaySteps = Steps - 1 - WarmupSteps;
        if (decaySteps <= 0) return LearningRate; // warm-up ends at the last step: nothing left to decay over
        double ratio = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        return MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (LearningRate - MinLearningRate);
    }
}

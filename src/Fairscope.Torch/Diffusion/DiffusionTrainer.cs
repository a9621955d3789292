using System.Diagnostics;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Fairscope;

/// <summary>How a <see cref="DiffusionModel"/> is trained.</summary>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="BatchSize">Captioned latents per step.</param>
/// <param name="LearningRate">AdamW's peak rate (linear warm-up over the first tenth of the steps, then cosine decay to a tenth).</param>
/// <param name="CaptionDropout">Share of captions replaced by the empty prompt, so the model learns the unconditional
/// noise that classifier-free guidance contrasts with (Ho &amp; Salimans 2022 use 0.1–0.2).</param>
/// <param name="Seed">Draws batches, timesteps, noise and dropout.</param>
public sealed record DiffusionTrainingConfig(int Steps, int BatchSize = 64, double LearningRate = 1e-3, double CaptionDropout = 0.1, int Seed = 0)
{
    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public DiffusionTrainingConfig Validate()
    {
        if (Steps < 1 || BatchSize < 1) throw new FairscopeException($"diffusion training needs at least one step and one latent per batch ({this})");
        if (!(LearningRate > 0)) throw new FairscopeException($"the learning rate must be above 0, not {LearningRate}");
        if (!(CaptionDropout >= 0 && CaptionDropout < 1)) throw new FairscopeException($"the caption dropout must be in [0, 1), not {CaptionDropout}");
        return this;
    }
}

/// <summary>What training did: the loss of each step and the time it took.</summary>
public sealed record DiffusionTrainingResult(IReadOnlyList<double> Losses, TimeSpan WallTime);

/// <summary>
/// Trains a <see cref="DiffusionModel"/>'s U-Net and text encoder together on captioned latents with DDPM's simplified
/// objective (Ho et al. 2020): draw t uniformly, noise the latent to x_t, and regress the noise, ‖ε − ε_θ(x_t, t, text)‖².
/// The autoencoder stays frozen, as in latent diffusion. Equal seeds and data give equal weights on one machine and
/// thread count.
/// </summary>
public static class DiffusionTrainer
{
    /// <summary>Trains in place on <paramref name="latents"/> (N, D, g, g; already scaled, see <see cref="DiffusionModel.Latents"/>)
    /// captioned by <paramref name="captions"/>; reports each step.</summary>
    public static DiffusionTrainingResult Train(DiffusionModel model, Tensor latents, IReadOnlyList<string> captions, DiffusionTrainingConfig config,
        IProgress<VisionTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        if (latents.shape[0] != captions.Count || captions.Count == 0)
            throw new FairscopeException($"diffusion training needs one caption per latent and at least one of each ({latents.shape[0]} latents, {captions.Count} captions)");
        var clock = Stopwatch.StartNew();
        using var ids = model.TokenIds(captions);
        using var empty = model.TokenIds([""]);
        var batches = new VisionBatches(captions.Count, config.Seed);
        using var generator = new Generator((ulong)config.Seed);
        var parameters = model.UNet.parameters().Concat(model.TextEncoder.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, config.LearningRate, weight_decay: 0.01);
        int warmup = Math.Max(1, config.Steps / 10);
        var losses = new List<double>(config.Steps);
        model.UNet.train();
        model.TextEncoder.train();
        try
        {
            for (int step = 0; step < config.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = Rate(step, config.Steps, warmup, config.LearningRate);
                var index = tensor(batches.Next(config.BatchSize));
                var x0 = latents.index_select(0, index);
                var dropped = rand([config.BatchSize], generator: generator).lt(config.CaptionDropout).unsqueeze(1); // (B, 1)
                var text = where(dropped, empty.expand(config.BatchSize, -1), ids.index_select(0, index));
                var t = randint(0, NoiseSchedule.TrainSteps, [config.BatchSize], ScalarType.Int64, generator: generator);
                var noise = randn(x0.shape, generator: generator);
                optimizer.zero_grad();
                var loss = F.mse_loss(model.PredictNoise(NoiseSchedule.StableDiffusion.AddNoise(x0, noise, t), t, model.TextEncoder.forward(text)), noise);
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                losses.Add(loss.item<float>());
                progress?.Report(new VisionTrainingProgress(step + 1, losses[^1], double.NaN));
            }
        }
        finally
        {
            model.UNet.eval();
            model.TextEncoder.eval();
        }
        return new DiffusionTrainingResult(losses, clock.Elapsed);
    }

    // Linear warm-up, then cosine decay to a tenth of the peak.
    private static double Rate(int step, int steps, int warmup, double peak)
    {
        if (step < warmup) return peak * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, steps - warmup);
        return peak / 10 + (peak - peak / 10) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

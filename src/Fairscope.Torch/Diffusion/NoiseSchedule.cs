using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// The forward noising process of DDPM (Ho et al. 2020, "Denoising Diffusion Probabilistic Models") with Stable
/// Diffusion's "scaled linear" β schedule over 1,000 steps (√β linear from √0.00085 to √0.012), and the deterministic
/// DDIM sampler (Song et al. 2021, "Denoising Diffusion Implicit Models", η = 0) over a subset of the steps.
/// ᾱ_t = Π_{s≤t} (1 − β_s); a noised latent is <c>x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε</c>.
/// </summary>
public sealed class NoiseSchedule
{
    /// <summary>Training timesteps, 0 … 999.</summary>
    public const int TrainSteps = 1000;

    private readonly double[] _alphaBar = new double[TrainSteps];

    /// <summary>Stable Diffusion's schedule (β from 0.00085 to 0.012, scaled linear).</summary>
    public static NoiseSchedule StableDiffusion { get; } = new(0.00085, 0.012);

    private NoiseSchedule(double betaStart, double betaEnd)
    {
        double product = 1;
        for (int t = 0; t < TrainSteps; t++)
        {
            double root = Math.Sqrt(betaStart) + (Math.Sqrt(betaEnd) - Math.Sqrt(betaStart)) * t / (TrainSteps - 1);
            product *= 1 - root * root;
            _alphaBar[t] = product;
        }
    }

    /// <summary>ᾱ_t, the share of the signal's variance left at step <paramref name="t"/>.</summary>
    public double AlphaBar(int t) => _alphaBar[t];

    /// <summary>x_t for each row of <paramref name="latents"/> (B, …) at its timestep (B, int64): √ᾱ_t x_0 + √(1 − ᾱ_t) ε.</summary>
    public Tensor AddNoise(Tensor latents, Tensor noise, Tensor timesteps)
    {
        var alphaBar = tensor(_alphaBar, ScalarType.Float32, latents.device).index_select(0, timesteps);
        var shape = new long[latents.dim()];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        return alphaBar.sqrt().view(shape) * latents + (1 - alphaBar).sqrt().view(shape) * noise;
    }

    /// <summary>√(1 − ᾱ_t) for each timestep (B, int64), shaped (B, 1, 1, 1) to scale latents.</summary>
    public Tensor NoiseScale(Tensor timesteps, Device device) =>
        (1 - tensor(_alphaBar, ScalarType.Float32, device).index_select(0, timesteps.to(device))).sqrt().view(-1, 1, 1, 1);

    /// <summary>The <paramref name="steps"/> timesteps DDIM visits, from noisiest to cleanest: diffusers' "leading"
    /// spacing with Stable Diffusion's offset of 1 (t = k·1000/steps + 1; a t past 999 is dropped, so 1,000 steps visit 999).</summary>
    public static int[] DdimTimesteps(int steps)
    {
        if (steps is < 1 or > TrainSteps) throw new FairscopeException($"sampling steps must be between 1 and {TrainSteps}, not {steps}");
        int stride = TrainSteps / steps;
        return [.. Enumerable.Range(0, steps).Select(k => k * stride + 1).Where(t => t < TrainSteps).Reverse()];
    }

    /// <summary>One DDIM step (η = 0) from x_t to x_prev given the predicted noise: the clean latent implied by the
    /// noise, re-noised to the earlier step's level. <paramref name="previous"/> &lt; 0 means the end (ᾱ = 1).</summary>
    public Tensor DdimStep(Tensor latents, Tensor noise, int t, int previous)
    {
        double alphaBar = _alphaBar[t], alphaBarPrevious = previous >= 0 ? _alphaBar[previous] : 1;
        var clean = (latents - Math.Sqrt(1 - alphaBar) * noise) / Math.Sqrt(alphaBar);
        return Math.Sqrt(alphaBarPrevious) * clean + Math.Sqrt(1 - alphaBarPrevious) * noise;
    }
}

namespace Fairscope;

/// <summary>A <see cref="DiffusionModel"/> as an image generator (<c>--provider builtin-diffusion</c>): DDIM with the
/// model's sampling steps and guidance unless <paramref name="steps"/> or <paramref name="guidance"/> are given.</summary>
public sealed class DiffusionImageGenerator(DiffusionModel model, int? steps = null, double? guidance = null, bool ownsModel = false)
    : SeededImageGenerator(ownsModel ? model : null)
{
    /// <inheritdoc />
    protected override IReadOnlyList<RgbImage> Draw(string prompt, long[] seeds) => model.Draw([.. seeds.Select(_ => prompt)], seeds, steps, guidance);
}

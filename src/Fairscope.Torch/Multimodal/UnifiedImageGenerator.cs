namespace Fairscope;

/// <summary>The generation side of a <see cref="UnifiedModel"/> as an image generator (<c>--provider builtin-umllm</c>):
/// image tokens sampled at <paramref name="temperature"/>, decoded to pixels.</summary>
public sealed class UnifiedImageGenerator(UnifiedModel model, float temperature = 1, bool ownsModel = false) : SeededImageGenerator(ownsModel ? model : null)
{
    /// <inheritdoc />
    protected override IReadOnlyList<RgbImage> Draw(string prompt, long[] seeds) => model.Draw(prompt, seeds, temperature);
}

using Microsoft.Extensions.AI;

namespace Fairscope;

/// <summary>
/// Applies an inference-time <see cref="Intervention"/> to every image prompt: <see cref="Intervention.Balanced"/> appends
/// the sample's demographic phrase (", a young Black woman"), chosen from the sample index that
/// <see cref="ImageSampleGenerator"/> passes under <see cref="SampleRequest.IndexProperty"/> (else from the seed under
/// <see cref="ImageSampleGenerator.SeedProperty"/>; see <see cref="BalancedAssignment"/>), one image per request since each
/// image has its own spec; <see cref="Intervention.Ethical"/> appends <see cref="FairPromptingOptions.ImageClause"/>.
/// Self-debiasing needs a text draft, so it is refused.
/// </summary>
public sealed class FairPromptingImageGenerator : DelegatingImageGenerator
{
    private readonly FairPromptingOptions _options;
    private readonly BalancedAssignment? _balanced;

    /// <summary>Wraps <paramref name="innerGenerator"/>.</summary>
    public FairPromptingImageGenerator(IImageGenerator innerGenerator, FairPromptingOptions options) : base(innerGenerator)
    {
        if (options.Intervention == Intervention.SelfDebias) throw new FairscopeException("self-debiasing needs a text draft; it applies to chat models, not images");
        _options = options;
        _balanced = options.Intervention == Intervention.Balanced ? new BalancedAssignment(options.Attributes) : null;
    }

    /// <inheritdoc />
    public override Task<ImageGenerationResponse> GenerateAsync(ImageGenerationRequest request, ImageGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        int? index = null;
        if (options?.AdditionalProperties?.TryGetValue<int>(SampleRequest.IndexProperty, out var i) == true)
        {
            index = i;
            options = options.Clone();
            options.AdditionalProperties!.Remove(SampleRequest.IndexProperty);
        }
        var suffix = _options.ImageClause;
        if (_balanced is not null)
        {
            if (options?.Count > 1) throw new ArgumentException("balanced prompting gives each image its own spec: request one image at a time", nameof(options));
            long? seed = options?.AdditionalProperties?.TryGetValue<long>(ImageSampleGenerator.SeedProperty, out var s) == true ? s : null;
            suffix = DemographicPhrase.Of(_balanced.Attributes, _balanced.For(index, seed));
        }
        return base.GenerateAsync(new ImageGenerationRequest($"{request.Prompt}, {suffix}", request.OriginalImages), options, cancellationToken);
    }
}

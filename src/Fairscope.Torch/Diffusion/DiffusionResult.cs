namespace Fairscope;

/// <summary>What <c>fairscope demo diffusion</c> measured (results.json).</summary>
/// <param name="Classifier">Held-out accuracy of the world's classifier per head, with bootstrap intervals.</param>
/// <param name="Models">The unedited model and each edit, audited alike.</param>
/// <param name="Searches">Each edit's weight search, one per edit step (MIST: one joint step; separate: gender, race, age in turn).</param>
/// <param name="Findings">The comparisons in sentences.</param>
public sealed record DiffusionResult(int FormatVersion, DiffusionSettings Settings, IReadOnlyDictionary<string, Estimate> Classifier,
    IReadOnlyList<DiffusionModelReport> Models, IReadOnlyDictionary<string, IReadOnlyList<EditStep>> Searches, IReadOnlyList<string> Findings, double WallSeconds)
{
    /// <summary>Bumped when a field changes meaning or disappears.</summary>
    public const int CurrentFormatVersion = 1;
}

/// <summary>One audited diffusion model.</summary>
/// <param name="Name">base, mist (joint edit) or separate (one attribute at a time).</param>
/// <param name="Bias">Mean bias score (Shen et al. 2023) over occupation prompts with its bootstrap interval, per attribute
/// (gender, race, age, gender × race, gender × race × age).</param>
/// <param name="Deviation">Mean deviation ratio (MIST) over occupation prompts, per attribute.</param>
/// <param name="Recognisability">Share of images whose occupation the classifier reads as the prompt's.</param>
/// <param name="WorldDistance">Mean squared pixel distance to the nearest render of the occupation.</param>
/// <param name="PreservedDrift">How far the preserved prompt's images moved from the unedited model's (same seeds), in the
/// classifier's feature space, relative to the typical distance between two of the unedited model's images (0 unchanged).</param>
/// <param name="Report">Folder of the model's audit report, relative to the output folder.</param>
public sealed record DiffusionModelReport(string Name, string Description, IReadOnlyDictionary<string, AggregateEstimate> Bias,
    IReadOnlyDictionary<string, AggregateEstimate> Deviation, Estimate Recognisability, double WorldDistance, Estimate PreservedDrift, string Report);

/// <summary>One step of an edit: the classes it balanced and its weight search.</summary>
public sealed record EditStep(string Attribute, IReadOnlyList<string> Classes, MistSearchResult Search);

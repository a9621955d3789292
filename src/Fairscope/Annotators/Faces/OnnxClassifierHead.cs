namespace Fairscope;

/// <summary>
/// One classification head of an <see cref="OnnxFaceClassifier"/>: <see cref="Labels"/>.Count consecutive values of
/// the model output <see cref="Output"/>, from index <see cref="From"/> (so one output can carry several heads, as
/// FairFace's 18 logits do: race 0–6, gender 7–8, age 9–17), labelling the suite attribute <see cref="Attribute"/>.
/// </summary>
/// <param name="Output">The model output's name.</param>
/// <param name="From">Index of the head's first value in the output (per face).</param>
/// <param name="Attribute">The suite attribute the head labels.</param>
/// <param name="Labels">The model's label for each value, in order.</param>
/// <param name="Map">Model label → suite category; a label not mapped gives <see cref="DemographicAttribute.Unknown"/>.</param>
/// <param name="Softmax">True when the values are logits (softmax applied), false when already probabilities.</param>
public sealed record OnnxClassifierHead(string Output, int From, string Attribute, IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Map, bool Softmax)
{
    /// <summary>The suite category for a model label, or unknown when the map leaves it out.</summary>
    public string Category(string modelLabel) => Map.GetValueOrDefault(modelLabel, DemographicAttribute.Unknown);
}

namespace Fairscope;

/// <summary>
/// A demographic axis a suite measures (e.g. gender) with its declared categories. Categories are
/// <em>perceived or presented</em> attributes of what a model produced, never facts about a person;
/// every annotator may also answer <see cref="Unknown"/>.
/// </summary>
/// <param name="Name">Key used in reports and gates, e.g. <c>gender</c> or <c>gender_x_race</c>.</param>
/// <param name="Categories">Declared categories, in display order; never contains <see cref="Unknown"/>.</param>
/// <param name="Target">Desired share per category (sums to 1); uniform unless the suite says otherwise.</param>
/// <param name="Components">For an intersection, the attributes it joins; empty for a plain attribute.</param>
public sealed record DemographicAttribute(
    string Name,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, double> Target,
    IReadOnlyList<string> Components)
{
    /// <summary>The label for "no cue detected" or "cues disagree"; kept in every count.</summary>
    public const string Unknown = "unknown";

    /// <summary>Separator of component labels in an intersectional category, e.g. <c>female/black</c>.</summary>
    public const char JointSeparator = '/';

    /// <summary>True for a joint attribute such as gender × race.</summary>
    public bool IsIntersection => Components.Count > 0;

    /// <summary>The uniform distribution over <paramref name="categories"/>.</summary>
    public static IReadOnlyDictionary<string, double> Uniform(IReadOnlyList<string> categories) =>
        categories.ToDictionary(c => c, _ => 1.0 / categories.Count);

    /// <summary>Joins attributes into one whose categories are the Cartesian product and whose target is
    /// the product of the component targets (independence: the fair joint distribution when each axis is fair).</summary>
    public static DemographicAttribute Join(IReadOnlyList<DemographicAttribute> parts)
    {
        IEnumerable<(string Label, double Share)> joint = [("", 1.0)];
        foreach (var part in parts)
            joint = joint.SelectMany(j => part.Categories.Select(c =>
                (j.Label.Length == 0 ? c : j.Label + JointSeparator + c, j.Share * part.Target[c]))).ToList();
        var list = joint.ToList();
        return new(string.Join("_x_", parts.Select(p => p.Name)), list.Select(j => j.Label).ToList(),
            list.ToDictionary(j => j.Label, j => j.Share), parts.Select(p => p.Name).ToList());
    }
}

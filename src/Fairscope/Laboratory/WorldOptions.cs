namespace Fairscope;

/// <summary>
/// How skewed the synthetic world is. For each attribute, the share of people in an occupation is
/// <c>(1 − s)·target + s·onehot(stereotype)</c>: 0 is the target (fair) world, 1 gives every person in an occupation
/// its stereotyped group. With a uniform binary target the expected gender bias score of each occupation is s
/// (without intersectional strength).
/// <see cref="IntersectionalStrength"/> additionally moves that share of people to the joint stereotyped
/// (gender, race) cell, a correlation the single-attribute marginals alone do not show.
/// </summary>
/// <param name="People">People generated per occupation.</param>
/// <param name="ExplicitRaceRate">Share of texts that state the person's race/ethnicity (otherwise only the surname hints at it).</param>
/// <param name="AmbiguousBiographyRate">Share of biographies that mention only a duty shared with the sector partner.</param>
public sealed record WorldOptions(
    int People = 200,
    double GenderStrength = 0,
    double RaceStrength = 0,
    double AgeStrength = 0,
    double IntersectionalStrength = 0,
    double ExplicitRaceRate = 0.5,
    double AmbiguousBiographyRate = 0.4,
    int Seed = 0)
{
    /// <summary>Throws when a strength or rate is outside [0, 1] or the size is not positive.</summary>
    public void Validate()
    {
        if (People < 1) throw new FairscopeException($"people per occupation must be at least 1, not {People}");
        foreach (var (name, value) in new[] { ("gender strength", GenderStrength), ("race strength", RaceStrength), ("age strength", AgeStrength),
                     ("intersectional strength", IntersectionalStrength), ("explicit race rate", ExplicitRaceRate), ("ambiguous biography rate", AmbiguousBiographyRate) })
            if (value is < 0 or > 1 || double.IsNaN(value)) throw new FairscopeException($"{name} must be between 0 and 1, not {value}");
    }
}

using System.Globalization;

namespace Fairscope;

/// <summary>AgeGenderNet's perception of one face: age in years (a regression, not a band) and the softmax
/// probability of "male"; face-api reports "male" when it is above 0.5, else "female".</summary>
public sealed record AgeGender(double Age, double MaleProbability)
{
    /// <summary>face-api's label: <c>male</c> when <see cref="MaleProbability"/> &gt; 0.5, else <c>female</c>.</summary>
    public string Gender => MaleProbability > 0.5 ? "male" : "female";

    /// <summary>E.g. <c>age 21.5, p(male) 0.063</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"age {Age:0.0}, p(male) {MaleProbability:0.000}");
}

using System.Globalization;

namespace Fairscope;

/// <summary>A head's answer for one face: the model label with the highest probability.</summary>
public sealed record HeadPrediction(OnnxClassifierHead Head, string ModelLabel, double Probability)
{
    /// <summary>The suite category the head's map gives the label, or unknown.</summary>
    public string Category => Head.Category(ModelLabel);

    /// <summary>E.g. <c>East Asian 0.870</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ModelLabel} {Probability:0.000}");
}

namespace Fairscope;

/// <summary>What <see cref="ClassifierFairness.Analyze"/> measured.</summary>
/// <param name="TprGapByClass">Each class's TPR gap (no interval); null where a group has no rows of the class.</param>
/// <param name="Rows">Rows measured.</param>
public sealed record ClassifierFairnessResult(Estimate Accuracy, IReadOnlyDictionary<string, Estimate> AccuracyByGroup, Estimate MeanTprGap,
    Estimate MeanDemographicParityDifference, IReadOnlyDictionary<string, double?> TprGapByClass, int Rows);

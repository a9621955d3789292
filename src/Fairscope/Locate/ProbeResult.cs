namespace Fairscope;

/// <summary>A linear probe of one attribute: training and held-out row counts, the classes (ordinal order), held-out
/// accuracy with its bootstrap interval over held-out rows, and the majority baseline: the accuracy on the held-out rows
/// of always answering the training set's most frequent class. Accuracy well above the baseline means the features
/// encode the attribute linearly.</summary>
public sealed record ProbeResult(
    string Attribute,
    int Train,
    int Test,
    IReadOnlyList<string> Classes,
    Estimate Accuracy,
    string MajorityClass,
    double MajorityBaseline,
    IReadOnlyDictionary<string, int> TestCounts);

namespace Fairscope;

/// <summary>Group balance of one attribute's preference pairs (see <see cref="PreferencePairs.Balance"/>).</summary>
/// <param name="Chosen">Chosen answers per declared group.</param>
/// <param name="Rejected">Rejected answers per declared group.</param>
/// <param name="ChosenBiasScore">Bias score of the chosen answers pooled over prompts; null without pairs.</param>
/// <param name="RejectedBiasScore">The same for the rejected answers.</param>
/// <param name="RunBiasScore">The same for every sample of the run with a declared group.</param>
/// <param name="ChosenTvTarget">Total-variation distance of the pooled chosen answers to the attribute's target.</param>
/// <param name="RunTvTarget">The same for the run's samples.</param>
public sealed record PreferenceBalance(string Attribute, int Pairs, IReadOnlyDictionary<string, int> Chosen, IReadOnlyDictionary<string, int> Rejected,
    double? ChosenBiasScore, double? RejectedBiasScore, double? RunBiasScore, double? ChosenTvTarget, double? RunTvTarget);

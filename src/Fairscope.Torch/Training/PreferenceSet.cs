namespace Fairscope;

/// <summary>
/// A neutral prompt with one completion per demographic group, for <see cref="BalancedPreferenceLoss"/>: e.g. the
/// tokens of "The nurse said that" with those of " she" and " he". Every set given to one loss lists its groups in the
/// same order.
/// </summary>
/// <param name="Prompt">The prompt's token ids, at least one (the first completion token is predicted from them).</param>
/// <param name="Completions">One completion (token ids, at least one) per group, in the loss's group order.</param>
public sealed record PreferenceSet(IReadOnlyList<int> Prompt, IReadOnlyList<IReadOnlyList<int>> Completions);

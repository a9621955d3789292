namespace Fairscope;

/// <summary>
/// Chooses the examples of each training epoch, so that a data-level mitigation (such as
/// <see cref="AntiStereotypeDebiasing"/>'s resampling) can drop or repeat examples without building a new training set.
/// A trainer calls <see cref="NextEpoch"/> once per epoch and shuffles what it returns.
/// </summary>
public interface IEpochResampler
{
    /// <summary>The indices, into the training examples, of the next epoch's examples; an index may repeat. Draw any
    /// randomness from <paramref name="random"/> so that a seeded trainer stays deterministic.</summary>
    IReadOnlyList<int> NextEpoch(Random random);
}

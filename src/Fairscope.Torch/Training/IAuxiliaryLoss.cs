using static TorchSharp.torch;

namespace Fairscope;

/// <summary>
/// A loss term that <see cref="LanguageModelTrainer"/> adds to each step's autoregressive loss before the backward
/// pass, for mitigations that train on something other than next-token prediction of the examples (such as
/// <see cref="BalancedPreferenceLoss"/>, which may also train alone, without examples).
/// </summary>
public interface IAuxiliaryLoss
{
    /// <summary>A short name for reports (e.g. "BPO").</summary>
    string Name { get; }

    /// <summary>
    /// The term for one step: a scalar tensor on the model's device that carries gradients to
    /// <paramref name="model"/>'s parameters. It is called inside the step's dispose scope, with the model in training
    /// mode, so the tensors it makes are freed after the step. Draw any randomness from <paramref name="random"/>
    /// (the trainer's seeded sampler) so that training stays deterministic.
    /// </summary>
    Tensor Compute(Gpt model, Random random);
}

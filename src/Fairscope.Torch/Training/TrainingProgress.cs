namespace Fairscope;

/// <summary>What <see cref="LanguageModelTrainer"/> reports after each step.</summary>
/// <param name="Step">The step just taken, 1-based (1 .. <see cref="TrainerConfig.Steps"/>).</param>
/// <param name="Loss">The step's weighted autoregressive training loss (mean per target token, before the update; 0
/// when training on an auxiliary loss alone).</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="TokensPerSecond">Target tokens trained on per second since training started (padding not counted).</param>
/// <param name="Evaluation">The held-out evaluation made after this step, if one was.</param>
/// <param name="AuxiliaryLoss">The step's auxiliary loss (<see cref="IAuxiliaryLoss"/>), added to <paramref name="Loss"/>
/// for the update; null without one.</param>
public sealed record TrainingProgress(int Step, double Loss, double LearningRate, double TokensPerSecond, LanguageModelEvaluation? Evaluation = null,
    double? AuxiliaryLoss = null);

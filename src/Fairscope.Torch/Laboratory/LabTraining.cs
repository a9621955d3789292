namespace Fairscope;

/// <summary>How the laboratory turns texts into training examples and trains: one trainer setting for every model,
/// so that models differ only in their data, loss weights and objective.</summary>
internal static class LabTraining
{
    /// <summary>A text followed by end of text, every token weighted 1.</summary>
    public static TrainingExample Example(TextTokenizer tokenizer, string text) => new([.. tokenizer.Encode(text), EndOfText(tokenizer)]);

    /// <summary>A text followed by end of text, with per-character-span loss weights (the end of text weighs 1).</summary>
    public static TrainingExample Example(TextTokenizer tokenizer, string text, IReadOnlyList<(int Start, int Length, float Weight)> spans)
    {
        var (ids, offsets) = tokenizer.EncodeWithOffsets(text);
        var weights = TrainingExample.WeightsForSpans(offsets, spans);
        return new TrainingExample([.. ids, EndOfText(tokenizer)], [.. weights, 1f]);
    }

    /// <summary>nanoGPT-style AdamW with warm-up and cosine decay, batch 32, sized for the tiny laboratory models.</summary>
    public static LanguageModelTrainer Trainer(int steps, int seed, double learningRate = 3e-3) =>
        new(new TrainerConfig(Steps: steps, BatchSize: 32, LearningRate: learningRate, WarmupSteps: Math.Min(30, steps / 10),
            MinLearningRate: learningRate / 10, WeightDecay: 0.1, Seed: seed));

    /// <summary>Reports each training step as one step of the "train" stage.</summary>
    public static IProgress<TrainingProgress>? StepProgress(LabProgress? progress) =>
        progress is null ? null : new Steps(progress);

    private static int EndOfText(TextTokenizer tokenizer) =>
        tokenizer.EndOfTextId ?? throw new FairscopeException("the laboratory's tokenizer needs an end-of-text token");

    private sealed class Steps(LabProgress progress) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => progress.Advance(LabProgress.Train);
    }
}

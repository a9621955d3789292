using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fairscope;

/// <summary>
/// Everything that decides the bias-inheritance laboratory's results: the two worlds, the model shape, training
/// lengths, the ratios and seeds of the sweep and how students are measured. Same settings, same results (on one
/// machine and thread count). <see cref="Demo"/> is sized for <c>fairscope demo</c> on two CPU cores; <see cref="Full"/>
/// is the default of <c>fairscope inherit</c> and <c>fairscope mitigate</c>.
/// </summary>
/// <param name="People">People per occupation in each world (the original one and the teacher's skewed one).</param>
/// <param name="TeacherWorld">Skew of the teacher's training world; the original world is fair (all strengths 0).</param>
/// <param name="Model">Shape of every model (teacher and students); its vocabulary size is the tokenizer's.</param>
/// <param name="VocabularySize">Byte-level BPE vocabulary size (256 bytes, merges, end of text).</param>
/// <param name="TeacherSteps">Training steps of the teacher.</param>
/// <param name="StudentSteps">Training steps of each student (from scratch, on a mix).</param>
/// <param name="PreferenceSteps">Steps of balanced preference optimisation after a student's own training.</param>
/// <param name="MixSize">Documents in each student's mix, stories and labelled biographies in equal numbers.</param>
/// <param name="Ratios">Bias ratios γ of the sweep: the share of teacher-generated documents in a mix.</param>
/// <param name="Seeds">Students per ratio; student k uses seed <c>Seed + k</c> for its mix, initialisation and batches.</param>
/// <param name="MitigationRatio">The ratio at which mitigations are compared with the unmitigated student.</param>
/// <param name="SamplesPerPrompt">Continuations sampled per occupation prompt when auditing a model.</param>
/// <param name="MaxNewTokens">Longest continuation, in tokens.</param>
/// <param name="TestBiographies">Held-out biographies per occupation for the classification task.</param>
/// <param name="Seed">Base seed of worlds, texts, models and sampling.</param>
public sealed record LabSettings(
    int People,
    WorldOptions TeacherWorld,
    GptConfig Model,
    int VocabularySize,
    int TeacherSteps,
    int StudentSteps,
    int PreferenceSteps,
    int MixSize,
    IReadOnlyList<double> Ratios,
    int Seeds,
    double MitigationRatio,
    int SamplesPerPrompt,
    int MaxNewTokens,
    int TestBiographies,
    int Seed)
{
    /// <summary>The teacher's world: strongly skewed on every attribute and on the gender × race cell.</summary>
    public static WorldOptions SkewedWorld { get; } = new(GenderStrength: 0.9, RaceStrength: 0.7, AgeStrength: 0.7, IntersectionalStrength: 0.3);

    /// <summary>The bias ratios of the research protocol's sweep.</summary>
    public static IReadOnlyList<double> StandardRatios { get; } = [0, 0.1, 0.25, 0.5, 0.75, 1];

    // 2 layers × 64 wide: ~100k parameters, trained at ~60k tokens/s on two cores, enough to learn the world's grammar
    // and its associations (SyntheticWorldTrainingTests); the vocabulary size is filled in once the tokenizer exists.
    private static readonly GptConfig TinyModel = new(VocabSize: 1, ContextLength: 64, Layers: 2, Heads: 4, Width: 64);

    /// <summary>The <c>fairscope demo</c> size: the whole sweep with one student per ratio, in minutes on two cores.</summary>
    public static LabSettings Demo(int seed = 0) => new(People: 150, SkewedWorld, TinyModel, VocabularySize: 512, TeacherSteps: 600,
        StudentSteps: 400, PreferenceSteps: 100, MixSize: 2400, StandardRatios, Seeds: 1, MitigationRatio: 0.5, SamplesPerPrompt: 24,
        MaxNewTokens: 40, TestBiographies: 20, seed);

    /// <summary>The default of <c>fairscope inherit</c> and <c>mitigate</c>: three students per ratio, more samples.</summary>
    public static LabSettings Full(int seed = 0) => Demo(seed) with { People = 250, MixSize = 3000, Seeds = 3, SamplesPerPrompt = 48, TestBiographies = 40 };

    /// <summary>Throws <see cref="FairscopeException"/> naming the first invalid value.</summary>
    public LabSettings Validate()
    {
        TeacherWorld.Validate();
        if (People < 10) throw new FairscopeException($"people per occupation must be at least 10, not {People}");
        if (VocabularySize < 300) throw new FairscopeException($"vocabulary size must be at least 300, not {VocabularySize}");
        if (TeacherSteps < 1 || StudentSteps < 1 || PreferenceSteps < 0) throw new FairscopeException("training steps must be at least 1 (preference steps at least 0)");
        if (MixSize < 24) throw new FairscopeException($"mix size must be at least 24, not {MixSize}");
        if (Ratios.Count == 0) throw new FairscopeException("give at least one bias ratio");
        foreach (var r in Ratios.Append(MitigationRatio))
            if (r is < 0 or > 1 || double.IsNaN(r)) throw new FairscopeException($"bias ratios must be between 0 and 1, not {r.ToString(CultureInfo.InvariantCulture)}");
        if (Seeds < 1) throw new FairscopeException($"seeds must be at least 1, not {Seeds}");
        if (SamplesPerPrompt < 2) throw new FairscopeException($"samples per prompt must be at least 2, not {SamplesPerPrompt}");
        if (MaxNewTokens < 4 || MaxNewTokens >= Model.ContextLength) throw new FairscopeException($"max new tokens must be in [4, {Model.ContextLength}), not {MaxNewTokens}");
        if (TestBiographies < 2) throw new FairscopeException($"test biographies per occupation must be at least 2, not {TestBiographies}");
        return this;
    }

    /// <summary>A short content hash of <paramref name="parts"/> (the settings an artefact was made from) and the text
    /// formats' version: the key of a cached artefact, so a change to anything it was made from makes a new one.</summary>
    public static string Key(params object[] parts)
    {
        var json = JsonSerializer.Serialize(new object[] { parts, LabFormat.Version });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }
}

namespace Fairscope;

/// <summary>
/// The laboratory's data, built deterministically from <see cref="LabSettings"/>: the original (fair) world's training
/// documents, held-out documents and test biographies; the teacher, trained on a skewed world; and the documents the
/// teacher wrote when asked for stories and biographies of each occupation (the augmented data). The teacher (with
/// the tokenizer every model shares) and its documents are cached.
/// </summary>
public sealed class LabData : IDisposable
{
    private LabData(LabSettings settings, LanguageModel teacher, string teacherKey, IReadOnlyList<LabDocument> original,
        IReadOnlyList<LabDocument> augmented, IReadOnlyList<LabDocument> heldOut, IReadOnlyList<(Person Person, string Biography)> tests,
        IReadOnlyList<Person> trainingPeople, SyntheticWorld fairWorld)
    {
        (Settings, Teacher, TeacherKey, Original, Augmented, HeldOut, TestBiographies, TrainingPeople, FairWorld) =
            (settings, teacher, teacherKey, original, augmented, heldOut, tests, trainingPeople, fairWorld);
    }

    /// <summary>The settings it was built from.</summary>
    public LabSettings Settings { get; }

    /// <summary>The teacher, trained on the skewed world; its tokenizer is every model's.</summary>
    public LanguageModel Teacher { get; }

    /// <summary>The teacher's cache key; students' keys build on it.</summary>
    public string TeacherKey { get; }

    /// <summary>Tokenizer shared by all models.</summary>
    public TextTokenizer Tokenizer => Teacher.Tokenizer;

    /// <summary>Original training documents: a story and a labelled biography per person of the fair world.</summary>
    public IReadOnlyList<LabDocument> Original { get; }

    /// <summary>Teacher-written documents: as many stories and labelled biographies as a mix of ratio 1 needs.</summary>
    public IReadOnlyList<LabDocument> Augmented { get; }

    /// <summary>Held-out original documents (fidelity: perplexity).</summary>
    public IReadOnlyList<LabDocument> HeldOut { get; }

    /// <summary>Held-out people of the fair world with a biography each (the classification test set).</summary>
    public IReadOnlyList<(Person Person, string Biography)> TestBiographies { get; }

    /// <summary>The fair world's people whose documents are in <see cref="Original"/>.</summary>
    public IReadOnlyList<Person> TrainingPeople { get; }

    /// <summary>The fair world (its texts come from it).</summary>
    public SyntheticWorld FairWorld { get; }

    /// <summary>Stories and biographies per kind in a student's mix.</summary>
    public int PerKind => Settings.MixSize / 2;

    /// <summary>Builds or loads everything; reports teacher training steps to <paramref name="progress"/>.</summary>
    public static LabData Prepare(LabSettings settings, ModelCache cache, LabProgress? progress, CancellationToken cancellationToken)
    {
        settings.Validate();
        int people = settings.People, tests = settings.TestBiographies;
        var fair = SyntheticWorld.Create(new WorldOptions(people + tests, Seed: settings.Seed));
        var texts = new Random(settings.Seed ^ 0x5eed7e47); // texts draw from their own sequence, not the world's
        var original = new List<LabDocument>();
        var heldOut = new List<LabDocument>();
        var testSet = new List<(Person, string)>();
        var trainingPeople = new List<Person>();
        foreach (var group in fair.People.GroupBy(p => p.Occupation))
        {
            foreach (var (person, index) in group.Select((p, i) => (p, i)))
            {
                var story = new LabDocument(fair.Story(person, texts), LabDocument.Story, person.Occupation, false);
                var biography = fair.Biography(person, texts);
                var labelled = new LabDocument(LabFormat.Labelled(biography, person.Occupation), LabDocument.Biography, person.Occupation, false);
                if (index < people)
                {
                    original.Add(story);
                    original.Add(labelled);
                    trainingPeople.Add(person);
                }
                else
                {
                    heldOut.Add(story);
                    heldOut.Add(labelled);
                    testSet.Add((person, biography));
                }
            }
        }

        var skewed = SyntheticWorld.Create(settings.TeacherWorld with { People = people, Seed = settings.Seed + 1 });
        var teacherTexts = skewed.People.SelectMany(p => new[]
        {
            skewed.Story(p, texts),
            LabFormat.Labelled(skewed.Biography(p, texts), p.Occupation),
        }).ToList();

        var teacherKey = LabSettings.Key("teacher", settings.People, settings.TeacherWorld, settings.Model, settings.VocabularySize, settings.TeacherSteps, settings.Seed);
        if (!cache.Contains(teacherKey, "teacher")) progress?.Plan(LabProgress.Train, settings.TeacherSteps);
        var teacher = cache.GetOrTrain(teacherKey, "teacher", () =>
        {
            var vocabulary = BpeTrainer.Train(original.Select(d => d.Text).Concat(teacherTexts).Append(LabFormat.ProvenanceMarker),
                new BpeTrainerOptions { VocabularySize = settings.VocabularySize });
            var tokenizer = new TextTokenizer(vocabulary);
            var model = new Gpt(settings.Model with { VocabSize = tokenizer.VocabularySize }, settings.Seed);
            var examples = teacherTexts.Select(t => LabTraining.Example(tokenizer, t)).ToList();
            LabTraining.Trainer(settings.TeacherSteps, settings.Seed).Train(model, examples, progress: LabTraining.StepProgress(progress), cancellationToken: cancellationToken);
            return new LanguageModel(model, tokenizer, "teacher");
        });

        var augmentedKey = LabSettings.Key("augmented", teacherKey, settings.MixSize, settings.MaxNewTokens);
        var augmented = cache.GetOrCreateDocuments(augmentedKey, () => Augment(teacher, settings, cancellationToken));
        return new LabData(settings, teacher, teacherKey, original, augmented, heldOut, testSet, trainingPeople, fair);
    }

    // The teacher continues each occupation's story openings and biography request, with temperature 1 and a seed per
    // document; an empty continuation is dropped (there are spare requests for it).
    private static List<LabDocument> Augment(LanguageModel teacher, LabSettings settings, CancellationToken cancellationToken)
    {
        var occupations = WorldOccupations.All;
        int perOccupation = (settings.MixSize / 2 + occupations.Count - 1) / occupations.Count;
        int requests = perOccupation + perOccupation / 10 + 2; // spares for empty continuations
        var documents = new List<LabDocument>();
        foreach (var occupation in occupations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prompts = LabFormat.StoryPrompts(occupation);
            var perPrompt = prompts.Select((prompt, k) =>
            {
                var seeds = Enumerable.Range(0, requests / prompts.Count + 1).Select(i => SampleSeeds.For(settings.Seed, $"augment/{occupation.Id}/{k}", i)).ToArray();
                return teacher.CompleteBatch(prompt, seeds, settings.MaxNewTokens, temperature: 1).Where(c => c.Text.Trim().Length > 0)
                    .Select(c => new LabDocument(prompt + c.Text, LabDocument.Story, occupation, true)).ToList();
            }).ToList();
            // Alternate the openings so that taking the first ones keeps them balanced.
            var stories = Enumerable.Range(0, perPrompt.Max(l => l.Count)).SelectMany(i => perPrompt.Where(l => i < l.Count).Select(l => l[i]));
            var request = LabFormat.BiographyHeading(occupation);
            var biographySeeds = Enumerable.Range(0, requests).Select(i => SampleSeeds.For(settings.Seed, $"augment/{occupation.Id}/biography", i)).ToArray();
            var biographies = teacher.CompleteBatch(request, biographySeeds, settings.MaxNewTokens, temperature: 1)
                .Where(c => c.Text.Trim().Length > 0)
                .Select(c => new LabDocument(LabFormat.Labelled(c.Text, occupation), LabDocument.Biography, occupation, true));
            documents.AddRange(stories.Take(perOccupation));
            documents.AddRange(biographies.Take(perOccupation));
        }
        return documents;
    }

    /// <summary>The original and augmented documents of one kind.</summary>
    public (IReadOnlyList<LabDocument> Original, IReadOnlyList<LabDocument> Augmented) OfKind(string kind) =>
        (Original.Where(d => d.Kind == kind).ToList(), Augmented.Where(d => d.Kind == kind).ToList());

    /// <inheritdoc />
    public void Dispose() => Teacher.Dispose();
}

namespace Fairscope;

/// <summary>
/// A small synthetic society for the bias-inheritance laboratory: people with perceived gender, race/ethnicity and
/// age, each in one of a dozen occupations, skewed as <see cref="WorldOptions"/> says, and texts about them:
/// stories that name the occupation (language-model training and generation probes such as "The nurse said that")
/// and biographies that only describe duties (occupation classification, as in Bias in Bios). Deterministic for
/// a seed.
/// </summary>
public sealed class SyntheticWorld
{
    /// <summary>Categories of the world's attributes, in the order of the built-in suites.</summary>
    public static IReadOnlyDictionary<string, string[]> Categories { get; } = new Dictionary<string, string[]>
    {
        ["gender"] = ["female", "male"],
        ["race"] = ["white", "black", "asian", "hispanic"],
        ["age"] = ["young", "middle_aged", "older"],
    };

    // First names by gender and surnames by race, chosen from common names with strong associations (most are in the
    // annotators' lists; "Mei" and "Wei" are not, so texts about them carry pronoun cues only). Internal so that
    // DemographicVocabulary.World swaps exactly the words the world writes.
    internal static IReadOnlyDictionary<string, string[]> FirstNames { get; } = new Dictionary<string, string[]>
    {
        ["female"] = ["Mary", "Linda", "Susan", "Karen", "Maria", "Aisha", "Mei", "Priya", "Keisha", "Hannah", "Lucia", "Emily"],
        ["male"] = ["James", "Robert", "John", "David", "Carlos", "Jamal", "Wei", "Arjun", "Miguel", "Thomas", "Kwame", "Brian"],
    };
    internal static IReadOnlyDictionary<string, string[]> Surnames { get; } = new Dictionary<string, string[]>
    {
        ["white"] = ["Olson", "Schmidt", "Larson", "Hansen", "Meyer", "Jensen"],
        ["black"] = ["Washington", "Jefferson"],
        ["asian"] = ["Nguyen", "Chen", "Patel", "Kim", "Tran", "Wang"],
        ["hispanic"] = ["Garcia", "Rodriguez", "Hernandez", "Lopez", "Martinez", "Gonzalez"],
    };
    internal static IReadOnlyDictionary<string, string> RaceWords { get; } = new Dictionary<string, string> { ["white"] = "White", ["black"] = "Black", ["asian"] = "Asian", ["hispanic"] = "Hispanic" };
    internal static IReadOnlyDictionary<string, (int From, int To)> AgeBands { get; } = new Dictionary<string, (int From, int To)> { ["young"] = (22, 34), ["middle_aged"] = (35, 64), ["older"] = (65, 75) };

    private SyntheticWorld(IReadOnlyList<Person> people, WorldOptions options)
    {
        People = people;
        Options = options;
    }

    /// <summary>Everyone, grouped by occupation in <see cref="WorldOccupations.All"/> order.</summary>
    public IReadOnlyList<Person> People { get; }

    /// <summary>The options the world was made with.</summary>
    public WorldOptions Options { get; }

    /// <summary>Generates a world; the target distribution of every attribute is uniform.</summary>
    public static SyntheticWorld Create(WorldOptions options)
    {
        options.Validate();
        var random = new Random(options.Seed);
        var people = new List<Person>();
        foreach (var occupation in WorldOccupations.All)
            for (var i = 0; i < options.People; i++)
            {
                var gender = Draw(random, "gender", occupation, options.GenderStrength);
                var race = Draw(random, "race", occupation, options.RaceStrength);
                if (random.NextDouble() < options.IntersectionalStrength)
                    (gender, race) = (occupation.Stereotype["gender"], occupation.Stereotype["race"]);
                var age = Draw(random, "age", occupation, options.AgeStrength);
                var (from, to) = AgeBands[age];
                people.Add(new Person(people.Count, Pick(random, FirstNames[gender]), Pick(random, Surnames[race]), gender, race, age,
                    random.Next(from, to + 1), occupation));
            }
        return new SyntheticWorld(people, options);
    }

    // (1 − s)·uniform + s·onehot(stereotype), drawn in one step: with probability s the stereotype, else uniform.
    private static string Draw(Random random, string attribute, WorldOccupation occupation, double strength) =>
        random.NextDouble() < strength ? occupation.Stereotype[attribute] : Pick(random, Categories[attribute]);

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    /// <summary>A short story naming the occupation, with pronouns, name and (sometimes) stated race; one per person.</summary>
    public string Story(Person p, Random random)
    {
        var (she, him, her) = Pronouns(p);
        var who = random.NextDouble() < Options.ExplicitRaceRate ? $"a {p.Years}-year-old {RaceWords[p.Race]} {p.Occupation.Phrase}" : $"a {p.Years}-year-old {p.Occupation.Phrase}";
        var duty = Pick(random, [.. p.Occupation.Duties]);
        return random.Next(3) switch
        {
            0 => $"The {p.Occupation.Phrase} said that {she} would {duty} before noon. {p.FirstName} {p.LastName} is {who}.",
            1 => $"{p.FirstName} {p.LastName} is {who}. Every morning {she} {ThirdPerson(duty)}, and {her} colleagues rely on {him}.",
            _ => $"As {SuiteLoader.IndefiniteArticle(p.Occupation.Phrase)} {p.Occupation.Phrase}, {p.FirstName} {p.LastName} {ThirdPerson(duty)}. {Capitalise(she)} is {p.Years} years old.",
        };
    }

    /// <summary>A biography that describes one duty but never names the occupation (the classification input). With
    /// probability <see cref="WorldOptions.AmbiguousBiographyRate"/> the duty is one the occupation shares with its sector
    /// partner, so only the person's other traits could tip a guess.</summary>
    public string Biography(Person p, Random random)
    {
        var (she, _, her) = Pronouns(p);
        var duties = random.NextDouble() < Options.AmbiguousBiographyRate ? p.Occupation.SharedDuties : p.Occupation.Duties;
        return $"{p.FirstName} {p.LastName} {ThirdPerson(Pick(random, [.. duties]))}. {Capitalise(she)} has {random.Next(1, Math.Max(2, p.Years - 20))} years of experience, and {her} days are busy.";
    }

    // Subject, object and possessive pronouns.
    private static (string She, string Him, string Her) Pronouns(Person p) => p.Gender == "female" ? ("she", "her", "her") : ("he", "him", "his");

    /// <summary>English third-person singular of a base-form verb phrase: "fix wiring" → "fixes wiring".</summary>
    internal static string ThirdPerson(string phrase)
    {
        var space = phrase.IndexOf(' ');
        var verb = space < 0 ? phrase : phrase[..space];
        var rest = space < 0 ? "" : phrase[space..];
        var conjugated = verb switch
        {
            "have" => "has",
            "do" or "go" => verb + "es",
            _ when verb.EndsWith('s') || verb.EndsWith('x') || verb.EndsWith('z') || verb.EndsWith("sh") || verb.EndsWith("ch") => verb + "es",
            _ when verb.Length > 1 && verb.EndsWith('y') && !"aeiou".Contains(verb[^2]) => verb[..^1] + "ies",
            _ => verb + "s",
        };
        return conjugated + rest;
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

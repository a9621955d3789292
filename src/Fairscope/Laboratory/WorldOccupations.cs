namespace Fairscope;

/// <summary>The world's twelve occupations, chosen for a spread of gender and race skew in US labour statistics, in six
/// sectors of two whose stereotyped genders differ where the statistics allow (electricians and carpenters are both
/// mostly men). Partners share two duties, so a biography that mentions only a shared duty is ambiguous: a classifier
/// can only guess between the two, and a biased one guesses by gender (De-Arteaga et al. 2019, "Bias in Bios").</summary>
public static class WorldOccupations
{
    private static readonly (string A, string B, string[] Shared)[] Sectors =
    [
        ("registered_nurse", "physician", ["examine patients on the ward", "work night shifts at the hospital"]),
        ("secretary", "chief_executive", ["answer emails from clients", "prepare for board meetings"]),
        ("cashier", "janitor", ["work late shifts at the supermarket", "keep the store tidy"]),
        ("kindergarten_teacher", "software_developer", ["plan the week's schedule", "write progress reports"]),
        ("hairdresser", "truck_driver", ["chat with regular customers", "start work at dawn"]),
        ("electrician", "carpenter", ["work on building sites", "read blueprints"]),
    ];

    private static readonly (string Id, string Phrase, string Age, string[] Duties)[] Table =
    [
        ("registered_nurse", "nurse", "middle_aged", ["check on patients through the night", "record vital signs", "give patients their medication", "talk families through a hospital stay"]),
        ("kindergarten_teacher", "kindergarten teacher", "young", ["read stories to a class of five-year-olds", "teach children to count", "plan songs and games", "tie shoelaces at recess"]),
        ("secretary", "secretary", "middle_aged", ["answer the office phones", "keep the diary of the director", "file letters and invoices", "book meeting rooms"]),
        ("hairdresser", "hairdresser", "young", ["cut and style hair", "mix colour for highlights", "wash clients' hair", "sweep the salon floor"]),
        ("software_developer", "software developer", "young", ["write code for a billing system", "fix bugs reported by users", "review pull requests", "deploy updates to the servers"]),
        ("electrician", "electrician", "middle_aged", ["wire new houses", "replace old fuse boxes", "test circuits for faults", "install lighting in offices"]),
        ("carpenter", "carpenter", "middle_aged", ["frame walls for new homes", "build kitchen cabinets", "measure and cut timber", "hang doors and windows"]),
        ("truck_driver", "truck driver", "middle_aged", ["haul freight across the state", "load pallets at the depot", "log hours on the road", "check the brakes before each trip"]),
        ("chief_executive", "chief executive", "older", ["lead the board meeting", "set the company's strategy", "meet investors", "approve the annual budget"]),
        ("janitor", "janitor", "older", ["mop the hallways", "empty the trash bins", "fix leaking taps", "lock the building at night"]),
        ("cashier", "cashier", "young", ["scan groceries at the till", "count the cash drawer", "bag items for customers", "process card payments"]),
        ("physician", "physician", "middle_aged", ["diagnose illnesses", "examine patients in the clinic", "prescribe treatments", "order blood tests"]),
    ];

    /// <summary>All occupations with their stereotypes (gender and race from the built-in occupations suite's BLS shares).</summary>
    public static IReadOnlyList<WorldOccupation> All { get; } = Build();

    private static List<WorldOccupation> Build()
    {
        var suite = SuiteLoader.Load("occupations");
        var references = Table.ToDictionary(t => t.Id, t => suite.Prompts.First(p => p.Slots["occupation"] == t.Id).References);
        // The stereotyped group is the most over-represented one: largest share relative to its mean share over the world.
        string OverRepresented(string id, string attribute) => SyntheticWorld.Categories[attribute]
            .MaxBy(c => references[id][attribute][c] / references.Values.Average(r => r[attribute][c]))!;
        var shared = Sectors.SelectMany(s => new[] { (s.A, s.Shared), (s.B, s.Shared) }).ToDictionary(x => x.Item1, x => x.Shared);
        return Table.Select(t => new WorldOccupation(t.Id, t.Phrase, t.Duties, shared[t.Id], new Dictionary<string, string>
        {
            ["gender"] = OverRepresented(t.Id, "gender"),
            ["race"] = OverRepresented(t.Id, "race"),
            ["age"] = t.Age,
        })).ToList();
    }
}

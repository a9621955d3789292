#:project ../src/Fairscope/Fairscope.csproj
#:property PublishAot=false
// Writes examples/occupations-synthetic.jsonl: SYNTHETIC outputs for the built-in occupations suite, used by the
// README's first command until the built-in model exists. They are not measurements of any language model.
// Each output describes one person whose perceived gender and race/ethnicity are drawn from the occupation's
// labour-statistics reference, with the gender odds squared: the stereotype amplification that Kotek et al. 2023
// ("Gender bias and stereotypes in Large Language Models") report for LLMs. A third of the texts state the
// group, a third give only a surname, a third carry no race cue, so the audit also shows "unknown" labels.
// Regenerate with: dotnet run examples/make-synthetic-outputs.cs
using System.Text.Json;
using Fairscope;

const int SamplesPerPrompt = 20;
var random = new Random(2026);
string[] femaleNames = ["Maria", "Jennifer", "Aisha", "Mei", "Sofia", "Emily", "Priya", "Keisha", "Hannah", "Lucia"];
string[] maleNames = ["James", "Carlos", "Wei", "Jamal", "David", "Arjun", "Miguel", "Robert", "Kwame", "Thomas"];
var surnames = new Dictionary<string, string[]>
{
    ["white"] = ["Olson", "Schmidt", "Larson", "Hansen"],
    ["black"] = ["Washington", "Jefferson"],
    ["asian"] = ["Nguyen", "Chen", "Patel", "Kim"],
    ["hispanic"] = ["Garcia", "Rodriguez", "Hernandez", "Lopez"],
};
var presented = new Dictionary<string, string> { ["white"] = "White", ["black"] = "Black", ["asian"] = "Asian", ["hispanic"] = "Hispanic" };

var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath("examples/make-synthetic-outputs.cs"))!, "occupations-synthetic.jsonl");
using var output = new StreamWriter(path) { NewLine = "\n" };
foreach (var prompt in SuiteLoader.Load("occupations").Prompts)
{
    var job = prompt.Text.Contains("Describe") ? prompt.Text.Split(" you ")[0]["Describe ".Length..] : prompt.Text.Split(" about ")[1].Split(" on ")[0];
    var female = prompt.References["gender"]["female"];
    var amplified = female * female / (female * female + (1 - female) * (1 - female));
    for (var i = 0; i < SamplesPerPrompt; i++)
    {
        var isFemale = random.NextDouble() < amplified;
        var group = Draw(prompt.References["race"], random);
        var first = (isFemale ? femaleNames : maleNames)[random.Next(femaleNames.Length)];
        var (she, her, person) = isFemale ? ("She", "her", "woman") : ("He", "his", "man");
        var age = 24 + random.Next(40);
        var text = random.Next(3) switch
        {
            0 => $"{first} is a {age}-year-old {presented[group]} {person} who works as {job}. {she} is calm under pressure, and {her} colleagues trust {her} judgement.",
            1 => $"{first} {surnames[group][random.Next(surnames[group].Length)]} is {job} I met at work. {she} is {age} years old and has been in the job for years.",
            _ => $"{first} woke before dawn. {she} made coffee, checked {her} messages and set out for another ordinary day as {job}.",
        };
        output.WriteLine(JsonSerializer.Serialize(new { prompt_id = prompt.Id, sample_index = i, output = text }));
    }
}
Console.WriteLine($"wrote {path}");

static string Draw(IReadOnlyDictionary<string, double> shares, Random random)
{
    var u = random.NextDouble();
    foreach (var (group, share) in shares) if ((u -= share) < 0) return group;
    return shares.Keys.Last();
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Fairscope.Cli;

/// <summary><c>fairscope world</c>: writes the bias-inheritance laboratory's synthetic world to files.</summary>
internal static class WorldCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for people.csv, stories.jsonl and biographies.jsonl", Required = true };
        var people = new Option<int>("--people") { Description = "People per occupation", DefaultValueFactory = _ => 200 };
        var gender = new Option<double>("--gender-strength") { Description = "0 = uniform gender in every occupation, 1 = everyone the stereotyped gender", DefaultValueFactory = _ => 0 };
        var race = new Option<double>("--race-strength") { Description = "The same for race/ethnicity", DefaultValueFactory = _ => 0 };
        var age = new Option<double>("--age-strength") { Description = "The same for age group", DefaultValueFactory = _ => 0 };
        var joint = new Option<double>("--intersectional-strength") { Description = "Share of people moved to the stereotyped (gender, race) cell", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the world and its texts", DefaultValueFactory = _ => 0 };
        var command = new Command("world", "Write the synthetic world of the bias-inheritance laboratory: people, stories naming their occupation, title-free biographies")
        {
            output, people, gender, race, age, joint, seed,
        };
        command.SetAction(CommandRunner.Guard(async (parse, ct) =>
        {
            var options = new WorldOptions(parse.GetValue(people), parse.GetValue(gender), parse.GetValue(race), parse.GetValue(age), parse.GetValue(joint),
                Seed: parse.GetValue(seed));
            var world = SyntheticWorld.Create(options);
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var random = new Random(options.Seed ^ 0x5eed7e47); // texts draw from their own sequence, not the world's
            await using (var csv = new StreamWriter(Path.Combine(folder, "people.csv")))
            {
                Csv.WriteRecord(csv, ["id", "first_name", "last_name", "gender", "race", "age", "years", "occupation"]);
                foreach (var p in world.People)
                    Csv.WriteRecord(csv, [p.Id.ToString(CultureInfo.InvariantCulture), p.FirstName, p.LastName, p.Gender, p.Race, p.Age,
                        p.Years.ToString(CultureInfo.InvariantCulture), p.Occupation.Id]);
            }
            await using (var stories = new StreamWriter(Path.Combine(folder, "stories.jsonl")))
                foreach (var p in world.People)
                    await stories.WriteLineAsync(JsonSerializer.Serialize(new { person_id = p.Id, occupation = p.Occupation.Id, text = world.Story(p, random) }));
            await using (var bios = new StreamWriter(Path.Combine(folder, "biographies.jsonl")))
                foreach (var p in world.People)
                    await bios.WriteLineAsync(JsonSerializer.Serialize(new { person_id = p.Id, occupation = p.Occupation.Id, text = world.Biography(p, random) }));

            var table = new Table().AddColumns("occupation", "stereotype (gender, race, age)", "female", "stereotyped race", "stereotyped age");
            foreach (var group in world.People.GroupBy(p => p.Occupation))
            {
                double Share(Func<Person, bool> f) => group.Count(f) / (double)group.Count();
                var s = group.Key.Stereotype;
                table.AddRow(group.Key.Id, $"{s["gender"]}, {s["race"]}, {s["age"]}", F(Share(p => p.Gender == "female")),
                    F(Share(p => p.Race == s["race"])), F(Share(p => p.Age == s["age"])));
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"Wrote {world.People.Count} people to {folder}: people.csv, stories.jsonl, biographies.jsonl");
            return CommandRunner.Ok;
        }));
        return command;
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}

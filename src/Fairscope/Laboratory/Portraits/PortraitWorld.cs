namespace Fairscope;

/// <summary>
/// A synthetic world of small RGB portraits for the built-in unified multimodal model (docs/multimodal.md): every
/// portrait is drawn from its parameters (<see cref="Portrait"/>), so its presented gender, skin-tone band, age cues and
/// occupation are known exactly and an attribute classifier can be trained and scored on it. Categories are the ones
/// the image suites declare (gender female/male; race white/black/asian/hispanic; age young/middle_aged/older); in this
/// world "race" is presented by a skin-tone band alone, two tones of a Monk-scale-like ordinal set per category — a
/// deliberate simplification of a toy world, not a claim that skin tone determines race.
/// <para>Occupations carry their cue in the picture (uniform colour and a hat, glasses or a headband) and a stereotyped
/// group per attribute. People of an occupation are drawn with <c>P(group) = (1 − s)/K + s·[group = stereotype]</c> for
/// skew s (<see cref="PortraitWorldOptions"/>); s = 0 is the balanced world. Gender stereotypes follow the BLS majority of
/// the named occupations; race and age stereotypes are assigned round-robin and mean nothing about real occupations.</para>
/// </summary>
public static class PortraitWorld
{
    /// <summary>Width and height of every portrait, in pixels.</summary>
    public const int Size = 32;

    /// <summary>Presented gender categories, in suite order.</summary>
    public static readonly IReadOnlyList<string> Genders = ["female", "male"];

    /// <summary>Race categories, in suite order; skin tones 2r and 2r + 1 present category r.</summary>
    public static readonly IReadOnlyList<string> Races = ["white", "black", "asian", "hispanic"];

    /// <summary>Age categories, in suite order.</summary>
    public static readonly IReadOnlyList<string> Ages = ["young", "middle_aged", "older"];

    /// <summary>The attributes a portrait presents, each with its categories, in the order the suites declare them.</summary>
    public static readonly IReadOnlyList<(string Name, IReadOnlyList<string> Categories)> Attributes =
        [("gender", Genders), ("race", Races), ("age", Ages)];

    /// <summary>The world's occupations with their picture cues and stereotyped groups.</summary>
    public static readonly IReadOnlyList<PortraitOccupation> Occupations =
    [
        new("nurse", Rgb(110, 200, 205), Headwear.Cap, Rgb(250, 250, 250), Gender: 0, Race: 0, Age: 0),
        new("firefighter", Rgb(55, 55, 60), Headwear.Helmet, Rgb(205, 30, 30), Gender: 1, Race: 1, Age: 1),
        new("chef", Rgb(238, 238, 238), Headwear.Toque, Rgb(255, 255, 255), Gender: 1, Race: 2, Age: 2),
        new("construction worker", Rgb(240, 130, 20), Headwear.Helmet, Rgb(250, 215, 0), Gender: 1, Race: 3, Age: 0),
        new("police officer", Rgb(30, 40, 110), Headwear.Cap, Rgb(25, 30, 80), Gender: 1, Race: 0, Age: 1),
        new("hairdresser", Rgb(225, 110, 175), Headwear.None, default, Gender: 0, Race: 1, Age: 2),
        new("librarian", Rgb(60, 125, 70), Headwear.Glasses, Rgb(20, 20, 20), Gender: 0, Race: 2, Age: 0),
        new("housekeeper", Rgb(150, 135, 175), Headwear.Headband, Rgb(245, 245, 245), Gender: 0, Race: 3, Age: 1),
    ];

    // Eight skin tones, light to dark, after the Monk Skin Tone scale's swatches (monkskintonescale.com), two per band.
    private static readonly (byte R, byte G, byte B)[] SkinTones =
    [
        Rgb(246, 226, 210), Rgb(240, 214, 190), // white
        Rgb(110, 78, 56), Rgb(80, 56, 42),      // black
        Rgb(232, 200, 150), Rgb(222, 186, 132), // asian
        Rgb(196, 150, 104), Rgb(176, 128, 86),  // hispanic
    ];

    private static readonly (byte R, byte G, byte B)[] Backgrounds =
        [Rgb(196, 212, 228), Rgb(226, 214, 190), Rgb(190, 210, 190), Rgb(128, 128, 128)];

    private static readonly int[] OffsetsX = [-2, 0, 2];
    private static readonly double[] Lights = [0.95, 1.0, 1.05];

    /// <summary>Draws a portrait at random: the given <paramref name="occupation"/> or one drawn uniformly, each
    /// attribute from the occupation's skewed distribution, nuisance (pose, background, light) uniform.</summary>
    public static Portrait Draw(Random random, PortraitWorldOptions options, int? occupation = null)
    {
        int o = occupation ?? random.Next(Occupations.Count);
        var cue = Occupations[o];
        int gender = Skewed(random, Genders.Count, cue.Gender, options.GenderSkew);
        int race = Skewed(random, Races.Count, cue.Race, options.RaceSkew);
        int age = Skewed(random, Ages.Count, cue.Age, options.AgeSkew);
        return WithNuisance(random, o, gender, race, age);
    }

    /// <summary>One portrait of every (occupation, gender, race, age) cell with random nuisance: a balanced set.</summary>
    public static IEnumerable<Portrait> Balanced(Random random)
    {
        for (int o = 0; o < Occupations.Count; o++)
        for (int g = 0; g < Genders.Count; g++)
        for (int r = 0; r < Races.Count; r++)
        for (int a = 0; a < Ages.Count; a++)
            yield return WithNuisance(random, o, g, r, a);
    }

    // A person of the given groups with one of its race's two tones and random nuisance (drawn in this order).
    private static Portrait WithNuisance(Random random, int occupation, int gender, int race, int age) =>
        new(occupation, gender, 2 * race + random.Next(2), age, random.Next(Backgrounds.Length), OffsetsX[random.Next(OffsetsX.Length)], random.Next(Lights.Length));

    /// <summary>Every portrait the world can show of <paramref name="occupation"/>: each group, tone, background, offset and light.</summary>
    public static IEnumerable<Portrait> Every(int occupation) =>
        from g in Enumerable.Range(0, Genders.Count)
        from tone in Enumerable.Range(0, SkinTones.Length)
        from a in Enumerable.Range(0, Ages.Count)
        from b in Enumerable.Range(0, Backgrounds.Length)
        from x in OffsetsX
        from l in Enumerable.Range(0, Lights.Length)
        select new Portrait(occupation, g, tone, a, b, x, l);

    /// <summary>A scene with no person: background and light only (the picture an "unknown" answer fits).</summary>
    public static RgbImage Empty(Random random) => Fill(Backgrounds[random.Next(Backgrounds.Length)], Lights[random.Next(Lights.Length)]);

    // (1 − s)/K everywhere plus s on the stereotype.
    private static int Skewed(Random random, int categories, int stereotype, double skew)
    {
        double u = random.NextDouble();
        if (u < skew) return stereotype;
        return (int)((u - skew) / (1 - skew) * categories) is var k && k < categories ? k : categories - 1;
    }

    /// <summary>Draws <paramref name="portrait"/> as a <see cref="Size"/>×<see cref="Size"/> RGB image.</summary>
    public static RgbImage Render(Portrait portrait)
    {
        var cue = Occupations[portrait.Occupation];
        double light = Lights[portrait.Light];
        var image = Fill(Backgrounds[portrait.Background], 1);
        var canvas = new Canvas(image, light);
        int cx = 16 + portrait.OffsetX;
        var skin = SkinTones[portrait.SkinTone];
        var hair = portrait.Age switch { 0 => Rgb(60, 40, 25), 1 => Rgb(120, 110, 100), _ => Rgb(215, 215, 215) };
        bool female = portrait.Gender == 0;

        if (female) canvas.Rect(cx - 9, 5, 18, 20, hair); // long hair behind the head, over the shoulders
        canvas.Rect(cx - 10, 24, 20, 8, cue.Uniform);      // shoulders in the uniform
        canvas.Rect(cx - 2, 21, 4, 3, skin);                // neck
        canvas.Ellipse(cx, 14, 6, 8, skin);                 // face
        canvas.Rect(cx - 6, 6, 12, 3, hair);                // hair on top
        if (!female) canvas.Rect(cx - 6, 9, 1, 3, hair).Rect(cx + 5, 9, 1, 3, hair); // short sideburns
        canvas.Rect(cx - 3, 13, 2, 1, Rgb(30, 30, 30)).Rect(cx + 1, 13, 2, 1, Rgb(30, 30, 30)); // eyes
        canvas.Rect(cx - 2, 18, 4, 1, female ? Rgb(190, 60, 80) : Darker(skin, 0.7)); // mouth
        if (portrait.Age >= 1) canvas.Rect(cx - 3, 10, 6, 1, Darker(skin, 0.8)); // forehead line
        if (portrait.Age == 2) canvas.Rect(cx - 5, 16, 1, 2, Darker(skin, 0.75)).Rect(cx + 4, 16, 1, 2, Darker(skin, 0.75)); // cheek lines
        switch (cue.Headwear)
        {
            case Headwear.Cap: canvas.Rect(cx - 6, 4, 12, 3, cue.HeadwearColour).Rect(cx - 7, 7, 14, 1, Darker(cue.HeadwearColour, 0.6)); break;
            case Headwear.Helmet: canvas.Ellipse(cx, 7, 8, 4, cue.HeadwearColour).Rect(cx - 8, 7, 16, 1, Darker(cue.HeadwearColour, 0.7)); break;
            case Headwear.Toque: canvas.Rect(cx - 5, 0, 10, 7, cue.HeadwearColour).Rect(cx - 6, 6, 12, 1, Rgb(200, 200, 200)); break;
            case Headwear.Headband: canvas.Rect(cx - 6, 8, 12, 1, cue.HeadwearColour); break;
            case Headwear.Glasses: canvas.Rect(cx - 4, 12, 3, 3, cue.HeadwearColour).Rect(cx + 1, 12, 3, 3, cue.HeadwearColour)
                .Rect(cx - 3, 13, 1, 1, skin).Rect(cx + 2, 13, 1, 1, skin); break;
        }
        return image;
    }

    /// <summary>The caption of <paramref name="portrait"/>: the image suites' "a photo of the face of a nurse", naming the
    /// category of <paramref name="attribute"/> before the occupation when given ("… of a female nurse").</summary>
    public static string Caption(Portrait portrait, string? attribute = null) =>
        Caption(Occupations[portrait.Occupation].Name, attribute is null ? null : Category(portrait, attribute));

    /// <summary>"a photo of the face of a/an [group] occupation", with the group's underscores as spaces.</summary>
    public static string Caption(string occupation, string? group)
    {
        var words = group is null ? occupation : $"{group.Replace('_', ' ')} {occupation}";
        return $"a photo of the face of {SuiteLoader.IndefiniteArticle(words)} {words}";
    }

    /// <summary>The category <paramref name="portrait"/> presents for <paramref name="attribute"/> (gender, race, age or occupation).</summary>
    public static string Category(Portrait portrait, string attribute) => attribute switch
    {
        "gender" => Genders[portrait.Gender],
        "race" => Races[portrait.Race],
        "age" => Ages[portrait.Age],
        "occupation" => Occupations[portrait.Occupation].Name,
        _ => throw new FairscopeException($"the portrait world has no attribute '{attribute}' (gender, race, age, occupation)"),
    };

    private static RgbImage Fill((byte R, byte G, byte B) colour, double light)
    {
        var pixels = new byte[Size * Size * 3];
        for (int i = 0; i < pixels.Length; i += 3)
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (Scale(colour.R, light), Scale(colour.G, light), Scale(colour.B, light));
        return new RgbImage(Size, Size, pixels);
    }

    private static byte Scale(byte value, double light) => (byte)Math.Clamp(Math.Round(value * light), 0, 255);
    private static (byte, byte, byte) Rgb(byte r, byte g, byte b) => (r, g, b);
    private static (byte, byte, byte) Darker((byte R, byte G, byte B) c, double f) => (Scale(c.R, f), Scale(c.G, f), Scale(c.B, f));

    // Draws clipped shapes in a colour scaled by the scene's light.
    private readonly struct Canvas(RgbImage image, double light)
    {
        public Canvas Rect(int x, int y, int width, int height, (byte R, byte G, byte B) colour)
        {
            for (int row = Math.Max(0, y); row < Math.Min(Size, y + height); row++)
            for (int col = Math.Max(0, x); col < Math.Min(Size, x + width); col++)
                Set(col, row, colour);
            return this;
        }

        public Canvas Ellipse(int cx, int cy, int rx, int ry, (byte R, byte G, byte B) colour)
        {
            for (int row = Math.Max(0, cy - ry); row <= Math.Min(Size - 1, cy + ry); row++)
            for (int col = Math.Max(0, cx - rx); col <= Math.Min(Size - 1, cx + rx); col++)
            {
                double dx = (col - cx) / (rx + 0.5), dy = (row - cy) / (ry + 0.5);
                if (dx * dx + dy * dy <= 1) Set(col, row, colour);
            }
            return this;
        }

        private void Set(int x, int y, (byte R, byte G, byte B) c)
        {
            int i = (y * Size + x) * 3;
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (Scale(c.R, light), Scale(c.G, light), Scale(c.B, light));
        }
    }
}

/// <summary>What an occupation wears on or near the head in the portrait world.</summary>
public enum Headwear { None, Cap, Helmet, Toque, Headband, Glasses }

/// <summary>An occupation of the portrait world: its name, picture cues and stereotyped category indices.</summary>
public sealed record PortraitOccupation(string Name, (byte R, byte G, byte B) Uniform, Headwear Headwear, (byte R, byte G, byte B) HeadwearColour,
    int Gender, int Race, int Age);

/// <summary>The parameters of one portrait: category indices into <see cref="PortraitWorld"/>'s lists, a skin tone
/// (0–7; its band, tone / 2, is the race category) and nuisance: background index, horizontal offset in pixels, light index.</summary>
public sealed record Portrait(int Occupation, int Gender, int SkinTone, int Age, int Background, int OffsetX, int Light)
{
    /// <summary>The race category index the skin tone presents.</summary>
    public int Race => SkinTone / 2;
}

/// <summary>How skewed the portrait world's occupations are: the share s of people forced to the occupation's stereotyped
/// group per attribute (the rest uniform over all groups, so the stereotyped group's share is s + (1 − s)/K).</summary>
public sealed record PortraitWorldOptions(double GenderSkew = 0.8, double RaceSkew = 0.6, double AgeSkew = 0.5)
{
    /// <summary>The balanced world: no skew.</summary>
    public static PortraitWorldOptions Balanced { get; } = new(0, 0, 0);

    /// <summary>Throws naming the first skew outside [0, 1).</summary>
    public PortraitWorldOptions Validate()
    {
        foreach (var (name, value) in new[] { ("gender skew", GenderSkew), ("race skew", RaceSkew), ("age skew", AgeSkew) })
            if (!(value >= 0 && value < 1)) throw new FairscopeException($"{name} must be in [0, 1), not {value}");
        return this;
    }
}

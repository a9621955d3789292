namespace Fairscope.Tests;

/// <summary>The portrait world: deterministic pictures whose presented attributes are the parameters', skew as specified,
/// captions in the image suites' wording, and contact sheets.</summary>
public sealed class PortraitWorldTests
{
    [Fact]
    public void Equal_parameters_draw_equal_pixels_and_each_attribute_changes_the_picture()
    {
        var portrait = new Portrait(Occupation: 0, Gender: 0, SkinTone: 0, Age: 0, Background: 0, OffsetX: 0, Light: 1);
        var image = PortraitWorld.Render(portrait);
        Assert.Equal((PortraitWorld.Size, PortraitWorld.Size), (image.Width, image.Height));
        Assert.Equal(image.Pixels, PortraitWorld.Render(portrait).Pixels);
        foreach (var changed in new[] { portrait with { Gender = 1 }, portrait with { SkinTone = 2 }, portrait with { Age = 2 }, portrait with { Occupation = 1 },
                     portrait with { Background = 1 }, portrait with { OffsetX = 2 }, portrait with { Light = 0 } })
            Assert.NotEqual(image.Pixels, PortraitWorld.Render(changed).Pixels);
    }

    [Fact]
    public void Skin_tones_present_race_in_bands_of_two_and_categories_follow_the_suites()
    {
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], Enumerable.Range(0, 8).Select(t => new Portrait(0, 0, t, 0, 0, 0, 0).Race));
        var p = new Portrait(Occupation: 3, Gender: 1, SkinTone: 5, Age: 1, Background: 0, OffsetX: 0, Light: 0);
        Assert.Equal(("male", "asian", "middle_aged", "construction worker"),
            (PortraitWorld.Category(p, "gender"), PortraitWorld.Category(p, "race"), PortraitWorld.Category(p, "age"), PortraitWorld.Category(p, "occupation")));
        Assert.Throws<FairscopeException>(() => PortraitWorld.Category(p, "height"));
    }

    [Fact]
    public void Captions_use_the_suites_wording_with_the_right_article()
    {
        Assert.Equal("a photo of the face of a nurse", PortraitWorld.Caption("nurse", null));
        Assert.Equal("a photo of the face of an asian nurse", PortraitWorld.Caption("nurse", "asian"));
        Assert.Equal("a photo of the face of a middle aged chef", PortraitWorld.Caption("chef", "middle_aged"));
        var p = new Portrait(1, 0, 0, 2, 0, 0, 0);
        Assert.Equal("a photo of the face of an older firefighter", PortraitWorld.Caption(p, "age"));
    }

    [Fact]
    public void The_stereotyped_share_is_the_skew_plus_its_uniform_part()
    {
        // Gender skew 0.6 over 2 groups: P(stereotype) = 0.6 + 0.4 / 2 = 0.8. Race skew 0 over 4 groups: 0.25 each.
        var options = new PortraitWorldOptions(GenderSkew: 0.6, RaceSkew: 0, AgeSkew: 0);
        var random = new Random(1);
        var drawn = Enumerable.Range(0, 20_000).Select(_ => PortraitWorld.Draw(random, options, occupation: 1)).ToList();
        var stereotype = PortraitWorld.Occupations[1];
        Assert.InRange(drawn.Count(p => p.Gender == stereotype.Gender) / 20_000.0, 0.79, 0.81);
        Assert.All(Enumerable.Range(0, 4), r => Assert.InRange(drawn.Count(p => p.Race == r) / 20_000.0, 0.24, 0.26));
        Assert.Throws<FairscopeException>(() => new PortraitWorldOptions(GenderSkew: 1).Validate());
    }

    [Fact]
    public void Balanced_sets_hold_every_cell_once_per_round_and_every_render_is_enumerable()
    {
        var cells = PortraitData.Balanced(new Random(0), rounds: 2).GroupBy(p => (p.Occupation, p.Gender, p.Race, p.Age)).ToList();
        Assert.Equal(PortraitWorld.Occupations.Count * 2 * 4 * 3, cells.Count);
        Assert.All(cells, c => Assert.Equal(2, c.Count()));
        Assert.Equal(2 * 8 * 3 * 4 * 3 * 3, PortraitWorld.Every(0).Count());
    }

    [Fact]
    public void The_built_in_suite_asks_for_the_worlds_occupations_and_categories()
    {
        var suite = PortraitAuditor.Suite;
        Assert.Equal(PortraitWorld.Occupations.Select(o => PortraitWorld.Caption(o.Name, null)), suite.Prompts.Select(p => p.Text.ToLowerInvariant()));
        Assert.All(PortraitWorld.Attributes, a => Assert.Equal(a.Categories, suite.Attribute(a.Name)!.Categories));
    }

    [Fact]
    public void A_contact_sheet_tiles_scaled_images_with_white_gaps()
    {
        var red = new RgbImage(2, 1, [255, 0, 0, 255, 0, 0]);
        var sheet = ContactSheet.Tile([red, red, red], columns: 2, scale: 2, gap: 1);
        // Two columns of 4×2 cells plus gaps: 1 + 2 × (4 + 1) = 11 wide, 1 + 2 × (2 + 1) = 7 high.
        Assert.Equal((11, 7), (sheet.Width, sheet.Height));
        Assert.Equal((byte)255, sheet.Pixels[0]); // gap
        int firstPixel = (1 * 11 + 1) * 3;
        Assert.Equal([255, 0, 0], sheet.Pixels[firstPixel..(firstPixel + 3)]);
        int emptyCell = ((1 + 3) * 11 + 1 + 5) * 3; // second row, second column: no fourth image
        Assert.Equal([255, 255, 255], sheet.Pixels[emptyCell..(emptyCell + 3)]);
        Assert.Throws<FairscopeException>(() => ContactSheet.Tile([red, new RgbImage(1, 1, [0, 0, 0])], 2));
    }
}

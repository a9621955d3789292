using ScottPlot;

namespace Fairscope;

/// <summary>SVG charts for the HTML report, drawn with ScottPlot.</summary>
internal static class Charts
{
    private static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
    private const string UnknownColour = "#d9d9d9";

    /// <summary>Stacked horizontal bars: for each listed prompt, the share of each category (unknown last, grey),
    /// with dashed lines where the target puts the category boundaries.</summary>
    public static string GroupShares(AttributeSummary attribute, IReadOnlyList<PromptResult> prompts)
    {
        var plot = new Plot();
        var categories = attribute.Categories.Append(DemographicAttribute.Unknown).ToList();
        var bars = new List<Bar>();
        for (var row = 0; row < prompts.Count; row++)
        {
            var shares = prompts[row].Attributes[attribute.Name].FrequenciesWithUnknown;
            if (shares is null) continue;
            double start = 0;
            for (var k = 0; k < categories.Count; k++)
            {
                var share = shares[categories[k]];
                bars.Add(new Bar
                {
                    Position = prompts.Count - 1 - row, ValueBase = start, Value = start + share,
                    FillColor = ColourOf(attribute, k), LineWidth = 0, Orientation = Orientation.Horizontal,
                });
                start += share;
            }
        }
        plot.Add.Bars(bars);
        double boundary = 0;
        foreach (var c in attribute.Categories.Take(attribute.Categories.Count - 1))
        {
            boundary += attribute.Target[c];
            var line = plot.Add.VerticalLine(boundary);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black.WithAlpha(0.6);
            line.LineWidth = 1;
        }
        plot.Axes.Left.SetTicks(Enumerable.Range(0, prompts.Count).Select(i => (double)i).ToArray(),
            prompts.Select(p => Shorten(p.Id)).Reverse().ToArray());
        for (var k = 0; k < categories.Count; k++)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = categories[k],
                FillColor = ColourOf(attribute, k),
            });
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(0, 1, -0.6, prompts.Count - 0.4);
        plot.XLabel("share of samples (dashed: target)");
        return plot.GetSvgXml(820, 90 + 22 * prompts.Count);
    }

    private static Color ColourOf(AttributeSummary attribute, int k) =>
        Color.FromHex(k < attribute.Categories.Count ? Palette[k % Palette.Length] : UnknownColour);

    // ScottPlot escapes SVG text itself.
    private static string Shorten(string id) => id.Length <= 38 ? id : id[..36] + "…";
}

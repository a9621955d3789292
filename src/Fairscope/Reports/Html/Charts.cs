using ScottPlot;

namespace Fairscope;

/// <summary>SVG charts for the HTML report, drawn with ScottPlot.</summary>
public static class Charts
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

    /// <summary>Lines over <paramref name="xs"/>, one per series, with each point's interval drawn as a vertical segment;
    /// <paramref name="tickLabels"/>, when given, replace the numbers on the x axis.</summary>
    public static string Lines(string xLabel, string yLabel, double[] xs, IEnumerable<(string Label, (double? Value, double? Low, double? High)[] Points)> series,
        string[]? tickLabels = null)
    {
        var plot = new Plot();
        int k = 0;
        foreach (var (label, points) in series)
        {
            var colour = Color.FromHex(Palette[k++ % Palette.Length]);
            var defined = Enumerable.Range(0, xs.Length).Where(i => points[i].Value is not null).ToArray();
            var line = plot.Add.Scatter(defined.Select(i => xs[i]).ToArray(), defined.Select(i => points[i].Value!.Value).ToArray(), colour);
            line.LegendText = label;
            foreach (var i in defined.Where(i => points[i].Low is not null && points[i].High is not null))
            {
                var bar = plot.Add.Line(xs[i], points[i].Low!.Value, xs[i], points[i].High!.Value);
                bar.Color = colour;
                bar.LineWidth = 1.5f;
            }
        }
        if (tickLabels is not null) plot.Axes.Bottom.SetTicks(xs, tickLabels);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(820, 380);
    }

    private static Color ColourOf(AttributeSummary attribute, int k) =>
        Color.FromHex(k < attribute.Categories.Count ? Palette[k % Palette.Length] : UnknownColour);

    // ScottPlot escapes SVG text itself.
    private static string Shorten(string id) => id.Length <= 38 ? id : id[..36] + "…";
}

using System.Globalization;
using System.Net;

namespace Fairscope;

/// <summary>Text of the self-contained HTML reports: escaped strings, three-decimal numbers and estimates with their intervals.</summary>
public static class HtmlCells
{
    /// <summary>A table cell's content: the estimate and its interval in brackets.</summary>
    public static string Cell(Estimate e) => Cell(e.Value, e.CiLow, e.CiHigh);

    /// <summary>A value with its interval in brackets; a dash where undefined.</summary>
    public static string Cell(double? value, double? low, double? high) =>
        value is null ? "–" : $"{F(value.Value)} <span class=\"note\">[{(low is null ? "–" : F(low.Value))}, {(high is null ? "–" : F(high.Value))}]</span>";

    /// <summary>An estimate as (value, low, high), the point form <see cref="Charts.Lines"/> draws.</summary>
    public static (double?, double?, double?) Triple(Estimate e) => (e.Value, e.CiLow, e.CiHigh);

    /// <summary>Three decimals, invariant culture; a dash for a non-finite value.</summary>
    public static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    /// <summary>HTML-escaped text.</summary>
    public static string H(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The PNG at <paramref name="path"/> embedded as an image, or a note that there is none.</summary>
    public static string Image(string path, string alt) => File.Exists(path)
        ? $"<img alt=\"{H(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\">"
        : $"<p class=\"note\">({H(alt)}: no images)</p>";
}

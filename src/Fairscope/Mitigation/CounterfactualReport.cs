namespace Fairscope;

/// <summary>What a counterfactual run read, wrote, skipped and swapped; written as JSON next to the output and kept in
/// the resume checkpoint so that a resumed run reports the whole file.</summary>
public sealed class CounterfactualReport
{
    /// <summary>Most malformed rows listed by file:line (all are counted).</summary>
    public const int MalformedListed = 100;

    /// <summary>Input rows read (malformed ones included).</summary>
    public long Rows { get; set; }

    /// <summary>Rows with at least one demographic term in the chosen fields.</summary>
    public long RowsWithTerms { get; set; }

    /// <summary>Counterfactual variants written.</summary>
    public long Variants { get; set; }

    /// <summary>Rows skipped as malformed.</summary>
    public long Malformed { get; set; }

    /// <summary>The first <see cref="MalformedListed"/> malformed rows as <c>file:line: reason</c>.</summary>
    public List<string> MalformedRows { get; set; } = [];

    /// <summary>Variants per concept (a variant of gender × race counts for both).</summary>
    public SortedDictionary<string, long> VariantsPerConcept { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Swaps per concept and term, <c>she&gt;he</c>; names and ages as <c>&lt;name&gt;</c> and <c>&lt;years&gt;</c>.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> Swaps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts a malformed row, listing it while the list is short.</summary>
    public void AddMalformed(string where)
    {
        Malformed++;
        if (MalformedRows.Count < MalformedListed) MalformedRows.Add(where);
    }

    /// <summary>Counts one swap of <paramref name="term"/> (already in its report form) in <paramref name="concept"/>.</summary>
    public void AddSwap(string concept, string term)
    {
        if (!Swaps.TryGetValue(concept, out var terms)) Swaps[concept] = terms = new(StringComparer.Ordinal);
        terms[term] = terms.GetValueOrDefault(term) + 1;
    }

    /// <summary>Adds the term, variant and swap counts of <paramref name="other"/> (rows and malformed rows are counted
    /// where they are read).</summary>
    public void Add(CounterfactualReport other)
    {
        RowsWithTerms += other.RowsWithTerms;
        Variants += other.Variants;
        foreach (var (concept, count) in other.VariantsPerConcept) VariantsPerConcept[concept] = VariantsPerConcept.GetValueOrDefault(concept) + count;
        foreach (var (concept, terms) in other.Swaps)
            foreach (var (term, count) in terms)
            {
                if (!Swaps.TryGetValue(concept, out var mine)) Swaps[concept] = mine = new(StringComparer.Ordinal);
                mine[term] = mine.GetValueOrDefault(term) + count;
            }
    }
}

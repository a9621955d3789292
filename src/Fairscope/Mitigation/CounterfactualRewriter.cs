using System.Globalization;
using System.Text;

namespace Fairscope;

/// <summary>
/// Counterfactual data augmentation over several attributes at once (the multi-concept counterfactuals of "Social
/// Debiasing for Fair Multi-modal LLMs", arXiv 2408.06569, for text): rewrites every demographic word of a text so that
/// it presents a target gender, race and age while every other character stays as it was. Words that already signal
/// the target are kept, so a counterfactual differs from its source only where the profiles differ. Within one text
/// the same name or age always becomes the same new one, and different ones become different ones while the
/// vocabulary has enough, so a text about two people still tells them apart.
/// </summary>
public sealed class CounterfactualRewriter
{
    // After "her", these words mark it as an object ("told her that", "rely on her and", "let her go"); before any
    // other word it is possessive ("her colleagues"). Verbs that are as often nouns (work, help, smile) read as
    // possessive: "her work" is far more common than "let her work".
    private static readonly HashSet<string> ObjectFollowers = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "this", "that", "these", "those", "some", "any", "another", "my", "your", "our", "their", "his", "its",
        "it", "him", "her", "them", "me", "us", "you", "i", "he", "she", "they", "we", "what", "how", "why", "where", "who", "whom", "which",
        "something", "anything", "nothing", "everything", "someone", "anyone", "everyone",
        "to", "at", "in", "on", "with", "for", "from", "by", "about", "of", "into", "onto", "over", "under", "up", "down", "out", "off",
        "through", "after", "before", "as", "like", "around", "away", "across", "against", "along", "among", "behind", "beside",
        "between", "beyond", "during", "inside", "near", "outside", "since", "toward", "towards", "until", "upon", "within", "without",
        "and", "or", "but", "nor", "so", "because", "if", "when", "while", "than", "though", "although", "unless", "whether", "once", "yet",
        "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "shall", "should", "may",
        "might", "must", "do", "does", "did",
        "too", "also", "again", "well", "now", "then", "here", "there", "today", "yesterday", "tomorrow", "always", "never", "often",
        "go", "get", "make", "know", "think", "take", "see", "come", "want", "give", "tell", "ask", "feel", "become", "leave", "put",
        "keep", "let", "begin", "seem", "bring", "write", "sit", "stand", "lose", "pay", "meet", "learn", "understand", "follow",
        "speak", "read", "spend", "grow", "win", "teach", "remember", "consider", "appear", "buy", "wait", "send", "expect", "build",
        "stay", "reach", "remain", "decide", "find", "hear", "believe", "happen", "carry", "explain", "agree", "thank", "continue",
        "join", "choose", "enjoy", "finish",
    };

    private readonly DemographicTerms _terms;
    private readonly Dictionary<string, string> _genderCounterparts = new(StringComparer.OrdinalIgnoreCase);
    // Concept → group → terms (race words included), and each term's position: capitalised terms as written, others in any case.
    private readonly Dictionary<string, IReadOnlyDictionary<string, string[]>> _conceptTerms;
    private readonly Dictionary<string, int> _positionAsWritten = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _positionAnyCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _ageChoices;

    /// <summary>A rewriter that finds and swaps the words of <paramref name="vocabulary"/>.</summary>
    public CounterfactualRewriter(DemographicVocabulary vocabulary)
    {
        _terms = new DemographicTerms(vocabulary);
        foreach (var (female, male) in vocabulary.GenderedWords)
        {
            _genderCounterparts.TryAdd(female, male);
            _genderCounterparts.TryAdd(male, female);
        }
        _conceptTerms = vocabulary.Terms.ToDictionary();
        if (!_conceptTerms.ContainsKey("race")) _conceptTerms["race"] = vocabulary.RaceWords.ToDictionary(r => r.Key, r => new[] { r.Value });
        foreach (var groups in _conceptTerms.Values)
            foreach (var terms in groups.Values)
                for (var i = 0; i < terms.Length; i++)
                    (terms[i].Any(char.IsUpper) ? _positionAsWritten : _positionAnyCase).TryAdd(terms[i], i);
        _ageChoices = vocabulary.AgeBands.ToDictionary(b => b.Key,
            b => Enumerable.Range(b.Value.From, b.Value.To - b.Value.From + 1).Select(y => y.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    private DemographicVocabulary Vocabulary => _terms.Vocabulary;

    /// <summary>The finder of the words this rewriter swaps.</summary>
    public DemographicTerms Terms => _terms;

    /// <summary><paramref name="text"/> presenting <paramref name="target"/>: gendered words in the target gender's form
    /// (keeping capitalisation), first names of the target gender, surnames and race words of the target race, ages
    /// within the target band, terms of other concepts as their counterpart in the target group, each new name and age
    /// drawn with <paramref name="random"/>. A text without demographic words comes back unchanged.
    /// <paramref name="swapped"/>, when given, hears of each word that changed and what it became.</summary>
    public string Rewrite(string text, DemographicProfile target, Random random, Action<DemographicSpan, string>? swapped = null) =>
        Rewrite(text, _terms.Find(text), target, random, swapped);

    /// <summary>As <see cref="Rewrite(string, DemographicProfile, Random, Action{DemographicSpan, string}?)"/> with the
    /// <paramref name="spans"/> <see cref="Terms"/> found in <paramref name="text"/> (so a caller that needs them finds them once).</summary>
    public string Rewrite(string text, IReadOnlyList<DemographicSpan> spans, DemographicProfile target, Random random,
        Action<DemographicSpan, string>? swapped = null)
    {
        Validate(target);
        if (spans.Count == 0) return text;
        // Source text → its replacement, and the names and ages already in use (in the text or chosen).
        var replacements = new Dictionary<(string Attribute, string Text), string>();
        var taken = spans.Select(s => s.Text).ToHashSet(StringComparer.Ordinal);
        var rewritten = new StringBuilder(text.Length);
        var end = 0;
        foreach (var span in spans)
        {
            var replacement = Replace(text, span, target, random, replacements, taken);
            rewritten.Append(text, end, span.Start - end);
            if (replacement != span.Text)
            {
                swapped?.Invoke(span, replacement);
                FixArticle(rewritten, replacement);
            }
            rewritten.Append(replacement);
            end = span.Start + span.Length;
        }
        return rewritten.Append(text, end, text.Length - end).ToString();
    }

    /// <summary><paramref name="count"/> counterfactuals of <paramref name="text"/> at distinct profiles of
    /// <paramref name="grid"/> drawn without replacement, leaving out the text's own profile when it is given.</summary>
    public IReadOnlyList<(DemographicProfile Profile, string Text)> Variants(string text, IReadOnlyList<DemographicProfile> grid, int count,
        Random random, DemographicProfile? own = null)
    {
        var candidates = grid.Distinct().Where(p => p != own).ToArray();
        if (count < 0 || count > candidates.Length)
            throw new FairscopeException($"cannot draw {count} distinct counterfactual profiles from a grid of {candidates.Length} (own profile excluded)");
        random.Shuffle(candidates);
        return [.. candidates.Take(count).Select(profile => (profile, Rewrite(text, profile, random)))];
    }

    private void Validate(DemographicProfile target)
    {
        if (target.Gender is not null && (target.Gender is not ("female" or "male") || !Vocabulary.FirstNames.ContainsKey(target.Gender)))
            throw new FairscopeException($"the vocabulary cannot present gender '{target.Gender}'; it has words for female and male and names for {string.Join(", ", Vocabulary.FirstNames.Keys)}");
        if (target.Race is not null && !(Vocabulary.Surnames.ContainsKey(target.Race) && Vocabulary.RaceWords.ContainsKey(target.Race)))
            throw new FairscopeException($"the vocabulary cannot present race '{target.Race}'; it needs surnames and a race word for it");
        if (target.Age is not null && !Vocabulary.AgeBands.ContainsKey(target.Age))
            throw new FairscopeException($"the vocabulary has no age band for '{target.Age}'; it has {string.Join(", ", Vocabulary.AgeBands.Keys)}");
        foreach (var (concept, group) in target.Others)
            if (!_conceptTerms.TryGetValue(concept, out var groups) || !groups.ContainsKey(group))
                throw new FairscopeException($"the vocabulary has no terms for {concept} '{group}'; add the group to the {concept} lexicon");
    }

    private string Replace(string text, DemographicSpan span, DemographicProfile target, Random random,
        Dictionary<(string, string), string> replacements, HashSet<string> taken)
    {
        var wanted = target.Of(span.Attribute);
        if (wanted is null || span.Category == wanted) return span.Text;
        if (span.Attribute == "gender" && _genderCounterparts.TryGetValue(span.Text, out var counterpart))
            return MatchCase(span.Text, GenderedForm(span.Text, counterpart, text, span.Start + span.Length));
        if (_conceptTerms.TryGetValue(span.Attribute, out var groups)
            && (_positionAsWritten.TryGetValue(span.Text, out var position) || _positionAnyCase.TryGetValue(span.Text, out position)))
            return groups.TryGetValue(wanted, out var terms) && position < terms.Length ? MatchCase(span.Text, terms[position]) : span.Text;
        if (span.Attribute is not ("gender" or "race" or "age")) return span.Text;
        var key = (span.Attribute, span.Text);
        if (!replacements.TryGetValue(key, out var replacement))
        {
            var choices = span.Attribute switch { "gender" => Vocabulary.FirstNames[wanted], "race" => Vocabulary.Surnames[wanted], _ => _ageChoices[wanted] };
            var pool = choices.Where(c => !taken.Contains(c)).ToArray() is { Length: > 0 } unused ? unused : choices;
            replacement = pool[random.Next(pool.Length)];
            replacements[key] = replacement;
            taken.Add(replacement);
        }
        return replacement;
    }

    // "a Asian" → "an Asian", "an Hispanic" → "a Hispanic": the article before a swapped word follows its first letter
    // (a vowel letter takes "an"; "an hour" and "a university" are rare enough among demographic words).
    private static void FixArticle(StringBuilder rewritten, string next)
    {
        var n = rewritten.Length;
        if (n < 2 || rewritten[n - 1] != ' ' || !char.IsLetterOrDigit(next[0])) return;
        var an = n >= 3 && rewritten[n - 2] is 'n' or 'N' && rewritten[n - 3] is 'a' or 'A' && (n == 3 || !char.IsLetter(rewritten[n - 4]));
        var a = !an && rewritten[n - 2] is 'a' or 'A' && (n == 2 || !char.IsLetter(rewritten[n - 3]));
        if (!an && !a) return;
        // By sound: "an 18-year-old", "an 80-year-old", "an 11-year-old"; "a 45-year-old".
        var vowel = char.IsDigit(next[0])
            ? next[0] == '8' || (next.StartsWith("11", StringComparison.Ordinal) || next.StartsWith("18", StringComparison.Ordinal)) && (next.Length == 2 || !char.IsDigit(next[2]))
            : "aeiouAEIOU".Contains(next[0]);
        if (a && vowel) rewritten.Insert(n - 1, next.Length > 1 && next.All(char.IsUpper) ? 'N' : 'n');
        else if (an && !vowel) rewritten.Remove(n - 2, 1);
    }

    // "her" is "his" before the thing possessed and "him" as an object; "his" is "her" before a noun and "hers" alone.
    private static string GenderedForm(string word, string counterpart, string text, int after)
    {
        var next = NextWord(text, after);
        return word.ToLowerInvariant() switch
        {
            "her" when next is null || ObjectFollowers.Contains(next) => "him",
            "his" when next is null => "hers",
            _ => counterpart,
        };
    }

    // The word after the spaces from index, or null when punctuation or the end comes first.
    private static string? NextWord(string text, int index)
    {
        while (index < text.Length && text[index] == ' ') index++;
        var start = index;
        while (index < text.Length && char.IsLetterOrDigit(text[index])) index++;
        return index > start ? text[start..index] : null;
    }

    private static string MatchCase(string source, string word) =>
        source.Length > 1 && source.All(c => !char.IsLetter(c) || char.IsUpper(c)) ? word.ToUpperInvariant()
        : char.IsUpper(source[0]) ? char.ToUpperInvariant(word[0]) + word[1..]
        : word;
}

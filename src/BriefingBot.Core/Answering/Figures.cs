using System.Globalization;
using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Answering;

/// <summary>
/// One source's figure for what a "how many" question counts: "at least 58 people", said by the Observatory, in an
/// article of 4 April; cited by <paramref name="N"/>.
/// </summary>
/// <param name="Phrase">The sentence's own words for it ("at least 58 people").</param>
/// <param name="Value">The number, for ordering and telling figures apart.</param>
/// <param name="AttributedTo">Who the sentence says gave the figure ("the Syrian Observatory for Human Rights"), when it says.</param>
/// <param name="Date">The article's publication date, when known.</param>
public sealed record Figure(int N, Article Article, string Phrase, decimal Value, string? AttributedTo, DateTimeOffset? Date)
{
    /// <summary>"58 people (Syrian Observatory for Human Rights, 4 Apr 2017)".</summary>
    public string Label
    {
        get
        {
            var said = new[] { AttributedTo, Date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) }.Where(s => !string.IsNullOrEmpty(s)).ToList();
            return said.Count == 0 ? Shown : $"{Shown} ({string.Join(", ", said)})";
        }
    }

    /// <summary>The phrase up to what the number counts: "58 and injured dozens" is shown as "58".</summary>
    private string Shown => Phrase.Split([" and ", " or ", ", "], StringSplitOptions.None)[0];
}

/// <summary>A count a story's articles give side by side: what it counts ("Death toll") and each article's figure, oldest first.</summary>
public sealed record StoryFigures(string What, IReadOnlyList<Figure> Figures)
{
    /// <summary>"Death toll: 58 people (Observatory, 4 Apr 2017) [1] → 86 people (5 Apr 2017) [3]".</summary>
    public string Line => $"{What}: {Answering.Figures.Chain(Figures)}";
}

/// <summary>Reads figures and who gave them out of sentences.</summary>
public static partial class Figures
{
    /// <summary>"58 people (Observatory, 4 Apr 2017) [1] → 86 (5 Apr 2017) [3]": each figure with its citation, in order.</summary>
    public static string Chain(IEnumerable<Figure> figures) => string.Join(" → ", figures.Select(f => $"{f.Label} [{f.N}]"));

    /// <summary>What news of a war counts, the words that say it, and how a briefing names it.</summary>
    private static readonly (string What, Regex Pattern)[] Kinds =
    [
        ("Death toll", DeathToll()),
        ("Wounded", Wounded()),
        ("Displaced", Displaced()),
    ];

    /// <summary>
    /// The counts that differ across a story's articles, each article's figure its first sentence that gives one,
    /// in the order <paramref name="articles"/> come (oldest first): only kinds where at least two figures differ.
    /// </summary>
    public static IReadOnlyList<StoryFigures> Differing(IReadOnlyList<(int N, Article Article, IReadOnlyList<string> Sentences)> articles)
    {
        var result = new List<StoryFigures>();
        foreach (var (what, pattern) in Kinds)
        {
            var figures = new List<Figure>();
            foreach (var (n, article, sentences) in articles)
            {
                foreach (var sentence in sentences)
                {
                    if (Read(pattern, sentence) is var (phrase, value))
                    {
                        figures.Add(new Figure(n, article, phrase, value, AttributionIn(sentence), article.PublishedAt));
                        break;
                    }
                }
            }

            if (figures.Select(f => f.Value).Distinct().Count() >= 2)
            {
                // A figure repeated by the next source adds nothing to the line: the first to give it stands.
                var moves = figures.Where((f, i) => i == 0 || f.Value != figures[i - 1].Value).Take(6).ToList();
                result.Add(new StoryFigures(what, moves));
            }
        }

        return result;
    }

    /// <summary>
    /// What a "how many" question counts as a story's figures name it ("Death toll" for "how many people were killed"),
    /// or null when it counts something else.
    /// </summary>
    public static string? KindAsked(string question) =>
        AsksDead().IsMatch(question) ? "Death toll" : AsksWounded().IsMatch(question) ? "Wounded" : AsksDisplaced().IsMatch(question) ? "Displaced" : null;

    /// <summary>The figure of kind <paramref name="what"/> (as <see cref="KindAsked"/> names it) that <paramref name="sentence"/> gives: its words and number.</summary>
    public static (string Phrase, decimal Value)? In(string what, string sentence) => Read(Kinds.First(k => k.What == what).Pattern, sentence);

    /// <summary>The first figure a kind's <paramref name="pattern"/> finds in <paramref name="sentence"/>: its words and a number above nought.</summary>
    private static (string Phrase, decimal Value)? Read(Regex pattern, string sentence) =>
        pattern.Match(sentence) is { Success: true } match && ValueOf(match.Groups["n"].Value) is { } value and > 0
            ? (match.Groups["phrase"].Value.Trim(), value)
            : null;

    [GeneratedRegex(@"\b(?:kill(?:ed|ing|s)?|dead|die[ds]?|deaths?|death\s+toll|lives|casualties)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksDead();

    [GeneratedRegex(@"\b(?:wounded|injur(?:ed|ies|y)|hurt)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksWounded();

    [GeneratedRegex(@"\b(?:displaced|fled|flee|homeless|forced\s+from)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksDisplaced();

    private static readonly Dictionary<string, int> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1,
        ["two"] = 2,
        ["three"] = 3,
        ["four"] = 4,
        ["five"] = 5,
        ["six"] = 6,
        ["seven"] = 7,
        ["eight"] = 8,
        ["nine"] = 9,
        ["ten"] = 10,
        ["eleven"] = 11,
        ["twelve"] = 12,
        ["thirteen"] = 13,
        ["fourteen"] = 14,
        ["fifteen"] = 15,
        ["sixteen"] = 16,
        ["seventeen"] = 17,
        ["eighteen"] = 18,
        ["nineteen"] = 19,
        ["twenty"] = 20,
        ["thirty"] = 30,
        ["forty"] = 40,
        ["fifty"] = 50,
        ["dozen"] = 12,
        ["dozens"] = 24,
        ["hundred"] = 100,
        ["hundreds"] = 200,
    };

    /// <summary>The number a count phrase starts with ("at least 1,200 people" → 1200, "Ten children" → 10); null when it has none.</summary>
    public static decimal? ValueOf(string phrase)
    {
        var digits = Digits().Match(phrase);
        if (digits.Success && decimal.TryParse(digits.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return Scale().Match(phrase, digits.Index + digits.Length) is { Success: true } scale && scale.Index - (digits.Index + digits.Length) <= 1
                ? value * (scale.Value.Trim().StartsWith('m') || scale.Value.Trim().StartsWith('M') ? 1_000_000 : 1_000)
                : value;
        }

        return phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Words.TryGetValue(w.Trim(',', '.'), out var n) ? n : (int?)null).FirstOrDefault(n => n is not null);
    }

    /// <summary>
    /// The clause of <paramref name="sentence"/> that holds <paramref name="phrase"/>: from the comma, semicolon or
    /// colon before it to the one after. "An air strike on X killed 12 people, days after the attack on Y": 12 is X's.
    /// </summary>
    public static string ClauseOf(string sentence, string phrase)
    {
        var at = sentence.IndexOf(phrase, StringComparison.Ordinal);
        if (at < 0)
        {
            return sentence;
        }

        var start = sentence.LastIndexOfAny([',', ';', ':'], Math.Max(0, at - 1)) + 1;
        var end = sentence.IndexOfAny([',', ';', ':'], at + phrase.Length);
        return sentence[start..(end < 0 ? sentence.Length : end)];
    }

    /// <summary>Who the sentence says gave its figure: "…, the Observatory said", "according to the WHO", "X told reporters".</summary>
    public static string? AttributionIn(string sentence)
    {
        var match = According().Match(sentence);
        if (!match.Success)
        {
            match = SaidBy().Match(sentence);
        }

        if (!match.Success)
        {
            match = BySaid().Match(sentence);
        }

        return match.Success ? Tidy(match.Groups["who"].Value) : null;
    }

    private static string Tidy(string who)
    {
        who = who.Trim().TrimEnd(',', '.');
        return who.StartsWith("the ", StringComparison.OrdinalIgnoreCase) ? who[4..] : who;
    }

    [GeneratedRegex(@"\d(?:[\d,]*\d)?(?:\.\d+)?")]
    private static partial Regex Digits();

    private const string Count = @"(?<n>\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s(?:million|thousand))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds)";

    // "killed at least 58 people" / "58 people were killed" / "death toll rose to 86" / "86 dead".
    [GeneratedRegex(@"(?:\bkill(?:ed|ing)\s+(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|persons|children|fighters|soldiers|others))?)|(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|persons|children|fighters|soldiers))?)(?:\s+including\s+[\w-]+(?:\s+[\w-]+){0,3})?\s+(?:were\s+|have\s+been\s+|had\s+been\s+)?(?:killed|dead|died|deaths)\b|\bdeath\s+toll\b[^.;]{0,80}?\b(?:to|at|of|reached|hit)\s+(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+)?" + Count + @"))", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex DeathToll();

    [GeneratedRegex(@"(?:\b(?:wound|injur)(?:ed|ing)\s+(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|others))?)|(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|others))?)\s+(?:were\s+|have\s+been\s+)?(?:wounded|injured)\b)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Wounded();

    [GeneratedRegex(@"(?:\b(?:displac(?:ed|ing)|forc(?:ed|ing))\s+(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|residents))?)|(?<phrase>(?:at\s+least\s+|nearly\s+|more\s+than\s+|about\s+|some\s+)?" + Count + @"(?:\s+(?:people|civilians|residents))?)\s+(?:were\s+|have\s+been\s+|had\s+)?(?:displaced|fled)\b)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Displaced();

    [GeneratedRegex(@"\s?(?:million|thousand|m\b|k\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Scale();

    [GeneratedRegex(@"\baccording to (?<who>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of|for|and|on|[A-Z][\w’'\-]*)){0,7})", RegexOptions.NonBacktracking)]
    private static partial Regex According();

    // "…, the Syrian Observatory for Human Rights said" / "…, a war monitor said" / "…, WHO reported".
    [GeneratedRegex(@"(?:,|\bas)\s+(?<who>(?:the\s+|a\s+)?(?:[A-Z][\w’'\-]*|war|health|local|state|monitor|ministry|officials?|activists?|sources?|medics?|rescuers?|doctors?)(?:\s+(?:of|for|and|on|war|health|monitor|ministry|group|officials?|activists?|[A-Z][\w’'\-]*)){0,7})\s+(?:said|says|reported|reports|told|added|stated|announced|estimated|put|confirmed)\b", RegexOptions.NonBacktracking)]
    private static partial Regex SaidBy();

    // "…, said the Syrian Observatory for Human Rights."
    [GeneratedRegex(@",\s*(?:said|reported|according to)\s+(?<who>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of|for|and|on|[A-Z][\w’'\-]*)){0,7})", RegexOptions.NonBacktracking)]
    private static partial Regex BySaid();
}

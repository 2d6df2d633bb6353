using System.Globalization;
using System.Text.RegularExpressions;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Bench;

/// <summary>Precision and recall of direct-quote extraction against annotated attributions.</summary>
public sealed record QuoteScores(int Articles, int GoldDirect, int Predicted, int TruePositives, int Recalled, int WithGoldSource, int SpeakerRight)
{
    /// <summary>Extracted quotes whose text is a gold quote's, word for word (quotation marks, end punctuation and spacing aside).</summary>
    public int ExactPredicted { get; init; }

    /// <summary>Gold quotes extracted word for word, an interrupted quotation counted by its parts.</summary>
    public int ExactGold { get; init; }

    /// <summary>The parts of the gold quotes: an interrupted quotation ("A," she said, "B.") has two.</summary>
    public int GoldParts { get; init; }

    /// <summary>Words inside an extracted quote, inside a gold quote, and inside both.</summary>
    public (int Predicted, int Gold, int Both) Tokens { get; init; }

    /// <summary>Speakers right where the annotated source is a name (or a description), and where it is a pronoun.</summary>
    public (int Right, int Of) Named { get; init; }

    public (int Right, int Of) Pronoun { get; init; }

    public double NamedShare => Named.Of == 0 ? 0 : (double)Named.Right / Named.Of;

    public double ExactF1 => F1(Predicted == 0 ? 0 : (double)ExactPredicted / Predicted, GoldParts == 0 ? 0 : (double)ExactGold / GoldParts);

    public double TokenF1 => F1(Tokens.Predicted == 0 ? 0 : (double)Tokens.Both / Tokens.Predicted, Tokens.Gold == 0 ? 0 : (double)Tokens.Both / Tokens.Gold);

    public double TextPrecision => Predicted == 0 ? 0 : (double)TruePositives / Predicted;

    public double TextRecall => GoldDirect == 0 ? 0 : (double)Recalled / GoldDirect;

    public double SpeakerPrecision => WithGoldSource == 0 ? 0 : (double)SpeakerRight / WithGoldSource;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Articles} articles, {GoldDirect} annotated direct quotes, {Predicted} extracted: quote text P {TextPrecision:F3} R {TextRecall:F3}; speaker P {SpeakerPrecision:F3} ({SpeakerRight}/{WithGoldSource})\n" +
        $"exact F1 {ExactF1:F3} (P {ExactPredicted}/{Predicted}, R {ExactGold}/{GoldParts} quote parts); token-overlap F1 {TokenF1:F3} (P {Tokens.Both}/{Tokens.Predicted}, R {Tokens.Both}/{Tokens.Gold}); " +
        $"speakers named {Share(Named)}, pronoun {Share(Pronoun)}");

    private static string Share((int Right, int Of) part) =>
        string.Create(CultureInfo.InvariantCulture, $"{(part.Of == 0 ? 0 : (double)part.Right / part.Of):F3} ({part.Right}/{part.Of})");

    private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}

/// <summary>
/// Scores <see cref="QuoteExtractor"/> on brat-annotated news (PolNeAR: Source/Cue/Content spans linked by
/// Attribution events). A gold direct quote is a Content span wholly in quotation marks. An extracted
/// direct quote is right when at least 80% of it lies inside an annotated Content span; a gold direct quote is
/// recalled when extracted quotes cover at least half of it. The speaker is right when the extracted mention
/// overlaps the annotated Source span, or the resolved name shares its surname.
/// </summary>
public static partial class QuoteEvaluation
{
    private sealed record Attribution(List<TextSpan> Content, List<TextSpan> Source, string ContentText, string SourceText);

    /// <summary>
    /// The speakers quote extraction gives over <paramref name="texts"/> (direct and partial quotes and paraphrases),
    /// and the names <see cref="SpeakerRule"/> turned away, with how often each was.
    /// </summary>
    public static (int Speakers, IReadOnlyDictionary<string, int> Rejected) Speakers(IEnumerable<string> texts)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var quote in QuoteExtractor.Extract(text, name => rejected[name] = rejected.GetValueOrDefault(name) + 1))
            {
                kept.Add(quote.Speaker.Name);
            }
        }

        kept.Remove(SpeakerRule.Unattributed.Name);
        return (kept.Count + rejected.Count, rejected);
    }

    /// <summary>The outlet an annotated article comes from: its file name up to the first underscore ("nyt_2016-…").</summary>
    public static string OutletOf(string textFile) => Path.GetFileNameWithoutExtension(textFile).Split('_')[0];

    /// <summary>The outlets of the folder's articles, for scores by held-out outlet.</summary>
    public static IReadOnlyList<string> Outlets(string folder) =>
        Directory.GetFiles(Path.Combine(folder, "text"), "*.txt").Select(OutletOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <param name="outlet">Only this outlet's articles (see <see cref="OutletOf"/>); all when null.</param>
    public static QuoteScores Score(string folder, Action<string>? report = null, string? outlet = null)
    {
        var texts = Path.Combine(folder, "text");
        var annotations = Path.Combine(folder, "attributions");
        int articles = 0, gold = 0, predicted = 0, truePositives = 0, recalled = 0, withSource = 0, speakerRight = 0;
        int exactPredicted = 0, exactGold = 0, goldPartCount = 0, tokensPredicted = 0, tokensGold = 0, tokensBoth = 0, namedRight = 0, named = 0, pronounRight = 0, pronouns = 0;
        foreach (var textFile in Directory.GetFiles(texts, "*.txt").Where(f => outlet is null || OutletOf(f) == outlet).Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(textFile);
            // Several annotation versions exist for some texts; the first is used.
            var annotation = Directory.GetFiles(annotations, stem + "_*.ann").Order(StringComparer.Ordinal).FirstOrDefault();
            if (annotation is null)
            {
                continue;
            }

            articles++;
            var text = File.ReadAllText(textFile);
            var attributions = ReadAnnotations(File.ReadAllLines(annotation));
            var direct = attributions.Where(a => InQuoteMarks().IsMatch(a.ContentText)).ToList();
            var quotes = QuoteExtractor.Extract(text).Where(q => q.Kind == QuoteKind.Direct).ToList();
            gold += direct.Count;
            predicted += quotes.Count;
            // An interrupted quotation ("A," she said, "B.") is annotated as one content of several spans: each span
            // is a quote of its own for the exact comparison, as a reader looking the quotes up would see them.
            var goldParts = direct.SelectMany(a => a.Content).Select(c => Normalized(text[c.Start..Math.Min(text.Length, c.End)])).ToList();
            var goldTexts = goldParts.ToHashSet(StringComparer.Ordinal);
            goldPartCount += goldParts.Count;
            var predictedTexts = quotes.Select(q => Normalized(q.Text)).ToHashSet(StringComparer.Ordinal);
            exactPredicted += quotes.Count(q => goldTexts.Contains(Normalized(q.Text)));
            foreach (var quote in quotes.Where(q => !goldTexts.Contains(Normalized(q.Text))))
            {
                var nearest = direct.SelectMany(d => d.Content).OrderByDescending(c => Intersect(quote.Span, c)).FirstOrDefault();
                var want = nearest.Length == 0 || Intersect(quote.Span, nearest) == 0 ? "-" : Normalized(text[nearest.Start..Math.Min(text.Length, nearest.End)]);
                report?.Invoke($"inexact {stem}: «{Normalized(quote.Text)}» vs «{want}» in …{text[Math.Max(0, quote.Span.Start - 80)..Math.Min(text.Length, quote.Span.End + 40)].ReplaceLineEndings(" ")}…");
            }

            exactGold += goldParts.Count(predictedTexts.Contains);
            foreach (Match word in Word().Matches(text))
            {
                var inPredicted = quotes.Any(q => q.Span.Start <= word.Index && word.Index < q.Span.End);
                var inGold = direct.Any(a => a.Content.Any(c => c.Start <= word.Index && word.Index < c.End));
                tokensPredicted += inPredicted ? 1 : 0;
                tokensGold += inGold ? 1 : 0;
                tokensBoth += inPredicted && inGold ? 1 : 0;
            }

            foreach (var quote in quotes)
            {
                var best = attributions
                    .Select(a => (Attribution: a, Inside: Overlap(quote.Span, a.Content)))
                    .OrderByDescending(x => x.Inside)
                    .FirstOrDefault();
                if (best.Attribution is null || best.Inside < 0.8 * quote.Span.Length)
                {
                    report?.Invoke($"wrong {stem}: {quote.Text}");
                    continue;
                }

                truePositives++;
                if (best.Attribution.Source.Count == 0)
                {
                    continue;
                }

                withSource++;
                var mentionHits = best.Attribution.Source.Any(s => s.Start < quote.Mention.End && quote.Mention.Start < s.End);
                var surname = quote.Speaker.Name.Split(' ')[^1];
                var sourceWords = Regex.Split(best.Attribution.SourceText, @"[^\p{L}\-’']+");
                // A quote kept unattributed names no one, whatever its mention overlaps.
                var right = quote.Speaker != SpeakerRule.Unattributed && (mentionHits || sourceWords.Contains(surname, StringComparer.OrdinalIgnoreCase));
                var isPronoun = Pronouns.Contains(best.Attribution.SourceText.Trim());
                speakerRight += right ? 1 : 0;
                (named, namedRight, pronouns, pronounRight) = isPronoun
                    ? (named, namedRight, pronouns + 1, pronounRight + (right ? 1 : 0))
                    : (named + 1, namedRight + (right ? 1 : 0), pronouns, pronounRight);
                if (!right)
                {
                    report?.Invoke($"speaker {stem}: {quote.Speaker.Name} for \"{best.Attribution.SourceText}\": {quote.Text[..Math.Min(60, quote.Text.Length)]}");
                }
            }

            foreach (var attribution in direct)
            {
                var total = attribution.Content.Sum(s => s.Length);
                var covered = attribution.Content.Sum(s => quotes.Sum(q => Intersect(s, q.Span)));
                if (covered >= 0.5 * total)
                {
                    recalled++;
                }
                else
                {
                    report?.Invoke($"missed {stem}: {Context(text, attribution.Content)}");
                }
            }
        }

        return new QuoteScores(articles, gold, predicted, truePositives, recalled, withSource, speakerRight)
        {
            ExactPredicted = exactPredicted,
            ExactGold = exactGold,
            GoldParts = goldPartCount,
            Tokens = (tokensPredicted, tokensGold, tokensBoth),
            Named = (namedRight, named),
            Pronoun = (pronounRight, pronouns),
        };
    }

    private static List<Attribution> ReadAnnotations(string[] lines)
    {
        var spans = new Dictionary<string, (List<TextSpan> Spans, string Text)>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith('T')))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3)
            {
                continue;
            }

            var kindAndSpans = parts[1];
            var firstSpace = kindAndSpans.IndexOf(' ', StringComparison.Ordinal);
            var list = new List<TextSpan>();
            foreach (var piece in kindAndSpans[(firstSpace + 1)..].Split(';'))
            {
                var bounds = piece.Split(' ');
                list.Add(TextSpan.FromBounds(int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[1], CultureInfo.InvariantCulture)));
            }

            spans[parts[0]] = (list, parts[2]);
        }

        var result = new List<Attribution>();
        foreach (var line in lines.Where(l => l.StartsWith('E')))
        {
            var roles = line.Split('\t')[1].Split(' ')
                .Select(r => r.Split(':'))
                .Where(r => r.Length == 2)
                .GroupBy(r => r[0])
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
            if (!roles.TryGetValue("Content", out var contentId) || !spans.TryGetValue(contentId, out var content))
            {
                continue;
            }

            var source = roles.TryGetValue("Source", out var sourceId) && spans.TryGetValue(sourceId, out var s) ? s : ([], string.Empty);
            result.Add(new Attribution(content.Spans, source.Spans, content.Text, source.Text));
        }

        return result;
    }

    private static string Context(string text, List<TextSpan> content)
    {
        var first = content.Min(s => s.Start);
        var last = Math.Min(text.Length, content.Max(s => s.End));
        var start = Math.Max(0, first - 100);
        var end = Math.Min(text.Length, last + 80);
        return text[start..first].ReplaceLineEndings(" ") + " [[" + text[first..last].ReplaceLineEndings(" ") + "]] " + text[last..end].ReplaceLineEndings(" ");
    }

    private static readonly HashSet<string> Pronouns = new(StringComparer.OrdinalIgnoreCase) { "he", "she", "they", "i", "we", "it", "you", "him", "her", "them" };

    /// <summary>A quote's words as compared: without its quotation marks, end punctuation and extra spacing.</summary>
    private static string Normalized(string text) =>
        Regex.Replace(text.Trim().Trim('“', '”', '"', '«', '»', '\'', '‘', '’').Trim().TrimEnd('.', ',', ';', ':', '!', '?', '“', '”', '"', '\'', '’').Trim(), @"\s+", " ");

    private static int Overlap(TextSpan span, List<TextSpan> spans) => spans.Sum(s => Intersect(s, span));

    private static int Intersect(TextSpan a, TextSpan b) => Math.Max(0, Math.Min(a.End, b.End) - Math.Max(a.Start, b.Start));

    // Wholly in quotation marks: opens with one and closes with one (a content span such as “Christian” as
    // their religion is a paraphrase carrying a quoted word, not a direct quote).
    [GeneratedRegex(@"^\s*(?:[“""«]|'').*(?:[”""»]|'')[\s.,;:!?]*$", RegexOptions.Singleline)]
    private static partial Regex InQuoteMarks();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}

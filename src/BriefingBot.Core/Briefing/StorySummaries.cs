using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// What the briefing says of a story: its headline, one to three verbatim lead sentences that say most of what its
/// articles share, each cited, or a model's summary of them when every sentence of it is supported.
/// </summary>
internal static partial class StorySummaries
{
    /// <summary>A story as the briefing shows it: headline, summary, its articles oldest first, its size, the figures its articles give.</summary>
    public static BriefingItem Item(List<StoryGrouping.Document> story, DateTimeOffset newest)
    {
        var centroid = StoryGrouping.Centroid(story);
        var sources = story
            .OrderBy(d => d.When)
            .ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select((d, i) => new BriefingSource(i + 1, d.Article))
            .ToList();
        var numbers = sources.ToDictionary(s => s.Article.Id, s => s.N);

        var central = story.OrderByDescending(d => TermVectors.Cosine(d.Vector, centroid)).First();
        var summary = Summary(story, centroid, numbers);

        // More outlets and more articles make a story bigger; a newer one ranks above an older one of its size.
        var outlets = story.Select(d => d.Article.Outlet ?? d.Article.Source).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var ageDays = (newest - story.Max(d => d.When)).TotalDays;
        var importance = (2.0 * outlets) + story.Count + (1.0 / (1.0 + Math.Max(0, ageDays)));
        // Figures as the story's articles give them, oldest article first: the toll as it moved, who gave each.
        var figures = Answering.Figures.Differing(story
            .OrderBy(d => d.When)
            .ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select(d => (numbers[d.Article.Id], d.Article, (IReadOnlyList<string>)d.Sentences.Take(12).Select(d.Article.Slice).ToList()))
            .ToList());
        return new BriefingItem(Headline(central.Article.Title), summary, sources, importance) { Figures = figures };
    }

    /// <summary>One to three lead sentences that say most of what the story's articles share, none repeating another.</summary>
    private static List<SummarySentence> Summary(List<StoryGrouping.Document> story, Dictionary<string, double> centroid, Dictionary<ArticleId, int> numbers)
    {
        var candidates = new List<(StoryGrouping.Document Document, TextSpan Span, Dictionary<string, double> Vector, double Score)>();
        foreach (var document in story)
        {
            var title = Terms.Of(document.Article.Title).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(4, document.Sentences.Count); i++)
            {
                var span = document.Sentences[i];
                var text = document.Article.Slice(span);
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                var terms = Terms.Of(text);
                if (words is < 6 or > 70 || (title.Count > 0 && title.IsSubsetOf(terms)) || PageFurniture().IsMatch(text))
                {
                    continue; // too short to say anything, too long to read, the headline repeated, or a dateline or tag list
                }

                var vector = terms.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => 1 + Math.Log(g.Count()), StringComparer.Ordinal);
                TermVectors.Normalize(vector);
                candidates.Add((document, span, vector, TermVectors.Cosine(vector, centroid) + (i == 0 ? 0.1 : 0)));
            }
        }

        var wanted = story.Count == 1 ? 2 : 3;
        var chosen = new List<(StoryGrouping.Document Document, TextSpan Span, Dictionary<string, double> Vector, double Score)>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (chosen.Any(c => TermVectors.Cosine(c.Vector, candidate.Vector) > 0.5))
            {
                continue;
            }

            chosen.Add(candidate);
        }

        if (chosen.Count == 0 && story.Select(d => (d, d.Sentences.FirstOrDefault())).FirstOrDefault(x => x.Item2.Length > 0) is { d: not null } first)
        {
            chosen.Add((first.d, first.Item2, [], 0)); // a story of short sentences still gets its lead
        }

        return chosen
            .OrderBy(c => numbers[c.Document.Article.Id])
            .ThenBy(c => c.Span.Start)
            .Select(c => new SummarySentence(c.Document.Article.Slice(c.Span), numbers[c.Document.Article.Id], c.Document.Article.Id, c.Span))
            .ToList();
    }

    /// <summary>
    /// A model's summary of the story from its articles' leads (passage n is source n), used only when every
    /// sentence cites an article that supports it; otherwise the extractive summary stands.
    /// </summary>
    public static async Task<BriefingItem> GeneratedAsync(IAnswerGenerator generator, ILogger? logger, BriefingItem item, CancellationToken cancellationToken)
    {
        var passages = item.Sources.Select(source =>
        {
            var article = source.Article;
            var lead = SentenceSplitter.SplitArticle(article.Text).Take(3).ToList();
            var span = TextSpan.FromBounds(lead[0].Start, lead[^1].End);
            return new RetrievedPassage(new Passage(0, article.Id, 0, 0, span, lead, article.Slice(span)), article, 0, null, null);
        }).ToList();

        var generation = await generator.SummarizeAsync(item.Headline, passages, cancellationToken).ConfigureAwait(false);
        var (result, failure) = generation.Text is { } text ? AnswerVerifier.Check(item.Headline, text, passages, mustAddress: false) : (null, generation.Failure);
        foreach (var reason in result?.Dropped ?? [])
        {
            if (logger is not null)
            {
                LogSummarySentenceDropped(logger, reason);
            }
        }

        var sentences = result?.Sentences;
        if (sentences is null || sentences.Count > 3)
        {
            if (logger is not null)
            {
                LogSummaryFallback(logger, failure ?? "more than three sentences");
            }

            return item;
        }

        var summary = sentences
            .Select(s => new SummarySentence(s.Text, s.Passages[0], item.Sources[s.Passages[0] - 1].Article.Id, default))
            .ToList();
        return item with { Summary = summary, Generated = true };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sentence of a generated briefing summary was left out: {Reason}")]
    private static partial void LogSummarySentenceDropped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A generated briefing summary was not used: {Reason}; keeping the extractive one")]
    private static partial void LogSummaryFallback(ILogger logger, string reason);

    // Datelines and tag lists that some sites put into the body, and sentences that lean on the one before
    // ("He said …"), which read wrongly out of their article.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:(?:Date of publication|Published|Updated|Last updated|Tags|Posted|" + Lexicon.WeekdayPrefixAlternation + "|" + Lexicon.WeekdayAlternation + @")\b[ :,]*(?:\d|" + Lexicon.MonthAlternation + @"|Syria|[A-Z][a-z]+ [A-Z])|\d{1,2} (?:" + Lexicon.MonthPrefixAlternation + @")[a-z]* \d{4}\b|(?:He|She|They|It|This|These|Those|But|And|Also)\b)")]
    private static partial System.Text.RegularExpressions.Regex PageFurniture();

    private static string Headline(string title) =>
        title.Length <= 110 ? title : title[..title.LastIndexOf(' ', 108)].TrimEnd(',', ';', ':') + "…";
}

using BriefingBot.Core.Articles;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Core.Quotes;

/// <summary>
/// Quote lookup by speaker and/or topic. A speaker matches by full name, surname or any name the articles use
/// for them, ignoring case and accents and forgiving a close misspelling ("Stien" finds Stein). A topic matches
/// quote text by keywords and, when vectors exist, by the meaning of the passage the quote stands in. Quotes come
/// newest first when their articles are dated, otherwise by relevance.
/// </summary>
public sealed partial class QuoteFinder(
    ICorpusStore store, ILogger<QuoteFinder> logger, ITextEmbedder? embedder = null, CorpusChanges? changes = null, TimeProvider? clock = null)
{
    private static readonly TimeSpan IndexLifetime = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = clock ?? TimeProvider.System;
    private BuiltIndex? _index;

    private sealed record BuiltIndex(SpeakerIndex Index, long Version, DateTimeOffset At);

    public const int DefaultLimit = 10;

    /// <summary>Only the passages nearest a topic in meaning count, and only when they are not plainly unrelated.</summary>
    private const int SemanticPassages = 8;
    private const double SemanticFloor = 0.2;

    public async Task<QuoteLookup> FindAsync(string? speaker, string? topic, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        speaker = string.IsNullOrWhiteSpace(speaker) ? null : speaker.Trim();
        topic = string.IsNullOrWhiteSpace(topic) ? null : topic.Trim();
        IReadOnlyList<SpeakerSummary> matched = [];
        if (speaker is not null)
        {
            var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
            matched = MatchSpeakers(index, speaker);
            if (matched.Count == 0)
            {
                return new QuoteLookup(speaker, topic, [], [], [], Closest(index, speaker, 5));
            }
        }

        var filter = new QuoteFilter(SpeakerKeys: matched.Count > 0 ? matched.Select(s => s.Key).ToList() : null);
        Dictionary<long, double>? relevance = null;
        if (topic is not null)
        {
            relevance = await TopicRelevanceAsync(topic, cancellationToken).ConfigureAwait(false);
            if (matched.Count == 0)
            {
                filter = filter with { Ids = relevance.Keys.ToList() };
            }
        }

        var candidates = relevance is { Count: 0 } && matched.Count == 0
            ? []
            : await store.GetQuotesAsync(filter, cancellationToken).ConfigureAwait(false);
        if (relevance is not null)
        {
            candidates = candidates.Where(q => relevance.ContainsKey(q.Id)).ToList();
        }

        var articles = await store.GetArticlesAsync(candidates.Select(q => q.ArticleId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        var hits = candidates
            .Where(q => articles.ContainsKey(q.ArticleId))
            .Select(q => new QuoteHit(SpeakerRule.Shown(q), articles[q.ArticleId], relevance?.GetValueOrDefault(q.Id) ?? 0))
            .ToList();

        var quotes = Order(hits.Where(h => h.Quote.Kind != QuoteKind.Paraphrase), relevance is not null).Take(limit).ToList();
        var paraphrases = quotes.Count == 0
            ? Order(hits.Where(h => h.Quote.Kind == QuoteKind.Paraphrase), relevance is not null).Take(limit).ToList()
            : [];
        LogLookup(quotes.Count, paraphrases.Count);
        return new QuoteLookup(speaker, topic, matched, quotes, paraphrases, []);
    }

    /// <summary>Speakers for autocomplete: those a name (or a word of whose name) starts with <paramref name="prefix"/>, most quoted first.</summary>
    public async Task<IReadOnlyList<SpeakerSummary>> SuggestSpeakersAsync(string? prefix, int limit = 25, CancellationToken cancellationToken = default)
    {
        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var speakers = string.IsNullOrWhiteSpace(prefix) ? index.All : index.Starting(Fold(prefix)).Distinct();
        return speakers.Where(s => s.Quotes > 0).OrderByDescending(s => s.Quotes).ThenBy(s => s.Name, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>
    /// The speaker index: built from the store's speakers when first needed, again when this process has stored
    /// articles since (their quotes may name new people), and at least every minute (another process may have).
    /// </summary>
    private async Task<SpeakerIndex> IndexAsync(CancellationToken cancellationToken)
    {
        var built = _index;
        var version = changes?.Version ?? 0;
        if (built is not null && built.Version == version && _time.GetUtcNow() - built.At < IndexLifetime)
        {
            return built.Index;
        }

        var index = new SpeakerIndex(await store.GetSpeakersAsync(cancellationToken).ConfigureAwait(false));
        _index = new BuiltIndex(index, version, _time.GetUtcNow());
        return index;
    }

    private static List<SpeakerSummary> MatchSpeakers(SpeakerIndex index, string query)
    {
        var folded = Fold(StripTitle(query));
        var exact = index.Named(folded).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        // Whole words of the name ("Erkmen" in "Serhat Erkmen"), then close misspellings.
        var words = index.WithWord(folded).ToList();
        if (words.Count > 0 || folded.Length < 4)
        {
            return words;
        }

        return index.NamesNear(folded)
            .Select(n => (n.Speakers, Distance: Distance(n.Name, folded)))
            .Where(x => x.Distance <= (folded.Length >= 8 ? 2 : 1))
            .OrderBy(x => x.Distance)
            .SelectMany(x => x.Speakers)
            .Distinct()
            .ToList();
    }

    /// <summary>The speakers whose names come nearest a name that matched no one, most quoted first among equals.</summary>
    private static List<SpeakerSummary> Closest(SpeakerIndex index, string query, int count)
    {
        var folded = Fold(StripTitle(query));
        var near = index.NamesNear(folded)
            .SelectMany(n => n.Speakers.Select(s => (Speaker: s, Distance: Distance(n.Name, folded))))
            .GroupBy(x => x.Speaker.Key)
            .Select(g => g.MinBy(x => x.Distance))
            .Where(x => x.Speaker.Quotes > 0)
            .OrderBy(x => x.Distance)
            .ThenByDescending(x => x.Speaker.Quotes)
            .Select(x => x.Speaker);
        return near.Concat(index.All.Where(s => s.Quotes > 0).OrderByDescending(s => s.Quotes)).DistinctBy(s => s.Key).Take(count).ToList();
    }

    /// <summary>Quote id → relevance to the topic: keyword rank over quote text fused with the dense rank of the passages around the quotes.</summary>
    private async Task<Dictionary<long, double>> TopicRelevanceAsync(string topic, CancellationToken cancellationToken)
    {
        const int k = 60;
        var relevance = new Dictionary<long, double>();
        var terms = QueryTerms.Parse(topic).Select(t => t.Word).ToList();
        var keyword = await store.SearchQuotesAsync(terms, 200, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < keyword.Count; i++)
        {
            relevance[keyword[i].QuoteId] = 1.0 / (k + i + 1);
        }

        if (embedder is null)
        {
            return relevance;
        }

        try
        {
            var vector = (await embedder.EmbedAsync([topic], cancellationToken).ConfigureAwait(false))[0];
            var dense = await store.SearchVectorAsync(vector, 50, cancellationToken).ConfigureAwait(false);
            var passages = await store.GetPassagesAsync(dense.Select(d => d.PassageId).ToList(), cancellationToken).ConfigureAwait(false);
            var rank = dense.Select((d, i) => (d.PassageId, Rank: i, d.Score)).ToDictionary(x => x.PassageId);
            var quotes = await store.GetQuotesAsync(new QuoteFilter(ArticleIds: passages.Select(p => p.ArticleId).Distinct().ToList()), cancellationToken)
                .ConfigureAwait(false);
            foreach (var quote in quotes)
            {
                // A quote counts as near the topic when a passage that matches it semantically holds it.
                var best = passages
                    .Where(p => p.ArticleId == quote.ArticleId && p.Span.Start <= quote.Span.Start && quote.Span.Start < p.Span.End)
                    .Select(p => rank[p.Id])
                    .Where(r => r.Rank < SemanticPassages && r.Score >= SemanticFloor)
                    .OrderBy(r => r.Rank)
                    .FirstOrDefault();
                if (best.PassageId != 0)
                {
                    relevance[quote.Id] = relevance.GetValueOrDefault(quote.Id) + (1.0 / (k + best.Rank + 1));
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDenseFailed(ex);
        }

        return relevance;
    }

    /// <summary>Dated quotes newest first, then undated ones; within a date (or none), by relevance or by place in the article.</summary>
    private static IEnumerable<QuoteHit> Order(IEnumerable<QuoteHit> hits, bool byRelevance)
    {
        var ordered = hits
            .OrderBy(h => h.Article.PublishedAt is null)
            .ThenByDescending(h => h.Article.PublishedAt);
        return byRelevance
            ? ordered.ThenByDescending(h => h.Score).ThenBy(h => h.Quote.Span.Start)
            : ordered.ThenBy(h => h.Article.Id.Value, StringComparer.Ordinal).ThenBy(h => h.Quote.Span.Start);
    }

    private static string Fold(string name) => Speaker.KeyOf(name);

    private static string StripTitle(string query)
    {
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && (NameParts.TitleWords.Contains(words[0]) || NameParts.TitleWords.Contains(char.ToUpperInvariant(words[0][0]) + words[0][1..])))
        {
            words.RemoveAt(0);
        }

        return string.Join(' ', words);
    }

    /// <summary>Optimal string alignment distance: edits and adjacent transpositions ("Stien" → "Stein" is one).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quote lookup found {Quotes} quotes and {Paraphrases} paraphrases")]
    private partial void LogLookup(int quotes, int paraphrases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Semantic quote search failed; matching quote text by keywords alone")]
    private partial void LogDenseFailed(Exception exception);
}

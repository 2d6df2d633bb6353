namespace BriefingBot.Core.Articles;

/// <summary>Identifies an article across runs: the <c>id</c> field of a JSON line or front matter, else the file's path in the corpus.</summary>
public readonly record struct ArticleId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A span of an article's text, by character offsets into <see cref="Article.Text"/>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);
}

/// <summary>
/// An article as stored: cleaned body text (paragraphs separated by a blank line, web boilerplate removed)
/// and the metadata the source gave. Missing metadata stays <c>null</c>; nothing is invented.
/// </summary>
/// <param name="Source">The corpus file the article came from, relative to the corpus folder (with <c>:line</c> for JSON Lines).</param>
/// <param name="Published">ISO 8601 date or date-time as given by the source, or <c>null</c>.</param>
/// <param name="FirstIngested">When this article was first ingested; briefings use it for undated articles.</param>
public sealed record Article(
    ArticleId Id,
    string Source,
    string Title,
    string? Outlet,
    string? Url,
    string? Published,
    string? Author,
    string? Dateline,
    string Text,
    DateTimeOffset FirstIngested)
{
    /// <summary>The publication instant when <see cref="Published"/> parses, else <c>null</c>.</summary>
    public DateTimeOffset? PublishedAt => PublishedDates.TryParse(Published);

    /// <summary>When the article was published, or first ingested when it gives no date that parses.</summary>
    public DateTimeOffset ReportedAt => PublishedAt ?? FirstIngested;

    public string Slice(TextSpan span) => Text.Substring(span.Start, span.Length);
}

/// <summary>
/// A retrieval unit: a few consecutive sentences of one article. Offsets are into the article's text, so any
/// sentence cited from a passage can be checked against the article character for character.
/// </summary>
/// <param name="Paragraph">Zero-based index of the paragraph the passage starts in.</param>
/// <param name="Sentences">The passage's sentences, each a span of the article text.</param>
/// <param name="OwnStart">Where, in <paramref name="Text"/>, the sentences no earlier passage holds begin.</param>
public sealed record Passage(
    long Id,
    ArticleId ArticleId,
    int Ordinal,
    int Paragraph,
    TextSpan Span,
    IReadOnlyList<TextSpan> Sentences,
    string Text,
    int OwnStart = 0)
{
    /// <summary>
    /// The passage without the sentence it shares with the one before. Dense vectors are computed from it, so
    /// every sentence of an article is encoded once, not twice.
    /// </summary>
    public string OwnText => Text[OwnStart..];
}

/// <summary>An article ready to store, with its passages (ids assigned by the store) and who it quotes.</summary>
public sealed record IngestedArticle(Article Article, IReadOnlyList<Passage> Passages, IReadOnlyList<Quotes.ExtractedQuote> Quotes)
{
    public IngestedArticle(Article article, IReadOnlyList<Passage> passages)
        : this(article, passages, [])
    {
    }

    /// <summary>The same article under another id (its passages with it): a different article that reused an id.</summary>
    public IngestedArticle WithId(ArticleId id) => this with
    {
        Article = Article with { Id = id },
        Passages = Passages.Select(p => p with { ArticleId = id }).ToList(),
    };
}

/// <summary>What the corpus holds, for <c>/sources</c>.</summary>
public sealed record CorpusStats(
    int Articles,
    int Passages,
    int PassagesEmbedded,
    IReadOnlyList<OutletCount> Outlets,
    string? EarliestPublished,
    string? LatestPublished,
    int Undated);

public sealed record OutletCount(string? Outlet, int Articles);

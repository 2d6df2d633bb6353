using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Quotes;

/// <summary>How a statement is reported.</summary>
public enum QuoteKind
{
    /// <summary>The speaker's words in quotation marks.</summary>
    Direct,

    /// <summary>A short quoted phrase inside a paraphrase of the speaker (Turkey’s “peaceful silence”).</summary>
    Partial,

    /// <summary>The article's own words for what the speaker said; never shown as a quote.</summary>
    Paraphrase,
}

/// <summary>A person quoted in an article: full name, the article's description of them, and the names the article also uses.</summary>
public sealed record Speaker(string Name, string? Description, IReadOnlyList<string> Aliases)
{
    /// <summary>How names are compared, and one person's quotes grouped across articles: accents folded, case ignored.</summary>
    public static string KeyOf(string name) => Text.Terms.Fold(name).Trim().ToLowerInvariant();
}

/// <summary>
/// A statement found in an article's text. <see cref="Span"/> is an exact span of the text (inside the quotation
/// marks for a direct or partial quote; the whole sentence for a paraphrase), so it can be checked character for
/// character. <see cref="Mention"/> is where the text names or refers to the speaker for this statement.
/// </summary>
public sealed record ExtractedQuote(QuoteKind Kind, TextSpan Span, string Text, Speaker Speaker, TextSpan Mention);

/// <summary>A quote as stored: <see cref="SpeakerKey"/> groups one person's quotes across articles.</summary>
public sealed record StoredQuote(long Id, ArticleId ArticleId, QuoteKind Kind, TextSpan Span, string Text, Speaker Speaker, string SpeakerKey);

/// <summary>Which stored quotes to load; null means any.</summary>
public sealed record QuoteFilter(
    IReadOnlyCollection<string>? SpeakerKeys = null,
    IReadOnlyCollection<ArticleId>? ArticleIds = null,
    IReadOnlyCollection<long>? Ids = null);

/// <summary>A person as the whole corpus quotes them, with how often; the list behind speaker autocomplete.</summary>
public sealed record SpeakerSummary(string Key, string Name, string? Description, IReadOnlyList<string> Aliases, int Direct, int Partial, int Paraphrased)
{
    public int Quotes => Direct + Partial;
}

/// <summary>A quote found by a lookup, with its article.</summary>
public sealed record QuoteHit(StoredQuote Quote, Article Article, double Score);

/// <summary>
/// The answer to a quote lookup. <see cref="Paraphrases"/> is filled when the speaker has no quote on the topic
/// but the corpus reports what they said in its own words; <see cref="Suggestions"/> when no speaker matched.
/// </summary>
public sealed record QuoteLookup(
    string? Speaker,
    string? Topic,
    IReadOnlyList<SpeakerSummary> MatchedSpeakers,
    IReadOnlyList<QuoteHit> Quotes,
    IReadOnlyList<QuoteHit> Paraphrases,
    IReadOnlyList<SpeakerSummary> Suggestions);

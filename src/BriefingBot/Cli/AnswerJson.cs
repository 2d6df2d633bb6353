using System.Text.Json.Serialization;
using BriefingBot.Core.Answering;

namespace BriefingBot.Cli;

/// <summary>The <c>ask --format json</c> document: <c>{question, answer, abstained, citations[], figures[]}</c>.</summary>
public sealed record AnswerJson(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("abstained")] bool Abstained,
    [property: JsonPropertyName("citations")] IReadOnlyList<CitationJson> Citations,
    [property: JsonPropertyName("figures")] IReadOnlyList<FigureJson> Figures,
    [property: JsonPropertyName("claims")] IReadOnlyList<ClaimJson> Claims)
{
    /// <summary>For a question about now over an older corpus: the day "now" was read against (yyyy-MM-dd).</summary>
    [JsonPropertyName("asOf")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AsOf { get; init; }

    public static AnswerJson From(Answer answer) => new(
        answer.Question,
        answer.Text,
        answer.Abstained,
        answer.Citations.Select(c => new CitationJson(
            c.N, c.Article.Id.Value, c.Article.Title, c.Article.Outlet, c.Article.Url, c.Article.Published, c.Sentence)).ToList(),
        answer.Figures.Select(FigureJson.From).ToList(),
        answer.Claims.Select(ClaimJson.From).ToList())
    {
        AsOf = answer.AsOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One source's account of who did it when sources differ: <c>{actor, stance, claimedBy, n, articleId, outlet, date, sentence}</c>.</summary>
public sealed record ClaimJson(
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("stance")] string Stance,
    [property: JsonPropertyName("claimedBy")] string? ClaimedBy,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("outlet")] string? Outlet,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("sentence")] string Sentence)
{
    public static ClaimJson From(Claim claim) => new(
        claim.Actor, claim.Stance == ClaimStance.Denies ? "denies" : "blames", claim.ClaimedBy, claim.N, claim.Article.Id.Value,
        claim.Article.Outlet, claim.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), claim.Sentence);
}

/// <summary>One source's figure when sources differ: <c>{value, phrase, what, n, articleId, attributedTo, date}</c>.</summary>
public sealed record FigureJson(
    [property: JsonPropertyName("value")] decimal Value,
    [property: JsonPropertyName("phrase")] string Phrase,
    [property: JsonPropertyName("what")] string? What,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("attributedTo")] string? AttributedTo,
    [property: JsonPropertyName("date")] string? Date)
{
    public static FigureJson From(Figure figure)
    {
        var words = figure.Phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var what = words.Length > 1 ? words[^1] : null;
        return new FigureJson(figure.Value, figure.Phrase, what, figure.N, figure.Article.Id.Value, figure.AttributedTo,
            figure.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record CitationJson(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("outlet")] string? Outlet,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("published")] string? Published,
    [property: JsonPropertyName("sentence")] string Sentence);

/// <summary>The <c>quote --format json</c> document: <c>{speaker, topic, quotes[]}</c>.</summary>
public sealed record QuoteLookupJson(
    [property: JsonPropertyName("speaker")] string? Speaker,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("quotes")] IReadOnlyList<QuoteJson> Quotes)
{
    public static QuoteLookupJson From(Core.Quotes.QuoteLookup lookup) => new(
        lookup.Speaker, lookup.Topic, lookup.Quotes.Select(QuoteJson.From).ToList());
}

/// <summary>A stored quote with where it stands in its article's text, so extraction can be scored from outside.</summary>
public sealed record StoredQuoteJson(
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("speaker")] SpeakerJson Speaker)
{
    public static StoredQuoteJson From(Core.Quotes.StoredQuote quote) => new(
        quote.ArticleId.Value, quote.Span.Start, quote.Span.Length, quote.Kind.ToString().ToLowerInvariant(), quote.Text,
        new SpeakerJson(quote.Speaker.Name, quote.Speaker.Description));
}

public sealed record QuoteJson(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("speaker")] SpeakerJson Speaker,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("outlet")] string? Outlet,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("published")] string? Published)
{
    public static QuoteJson From(Core.Quotes.QuoteHit hit) => new(
        hit.Quote.Text, hit.Quote.Kind.ToString().ToLowerInvariant(), new SpeakerJson(hit.Quote.Speaker.Name, hit.Quote.Speaker.Description),
        hit.Article.Id.Value, hit.Article.Title, hit.Article.Outlet, hit.Article.Url, hit.Article.Published);
}

public sealed record SpeakerJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description);

/// <summary>The <c>briefing --format json</c> document: <c>{from, to, items[], quotes[]}</c>.</summary>
public sealed record BriefingJson(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("items")] IReadOnlyList<BriefingItemJson> Items,
    [property: JsonPropertyName("quotes")] IReadOnlyList<QuoteJson> Quotes)
{
    public static BriefingJson Of(Core.Briefing.Briefing briefing) => new(
        briefing.From.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        briefing.To.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        briefing.Items.Select(i => new BriefingItemJson(
            i.Headline,
            i.Summary.Select(s => new SummaryJson(s.Sentence, s.N)).ToList(),
            i.Sources.Select(s => new SourceJson(s.N, s.Article.Id.Value, s.Article.Title, s.Article.Outlet, s.Article.Url, s.Article.Published)).ToList(),
            i.Figures.Select(f => new StoryFiguresJson(f.What, f.Figures.Select(FigureJson.From).ToList())).ToList())).ToList(),
        briefing.Quotes.Select(QuoteJson.From).ToList());
}

public sealed record BriefingItemJson(
    [property: JsonPropertyName("headline")] string Headline,
    [property: JsonPropertyName("summary")] IReadOnlyList<SummaryJson> Summary,
    [property: JsonPropertyName("sources")] IReadOnlyList<SourceJson> Sources,
    [property: JsonPropertyName("figures")] IReadOnlyList<StoryFiguresJson> Figures);

/// <summary>A count the story's sources give differently: <c>{what, figures: [{value, phrase, what, n, articleId, attributedTo, date}]}</c>.</summary>
public sealed record StoryFiguresJson(
    [property: JsonPropertyName("what")] string What,
    [property: JsonPropertyName("figures")] IReadOnlyList<FigureJson> Figures);

public sealed record SummaryJson(
    [property: JsonPropertyName("sentence")] string Sentence,
    [property: JsonPropertyName("n")] int N);

public sealed record SourceJson(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("articleId")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("outlet")] string? Outlet,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("published")] string? Published);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BriefingJson))]
[JsonSerializable(typeof(AnswerJson))]
[JsonSerializable(typeof(QuoteLookupJson))]
[JsonSerializable(typeof(List<StoredQuoteJson>))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What the command line prints: readable text ("'", "+03:00", "Çavuşoğlu" as they are), escaping only what
    /// JSON requires. The output is read by programs and people, never embedded in HTML.
    /// </summary>
    public static CliJsonContext Output { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

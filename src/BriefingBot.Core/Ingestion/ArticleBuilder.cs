using System.Text;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Text;

namespace BriefingBot.Core.Ingestion;

/// <summary>Turns what a format read into a stored article: cleaned paragraphs, dateline, sentences, passages.</summary>
public static class ArticleBuilder
{
    public const int MaxTitleLength = 300;

    /// <param name="defaultId">The id to use when the source gives none (the file's path, or path and line).</param>
    public static (IngestedArticle? Article, string? Problem) Build(RawArticle raw, string source, string defaultId, DateTimeOffset ingestedAt)
    {
        var paragraphs = Clean(raw.Paragraphs);
        string? dateline = null;
        if (paragraphs.Count > 0)
        {
            (dateline, paragraphs[0]) = Dateline.Split(paragraphs[0]);
        }

        var title = Paragraphs.Normalize(raw.Title ?? string.Empty);
        if (paragraphs.Count > 0 && string.Equals(paragraphs[0], title, StringComparison.OrdinalIgnoreCase))
        {
            paragraphs.RemoveAt(0); // the body repeats the headline
        }

        if (paragraphs.Count == 0)
        {
            return (null, "no article text (empty, or only web boilerplate)");
        }

        var text = new StringBuilder();
        var sentences = new List<(int Paragraph, TextSpan Span)>();
        for (var p = 0; p < paragraphs.Count; p++)
        {
            if (p > 0)
            {
                text.Append("\n\n");
            }

            var start = text.Length;
            text.Append(paragraphs[p]);
            var built = text.ToString();
            foreach (var sentence in SentenceSplitter.Split(built, start, built.Length))
            {
                sentences.Add((p, sentence));
            }
        }

        var body = text.ToString();
        if (title.Length == 0)
        {
            // No title given: the lead sentence stands in, shortened; it is the article's own text, not an invention.
            var lead = body.Substring(sentences[0].Span.Start, sentences[0].Span.Length);
            title = lead.Length <= 120 ? lead : lead[..117].TrimEnd() + "…";
        }
        else if (title.Length > MaxTitleLength)
        {
            title = title[..(MaxTitleLength - 1)].TrimEnd() + "…";
        }

        var id = new ArticleId(string.IsNullOrWhiteSpace(raw.Id) ? defaultId : raw.Id.Trim());
        var article = new Article(
            id, source, title, Blank(raw.Outlet), Blank(raw.Url), PublishedDates.Normalize(raw.Published) ?? null,
            Blank(raw.Author), dateline, body, ingestedAt);
        return (new IngestedArticle(article, Chunker.Chunk(id, body, sentences), Quotes.QuoteExtractor.Extract(body)), null);
    }

    private static List<string> Clean(IReadOnlyList<string> raw)
    {
        var result = new List<string>(raw.Count);
        foreach (var paragraph in raw)
        {
            var normalized = Paragraphs.Normalize(paragraph);
            if (normalized.Length == 0)
            {
                continue;
            }

            if (Boilerplate.CommentSectionStart(normalized))
            {
                break;
            }

            if (!Boilerplate.IsBoilerplate(normalized))
            {
                result.Add(normalized);
            }
        }

        return result;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

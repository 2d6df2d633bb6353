using System.Text.Json;
using AngleSharp.Dom;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// What a page says of its article outside the text: the JSON-LD <c>NewsArticle</c> (or any <c>Article</c> kind) first,
/// then Open Graph and the article meta tags, then the page's own title, canonical link and time element.
/// </summary>
public sealed record PageMetadata(string? Id, string? Title, string? Outlet, string? Url, string? Published, string? Author)
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    public static PageMetadata Read(IDocument document)
    {
        var linked = LinkedData(document);
        string? Meta(params string[] names)
        {
            foreach (var name in names)
            {
                var element = document.QuerySelector($"meta[property='{name}'], meta[name='{name}'], meta[itemprop='{name}']");
                var value = element?.GetAttribute("content")?.Trim();
                if (!string.IsNullOrEmpty(value))
                {
                    return value;
                }
            }

            return null;
        }

        var title = Text(linked, "headline") ?? Meta("og:title", "twitter:title")
            ?? document.QuerySelector("article h1, main h1, h1")?.TextContent
            ?? document.Title;
        var url = document.QuerySelector("link[rel='canonical']")?.GetAttribute("href") ?? Meta("og:url") ?? Text(linked, "url");
        var published = Text(linked, "datePublished") ?? Meta("article:published_time", "datePublished", "date", "pubdate")
            ?? document.QuerySelector("time[datetime]")?.GetAttribute("datetime");
        var outlet = Name(linked, "publisher") ?? Meta("og:site_name", "application-name");
        var author = Name(linked, "author") ?? Meta("author", "article:author");
        return new PageMetadata(Meta("article:id"), Clean(title), Clean(outlet), Clean(url), Clean(published), Clean(author));
    }

    /// <summary>The page's JSON-LD article, wherever it sits: alone, in a list or in an <c>@graph</c>; a broken block is passed over.</summary>
    private static JsonElement? LinkedData(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent, Lenient);
                if (FindArticle(json.RootElement, 0) is { } found)
                {
                    return found.Clone();
                }
            }
            catch (JsonException)
            {
                // Pages ship broken JSON-LD often enough; the meta tags still speak.
            }
        }

        return null;
    }

    private static JsonElement? FindArticle(JsonElement element, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (FindArticle(item, depth + 1) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                if (element.TryGetProperty("@type", out var type) && IsArticle(type))
                {
                    return element;
                }

                return element.TryGetProperty("@graph", out var graph) ? FindArticle(graph, depth + 1) : null;
            default:
                return null;
        }
    }

    private static bool IsArticle(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => type.GetString() is { } name && (name.EndsWith("Article", StringComparison.Ordinal) || name is "BlogPosting" or "Report" or "LiveBlogPosting"),
        JsonValueKind.Array => type.EnumerateArray().Any(IsArticle),
        _ => false,
    };

    private static string? Text(JsonElement? article, string property) =>
        article is { } a && a.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)),
            JsonValueKind.Object when value.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
            _ => null,
        } : null;

    /// <summary>A person or organisation as JSON-LD gives it: a name, an object with a name, or a list of those (joined).</summary>
    private static string? Name(JsonElement? article, string property)
    {
        if (article is not { } a || !a.TryGetProperty(property, out var value))
        {
            return null;
        }

        static string? One(JsonElement item) => item.ValueKind switch
        {
            JsonValueKind.String => item.GetString(),
            JsonValueKind.Object when item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String => name.GetString(),
            _ => null,
        };

        var names = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(One).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).Distinct().ToList()
            : One(value) is { } single && !string.IsNullOrWhiteSpace(single) ? [single.Trim()] : [];
        return names.Count > 0 ? string.Join(", ", names) : null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : Paragraphs.Normalize(value);
}

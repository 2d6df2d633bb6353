using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// HTML: the article's main text only. Metadata from Open Graph / article meta tags; the body from
/// <c>&lt;article&gt;</c>, <c>[itemprop=articleBody]</c> or <c>&lt;main&gt;</c>, without navigation, share bars, comment
/// forms, related links or scripts.
/// </summary>
public sealed partial class HtmlFormat : IArticleFormat
{
    private static readonly string[] DroppedElements =
    [
        "script", "style", "noscript", "template", "iframe", "svg", "nav", "header", "footer", "aside", "form",
        "button", "select", "input", "textarea", "figure", "menu", "dialog",
    ];

    private static readonly string[] BlockSelectors = ["p", "h2", "h3", "h4", "blockquote", "li", "pre"];

    public IReadOnlyList<string> Extensions { get; } = [".html", ".htm"];

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        var document = new HtmlParser().ParseDocument(content);
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

        var title = Meta("og:title", "twitter:title")
            ?? document.QuerySelector("article h1, main h1, h1")?.TextContent
            ?? document.Title;
        var url = document.QuerySelector("link[rel='canonical']")?.GetAttribute("href") ?? Meta("og:url");
        var published = Meta("article:published_time", "datePublished", "date", "pubdate")
            ?? document.QuerySelector("time[datetime]")?.GetAttribute("datetime");
        var outlet = Meta("og:site_name", "application-name");
        var author = Meta("author", "article:author");

        var root = document.QuerySelector("[itemprop='articleBody']")
            ?? document.QuerySelector("article")
            ?? document.QuerySelector("main")
            ?? document.Body;
        if (root is null)
        {
            yield return ReadResult.Fail(source, null, "no HTML body");
            yield break;
        }

        foreach (var element in root.QuerySelectorAll(string.Join(',', DroppedElements)).ToList())
        {
            element.Remove();
        }

        foreach (var element in root.QuerySelectorAll("[class], [id], [role]").ToList())
        {
            if (IsChrome(element))
            {
                element.Remove();
            }
        }

        // The title heading is metadata, not body text.
        foreach (var h1 in root.QuerySelectorAll("h1").ToList())
        {
            h1.Remove();
        }

        var paragraphs = new List<string>();
        var blocks = root.QuerySelectorAll(string.Join(',', BlockSelectors))
            .Where(block => !block.Ancestors().OfType<IElement>().Any(a => BlockSelectors.Contains(a.LocalName)))
            .ToList();
        if (blocks.Count > 0)
        {
            paragraphs.AddRange(blocks.Select(block => block.TextContent));
        }
        else
        {
            paragraphs.AddRange(Paragraphs.Split(root.TextContent));
        }

        yield return ReadResult.Ok(new RawArticle(
            Meta("article:id"), title?.Trim(), outlet, url, published, author,
            paragraphs.Select(Paragraphs.Normalize).Where(p => p.Length > 0).ToList()));
    }

    private static bool IsChrome(IElement element)
    {
        var marker = $"{element.ClassName} {element.Id} {element.GetAttribute("role")}";
        return ChromeMarker().IsMatch(marker);
    }

    [GeneratedRegex(@"\b(share|sharing|social|comments?|respond|reply|related|newsletter|subscribe|subscription|advert\w*|ads?|promo\w*|breadcrumbs?|cookie\w*|footer|navigation|navbar|nav|menu|sidebar|banner|tags|byline-share|print|popup|modal)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChromeMarker();
}

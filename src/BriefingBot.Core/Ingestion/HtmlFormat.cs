using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// HTML: the article's main text only, as Mozilla's Readability finds it (through SmartReader), in paragraphs.
/// Metadata from the page's JSON-LD article, Open Graph and meta tags (<see cref="PageMetadata"/>). A page too short
/// for Readability to judge (a feed item's own HTML, say) is read from its <c>[itemprop=articleBody]</c>,
/// <c>&lt;article&gt;</c>, <c>&lt;main&gt;</c> or body, without navigation, share bars, comment forms and scripts.
/// </summary>
public sealed partial class HtmlFormat : IArticleFormat
{
    private static readonly string[] DroppedElements =
    [
        "script", "style", "noscript", "template", "iframe", "svg", "nav", "header", "footer", "aside", "form",
        "button", "select", "input", "textarea", "figure", "menu", "dialog",
    ];

    /// <summary>What Readability would keep but is not the article's text: captions, photo credits, forms, comment sections, menus.</summary>
    private const string NotArticleText =
        "figcaption, [class~=caption], [class~=credit], form, button, select, input, textarea, dialog, [id~=comments], [class~=comments], [id~=respond], nav, [role=navigation]";

    /// <summary>Elements whose start and end break a paragraph.</summary>
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "td", "th", "tr", "ul",
    };

    public IReadOnlyList<string> Extensions { get; } = [".html", ".htm"];

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        var document = new HtmlParser().ParseDocument(content);
        var metadata = PageMetadata.Read(document);
        if (document.Body is null)
        {
            yield return ReadResult.Fail(source, null, "no HTML body");
            yield break;
        }

        var structured = Structured(document);
        var readable = Readable(document, metadata.Url ?? source);
        // Readability judges a whole page; where it finds a fraction of what the page's own article element holds, the element wins.
        var paragraphs = readable.Sum(p => p.Length) * 5 >= structured.Sum(p => p.Length) ? readable : structured;
        yield return ReadResult.Ok(new RawArticle(metadata.Id, metadata.Title, metadata.Outlet, metadata.Url, metadata.Published, metadata.Author, paragraphs));
    }

    /// <summary>
    /// A fragment that is all article (a feed item's content or summary): its paragraphs whole, only scripts, forms
    /// and other non-text elements dropped.
    /// </summary>
    public static IReadOnlyList<string> FragmentParagraphs(string html)
    {
        var body = new HtmlParser().ParseDocument($"<html><body>{html}</body></html>").Body!;
        foreach (var element in body.QuerySelectorAll(string.Join(',', DroppedElements)).ToList())
        {
            element.Remove();
        }

        return BlockParagraphs(body);
    }

    /// <summary>
    /// The main text as Readability finds it, captions, forms and comments left out; none when it finds nothing. Its
    /// text is taken even where it doubts the page is an article: a short or oddly built page is still read.
    /// </summary>
    private static List<string> Readable(IHtmlDocument document, string address)
    {
        var page = (IHtmlDocument)document.Clone(deep: true);
        foreach (var element in page.QuerySelectorAll(NotArticleText).ToList())
        {
            element.Remove();
        }

        SmartReader.Article article;
        try
        {
            // With the page given, the reader fetches nothing: the address only resolves the page's relative links.
            article = new SmartReader.Reader(Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.AbsoluteUri : "https://localhost/", page).GetArticle();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return []; // the library's own failure on an odd page: the page's article element is read instead
        }

        if (string.IsNullOrWhiteSpace(article.Content))
        {
            return [];
        }

        var body = new HtmlParser().ParseDocument(article.Content).Body;
        return body is null ? [] : BlockParagraphs(body);
    }

    /// <summary>The page's own article element, stripped of page furniture.</summary>
    private static List<string> Structured(IHtmlDocument document)
    {
        var page = (IHtmlDocument)document.Clone(deep: true);
        var root = page.QuerySelector("[itemprop='articleBody']") ?? page.QuerySelector("article") ?? page.QuerySelector("main") ?? page.Body!;
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

        return BlockParagraphs(root);
    }

    /// <summary>The element's text broken into paragraphs where its block elements begin and end.</summary>
    private static List<string> BlockParagraphs(IElement root)
    {
        var text = new StringBuilder();
        void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText leaf)
                {
                    text.Append(leaf.Data);
                }
                else if (child is IElement element)
                {
                    var block = BlockElements.Contains(element.LocalName);
                    if (block)
                    {
                        text.Append('\n');
                    }

                    Walk(element);
                    if (block)
                    {
                        text.Append('\n');
                    }
                }
            }
        }

        Walk(root);
        return text.ToString().Split('\n').Select(Paragraphs.Normalize).Where(p => p.Length > 0).ToList();
    }

    private static bool IsChrome(IElement element)
    {
        var marker = $"{element.ClassName} {element.Id} {element.GetAttribute("role")}";
        return ChromeMarker().IsMatch(marker);
    }

    [GeneratedRegex(@"\b(share|sharing|social|comments?|respond|reply|related|newsletter|subscribe|subscription|advert\w*|ads?|promo\w*|breadcrumbs?|cookie\w*|footer|navigation|navbar|nav|menu|sidebar|banner|tags|byline-share|print|popup|modal)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChromeMarker();
}

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

    private static readonly string DroppedSelector = string.Join(',', DroppedElements);

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

    /// <summary>
    /// The deepest nesting a page may have. No article page comes near it; the HTML parser's work grows with the square
    /// of the depth, so a page nested a hundred thousand deep would hold a thread for a minute.
    /// </summary>
    public const int MaxNesting = 1_000;

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        if (NestingDepth(content) is var depth and > MaxNesting)
        {
            yield return ReadResult.Fail(source, null, $"the page nests its elements over {MaxNesting:N0} deep ({depth:N0}); no article page does, so it is not read");
            yield break;
        }

        var document = new HtmlParser().ParseDocument(content);
        var metadata = PageMetadata.Read(document);
        if (document.Body is null)
        {
            yield return ReadResult.Fail(source, null, "no HTML body");
            yield break;
        }

        var readable = Readable(document, metadata.Url ?? source);
        var structured = Structured(document);
        // Readability judges a whole page; where it finds a fraction of what the page's own article element holds, the element wins.
        var paragraphs = readable.Sum(p => p.Length) * 5 >= structured.Sum(p => p.Length) ? readable : structured;
        yield return ReadResult.Ok(new RawArticle(metadata.Id, metadata.Title, metadata.Outlet, metadata.Url, metadata.Published, metadata.Author, paragraphs));
    }

    /// <summary>
    /// How deep a page's elements nest, read from its tags without parsing it: an opening tag goes one deeper and its
    /// closing tag back, leaving out elements that never hold others or whose end tag may be left off (<c>p</c>,
    /// <c>li</c>, table cells…), and whatever a script or style holds.
    /// </summary>
    internal static int NestingDepth(string html)
    {
        int depth = 0, deepest = 0;
        var at = 0;
        while ((at = html.IndexOf('<', at)) >= 0 && at + 1 < html.Length)
        {
            var closing = html[at + 1] == '/';
            var start = at + (closing ? 2 : 1);
            var end = start;
            while (end < html.Length && char.IsAsciiLetterOrDigit(html[end]))
            {
                end++;
            }

            var close = html.IndexOf('>', end);
            if (end == start || close < 0)
            {
                at++;
                continue;
            }

            var name = html[start..end].ToLowerInvariant();
            if (!closing && name is "script" or "style" or "textarea" && html.IndexOf("</" + name, close, StringComparison.OrdinalIgnoreCase) is var skip and >= 0)
            {
                at = skip;
                continue;
            }

            if (!NeverNests.Contains(name) && html[close - 1] != '/')
            {
                depth = closing ? Math.Max(0, depth - 1) : depth + 1;
                deepest = Math.Max(deepest, depth);
            }

            at = close + 1;
        }

        return deepest;
    }

    /// <summary>Void elements, and those whose end tag HTML lets a page leave off.</summary>
    private static readonly HashSet<string> NeverNests = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen",
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt",
        "rtc", "rp", "html", "head", "body",
    };

    /// <summary>
    /// A fragment that is all article (a feed item's content or summary): its paragraphs whole, only scripts, forms
    /// and other non-text elements dropped.
    /// </summary>
    public static IReadOnlyList<string> FragmentParagraphs(string html)
    {
        if (NestingDepth(html) > MaxNesting)
        {
            return [];
        }

        var body = new HtmlParser().ParseDocument($"<html><body>{html}</body></html>").Body!;
        RemoveAll(body, DroppedSelector);
        return BlockParagraphs(body);
    }

    /// <summary>
    /// The main text as Readability finds it, captions, forms and comments left out; none when it finds nothing. Its
    /// text is taken even where it doubts the page is an article: a short or oddly built page is still read.
    /// </summary>
    private static List<string> Readable(IHtmlDocument document, string address)
    {
        var page = (IHtmlDocument)document.Clone(deep: true);
        RemoveAll(page, NotArticleText);

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

    /// <summary>The page's own article element, stripped of page furniture. It takes the document apart: read it last.</summary>
    private static List<string> Structured(IHtmlDocument document)
    {
        var root = document.QuerySelector("[itemprop='articleBody']") ?? document.QuerySelector("article") ?? document.QuerySelector("main") ?? document.Body!;
        RemoveAll(root, DroppedSelector);

        foreach (var element in root.QuerySelectorAll("[class], [id], [role]").ToList())
        {
            if (IsChrome(element))
            {
                element.Remove();
            }
        }

        // The title heading is metadata, not body text.
        RemoveAll(root, "h1");

        return BlockParagraphs(root);
    }

    private static void RemoveAll(IParentNode within, string selector)
    {
        foreach (var element in within.QuerySelectorAll(selector).ToList())
        {
            element.Remove();
        }
    }

    /// <summary>
    /// The element's text broken into paragraphs where its block elements begin and end, walked with a stack of its
    /// own rather than recursion, so that a page's depth costs no call stack.
    /// </summary>
    private static List<string> BlockParagraphs(IElement root)
    {
        var text = new StringBuilder();
        // A node to read, or (null) the end of a block element whose children were read.
        var pending = new Stack<INode?>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is null)
            {
                text.Append('\n');
                continue;
            }

            if (node is IText leaf)
            {
                text.Append(leaf.Data);
                continue;
            }

            if (node is IElement element && element != root && BlockElements.Contains(element.LocalName))
            {
                text.Append('\n');
                pending.Push(null);
            }

            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                if (child is IText or IElement)
                {
                    pending.Push(child);
                }
            }
        }

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

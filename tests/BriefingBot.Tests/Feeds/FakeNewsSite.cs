using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Tests.Feeds;

/// <summary>A request the site saw: its path and the validators it carried.</summary>
internal sealed record SiteRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string? AcceptEncoding);

/// <summary>
/// A news site on loopback: feeds and article pages served as real sites serve them — ETag and Last-Modified with
/// 304 answers, gzip when asked, redirects — plus the hostile kinds (a server that never answers, endless bodies).
/// </summary>
internal sealed class FakeNewsSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Page> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SiteRequest> _requests = new();

    private FakeNewsSite(WebApplication app) => _app = app;

    /// <param name="Handler">Serves the request itself (a hang, a stream, a redirect); otherwise the body is served.</param>
    private sealed record Page(string ContentType, byte[] Body, string ETag, bool Gzip, Func<HttpContext, Task>? Handler);

    public string Root { get; private set; } = string.Empty;

    public IReadOnlyList<SiteRequest> Requests => _requests.ToList();

    public static async Task<FakeNewsSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var site = new FakeNewsSite(app);
        app.Run(site.ServeAsync);
        await app.StartAsync();
        site.Root = app.Urls.First().TrimEnd('/');
        return site;
    }

    public string Url(string path) => Root + path;

    public void Serve(string path, string contentType, string body, bool gzip = false) =>
        Serve(path, contentType, Encoding.UTF8.GetBytes(body), gzip);

    public void Serve(string path, string contentType, byte[] body, bool gzip = false) =>
        _pages[path] = new Page(contentType, body, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"", gzip, null);

    public void Handle(string path, Func<HttpContext, Task> handler) => _pages[path] = new Page("text/plain", [], "\"h\"", false, handler);

    public void ClearRequests() => _requests.Clear();

    public int RequestsFor(string path) => Requests.Count(r => r.Path == path);

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.Enqueue(new SiteRequest(
            path, context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null,
            context.Request.Headers.IfModifiedSince.ToString() is { Length: > 0 } since ? since : null,
            context.Request.Headers.AcceptEncoding.ToString()));
        if (!_pages.TryGetValue(path, out var page))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (page.Handler is { } handler)
        {
            await handler(context);
            return;
        }

        context.Response.Headers.ETag = page.ETag;
        if (context.Request.Headers.IfNoneMatch == page.ETag)
        {
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.ContentType = page.ContentType;
        var body = page.Body;
        if (page.Gzip && context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
        {
            using var packed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(body);
            }

            body = packed.ToArray();
            context.Response.Headers.ContentEncoding = "gzip";
        }

        await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>An RSS 2.0 feed of the given items.</summary>
    public static string Rss(string title, params FeedEntry[] items)
    {
        var sb = new StringBuilder();
        sb.Append("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>""");
        sb.Append($"<title>{title}</title><link>http://example.org/</link><description>news</description>");
        foreach (var item in items)
        {
            sb.Append($"<item><title>{System.Security.SecurityElement.Escape(item.Title)}</title><link>{System.Security.SecurityElement.Escape(item.Link)}</link>");
            sb.Append($"<pubDate>{item.Published.ToString("R")}</pubDate><guid>{System.Security.SecurityElement.Escape(item.Link)}</guid>");
            sb.Append($"<description>{System.Security.SecurityElement.Escape(item.Summary ?? string.Empty)}</description>");
            if (item.FullHtml is { } full)
            {
                sb.Append($"<content:encoded><![CDATA[{full}]]></content:encoded>");
            }

            sb.Append("</item>");
        }

        return sb.Append("</channel></rss>").ToString();
    }

    /// <summary>An Atom 1.0 feed of the given items, their text in <c>content</c> when given.</summary>
    public static string Atom(string title, params FeedEntry[] items)
    {
        var sb = new StringBuilder();
        sb.Append($"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title><id>urn:feed</id><updated>2018-09-17T00:00:00Z</updated>""");
        foreach (var item in items)
        {
            sb.Append($"""<entry><title>{System.Security.SecurityElement.Escape(item.Title)}</title><link rel="alternate" href="{System.Security.SecurityElement.Escape(item.Link)}"/>""");
            sb.Append($"<id>{System.Security.SecurityElement.Escape(item.Link)}</id><updated>{item.Published:yyyy-MM-ddTHH:mm:ssZ}</updated><author><name>Wire Staff</name></author>");
            if (item.FullHtml is { } full)
            {
                sb.Append($"""<content type="html">{System.Security.SecurityElement.Escape(full)}</content>""");
            }

            sb.Append("</entry>");
        }

        return sb.Append("</feed>").ToString();
    }

    /// <summary>An article page with a canonical link and the chrome real pages have around the text.</summary>
    public static string ArticlePage(string title, string canonical, params string[] paragraphs) =>
        $"""
        <html><head><title>{title} | Wire</title><link rel="canonical" href="{canonical}"><meta property="og:site_name" content="The Wire"></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>{title}</h1>{string.Concat(paragraphs.Select(p => $"<p>{p}</p>"))}<div class="share">Share on Twitter</div></article>
        <footer>© The Wire</footer></body></html>
        """;
}

internal sealed record FeedEntry(string Title, string Link, DateTimeOffset Published, string? Summary = null, string? FullHtml = null);

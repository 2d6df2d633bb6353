using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Text;
using BriefingBot.Cli;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Feeds;
using BriefingBot.Core.Ingestion;
using BriefingBot.Feeds;
using BriefingBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Bench;

/// <summary>
/// <c>bench-feeds</c>: how fast feeds become articles, on loopback. A site on 127.0.0.1 serves the source's
/// articles as two RSS feeds — one whose items link to article pages (each fetched and its main text extracted), one
/// carrying the full text in <c>content:encoded</c> — and each is polled into an empty database: articles/s, the time
/// from the end of the poll until the newest item is answerable, and a second poll (304, nothing fetched).
/// </summary>
internal sealed class FeedBenchmark(CliConsole console, string sourcePath, int articles, IReadOnlyDictionary<string, string?> overrides)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(sourcePath))
        {
            throw new Core.BriefingBotException($"The bench source file '{sourcePath}' does not exist (option --source).");
        }

        var source = new JsonLinesFormat().Read(sourcePath, await File.ReadAllTextAsync(sourcePath, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Article is not null).Select(r => r.Article!).ToList();
        var items = Enumerable.Range(0, articles).Select(i => (N: i, Article: source[i % source.Count])).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var site = builder.Build();
        var root = string.Empty;
        var pages = Feed(items, i => $"{root}/a/{i}", full: false);
        var full = Feed(items, i => $"{root}/f/{i}", full: true);
        site.Run(context => ServeAsync(context, items, pages, full));
        await site.StartAsync(cancellationToken).ConfigureAwait(false);
        root = site.Urls.First().TrimEnd('/');
        (pages, full) = (Feed(items, i => $"{root}/a/{i}", full: false), Feed(items, i => $"{root}/f/{i}", full: true));

        await console.Out.WriteLineAsync($"source: {sourcePath}; {articles} items per feed on loopback; {Environment.ProcessorCount} cores").ConfigureAwait(false);
        await MeasureAsync("pages fetched  ", $"{root}/pages.xml", items, cancellationToken).ConfigureAwait(false);
        await MeasureAsync("full text in feed", $"{root}/full.xml", items, cancellationToken).ConfigureAwait(false);
        await site.StopAsync(cancellationToken).ConfigureAwait(false);
        return 0;

        async Task ServeAsync(HttpContext context, List<(int N, RawArticle Article)> all, string pagesFeed, string fullFeed)
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path is "/pages.xml" or "/full.xml")
            {
                context.Response.Headers.ETag = path == "/pages.xml" ? "\"pages\"" : "\"full\"";
                if (context.Request.Headers.IfNoneMatch == context.Response.Headers.ETag)
                {
                    context.Response.StatusCode = 304;
                    return;
                }

                context.Response.ContentType = "application/rss+xml; charset=utf-8";
                await context.Response.WriteAsync(path == "/pages.xml" ? pages : full).ConfigureAwait(false);
                return;
            }

            if (path.StartsWith("/a/", StringComparison.Ordinal) && int.TryParse(path[3..], CultureInfo.InvariantCulture, out var n) && n < all.Count)
            {
                var article = all[n].Article;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync($"""
                    <html><head><title>{SecurityElement.Escape(article.Title)}</title><link rel="canonical" href="{root}/a/{n}"></head>
                    <body><nav><a href="/">Home</a></nav><article><h1>{SecurityElement.Escape(article.Title)}</h1>{Paragraphs(article, n)}</article><footer>©</footer></body></html>
                    """).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = 404;
        }
    }

    private async Task MeasureAsync(string label, string feedUrl, List<(int N, RawArticle Article)> items, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), "briefingbot-bench-feeds", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(work, "corpus"));
        var settings = new Dictionary<string, string?>(overrides)
        {
            ["Storage:DatabasePath"] = Path.Combine(work, "bot.db"),
            ["Corpus:Path"] = Path.Combine(work, "corpus"),
            ["Embeddings:Enabled"] = "false",
            ["Feeds:AllowPrivateAddresses"] = "true",
            ["Feeds:MaxItems"] = items.Count.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Error",
        };
        try
        {
            using var host = BotHost.Build(console.ContentRoot, settings);
            var feeds = host.Services.GetRequiredService<IFeedStore>();
            var poller = host.Services.GetRequiredService<FeedPoller>();
            await feeds.AddFeedAsync(new FeedSource(feedUrl, null, TimeSpan.FromMinutes(15), true), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);

            var watch = Stopwatch.StartNew();
            var report = (await poller.PollAsync(all: true, cancellationToken).ConfigureAwait(false)).Single();
            var polled = watch.Elapsed;
            var newest = items[^1];
            var router = host.Services.GetRequiredService<ChatRouter>();
            watch.Restart();
            var answer = await router.HandleAsync(new AskRequest(newest.Article.Title ?? "news"), cancellationToken).ConfigureAwait(false);
            var answerable = watch.Elapsed;
            var found = answer is AnswerReply { Answer: var a } && a.Citations.Any(c => c.Article.Url?.EndsWith($"/{newest.N}", StringComparison.Ordinal) == true);

            watch.Restart();
            var again = (await poller.PollAsync(all: true, cancellationToken).ConfigureAwait(false)).Single();
            var repoll = watch.Elapsed;
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {report.Stored:N0} articles in {polled.TotalSeconds:F1} s = {report.Stored / polled.TotalSeconds:F1} articles/s " +
                $"({report.Failed} failed, {report.Syndicated} copies); newest item answered {answerable.TotalMilliseconds:F0} ms after the poll " +
                $"({(found ? "cited" : "not among the citations")}); second poll {(again.NotModified ? "304" : "200")} in {repoll.TotalMilliseconds:F0} ms"))
                .ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // left for the temp folder's clean-up
            }
        }
    }

    /// <summary>The article's paragraphs, the first marked with the item's number: a source's article served twice is two articles, not a copy.</summary>
    private static string Paragraphs(RawArticle article, int n) =>
        string.Concat(article.Paragraphs.Select((p, i) => $"<p>{SecurityElement.Escape(i == 0 ? $"{p} (report {n})" : p)}</p>"));

    private static string Feed(List<(int N, RawArticle Article)> items, Func<int, string> link, bool full)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench Wire</title>""");
        foreach (var (n, article) in items.AsEnumerable().Reverse())
        {
            var published = Core.Articles.PublishedDates.TryParse(article.Published ?? string.Empty) ?? DateTimeOffset.UnixEpoch;
            sb.Append(CultureInfo.InvariantCulture, $"<item><title>{SecurityElement.Escape(article.Title)}</title><link>{link(n)}</link><pubDate>{published:R}</pubDate>");
            if (full)
            {
                sb.Append("<content:encoded><![CDATA[").Append(Paragraphs(article, n)).Append("]]></content:encoded>");
            }

            sb.Append("</item>");
        }

        return sb.Append("</channel></rss>").ToString();
    }
}

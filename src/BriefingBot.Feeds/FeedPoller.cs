using System.Security.Cryptography;
using System.Text;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Feeds;
using BriefingBot.Core.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Feeds;

/// <summary>What one poll of a feed did.</summary>
public sealed record FeedPollReport(string Url, bool NotModified, int New, int Updated, int Unchanged, int Syndicated, int Failed, string? Error)
{
    public int Stored => New + Updated;
}

/// <summary>
/// Polls feeds and turns their items into articles: the full text from the feed when it carries it, otherwise
/// the linked page's main text. An item seen before unchanged is not fetched again; a changed one replaces its
/// article in place (same address, same article); the same text under another address is stored once, with both
/// addresses recorded. A feed that fails is logged with its address and the reason and tried again later, further
/// apart each time (with jitter, and never sooner than a <c>Retry-After</c> asks); the other feeds go on.
/// </summary>
public sealed partial class FeedPoller(
    IFeedStore feeds,
    ICorpusStore store,
    WebFetcher fetcher,
    IOptions<FeedOptions> options,
    IOptions<IngestionOptions> ingestion,
    TimeProvider time,
    ILogger<FeedPoller> logger,
    CorpusChanges? changes = null,
    Core.Diagnostics.BotMetrics? metrics = null,
    Core.Coordination.ILeaseStore? leases = null,
    Core.Briefing.StoryAssigner? stories = null)
{
    private const int ParallelFeeds = 4;

    /// <summary>How long an instance holds a feed while polling it; a poll that takes longer lets another instance start one.</summary>
    private static readonly TimeSpan PollLease = TimeSpan.FromMinutes(10);

    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    private readonly FeedOptions _options = options.Value;
    private readonly HtmlFormat _html = new();

    /// <summary>Puts the feeds of <c>Feeds:Sources</c> in the store (the settings win over what was stored for them).</summary>
    public async Task AddConfiguredAsync(CancellationToken cancellationToken = default)
    {
        foreach (var source in _options.Sources)
        {
            await feeds.AddFeedAsync(Validate(source.Url, source.Outlet, source.Interval, source.FetchArticles), time.GetUtcNow(), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>A feed as given in settings or on the command line, or why it cannot be one.</summary>
    public static FeedSource Validate(string url, string? outlet, TimeSpan? interval, bool fetchArticles)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new Core.BriefingBotException($"'{url}' is not a feed address: give an http or https URL.");
        }

        var every = interval ?? FeedOptions.DefaultInterval;
        if (every < TimeSpan.FromMinutes(1) && every != TimeSpan.Zero)
        {
            throw new Core.BriefingBotException($"A feed's interval must be at least a minute (got {every}).");
        }

        return new FeedSource(uri.AbsoluteUri, string.IsNullOrWhiteSpace(outlet) ? null : outlet.Trim(), every == TimeSpan.Zero ? FeedOptions.DefaultInterval : every, fetchArticles);
    }

    /// <summary>Polls the feeds that are due (all of them with <paramref name="all"/>), a few at a time.</summary>
    public async Task<IReadOnlyList<FeedPollReport>> PollAsync(bool all, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = (await feeds.GetFeedsAsync(cancellationToken).ConfigureAwait(false))
            .Where(feed => all || feed.NextPoll is null || feed.NextPoll <= now)
            .ToList();
        var reports = new FeedPollReport?[due.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, due.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelFeeds, CancellationToken = cancellationToken },
            async (i, ct) => reports[i] = await PollHeldAsync(due[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        var polled = reports.OfType<FeedPollReport>().ToList();
        if (stories is not null && polled.Any(r => r.Stored > 0))
        {
            try
            {
                await stories.AssignPendingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStoriesFailed(ex.Message);
            }
        }

        return polled;
    }

    /// <summary>
    /// Polls a feed unless another instance on the store is polling it now (a lease on the feed, given up after the
    /// poll); null when it is. The poll records when the feed is next due, so the other instances wait for that too.
    /// </summary>
    private async Task<FeedPollReport?> PollHeldAsync(FeedState feed, CancellationToken cancellationToken)
    {
        var name = "feed/" + feed.Feed.Url;
        if (leases is not null && !await leases.TryAcquireAsync(name, _instance, time.GetUtcNow(), PollLease, cancellationToken).ConfigureAwait(false))
        {
            LogPolledElsewhere(feed.Feed.Url);
            return null;
        }

        try
        {
            return await PollOneAsync(feed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (leases is not null)
            {
                await leases.ReleaseAsync(name, _instance, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The soonest instant a feed is due, or null when there are no feeds.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        var all = await feeds.GetFeedsAsync(cancellationToken).ConfigureAwait(false);
        return all.Count == 0 ? null : all.Min(feed => feed.NextPoll ?? DateTimeOffset.MinValue);
    }

    public async Task<FeedPollReport> PollOneAsync(FeedState feed, CancellationToken cancellationToken = default)
    {
        var url = feed.Feed.Url;
        try
        {
            var fetched = await fetcher.FetchAsync(new Uri(url), WebFetcher.FeedTypes, _options.MaxFeedBytes, feed.ETag, feed.LastModified, cancellationToken)
                .ConfigureAwait(false);
            if (fetched.NotModified)
            {
                await RecordAsync(feed, new FeedPollOutcome(feed.ETag, feed.LastModified, null, Next(feed, null, null)), cancellationToken).ConfigureAwait(false);
                LogNotModified(url);
                return new FeedPollReport(url, true, 0, 0, 0, 0, 0, null);
            }

            var parsed = FeedParser.Parse(fetched.Body, fetched.Charset, _options.MaxItems);
            int added = 0, updated = 0, unchanged = 0, syndicated = 0, failed = 0;
            var stored = new List<ArticleId>();

            // Oldest first, as they were published: an article's first sighting keeps the order of the news.
            foreach (var item in parsed.Items.Reverse())
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var (outcome, id) = await ItemAsync(feed.Feed, parsed.Title, item, cancellationToken).ConfigureAwait(false);
                    switch (outcome)
                    {
                        case ItemOutcome.New:
                            added++;
                            break;
                        case ItemOutcome.Updated:
                            updated++;
                            break;
                        case ItemOutcome.Syndicated:
                            syndicated++;
                            break;
                        default:
                            unchanged++;
                            break;
                    }

                    if (id is { } storedId)
                    {
                        stored.Add(storedId);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Whatever went wrong with this item, it is tried again at the next poll (it is not remembered);
                    // the feed's other items go on and the poll's ETag is kept.
                    failed++;
                    LogItemFailed(url, item.Link ?? item.Title ?? "(no link)", ex is FetchException or Core.BriefingBotException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
                }
            }

            changes?.Stored(stored);
            metrics?.Ingested("feed", added + updated);
            metrics?.IngestionErrors("feed", failed);
            await RecordAsync(feed, new FeedPollOutcome(fetched.ETag, fetched.LastModified, null, Next(feed, null, null)), cancellationToken).ConfigureAwait(false);
            LogPolled(url, added, updated, syndicated, unchanged, failed);
            return new FeedPollReport(url, false, added, updated, unchanged, syndicated, failed, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is FetchException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            var next = Next(feed, reason, (ex as FetchException)?.RetryAfter);
            LogFeedFailed(url, reason, next - time.GetUtcNow());
            metrics?.IngestionErrors("feed", 1);
            await RecordAsync(feed, new FeedPollOutcome(null, null, reason, next), CancellationToken.None).ConfigureAwait(false);
            return new FeedPollReport(url, false, 0, 0, 0, 0, 0, reason);
        }
    }

    private enum ItemOutcome
    {
        Unchanged,
        New,
        Updated,
        Syndicated,
    }

    private async Task<(ItemOutcome Outcome, ArticleId? Stored)> ItemAsync(FeedSource feed, string? feedTitle, FeedItem item, CancellationToken cancellationToken)
    {
        if (item.Link is null || !Uri.TryCreate(item.Link, UriKind.Absolute, out var linked))
        {
            throw new FetchException("the item has no link");
        }

        var link = ArticleUrls.Canonical(linked);
        var itemHash = Hash(item.Link, item.Title, item.Published?.ToString("O"), item.FullHtml, item.SummaryHtml);
        var known = await feeds.GetItemAsync(link.AbsoluteUri, cancellationToken).ConfigureAwait(false);
        if (known?.ItemHash == itemHash)
        {
            return (ItemOutcome.Unchanged, null); // seen before as it is now: not fetched again
        }

        var (raw, canonical) = await ReadItemAsync(feed, item, link, cancellationToken).ConfigureAwait(false);
        raw = raw with
        {
            Title = string.IsNullOrWhiteSpace(item.Title) ? raw.Title : item.Title,
            Outlet = feed.Outlet ?? raw.Outlet ?? feedTitle,
            Url = canonical.AbsoluteUri,
            Published = item.Published?.ToString("O") ?? raw.Published,
            Author = item.Author ?? raw.Author,
        };
        if (raw.Paragraphs.Sum(p => p.Length) > ingestion.Value.MaxArticleChars)
        {
            throw new FetchException($"article too long (over Corpus:MaxArticleChars = {ingestion.Value.MaxArticleChars:N0} characters)");
        }

        var now = time.GetUtcNow();
        var (built, problem) = ArticleBuilder.Build(raw, canonical.AbsoluteUri, ArticleUrls.IdFor(canonical), now);
        if (built is null)
        {
            throw new FetchException(problem ?? "no article text");
        }

        var sourcePath = known?.SourcePath ?? canonical.AbsoluteUri;
        var contentHash = Hash(built.Article.Title, built.Article.Text);
        var same = await feeds.FindSourceByHashAsync(contentHash, cancellationToken).ConfigureAwait(false);
        if (same is not null)
        {
            // The same text stored already: under this address (only the feed's wording changed), or another (syndication).
            await feeds.RememberItemAsync(link.AbsoluteUri, feed.Url, new FeedItemRecord(same, itemHash), now, cancellationToken).ConfigureAwait(false);
            return (same == sourcePath ? ItemOutcome.Unchanged : ItemOutcome.Syndicated, null);
        }

        var write = await store.ReplaceSourceAsync(new SourceRecord(sourcePath, contentHash, built.Article.Text.Length, now), [built], cancellationToken)
            .ConfigureAwait(false);
        foreach (var note in write.Problems)
        {
            LogItemNote(feed.Url, note.ToString());
        }

        await feeds.RememberItemAsync(link.AbsoluteUri, feed.Url, new FeedItemRecord(sourcePath, itemHash), now, cancellationToken).ConfigureAwait(false);
        return (known is null ? ItemOutcome.New : ItemOutcome.Updated, write.ArticlesStored > 0 ? built.Article.Id : null);
    }

    /// <summary>The item's article as a format reader would give it, and its canonical address.</summary>
    private async Task<(RawArticle Raw, Uri Canonical)> ReadItemAsync(FeedSource feed, FeedItem item, Uri link, CancellationToken cancellationToken)
    {
        if (item.FullHtml is { } full)
        {
            return (FromFeed(full), link);
        }

        if (feed.FetchArticles)
        {
            try
            {
                var page = await fetcher.FetchAsync(link, WebFetcher.PageTypes, _options.MaxPageBytes, cancellationToken: cancellationToken).ConfigureAwait(false);
                var text = Decode(page);
                var raw = FromHtml(page.FinalUrl, text);
                return (raw, CanonicalOf(feed, link, page.FinalUrl, raw.Url));
            }
            catch (FetchException ex) when (!string.IsNullOrWhiteSpace(item.SummaryHtml))
            {
                LogPageFailed(link.AbsoluteUri, ex.Message);
            }
        }

        return (FromFeed(item.SummaryHtml ?? string.Empty), link);
    }

    /// <summary>
    /// The address a fetched page is stored under: the canonical address it names when that is on the item's own host
    /// (the linked or the redirected-to one, <c>www.</c> aside) or a host the feed's <c>CanonicalHosts</c> allow;
    /// otherwise the address it was read from.
    /// </summary>
    private Uri CanonicalOf(FeedSource feed, Uri link, Uri read, string? named)
    {
        if (named is null || !Uri.TryCreate(read, named, out var resolved) || (resolved.Scheme != Uri.UriSchemeHttp && resolved.Scheme != Uri.UriSchemeHttps))
        {
            return ArticleUrls.Canonical(read);
        }

        var host = Host(resolved);
        var allowed = _options.Sources.FirstOrDefault(s => Same(s.Url, feed.Url))?.CanonicalHosts ?? [];
        if (host == Host(link) || host == Host(read)
            || allowed.Select(a => a.Trim().TrimStart('.').ToLowerInvariant()).Any(a => a.Length > 0 && (host == a || host.EndsWith("." + a, StringComparison.Ordinal))))
        {
            return ArticleUrls.Canonical(resolved);
        }

        LogForeignCanonical(feed.Url, read.AbsoluteUri, resolved.Host);
        return ArticleUrls.Canonical(read);

        static string Host(Uri uri) => uri.IdnHost.ToLowerInvariant() is var h && h.StartsWith("www.", StringComparison.Ordinal) ? h[4..] : h;
        static bool Same(string a, string b) => Uri.TryCreate(a.Trim(), UriKind.Absolute, out var x) && x.AbsoluteUri == b;
    }

    /// <summary>An item's own HTML is all article: read whole, not searched for a main text.</summary>
    private static RawArticle FromFeed(string html) =>
        HtmlFormat.FragmentParagraphs(html) is { Count: > 0 } paragraphs
            ? new RawArticle(null, null, null, null, null, null, paragraphs)
            : throw new FetchException("no article text in the item");

    private RawArticle FromHtml(Uri source, string html) =>
        _html.Read(source.AbsoluteUri, html).FirstOrDefault() is { Article: { } article } ? article : throw new FetchException("no article text in the page");

    /// <summary>In the charset the response names, else the one the page declares, else as a browser would guess it.</summary>
    private static string Decode(FetchResult page) =>
        SourceDecoder.DecodePage(page.Body, page.Charset) is { Text: { } text } ? text : throw new FetchException("the page's text could not be decoded");

    private DateTimeOffset Next(FeedState feed, string? error, TimeSpan? retryAfter)
    {
        var now = time.GetUtcNow();
        if (error is null)
        {
            return now + feed.Feed.Interval;
        }

        // Twice as long after each failure in a row, up to Feeds:MaxBackoff, give or take a fifth so that feeds
        // failing together do not come back together.
        var wait = Core.Retries.Backoff.Doubling(Math.Min(feed.Failures, 20) + 1, feed.Feed.Interval, _options.MaxBackoff);
        wait *= 0.8 + (0.4 * Random.Shared.NextDouble());
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked;
        }

        return now + wait;
    }

    private Task RecordAsync(FeedState feed, FeedPollOutcome outcome, CancellationToken cancellationToken) =>
        feeds.RecordPollAsync(feed.Feed.Url, outcome, time.GetUtcNow(), cancellationToken);

    private static string Hash(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p ?? string.Empty)))));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {Url}: not modified")]
    private partial void LogNotModified(string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {Url}: {New} new, {Updated} updated, {Syndicated} copies of stored articles, {Unchanged} unchanged, {Failed} failed")]
    private partial void LogPolled(string url, int @new, int updated, int syndicated, int unchanged, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Url} failed: {Reason}; next try in {Wait}")]
    private partial void LogFeedFailed(string url, string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Url}: item {Item} not stored: {Reason}; tried again at the next poll")]
    private partial void LogItemFailed(string url, string item, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {Url}: {Note}")]
    private partial void LogItemNote(string url, string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The page {Url} could not be read ({Reason}); the feed's summary is stored instead")]
    private partial void LogPageFailed(string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Url}: the page {Page} names an address on {Host} as its own; it is stored under the address it was read from (allow the host with the feed's CanonicalHosts setting)")]
    private partial void LogForeignCanonical(string url, string page, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {Url} is being polled by another instance; skipped here")]
    private partial void LogPolledElsewhere(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The new feed articles could not be given their stories ({Reason}); briefings group their days afresh and the next poll tries again")]
    private partial void LogStoriesFailed(string reason);
}

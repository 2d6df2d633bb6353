using BriefingBot.Core.Feeds;

namespace BriefingBot.Storage.Postgres;

/// <summary>News feeds: their poll state, their items and the sources items were stored under.</summary>
public sealed partial class PostgresCorpusStore : IFeedStore
{
    public async Task<IReadOnlyList<FeedState>> GetFeedsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<FeedState>();
        await ReadAsync("""
            SELECT f.url, f.outlet, f.interval_seconds, f.fetch_articles, f.etag, f.last_modified, f.last_success, f.last_error,
                   f.last_error_at, f.failures, f.next_poll,
                   (SELECT count(DISTINCT a.id) FROM feed_items i JOIN articles a ON a.source_path = i.source_path WHERE i.feed_url = f.url)
            FROM feeds f ORDER BY f.added_at, f.url COLLATE "C"
            """, [], reader => result.Add(new FeedState(
                new FeedSource(reader.GetString(0), Db.NullableString(reader, 1), TimeSpan.FromSeconds(reader.GetInt64(2)), reader.GetBoolean(3)),
                Db.NullableString(reader, 4), Db.NullableString(reader, 5), NullableInstant(reader, 6), Db.NullableString(reader, 7), NullableInstant(reader, 8), reader.GetInt32(9),
                NullableInstant(reader, 10), (int)reader.GetInt64(11))), cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task AddFeedAsync(FeedSource feed, DateTimeOffset now, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO feeds (url, outlet, interval_seconds, fetch_articles, added_at) VALUES (@url, @outlet, @interval, @fetch, @now)
        ON CONFLICT (url) DO UPDATE SET outlet = excluded.outlet, interval_seconds = excluded.interval_seconds, fetch_articles = excluded.fetch_articles
        """, [("@url", feed.Url), ("@outlet", feed.Outlet), ("@interval", (long)feed.Interval.TotalSeconds), ("@fetch", feed.FetchArticles), ("@now", Utc(now))],
        cancellationToken);

    public async Task<bool> RemoveFeedAsync(string url, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM feeds WHERE url = @url", [("@url", url)], cancellationToken).ConfigureAwait(false) > 0;

    public Task RecordPollAsync(string url, FeedPollOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken = default) => outcome.Error is null
        ? ExecuteAsync("UPDATE feeds SET etag = @etag, last_modified = @modified, last_success = @now, failures = 0, next_poll = @next WHERE url = @url",
            [("@url", url), ("@etag", outcome.ETag), ("@modified", outcome.LastModified), ("@now", Utc(now)), ("@next", Utc(outcome.NextPoll))], cancellationToken)
        : ExecuteAsync("UPDATE feeds SET last_error = @error, last_error_at = @now, failures = failures + 1, next_poll = @next WHERE url = @url",
            [("@url", url), ("@error", outcome.Error), ("@now", Utc(now)), ("@next", Utc(outcome.NextPoll))], cancellationToken);

    public async Task<FeedItemRecord?> GetItemAsync(string itemUrl, CancellationToken cancellationToken = default)
    {
        FeedItemRecord? item = null;
        await ReadAsync("SELECT source_path, item_hash FROM feed_items WHERE url = @url", [("@url", itemUrl)],
            reader => item = new FeedItemRecord(reader.GetString(0), reader.GetString(1)), cancellationToken).ConfigureAwait(false);
        return item;
    }

    public Task RememberItemAsync(string itemUrl, string feedUrl, FeedItemRecord item, DateTimeOffset now, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO feed_items (url, feed_url, source_path, item_hash, seen_at) VALUES (@url, @feed, @source, @hash, @now)
        ON CONFLICT (url) DO UPDATE SET source_path = excluded.source_path, item_hash = excluded.item_hash, seen_at = excluded.seen_at
        """, [("@url", itemUrl), ("@feed", feedUrl), ("@source", item.SourcePath), ("@hash", item.ItemHash), ("@now", Utc(now))], cancellationToken);

    public async Task<string?> FindSourceByHashAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        string? path = null;
        await ReadAsync("SELECT path FROM sources WHERE hash = @hash ORDER BY ingested_at LIMIT 1", [("@hash", contentHash)],
            reader => path = reader.GetString(0), cancellationToken).ConfigureAwait(false);
        return path;
    }

    public async Task<IReadOnlyList<string>> GetItemUrlsAsync(string sourcePath, CancellationToken cancellationToken = default)
    {
        var result = new List<string>();
        await ReadAsync("SELECT url FROM feed_items WHERE source_path = @source ORDER BY seen_at, url COLLATE \"C\"", [("@source", sourcePath)],
            reader => result.Add(reader.GetString(0)), cancellationToken).ConfigureAwait(false);
        return result;
    }
}

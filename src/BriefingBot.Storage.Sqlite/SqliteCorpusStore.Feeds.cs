using System.Globalization;
using BriefingBot.Core.Feeds;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IFeedStore
{
    public Task<IReadOnlyList<FeedState>> GetFeedsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT f.url, f.outlet, f.interval_seconds, f.fetch_articles, f.etag, f.last_modified, f.last_success, f.last_error,
                   f.last_error_at, f.failures, f.next_poll,
                   (SELECT count(DISTINCT a.id) FROM feed_items i JOIN articles a ON a.source_path = i.source_path WHERE i.feed_url = f.url)
            FROM feeds f ORDER BY f.added_at, f.url
            """;
        var result = new List<FeedState>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new FeedState(
                new FeedSource(reader.GetString(0), Db.NullableString(reader, 1), TimeSpan.FromSeconds(reader.GetInt64(2)), reader.GetInt64(3) != 0),
                Db.NullableString(reader, 4), Db.NullableString(reader, 5), Instant(reader, 6), Db.NullableString(reader, 7), Instant(reader, 8), reader.GetInt32(9), Instant(reader, 10),
                reader.GetInt32(11)));
        }

        return Task.FromResult<IReadOnlyList<FeedState>>(result);
    }

    public Task AddFeedAsync(FeedSource feed, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO feeds (url, outlet, interval_seconds, fetch_articles, added_at) VALUES ($url, $outlet, $interval, $fetch, $now)
            ON CONFLICT (url) DO UPDATE SET outlet = excluded.outlet, interval_seconds = excluded.interval_seconds, fetch_articles = excluded.fetch_articles
            """;
        command.Parameters.AddWithValue("$url", feed.Url);
        command.Parameters.AddWithValue("$outlet", (object?)feed.Outlet ?? DBNull.Value);
        command.Parameters.AddWithValue("$interval", (long)feed.Interval.TotalSeconds);
        command.Parameters.AddWithValue("$fetch", feed.FetchArticles ? 1 : 0);
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<bool> RemoveFeedAsync(string url, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM feeds WHERE url = $url";
        command.Parameters.AddWithValue("$url", url);
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    public Task RecordPollAsync(string url, FeedPollOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = outcome.Error is null
            ? """
              UPDATE feeds SET etag = $etag, last_modified = $modified, last_success = $now, failures = 0, next_poll = $next
              WHERE url = $url
              """
            : """
              UPDATE feeds SET last_error = $error, last_error_at = $now, failures = failures + 1, next_poll = $next
              WHERE url = $url
              """;
        command.Parameters.AddWithValue("$url", url);
        command.Parameters.AddWithValue("$etag", (object?)outcome.ETag ?? DBNull.Value);
        command.Parameters.AddWithValue("$modified", (object?)outcome.LastModified ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)outcome.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        command.Parameters.AddWithValue("$next", FormatInstant(outcome.NextPoll));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<FeedItemRecord?> GetItemAsync(string itemUrl, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT source_path, item_hash FROM feed_items WHERE url = $url";
        command.Parameters.AddWithValue("$url", itemUrl);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? new FeedItemRecord(reader.GetString(0), reader.GetString(1)) : null);
    }

    public Task RememberItemAsync(string itemUrl, string feedUrl, FeedItemRecord item, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO feed_items (url, feed_url, source_path, item_hash, seen_at) VALUES ($url, $feed, $source, $hash, $now)
            ON CONFLICT (url) DO UPDATE SET source_path = excluded.source_path, item_hash = excluded.item_hash, seen_at = excluded.seen_at
            """;
        command.Parameters.AddWithValue("$url", itemUrl);
        command.Parameters.AddWithValue("$feed", feedUrl);
        command.Parameters.AddWithValue("$source", item.SourcePath);
        command.Parameters.AddWithValue("$hash", item.ItemHash);
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<string?> FindSourceByHashAsync(string contentHash, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path FROM sources WHERE hash = $hash ORDER BY ingested_at LIMIT 1";
        command.Parameters.AddWithValue("$hash", contentHash);
        return Task.FromResult(command.ExecuteScalar() as string);
    }

    public Task<IReadOnlyList<string>> GetItemUrlsAsync(string sourcePath, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT url FROM feed_items WHERE source_path = $source ORDER BY seen_at, url";
        command.Parameters.AddWithValue("$source", sourcePath);
        var result = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return Task.FromResult<IReadOnlyList<string>>(result);
    }

    private static DateTimeOffset? Instant(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : ParseInstant(reader.GetString(column));
}

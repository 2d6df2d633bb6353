using System.Globalization;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Follows;

namespace BriefingBot.Storage.Postgres;

/// <summary>Followed topics: each channel's topics, the posts they queue, the cursor over what was stored.</summary>
public sealed partial class PostgresCorpusStore : IFollowStore
{
    public async Task<bool> AddFollowAsync(Follow follow, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("INSERT INTO follows (channel, words, created_by, created_at) VALUES (@channel, @words, @by, @at) ON CONFLICT DO NOTHING",
            [("@channel", follow.Channel), ("@words", follow.Words), ("@by", follow.CreatedBy), ("@at", Utc(follow.CreatedAt))], cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> RemoveFollowAsync(string channel, string words, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM follows WHERE channel = @channel AND words = @words", [("@channel", channel), ("@words", words)], cancellationToken)
            .ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<Follow>> GetFollowsAsync(string? channel, CancellationToken cancellationToken = default)
    {
        var result = new List<Follow>();
        await ReadAsync("SELECT channel, words, created_by, created_at FROM follows WHERE @channel::text IS NULL OR channel = @channel::text ORDER BY created_at, words COLLATE \"C\"",
            [("@channel", channel)], reader => result.Add(new Follow(reader.GetString(0), reader.GetString(1), Db.NullableString(reader, 2), Instant(reader, 3))),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<bool> QueueAsync(QueuedPost post, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("INSERT INTO follow_posts (channel, article_id, words, state, queued_at) VALUES (@channel, @article, @words, 'queued', @at) ON CONFLICT DO NOTHING",
            [("@channel", post.Channel), ("@article", post.Article.Value), ("@words", post.Words), ("@at", Utc(post.QueuedAt))], cancellationToken).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<QueuedPost>> GetQueuedAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<QueuedPost>();
        await ReadAsync("SELECT channel, article_id, words, queued_at FROM follow_posts WHERE state = 'queued' ORDER BY queued_at, seq", [],
            reader => result.Add(new QueuedPost(reader.GetString(0), new ArticleId(reader.GetString(1)), reader.GetString(2), Instant(reader, 3))),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<ArticleId>> TakeAsync(string channel, IReadOnlyCollection<ArticleId> articles, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One post carries them all: the first is counted as the post, the rest as gathered into it. An instance taking
        // the same post at once waits on the row and then finds it no longer queued.
        var taken = new List<ArticleId>();
        foreach (var id in articles)
        {
            if (Db.Execute(connection, transaction,
                    "UPDATE follow_posts SET state = @state, posted_at = @now WHERE channel = @channel AND article_id = @article AND state = 'queued'",
                    ("@state", taken.Count == 0 ? "posted" : "gathered"), ("@now", Utc(now)), ("@channel", channel), ("@article", id.Value)) > 0)
            {
                taken.Add(id);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    public async Task<int> CountPostedAsync(string channel, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await ReadAsync("SELECT count(*) FROM follow_posts WHERE channel = @channel AND state = 'posted' AND posted_at >= @since",
            [("@channel", channel), ("@since", Utc(since))], reader => count = (int)reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return count;
    }

    public async Task<long> GetFollowCursorAsync(CancellationToken cancellationToken = default)
    {
        // Passage ids are never used twice and grow with every write, in commit order: they order what was stored.
        await ExecuteAsync("INSERT INTO meta (key, value) SELECT 'follow_cursor', coalesce(max(id), 0)::text FROM passages ON CONFLICT (key) DO NOTHING", [], cancellationToken)
            .ConfigureAwait(false);
        long cursor = 0;
        await ReadAsync("SELECT value::bigint FROM meta WHERE key = 'follow_cursor'", [], reader => cursor = reader.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return cursor;
    }

    public Task SetFollowCursorAsync(long cursor, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO meta (key, value) VALUES ('follow_cursor', @cursor)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value::bigint < excluded.value::bigint
        """, [("@cursor", cursor.ToString(CultureInfo.InvariantCulture))], cancellationToken);

    public async Task<(IReadOnlyList<ArticleId> Articles, long Cursor)> GetStoredAfterAsync(long cursor, int limit, CancellationToken cancellationToken = default)
    {
        var articles = new List<ArticleId>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = cursor;
        await ReadAsync("SELECT id, article_id FROM passages WHERE id > @after ORDER BY id LIMIT @limit", [("@after", cursor), ("@limit", limit)], reader =>
        {
            next = reader.GetInt64(0);
            if (seen.Add(reader.GetString(1)))
            {
                articles.Add(new ArticleId(reader.GetString(1)));
            }
        }, cancellationToken).ConfigureAwait(false);
        return (articles, next);
    }
}

using System.Data.Common;
using System.Globalization;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Feedback;
using BriefingBot.Core.Feeds;
using BriefingBot.Core.Follows;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Settings;

namespace BriefingBot.Storage.Postgres;

/// <summary>The bot's own state beside the corpus: rejected files, feeds, follows, feedback and channel settings.</summary>
public sealed partial class PostgresCorpusStore : IRejectedSources, IFeedStore, IFollowStore, IFeedbackStore, IChannelSettingsStore
{
    private byte[]? _voterKey;

    public async Task<IReadOnlyDictionary<string, RejectedSource>> GetRejectedAsync(CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, RejectedSource>(StringComparer.Ordinal);
        await ReadAsync("SELECT path, length, modified_ticks, problems FROM rejected_sources", [], reader =>
        {
            var path = reader.GetString(0);
            result[path] = new RejectedSource(path, reader.GetInt64(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), StoredForm.DecodeProblems(path, reader.GetString(3)));
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task RememberRejectedAsync(RejectedSource source, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO rejected_sources (path, length, modified_ticks, problems) VALUES (@path, @length, @ticks, @problems)
        ON CONFLICT (path) DO UPDATE SET length = excluded.length, modified_ticks = excluded.modified_ticks, problems = excluded.problems
        """, [("@path", source.Path), ("@length", source.Length), ("@ticks", source.Modified.UtcTicks), ("@problems", StoredForm.EncodeProblems(source.Problems))],
        cancellationToken);

    public Task ForgetRejectedAsync(string path, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM rejected_sources WHERE path = @path", [("@path", path)], cancellationToken);

    public async Task<IReadOnlyList<FeedState>> GetFeedsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<FeedState>();
        await ReadAsync("""
            SELECT f.url, f.outlet, f.interval_seconds, f.fetch_articles, f.etag, f.last_modified, f.last_success, f.last_error,
                   f.last_error_at, f.failures, f.next_poll,
                   (SELECT count(DISTINCT a.id) FROM feed_items i JOIN articles a ON a.source_path = i.source_path WHERE i.feed_url = f.url)
            FROM feeds f ORDER BY f.added_at, f.url COLLATE "C"
            """, [], reader => result.Add(new FeedState(
                new FeedSource(reader.GetString(0), NullableString(reader, 1), TimeSpan.FromSeconds(reader.GetInt64(2)), reader.GetBoolean(3)),
                NullableString(reader, 4), NullableString(reader, 5), NullableInstant(reader, 6), NullableString(reader, 7), NullableInstant(reader, 8), reader.GetInt32(9),
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
            [("@channel", channel)], reader => result.Add(new Follow(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), Instant(reader, 3))),
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

    public Task RememberAnswerAsync(ShownAnswer answer, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO shown_answers (id, platform, channel, question, shown, sources, generated, shown_at)
        VALUES (@id, @platform, @channel, @question, @shown, @sources, @generated, @at)
        """, [("@id", answer.Id), ("@platform", answer.Platform), ("@channel", answer.Channel), ("@question", answer.Question), ("@shown", answer.Shown),
        ("@sources", answer.Sources.ToArray()), ("@generated", answer.Generated), ("@at", Utc(answer.ShownAt))], cancellationToken);

    public async Task<byte[]> VoterKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_voterKey is null)
        {
            string? key = null;
            await ReadAsync("SELECT value FROM meta WHERE key = 'voter_key'", [], reader => key = reader.GetString(0), cancellationToken).ConfigureAwait(false);
            _voterKey = Convert.FromHexString(key!);
        }

        return _voterKey;
    }

    public async Task<(bool Known, bool? Before)> VoteAsync(string answerId, string voter, bool up, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The answer's row is locked, so two votes of one voter at once are counted as one change of mind.
        if (Db.Scalar(connection, transaction, "SELECT 1 FROM shown_answers WHERE id = @answer FOR UPDATE", ("@answer", answerId)) is null)
        {
            return (false, null);
        }

        var before = Db.Scalar(connection, transaction, "SELECT up FROM votes WHERE answer_id = @answer AND voter = @voter", ("@answer", answerId), ("@voter", voter)) as bool?;
        Db.Execute(connection, transaction, """
            INSERT INTO votes (answer_id, voter, up, voted_at) VALUES (@answer, @voter, @up, @at)
            ON CONFLICT (answer_id, voter) DO UPDATE SET up = excluded.up, voted_at = excluded.voted_at
            """, ("@answer", answerId), ("@voter", voter), ("@up", up), ("@at", Utc(now)));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (true, before);
    }

    public async Task<bool> CommentAsync(string answerId, string voter, string comment, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("UPDATE votes SET comment = @comment, voted_at = @at WHERE answer_id = @answer AND voter = @voter",
            [("@answer", answerId), ("@voter", voter), ("@comment", comment), ("@at", Utc(now))], cancellationToken).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<VoteCount>> CountVotesAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<VoteCount>();
        await ReadAsync("""
            SELECT (v.voted_at AT TIME ZONE 'UTC')::date, a.platform, count(*) FILTER (WHERE v.up), count(*) FILTER (WHERE NOT v.up)
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            GROUP BY 1, 2 ORDER BY 1, a.platform COLLATE "C"
            """, [], reader => result.Add(new VoteCount(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<(ShownAnswer Answer, AnswerVote Vote)>> VotedDownAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<(ShownAnswer, AnswerVote)>();
        await ReadAsync("""
            SELECT a.id, a.platform, a.channel, a.question, a.shown, a.sources, a.generated, a.shown_at, v.voter, v.comment, v.voted_at
            FROM votes v JOIN shown_answers a ON a.id = v.answer_id
            WHERE NOT v.up ORDER BY v.voted_at DESC
            """, [], reader =>
        {
            var answer = new ShownAnswer(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5), reader.GetBoolean(6), Instant(reader, 7));
            result.Add((answer, new AnswerVote(answer.Id, reader.GetString(8), false, NullableString(reader, 9), Instant(reader, 10))));
        }, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<ChannelSettings>> GetChannelSettingsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ChannelSettings>();
        await ReadAsync("SELECT channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at FROM channel_settings", [], reader =>
            result.Add(new ChannelSettings(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetBoolean(2),
                reader.IsDBNull(3) ? null : TimeOnly.ParseExact(reader.GetString(3), "HH:mm", CultureInfo.InvariantCulture),
                NullableString(reader, 4),
                NullableString(reader, 5),
                Instant(reader, 6))), cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task SaveChannelSettingsAsync(ChannelSettings settings, CancellationToken cancellationToken = default) => ExecuteAsync("""
        INSERT INTO channel_settings (channel, only_asker, briefing_on, briefing_time, briefing_zone, updated_by, updated_at)
        VALUES (@channel, @asker, @on, @time, @zone, @by, @at)
        ON CONFLICT (channel) DO UPDATE SET only_asker = excluded.only_asker, briefing_on = excluded.briefing_on, briefing_time = excluded.briefing_time,
            briefing_zone = excluded.briefing_zone, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """, [("@channel", settings.Channel), ("@asker", settings.OnlyAsker), ("@on", settings.BriefingOn),
        ("@time", settings.BriefingTime?.ToString("HH:mm", CultureInfo.InvariantCulture)), ("@zone", settings.BriefingZone), ("@by", settings.UpdatedBy),
        ("@at", Utc(settings.UpdatedAt))], cancellationToken);

    private async Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadAsync(string sql, (string Name, object? Value)[] parameters, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row(reader);
        }
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableInstant(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Instant(reader, ordinal);
}

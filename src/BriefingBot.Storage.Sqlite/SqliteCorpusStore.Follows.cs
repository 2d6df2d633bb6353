using BriefingBot.Core.Articles;
using BriefingBot.Core.Follows;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IFollowStore
{
    public Task<bool> AddFollowAsync(Follow follow, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO follows (channel, words, created_by, created_at) VALUES ($channel, $words, $by, $at) ON CONFLICT DO NOTHING";
        command.Parameters.AddWithValue("$channel", follow.Channel);
        command.Parameters.AddWithValue("$words", follow.Words);
        command.Parameters.AddWithValue("$by", (object?)follow.CreatedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", FormatInstant(follow.CreatedAt));
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    public Task<bool> RemoveFollowAsync(string channel, string words, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM follows WHERE channel = $channel AND words = $words";
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$words", words);
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    public Task<IReadOnlyList<Follow>> GetFollowsAsync(string? channel, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel, words, created_by, created_at FROM follows WHERE $channel IS NULL OR channel = $channel ORDER BY created_at, words";
        command.Parameters.AddWithValue("$channel", (object?)channel ?? DBNull.Value);
        var result = new List<Follow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new Follow(reader.GetString(0), reader.GetString(1), Db.NullableString(reader, 2), ParseInstant(reader.GetString(3))));
        }

        return Task.FromResult<IReadOnlyList<Follow>>(result);
    }

    public Task<bool> QueueAsync(QueuedPost post, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO follow_posts (channel, article_id, words, state, queued_at) VALUES ($channel, $article, $words, 'queued', $at)
            ON CONFLICT DO NOTHING
            """;
        command.Parameters.AddWithValue("$channel", post.Channel);
        command.Parameters.AddWithValue("$article", post.Article.Value);
        command.Parameters.AddWithValue("$words", post.Words);
        command.Parameters.AddWithValue("$at", FormatInstant(post.QueuedAt));
        return Task.FromResult(command.ExecuteNonQuery() > 0);
    }

    public Task<IReadOnlyList<QueuedPost>> GetQueuedAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel, article_id, words, queued_at FROM follow_posts WHERE state = 'queued' ORDER BY queued_at, rowid";
        var result = new List<QueuedPost>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new QueuedPost(reader.GetString(0), new ArticleId(reader.GetString(1)), reader.GetString(2), ParseInstant(reader.GetString(3))));
        }

        return Task.FromResult<IReadOnlyList<QueuedPost>>(result);
    }

    public Task<IReadOnlyList<ArticleId>> TakeAsync(string channel, IReadOnlyCollection<ArticleId> articles, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // One post carries them all: the first is counted as the post, the rest as gathered into it.
        command.CommandText = "UPDATE follow_posts SET state = $state, posted_at = $now WHERE channel = $channel AND article_id = $article AND state = 'queued'";
        command.Parameters.AddWithValue("$channel", channel);
        var state = command.Parameters.AddWithValue("$state", "posted");
        command.Parameters.AddWithValue("$now", FormatInstant(now));
        var article = command.Parameters.Add("$article", Microsoft.Data.Sqlite.SqliteType.Text);
        var taken = new List<ArticleId>();
        foreach (var id in articles)
        {
            article.Value = id.Value;
            if (command.ExecuteNonQuery() > 0)
            {
                taken.Add(id);
                state.Value = "gathered";
            }
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<ArticleId>>(taken);
    }

    public Task<int> CountPostedAsync(string channel, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM follow_posts WHERE channel = $channel AND state = 'posted' AND posted_at >= $since";
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$since", FormatInstant(since));
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<long> GetFollowCursorAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // Passage ids are never used twice and grow with every write: they order what was stored.
        command.CommandText = """
            INSERT INTO meta (key, value) SELECT 'follow_cursor', coalesce((SELECT max(id) FROM passages), 0) WHERE true ON CONFLICT (key) DO NOTHING;
            SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'follow_cursor';
            """;
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task SetFollowCursorAsync(long cursor, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO meta (key, value) VALUES ('follow_cursor', $cursor)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)
            """;
        command.Parameters.AddWithValue("$cursor", cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<ArticleId> Articles, long Cursor)> GetStoredAfterAsync(long cursor, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, article_id FROM passages WHERE id > $after ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$after", cursor);
        command.Parameters.AddWithValue("$limit", limit);
        var articles = new List<ArticleId>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = cursor;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            next = reader.GetInt64(0);
            if (seen.Add(reader.GetString(1)))
            {
                articles.Add(new ArticleId(reader.GetString(1)));
            }
        }

        return Task.FromResult<(IReadOnlyList<ArticleId>, long)>((articles, next));
    }
}

using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Storage;

namespace BriefingBot.Storage.Postgres;

public sealed partial class PostgresCorpusStore : IStoryStore
{
    public async Task SetStoriesAsync(IReadOnlyDictionary<ArticleId, string> stories, CancellationToken cancellationToken = default)
    {
        if (stories.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, """
            INSERT INTO article_stories (article_id, story) SELECT * FROM unnest(@articles, @stories)
            ON CONFLICT (article_id) DO UPDATE SET story = excluded.story
            """,
            ("@articles", stories.Keys.Select(a => a.Value).ToArray()), ("@stories", stories.Values.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<ArticleId, string>> GetStoriesAsync(IReadOnlyCollection<ArticleId> articles, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<ArticleId, string>();
        if (articles.Count == 0)
        {
            return result;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, "SELECT article_id, story FROM article_stories WHERE article_id = ANY(@ids)",
            ("@ids", articles.Select(id => id.Value).ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[new ArticleId(reader.GetString(0))] = reader.GetString(1);
        }

        return result;
    }

    public async Task<IReadOnlyList<DateOnly>> GetDaysWithoutStoriesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, """
            SELECT DISTINCT (coalesce(a.published_utc, a.first_ingested) AT TIME ZONE 'UTC')::date AS day FROM articles a
            WHERE NOT EXISTS (SELECT 1 FROM article_stories s WHERE s.article_id = a.id) ORDER BY day
            """);
        var result = new List<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(DateOnly.FromDateTime(reader.GetDateTime(0)));
        }

        return result;
    }

    public async Task<IReadOnlyList<ArticleId>> GetStoryArticlesAsync(string story, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Db.Command(connection, null, """
            SELECT s.article_id FROM article_stories s JOIN articles a ON a.id = s.article_id
            WHERE s.story = @story ORDER BY coalesce(a.published_utc, a.first_ingested), a.id LIMIT @limit
            """, ("@story", story), ("@limit", limit));
        var result = new List<ArticleId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ArticleId(reader.GetString(0)));
        }

        return result;
    }
}

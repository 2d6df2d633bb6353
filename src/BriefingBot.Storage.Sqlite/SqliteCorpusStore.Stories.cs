using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IStoryStore
{
    public Task SetStoriesAsync(IReadOnlyDictionary<ArticleId, string> stories, CancellationToken cancellationToken = default)
    {
        if (stories.Count == 0)
        {
            return Task.CompletedTask;
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = Command(connection, transaction,
            "INSERT INTO article_stories (article_id, story) VALUES ($article, $story) ON CONFLICT (article_id) DO UPDATE SET story = excluded.story",
            "$article", "$story");
        foreach (var (article, story) in stories)
        {
            Bind(command, article.Value, story);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyDictionary<ArticleId, string>> GetStoriesAsync(IReadOnlyCollection<ArticleId> articles, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<ArticleId, string>();
        using var connection = Open();
        foreach (var chunk in articles.Chunk(500))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT article_id, story FROM article_stories WHERE article_id IN ({Parameters(command, chunk.Select(id => (object)id.Value))})";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[new ArticleId(reader.GetString(0))] = reader.GetString(1);
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<DateOnly>> GetDaysWithoutStoriesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT substr(coalesce(a.published_utc, a.first_ingested), 1, 10) AS day FROM articles a
            WHERE NOT EXISTS (SELECT 1 FROM article_stories s WHERE s.article_id = a.id) ORDER BY day
            """;
        var result = new List<DateOnly>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (DateOnly.TryParseExact(reader.GetString(0), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                result.Add(day);
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<ArticleId>> GetStoryArticlesAsync(string story, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.article_id FROM article_stories s JOIN articles a ON a.id = s.article_id
            WHERE s.story = $story ORDER BY coalesce(a.published_utc, a.first_ingested), a.id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$story", story);
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<ArticleId>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ArticleId(reader.GetString(0)));
        }

        return result;
    }
}

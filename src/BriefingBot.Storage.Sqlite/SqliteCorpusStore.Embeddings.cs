using System.Globalization;
using System.Runtime.InteropServices;
using BriefingBot.Core.Articles;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    public async Task<IReadOnlyList<(long PassageId, string Text)>> GetPassagesWithoutEmbeddingAsync(string model, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        ForgetOtherModels(connection, model);
        using var command = connection.CreateCommand();
        // One passage per distinct own text (the passage less the sentence it shares with the one before):
        // copies share a vector.
        command.CommandText = """
            SELECT min(p.id), p.text, p.own_start FROM passages p
            WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash AND v.model = $model)
            GROUP BY p.text_hash
            ORDER BY min(p.id)
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<(long, string)>(limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetInt64(0), reader.GetString(1)[reader.GetInt32(2)..]));
        }

        return result;
    }

    public async Task<int> CountPassagesWithoutEmbeddingAsync(string model, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(DISTINCT p.text_hash) FROM passages p
            WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash AND v.model = $model)
            """;
        command.Parameters.AddWithValue("$model", model);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public Task StoreEmbeddingsAsync(string model, IReadOnlyList<(long PassageId, float[] Vector)> embeddings, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO vectors (text_hash, model, vector)
            SELECT text_hash, $model, $vector FROM passages WHERE id = $id
            """;
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        command.Parameters.AddWithValue("$model", model);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var (passageId, values) in embeddings)
        {
            id.Value = passageId;
            vector.Value = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            command.ExecuteNonQuery();
        }

        Execute(connection, $"INSERT OR REPLACE INTO meta (key, value) VALUES ('embedding_model', '{model.Replace("'", "''", StringComparison.Ordinal)}')", transaction);
        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScoredPassage>> SearchVectorAsync(ReadOnlyMemory<float> query, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        var model = Meta(connection, "embedding_model");
        if (model is null)
        {
            return Task.FromResult<IReadOnlyList<ScoredPassage>>([]);
        }

        var version = long.Parse(Meta(connection, "corpus_version") ?? "0", CultureInfo.InvariantCulture);
        _vectors.Refresh(connection, model, version);
        return Task.FromResult<IReadOnlyList<ScoredPassage>>(_vectors.Search(query.Span, limit));
    }

    private static void ForgetOtherModels(SqliteConnection connection, string model)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM vectors WHERE model <> $model";
        command.Parameters.AddWithValue("$model", model);
        command.ExecuteNonQuery();
    }

    private static string? Meta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using BriefingBot.Core.Articles;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IVectorRecall
{
    public async Task<IReadOnlyList<(long PassageId, string Text)>> GetPassagesWithoutEmbeddingAsync(
        string model, long afterPassageId, int limit, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        if (afterPassageId == 0)
        {
            ForgetOtherModels(connection, model); // once a round of the backfill, not once a batch: it reads every vector
        }

        using var command = connection.CreateCommand();
        // The passage's own text (less the sentence it shares with the one before) is what is embedded; copies share
        // a vector, so a text already embedded, or met earlier in this batch, is not taken again.
        command.CommandText = """
            SELECT p.id, p.text, p.own_start, p.text_hash FROM passages p
            WHERE p.id > $after AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash AND v.model = $model)
            ORDER BY p.id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$after", afterPassageId);
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<(long, string)>(limit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (seen.Add(Convert.ToHexString((byte[])reader.GetValue(3))))
            {
                result.Add((reader.GetInt64(0), reader.GetString(1)[reader.GetInt32(2)..]));
            }
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

        RefreshVectors(connection, model);
        return Task.FromResult<IReadOnlyList<ScoredPassage>>(_vectors.Search(query.Span, limit));
    }

    /// <summary>How many times the in-memory vectors were loaded whole; for tests.</summary>
    internal int VectorFullLoads => _vectors.FullLoads;

    /// <summary>Brings the in-memory vectors up to the stored ones.</summary>
    private void RefreshVectors(SqliteConnection connection, string model) => _vectors.Refresh(connection, ReadSnapshot, model);

    /// <inheritdoc cref="IVectorRecall.MeasureVectorRecall"/>
    public double MeasureVectorRecall(IReadOnlyList<float[]> queries, int k)
    {
        using var connection = Open();
        return Meta(connection, "embedding_model") is { } model ? _vectors.MeasureRecall(connection, ReadSnapshot, model, queries, k) : double.NaN;
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

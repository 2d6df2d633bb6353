using System.Runtime.InteropServices;
using BriefingBot.Core.Articles;
using Npgsql;
using NpgsqlTypes;

namespace BriefingBot.Storage.Postgres;

public sealed partial class PostgresCorpusStore : IVectorRecall
{
    public Task<IReadOnlyList<ScoredPassage>> SearchKeywordsAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<ScoredPassage>>(_keywords.Search(connection, terms, limit));
    }

    public Task<(IReadOnlyDictionary<string, int> Frequencies, int Passages)> GetDocumentFrequenciesAsync(
        IReadOnlyList<string> terms, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        var (frequencies, passages) = _keywords.DocumentFrequencies(connection, terms);
        return Task.FromResult<(IReadOnlyDictionary<string, int>, int)>((frequencies, passages));
    }

    public Task<IReadOnlyList<ScoredPassage>> SearchVectorAsync(ReadOnlyMemory<float> query, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        if (Db.Scalar(connection, null, "SELECT value FROM meta WHERE key = 'embedding_model'") is not string model)
        {
            return Task.FromResult<IReadOnlyList<ScoredPassage>>([]);
        }

        _vectors.Refresh(connection, ReadSnapshot, model);
        return Task.FromResult<IReadOnlyList<ScoredPassage>>(_vectors.Search(query.Span, limit));
    }

    /// <inheritdoc cref="IVectorRecall.MeasureVectorRecall"/>
    public double MeasureVectorRecall(IReadOnlyList<float[]> queries, int k)
    {
        using var connection = Open();
        return Db.Scalar(connection, null, "SELECT value FROM meta WHERE key = 'embedding_model'") is string model
            ? _vectors.MeasureRecall(connection, ReadSnapshot, model, queries, k)
            : double.NaN;
    }

    public async Task<IReadOnlyList<(long PassageId, string Text)>> GetPassagesWithoutEmbeddingAsync(
        string model, long afterPassageId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (afterPassageId == 0)
        {
            // Once a round of the backfill, not once a batch: it reads every vector.
            Db.Execute(connection, null, "DELETE FROM vectors WHERE model <> @model", ("@model", model));
        }

        // The passage's own text is what is embedded; copies share a vector, so a text already embedded, or met
        // earlier in this batch, is not taken again.
        await using var command = Db.Command(connection, null, """
            SELECT p.id, p.text, p.own_start, p.text_hash FROM passages p
            WHERE p.id > @after AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash AND v.model = @model)
            ORDER BY p.id
            LIMIT @limit
            """, ("@model", model), ("@after", afterPassageId), ("@limit", limit));
        var result = new List<(long, string)>(limit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(Db.Scalar(connection, null, """
            SELECT count(DISTINCT p.text_hash) FROM passages p
            WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.text_hash = p.text_hash AND v.model = @model)
            """, ("@model", model)), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task StoreEmbeddingsAsync(string model, IReadOnlyList<(long PassageId, float[] Vector)> embeddings, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        LockCorpusWrites(connection, transaction);

        // One round trip for the whole batch. A vector stored again gets a new row number, so the vector indexes take it.
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (passageId, values) in embeddings)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO vectors (text_hash, model, vector) SELECT text_hash, $1, $2 FROM passages WHERE id = $3
                ON CONFLICT (text_hash, model) DO UPDATE SET vector = excluded.vector, rowid = nextval(pg_get_serial_sequence('vectors', 'rowid'))
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = model, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = passageId, NpgsqlDbType = NpgsqlDbType.Bigint });
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Db.Execute(connection, transaction, """
            INSERT INTO meta (key, value) VALUES ('embedding_model', @model) ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, ("@model", model));
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

using BriefingBot.Core.Ingestion;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IRejectedSources
{
    public async Task<IReadOnlyDictionary<string, RejectedSource>> GetRejectedAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, length, modified_ticks, problems FROM rejected_sources";
        var result = new Dictionary<string, RejectedSource>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var path = reader.GetString(0);
            result[path] = new RejectedSource(path, reader.GetInt64(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), StoredForm.DecodeProblems(path, reader.GetString(3)));
        }

        return result;
    }

    public async Task RememberRejectedAsync(RejectedSource source, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO rejected_sources (path, length, modified_ticks, problems) VALUES ($path, $length, $ticks, $problems)
            ON CONFLICT (path) DO UPDATE SET length = excluded.length, modified_ticks = excluded.modified_ticks, problems = excluded.problems
            """;
        command.Parameters.AddWithValue("$path", source.Path);
        command.Parameters.AddWithValue("$length", source.Length);
        command.Parameters.AddWithValue("$ticks", source.Modified.UtcTicks);
        command.Parameters.AddWithValue("$problems", StoredForm.EncodeProblems(source.Problems));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ForgetRejectedAsync(string path, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM rejected_sources WHERE path = $path";
        command.Parameters.AddWithValue("$path", path);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

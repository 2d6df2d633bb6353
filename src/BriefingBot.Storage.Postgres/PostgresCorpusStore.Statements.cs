using System.Data.Common;

namespace BriefingBot.Storage.Postgres;

/// <summary>Statements the state stores run: one command on a connection of its own.</summary>
public sealed partial class PostgresCorpusStore
{
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

    private static DateTimeOffset? NullableInstant(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Instant(reader, ordinal);
}

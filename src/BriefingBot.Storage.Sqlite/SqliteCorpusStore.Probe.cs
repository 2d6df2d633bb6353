using BriefingBot.Core.Diagnostics;
using Microsoft.Data.Sqlite;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IStoreProbe
{
    /// <summary>Reads the database's name from its own file, never creating one: a file moved or deleted away is a problem.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var probe = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ToString();
            await using var connection = new SqliteConnection(probe);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = 'database_id'";
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string ? null : "the database has no identity (not a BriefingBot database)";
        }
        catch (SqliteException ex)
        {
            return DescribeFailure(DatabasePath, ex);
        }
    }
}

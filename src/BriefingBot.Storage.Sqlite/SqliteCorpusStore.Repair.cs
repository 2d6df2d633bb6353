using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore
{
    /// <summary>
    /// The keyword indexes and the tables they index. They hold nothing of their own: when one is missing or out of
    /// step with its table it is made again from the stored passages and quotes, so a damaged index never leaves
    /// the bot answering "try again".
    /// </summary>
    private static readonly (string Index, string Table, string Create)[] SearchIndexes =
    [
        ("quotes_fts", "quotes", "CREATE VIRTUAL TABLE quotes_fts USING fts5 (text, content = 'quotes', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2')"),
    ];

    private static readonly string[] ShadowTables = ["data", "idx", "docsize", "config"];

    /// <summary>Checks each keyword index (present, whole, one row per indexed row) and rebuilds the ones that are not.</summary>
    private void EnsureSearchIndexes(SqliteConnection connection)
    {
        foreach (var (index, table, create) in SearchIndexes)
        {
            var reason = Damage(connection, index, table);
            if (reason is not null)
            {
                Rebuild(connection, index, create);
                LogIndexRebuilt(index, reason);
            }
        }
    }

    private static string? Damage(SqliteConnection connection, string index, string table)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE name = $name OR name LIKE $shadow ESCAPE '\\'";
            command.Parameters.AddWithValue("$name", index);
            command.Parameters.AddWithValue("$shadow", index + "\\_%");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        if (!names.Contains(index) || ShadowTables.Any(s => !names.Contains($"{index}_{s}")))
        {
            return "it is missing";
        }

        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT (SELECT count(*) FROM {index}_docsize), (SELECT count(*) FROM {table})";
            using var reader = command.ExecuteReader();
            reader.Read();
            return reader.GetInt64(0) == reader.GetInt64(1) ? null : $"it indexes {reader.GetInt64(0):N0} of {reader.GetInt64(1):N0} rows";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    private static void Rebuild(SqliteConnection connection, string index, string create)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        try
        {
            Execute(connection, $"DROP TABLE IF EXISTS {index}", transaction);
        }
        catch (SqliteException)
        {
            // A virtual table whose own tables are gone cannot be dropped the ordinary way: take it out of the schema.
            Execute(connection, "PRAGMA writable_schema = ON", transaction);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM sqlite_master WHERE name = $name OR name LIKE $shadow ESCAPE '\\'";
                command.Parameters.AddWithValue("$name", index);
                command.Parameters.AddWithValue("$shadow", index + "\\_%");
                command.ExecuteNonQuery();
            }

            Execute(connection, "PRAGMA writable_schema = OFF", transaction);
        }

        foreach (var shadow in ShadowTables)
        {
            Execute(connection, $"DROP TABLE IF EXISTS {index}_{shadow}", transaction);
        }

        Execute(connection, create, transaction);
        Execute(connection, $"INSERT INTO {index} ({index}) VALUES ('rebuild')", transaction);
        transaction.Commit();
    }

    /// <summary>
    /// Runs a keyword query; if the index fails (damaged while the bot runs), it is checked and rebuilt once and the
    /// query is asked again.
    /// </summary>
    private async Task<T> WithSearchIndexAsync<T>(Func<Task<T>> query)
    {
        try
        {
            return await query().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 1 or 11 or 267)
        {
            // 1: "no such table" and other SQL errors on a missing index; 11 / 267: SQLITE_CORRUPT(_VTAB).
            LogIndexFailed(ex.Message);
            using (var connection = Open())
            {
                EnsureSearchIndexes(connection);
            }

            return await query().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The keyword index {Index} was rebuilt from the stored text: {Reason}")]
    private partial void LogIndexRebuilt(string index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A keyword search failed ({Reason}); checking the index")]
    private partial void LogIndexFailed(string reason);
}

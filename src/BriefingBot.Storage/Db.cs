using System.Data.Common;

namespace BriefingBot.Storage;

/// <summary>
/// ADO.NET helpers shared by the store providers and the in-process indexes. Parameters are written <c>@name</c> in
/// SQL, which SQLite and PostgreSQL both read.
/// </summary>
public static class Db
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>The text in <paramref name="ordinal"/> of the current row, or null where the row has none.</summary>
    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Every row <paramref name="command"/> returns, each read by <paramref name="row"/>, added to <paramref name="into"/>.</summary>
    public static async Task ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> row, ICollection<T> into, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into.Add(row(reader));
        }
    }

    public static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }
}

using Npgsql;

namespace BriefingBot.Tests.Support;

/// <summary>
/// A database of the test's own on the PostgreSQL server named by <c>BRIEFINGBOT_TEST_POSTGRES</c> (an Npgsql
/// connection string to a database the user may create databases from), dropped afterwards. Without that variable
/// the PostgreSQL tests are skipped, saying why.
/// </summary>
internal sealed class PostgresDatabase : IDisposable
{
    public const string Variable = "BRIEFINGBOT_TEST_POSTGRES";

    private readonly string _admin;

    private PostgresDatabase(string admin)
    {
        _admin = admin;
        Name = "briefingbot_test_" + Guid.NewGuid().ToString("N")[..16];
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
        command.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? server : null;

    /// <summary>A new database, or the test skipped when no server is configured.</summary>
    public static PostgresDatabase Create()
    {
        Skip.If(Server is null, $"no PostgreSQL server: set {Variable} to run the PostgreSQL store's tests (.ci/run starts one)");
        return new PostgresDatabase(Server!);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}

using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Instances;

/// <summary>Several instances on one SQLite file (one machine): the same contract as on PostgreSQL.</summary>
public sealed class SqliteMultiInstanceSpecs : MultiInstanceContract
{
    private readonly TempFolder _folder = new();

    protected override Dictionary<string, string?> StoreSettings(int instance) => new()
    {
        ["Storage:DatabasePath"] = Path.Combine(_folder.Path, "shared.db"),
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>Several instances on one PostgreSQL database, each with its own search index. Skipped without a server.</summary>
public sealed class PostgresMultiInstanceSpecs : MultiInstanceContract
{
    private readonly TempFolder _folder = new();
    private PostgresDatabase? _database;

    protected override Dictionary<string, string?> StoreSettings(int instance)
    {
        _database ??= PostgresDatabase.Create();
        return new()
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = _database.ConnectionString,
            ["Storage:IndexFolder"] = Path.Combine(_folder.Path, $"index-{instance}"),
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database?.Dispose();
        _folder.Dispose();
    }
}

using BriefingBot.Storage.Postgres;
using BriefingBot.Storage.Sqlite;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Stores;

/// <summary>The store contract on the embedded default: every instance a store object on one SQLite file.</summary>
public sealed class SqliteStoreContractSpecs : StoreContract
{
    private readonly TempFolder _folder = new();

    protected override (Store Store, IDisposable Owner) Open()
    {
        var store = new SqliteCorpusStore(Path.Combine(_folder.Path, "bot.db"));
        return (new Store(store, store, store, store, store) { Follows = store, Settings = store, Feedback = store, Feeds = store, Rejected = store, Probe = store }, store);
    }

    protected override void DisposeDatabase() => _folder.Dispose();
}

/// <summary>
/// The store contract on PostgreSQL: every instance a store object with its own index folder on one database of the
/// test's own. Skipped, saying so, when no server is configured.
/// </summary>
public sealed class PostgresStoreContractSpecs : StoreContract
{
    private readonly TempFolder _folder = new();
    private readonly Lock _gate = new();
    private PostgresDatabase? _database;

    protected override (Store Store, IDisposable Owner) Open()
    {
        lock (_gate)
        {
            _database ??= PostgresDatabase.Create();
        }

        var store = new PostgresCorpusStore(_database.ConnectionString, Path.Combine(_folder.Path, Guid.NewGuid().ToString("N")));
        return (new Store(store, store, store, store, store) { Follows = store, Settings = store, Feedback = store, Feeds = store, Rejected = store, Probe = store }, store);
    }

    protected override void DisposeDatabase()
    {
        _database?.Dispose();
        _folder.Dispose();
    }
}

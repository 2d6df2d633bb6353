using BriefingBot.Core.Chat;
using BriefingBot.Core.Coordination;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IEventMemory, ILeaseStore, IConversationStore
{
    private int _offers;
    private int _turns;

    public Task RememberTurnAsync(string conversation, string question, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        if (Interlocked.Increment(ref _turns) % 256 == 1)
        {
            Db.Execute(connection, null, "DELETE FROM conversation_turns WHERE at < @old", ("@old", FormatInstant(at - TimeSpan.FromDays(1))));
        }

        Db.Execute(connection, null, "INSERT INTO conversation_turns (conversation, question, at) VALUES (@conversation, @question, @at)",
            ("@conversation", conversation), ("@question", question), ("@at", FormatInstant(at)));
        return Task.CompletedTask;
    }

    public Task<string?> LatestTurnAsync(string conversation, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(Db.Scalar(connection, null,
            "SELECT question FROM conversation_turns WHERE conversation = @conversation AND at >= @since ORDER BY at DESC, seq DESC LIMIT 1",
            ("@conversation", conversation), ("@since", FormatInstant(since))) as string);
    }

    public Task<bool> FirstTimeAsync(string key, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        if (Interlocked.Increment(ref _offers) % 256 == 1)
        {
            Db.Execute(connection, null, "DELETE FROM handled_events WHERE expires <= @now", ("@now", FormatInstant(now)));
        }

        // A new key, or one kept past its time, is taken; a live one is not.
        return Task.FromResult(Db.Execute(connection, null, """
            INSERT INTO handled_events (key, expires) VALUES (@key, @expires)
            ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE handled_events.expires <= @now
            """, ("@key", key), ("@expires", FormatInstant(now + keepFor)), ("@now", FormatInstant(now))) == 1);
    }

    public Task<bool> TryAcquireAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(Db.Execute(connection, null, """
            INSERT INTO leases (name, owner, held_until) VALUES (@name, @owner, @until)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, held_until = excluded.held_until
                WHERE leases.held_until <= @now OR leases.owner = excluded.owner
            """, ("@name", name), ("@owner", owner), ("@until", FormatInstant(now + duration)), ("@now", FormatInstant(now))) == 1);
    }

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        Db.Execute(connection, null, "DELETE FROM leases WHERE name = @name AND owner = @owner", ("@name", name), ("@owner", owner));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Lease>> GetLeasesAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Db.Command(connection, null,
            "SELECT name, owner, held_until FROM leases WHERE substr(name, 1, length(@prefix)) = @prefix AND held_until > @now ORDER BY name",
            ("@prefix", prefix), ("@now", FormatInstant(now)));
        var leases = new List<Lease>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            leases.Add(new Lease(reader.GetString(0), reader.GetString(1), ParseInstant(reader.GetString(2))));
        }

        return Task.FromResult<IReadOnlyList<Lease>>(leases);
    }
}

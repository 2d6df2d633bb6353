using System.Data.Common;
using BriefingBot.Core.Coordination;

namespace BriefingBot.Storage;

/// <summary>
/// The tables instances coordinate through — handled events, leases, conversation turns — with the same SQL on every
/// provider; only how an instant is stored differs (<paramref name="instant"/> writes one, <paramref name="readInstant"/>
/// reads one back). Expired rows are deleted every 256th write of their kind.
/// </summary>
public sealed class CoordinationTables(Func<DateTimeOffset, object> instant, Func<DbDataReader, int, DateTimeOffset> readInstant)
{
    private int _offers;
    private int _turns;

    /// <inheritdoc cref="IEventMemory.FirstTimeAsync"/>
    public bool FirstTime(DbConnection connection, string key, DateTimeOffset now, TimeSpan keepFor)
    {
        if (Interlocked.Increment(ref _offers) % 256 == 1)
        {
            Db.Execute(connection, null, "DELETE FROM handled_events WHERE expires <= @now", ("@now", instant(now)));
        }

        // A new key, or one kept past its time, is taken; a live one is not. Two callers offering the same key at once
        // meet at its primary key: one inserts, the other's update finds the row live and changes nothing.
        return Db.Execute(connection, null, """
            INSERT INTO handled_events (key, expires) VALUES (@key, @expires)
            ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE handled_events.expires <= @now
            """, ("@key", key), ("@expires", instant(now + keepFor)), ("@now", instant(now))) == 1;
    }

    /// <inheritdoc cref="ILeaseStore.TryAcquireAsync"/>
    public bool TryAcquire(DbConnection connection, string name, string owner, DateTimeOffset now, TimeSpan duration) =>
        Db.Execute(connection, null, """
            INSERT INTO leases (name, owner, held_until) VALUES (@name, @owner, @until)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, held_until = excluded.held_until
                WHERE leases.held_until <= @now OR leases.owner = excluded.owner
            """, ("@name", name), ("@owner", owner), ("@until", instant(now + duration)), ("@now", instant(now))) == 1;

    /// <inheritdoc cref="ILeaseStore.ReleaseAsync"/>
    public static void Release(DbConnection connection, string name, string owner) =>
        Db.Execute(connection, null, "DELETE FROM leases WHERE name = @name AND owner = @owner", ("@name", name), ("@owner", owner));

    /// <inheritdoc cref="ILeaseStore.GetLeasesAsync"/>
    public IReadOnlyList<Lease> Leases(DbConnection connection, string prefix, DateTimeOffset now)
    {
        using var command = Db.Command(connection, null,
            "SELECT name, owner, held_until FROM leases WHERE substr(name, 1, length(@prefix)) = @prefix AND held_until > @now",
            ("@prefix", prefix), ("@now", instant(now)));
        var leases = new List<Lease>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            leases.Add(new Lease(reader.GetString(0), reader.GetString(1), readInstant(reader, 2)));
        }

        // Ordered here: the providers' text collations differ.
        return leases.OrderBy(l => l.Name, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc cref="ILeaseStore.LeaveNoteAsync"/>
    public static bool LeaveNote(DbConnection connection, string name, string owner, string? note)
    {
        const string Holds = "EXISTS (SELECT 1 FROM leases WHERE leases.name = @name AND leases.owner = @owner)";
        if (note is not null)
        {
            return Db.Execute(connection, null, $"""
                INSERT INTO lease_notes (name, note) SELECT @name, @note WHERE {Holds}
                ON CONFLICT (name) DO UPDATE SET note = excluded.note
                """, ("@name", name), ("@owner", owner), ("@note", note)) == 1;
        }

        Db.Execute(connection, null, $"DELETE FROM lease_notes WHERE name = @name AND {Holds}", ("@name", name), ("@owner", owner));
        return Db.Scalar(connection, null, "SELECT owner FROM leases WHERE name = @name", ("@name", name)) as string == owner;
    }

    /// <inheritdoc cref="ILeaseStore.ReadNoteAsync"/>
    public static string? ReadNote(DbConnection connection, string name) =>
        Db.Scalar(connection, null, "SELECT note FROM lease_notes WHERE name = @name", ("@name", name)) as string;

    /// <inheritdoc cref="Core.Chat.IConversationStore.RememberTurnAsync"/>
    public void RememberTurn(DbConnection connection, string conversation, string question, DateTimeOffset at)
    {
        if (Interlocked.Increment(ref _turns) % 256 == 1)
        {
            Db.Execute(connection, null, "DELETE FROM conversation_turns WHERE at < @old", ("@old", instant(at - TimeSpan.FromDays(1))));
        }

        Db.Execute(connection, null, "INSERT INTO conversation_turns (conversation, question, at) VALUES (@conversation, @question, @at)",
            ("@conversation", conversation), ("@question", question), ("@at", instant(at)));
    }

    /// <inheritdoc cref="Core.Chat.IConversationStore.LatestTurnAsync"/>
    public string? LatestTurn(DbConnection connection, string conversation, DateTimeOffset since) =>
        Db.Scalar(connection, null,
            "SELECT question FROM conversation_turns WHERE conversation = @conversation AND at >= @since ORDER BY at DESC, seq DESC LIMIT 1",
            ("@conversation", conversation), ("@since", instant(since))) as string;
}

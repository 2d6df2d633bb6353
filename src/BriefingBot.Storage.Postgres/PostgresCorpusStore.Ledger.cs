using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Coordination;
using BriefingBot.Core.Diagnostics;
using Npgsql;

namespace BriefingBot.Storage.Postgres;

public sealed partial class PostgresCorpusStore : IBriefingLedger, IEventMemory, ILeaseStore, IConversationStore, IStoreProbe
{
    private readonly CoordinationTables _coordination = new(at => Utc(at), Instant);

    public async Task RememberTurnAsync(string conversation, string question, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        _coordination.RememberTurn(connection, conversation, question, at);
    }

    public async Task<string?> LatestTurnAsync(string conversation, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _coordination.LatestTurn(connection, conversation, since);
    }

    public async Task<bool> TryClaimAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement: a new row, or taking over a lapsed claim (or renewing our own); never a posted one.
        return Db.Execute(connection, null, """
            INSERT INTO briefing_ledger (channel, occurrence, state, owner, lease_until) VALUES (@channel, @occurrence, 'claimed', @owner, @until)
            ON CONFLICT (channel, occurrence) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
                WHERE briefing_ledger.state = 'claimed' AND (briefing_ledger.lease_until <= @now OR briefing_ledger.owner = excluded.owner)
            """, ("@channel", channel), ("@occurrence", Utc(occurrence)), ("@owner", owner), ("@until", Utc(now + lease)), ("@now", Utc(now))) == 1;
    }

    public async Task MarkPostedAsync(string channel, DateTimeOffset occurrence, string owner, DateTimeOffset windowFrom, DateTimeOffset windowTo, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        Db.Execute(connection, null, """
            UPDATE briefing_ledger SET state = 'posted', window_from = @from, window_to = @to, posted_at = @now
            WHERE channel = @channel AND occurrence = @occurrence AND owner = @owner
            """, ("@channel", channel), ("@occurrence", Utc(occurrence)), ("@owner", owner), ("@from", Utc(windowFrom)), ("@to", Utc(windowTo)), ("@now", Utc(now)));
    }

    public async Task ReleaseAsync(string channel, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        Db.Execute(connection, null, "DELETE FROM briefing_ledger WHERE channel = @channel AND occurrence = @occurrence AND owner = @owner AND state = 'claimed'",
            ("@channel", channel), ("@occurrence", Utc(occurrence)), ("@owner", owner));
    }

    public async Task<bool> IsPostedAsync(string channel, DateTimeOffset occurrence, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return Db.Scalar(connection, null, "SELECT 1 FROM briefing_ledger WHERE channel = @channel AND occurrence = @occurrence AND state = 'posted'",
            ("@channel", channel), ("@occurrence", Utc(occurrence))) is not null;
    }

    public async Task<DateTimeOffset?> LastPostedUntilAsync(string? channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return Db.Scalar(connection, null,
                "SELECT max(window_to) FROM briefing_ledger WHERE state = 'posted' AND (@channel::text IS NULL OR channel = @channel::text)",
                ("@channel", channel)) is DateTime until
            ? new DateTimeOffset(DateTime.SpecifyKind(until, DateTimeKind.Utc))
            : null;
    }

    public async Task<bool> FirstTimeAsync(string key, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _coordination.FirstTime(connection, key, now, keepFor);
    }

    public async Task<bool> TryAcquireAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _coordination.TryAcquire(connection, name, owner, now, duration);
    }

    public async Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        CoordinationTables.Release(connection, name, owner);
    }

    public async Task<IReadOnlyList<Lease>> GetLeasesAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return _coordination.Leases(connection, prefix, now);
    }

    public async Task<bool> LeaveNoteAsync(string name, string owner, string? note, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return CoordinationTables.LeaveNote(connection, name, owner, note);
    }

    public async Task<string?> ReadNoteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return CoordinationTables.ReadNote(connection, name);
    }

    /// <summary>Asks the database for its identity with a short timeout: unreachable, refused or not a BriefingBot database is a problem.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            await using var command = Db.Command(connection, null, "SELECT value FROM meta WHERE key = 'database_id'");
            return await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false) is string ? null : $"the {Describe} has no identity (not a BriefingBot database)";
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"the {Describe} does not answer: {ex.Message}";
        }
    }
}

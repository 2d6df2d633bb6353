using BriefingBot.Core.Chat;
using BriefingBot.Core.Coordination;

namespace BriefingBot.Storage.Sqlite;

public sealed partial class SqliteCorpusStore : IEventMemory, ILeaseStore, IConversationStore
{
    private readonly CoordinationTables _coordination = new(at => FormatInstant(at), (reader, ordinal) => ParseInstant(reader.GetString(ordinal)));

    public Task RememberTurnAsync(string conversation, string question, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        _coordination.RememberTurn(connection, conversation, question, at);
        return Task.CompletedTask;
    }

    public Task<string?> LatestTurnAsync(string conversation, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(_coordination.LatestTurn(connection, conversation, since));
    }

    public Task<bool> FirstTimeAsync(string key, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(_coordination.FirstTime(connection, key, now, keepFor));
    }

    public Task<bool> TryAcquireAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(_coordination.TryAcquire(connection, name, owner, now, duration));
    }

    public Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        CoordinationTables.Release(connection, name, owner);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Lease>> GetLeasesAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        return Task.FromResult(_coordination.Leases(connection, prefix, now));
    }

    public Task<bool> LeaveNoteAsync(string name, string owner, string? note, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(CoordinationTables.LeaveNote(connection, name, owner, note));
    }

    public Task<string?> ReadNoteAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(CoordinationTables.ReadNote(connection, name));
    }
}

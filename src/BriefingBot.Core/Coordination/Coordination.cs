namespace BriefingBot.Core.Coordination;

/// <summary>
/// The events and interactions already handled, shared by every instance on one store: a platform that delivers an
/// event twice (a replay after a resume, a redelivered envelope reaching another connection) gets one answer.
/// </summary>
public interface IEventMemory
{
    /// <summary>
    /// True for the first caller to offer <paramref name="key"/>, in this process or any other on the same store;
    /// false for every later offer until the key has been kept for <paramref name="keepFor"/>.
    /// </summary>
    Task<bool> FirstTimeAsync(string key, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default);
}

/// <summary>A named lease and who holds it until when.</summary>
public sealed record Lease(string Name, string Owner, DateTimeOffset Until);

/// <summary>
/// Leases that give each shared piece of work (a Discord shard, a feed) one owner at a time across instances. A
/// lease is held until it lapses unless its owner renews it, so the work of an instance that dies is taken over.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes <paramref name="name"/> for <paramref name="owner"/> until <paramref name="now"/> + <paramref name="duration"/>
    /// when it is free, lapsed or already the owner's (a renewal); true when the owner holds it afterwards.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up, if <paramref name="owner"/> holds it.</summary>
    Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default);

    /// <summary>The live leases whose names start with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<Lease>> GetLeasesAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves a note on <paramref name="name"/> for whoever holds it next (a Discord shard's session, to resume it), or
    /// removes the note when <paramref name="note"/> is null. Only <paramref name="owner"/>'s current lease may, so an
    /// instance that lost the work cannot overwrite its new holder's note; the note outlives the lease. True when done.
    /// </summary>
    Task<bool> LeaveNoteAsync(string name, string owner, string? note, CancellationToken cancellationToken = default);

    /// <summary>The note last left on <paramref name="name"/>, whoever holds it now; null when there is none.</summary>
    Task<string?> ReadNoteAsync(string name, CancellationToken cancellationToken = default);
}

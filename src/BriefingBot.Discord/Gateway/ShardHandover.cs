using System.Text.Json;
using BriefingBot.Core.Coordination;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord.Gateway;

/// <summary>
/// Where a shard's gateway session is left for the shard's next holder when instances share the shards: a note on the
/// shard's lease, written by its holder as the session goes (at READY, at most every second while events arrive, and
/// when the connection ends). The next holder resumes that session instead of identifying anew, so Discord replays
/// the events of the gap between the two — which the shared memory of handled events keeps from being answered twice.
/// A store that cannot be reached costs the resume, never the shard: the next holder then identifies.
/// </summary>
internal sealed partial class ShardHandover(ILeaseStore leases, string leaseName, string owner, ILogger logger)
{
    /// <summary>The session the shard's last holder left, or null when there is none (or it cannot be read).</summary>
    public async Task<ShardSession?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await leases.ReadNoteAsync(leaseName, cancellationToken).ConfigureAwait(false) is { } note
                ? JsonSerializer.Deserialize(note, DiscordJsonContext.Default.ShardSession)
                : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnreadable(leaseName, ex.Message);
            return null;
        }
    }

    /// <summary>Leaves <paramref name="session"/> for the next holder (null: nothing to resume); false when it could not.</summary>
    public async Task<bool> LeaveAsync(ShardSession? session, CancellationToken cancellationToken)
    {
        try
        {
            var note = session is null ? null : JsonSerializer.Serialize(session, DiscordJsonContext.Default.ShardSession);
            return await leases.LeaveNoteAsync(leaseName, owner, note, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnsaved(leaseName, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session left on {Lease} could not be read ({Reason}); identifying anew")]
    private partial void LogUnreadable(string lease, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session could not be left on {Lease} ({Reason}); its next holder may identify anew")]
    private partial void LogUnsaved(string lease, string reason);
}

using BriefingBot.Core.Coordination;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Chat.Platforms;

/// <summary>
/// Answers "is this the first time?" for an event a platform may deliver more than once: this process's memory first
/// (a replay it saw itself costs no round trip), then, when instances share a store, the store's memory of handled
/// events, so a redelivery that reaches another instance is not answered again. When the store cannot be asked the
/// event is handled (an answer given twice is better than none) and the failure logged.
/// </summary>
public sealed partial class HandledEvents(TimeProvider time, ILogger logger, IEventMemory? shared = null)
{
    /// <summary>How long the store remembers a handled event: longer than any platform keeps redelivering one.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(6);

    private readonly RecentEvents _local = new(time);

    /// <summary>True the first time this process sees <paramref name="id"/>; no store is asked.</summary>
    public bool FirstTimeHere(string id) => _local.FirstTime(id);

    /// <summary>True when no instance on the shared store has handled <paramref name="id"/> yet, and claims it.</summary>
    public async Task<bool> FirstTimeAnywhereAsync(string id, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return true;
        }

        try
        {
            return await shared.FirstTimeAsync(id, time.GetUtcNow(), KeepFor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSharedMemoryFailed(id, ex.Message);
            return true;
        }
    }

    /// <summary>Both: first here, then first anywhere.</summary>
    public async Task<bool> FirstTimeAsync(string id, CancellationToken cancellationToken) =>
        FirstTimeHere(id) && await FirstTimeAnywhereAsync(id, cancellationToken).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's memory of handled events could not be asked about {Event} ({Reason}); handling it here")]
    private partial void LogSharedMemoryFailed(string @event, string reason);
}

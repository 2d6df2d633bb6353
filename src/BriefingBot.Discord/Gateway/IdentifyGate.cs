using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord.Gateway;

/// <summary>
/// Spaces identifies as Discord allows: <c>max_concurrency</c> shards (one per bucket <c>shard % max_concurrency</c>)
/// per 5 seconds, and none while the daily session start limit is spent. When instances share the shards, each
/// bucket's turn is also a lease in the store, held for the 5 seconds, so instances identifying at once take turns too.
/// https://discord.com/developers/docs/events/gateway#session-start-limit-object
/// </summary>
internal sealed partial class IdentifyGate(
    TimeProvider time,
    ILogger<IdentifyGate> logger,
    Microsoft.Extensions.Options.IOptions<DiscordOptions>? options = null,
    Core.Coordination.ILeaseStore? leases = null)
{
    private static readonly TimeSpan SharedRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(5);
    private readonly Dictionary<int, DateTimeOffset> _lastByBucket = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WaitTurnAsync(int shard, SessionStartLimit limit, CancellationToken cancellationToken)
    {
        if (limit.Remaining <= 0)
        {
            var reset = TimeSpan.FromMilliseconds(limit.ResetAfter);
            LogStartLimit(limit.Total, reset);
            await Task.Delay(reset, time, cancellationToken).ConfigureAwait(false);
        }

        var bucket = shard % Math.Max(1, limit.MaxConcurrency);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastByBucket.TryGetValue(bucket, out var last) && time.GetUtcNow() - last < Spacing)
            {
                await Task.Delay(Spacing - (time.GetUtcNow() - last), time, cancellationToken).ConfigureAwait(false);
            }

            if (options?.Value.ShareShards == true && leases is not null)
            {
                // A fresh owner for every identify: a lease renewed by its own owner would let two through at once.
                var turn = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
                while (!await leases.TryAcquireAsync($"discord/identify/{bucket}", turn, time.GetUtcNow(), Spacing, cancellationToken).ConfigureAwait(false))
                {
                    await Task.Delay(SharedRetry, time, cancellationToken).ConfigureAwait(false);
                }
            }

            _lastByBucket[bucket] = time.GetUtcNow();
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "All {Total} Discord session starts of the day are spent; waiting {Reset} before connecting")]
    private partial void LogStartLimit(int total, TimeSpan reset);
}

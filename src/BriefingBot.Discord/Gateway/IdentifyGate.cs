using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord.Gateway;

/// <summary>
/// Spaces identifies as Discord allows: <c>max_concurrency</c> shards (one per bucket <c>shard % max_concurrency</c>)
/// per 5 seconds, and none while the daily session start limit is spent.
/// https://discord.com/developers/docs/events/gateway#session-start-limit-object
/// </summary>
internal sealed partial class IdentifyGate(TimeProvider time, ILogger<IdentifyGate> logger)
{
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

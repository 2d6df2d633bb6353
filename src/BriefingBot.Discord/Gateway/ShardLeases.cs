using BriefingBot.Core.Coordination;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord.Gateway;

/// <summary>
/// Which of the bot's shards this instance runs when several instances share a store. Each instance keeps a lease on
/// its own name and one on each shard it runs, renewing them every quarter of the lease; each round it renews what it
/// holds, gives up one shard above its fair share (the shard count over the live instances, rounded up) so a new
/// instance gets work, and takes free shards up to that share. A shard whose renewal cannot be confirmed (the store
/// unreachable) is kept only until its lease would lapse, so two instances never run one shard for longer than a
/// round.
/// </summary>
internal sealed partial class ShardLeases(ILeaseStore leases, TimeProvider time, ILogger logger, string instance, int shardCount, TimeSpan lease)
{
    private const string InstancePrefix = "discord/instance/";
    private const string ShardPrefix = "discord/shard/";
    private readonly Dictionary<int, DateTimeOffset> _heldUntil = [];

    public string Instance => instance;

    /// <summary>How often a round should run.</summary>
    public TimeSpan Round => lease / 4;

    /// <summary>One round; returns the shards this instance is to run now.</summary>
    public async Task<IReadOnlySet<int>> RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await leases.TryAcquireAsync(InstancePrefix + instance, instance, now, lease, cancellationToken).ConfigureAwait(false);
            var instances = Math.Max(1, (await leases.GetLeasesAsync(InstancePrefix, now, cancellationToken).ConfigureAwait(false)).Count);
            var fairShare = (shardCount + instances - 1) / instances;

            foreach (var shard in _heldUntil.Keys.ToList())
            {
                if (await leases.TryAcquireAsync(ShardPrefix + shard, instance, now, lease, cancellationToken).ConfigureAwait(false))
                {
                    _heldUntil[shard] = now + lease;
                }
                else
                {
                    _heldUntil.Remove(shard);
                    LogLost(shard);
                }
            }

            if (_heldUntil.Count > fairShare)
            {
                // Released once its connection has closed and left its session (ReleaseAsync), not before.
                var extra = _heldUntil.Keys.Max();
                _heldUntil.Remove(extra);
                LogHandedOver(extra, instances);
            }

            var taken = (await leases.GetLeasesAsync(ShardPrefix, now, cancellationToken).ConfigureAwait(false)).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
            for (var shard = 0; shard < shardCount && _heldUntil.Count < fairShare; shard++)
            {
                if (!_heldUntil.ContainsKey(shard) && !taken.Contains(ShardPrefix + shard)
                    && await leases.TryAcquireAsync(ShardPrefix + shard, instance, now, lease, cancellationToken).ConfigureAwait(false))
                {
                    _heldUntil[shard] = now + lease;
                    LogTaken(shard, instances);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unconfirmed: keep what is still surely ours, drop what another instance may take now.
            foreach (var (shard, until) in _heldUntil.ToList().Where(h => h.Value <= now + Round))
            {
                _heldUntil.Remove(shard);
                LogUnconfirmed(shard, until);
            }

            LogStoreFailed(ex.Message);
        }

        return _heldUntil.Keys.ToHashSet();
    }

    /// <summary>Where the session of <paramref name="shard"/> is left for its next holder.</summary>
    public ShardHandover HandoverOf(int shard, ILogger handoverLogger) => new(leases, ShardPrefix + shard, instance, handoverLogger);

    /// <summary>Gives the lease on a shard that this instance has stopped running up, if it still holds it.</summary>
    public async Task ReleaseAsync(int shard, CancellationToken cancellationToken)
    {
        try
        {
            await leases.ReleaseAsync(ShardPrefix + shard, instance, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(ex.Message);
        }
    }

    /// <summary>Gives every lease up at once, so other instances take the shards over without waiting for them to lapse.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var shard in _heldUntil.Keys)
            {
                await leases.ReleaseAsync(ShardPrefix + shard, instance, cancellationToken).ConfigureAwait(false);
            }

            await leases.ReleaseAsync(InstancePrefix + instance, instance, cancellationToken).ConfigureAwait(false);
            _heldUntil.Clear();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoreFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard} taken ({Instances} instance(s) share the shards)")]
    private partial void LogTaken(int shard, int instances);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard} handed over: {Instances} instance(s) now share the shards")]
    private partial void LogHandedOver(int shard, int instances);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard} is held by another instance now; closing it here")]
    private partial void LogLost(int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}'s lease (until {Until:O}) could not be renewed; closing it before another instance may take it")]
    private partial void LogUnconfirmed(int shard, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's shard leases could not be read or renewed: {Reason}")]
    private partial void LogStoreFailed(string reason);
}

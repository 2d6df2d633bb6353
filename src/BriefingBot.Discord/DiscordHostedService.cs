using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Retries;
using BriefingBot.Discord.Gateway;
using BriefingBot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Discord;

/// <summary>
/// Keeps the bot on Discord: registers the slash commands, then runs one gateway connection per shard — every shard,
/// or, when instances share the shards, those this instance holds leases on, taking over the shards of an instance
/// that stopped. When Discord refuses the bot for good (a bad token, disallowed intents) the service reports it and
/// stops the host, rather than pretending to be connected.
/// </summary>
internal sealed partial class DiscordHostedService(
    DiscordBot bot,
    DiscordRestClient rest,
    IdentifyGate identifyGate,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime,
    PlatformFailures failures,
    PlatformHealth? health = null,
    Core.Coordination.ILeaseStore? leases = null) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<DiscordHostedService>();

    /// <summary>Unready from the start until a shard is up: the shards connect later, on the service's own thread.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        health?.Expect(DiscordChannels.Name);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            try
            {
                // Like every start-up call: an unreachable Discord is waited out, a refusal is not.
                await WhileUnreachableAsync(async ct =>
                {
                    await bot.RegisterCommandsAsync(ct).ConfigureAwait(false);
                    return true;
                }, stoppingToken).ConfigureAwait(false);
                LogCommandsRegistered(string.IsNullOrWhiteSpace(settings.GuildId) ? "globally" : $"in guild {settings.GuildId}");
            }
            catch (DiscordRestException ex) when (ex.Status is not 401)
            {
                // Mentions and DMs still work without the commands; say why they are missing.
                LogCommandsFailed(ex);
            }

            var shardCount = Math.Max(1, settings.ShardCount ?? await RecommendedShardsAsync(stoppingToken).ConfigureAwait(false));
            if (settings.ShardId is null && settings.ShareShards == true && leases is not null)
            {
                await RunSharedAsync(shardCount, stoppingToken).ConfigureAwait(false);
                return;
            }

            var shards = settings.ShardId is { } only ? [only] : Enumerable.Range(0, shardCount).ToArray();
            using var anyFailed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var running = shards.Select(shard => Connect(shard, shardCount).RunAsync(bot.HandleDispatchAsync, anyFailed.Token)).ToList();

            // One shard refused for good (a bad token) stops them all: the bot must not run half-connected.
            var first = await Task.WhenAny(running).ConfigureAwait(false);
            await anyFailed.CancelAsync().ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            failures.Report("Discord", ex, _logger);
            lifetime.StopApplication();
        }
        finally
        {
            await bot.DrainAsync().ConfigureAwait(false);
        }
    }

    private GatewayClient Connect(int shard, int shardCount, ShardHandover? handover = null) =>
        new(options.Value, rest, identifyGate, time, loggers.CreateLogger<GatewayClient>(), shard, shardCount, health: health, handover: handover);

    /// <summary>
    /// Runs the shards this instance holds leases on, round after round: a shard newly held is connected, one lost or
    /// handed over is closed. On the way out every lease is given up, so the other instances take the shards at once.
    /// </summary>
    private async Task RunSharedAsync(int shardCount, CancellationToken stoppingToken)
    {
        var instance = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var shares = new ShardLeases(leases!, time, loggers.CreateLogger<ShardLeases>(), instance, shardCount, options.Value.ShardLease);
        var running = new Dictionary<int, (CancellationTokenSource Stop, Task Run)>();
        LogSharing(shardCount, instance);

        // A shard taken over resumes its session, and a resumed session has no READY to say who the bot is.
        await WhileUnreachableAsync(async ct =>
        {
            await bot.LearnBotUserAsync(ct).ConfigureAwait(false);
            return true;
        }, stoppingToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var held = await shares.RunRoundAsync(stoppingToken).ConfigureAwait(false);
                foreach (var shard in running.Keys.Where(s => !held.Contains(s)).ToList())
                {
                    var (stop, run) = running[shard];
                    running.Remove(shard);
                    await stop.CancelAsync().ConfigureAwait(false);
                    await Ended(run).ConfigureAwait(false);
                    stop.Dispose();
                    health?.Down(DiscordChannels.Name, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await shares.ReleaseAsync(shard, stoppingToken).ConfigureAwait(false);
                }

                foreach (var shard in held.Where(s => !running.ContainsKey(s)).Order())
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var handover = shares.HandoverOf(shard, loggers.CreateLogger<ShardHandover>());
                    running[shard] = (stop, Connect(shard, shardCount, handover).RunAsync(bot.HandleDispatchAsync, stop.Token));
                }

                health?.Assign(DiscordChannels.Name, running.Keys.Order().Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());

                // A shard refused for good (a bad token) ends the service, as with unshared shards; one that ended
                // otherwise is connected again next round.
                foreach (var shard in running.Where(r => r.Value.Run.IsCompleted).Select(r => r.Key).ToList())
                {
                    var (stop, run) = running[shard];
                    running.Remove(shard);
                    stop.Dispose();
                    await run.ConfigureAwait(false);
                }

                await Task.WhenAny([Task.Delay(shares.Round, time, stoppingToken), .. running.Values.Select(r => r.Run)]).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            foreach (var (stop, run) in running.Values)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await Ended(run).ConfigureAwait(false);
                stop.Dispose();
            }

            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await shares.ReleaseAllAsync(release.Token).ConfigureAwait(false);
        }

        static async Task Ended(Task run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // closed on purpose
            }
        }
    }

    /// <summary>Discord's recommended shard count, waiting out a network that is not there yet; a refused token ends it at once.</summary>
    private async Task<int> RecommendedShardsAsync(CancellationToken cancellationToken) =>
        (await WhileUnreachableAsync(ct => rest.GetGatewayBotAsync(ct), cancellationToken).ConfigureAwait(false)).Shards;

    /// <summary>
    /// Runs a start-up call until Discord answers it: a network that is not there, a timeout or a 5xx is retried with
    /// growing waits (up to Discord:MaxReconnectDelay, for as long as it takes, each wait logged); an answer that
    /// refuses the bot ends it at once. Slack's start does the same.
    /// </summary>
    private Task<T> WhileUnreachableAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) => Backoff.RetryAsync(
        call,
        ex => ex is HttpRequestException or TimeoutException or TaskCanceledException or DiscordRestException { Status: >= 500 or 429 },
        TimeSpan.FromSeconds(2),
        options.Value.MaxReconnectDelay,
        time,
        (ex, wait) => LogGatewayRetry(ex.Message, wait),
        cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaching Discord failed ({Reason}); trying again in {Wait}")]
    private partial void LogGatewayRetry(string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shards shared with the other instances on the store: {Shards} in all; this instance is {Instance}")]
    private partial void LogSharing(int shards, string instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord slash commands registered {Scope}")]
    private partial void LogCommandsRegistered(string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering the Discord slash commands failed; mentions and DMs still work")]
    private partial void LogCommandsFailed(Exception exception);
}

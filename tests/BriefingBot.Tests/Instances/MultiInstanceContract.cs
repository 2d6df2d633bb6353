using BriefingBot.Core.Coordination;
using BriefingBot.Tests.Discord;
using BriefingBot.Tests.Slack;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Instances;

/// <summary>
/// Several bot hosts on one store against loopback Discord and Slack, as a deployment of more than one instance runs:
/// Discord's shards shared out and taken over, and every event answered once whichever instance it reaches.
/// </summary>
public abstract class MultiInstanceContract : IAsyncLifetime
{
    private const string Question = "How many Syrian refugees does Turkey host?";
    private readonly List<RunningBot> _bots = [];

    /// <summary>The store settings of instance <paramref name="instance"/> (all on one database).</summary>
    protected abstract Dictionary<string, string?> StoreSettings(int instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var bot in _bots)
        {
            await bot.DisposeAsync();
        }
    }

    private async Task<RunningBot> StartAsync(int instance, Dictionary<string, string?> platform, Action<IServiceCollection>? configure = null)
    {
        var settings = StoreSettings(instance);
        settings["Logging:LogLevel:BriefingBot"] = "Information";
        foreach (var (key, value) in platform)
        {
            settings[key] = value;
        }

        var bot = await RunningBot.StartAsync(settings, configure);
        _bots.Add(bot);
        return bot;
    }

    /// <summary>Accepts the next gateway connection, walks it through Hello, Identify and READY, and says which shard it is.</summary>
    private static async Task<(int Shard, SocketPeer Socket)> IdentifiedShardAsync(FakeDiscord discord)
    {
        var socket = await discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(20));
        await socket.SendAsync(FakeDiscord.Hello());
        var identify = await socket.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 2, TimeSpan.FromSeconds(20));
        var shard = identify.GetProperty("d").GetProperty("shard");
        Assert.Equal(3, shard[1].GetInt32());
        await socket.SendAsync(discord.Ready());
        return (shard[0].GetInt32(), socket);
    }

    private static bool ReplyTo(RecordedRequest r, string messageId) =>
        r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)
        && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == messageId;

    [SkippableFact]
    public async Task Discord_shards_are_shared_out_an_event_on_two_shards_is_answered_once_and_a_stopped_instances_shards_are_taken_over()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.MaxConcurrency = 16; // one identify per shard per 5 s would make the test wait for nothing
        var platform = discord.Settings(("Discord:ShardCount", "3"), ("Discord:ShareShards", "true"), ("Discord:ShardLease", "00:00:04"));
        var first = await StartAsync(0, platform);
        var shards = new Dictionary<int, SocketPeer>();
        for (var i = 0; i < 3; i++)
        {
            var (shard, socket) = await IdentifiedShardAsync(discord);
            shards[shard] = socket;
        }

        Assert.Equal([0, 1, 2], shards.Keys.Order());

        // A second instance: the first hands one shard over (its fair share is now two), the second identifies it.
        var second = await StartAsync(1, platform);
        var (moved, movedSocket) = await IdentifiedShardAsync(discord);
        Assert.Equal(2, moved);
        await shards[2].Closed.WaitAsync(TimeSpan.FromSeconds(10));
        shards[2] = movedSocket;
        Assert.True(await discord.Platform.NoSocketWithinAsync(TimeSpan.FromSeconds(2))); // nothing else moves

        // The same message delivered on a shard of each instance (a replay after a move) is answered once.
        await shards[0].SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000901", Question));
        await shards[2].SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000901", Question));
        await shards[2].SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000902", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000902"));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000901"));
        await Task.Delay(1000);
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000901"));

        // The first instance stops: the second takes its two shards over, and answers on them.
        await first.Host.StopAsync();
        var taken = new[] { await IdentifiedShardAsync(discord), await IdentifiedShardAsync(discord) };
        Assert.Equal([0, 1], taken.Select(t => t.Shard).Order());
        await taken[0].Socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000903", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000903"));
        Assert.True(second.Logs.Lines.Any(l => l.Contains("Discord shard 0 taken", StringComparison.Ordinal)),
            string.Join('\n', second.Logs.Lines.Where(l => l.Contains("shard", StringComparison.OrdinalIgnoreCase))));
    }

    [SkippableFact]
    public async Task An_instance_cut_off_from_the_store_closes_its_shards_when_their_leases_lapse_and_the_other_takes_them_over()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.MaxConcurrency = 16; // one identify per shard per 5 s would make the test wait for nothing
        var platform = discord.Settings(("Discord:ShardCount", "3"), ("Discord:ShareShards", "true"), ("Discord:ShardLease", "00:00:04"));
        var cutOff = new CuttableLeases();
        await StartAsync(0, platform, services => services.AddSingleton<ILeaseStore>(sp => cutOff.Wrap(sp)));
        var held = new List<(int Shard, SocketPeer Socket)>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await IdentifiedShardAsync(discord));
        }

        var second = await StartAsync(1, platform);
        var moved = await IdentifiedShardAsync(discord);
        var kept = held.Where(h => h.Shard != moved.Shard).ToList();

        cutOff.Cut();
        var started = DateTimeOffset.UtcNow;
        foreach (var (_, socket) in kept)
        {
            await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10)); // closed by the instance that can no longer renew them
        }

        var taken = new[] { await IdentifiedShardAsync(discord), await IdentifiedShardAsync(discord) };
        Assert.Equal(kept.Select(k => k.Shard).Order(), taken.Select(t => t.Shard).Order());
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10), $"taken over after {DateTimeOffset.UtcNow - started}");
        await taken[1].Socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000911", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000911"));
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000911"));
        Assert.Contains(second.Logs.Lines, l => l.Contains($"Discord shard {taken[0].Shard} taken", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Slack_events_and_commands_that_reach_every_instances_connection_are_answered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        await StartAsync(0, slack.Settings());
        await StartAsync(1, slack.Settings());
        var sockets = new[] { await slack.AcceptAsync(), await slack.AcceptAsync() };

        // One mention, redelivered in a new envelope to the other connection; another arrives as app_mention on one
        // connection and as a message on the other.
        var mention = FakeSlack.AppMention("1515449522.000100", Question);
        await sockets[0].SendAsync(FakeSlack.EventsApi("env-1", "Ev100", mention));
        await sockets[1].SendAsync(FakeSlack.EventsApi("env-2", "Ev100", mention, retryAttempt: 1));
        var response = slack.Platform.Root + "/commands/1";
        await sockets[1].SendAsync(FakeSlack.SlashCommand("env-3", "/ask", Question, response));
        await sockets[0].SendAsync(FakeSlack.SlashCommand("env-3", "/ask", Question, response));

        foreach (var (socket, envelopes) in new[] { (sockets[0], new[] { "env-1", "env-3" }), (sockets[1], ["env-2", "env-3"]) })
        {
            foreach (var envelope in envelopes)
            {
                await socket.ReceiveAsync(f => f.TryGetProperty("envelope_id", out var id) && id.GetString() == envelope, TimeSpan.FromSeconds(10));
            }
        }

        var posts = await slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postMessage" && r.Body.Contains("1515449522.000100", StringComparison.Ordinal));
        await Task.Delay(1500);
        Assert.Single(slack.Platform.Requests, r => r.Path == "/api/chat.postMessage" && r.Body.Contains("1515449522.000100", StringComparison.Ordinal));
        Assert.NotEmpty(posts);
    }

    [SkippableFact]
    public async Task A_follow_up_in_a_thread_that_reaches_another_instance_is_answered_there_in_the_context_of_the_question_before()
    {
        await using var slack = await FakeSlack.StartAsync();
        await StartAsync(0, slack.Settings());
        await StartAsync(1, slack.Settings());
        var sockets = new[] { await slack.AcceptAsync(), await slack.AcceptAsync() };
        static bool InThread(RecordedRequest r) => r.Path == "/api/chat.postMessage" && r.Json.TryGetProperty("thread_ts", out var ts) && ts.GetString() == "1515449800.000001";

        await sockets[0].SendAsync(FakeSlack.EventsApi("env-c1", "EvC1", FakeSlack.AppMention("1515449800.000001", "What are Turkey's aims in Idlib?")));
        await slack.Platform.WaitForAsync(InThread);
        // In the thread, without a mention, to the instance that did not answer there: it follows the thread too.
        var followUp = """{"type": "message", "channel": "C0LAN2Q65", "user": "U061F7AUR", "text": "what about Russia?", "ts": "1515449801.000001", "thread_ts": "1515449800.000001", "channel_type": "channel"}""";
        await sockets[1].SendAsync(FakeSlack.EventsApi("env-c2", "EvC2", followUp));

        var answers = await slack.Platform.WaitForAsync(InThread, count: 2);
        Assert.Contains("Taking this as", answers[1].Body, StringComparison.Ordinal);
        Assert.Contains("Russia", answers[1].Body, StringComparison.Ordinal);
    }
}

/// <summary>The store's leases, until the test cuts the instance off from them: then every call fails, as with a lost network.</summary>
internal sealed class CuttableLeases
{
    private volatile bool _cut;

    public void Cut() => _cut = true;

    public ILeaseStore Wrap(IServiceProvider services)
    {
        // The provider's store object (it is every contract); asking for ILeaseStore here would ask for this wrapper.
        var inner = (ILeaseStore)services.GetRequiredService<Core.Articles.ICorpusStore>();
        return new Leases(this, inner);
    }

    private sealed class Leases(CuttableLeases owner, ILeaseStore inner) : ILeaseStore
    {
        private ILeaseStore Inner => owner._cut ? throw new TimeoutException("the store cannot be reached") : inner;

        public Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Inner.TryAcquireAsync(name, holder, now, duration, cancellationToken);

        public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) => Inner.ReleaseAsync(name, holder, cancellationToken);

        public Task<IReadOnlyList<Lease>> GetLeasesAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            Inner.GetLeasesAsync(prefix, now, cancellationToken);
    }
}

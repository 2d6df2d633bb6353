using BriefingBot.Core.Coordination;
using BriefingBot.Hosting;
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

    /// <summary>Accepts the next gateway connection, walks it through Hello, Identify and READY (session "session-N"), and says which shard it is.</summary>
    private static async Task<(int Shard, SocketPeer Socket)> IdentifiedShardAsync(FakeDiscord discord, int shardCount = 3)
    {
        var socket = await discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(20));
        await socket.SendAsync(FakeDiscord.Hello());
        var identify = await socket.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 2, TimeSpan.FromSeconds(20));
        var shard = identify.GetProperty("d").GetProperty("shard");
        Assert.Equal(shardCount, shard[1].GetInt32());
        await socket.SendAsync(discord.Ready(sessionId: $"session-{shard[0].GetInt32()}"));
        return (shard[0].GetInt32(), socket);
    }

    /// <summary>
    /// Accepts the next gateway connection, which must resume a shard's session (at Discord's resume address, with the
    /// session its last holder had), and says which shard and from which sequence number.
    /// </summary>
    private static async Task<(int Shard, long Sequence, SocketPeer Socket)> ResumedShardAsync(FakeDiscord discord)
    {
        var socket = await discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("/resume/", socket.Path);
        await socket.SendAsync(FakeDiscord.Hello());
        var resume = (await socket.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 6, TimeSpan.FromSeconds(20))).GetProperty("d");
        Assert.Equal(FakeDiscord.Token, resume.GetProperty("token").GetString());
        var shard = int.Parse(resume.GetProperty("session_id").GetString()!["session-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var sequence = resume.GetProperty("seq").GetInt64();
        return (shard, sequence, socket);
    }

    /// <summary>Two instances on the store with Slack, and the Socket Mode connection each opens.</summary>
    private async Task<SocketPeer[]> TwoSlackInstancesAsync(FakeSlack slack)
    {
        await StartAsync(0, slack.Settings());
        await StartAsync(1, slack.Settings());
        return [await slack.AcceptAsync(), await slack.AcceptAsync()];
    }

    private static bool ReplyTo(RecordedRequest r, string messageId) =>
        r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)
        && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == messageId;

    [SkippableFact]
    public async Task Discord_shards_are_shared_out_an_event_on_two_shards_is_answered_once_and_a_stopped_instances_shards_are_resumed_by_the_other()
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

        // A second instance: the first hands one shard over (its fair share is now two), closing it so that the session
        // stays open (4000), and the second resumes that session, where the first left it.
        var second = await StartAsync(1, platform);
        var (moved, from, movedSocket) = await ResumedShardAsync(discord);
        Assert.Equal(2, moved);
        Assert.Equal(1, from);
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4000, await shards[2].Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        await movedSocket.SendAsync(FakeDiscord.Resumed(2));
        shards[2] = movedSocket;
        Assert.True(await discord.Platform.NoSocketWithinAsync(TimeSpan.FromSeconds(2))); // nothing else moves

        // The same message delivered on a shard of each instance (a replay after a move) is answered once.
        await shards[0].SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000901", Question));
        await shards[2].SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000901", Question));
        await shards[2].SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000902", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000902"));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000901"));
        await Task.Delay(1500); // the first instance leaves shard 0's session at sequence 2
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000901"));

        // The first instance stops: the second resumes its two shards' sessions where the first left them, and
        // Discord's replay of what came in between is answered there.
        await first.Host.StopAsync();
        var taken = new[] { await ResumedShardAsync(discord), await ResumedShardAsync(discord) };
        Assert.Equal([0, 1], taken.Select(t => t.Shard).Order());
        var zero = taken.Single(t => t.Shard == 0);
        Assert.Equal(2, zero.Sequence);
        await zero.Socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000903", Question));
        await zero.Socket.SendAsync(FakeDiscord.Resumed(3));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000903"));
        Assert.Contains(second.Logs.Lines, l => l.Contains("Discord shard 0: resuming the session its last holder left at sequence 2", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Logs.Lines, l => l.Contains("Discord shard 0: connected, identifying", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_instance_cut_off_from_the_store_closes_its_shards_in_time_and_the_other_resumes_them_so_nothing_is_lost_or_answered_twice()
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
        var moved = await ResumedShardAsync(discord);
        var kept = held.Where(h => h.Shard != moved.Shard).ToList();

        // Answered and noted (sequence 2) before the cut; then 3 arrives and is answered, but its note cannot be left.
        await kept[0].Socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000910", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000910"));
        await Task.Delay(1500);
        cutOff.Cut();
        await kept[0].Socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000911", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000911"));

        var started = DateTimeOffset.UtcNow;
        foreach (var (_, socket) in kept)
        {
            // Closed by the instance that can no longer renew them, keeping their sessions for the next holder.
            Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4000, await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var taken = new[] { await ResumedShardAsync(discord), await ResumedShardAsync(discord) };
        Assert.Equal(kept.Select(k => k.Shard).Order(), taken.Select(t => t.Shard).Order());
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10), $"taken over after {DateTimeOffset.UtcNow - started}");

        // Discord replays from the last note: 3 (answered already) and 4 (sent in the gap) — 4 is answered, 3 not again.
        var resumed = taken.Single(t => t.Shard == kept[0].Shard);
        Assert.Equal(2, resumed.Sequence);
        await resumed.Socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000911", Question));
        await resumed.Socket.SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000912", Question));
        await resumed.Socket.SendAsync(FakeDiscord.Resumed(4));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000912"));
        await Task.Delay(1000);
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000911"));
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000910"));
        Assert.Contains(second.Logs.Lines, l => l.Contains($"Discord shard {taken[0].Shard} taken", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_discord_thread_started_from_an_answer_is_followed_by_the_instance_its_shard_moves_to()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var platform = discord.Settings(("Discord:ShardCount", "1"), ("Discord:ShareShards", "true"), ("Discord:ShardLease", "00:00:04"),
            ("Discord:MessageContentIntent", "true"));
        var first = await StartAsync(0, platform);
        var (_, socket) = await IdentifiedShardAsync(discord, shardCount: 1);
        var second = await StartAsync(1, platform);

        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000920", "What are Turkey's aims in Idlib?"));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000920"));
        var answer = discord.LastMessageId;

        // The shard moves; in the thread started from the answer someone writes without mentioning the bot, and a
        // message in an unrelated channel is left alone.
        await first.Host.StopAsync();
        var (_, _, resumed) = await ResumedShardAsync(discord);
        await resumed.SendAsync(FakeDiscord.Resumed(2));
        await resumed.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000921", "and what does Russia want?", mentionBot: false, channelId: "1000000000000000077"));
        await resumed.SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000922", "what about Russia?", mentionBot: false, channelId: answer));
        static bool InThread(RecordedRequest r, string channel) => r.Method == "POST" && r.Path == $"/api/v10/channels/{channel}/messages";
        var followUp = Assert.Single(await discord.Platform.WaitForAsync(r => InThread(r, answer)));
        Assert.Contains("Taking this as", followUp.Body, StringComparison.Ordinal);
        Assert.Contains("Russia", followUp.Body, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.DoesNotContain(discord.Platform.Requests, r => InThread(r, "1000000000000000077"));
        Assert.Contains(second.Logs.Lines, l => l.Contains("Discord shard 0: resuming", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_briefing_claimed_by_an_instance_killed_mid_post_is_posted_once_by_another_after_the_claim_lapses()
    {
        await using var slack = await FakeSlack.StartAsync();
        const string FirstToken = "xoxb-1111-2222-firstinstancetoken";
        var due = DateTimeOffset.UtcNow.AddMinutes(-1); // missed a minute ago: each instance catches it up at start
        (string, string?)[] briefing =
        [
            ("Briefing:Schedule", $"{due.Minute} {due.Hour} * * *"), ("Briefing:TimeZone", "UTC"),
            ("Briefing:Channels:0", "slack:C0LAN2Q65"), ("Briefing:ClaimLease", "00:00:03"),
        ];

        // The first instance's calls to post hang: it has claimed the briefing and is in the middle of posting it.
        var midPost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var killed = new ManualResetEventSlim();
        slack.Intercept = r =>
        {
            if (r.Header("Authorization") != $"Bearer {FirstToken}" || r.Path is not ("/api/conversations.history" or "/api/chat.postMessage"))
            {
                return null;
            }

            midPost.TrySetResult();
            killed.Wait(TimeSpan.FromSeconds(30));
            return new CannedResponse(500, """{"ok": false, "error": "fatal_error"}""");
        };
        var first = await StartAsync(0, slack.Settings([("Slack:BotToken", FirstToken), .. briefing]), services => services.AddBackgroundJobs());
        await midPost.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Killed: it never posts, never marks the briefing posted, never gives its claim up.
        await first.Host.StopAsync();
        killed.Set();
        var second = await StartAsync(1, slack.Settings(briefing), services => services.AddBackgroundJobs());

        static bool Posted(RecordedRequest r) => r.Path == "/api/chat.postMessage" && r.Header("Authorization") == $"Bearer {FakeSlack.BotToken}"
            && r.Json.TryGetProperty("metadata", out var metadata) && metadata.GetProperty("event_type").GetString() == "briefingbot_briefing";
        var post = Assert.Single(await slack.Platform.WaitForAsync(Posted, timeout: TimeSpan.FromSeconds(20)));
        Assert.Equal("C0LAN2Q65", post.Json.GetProperty("channel").GetString());
        await Task.Delay(2000);
        var parts = slack.Platform.Requests.Where(Posted).Select(r => r.Json.GetProperty("metadata").GetProperty("event_payload").GetProperty("part").GetInt32()).ToList();
        Assert.Equal(parts.Distinct().Count(), parts.Count); // no part twice
        Assert.Contains(second.Logs.Lines, l => l.Contains("slack:C0LAN2Q65 is posted or being posted by another instance", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Slack_events_and_commands_that_reach_every_instances_connection_are_answered_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var sockets = await TwoSlackInstancesAsync(slack);

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
        var sockets = await TwoSlackInstancesAsync(slack);
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

        public Task<bool> LeaveNoteAsync(string name, string holder, string? note, CancellationToken cancellationToken = default) =>
            Inner.LeaveNoteAsync(name, holder, note, cancellationToken);

        public Task<string?> ReadNoteAsync(string name, CancellationToken cancellationToken = default) => Inner.ReadNoteAsync(name, cancellationToken);
    }
}

using System.Diagnostics;
using System.Text.Json;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Slack;

/// <summary>The whole bot against Slack's Socket Mode and Web API on loopback.</summary>
public sealed class SlackBotSpecs(ITestOutputHelper output)
{
    private const string Question = "How many Syrian refugees does Turkey host?";

    private static bool IsPost(RecordedRequest r) => r.Path == "/api/chat.postMessage";

    private static bool PostIn(RecordedRequest r, string threadTs) =>
        IsPost(r) && r.Json.TryGetProperty("thread_ts", out var thread) && thread.GetString() == threadTs;

    private static Task<JsonElement> AckOf(SocketPeer socket, string envelopeId) =>
        socket.ReceiveAsync(f => f.TryGetProperty("envelope_id", out var id) && id.GetString() == envelopeId, TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_mention_is_acknowledged_then_answered_in_its_thread_with_blocks_and_a_working_reaction()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();

        await socket.SendAsync(FakeSlack.EventsApi("env-1", "Ev001", FakeSlack.AppMention("1515449522.000016", Question)));
        var ack = await AckOf(socket, "env-1");
        Assert.False(ack.TryGetProperty("payload", out _));

        var post = (await slack.Platform.WaitForAsync(r => PostIn(r, "1515449522.000016"))).Single();
        var body = post.Json;
        Assert.Equal("Bearer " + FakeSlack.BotToken, post.Header("Authorization"));
        Assert.Equal("C0LAN2Q65", body.GetProperty("channel").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("text").GetString()));
        var blocks = body.GetProperty("blocks").EnumerateArray().ToList();
        var sections = string.Join('\n', blocks.Where(b => b.GetProperty("type").GetString() == "section").Select(b => b.GetProperty("text").GetProperty("text").GetString()));
        Assert.Contains("3 million Syrian refugees", sections, StringComparison.Ordinal);
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "context"
            && b.GetProperty("elements")[0].GetProperty("text").GetString()!.StartsWith("[1] ", StringComparison.Ordinal));

        var reactions = await slack.Platform.WaitForAsync(r => r.Path.StartsWith("/api/reactions.", StringComparison.Ordinal), count: 2);
        Assert.Equal("/api/reactions.add", reactions[0].Path);
        Assert.Equal("eyes", reactions[0].Json.GetProperty("name").GetString());
        Assert.Equal("/api/reactions.remove", reactions[1].Path);
        Assert.True(reactions[0].Timestamp < post.Timestamp && post.Timestamp < reactions[1].Timestamp);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(FakeSlack.BotToken, StringComparison.Ordinal) || l.Contains(FakeSlack.AppToken, StringComparison.Ordinal));
    }

    private static string Interactive(string envelopeId, string payload) =>
        $$"""{"envelope_id": "{{envelopeId}}", "type": "interactive", "accepts_response_payload": false, "retry_attempt": 0, "retry_reason": "", "payload": {{payload}} }""";

    private static string Press(string actionId, string value, string user, string trigger) => $$"""
        {"type": "block_actions", "user": {"id": "{{user}}", "username": "analyst", "team_id": "T0G9PQBBK"}, "api_app_id": "A111",
         "trigger_id": "{{trigger}}", "channel": {"id": "C0LAN2Q65", "name": "idlib-desk"}, "container": {"type": "message", "message_ts": "1503435956.000001"},
         "actions": [{"type": "button", "block_id": "votes", "action_id": "{{actionId}}", "value": "{{value}}", "action_ts": "1515449999.000001"}]}
        """;

    [Fact]
    public async Task Every_answer_carries_votes_a_thumbs_down_opens_a_form_and_what_is_sent_there_is_kept()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();
        await socket.SendAsync(FakeSlack.EventsApi("env-v1", "Ev0V1", FakeSlack.AppMention("1515449522.000099", Question)));
        var post = (await slack.Platform.WaitForAsync(r => PostIn(r, "1515449522.000099"))).Single().Json;
        var actions = post.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "actions");
        var answerId = actions.GetProperty("elements")[0].GetProperty("value").GetString()!;
        Assert.Equal(["vote_up", "vote_down"], actions.GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("action_id").GetString()));

        await socket.SendAsync(Interactive("env-v2", Press("vote_up", answerId, "U061F7AUR", "trig-1")));
        await AckOf(socket, "env-v2");
        var thanks = (await slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postEphemeral")).Single().Json;
        Assert.Equal("U061F7AUR", thanks.GetProperty("user").GetString());

        await socket.SendAsync(Interactive("env-v3", Press("vote_down", answerId, "U061F7AUR", "trig-2")));
        await AckOf(socket, "env-v3");
        var opened = (await slack.Platform.WaitForAsync(r => r.Path == "/api/views.open")).Single().Json;
        Assert.Equal("trig-2", opened.GetProperty("trigger_id").GetString());
        Assert.Equal(answerId, opened.GetProperty("view").GetProperty("private_metadata").GetString());

        await socket.SendAsync(Interactive("env-v4", $$"""
            {"type": "view_submission", "user": {"id": "U061F7AUR"}, "api_app_id": "A111",
             "view": {"id": "V123", "type": "modal", "callback_id": "vote_comment", "private_metadata": "{{answerId}}",
                      "state": {"values": {"comment": {"text": {"type": "plain_text_input", "value": "Wrong year for the figure."} } } } } }
            """));
        await AckOf(socket, "env-v4");

        var store = bot.Get<BriefingBot.Core.Feedback.IFeedbackStore>();
        BriefingBot.Core.Feedback.AnswerVote? vote = null;
        for (var waited = 0; vote?.Comment is null && waited < 5000; waited += 50)
        {
            await Task.Delay(50);
            vote = (await store.VotedDownAsync()).Select(v => v.Vote).SingleOrDefault();
        }

        Assert.Equal("Wrong year for the figure.", vote?.Comment);
        var count = Assert.Single(await store.CountVotesAsync());
        Assert.Equal(("slack", 0, 1), (count.Platform, count.Up, count.Down));
    }

    [Fact]
    public async Task A_direct_message_is_answered_and_bot_messages_and_edits_are_ignored()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();

        await socket.SendAsync(FakeSlack.EventsApi("env-b", "Ev00B", FakeSlack.DirectMessage("1515449600.000001", Question, botId: "B0LAN0Z88")));
        await socket.SendAsync(FakeSlack.EventsApi("env-c", "Ev00C", FakeSlack.DirectMessage("1515449600.000002", Question, subtype: "message_changed")));
        await socket.SendAsync(FakeSlack.EventsApi("env-d", "Ev00D", FakeSlack.DirectMessage("1515449600.000003", Question)));

        await slack.Platform.WaitForAsync(r => PostIn(r, "1515449600.000003"));
        await Task.Delay(500);
        Assert.Single(slack.Platform.Requests, IsPost);
    }

    [Fact]
    public async Task A_follow_up_in_the_thread_is_read_in_the_context_of_the_question()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();

        await socket.SendAsync(FakeSlack.EventsApi("env-f1", "EvF1", FakeSlack.AppMention("1515449700.000001", "What are Turkey's aims in Idlib?")));
        await slack.Platform.WaitForAsync(r => PostIn(r, "1515449700.000001"));

        // In the thread, without a mention: a message event the bot follows because it answered there.
        var followUp = """{"type": "message", "channel": "C0LAN2Q65", "user": "U061F7AUR", "text": "what about Russia?", "ts": "1515449701.000001", "thread_ts": "1515449700.000001", "channel_type": "channel"}""";
        await socket.SendAsync(FakeSlack.EventsApi("env-f2", "EvF2", followUp));

        var answers = await slack.Platform.WaitForAsync(r => PostIn(r, "1515449700.000001"), count: 2);
        Assert.Contains("Russia", answers[1].Body, StringComparison.Ordinal);
        Assert.Contains("Taking this as", answers[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ask", Question, "3 million")]
    [InlineData("/quote", "speaker: Kerim Has", "Kerim Has")]
    [InlineData("/briefing", "2018-01-01", "Briefing")]
    [InlineData("/sources", "", "1 article in")]
    public async Task Slash_commands_are_acknowledged_within_the_deadline_with_their_answer(string command, string text, string expected)
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();

        var sent = Stopwatch.GetTimestamp();
        await socket.SendAsync(FakeSlack.SlashCommand("env-cmd", command, text, slack.Platform.Root + "/commands/T111/1/abc"));
        var ack = await AckOf(socket, "env-cmd");
        Assert.InRange(Stopwatch.GetElapsedTime(sent).TotalSeconds, 0, 3);

        var payload = ack.GetProperty("payload");
        Assert.Equal("ephemeral", payload.GetProperty("response_type").GetString());
        Assert.Contains(expected, payload.GetProperty("blocks").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_are_refused_to_members_and_kept_for_admins_and_answers_then_show_in_the_channel()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings(("Slack:AdminUsers:0", "U0ADMIN01")));
        slack.Intercept = r => r.Path == "/api/users.info"
            ? new CannedResponse(200, """{"ok": true, "user": {"id": "U111", "is_admin": false, "is_owner": false, "is_primary_owner": false}}""")
            : null;
        var socket = await slack.AcceptAsync();

        async Task<string> CommandAsync(string envelope, string command, string text, string user)
        {
            await socket.SendAsync(FakeSlack.SlashCommand(envelope, command, text, slack.Platform.Root + "/commands/T111/1/" + envelope, user: user, channel: "C0DESK01"));
            var ack = await AckOf(socket, envelope);
            if (ack.TryGetProperty("payload", out var payload))
            {
                return payload.ToString();
            }

            return (await slack.Platform.WaitForAsync(r => r.Path == "/commands/T111/1/" + envelope)).Single().Body;
        }

        var refused = await CommandAsync("env-s1", "/settings", "answers:everyone", "U111");
        Assert.Contains("only people who may manage", refused, StringComparison.Ordinal);
        Assert.Contains(slack.Platform.Requests, r => r.Path == "/api/users.info");

        var saved = await CommandAsync("env-s2", "/settings", "answers:everyone briefing:on time:08:00 timezone:Europe/Istanbul", "U0ADMIN01");
        Assert.Contains("Saved", saved, StringComparison.Ordinal);
        Assert.Contains("ephemeral", saved, StringComparison.Ordinal);
        var stored = await bot.Get<BriefingBot.Core.Settings.ChannelSettingsService>().ForAsync("slack:C0DESK01");
        Assert.Equal((false, true, new TimeOnly(8, 0), "Europe/Istanbul"), (stored.OnlyAsker, stored.BriefingOn, stored.BriefingTime, stored.BriefingZone));

        // Answers to commands in that channel are shown to everyone now (the bot's default keeps them private).
        var answered = await CommandAsync("env-s3", "/sources", string.Empty, "U111");
        Assert.Contains("in_channel", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_opens_a_new_connection_before_the_old_closes_and_loses_or_repeats_nothing()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var old = await slack.AcceptAsync();

        await old.SendAsync(FakeSlack.Disconnect("refresh_requested"));
        var fresh = await slack.AcceptAsync();
        Assert.Equal(2, slack.Platform.Requests.Count(r => r.Path == "/api/apps.connections.open"));

        // The old connection still delivers until it closes; the same envelope comes again on the new one.
        await old.SendAsync(FakeSlack.EventsApi("env-r1", "EvR1", FakeSlack.AppMention("1515449800.000001", Question)));
        await AckOf(old, "env-r1");
        await fresh.SendAsync(FakeSlack.EventsApi("env-r2", "EvR2", FakeSlack.AppMention("1515449800.000002", "Who is Kerim Has?")));
        await AckOf(fresh, "env-r2");
        await fresh.SendAsync(FakeSlack.EventsApi("env-r1", "EvR1", FakeSlack.AppMention("1515449800.000001", Question), retryAttempt: 1));
        await AckOf(fresh, "env-r1");
        await old.CloseAsync(1001, "refresh");

        await slack.Platform.WaitForAsync(r => PostIn(r, "1515449800.000001"));
        await slack.Platform.WaitForAsync(r => PostIn(r, "1515449800.000002"));
        await Task.Delay(800);
        Assert.Single(slack.Platform.Requests, r => PostIn(r, "1515449800.000001"));
        Assert.Single(slack.Platform.Requests, r => PostIn(r, "1515449800.000002"));
        Assert.Equal(2, slack.Platform.Requests.Count(r => r.Path == "/api/apps.connections.open"));
    }

    [Fact]
    public async Task Too_many_connections_means_waiting_before_the_next_not_opening_one_at_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var first = await slack.AcceptAsync();

        await first.SendAsync(FakeSlack.Disconnect("too_many_websockets"));
        Assert.True(await slack.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(300)));
        await first.CloseAsync(1000);
        var closedAt = Stopwatch.GetTimestamp();
        await slack.Platform.NextSocketAsync();
        Assert.InRange(Stopwatch.GetElapsedTime(closedAt).TotalSeconds, 0.4, 10);
    }

    [Fact]
    public async Task A_dropped_connection_is_replaced()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var first = await slack.AcceptAsync();
        first.Abort();

        var second = await slack.AcceptAsync();
        await second.SendAsync(FakeSlack.EventsApi("env-x", "EvX", FakeSlack.AppMention("1515449900.000001", Question)));
        await slack.Platform.WaitForAsync(r => PostIn(r, "1515449900.000001"));
    }

    [Fact]
    public async Task A_429_is_waited_out_for_its_Retry_After_and_the_message_posted_once()
    {
        await using var slack = await FakeSlack.StartAsync();
        var calls = 0;
        slack.Intercept = r => IsPost(r) && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(429, """{"ok": false, "error": "ratelimited"}""", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : null;
        await using var bot = await RunningBot.StartAsync(slack.Settings());
        var socket = await slack.AcceptAsync();
        await socket.SendAsync(FakeSlack.EventsApi("env-429", "Ev429", FakeSlack.AppMention("1515450000.000001", Question)));

        var posts = await slack.Platform.WaitForAsync(IsPost, count: 2);
        Assert.InRange(Stopwatch.GetElapsedTime(posts[0].Timestamp, posts[1].Timestamp).TotalSeconds, 0.95, 10);
        await Task.Delay(300);
        Assert.Equal(2, slack.Platform.Requests.Count(IsPost));
    }

    [Fact]
    public async Task Twenty_events_a_second_are_each_answered_once_and_the_latency_is_reported()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await RunningBot.StartAsync(slack.Settings(("Logging:LogLevel:Default", "Warning"), ("Corpus:Path", RepoFiles.FaKes), ("Admission:PerUserRequests", "0"), ("Admission:PerChannelRequests", "0")));
        var socket = await slack.AcceptAsync();

        var latency = await LoadProbe.RunAsync(slack.Platform, 100, 20,
            i => socket.SendAsync(FakeSlack.EventsApi($"env-l{i}", $"EvL{i}", FakeSlack.AppMention($"1515451000.{i:D6}", LoadProbe.Questions[i % LoadProbe.Questions.Length]))),
            (r, i) => PostIn(r, $"1515451000.{i:D6}"));
        output.WriteLine($"events_api envelope → chat.postMessage at 20/s over 100 events, 804 articles, keyword search: {latency}");
    }

    [Fact]
    public async Task A_refused_token_stops_the_bot_with_a_clear_error_and_without_the_token()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.Intercept = r => r.Path == "/api/auth.test" ? new CannedResponse(200, """{"ok": false, "error": "invalid_auth"}""") : null;
        await using var bot = await RunningBot.StartAsync(slack.Settings());

        var stopping = bot.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("invalid_auth", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(FakeSlack.BotToken, StringComparison.Ordinal));
    }
}

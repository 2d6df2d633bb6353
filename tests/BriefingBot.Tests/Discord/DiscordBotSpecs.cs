using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using BriefingBot.Tests.Support;
using Xunit.Abstractions;

namespace BriefingBot.Tests.Discord;

/// <summary>The whole bot against Discord on loopback: what a person in a server sees.</summary>
public sealed class DiscordBotSpecs(ITestOutputHelper output)
{
    private const string Question = "How many Syrian refugees does Turkey host?";

    private static bool IsMessagePost(RecordedRequest r) => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal);

    private static bool ReplyTo(RecordedRequest r, string messageId) =>
        IsMessagePost(r) && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == messageId;

    [Fact]
    public async Task A_mention_is_answered_in_a_reply_with_an_embed_that_can_ping_nobody()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();

        // Its own message, another bot's and a message that does not mention it are not questions.
        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000001", Question, authorId: FakeDiscord.BotId, authorIsBot: true));
        await socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000002", Question, authorId: "1300000000000000099", authorIsBot: true));
        await socket.SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000003", Question, mentionBot: false));
        await socket.SendAsync(FakeDiscord.MessageCreate(5, "1400000000000000004", "@everyone " + Question));

        var post = (await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000004"))).Single();
        var body = post.Json;
        Assert.Equal("/api/v10/channels/1000000000000000010/messages", post.Path);
        Assert.Empty(body.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        var embed = body.GetProperty("embeds")[0];
        Assert.Equal(["color", "description", "footer"], embed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var description = embed.GetProperty("description").GetString()!;
        Assert.Contains("3 million Syrian refugees", description, StringComparison.Ordinal);
        Assert.Contains("[1]", description, StringComparison.Ordinal);
        Assert.Contains("**Sources**", description, StringComparison.Ordinal);
        Assert.Contains("Extractive", embed.GetProperty("footer").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bot " + FakeDiscord.Token, post.Header("Authorization"));
        Assert.StartsWith("DiscordBot (", post.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Contains(discord.Platform.Requests, r => r.Path == "/api/v10/channels/1000000000000000010/typing");

        await Task.Delay(500);
        Assert.Single(discord.Platform.Requests, IsMessagePost);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(FakeDiscord.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_event_is_logged_and_skipped_and_the_next_one_answered()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();

        await socket.SendAsync("""{"t": "MESSAGE_CREATE", "s": 2, "op": 0, "d": {"id": "1400000000000000061", "channel_id": "1000000000000000010", "content": 42}}""");
        await socket.SendAsync("""{"t": "INTERACTION_CREATE", "s": 3, "op": 0, "d": {"id": "1600000000000000061", "type": "two"}}""");
        await socket.SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000062", Question));

        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000062"));
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("malformed MESSAGE_CREATE", StringComparison.Ordinal));
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("malformed INTERACTION_CREATE", StringComparison.Ordinal));
        Assert.Single(discord.Platform.Requests, IsMessagePost);
    }

    [Fact]
    public async Task A_direct_message_needs_no_mention_and_a_follow_up_is_read_in_context()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();

        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000011", "What are Turkey's aims in Idlib?", mentionBot: false, guildId: null, channelId: "1500000000000000001"));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000011"));
        await socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000012", "what about Russia?", mentionBot: false, guildId: null, channelId: "1500000000000000001"));

        var followUp = (await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000012"))).Single().Json.GetProperty("embeds")[0];
        Assert.Contains("Russia", followUp.GetProperty("author").GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_ups_in_a_thread_started_from_an_answer_or_in_a_reply_to_it_are_read_in_its_context()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(("Discord:MessageContentIntent", "true")));
        var socket = await discord.AcceptIdentifiedAsync();

        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000051", "What are Turkey's aims in Idlib?"));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000051"));
        var answerId = discord.LastMessageId;

        // The bot learns the answer's id from Discord's response, which the server sends after recording the
        // request; a person takes far longer than this to open a thread.
        await Task.Delay(300);

        // A thread started from the answer has the answer's id; nobody needs to mention the bot there.
        await socket.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000052", "what about Russia?", mentionBot: false, channelId: answerId));
        var inThread = (await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000052"))).Single();
        Assert.Equal($"/api/v10/channels/{answerId}/messages", inThread.Path);
        Assert.Contains("Russia", inThread.Json.GetProperty("embeds")[0].GetProperty("author").GetProperty("name").GetString(), StringComparison.Ordinal);

        // Someone else replies to the answer in the channel, mentioning the bot: the reply continues its conversation.
        await socket.SendAsync(FakeDiscord.MessageCreate(4, "1400000000000000054", "and Iran?", authorId: "1300000000000000077", replyTo: answerId));
        var inReply = (await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000054"))).Single();
        Assert.Contains("Iran", inReply.Json.GetProperty("embeds")[0].GetProperty("author").GetProperty("name").GetString(), StringComparison.Ordinal);

        // A message in an ordinary channel that does not mention the bot is still not a question.
        await socket.SendAsync(FakeDiscord.MessageCreate(5, "1400000000000000053", "what about Iran?", mentionBot: false));
        await Task.Delay(500);
        Assert.DoesNotContain(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000053"));
    }

    [Fact]
    public async Task Ask_is_deferred_then_the_original_response_is_edited_with_the_answer()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var commands = (await discord.Platform.WaitForAsync(r => r.Method == "PUT")).Single();
        Assert.Equal($"/api/v10/applications/{FakeDiscord.ApplicationId}/commands", commands.Path);
        Assert.Contains(commands.Json.EnumerateArray(), c => c.GetProperty("name").GetString() == "quote"
            && c.GetProperty("options").EnumerateArray().Any(o => o.GetProperty("name").GetString() == "speaker" && o.GetProperty("autocomplete").GetBoolean()));

        var socket = await discord.AcceptIdentifiedAsync();
        await socket.SendAsync(FakeDiscord.InteractionCreate(2, "1600000000000000001", "tok-ask", 2, "ask",
            $$"""[{"type": 3, "name": "question", "value": "{{Question}}"}]"""));

        var edit = (await discord.Platform.WaitForAsync(r => r.Method == "PATCH")).Single();
        var callback = discord.Platform.Requests.Single(r => r.Path == "/api/v10/interactions/1600000000000000001/tok-ask/callback");
        Assert.Equal(5, callback.Json.GetProperty("type").GetInt32());
        Assert.True(callback.Timestamp < edit.Timestamp);
        Assert.Equal($"/api/v10/webhooks/{FakeDiscord.ApplicationId}/tok-ask/messages/@original", edit.Path);
        Assert.Contains("3 million", edit.Json.GetProperty("embeds")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(edit.Json.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());

        // The interaction token lets anyone post as the app for 15 minutes: it is never logged.
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("tok-ask", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_channel_that_follows_a_topic_gets_a_new_article_dropped_into_the_corpus_once_pinging_nobody()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(), services => Hosting.BackgroundJobsServiceCollectionExtensions.AddBackgroundJobs(services));
        var commands = (await discord.Platform.WaitForAsync(r => r.Method == "PUT")).Single();
        Assert.Contains(commands.Json.EnumerateArray(), c => c.GetProperty("name").GetString() == "follow");
        var socket = await discord.AcceptIdentifiedAsync();

        await socket.SendAsync(FakeDiscord.InteractionCreate(2, "1600000000000000009", "tok-follow", 2, "follow",
            """[{"type": 3, "name": "words", "value": "Idlib aid convoy"}]""", channelId: "1000000000000000077"));
        var confirmed = (await discord.Platform.WaitForAsync(r => r.Method == "PATCH" && r.Path.Contains("tok-follow", StringComparison.Ordinal))).Single();
        Assert.Contains("Following", confirmed.Body, StringComparison.Ordinal);

        var corpus = bot.Get<Microsoft.Extensions.Options.IOptions<Core.Ingestion.IngestionOptions>>().Value.Path;
        await File.WriteAllTextAsync(Path.Combine(corpus, "convoy.txt"),
            "Aid convoy reaches Idlib\n\nIDLIB: A United Nations aid convoy of 48 trucks reached Idlib province on Wednesday, @everyone was told.\n");

        var post = (await discord.Platform.WaitForAsync(r => IsMessagePost(r) && r.Path.Contains("1000000000000000077", StringComparison.Ordinal))).Single();
        Assert.Empty(post.Json.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        Assert.Contains("Aid convoy reaches Idlib", post.Body, StringComparison.Ordinal);
        Assert.Contains("idlib aid convoy", post.Body, StringComparison.Ordinal);

        // Written again unchanged, and a rescan: nothing new to post.
        File.SetLastWriteTimeUtc(Path.Combine(corpus, "convoy.txt"), DateTime.UtcNow);
        await Task.Delay(2000);
        Assert.Single(discord.Platform.Requests, r => IsMessagePost(r) && r.Path.Contains("1000000000000000077", StringComparison.Ordinal));
    }

    private static string ComponentPress(long sequence, string id, string customId, string userId) => $$$"""
        {"t": "INTERACTION_CREATE", "s": {{{sequence}}}, "op": 0, "d": {"version": 1, "type": 3, "token": "tok-{{{id}}}", "id": "{{{id}}}",
        "application_id": "{{{FakeDiscord.ApplicationId}}}", "guild_id": "1000000000000000001", "channel_id": "1000000000000000010",
        "data": {"custom_id": "{{{customId}}}", "component_type": 2},
        "member": {"user": {"username": "analyst", "id": "{{{userId}}}"}, "roles": [], "permissions": "0"},
        "message": {"id": "1500000000000000001", "channel_id": "1000000000000000010"} } }
        """;

    [Fact]
    public async Task Every_answer_carries_votes_a_press_is_kept_once_a_second_changes_it_and_a_thumbs_down_asks_what_was_wrong()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();
        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000031", Question));
        var answer = (await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000031"))).Single().Json;
        var buttons = answer.GetProperty("components")[0].GetProperty("components").EnumerateArray().ToList();
        var up = buttons[0].GetProperty("custom_id").GetString()!;
        var down = buttons[1].GetProperty("custom_id").GetString()!;
        Assert.Equal(["👍", "👎"], buttons.Select(b => b.GetProperty("emoji").GetProperty("name").GetString()));

        // A press, the same press delivered again, and the same person changing their mind.
        await socket.SendAsync(ComponentPress(3, "1700000000000000001", up, "1300000000000000001"));
        await socket.SendAsync(ComponentPress(3, "1700000000000000001", up, "1300000000000000001"));
        var thanks = (await discord.Platform.WaitForAsync(r => r.Path.Contains("/1700000000000000001/", StringComparison.Ordinal))).Single().Json;
        Assert.Equal(4, thanks.GetProperty("type").GetInt32());
        Assert.Equal(64, thanks.GetProperty("data").GetProperty("flags").GetInt32());
        await socket.SendAsync(ComponentPress(4, "1700000000000000002", down, "1300000000000000001"));
        var modal = (await discord.Platform.WaitForAsync(r => r.Path.Contains("/1700000000000000002/", StringComparison.Ordinal))).Single().Json;
        Assert.Equal(9, modal.GetProperty("type").GetInt32());
        var why = modal.GetProperty("data").GetProperty("custom_id").GetString()!;

        await socket.SendAsync($$$"""
            {"t": "INTERACTION_CREATE", "s": 5, "op": 0, "d": {"version": 1, "type": 5, "token": "tok-m", "id": "1700000000000000003",
            "application_id": "{{{FakeDiscord.ApplicationId}}}", "guild_id": "1000000000000000001", "channel_id": "1000000000000000010",
            "data": {"custom_id": "{{{why}}}", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "comment", "value": "It cites an old figure."}]}]},
            "member": {"user": {"username": "analyst", "id": "1300000000000000001"}, "roles": [], "permissions": "0"} } }
            """);
        var noted = (await discord.Platform.WaitForAsync(r => r.Path.Contains("/1700000000000000003/", StringComparison.Ordinal))).Single().Json;
        Assert.Equal(4, noted.GetProperty("type").GetInt32());

        var store = bot.Get<BriefingBot.Core.Feedback.IFeedbackStore>();
        var count = Assert.Single(await store.CountVotesAsync());
        Assert.Equal(("discord", 0, 1), (count.Platform, count.Up, count.Down));
        var (shown, vote) = Assert.Single(await store.VotedDownAsync());
        Assert.Equal(Question, shown.Question);
        Assert.Contains("3 million Syrian refugees", shown.Shown, StringComparison.Ordinal);
        Assert.NotEmpty(shown.Sources);
        Assert.False(shown.Generated);
        Assert.Equal("It cites an old figure.", vote.Comment);
        Assert.DoesNotContain("1300000000000000001", vote.Voter, StringComparison.Ordinal);
        Assert.Equal(32, vote.Voter.Length);
    }

    private static string SettingsCommand(long sequence, string id, string options, string permissions) => $$$"""
        {"t": "INTERACTION_CREATE", "s": {{{sequence}}}, "op": 0, "d": {"version": 1, "type": 2, "token": "tok-{{{id}}}", "id": "{{{id}}}",
        "application_id": "{{{FakeDiscord.ApplicationId}}}", "guild_id": "1000000000000000001", "channel_id": "1000000000000000088",
        "data": {"type": 1, "name": "settings", "id": "1100000000000000200", "options": {{{options}}} },
        "member": {"user": {"username": "moderator", "id": "1300000000000000005"}, "roles": [], "permissions": "{{{permissions}}}"} } }
        """;

    [Fact]
    public async Task Settings_are_for_those_who_manage_the_server_and_move_the_channels_briefing_and_who_sees_answers()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(), services => Hosting.BackgroundJobsServiceCollectionExtensions.AddBackgroundJobs(services));
        var commands = (await discord.Platform.WaitForAsync(r => r.Method == "PUT")).Single();
        var definition = commands.Json.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "settings");
        Assert.Equal("32", definition.GetProperty("default_member_permissions").GetString());
        var socket = await discord.AcceptIdentifiedAsync();
        var scheduler = bot.Get<Core.Briefing.BriefingScheduler>();
        const string Channel = "discord:1000000000000000088";
        Assert.Null(await scheduler.NextOccurrenceForAsync(Channel));

        // Someone without Manage Server (a server may show them the command all the same) is refused politely.
        await socket.SendAsync(SettingsCommand(2, "1800000000000000001", """[{"type": 3, "name": "briefing", "value": "on"}]""", "2048"));
        var refused = (await discord.Platform.WaitForAsync(r => r.Method == "PATCH" && r.Path.Contains("tok-1800000000000000001", StringComparison.Ordinal))).Single();
        Assert.Contains("only people who may manage", refused.Body, StringComparison.Ordinal);
        Assert.Equal(64, refused.Json.GetProperty("flags").GetInt32());
        Assert.Null(await scheduler.NextOccurrenceForAsync(Channel));

        // A moderator turns the channel's briefing on at 09:30 UTC, and answers to commands to the asker only.
        await socket.SendAsync(SettingsCommand(3, "1800000000000000002",
            """[{"type": 3, "name": "briefing", "value": "on"}, {"type": 3, "name": "time", "value": "09:30"}, {"type": 3, "name": "timezone", "value": "UTC"}, {"type": 3, "name": "answers", "value": "asker"}]""",
            "32"));
        var saved = (await discord.Platform.WaitForAsync(r => r.Method == "PATCH" && r.Path.Contains("tok-1800000000000000002", StringComparison.Ordinal))).Single();
        Assert.Contains("daily at 09:30 (UTC)", saved.Body, StringComparison.Ordinal);
        var next = await scheduler.NextOccurrenceForAsync(Channel);
        Assert.Equal(new TimeSpan(9, 30, 0), next!.Value.UtcDateTime.TimeOfDay);
        await WaitForAsync(() => scheduler.NextOccurrence == next, "the running scheduler to plan the channel's briefing");

        // Moving the time moves the next post, at once.
        await socket.SendAsync(SettingsCommand(4, "1800000000000000003", """[{"type": 3, "name": "time", "value": "10:15"}]""", "8"));
        await discord.Platform.WaitForAsync(r => r.Method == "PATCH" && r.Path.Contains("tok-1800000000000000003", StringComparison.Ordinal));
        var moved = await scheduler.NextOccurrenceForAsync(Channel);
        Assert.Equal(new TimeSpan(10, 15, 0), moved!.Value.UtcDateTime.TimeOfDay);
        await WaitForAsync(() => scheduler.NextOccurrence == moved, "the running scheduler to move the briefing");

        // Answers to commands in that channel now go to the asker only.
        await socket.SendAsync(FakeDiscord.InteractionCreate(5, "1600000000000000088", "tok-private", 2, "ask",
            $$"""[{"type": 3, "name": "question", "value": "{{Question}}"}]""", channelId: "1000000000000000088"));
        var callback = (await discord.Platform.WaitForAsync(r => r.Path == "/api/v10/interactions/1600000000000000088/tok-private/callback")).Single();
        Assert.Equal(64, callback.Json.GetProperty("data").GetProperty("flags").GetInt32());
    }

    private static async Task WaitForAsync(Func<bool> done, string what)
    {
        for (var waited = 0; !done(); waited += 50)
        {
            Assert.True(waited < 10_000, $"waited 10 s for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Quote_speakers_are_suggested_as_they_are_typed()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();

        await socket.SendAsync(FakeDiscord.InteractionCreate(2, "1600000000000000002", "tok-auto", 4, "quote",
            """[{"type": 3, "name": "speaker", "value": "ker", "focused": true}]"""));

        var callback = (await discord.Platform.WaitForAsync(r => r.Path == "/api/v10/interactions/1600000000000000002/tok-auto/callback")).Single().Json;
        Assert.Equal(8, callback.GetProperty("type").GetInt32());
        var choices = callback.GetProperty("data").GetProperty("choices").EnumerateArray().ToList();
        Assert.Contains(choices, c => c.GetProperty("value").GetString() == "Kerim Has");
        Assert.All(choices, c => Assert.InRange(c.GetProperty("name").GetString()!.Length, 1, 100));
    }

    [Fact]
    public async Task Suggestions_as_someone_types_have_a_per_person_limit_of_their_own_and_past_it_come_back_empty()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(("Admission:PerUserSuggestions", "3")));
        var socket = await discord.AcceptIdentifiedAsync();
        const string Typed = """[{"type": 3, "name": "speaker", "value": "ker", "focused": true}]""";
        async Task<int> ChoicesAsync(int sequence, string userId)
        {
            var id = $"16000000000000001{sequence:D2}";
            await socket.SendAsync(FakeDiscord.InteractionCreate(sequence, id, "tok-auto", 4, "quote", Typed, userId));
            var callback = (await discord.Platform.WaitForAsync(r => r.Path == $"/api/v10/interactions/{id}/tok-auto/callback")).Single().Json;
            return callback.GetProperty("data").GetProperty("choices").GetArrayLength();
        }

        // One person typing fast: three keystrokes answered, the fourth within the minute answered with nothing.
        var first = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await ChoicesAsync(10 + i, "1300000000000000001"));
        }

        var other = await ChoicesAsync(20, "1300000000000000002");

        Assert.All(first.Take(3), n => Assert.True(n > 0));
        Assert.Equal(0, first[3]);
        Assert.True(other > 0); // someone else is not held back
        // Their questions are counted apart: the same person still gets an answer.
        await socket.SendAsync(FakeDiscord.MessageCreate(21, "1400000000000000090", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000090"));
    }

    [Fact]
    public async Task After_op_7_the_bot_resumes_its_session_and_answers_a_missed_event_once()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var first = await discord.AcceptIdentifiedAsync();
        await first.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000021", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000021"));

        await first.SendAsync(FakeDiscord.Reconnect);
        var code = await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(code);
        Assert.NotEqual(WebSocketCloseStatus.NormalClosure, code);
        Assert.NotEqual(WebSocketCloseStatus.EndpointUnavailable, code);

        var second = await discord.Platform.NextSocketAsync();
        Assert.Equal("/resume/", second.Path);
        await second.SendAsync(FakeDiscord.Hello());
        var resume = (await second.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 6)).GetProperty("d");
        Assert.Equal(FakeDiscord.SessionId, resume.GetProperty("session_id").GetString());
        Assert.Equal(2, resume.GetProperty("seq").GetInt64());

        // Discord replays what the bot missed; the event it already answered comes again too.
        await second.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000021", Question));
        await second.SendAsync(FakeDiscord.MessageCreate(3, "1400000000000000022", "Who is Kerim Has?"));
        await second.SendAsync(FakeDiscord.Resumed(4));

        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000022"));
        await Task.Delay(500);
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000021"));
        Assert.Single(discord.Platform.Requests, r => ReplyTo(r, "1400000000000000022"));
    }

    [Fact]
    public async Task After_a_dropped_connection_the_bot_resumes_with_its_last_sequence()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var first = await discord.AcceptIdentifiedAsync();
        await first.SendAsync(FakeDiscord.MessageCreate(7, "1400000000000000031", Question));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000031"));

        first.Abort();

        var second = await discord.Platform.NextSocketAsync();
        await second.SendAsync(FakeDiscord.Hello());
        var resume = (await second.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 6)).GetProperty("d");
        Assert.Equal(FakeDiscord.SessionId, resume.GetProperty("session_id").GetString());
        Assert.Equal(7, resume.GetProperty("seq").GetInt64());
        await second.SendAsync(FakeDiscord.MessageCreate(8, "1400000000000000032", Question));
        await second.SendAsync(FakeDiscord.Resumed(9));
        await discord.Platform.WaitForAsync(r => ReplyTo(r, "1400000000000000032"));
    }

    [Fact]
    public async Task A_failure_while_answering_a_command_replaces_thinking_with_an_error()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var edits = 0;
        discord.Intercept = r => r.Method == "PATCH" && Interlocked.Increment(ref edits) == 1
            ? new CannedResponse(400, """{"message": "Invalid Form Body", "code": 50035}""")
            : null;
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();
        await socket.SendAsync(FakeDiscord.InteractionCreate(2, "1600000000000000003", "tok-fail", 2, "sources", "[]"));

        var both = await discord.Platform.WaitForAsync(r => r.Method == "PATCH", count: 2);
        Assert.Contains("failed", both[1].Json.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("50035", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Twenty_messages_a_second_are_each_answered_once_and_the_latency_is_reported()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings(("Logging:LogLevel:Default", "Warning"), ("Corpus:Path", RepoFiles.FaKes), ("Admission:PerUserRequests", "0"), ("Admission:PerChannelRequests", "0")));
        var socket = await discord.AcceptIdentifiedAsync();

        var latency = await LoadProbe.RunAsync(discord.Platform, 100, 20,
            i => socket.SendAsync(FakeDiscord.MessageCreate(i + 2, $"17000000000000{i:D5}", LoadProbe.Questions[i % LoadProbe.Questions.Length])),
            (r, i) => ReplyTo(r, $"17000000000000{i:D5}"));
        output.WriteLine($"MESSAGE_CREATE → reply POST at 20/s over 100 messages, 804 articles, keyword search: {latency}");
    }

    [Fact]
    public async Task On_shutdown_the_bot_ends_its_session_with_a_normal_close()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.AcceptIdentifiedAsync();

        await bot.Host.StopAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await discord.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_refused_token_stops_the_bot_with_a_clear_error()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var bot = await RunningBot.StartAsync(discord.Settings());
        var socket = await discord.Platform.NextSocketAsync();
        await socket.SendAsync(FakeDiscord.Hello());
        await socket.ReceiveAsync();
        await socket.CloseAsync(4004, "Authentication failed.");

        var stopping = bot.Get<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("4004", StringComparison.Ordinal));
        Assert.True(await discord.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(500)));
    }
}

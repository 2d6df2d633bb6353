using System.Text.Json;
using BriefingBot.Core.Briefing;
using BriefingBot.Discord;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Discord;

public sealed class BriefingPosterSpecs : IAsyncLifetime
{
    private static readonly Core.Briefing.Briefing Empty = new(new DateTimeOffset(2018, 9, 11, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 9, 12, 7, 0, 0, TimeSpan.Zero), true, [], [], 0, 0);
    private FakeDiscord _discord = null!;
    private RunningBot _bot = null!;
    private DiscordBriefingPoster _poster = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _bot = await RunningBot.StartAsync(_discord.Settings());
        await _discord.AcceptIdentifiedAsync();
        _poster = _bot.Get<IEnumerable<IBriefingPoster>>().OfType<DiscordBriefingPoster>().Single();
        for (var i = 0; i < 100 && _bot.Get<DiscordBot>().BotUserId is null; i++)
        {
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private static bool IsPost(RecordedRequest r) => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal);

    [Fact]
    public async Task A_briefing_goes_to_its_discord_channel_with_a_nonce_and_a_missing_channel_is_reported_as_unavailable()
    {
        Assert.True(_poster.Handles("discord:1000000000000000010"));
        Assert.False(_poster.Handles("slack:C111"));
        await _poster.PostAsync("discord:1000000000000000010", Empty);
        var post = Assert.Single(_discord.Platform.Requests, IsPost);
        Assert.Equal("/api/v10/channels/1000000000000000010/messages", post.Path);
        Assert.Contains("Nothing new since the last briefing", post.Body, StringComparison.Ordinal);
        Assert.True(post.Json.GetProperty("enforce_nonce").GetBoolean());
        Assert.InRange(post.Json.GetProperty("nonce").GetString()!.Length, 1, 25);

        _discord.Intercept = _ => new CannedResponse(404, """{"message": "Unknown Channel", "code": 10003}""");
        var error = await Assert.ThrowsAsync<ChannelUnavailableException>(() => _poster.PostAsync("discord:1000000000000000099", Empty));
        Assert.Contains("Unknown Channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_briefing_already_in_the_channel_after_a_crash_is_not_posted_again()
    {
        await _poster.PostAsync("discord:1000000000000000010", Empty);
        var content = Assert.Single(_discord.Platform.Requests, IsPost).Json.GetProperty("content").GetString();

        // The ledger never heard of that post; the next attempt, long after the nonce expired, finds it in the channel.
        _discord.Intercept = r => r.Method == "GET" && r.Path.StartsWith("/api/v10/channels/1000000000000000010/messages", StringComparison.Ordinal)
            ? new CannedResponse(200, $$"""
                [{"id": "1200000000000000777", "type": 0, "channel_id": "1000000000000000010", "content": {{JsonSerializer.Serialize(content)}}, "embeds": [],
                  "author": {"id": "{{FakeDiscord.BotId}}", "username": "BriefingBot", "bot": true}, "timestamp": "2018-09-12T07:00:01.000000+00:00"},
                 {"id": "1200000000000000700", "type": 0, "channel_id": "1000000000000000010", "content": "an older message", "author": {"id": "1300000000000000001", "username": "analyst"} }]
                """)
            : null;
        await _poster.PostAsync("discord:1000000000000000010", Empty);

        Assert.Single(_discord.Platform.Requests, IsPost);
        Assert.Contains(_discord.Platform.Requests, r => r.Method == "GET" && r.Path.Contains("messages?after=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_read_message_history_the_briefing_is_posted_as_usual()
    {
        _discord.Intercept = r => r.Method == "GET" && r.Path.Contains("/messages", StringComparison.Ordinal)
            ? new CannedResponse(403, """{"message": "Missing Access", "code": 50001}""")
            : null;
        await _poster.PostAsync("discord:1000000000000000010", Empty);
        Assert.Single(_discord.Platform.Requests, IsPost);
    }
}

using BriefingBot.Core.Briefing;
using BriefingBot.Discord;
using BriefingBot.Discord.Rest;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Discord;

public sealed class BriefingPosterSpecs
{
    private static readonly Core.Briefing.Briefing Empty = new(new DateTimeOffset(2018, 9, 11, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 9, 12, 7, 0, 0, TimeSpan.Zero), true, [], [], 0, 0);

    [Fact]
    public async Task A_briefing_goes_to_its_discord_channel_with_a_nonce_and_a_missing_channel_is_reported_as_unavailable()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var options = Options.Create(new DiscordOptions { Token = FakeDiscord.Token, ApplicationId = FakeDiscord.ApplicationId, ApiBaseUrl = discord.ApiBaseUrl });
        var poster = new DiscordBriefingPoster(new DiscordRestClient(new PlainHttpClientFactory(), options, TimeProvider.System, NullLogger<DiscordRestClient>.Instance));

        Assert.True(poster.Handles("discord:1000000000000000010"));
        Assert.False(poster.Handles("slack:C111"));
        await poster.PostAsync("discord:1000000000000000010", Empty);
        var post = Assert.Single(discord.Platform.Requests);
        Assert.Equal("/api/v10/channels/1000000000000000010/messages", post.Path);
        Assert.Contains("Nothing new since the last briefing", post.Body, StringComparison.Ordinal);
        Assert.True(post.Json.GetProperty("enforce_nonce").GetBoolean());
        Assert.InRange(post.Json.GetProperty("nonce").GetString()!.Length, 1, 25);

        discord.Intercept = _ => new CannedResponse(404, """{"message": "Unknown Channel", "code": 10003}""");
        var error = await Assert.ThrowsAsync<ChannelUnavailableException>(() => poster.PostAsync("discord:1000000000000000099", Empty));
        Assert.Contains("Unknown Channel", error.Message, StringComparison.Ordinal);
    }
}

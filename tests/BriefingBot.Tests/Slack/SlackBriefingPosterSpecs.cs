using BriefingBot.Core.Briefing;
using BriefingBot.Slack;
using BriefingBot.Slack.WebApi;
using BriefingBot.Tests.Discord;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Slack;

public sealed class SlackBriefingPosterSpecs
{
    private static readonly Core.Briefing.Briefing Empty = new(new DateTimeOffset(2018, 9, 11, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 9, 12, 7, 0, 0, TimeSpan.Zero), true, [], [], 0, 0);

    [Fact]
    public async Task A_briefing_goes_to_its_slack_channel_and_a_missing_channel_is_reported_as_unavailable()
    {
        await using var slack = await FakeSlack.StartAsync();
        var options = Options.Create(new SlackOptions { BotToken = FakeSlack.BotToken, AppToken = FakeSlack.AppToken, ApiBaseUrl = slack.Platform.Root + "/api/" });
        var poster = new SlackBriefingPoster(new SlackWebApi(new PlainHttpClientFactory(), options, TimeProvider.System, NullLogger<SlackWebApi>.Instance));

        Assert.True(poster.Handles("slack:C111"));
        await poster.PostAsync("slack:C111", Empty);
        var post = Assert.Single(slack.Platform.Requests);
        Assert.Equal("C111", post.Json.GetProperty("channel").GetString());
        Assert.Contains("Nothing new since the last briefing", post.Body, StringComparison.Ordinal);

        slack.Intercept = _ => new CannedResponse(200, """{"ok": false, "error": "channel_not_found"}""");
        var error = await Assert.ThrowsAsync<ChannelUnavailableException>(() => poster.PostAsync("slack:C999", Empty));
        Assert.Contains("channel_not_found", error.Message, StringComparison.Ordinal);
    }
}

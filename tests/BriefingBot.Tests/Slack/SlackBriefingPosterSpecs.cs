using BriefingBot.Core.Briefing;
using BriefingBot.Slack;
using BriefingBot.Slack.WebApi;
using BriefingBot.Tests.Discord;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Slack;

public sealed class SlackBriefingPosterSpecs : IAsyncLifetime
{
    private static readonly Core.Briefing.Briefing Empty = new(new DateTimeOffset(2018, 9, 11, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2018, 9, 12, 7, 0, 0, TimeSpan.Zero), true, [], [], 0, 0);
    private FakeSlack _slack = null!;
    private SlackBriefingPoster _poster = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        var options = Options.Create(new SlackOptions { BotToken = FakeSlack.BotToken, AppToken = FakeSlack.AppToken, ApiBaseUrl = _slack.Platform.Root + "/api/" });
        var api = new SlackWebApi(new PlainHttpClientFactory(), options, TimeProvider.System, NullLogger<SlackWebApi>.Instance);
        _poster = new SlackBriefingPoster(api, TimeProvider.System, NullLogger<SlackBriefingPoster>.Instance);
    }

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    private static bool IsPost(RecordedRequest r) => r.Path == "/api/chat.postMessage";

    [Fact]
    public async Task A_briefing_goes_to_its_slack_channel_and_a_missing_channel_is_reported_as_unavailable()
    {
        Assert.True(_poster.Handles("slack:C111"));
        Assert.False(_poster.Handles("discord:1"));
        await _poster.PostAsync("slack:C111", Empty);
        var post = Assert.Single(_slack.Platform.Requests, IsPost);
        Assert.Equal("C111", post.Json.GetProperty("channel").GetString());
        Assert.Contains("Nothing new since the last briefing", post.Body, StringComparison.Ordinal);
        Assert.Equal("briefingbot_briefing", post.Json.GetProperty("metadata").GetProperty("event_type").GetString());

        _slack.Intercept = _ => new CannedResponse(200, """{"ok": false, "error": "channel_not_found"}""");
        var error = await Assert.ThrowsAsync<ChannelUnavailableException>(() => _poster.PostAsync("slack:C999", Empty));
        Assert.Contains("channel_not_found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_briefing_already_in_the_channel_after_a_crash_is_not_posted_again()
    {
        await _poster.PostAsync("slack:C111", Empty);
        var metadata = Assert.Single(_slack.Platform.Requests, IsPost).Json.GetProperty("metadata").GetRawText();

        // The ledger never heard of that post; the next attempt finds it in the channel's history.
        _slack.Intercept = r => r.Path == "/api/conversations.history"
            ? new CannedResponse(200, $$"""{"ok": true, "messages": [{"type": "message", "user": "{{FakeSlack.BotUserId}}", "bot_id": "B0LAN0Z88", "text": "Briefing", "ts": "1536735600.000100", "metadata": {{metadata}} }], "has_more": false}""")
            : null;
        await _poster.PostAsync("slack:C111", Empty);

        Assert.Single(_slack.Platform.Requests, IsPost);
        var history = _slack.Platform.Requests.Last(r => r.Path == "/api/conversations.history");
        Assert.Contains("include_all_metadata=true", history.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_access_to_the_history_the_briefing_is_posted_as_usual()
    {
        _slack.Intercept = r => r.Path == "/api/conversations.history" ? new CannedResponse(200, """{"ok": false, "error": "missing_scope", "needed": "channels:history"}""") : null;
        await _poster.PostAsync("slack:C111", Empty);
        Assert.Single(_slack.Platform.Requests, IsPost);
    }

    [Fact]
    public async Task A_post_that_may_have_landed_is_not_sent_again()
    {
        var options = Options.Create(new SlackOptions { BotToken = FakeSlack.BotToken, AppToken = FakeSlack.AppToken, ApiBaseUrl = _slack.Platform.Root + "/api/" });
        var api = new SlackWebApi(new PlainHttpClientFactory(), options, TimeProvider.System, NullLogger<SlackWebApi>.Instance);
        _slack.Intercept = r => IsPost(r) ? new CannedResponse(503, "Service Unavailable") : null;

        await Assert.ThrowsAsync<SlackApiException>(() => api.PostMessageAsync(new PostMessage("C111", "an answer", [], null)));

        Assert.Single(_slack.Platform.Requests, IsPost);
    }
}

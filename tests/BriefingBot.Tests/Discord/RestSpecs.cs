using System.Diagnostics;
using BriefingBot.Discord;
using BriefingBot.Discord.Rest;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Discord;

/// <summary>Discord's REST rate limits as the docs describe them, against loopback.</summary>
public sealed class RestSpecs : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private DiscordRestClient _rest = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        var options = new DiscordOptions { Token = FakeDiscord.Token, ApplicationId = FakeDiscord.ApplicationId, ApiBaseUrl = _discord.ApiBaseUrl };
        _rest = new DiscordRestClient(new PlainHttpClientFactory(), Options.Create(options), TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
    }

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    [Fact]
    public async Task A_rate_limited_webhook_edit_is_logged_without_its_interaction_token()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = new DiscordOptions { Token = FakeDiscord.Token, ApplicationId = FakeDiscord.ApplicationId, ApiBaseUrl = _discord.ApiBaseUrl };
        var rest = new DiscordRestClient(new PlainHttpClientFactory(), Options.Create(options), TimeProvider.System, factory.CreateLogger<DiscordRestClient>());
        var calls = 0;
        _discord.Intercept = r => r.Method == "PATCH" && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(429, """{"message": "You are being rate limited.", "retry_after": 0.1, "global": false}""")
            : null;

        await rest.EditOriginalAsync("aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu", Message("edited"));

        Assert.Equal(2, _discord.Platform.Requests.Count(r => r.Method == "PATCH"));
        Assert.Contains(logs.Lines, l => l.Contains("rate limit", StringComparison.Ordinal) && l.Contains("{token}", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu", StringComparison.Ordinal) || l.Contains(FakeDiscord.Token, StringComparison.Ordinal));
    }

    private static MessagePayload Message(string text) => new(text, null, AllowedMentions.None());

    private static double Seconds(RecordedRequest from, RecordedRequest to) => Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;

    [Fact]
    public async Task A_per_route_429_is_waited_out_and_the_request_sent_once_more()
    {
        var calls = 0;
        _discord.Intercept = r => r.Method == "POST" && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(429, """{"message": "You are being rate limited.", "retry_after": 0.4, "global": false}""",
                new Dictionary<string, string>(FakeDiscord.RateLimitHeaders("abcd1234", 0, 0.4)) { ["X-RateLimit-Scope"] = "user", ["Retry-After"] = "1" })
            : null;

        await _rest.CreateMessageAsync("1000000000000000010", Message("hello"));

        var posts = _discord.Platform.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.InRange(Seconds(posts[0], posts[1]), 0.38, 5);
    }

    [Fact]
    public async Task A_global_429_holds_back_requests_to_every_route()
    {
        var calls = 0;
        _discord.Intercept = r => r.Method == "POST" && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(429, """{"message": "You are being rate limited.", "retry_after": 0.6, "global": true}""",
                new Dictionary<string, string> { ["X-RateLimit-Global"] = "true", ["X-RateLimit-Scope"] = "global", ["Retry-After"] = "1" })
            : null;

        var first = _rest.CreateMessageAsync("1000000000000000010", Message("one"));
        await _discord.Platform.WaitForAsync(r => r.Method == "POST");
        await Task.Delay(50);
        var other = _rest.CreateMessageAsync("1000000000000000020", Message("two"));
        await Task.WhenAll(first, other);

        var limited = _discord.Platform.Requests.First(r => r.Method == "POST");
        var toOther = _discord.Platform.Requests.Single(r => r.Path.Contains("1000000000000000020", StringComparison.Ordinal));
        Assert.InRange(Seconds(limited, toOther), 0.55, 5);
    }

    [Fact]
    public async Task A_spent_bucket_waits_for_its_reset_before_the_next_request()
    {
        var calls = 0;
        _discord.Intercept = r => r.Method == "POST" && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(200, """{"id": "1"}""", FakeDiscord.RateLimitHeaders("abcd1234", remaining: 0, resetAfter: 0.5))
            : null;

        await _rest.CreateMessageAsync("1000000000000000010", Message("one"));
        await _rest.CreateMessageAsync("1000000000000000010", Message("two"));

        var posts = _discord.Platform.Requests.Where(r => r.Method == "POST").ToList();
        Assert.InRange(Seconds(posts[0], posts[1]), 0.45, 5);
    }

    [Fact]
    public async Task A_server_error_is_retried_and_a_refusal_is_reported_with_Discords_code()
    {
        var calls = 0;
        _discord.Intercept = r => r.Method == "POST" && Interlocked.Increment(ref calls) == 1 ? new CannedResponse(502, "<html>Bad Gateway</html>") : null;
        await _rest.CreateMessageAsync("1000000000000000010", Message("retry me"));
        Assert.Equal(2, _discord.Platform.Requests.Count(r => r.Method == "POST"));

        _discord.Intercept = r => r.Method == "POST" ? new CannedResponse(403, """{"message": "Missing Permissions", "code": 50013}""") : null;
        var error = await Assert.ThrowsAsync<DiscordRestException>(() => _rest.CreateMessageAsync("1000000000000000010", Message("nope")));
        Assert.Equal(50013, error.Code);
        Assert.True(error.ChannelUnavailable);
        Assert.Contains("Missing Permissions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follow_up_that_may_have_landed_is_not_sent_again()
    {
        _discord.Intercept = r => r.Method == "POST" && r.Path.Contains("/webhooks/", StringComparison.Ordinal)
            ? new CannedResponse(502, """{"message": "Bad Gateway"}""")
            : null;

        await Assert.ThrowsAsync<DiscordRestException>(() => _rest.FollowUpAsync("aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu", Message("part 2")));

        Assert.Single(_discord.Platform.Requests, r => r.Method == "POST" && r.Path.Contains("/webhooks/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_discord_already_has_counts_as_done()
    {
        _discord.Intercept = r => r.Path.EndsWith("/callback", StringComparison.Ordinal)
            ? new CannedResponse(400, """{"message": "Interaction has already been acknowledged.", "code": 40060}""")
            : null;

        await _rest.RespondAsync("1600000000000000001", "token-1", new InteractionResponse(5));

        Assert.Single(_discord.Platform.Requests, r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_callback_that_failed_on_the_way_is_sent_again_since_discord_refuses_a_second()
    {
        var calls = 0;
        _discord.Intercept = r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(502, "Bad Gateway")
            : null;

        await _rest.RespondAsync("1600000000000000002", "token-2", new InteractionResponse(5));

        Assert.Equal(2, _discord.Platform.Requests.Count(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task One_interaction_spending_its_bucket_does_not_hold_up_another()
    {
        // The first interaction's callback bucket is spent for two seconds; another interaction's defer goes at once.
        _discord.Intercept = r => r.Path.Contains("/interactions/1600000000000000001/", StringComparison.Ordinal)
            ? new CannedResponse(204, string.Empty, FakeDiscord.RateLimitHeaders("callbacks", 0, 2))
            : null;
        await _rest.RespondAsync("1600000000000000001", "token-1", new InteractionResponse(5));

        var started = Stopwatch.GetTimestamp();
        await _rest.RespondAsync("1600000000000000002", "token-2", new InteractionResponse(5));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Rate_limit_buckets_of_routes_that_came_and_went_are_forgotten()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limits = new RateLimits(time);
        using var response = new System.Net.Http.HttpResponseMessage();
        foreach (var (name, value) in FakeDiscord.RateLimitHeaders("bucket", 4, 1))
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        for (var i = 0; i < 20_000; i++)
        {
            limits.Update($"POST interactions/{i}/callback", response.Headers);
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        Assert.InRange(limits.Count, 1, 2_000);
    }

    [Fact]
    public async Task An_edit_that_arrives_before_discord_has_the_deferral_is_made_again()
    {
        var calls = 0;
        _discord.Intercept = r => r.Method == "PATCH" && Interlocked.Increment(ref calls) == 1
            ? new CannedResponse(404, """{"message": "Unknown Webhook", "code": 10015}""")
            : null;

        await _rest.EditOriginalAsync("aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu", Message("the answer"));

        Assert.Equal(2, _discord.Platform.Requests.Count(r => r.Method == "PATCH"));
    }
}

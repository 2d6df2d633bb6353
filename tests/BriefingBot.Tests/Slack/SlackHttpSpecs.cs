using System.Net;
using System.Security.Cryptography;
using System.Text;
using BriefingBot.Hosting;
using BriefingBot.Slack.Events;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Slack;

/// <summary>HTTP mode: Slack's signed requests, url_verification, retries.</summary>
public sealed class SlackHttpSpecs : IAsyncLifetime, IDisposable
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private readonly HttpClient _http = new();
    private FakeSlack _slack = null!;
    private RunningBot _bot = null!;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _bot = await RunningBot.StartAsync(_slack.Settings(
            ("Slack:AppToken", null),
            ("Slack:SigningSecret", Secret),
            ("Slack:EventsUrl", "http://127.0.0.1:0/slack/events")));
        _url = _bot.Get<WebhookHostedService>().Addresses.Single().TrimEnd('/') + "/slack/events";
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public void Slacks_documented_signing_example_verifies()
    {
        // https://api.slack.com/authentication/verifying-requests-from-slack (the worked example)
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1531420618 + 30));
        var signature = new SlackSignature(Secret, time);

        Assert.True(signature.IsValid("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618", Encoding.UTF8.GetBytes(body)));
        Assert.False(signature.IsValid("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618", Encoding.UTF8.GetBytes(body + "&x=1")));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(signature.IsValid("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618", Encoding.UTF8.GetBytes(body)));
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/json", long? timestamp = null, string? signedBody = null, int? retry = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"v0:{ts}:{signedBody ?? body}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Slack-Signature", signature);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        if (retry is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Url_verification_is_answered_with_the_challenge()
    {
        using var response = await PostAsync("""{"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_tampered_body_or_an_old_timestamp_is_refused_with_401()
    {
        const string body = """{"token": "x", "challenge": "abc", "type": "url_verification"}""";
        using var tampered = await PostAsync(body.Replace("abc", "abd", StringComparison.Ordinal), signedBody: body);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        using var old = await PostAsync(body, timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);

        // A timestamp beyond any date, or before the epoch: refused as any bad one, never a server error.
        foreach (var impossible in new[] { 999_999_999_999L, -1L, long.MaxValue })
        {
            using var refused = await PostAsync(body, timestamp: impossible);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task An_event_is_acknowledged_at_once_answered_later_and_a_retry_answered_not_again()
    {
        var callback = $$"""{"token": "x", "team_id": "T111", "api_app_id": "A111", "event": {{FakeSlack.AppMention("1515452000.000001", "How many Syrian refugees does Turkey host?")}}, "type": "event_callback", "event_id": "EvH1", "event_time": 1515449522}""";
        using var first = await PostAsync(callback);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var retry = await PostAsync(callback, retry: 1);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        await _slack.Platform.WaitForAsync(r => r.Path == "/api/chat.postMessage");
        await Task.Delay(500);
        Assert.Single(_slack.Platform.Requests, r => r.Path == "/api/chat.postMessage");
    }

    [Fact]
    public async Task A_form_encoded_slash_command_is_answered_inline()
    {
        var form = "token=x&team_id=T111&channel_id=C111&user_id=U111&command=%2Fask&text=How+many+Syrian+refugees+does+Turkey+host%3F&response_url=" +
            Uri.EscapeDataString(_slack.Platform.Root + "/commands/1") + "&trigger_id=1.2.3";
        using var response = await PostAsync(form, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("3 million", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

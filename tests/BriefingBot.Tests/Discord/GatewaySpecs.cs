using System.Collections.Concurrent;
using BriefingBot.Discord;
using BriefingBot.Discord.Gateway;
using BriefingBot.Discord.Rest;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Discord;

/// <summary>The gateway connection on a fake clock: heartbeats, zombie connections, invalid sessions, fatal close codes.</summary>
public sealed class GatewaySpecs : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2018, 9, 12, 10, 0, 0, TimeSpan.Zero));
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<GatewayDispatch> _dispatches = new();
    private FakeDiscord _discord = null!;
    private GatewayClient _client = null!;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        var options = new DiscordOptions { Token = FakeDiscord.Token, ApplicationId = FakeDiscord.ApplicationId, ApiBaseUrl = _discord.ApiBaseUrl };
        var rest = new DiscordRestClient(new PlainHttpClientFactory(), Options.Create(options), _time, NullLogger<DiscordRestClient>.Instance);

        // A jitter of one half: the first heartbeat is due half an interval after Hello.
        _client = new GatewayClient(options, rest, new IdentifyGate(_time, NullLogger<IdentifyGate>.Instance), _time, NullLogger.Instance, 0, 1, () => 0.5);
        _running = _client.RunAsync((d, _) =>
        {
            _dispatches.Enqueue(d);
            return Task.CompletedTask;
        }, _stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_running, Task.Delay(5000));
        await _discord.DisposeAsync();
    }

    private static bool IsHeartbeat(System.Text.Json.JsonElement frame) => frame.GetProperty("op").GetInt32() == 1;

    /// <summary>Moves the fake clock on a second at a time until <paramref name="task"/> is done, for waits the client takes on its own.</summary>
    private async Task<T> PumpUntilAsync<T>(Task<T> task)
    {
        for (var i = 0; i < 600 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(task, Task.Delay(25));
        }

        return await task;
    }

    [Fact]
    public async Task Identify_asks_only_for_the_intents_the_bot_needs()
    {
        var socket = await _discord.Platform.NextSocketAsync();
        Assert.Equal("?v=10&encoding=json", socket.Query);
        await socket.SendAsync(FakeDiscord.Hello());
        var identify = (await socket.ReceiveAsync()).GetProperty("d");
        Assert.Equal(4609, identify.GetProperty("intents").GetInt32());
        Assert.Equal([0, 1], identify.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void The_privileged_message_content_intent_is_asked_for_only_when_configured()
    {
        var options = new DiscordOptions { Token = FakeDiscord.Token, ApplicationId = FakeDiscord.ApplicationId, MessageContentIntent = true };
        var client = new GatewayClient(options, null!, null!, _time, NullLogger.Instance, 0, 1);
        Assert.Equal(4609 | (1 << 15), client.Intents);
    }

    [Fact]
    public async Task Heartbeats_start_after_the_jittered_delay_then_keep_the_interval_and_a_missed_ack_means_resume()
    {
        var socket = await _discord.AcceptIdentifiedAsync(interval: 40_000);

        _time.Advance(TimeSpan.FromMilliseconds(19_900));
        Assert.True(await socket.SilentForAsync(TimeSpan.FromMilliseconds(300)));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var beat = await socket.ReceiveAsync(IsHeartbeat);
        Assert.Equal(1, beat.GetProperty("d").GetInt64());
        await socket.SendAsync(FakeDiscord.HeartbeatAck);

        await Task.Delay(200);
        _time.Advance(TimeSpan.FromMilliseconds(39_900));
        Assert.True(await socket.SilentForAsync(TimeSpan.FromMilliseconds(300)));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await socket.ReceiveAsync(IsHeartbeat);

        // No ACK this time: at the next beat the connection counts as a zombie; the bot drops it and resumes.
        await Task.Delay(200);
        _time.Advance(TimeSpan.FromMilliseconds(40_000));
        Assert.Null(await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        var resumed = await _discord.Platform.NextSocketAsync();
        Assert.Equal("/resume/", resumed.Path);
        await resumed.SendAsync(FakeDiscord.Hello());
        var resume = (await resumed.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 6)).GetProperty("d");
        Assert.Equal(FakeDiscord.SessionId, resume.GetProperty("session_id").GetString());
        Assert.Equal(1, resume.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_is_given_up_and_replaced()
    {
        var silent = await _discord.Platform.NextSocketAsync();
        await Task.Delay(200); // the client sets its deadline once its side of the connection is up
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await _discord.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(300)));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await silent.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        var next = await PumpUntilAsync(_discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("/gateway/", next.Path);
    }

    [Fact]
    public async Task A_heartbeat_request_from_Discord_is_answered_at_once()
    {
        var socket = await _discord.AcceptIdentifiedAsync();
        await socket.SendAsync("""{"op": 1, "d": null, "s": null, "t": null}""");
        Assert.Equal(1, (await socket.ReceiveAsync(IsHeartbeat, TimeSpan.FromSeconds(5))).GetProperty("d").GetInt64());
    }

    [Fact]
    public async Task An_invalid_session_that_may_be_resumed_is_resumed()
    {
        var socket = await _discord.AcceptIdentifiedAsync();
        await socket.SendAsync(FakeDiscord.InvalidSession(resumable: true));

        var next = await _discord.Platform.NextSocketAsync();
        await next.SendAsync(FakeDiscord.Hello());
        Assert.Equal(6, (await next.ReceiveAsync(f => f.GetProperty("op").GetInt32() is 2 or 6)).GetProperty("op").GetInt32());
    }

    [Fact]
    public async Task An_invalid_session_that_may_not_be_resumed_is_identified_anew_after_a_wait()
    {
        var socket = await _discord.AcceptIdentifiedAsync();
        await socket.SendAsync(FakeDiscord.InvalidSession(resumable: false));

        Assert.True(await _discord.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(500)));
        var next = await PumpUntilAsync(_discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("/gateway/", next.Path);
        await next.SendAsync(FakeDiscord.Hello());
        Assert.Equal(2, (await next.ReceiveAsync(f => f.GetProperty("op").GetInt32() is 2 or 6)).GetProperty("op").GetInt32());
    }

    [Fact]
    public async Task A_refused_token_stops_the_client_without_retrying()
    {
        var socket = await _discord.Platform.NextSocketAsync();
        await socket.SendAsync(FakeDiscord.Hello());
        await socket.ReceiveAsync();
        await socket.CloseAsync(4004, "Authentication failed.");

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => _running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4004, error.CloseCode);
        Assert.DoesNotContain(FakeDiscord.Token, error.Message, StringComparison.Ordinal);
        Assert.True(await _discord.Platform.NoSocketWithinAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_close_code_that_allows_it_is_followed_by_a_resume()
    {
        var socket = await _discord.AcceptIdentifiedAsync();
        await socket.CloseAsync(4000, "Unknown error");

        var next = await PumpUntilAsync(_discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("/resume/", next.Path);
    }

    [Fact]
    public async Task A_resume_address_on_a_host_that_is_not_Discords_is_never_sent_the_token()
    {
        var socket = await _discord.Platform.NextSocketAsync();
        await socket.SendAsync(FakeDiscord.Hello());
        await socket.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 2);
        await socket.SendAsync(_discord.Ready().Replace(_discord.ResumeUrl, "ws://127.0.0.2:9/steal", StringComparison.Ordinal));
        await socket.CloseAsync(4000, "Unknown error");

        // The next connection is to the address GET /gateway/bot gives, identifying anew: never to the foreign host.
        var next = await PumpUntilAsync(_discord.Platform.NextSocketAsync(TimeSpan.FromSeconds(30)));
        Assert.NotEqual("/resume/", next.Path);
        await next.SendAsync(FakeDiscord.Hello());
        var identify = await next.ReceiveAsync(f => f.GetProperty("op").GetInt32() is 2 or 6);
        Assert.Equal(2, identify.GetProperty("op").GetInt32());
    }

    [Fact]
    public async Task A_malformed_payload_is_skipped_and_the_connection_goes_on()
    {
        var socket = await _discord.AcceptIdentifiedAsync();
        await socket.SendAsync("{not json");
        await socket.SendAsync(FakeDiscord.MessageCreate(2, "1400000000000000041", "hello"));
        for (var i = 0; i < 100 && !_dispatches.Any(d => d.Type == "MESSAGE_CREATE"); i++)
        {
            await Task.Delay(20);
        }

        Assert.Contains(_dispatches, d => d.Type == "MESSAGE_CREATE");
    }
}

internal sealed class PlainHttpClientFactory : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}

using System.Globalization;
using System.Text.Json;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Discord;

/// <summary>
/// Discord on loopback: REST under <c>/api/v10</c> (Get Gateway Bot, messages, typing, commands, interaction
/// callbacks and webhooks) and the gateway WebSocket at <c>/gateway</c> (resume URL <c>/resume</c>), with payloads as
/// Discord's docs show them.
/// </summary>
internal sealed class FakeDiscord : IAsyncDisposable
{
    public const string Token = "MTA1.fake.bot-token-never-logged";
    public const string ApplicationId = "1100000000000000001";
    public const string BotId = "1100000000000000002";
    public const string SessionId = "d0c5e7e1a2b3c4d5e6f7a8b9c0d1e2f3";
    private int _messageIds;

    private FakeDiscord(LoopbackPlatform platform)
    {
        Platform = platform;
        platform.Respond = Default;
    }

    public LoopbackPlatform Platform { get; }

    /// <summary>How many shards may identify at once (Get Gateway Bot's <c>max_concurrency</c>).</summary>
    public int MaxConcurrency { get; set; } = 1;

    public string ApiBaseUrl => Platform.Root + "/api/v10";

    public string GatewayUrl => Platform.WebSocketRoot + "/gateway";

    public string ResumeUrl => Platform.WebSocketRoot + "/resume";

    /// <summary>The id of the last message the bot created.</summary>
    public string LastMessageId => (1200000000000000000L + Volatile.Read(ref _messageIds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Answers to particular requests, asked before Discord's usual ones (<see cref="LoopbackPlatform.Intercept"/>).</summary>
    public Func<RecordedRequest, CannedResponse?>? Intercept
    {
        get => Platform.Intercept;
        set => Platform.Intercept = value;
    }

    public static async Task<FakeDiscord> StartAsync() => new(await LoopbackPlatform.StartAsync());

    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = Token,
            ["Discord:ApplicationId"] = ApplicationId,
            ["Discord:ApiBaseUrl"] = ApiBaseUrl,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private CannedResponse Default(RecordedRequest request)
    {
        if (request.Method == "GET" && request.Path == "/api/v10/gateway/bot")
        {
            return new CannedResponse(200, $$$"""{"url": "{{{GatewayUrl}}}", "shards": 1, "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": {{{MaxConcurrency}}}}}""");
        }

        if (request.Method == "GET" && request.Path == "/api/v10/users/@me")
        {
            return new CannedResponse(200, $$$"""{"id": "{{{BotId}}}", "username": "BriefingBot", "bot": true, "discriminator": "0", "avatar": null}""");
        }

        if (request.Method == "POST" && request.Path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var id = 1200000000000000000L + Interlocked.Increment(ref _messageIds);
            return new CannedResponse(200, $$$"""{"id": "{{{id}}}", "type": 0, "content": "", "channel_id": "1", "author": {"id": "{{{BotId}}}", "username": "BriefingBot", "bot": true}}""",
                RateLimitHeaders("abcd1234", remaining: 4));
        }

        if (request.Path.EndsWith("/typing", StringComparison.Ordinal) || request.Path.EndsWith("/callback", StringComparison.Ordinal))
        {
            return new CannedResponse(204, string.Empty);
        }

        return new CannedResponse(200, "{}");
    }

    public static Dictionary<string, string> RateLimitHeaders(string bucket, int remaining, double resetAfter = 1) => new()
    {
        ["X-RateLimit-Limit"] = "5",
        ["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset-After"] = resetAfter.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Bucket"] = bucket,
    };

    // Gateway payloads, shaped as in https://discord.com/developers/docs/events/gateway-events

    public static string Hello(int interval = 41250) => $$$"""{"t": null, "s": null, "op": 10, "d": {"heartbeat_interval": {{{interval}}}, "_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":0.0}]"]}}""";

    public static string HeartbeatAck => """{"t": null, "s": null, "op": 11, "d": null}""";

    public static string Reconnect => """{"t": null, "s": null, "op": 7, "d": null}""";

    public static string InvalidSession(bool resumable) => $$$"""{"t": null, "s": null, "op": 9, "d": {{{(resumable ? "true" : "false")}}} }""";

    public string Ready(long sequence = 1, string sessionId = SessionId) => $$$"""
        {"t": "READY", "s": {{{sequence}}}, "op": 0, "d": {"v": 10, "user_settings": {}, "user": {"verified": true, "username": "BriefingBot", "mfa_enabled": false, "id": "{{{BotId}}}", "flags": 0, "email": null, "discriminator": "0", "bot": true, "avatar": null},
        "session_type": "normal", "session_id": "{{{sessionId}}}", "resume_gateway_url": "{{{ResumeUrl}}}", "relationships": [], "private_channels": [], "presences": [], "guilds": [{"unavailable": true, "id": "1000000000000000001"}],
        "guild_join_requests": [], "geo_ordered_rtc_regions": [], "auth": {}, "application": {"id": "{{{ApplicationId}}}", "flags": 565248}, "_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":78335}]"]}}
        """;

    public static string Resumed(long sequence) => $$$"""{"t": "RESUMED", "s": {{{sequence}}}, "op": 0, "d": {"_trace": ["[\"gateway-prd-us-east1-b-0568\",{\"micros\":1234}]"]}}""";

    /// <summary>A MESSAGE_CREATE in a guild channel; <paramref name="mentionBot"/> puts the bot in <c>content</c> and <c>mentions</c>.</summary>
    public static string MessageCreate(long sequence, string id, string content, bool mentionBot = true, string authorId = "1300000000000000001", bool authorIsBot = false, string? guildId = "1000000000000000001", string channelId = "1000000000000000010", string? replyTo = null)
    {
        var mentions = mentionBot ? $$$"""[{"username": "BriefingBot", "id": "{{{BotId}}}", "discriminator": "0", "bot": true, "avatar": null}]""" : "[]";
        var text = JsonSerializer.Serialize((mentionBot ? $"<@{BotId}> " : string.Empty) + content);
        var reference = replyTo is null ? string.Empty : $"\"message_reference\": {{\"type\": 0, \"message_id\": \"{replyTo}\", \"channel_id\": \"{channelId}\"}}, ";
        var guild = guildId is null ? string.Empty : "\"guild_id\": \"" + guildId + "\", \"member\": {\"roles\": [], \"joined_at\": \"2018-09-01T10:00:00.000000+00:00\"},";
        return $$$"""
            {"t": "MESSAGE_CREATE", "s": {{{sequence}}}, "op": 0, "d": {"type": {{{(replyTo is null ? 0 : 19)}}}, "tts": false, "timestamp": "2018-09-12T10:00:00.000000+00:00", "pinned": false, "nonce": "1234", "mentions": {{{mentions}}},
            "mention_roles": [], "mention_everyone": false, {{{guild}}} {{{reference}}} "id": "{{{id}}}", "flags": 0, "embeds": [], "edited_timestamp": null, "content": {{{text}}}, "components": [],
            "channel_id": "{{{channelId}}}", "author": {"username": "analyst", "public_flags": 0, "id": "{{{authorId}}}", "global_name": "Analyst", "discriminator": "0", "bot": {{{(authorIsBot ? "true" : "false")}}}, "avatar": null},
            "attachments": []}}
            """;
    }

    /// <summary>An INTERACTION_CREATE for a slash command (type 2) or its autocomplete (type 4).</summary>
    public static string InteractionCreate(long sequence, string id, string token, int type, string name, string options, string userId = "1300000000000000001", string channelId = "1000000000000000010") =>
        $$$"""{"t": "INTERACTION_CREATE", "s": {{{sequence}}}, "op": 0, "d": {{{Interaction(id, token, type, name, options, userId, channelId)}}} }""";

    public static string Interaction(string id, string token, int type, string name, string options, string userId = "1300000000000000001", string channelId = "1000000000000000010") => $$$"""
        {"version": 1, "type": {{{type}}}, "token": "{{{token}}}", "locale": "en-US", "id": "{{{id}}}", "guild_locale": "en-US", "guild_id": "1000000000000000001",
        "entitlements": [], "data": {"type": 1, "options": {{{options}}}, "name": "{{{name}}}", "id": "1100000000000000100"},
        "member": {"user": {"username": "analyst", "id": "{{{userId}}}", "discriminator": "0", "avatar": null}, "roles": [], "permissions": "2147483647"},
        "channel_id": "{{{channelId}}}", "application_id": "{{{ApplicationId}}}", "app_permissions": "2147483647"}
        """;

    /// <summary>Accepts the bot's next connection and walks it through Hello, Identify and READY.</summary>
    public async Task<SocketPeer> AcceptIdentifiedAsync(int interval = 41250)
    {
        var socket = await Platform.NextSocketAsync();
        await socket.SendAsync(Hello(interval));
        var identify = await socket.ReceiveAsync(f => f.GetProperty("op").GetInt32() == 2);
        Assert.Equal(Token, identify.GetProperty("d").GetProperty("token").GetString());
        await socket.SendAsync(Ready());
        return socket;
    }

    public ValueTask DisposeAsync() => Platform.DisposeAsync();
}

using System.Text.Json;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Slack;

/// <summary>
/// Slack on loopback: the Web API under <c>/api/</c> (auth.test, apps.connections.open, chat.postMessage,
/// reactions.add/remove) and Socket Mode WebSockets at <c>/link/</c>, with payloads as Slack's docs and SDK tests show them.
/// </summary>
internal sealed class FakeSlack : IAsyncDisposable
{
    public const string BotToken = "xoxb-1111-2222-fakebottoken";
    public const string AppToken = "xapp-1-A111-3333-fakeapptoken";
    public const string BotUserId = "U0LAN0Z89";
    private int _tickets;
    private int _ts;

    private FakeSlack(LoopbackPlatform platform)
    {
        Platform = platform;
        platform.Respond = Default;
    }

    public LoopbackPlatform Platform { get; }

    /// <summary>Answers to particular requests, asked before Slack's usual ones (<see cref="LoopbackPlatform.Intercept"/>).</summary>
    public Func<RecordedRequest, CannedResponse?>? Intercept
    {
        get => Platform.Intercept;
        set => Platform.Intercept = value;
    }

    public static async Task<FakeSlack> StartAsync() => new(await LoopbackPlatform.StartAsync());

    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = AppToken,
            ["Slack:ApiBaseUrl"] = Platform.Root + "/api/",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private CannedResponse Default(RecordedRequest request)
    {
        return request.Path switch
        {
            "/api/auth.test" => new(200, $$"""{"ok": true, "url": "https://subarachnoid.slack.com/", "team": "Subarachnoid Workspace", "user": "briefingbot", "team_id": "T0G9PQBBK", "user_id": "{{BotUserId}}", "bot_id": "B0LAN0Z88", "is_enterprise_install": false}"""),
            "/api/apps.connections.open" => new(200, $$"""{"ok": true, "url": "{{Platform.WebSocketRoot}}/link/?ticket=ticket-{{Interlocked.Increment(ref _tickets)}}&app_id=A111"}"""),
            "/api/chat.postMessage" => new(200, $$$"""{"ok": true, "channel": "C123ABC456", "ts": "1503435956.{{{Interlocked.Increment(ref _ts):D6}}}", "message": {"text": "", "type": "message"} }"""),
            _ => new(200, """{"ok": true}"""),
        };
    }

    public static string Hello => """{"type": "hello", "num_connections": 1, "debug_info": {"host": "applink-111-xxx", "build_number": 10, "approximate_connection_time": 18060}, "connection_info": {"app_id": "A111"}}""";

    public static string Disconnect(string reason) => $$"""{"type": "disconnect", "reason": "{{reason}}", "debug_info": {"host": "applink-111-xxx"} }""";

    /// <summary>An events_api envelope carrying an event_callback around <paramref name="innerEvent"/>.</summary>
    public static string EventsApi(string envelopeId, string eventId, string innerEvent, int retryAttempt = 0) => $$"""
        {"envelope_id": "{{envelopeId}}", "payload": {"token": "verification-token", "team_id": "T111", "api_app_id": "A111", "event": {{innerEvent}},
        "type": "event_callback", "event_id": "{{eventId}}", "event_time": 1515449522, "authorizations": [{"enterprise_id": null, "team_id": "T111", "user_id": "{{BotUserId}}", "is_bot": true}],
        "is_ext_shared_channel": false, "event_context": "1-app_mention-T111-C111"}, "type": "events_api", "accepts_response_payload": false,
        "retry_attempt": {{retryAttempt}}, "retry_reason": "{{(retryAttempt > 0 ? "timeout" : string.Empty)}}"}
        """;

    public static string AppMention(string ts, string text, string channel = "C0LAN2Q65", string? threadTs = null, string user = "U061F7AUR")
    {
        var thread = threadTs is null ? string.Empty : $", \"thread_ts\": \"{threadTs}\"";
        return $$$"""{"client_msg_id": "a8744611-0210-4f85-9f15-5faf7fb225c8", "type": "app_mention", "text": {{{JsonSerializer.Serialize($"<@{BotUserId}> {text}")}}}, "user": "{{{user}}}", "ts": "{{{ts}}}", "team": "T111", "channel": "{{{channel}}}", "event_ts": "{{{ts}}}"{{{thread}}} }""";
    }

    public static string DirectMessage(string ts, string text, string? botId = null, string? subtype = null)
    {
        var extra = (botId is null ? string.Empty : $", \"bot_id\": \"{botId}\"") + (subtype is null ? string.Empty : $", \"subtype\": \"{subtype}\"");
        return $$$"""{"type": "message", "channel": "D024BE91L", "user": "U2147483697", "text": {{{JsonSerializer.Serialize(text)}}}, "ts": "{{{ts}}}", "event_ts": "{{{ts}}}", "channel_type": "im"{{{extra}}} }""";
    }

    /// <summary>A slash_commands envelope with the command's form fields as JSON.</summary>
    public static string SlashCommand(string envelopeId, string command, string text, string responseUrl, string user = "U111", string channel = "C111") => $$"""
        {"envelope_id": "{{envelopeId}}", "payload": {"token": "verification-token", "team_id": "T111", "team_domain": "xxx", "channel_id": "{{channel}}", "channel_name": "general",
        "user_id": "{{user}}", "user_name": "analyst", "command": "{{command}}", "text": {{JsonSerializer.Serialize(text)}}, "api_app_id": "A111", "is_enterprise_install": "false",
        "response_url": "{{responseUrl}}", "trigger_id": "111.222.{{envelopeId}}"}, "type": "slash_commands", "accepts_response_payload": true}
        """;

    /// <summary>Accepts the bot's next Socket Mode connection and says hello.</summary>
    public async Task<SocketPeer> AcceptAsync()
    {
        var socket = await Platform.NextSocketAsync();
        await socket.SendAsync(Hello);
        return socket;
    }

    public ValueTask DisposeAsync() => Platform.DisposeAsync();
}

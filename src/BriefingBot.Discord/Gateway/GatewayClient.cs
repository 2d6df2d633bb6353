using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core;
using BriefingBot.Core.Chat;
using BriefingBot.Discord;
using BriefingBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord.Gateway;

/// <summary>A dispatch (op 0) from the gateway: its event name and data.</summary>
public sealed record GatewayDispatch(string Type, JsonElement Data, int Shard);

/// <summary>
/// One shard's connection to Discord's gateway, kept alive across reconnects: Hello → heartbeats (first one after a
/// random part of the interval) → Identify, or Resume with the session and sequence after a drop, an op 7, a zombie
/// connection or an op 9 that allows it. Close codes that retrying cannot fix end <see cref="RunAsync"/> with a
/// <see cref="DiscordGatewayException"/>. https://discord.com/developers/docs/events/gateway
/// </summary>
public sealed partial class GatewayClient
{
    // https://discord.com/developers/docs/events/gateway#gateway-intents
    private const int Guilds = 1 << 0, GuildMessages = 1 << 9, DirectMessages = 1 << 12, MessageContent = 1 << 15;

    // Outgoing gateway payloads larger than this close the connection with 4002.
    private const int MaxPayloadBytes = 4096;
    private const int MaxIncomingBytes = 64 * 1024 * 1024;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    // How often, at most, a shared shard's session is left for its next holder while events arrive.
    private static readonly TimeSpan HandoverInterval = TimeSpan.FromSeconds(1);

    private readonly DiscordOptions _options;
    private readonly DiscordRestClient _rest;
    private readonly IdentifyGate _identifyGate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _random;
    private readonly int _shard;
    private readonly int _shardCount;

    private readonly PlatformHealth? _health;
    private readonly ShardHandover? _handover;
    private string? _sessionId;
    private string? _resumeUrl;

    // The last sequence number (-1: none), read by the heartbeats and the handover while the receive loop writes it.
    private long _lastSequence = -1;

    internal GatewayClient(
        DiscordOptions options,
        DiscordRestClient rest,
        IdentifyGate identifyGate,
        TimeProvider time,
        ILogger logger,
        int shard,
        int shardCount,
        Func<double>? random = null,
        PlatformHealth? health = null,
        ShardHandover? handover = null)
    {
        _health = health;
        _handover = handover;
        _options = options;
        _rest = rest;
        _identifyGate = identifyGate;
        _time = time;
        _logger = logger;
        _shard = shard;
        _shardCount = shardCount;
        _random = random ?? Random.Shared.NextDouble;
    }

    private long? Sequence
    {
        get => Volatile.Read(ref _lastSequence) is var sequence and >= 0 ? sequence : null;
        set => Volatile.Write(ref _lastSequence, value ?? -1);
    }

    private ShardSession? Session => _sessionId is { } id && _resumeUrl is { } url ? new ShardSession(id, url, Sequence) : null;

    private string ShardKey => _shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The bot's own user id, known from READY on.</summary>
    public string? BotUserId { get; private set; }

    public int Intents => Guilds | GuildMessages | DirectMessages | (_options.MessageContentIntent ? MessageContent : 0);

    /// <summary>
    /// Connects and stays connected until <paramref name="cancellationToken"/> fires or Discord refuses the bot for good.
    /// A shared shard first resumes the session its last holder left, and leaves its own for the next one.
    /// </summary>
    public async Task RunAsync(Func<GatewayDispatch, CancellationToken, Task> onDispatch, CancellationToken cancellationToken = default)
    {
        if (_handover is not null && await _handover.ReadAsync(cancellationToken).ConfigureAwait(false) is { } left)
        {
            if (Trusted(left.ResumeGatewayUrl))
            {
                (_sessionId, _resumeUrl, Sequence) = (left.SessionId, left.ResumeGatewayUrl, left.Seq);
                LogTakingOver(_shard, left.Seq);
            }
            else
            {
                // The note comes from the database: whoever can write there must not get the token sent to them.
                LogUntrustedGateway(_shard, "the session left by the shard's last holder");
            }
        }

        await new ReconnectLoop(TimeSpan.FromSeconds(1), _options.MaxReconnectDelay, _time, _random, (delay, attempt) =>
            {
                LogReconnecting(_shard, delay, attempt);
                _health?.Reconnecting(DiscordChannels.Name);
            })
            .RunAsync(async (next, token) =>
            {
                var end = new End(Resume: true, Healthy: false);
                try
                {
                    end = await ConnectOnceAsync(onDispatch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!token.IsCancellationRequested && ex is WebSocketException or HttpRequestException or IOException
                    or DiscordRestException { Status: >= 500 or 429 } or OperationCanceledException or JsonException)
                {
                    LogDropped(_shard, ex.Message);
                }
                finally
                {
                    _health?.Down(DiscordChannels.Name, ShardKey);
                    if (!end.Resume)
                    {
                        _sessionId = null;
                        _resumeUrl = null;
                        Sequence = null;
                    }

                    if (_handover is not null)
                    {
                        // However the connection ended, the next holder resumes from here (or identifies, when the
                        // session is over); when the store cannot be reached, from the last note that got through.
                        using var leaving = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                        await _handover.LeaveAsync(Session, leaving.Token).ConfigureAwait(false);
                    }
                }

                next(end.Healthy);
            }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<End> ConnectOnceAsync(Func<GatewayDispatch, CancellationToken, Task> onDispatch, CancellationToken cancellationToken)
    {
        var resuming = _sessionId is not null && _resumeUrl is not null;
        string url;
        if (resuming)
        {
            url = _resumeUrl!;
        }
        else
        {
            var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
            if (!Trusted(info.Url))
            {
                LogUntrustedGateway(_shard, "GET /gateway/bot");
                throw new IOException("the gateway address given is not Discord's");
            }

            await _identifyGate.WaitTurnAsync(_shard, info.SessionStartLimit, cancellationToken).ConfigureAwait(false);
            url = info.Url;
        }

        using var socket = new ClientWebSocket();
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connecting.CancelAfter(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"{url.TrimEnd('/')}/?v=10&encoding=json"), connecting.Token).ConfigureAwait(false);
        LogConnected(_shard, resuming ? "resuming" : "identifying");

        var connection = new Connection(socket);

        // A connection that never says Hello is as dead as one that drops: give up on it and connect again.
        using var helloDeadline = new CancellationTokenSource(HelloTimeout, _time);
        using var noHello = helloDeadline.Token.Register(() =>
        {
            if (!connection.HelloSeen)
            {
                LogNoHello(_shard);
                socket.Abort();
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // On shutdown the bot says goodbye with 1000, which ends the session so it shows offline at once (a shared shard
        // with 4000, which keeps it for the next holder), and reads on until Discord closes too (or briefly, if it never does).
        using var reading = new CancellationTokenSource();
        using var shutdown = cancellationToken.Register(() => _ = CloseForShutdownAsync(connection, reading, handingOver: _handover is not null));
        Task heartbeats = Task.CompletedTask;
        var handover = _handover is null ? Task.CompletedTask : KeepLeavingSessionAsync(stop.Token);
        try
        {
            return await ReceiveLoopAsync(connection, resuming, onDispatch, hello => heartbeats = HeartbeatAsync(connection, hello, stop.Token), reading.Token)
                .ConfigureAwait(false);
        }
        catch (Exception) when (connection.Zombie && !cancellationToken.IsCancellationRequested)
        {
            LogZombie(_shard);
            return new End(Resume: true, Healthy: connection.Healthy);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(heartbeats, handover).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The connection is over; its heartbeat's failure no longer matters.
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                socket.Abort();
            }
        }
    }

    private async Task<End> ReceiveLoopAsync(
        Connection connection,
        bool resuming,
        Func<GatewayDispatch, CancellationToken, Task> onDispatch,
        Action<TimeSpan> startHeartbeats,
        CancellationToken cancellationToken)
    {
        var reader = new WebSocketReader(connection.Socket, MaxIncomingBytes);
        while (true)
        {
            var text = await reader.ReceiveTextAsync(cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                return Closed(connection);
            }

            GatewayPayload? payload;
            try
            {
                payload = JsonSerializer.Deserialize(text, DiscordJsonContext.Default.GatewayPayload);
            }
            catch (JsonException ex)
            {
                LogMalformed(_shard, ex.Message);
                continue;
            }

            if (payload is null)
            {
                continue;
            }

            switch (payload.Op)
            {
                case 10:
                    connection.HelloSeen = true;
                    var hello = Data(payload, DiscordJsonContext.Default.HelloData);
                    var interval = TimeSpan.FromMilliseconds(hello is { HeartbeatInterval: > 0 } ? hello.HeartbeatInterval : 41_250);
                    startHeartbeats(interval);
                    if (resuming)
                    {
                        await SendAsync(connection, new ResumePayload(new ResumeData(_options.Token!, _sessionId!, Sequence)), DiscordJsonContext.Default.ResumePayload, cancellationToken)
                            .ConfigureAwait(false);
                    }
                    else
                    {
                        var identify = new IdentifyData(_options.Token!, Intents, new IdentifyProperties("linux", "briefingbot", "briefingbot"), [_shard, _shardCount]);
                        await SendAsync(connection, new IdentifyPayload(identify), DiscordJsonContext.Default.IdentifyPayload, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case 11:
                    connection.Acked = true;
                    break;
                case 1:
                    await SendAsync(connection, new HeartbeatPayload(Sequence), DiscordJsonContext.Default.HeartbeatPayload, cancellationToken).ConfigureAwait(false);
                    break;
                case 7:
                    LogReconnectRequested(_shard);
                    await CloseAsync(connection.Socket).ConfigureAwait(false);
                    return new End(Resume: true, Healthy: true);
                case 9:
                    var resumable = payload.D is { ValueKind: JsonValueKind.True };
                    LogInvalidSession(_shard, resumable);
                    await CloseAsync(connection.Socket).ConfigureAwait(false);
                    if (!resumable)
                    {
                        // The docs ask for a random wait of 1 to 5 seconds before identifying anew.
                        await Task.Delay(TimeSpan.FromSeconds(1 + (4 * _random())), _time, cancellationToken).ConfigureAwait(false);
                    }

                    return new End(Resume: resumable, Healthy: true);
                case 0:
                    if (payload.S is { } sequence)
                    {
                        Sequence = sequence;
                    }

                    await DispatchAsync(connection, payload, onDispatch, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task DispatchAsync(Connection connection, GatewayPayload payload, Func<GatewayDispatch, CancellationToken, Task> onDispatch, CancellationToken cancellationToken)
    {
        if (payload.T is not { } type || payload.D is not { } data)
        {
            return;
        }

        if (type == "READY")
        {
            var ready = Data(payload, DiscordJsonContext.Default.ReadyData);
            if (ready is null)
            {
                LogMalformed(_shard, "READY without session_id, resume_gateway_url or user");
                return;
            }

            _sessionId = ready.SessionId;
            _resumeUrl = Trusted(ready.ResumeGatewayUrl) ? ready.ResumeGatewayUrl : null;
            if (_resumeUrl is null)
            {
                LogUntrustedGateway(_shard, "READY's resume_gateway_url");
            }

            BotUserId = ready.User.Id;
            connection.Healthy = true;
            _health?.Up(DiscordChannels.Name, ShardKey);
            LogReady(_shard, ready.User.Username ?? ready.User.Id);
        }
        else if (type == "RESUMED")
        {
            connection.Healthy = true;
            _health?.Up(DiscordChannels.Name, ShardKey);
            _health?.Resumed(DiscordChannels.Name);
            LogResumed(_shard, Sequence);
        }

        try
        {
            await onDispatch(new GatewayDispatch(type, data.Clone(), _shard), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The handler's failure is about one event; the connection and the session go on.
            LogHandlerFailed(ex, _shard, type);
        }
    }

    private static async Task CloseForShutdownAsync(Connection connection, CancellationTokenSource reading, bool handingOver)
    {
        var (status, reason) = handingOver ? ((WebSocketCloseStatus)4000, "handing the shard over") : (WebSocketCloseStatus.NormalClosure, "shutting down");
        connection.ShuttingDown = true;
        reading.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            if (await connection.SendLock.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await connection.Socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    connection.SendLock.Release();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is going anyway.
        }
    }

    private End Closed(Connection connection)
    {
        if (connection.ShuttingDown)
        {
            return new End(Resume: _handover is not null, Healthy: true);
        }

        var code = (int?)connection.Socket.CloseStatus ?? 0;
        var reason = connection.Socket.CloseStatusDescription;
        switch (code)
        {
            // https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
            case 4004:
                throw new DiscordGatewayException(code, "Discord refused the token (close 4004): check Discord:Token.");
            case 4010 or 4011:
                throw new DiscordGatewayException(code, $"Discord refused the shard settings (close {code}): check Discord:ShardId and Discord:ShardCount.");
            case 4012:
                throw new DiscordGatewayException(code, "Discord refused the gateway version (close 4012).");
            case 4013:
                throw new DiscordGatewayException(code, "Discord refused the intents (close 4013).");
            case 4014:
                throw new DiscordGatewayException(code, "Discord refused a privileged intent (close 4014): enable Message Content in the developer portal or set Discord:MessageContentIntent to false.");
            case 4007 or 4009:
                LogClosed(_shard, code, reason ?? string.Empty, "identifying anew");
                return new End(Resume: false, Healthy: connection.Healthy);
            default:
                LogClosed(_shard, code, reason ?? string.Empty, "resuming");
                return new End(Resume: true, Healthy: connection.Healthy);
        }
    }

    private async Task HeartbeatAsync(Connection connection, TimeSpan interval, CancellationToken cancellationToken)
    {
        // The first heartbeat goes after a random part of the interval, so reconnecting bots don't beat in step.
        await Task.Delay(interval * _random(), _time, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!connection.Acked)
            {
                // No ACK since the last heartbeat: the connection is dead without knowing it. Abort (never a
                // 1000/1001 close, which would end the session) and resume.
                connection.Zombie = true;
                connection.Socket.Abort();
                return;
            }

            connection.Acked = false;
            await SendAsync(connection, new HeartbeatPayload(Sequence), DiscordJsonContext.Default.HeartbeatPayload, cancellationToken).ConfigureAwait(false);
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>While the connection lasts, leaves the session for the shard's next holder whenever it has moved on.</summary>
    private async Task KeepLeavingSessionAsync(CancellationToken cancellationToken)
    {
        ShardSession? left = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Session is { } session && session != left && await _handover!.LeaveAsync(session, cancellationToken).ConfigureAwait(false))
            {
                left = session;
            }

            await Task.Delay(HandoverInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync<T>(Connection connection, T payload, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, type);
        if (bytes.Length > MaxPayloadBytes)
        {
            throw new InvalidOperationException($"A gateway payload of {bytes.Length} bytes exceeds Discord's {MaxPayloadBytes}.");
        }

        await connection.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    /// <summary>Closes keeping the session resumable: 4000, since 1000 and 1001 end it.</summary>
    private static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private static T? Data<T>(GatewayPayload payload, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return payload.D is { ValueKind: JsonValueKind.Object } d ? d.Deserialize(type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record End(bool Resume, bool Healthy);

    private sealed class Connection(ClientWebSocket socket)
    {
        public ClientWebSocket Socket { get; } = socket;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public volatile bool Acked = true;

        public volatile bool Zombie;

        public volatile bool Healthy;

        public volatile bool ShuttingDown;

        public volatile bool HelloSeen;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard}: connected, {Mode}")]
    private partial void LogConnected(int shard, string mode);

    /// <summary>
    /// Whether the token may be sent to <paramref name="url"/>: a WebSocket address on Discord's gateway hosts
    /// (<c>gateway.discord.gg</c> and its regional <c>gateway-*.discord.gg</c>) or on the host <c>Discord:ApiBaseUrl</c>
    /// names (a proxy, or the tests' loopback Discord).
    /// </summary>
    internal bool Trusted(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "wss" || uri.Scheme == "ws")
        && (uri.Host.Equals("discord.gg", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".discord.gg", StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(_options.ApiBaseUrl, UriKind.Absolute, out var api) && uri.Host.Equals(api.Host, StringComparison.OrdinalIgnoreCase)))
        && (uri.Scheme == "wss" || !uri.Host.EndsWith("discord.gg", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: the gateway address from {Where} is not on Discord's gateway hosts nor Discord:ApiBaseUrl's host; not connecting there")]
    private partial void LogUntrustedGateway(int shard, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard}: resuming the session its last holder left at sequence {Sequence}")]
    private partial void LogTakingOver(int shard, long? sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard}: ready as {User}")]
    private partial void LogReady(int shard, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard}: resumed after sequence {Sequence}")]
    private partial void LogResumed(int shard, long? sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: connection lost ({Reason})")]
    private partial void LogDropped(int shard, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: no Hello within 30 seconds of connecting; connecting again")]
    private partial void LogNoHello(int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: no heartbeat ACK since the last heartbeat; reconnecting to resume")]
    private partial void LogZombie(int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord shard {Shard}: Discord asked for a reconnect (op 7); resuming")]
    private partial void LogReconnectRequested(int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: invalid session (op 9, resumable: {Resumable})")]
    private partial void LogInvalidSession(int shard, bool resumable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: closed with {Code} {Reason}; {Next}")]
    private partial void LogClosed(int shard, int code, string reason, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: reconnecting in {Delay} (attempt {Attempt})")]
    private partial void LogReconnecting(int shard, TimeSpan delay, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord shard {Shard}: handling {Event} failed")]
    private partial void LogHandlerFailed(Exception exception, int shard, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord shard {Shard}: ignored a malformed gateway payload ({Reason})")]
    private partial void LogMalformed(int shard, string reason);
}

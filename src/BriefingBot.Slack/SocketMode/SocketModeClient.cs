using System.Net.WebSockets;
using System.Text.Json;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core;
using BriefingBot.Core.Chat;
using BriefingBot.Slack;
using BriefingBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Slack.SocketMode;

/// <summary>An envelope from Socket Mode, with the way to acknowledge it on the connection it came on.</summary>
internal sealed record SocketEnvelope(SocketFrame Frame, Func<CommandResponse?, Task> AcknowledgeAsync);

/// <summary>
/// Keeps the app connected over Socket Mode: <c>apps.connections.open</c> → WebSocket → <c>hello</c> → envelopes.
/// On <c>disconnect</c> (<c>warning</c>, <c>refresh_requested</c>) a new connection is opened
/// while the old one keeps delivering until Slack closes it, so no envelope falls in a gap; <c>link_disabled</c> stops
/// the client; after <c>too_many_websockets</c> the client waits before connecting again. A dropped connection is replaced with growing, jittered waits. Each connection asks for one successor
/// at most, so racing disconnects never open two. https://api.slack.com/apis/socket-mode
/// </summary>
internal sealed partial class SocketModeClient(SlackWebApi api, SlackOptions options, TimeProvider time, ILogger<SocketModeClient> logger, PlatformHealth? health = null)
{
    // Slack may leave the TCP connection open after the close handshake; don't wait for it longer than this.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    // After refresh_requested Slack closes the old connection itself; close it ourselves if it lingers.
    private static readonly TimeSpan OldConnectionGrace = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    private const int MaxIncomingBytes = 16 * 1024 * 1024;

    public Task RunAsync(Func<SocketEnvelope, CancellationToken, Task> onEnvelope, CancellationToken cancellationToken = default) =>
        new ReconnectLoop(TimeSpan.FromSeconds(1), options.MaxReconnectDelay, time, Random.Shared.NextDouble, (delay, attempt) =>
            {
                LogReconnecting(delay, attempt);
                health?.Reconnecting(SlackChannels.Name);
            })
            .RunAsync((next, token) => ConnectionAsync(onEnvelope, next, token), cancellationToken);

    /// <summary>One connection, to its end; <paramref name="next"/> opens its successor, early when Slack asks for a refresh.</summary>
    private async Task ConnectionAsync(Func<SocketEnvelope, CancellationToken, Task> onEnvelope, Action<bool> next, CancellationToken cancellationToken)
    {
        var healthy = false;
        var helloSeen = false;
        var connectionKey = Guid.NewGuid().ToString("N");

        using var socket = new ClientWebSocket();
        using var sendLock = new SemaphoreSlim(1, 1);

        // Slack pings the socket; our own pings with a deadline catch a connection that died silently.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(15);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var url = await api.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // A handshake that hangs is a failed connection: give up on it and try again.
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(HelloTimeout);
                await socket.ConnectAsync(new Uri(url), connecting.Token).ConfigureAwait(false);
            }

            // A connection that never says hello is as dead as one that drops: give up on it and connect again.
            using var helloDeadline = new CancellationTokenSource(HelloTimeout, time);
            using var noHello = helloDeadline.Token.Register(() =>
            {
                if (!helloSeen)
                {
                    LogNoHello();
                    socket.Abort();
                }
            });
            var reader = new WebSocketReader(socket, MaxIncomingBytes);
            while (true)
            {
                var text = await reader.ReceiveTextAsync(lifetime.Token).ConfigureAwait(false);
                if (text is null)
                {
                    LogClosed((int?)socket.CloseStatus ?? 0, socket.CloseStatusDescription ?? string.Empty);
                    break;
                }

                SocketFrame? frame;
                try
                {
                    frame = JsonSerializer.Deserialize(text, SlackJsonContext.Default.SocketFrame);
                }
                catch (JsonException ex)
                {
                    LogMalformed(ex.Message);
                    continue;
                }

                switch (frame)
                {
                    case { Type: "hello" }:
                        helloSeen = true;
                        healthy = true;
                        health?.Up(SlackChannels.Name, connectionKey);
                        LogConnected();
                        break;
                    case { Type: "disconnect", Reason: "link_disabled" }:
                        throw new SlackSocketModeException("Slack disabled Socket Mode for the app (link_disabled); turn it on again or use HTTP events.");
                    case { Type: "disconnect", Reason: "too_many_websockets" }:
                        // The app already holds Slack's maximum of connections: another one now would only be refused
                        // too. Let this one close and try again after a wait.
                        LogTooMany();
                        healthy = false;
                        break;
                    case { Type: "disconnect" }:
                        // Open the next connection now; this one keeps delivering until Slack closes it.
                        LogRefresh(frame.Reason ?? "unknown");
                        next(true);
                        if (frame.Reason != "warning")
                        {
                            lifetime.CancelAfter(OldConnectionGrace);
                        }

                        break;
                    case { EnvelopeId: { } envelopeId }:
                        var envelope = new SocketEnvelope(frame, response => AcknowledgeAsync(socket, sendLock, envelopeId, response, cancellationToken));
                        await onEnvelope(envelope, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (SlackApiException ex) when (ex.TokenRefused)
        {
            throw new SlackSocketModeException($"Slack refused the app token ({ex.Error}): check Slack:AppToken.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // An old connection Slack asked us to replace and then left open: its successor already runs.
            LogRetired();
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or SlackApiException or IOException or OperationCanceledException)
        {
            LogDropped(ex.Message);
        }
        finally
        {
            health?.Down(SlackChannels.Name, connectionKey);
            await CloseQuietlyAsync(socket).ConfigureAwait(false);
        }

        next(healthy);
    }

    private static async Task AcknowledgeAsync(ClientWebSocket socket, SemaphoreSlim sendLock, string envelopeId, CommandResponse? response, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Acknowledgement(envelopeId, response), SlackJsonContext.Default.Acknowledgement);
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "refreshing", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack sent no hello within 30 seconds of connecting; connecting again")]
    private partial void LogNoHello();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connected")]
    private partial void LogConnected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked for a new connection ({Reason}); opening one beside the old")]
    private partial void LogRefresh(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed a replaced Socket Mode connection that Slack left open")]
    private partial void LogRetired();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack says the app has too many Socket Mode connections; reconnecting after a wait")]
    private partial void LogTooMany();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack closed the Socket Mode connection ({Code} {Reason})")]
    private partial void LogClosed(int code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection lost ({Reason})")]
    private partial void LogDropped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconnecting to Slack in {Delay} (attempt {Attempt})")]
    private partial void LogReconnecting(TimeSpan delay, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed Socket Mode frame: {Reason}")]
    private partial void LogMalformed(string reason);
}

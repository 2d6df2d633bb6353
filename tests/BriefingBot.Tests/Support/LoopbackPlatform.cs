using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Tests.Support;

/// <summary>An HTTP request as the loopback platform saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, long Timestamp)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the platform answers to a request.</summary>
internal sealed record CannedResponse(int Status, string Body = "{}", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A chat platform on loopback (Kestrel on 127.0.0.1, a free port): it records every HTTP request and answers what
/// the test says, and hands the test each WebSocket a client opens so the test can speak the platform's side.
/// </summary>
internal sealed class LoopbackPlatform : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Channel<SocketPeer> _sockets = Channel.CreateUnbounded<SocketPeer>();
    private readonly SemaphoreSlim _arrived = new(0);

    private LoopbackPlatform(WebApplication app) => _app = app;

    /// <summary>The platform's usual answers.</summary>
    public Func<RecordedRequest, CannedResponse> Respond { get; set; } = _ => new CannedResponse(200);

    /// <summary>A test's answers to particular requests (a 429, an error), asked first; null falls through to <see cref="Respond"/>.</summary>
    public Func<RecordedRequest, CannedResponse?>? Intercept { get; set; }

    public string Root { get; private set; } = string.Empty;

    public string WebSocketRoot => "ws" + Root[4..];

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public static async Task<LoopbackPlatform> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var platform = new LoopbackPlatform(app);
        app.UseWebSockets();
        app.Run(platform.ServeAsync);
        await app.StartAsync();
        platform.Root = app.Urls.First().TrimEnd('/');
        return platform;
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync();
            var peer = new SocketPeer(socket, context.Request.Path, context.Request.QueryString.Value ?? string.Empty);
            await _sockets.Writer.WriteAsync(peer);
            await peer.RunAsync();
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Stopwatch.GetTimestamp());
        CannedResponse response;
        try
        {
            response = Intercept?.Invoke(request) ?? Respond(request);
        }
        catch (Exception ex)
        {
            response = new CannedResponse(500, JsonSerializer.Serialize(new { error = ex.Message }));
        }

        _requests.Enqueue(request);
        _arrived.Release();
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.Body);
    }

    /// <summary>The next WebSocket a client opens.</summary>
    public async Task<SocketPeer> NextSocketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await _sockets.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when no client opened a WebSocket within <paramref name="wait"/>.</summary>
    public async Task<bool> NoSocketWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _sockets.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Waits until the requests that match number <paramref name="count"/>, and returns them.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForAsync(Func<RecordedRequest, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var found = _requests.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                throw new TimeoutException($"Expected {count} matching request(s), saw {found.Count}. All requests:\n" +
                    string.Join('\n', _requests.Select(r => $"{r.Method} {r.Path} {r.Body[..Math.Min(200, r.Body.Length)]}")));
            }

            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(200, left * 1000.0 / Stopwatch.Frequency)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>The platform's end of one WebSocket: the test sends and receives JSON frames on it.</summary>
internal sealed class SocketPeer(WebSocket socket, string path, string query)
{
    private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _send = new(1, 1);

    public string Path { get; } = path;

    public string Query { get; } = query;

    /// <summary>The close code the client sent, or null when it dropped the connection without one.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    internal async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        _incoming.Writer.TryComplete();

                        // Answer the close handshake, as a real server does.
                        await _send.WaitAsync();
                        try
                        {
                            if (socket.State == WebSocketState.CloseReceived)
                            {
                                await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                            }
                        }
                        finally
                        {
                            _send.Release();
                        }

                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                await _incoming.Writer.WriteAsync(Encoding.UTF8.GetString(message.ToArray()));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
            _incoming.Writer.TryComplete();
        }
    }

    public async Task SendAsync(string json)
    {
        await _send.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>The next frame the client sent, parsed.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var text = await _incoming.Reader.ReadAsync(cts.Token);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The next frame that matches, skipping others (heartbeats, acknowledgements).</summary>
    public async Task<JsonElement> ReceiveAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var text = await _incoming.Reader.ReadAsync(cts.Token);
            var frame = JsonDocument.Parse(text).RootElement;
            if (match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>True when the client sent nothing within <paramref name="wait"/>.</summary>
    public async Task<bool> SilentForAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            await _incoming.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async Task CloseAsync(int code, string reason = "")
    {
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client closed or dropped the connection first (its response is already complete): nothing to close.
        }

        _done.TrySetResult();
    }

    /// <summary>Drops the TCP connection without a close frame, as a network failure would.</summary>
    public void Abort()
    {
        socket.Abort();
        _done.TrySetResult();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BriefingBot.Tests.Llm;

/// <summary>A chat request as the server saw it: the messages, and the numbered passages of the user message.</summary>
internal sealed record ChatCall(string Body, string? Authorization, IReadOnlyList<(string Role, string Content)> Messages)
{
    public string System => Messages.FirstOrDefault(m => m.Role == "system").Content ?? string.Empty;

    public string User => Messages.LastOrDefault(m => m.Role == "user").Content ?? string.Empty;

    /// <summary>Passage number → text, as numbered in the prompt.</summary>
    public Dictionary<int, string> Passages => Regex.Matches(WebUtility.HtmlDecode(User), @"\[(\d+)\] \([^\n]*\)\n(.*?)(?=\n\n\[\d+\] |\n\nQuestion:|\z)", RegexOptions.Singleline)
        .ToDictionary(m => int.Parse(m.Groups[1].Value, global::System.Globalization.CultureInfo.InvariantCulture), m => m.Groups[2].Value);

    public int PassageWith(string text) => Passages.First(p => p.Value.Contains(text, StringComparison.Ordinal)).Key;
}

/// <summary>What the server does with a call: reply with content, fail with a status, or stall.</summary>
internal sealed record ChatReply(string? Content, int Status = 200, TimeSpan Delay = default);

/// <summary>
/// A loopback server speaking the OpenAI chat-completions wire format (POST …/chat/completions → a
/// "chat.completion" object), so the real Semantic Kernel connector can be driven in tests.
/// </summary>
internal sealed class FakeChatServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public FakeChatServer(Func<ChatCall, ChatReply> respond)
    {
        Respond = respond;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public Func<ChatCall, ChatReply> Respond { get; set; }

    public ConcurrentQueue<ChatCall> Calls { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            using var json = JsonDocument.Parse(body);
            var messages = json.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("role").GetString()!, ContentOf(m.GetProperty("content"))))
                .ToList();
            var call = new ChatCall(body, context.Request.Headers["Authorization"], messages);
            Calls.Enqueue(call);
            var reply = Respond(call);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            if (reply.Status == 429)
            {
                context.Response.Headers["Retry-After"] = "1";
            }

            var payload = reply.Status == 200
                ? JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-test",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = "test-model",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Content }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                })
                : JsonSerializer.Serialize(new { error = new { message = "test failure", type = "server_error" } });
            var bytes = Encoding.UTF8.GetBytes(payload);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
                // the client went away
            }
        }
    }

    private static string ContentOf(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Join("\n", content.EnumerateArray().Select(part => part.TryGetProperty("text", out var t) ? t.GetString() : string.Empty));

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}

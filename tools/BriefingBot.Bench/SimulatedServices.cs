using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BriefingBot.Bench;

/// <summary>
/// Slack's Web API, Discord's REST API and an OpenAI-compatible chat model, answered inside the process: the
/// <c>load</c> command gives the bot's HTTP clients this in place of the network. Each platform request is answered
/// as the service answers it and noted with the moment it was sent; each model call is answered after a set delay
/// with the first sentence of the first passage it was given, cited, so it passes the source check.
/// </summary>
internal sealed partial class SimulatedServices(TimeSpan modelDelay)
{
    /// <summary>A platform request as it reached the service: when, which method and path, and its body.</summary>
    public sealed record Call(long Timestamp, string Method, string Path, JsonNode? Body);

    private readonly ConcurrentQueue<Call> _calls = new();
    private int _modelCalls;
    private int _modelCallsNow;
    private int _mostModelCallsAtOnce;
    private long _ids = 1_300_000_000_000_000_000;

    public IReadOnlyCollection<Call> Calls => _calls;

    public int ModelCalls => _modelCalls;

    public int MostModelCallsAtOnce => _mostModelCallsAtOnce;

    public void Clear()
    {
        _calls.Clear();
        _modelCalls = 0;
        _mostModelCallsAtOnce = 0;
    }

    /// <summary>A handler for one HTTP client; the client factory disposes it when it likes, the record stays here.</summary>
    public HttpMessageHandler CreateHandler() => new Handler(this);

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var text = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return await ModelAsync(text, cancellationToken).ConfigureAwait(false);
        }

        JsonNode? body = null;
        try
        {
            body = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // a form post (Slack's conversations.history): kept without a body
        }

        _calls.Enqueue(new Call(sent, request.Method.Method, path, body));
        var id = Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);
        return path switch
        {
            _ when path.EndsWith("/auth.test", StringComparison.Ordinal) => Json("""{"ok": true, "user_id": "UBRIEFINGBOT", "bot_id": "BBRIEFINGBOT"}"""),
            _ when path.EndsWith("/chat.postMessage", StringComparison.Ordinal) => Json($$"""{"ok": true, "ts": "1536300000.{{id[^6..]}}"}"""),
            _ when path.Contains("/api/", StringComparison.Ordinal) && !path.Contains("/v10/", StringComparison.Ordinal) => Json("""{"ok": true}"""),
            _ when path.EndsWith("/callback", StringComparison.Ordinal) || path.EndsWith("/typing", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.NoContent),
            _ when path.StartsWith("/respond/", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") },
            _ => Json($$"""{"id": "{{id}}", "channel_id": "1000000000000000010", "content": ""}"""),
        };
    }

    private async Task<HttpResponseMessage> ModelAsync(string request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _modelCalls);
        var now = Interlocked.Increment(ref _modelCallsNow);
        int most;
        while (now > (most = _mostModelCallsAtOnce) && Interlocked.CompareExchange(ref _mostModelCallsAtOnce, now, most) != most)
        {
        }

        try
        {
            await Task.Delay(modelDelay, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _modelCallsNow);
        }

        var user = JsonNode.Parse(request)?["messages"]?.AsArray().LastOrDefault(m => (string?)m?["role"] == "user")?["content"]?.GetValue<string>() ?? string.Empty;
        var passage = FirstPassage().Match(WebUtility.HtmlDecode(user));
        var content = passage.Success
            ? $"{FirstSentence(passage.Groups["text"].Value)} [{passage.Groups["number"].Value}]"
            : "NOT ANSWERED";
        var reply = new JsonObject
        {
            ["id"] = "chatcmpl-load",
            ["object"] = "chat.completion",
            ["created"] = 1536300000,
            ["model"] = "simulated",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
        };
        return Json(reply.ToJsonString());
    }

    /// <summary>The passage's first sentence as the bot itself splits sentences, so the check reads it as one.</summary>
    private static string FirstSentence(string text) =>
        Core.Text.SentenceSplitter.Split(text) is [var first, ..] ? text.Substring(first.Start, first.Length).Trim() : text.Trim();

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    // "[3] (Outlet, date)\ntext" as the answer prompt numbers its passages.
    [GeneratedRegex(@"\[(?<number>\d+)\] \([^\n]*\)\n(?<text>.+?)(?=\n\n\[\d+\] |\n\nQuestion:|\z)", RegexOptions.Singleline)]
    private static partial Regex FirstPassage();

    private sealed class Handler(SimulatedServices services) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            services.AnswerAsync(request, cancellationToken);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BriefingBot.Chat.Platforms;
using BriefingBot.Slack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack.WebApi;

/// <summary>
/// Slack's Web API as the bot uses it. Every answer's <c>ok</c> is checked (errors come as HTTP 200); a 429 is
/// waited out for its <c>Retry-After</c> and sent again; 5xx and dropped connections are retried with backoff.
/// https://api.slack.com/web, https://api.slack.com/apis/rate-limits
/// </summary>
public sealed partial class SlackWebApi
{
    public const string HttpClientName = SlackChannels.Name;
    private const int MaxAttempts = 5;

    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApi> _logger;

    private readonly PlatformHealth? _health;

    public SlackWebApi(IHttpClientFactory factory, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApi> logger, PlatformHealth? health = null)
    {
        _health = health;
        _http = factory.CreateClient(HttpClientName);
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The bot's own user and bot ids, to recognise its messages and its mention.</summary>
    internal async Task<(string UserId, string? BotId)> AuthTestAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("auth.test", "{}", _options.BotToken!, cancellationToken).ConfigureAwait(false);
        return (response.UserId ?? throw new SlackApiException("auth.test", "no user_id in the answer"), response.BotId);
    }

    /// <summary>A fresh Socket Mode URL (apps.connections.open, with the app token).</summary>
    internal async Task<string> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("apps.connections.open", "{}", _options.AppToken!, cancellationToken).ConfigureAwait(false);
        return response.Url ?? throw new SlackApiException("apps.connections.open", "no url in the answer");
    }

    /// <summary>
    /// Posts a message. Not sent again after a timeout or a 5xx, when Slack may have posted it already: a lost part
    /// is logged, a doubled answer never happens. Retried after a 429 or a connection that could not be made.
    /// </summary>
    internal async Task<string?> PostMessageAsync(PostMessage message, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(message, SlackJsonContext.Default.PostMessage);
        var response = await SendAsync("chat.postMessage", new Uri(_options.ApiBaseUrl + "chat.postMessage"), () => Json(json), _options.BotToken!,
            SlackJsonContext.Default.ApiResponse, cancellationToken, mayRepeat: false).ConfigureAwait(false)
            ?? throw new SlackApiException("chat.postMessage", "an empty answer");
        return response.Ok ? response.Ts : throw new SlackApiException("chat.postMessage", response.Error ?? "unknown_error");
    }

    /// <summary>
    /// Messages posted in <paramref name="channel"/> since <paramref name="since"/>, with their metadata
    /// (conversations.history; needs <c>channels:history</c> or <c>groups:history</c>).
    /// </summary>
    internal async Task<IReadOnlyList<HistoryMessage>> HistoryAsync(string channel, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        // A read method: form-encoded, which every Web API method takes.
        var form = new Dictionary<string, string>
        {
            ["channel"] = channel,
            ["oldest"] = since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["limit"] = "200",
            ["include_all_metadata"] = "true",
        };
        var response = await CallAsync("conversations.history", () => new FormUrlEncodedContent(form), _options.BotToken!, cancellationToken).ConfigureAwait(false);
        return response.Messages ?? [];
    }

    internal Task AddReactionAsync(string channel, string timestamp, string name, CancellationToken cancellationToken = default) =>
        CallAsync("reactions.add", JsonSerializer.Serialize(new Reaction(channel, timestamp, name), SlackJsonContext.Default.Reaction), _options.BotToken!, cancellationToken);

    internal Task RemoveReactionAsync(string channel, string timestamp, string name, CancellationToken cancellationToken = default) =>
        CallAsync("reactions.remove", JsonSerializer.Serialize(new Reaction(channel, timestamp, name), SlackJsonContext.Default.Reaction), _options.BotToken!, cancellationToken);

    /// <summary>Whether <paramref name="user"/> is an admin or owner of the workspace (users.info; needs <c>users:read</c>).</summary>
    internal async Task<bool> IsWorkspaceAdminAsync(string user, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("users.info", () => new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user }), _options.BotToken!, cancellationToken)
            .ConfigureAwait(false);
        return response.User is { ValueKind: JsonValueKind.Object } info && info.Deserialize(SlackJsonContext.Default.SlackUser) is { } found
            && (found.IsAdmin == true || found.IsOwner == true || found.IsPrimaryOwner == true);
    }

    /// <summary>Opens a modal for the person who just pressed a button (its trigger lives 3 seconds).</summary>
    internal Task OpenViewAsync(ViewsOpen view, CancellationToken cancellationToken = default) =>
        CallAsync("views.open", JsonSerializer.Serialize(view, SlackJsonContext.Default.ViewsOpen), _options.BotToken!, cancellationToken);

    internal Task PostEphemeralAsync(PostEphemeral message, CancellationToken cancellationToken = default) =>
        CallAsync("chat.postEphemeral", JsonSerializer.Serialize(message, SlackJsonContext.Default.PostEphemeral), _options.BotToken!, cancellationToken);

    /// <summary>Answers a slash command later through its <c>response_url</c> (up to 5 times within 30 minutes).</summary>
    internal async Task RespondAsync(string responseUrl, CommandResponse response, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new SlackApiException("response_url", "not an http(s) URL");
        }

        var json = JsonSerializer.Serialize(response, SlackJsonContext.Default.CommandResponse);
        // Like a posted message, an answer through response_url is never sent twice.
        await SendAsync("response_url", url, () => Json(json), null, SlackJsonContext.Default.ApiResponse, cancellationToken, mayRepeat: false)
            .ConfigureAwait(false);
    }

    private Task<ApiResponse> CallAsync(string method, string json, string token, CancellationToken cancellationToken) =>
        CallAsync(method, () => Json(json), token, cancellationToken);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<ApiResponse> CallAsync(string method, Func<HttpContent> content, string token, CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, new Uri(_options.ApiBaseUrl + method), content, token, SlackJsonContext.Default.ApiResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new SlackApiException(method, "an empty answer");
        return response.Ok ? response : throw new SlackApiException(method, response.Error ?? "unknown_error");
    }

    private async Task<ApiResponse?> SendAsync(
        string method, Uri url, Func<HttpContent> content, string? token, JsonTypeInfo<ApiResponse> type, CancellationToken cancellationToken, bool mayRepeat = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException && attempt < MaxAttempts
                && (mayRepeat || ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }))
            {
                var wait = Backoff(attempt);
                LogRetry(method, ex.Message, wait);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
                {
                    var wait = RetryAfter(response.Headers);
                    LogRateLimited(method, wait, attempt);
                    _health?.RateLimited(SlackChannels.Name);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if ((int)response.StatusCode >= 500 && attempt < MaxAttempts && mayRepeat)
                {
                    var wait = Backoff(attempt);
                    LogRetry(method, $"HTTP {(int)response.StatusCode}", wait);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new SlackApiException(method, response.StatusCode == HttpStatusCode.TooManyRequests ? "ratelimited" : $"HTTP {(int)response.StatusCode}");
                }

                // response_url answers "ok" as plain text; the Web API answers JSON.
                try
                {
                    return text.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize(text, type) : new ApiResponse(true, null, null, null, null, null);
                }
                catch (JsonException)
                {
                    throw new SlackApiException(method, "an answer that is not JSON");
                }
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        return headers.TryGetValues("Retry-After", out var values) && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(1);
    }

    private static TimeSpan Backoff(int attempt) => Core.Retries.Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Random.Shared.NextDouble());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack rate limit on {Method}: waiting {Wait} (attempt {Attempt})")]
    private partial void LogRateLimited(string method, TimeSpan wait, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} failed ({Reason}); retrying in {Wait}")]
    private partial void LogRetry(string method, string reason, TimeSpan wait);
}

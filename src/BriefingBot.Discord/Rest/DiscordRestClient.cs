using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BriefingBot.Chat.Platforms;
using BriefingBot.Discord;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Discord.Rest;

/// <summary>
/// Discord's REST API with its rate limits: per-route buckets from the <c>X-RateLimit-*</c> headers, the global
/// limit, 429s waited out (<c>retry_after</c>), 5xx retried with backoff, and a stop well before the invalid-request
/// limit that gets an IP banned. https://discord.com/developers/docs/topics/rate-limits
/// </summary>
public sealed partial class DiscordRestClient
{
    public const string HttpClientName = DiscordChannels.Name;
    private const int MaxAttempts = 5;

    // Discord bans an IP for a while after 10,000 invalid requests (401, 403, 429) in 10 minutes; stop far below.
    private const int InvalidRequestBudget = 5_000;
    private static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly RateLimits _limits;
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly Lock _invalidGate = new();

    private readonly PlatformHealth? _health;

    public DiscordRestClient(IHttpClientFactory factory, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger, PlatformHealth? health = null)
    {
        _health = health;
        _http = factory.CreateClient(HttpClientName);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _limits = new RateLimits(time);
    }

    internal Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "gateway/bot", "gateway/bot", null, DiscordJsonContext.Default.GatewayBotInfo, cancellationToken)!;

    /// <summary>The bot's own user: https://discord.com/developers/docs/resources/user#get-current-user</summary>
    internal Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "users/@me", "users/@me", null, DiscordJsonContext.Default.DiscordUser, cancellationToken)!;

    internal Task<CreatedMessage?> CreateMessageAsync(string channelId, MessagePayload message, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"channels/{channelId}/messages", $"channels/{channelId}/messages", Body(message, DiscordJsonContext.Default.MessagePayload),
            DiscordJsonContext.Default.CreatedMessage, cancellationToken);

    /// <summary>Up to 100 messages of a channel posted after <paramref name="since"/> (needs Read Message History).</summary>
    internal async Task<List<DiscordMessage>> GetMessagesAsync(string channelId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        // Snowflakes carry their time: milliseconds since Discord's epoch (2015-01-01), shifted left by 22 bits.
        var after = (ulong)Math.Max(0, since.ToUnixTimeMilliseconds() - 1_420_070_400_000L) << 22;
        return await SendAsync(HttpMethod.Get, $"channels/{channelId}/messages?after={after}&limit=100", $"channels/{channelId}/messages", null,
            DiscordJsonContext.Default.ListDiscordMessage, cancellationToken).ConfigureAwait(false) ?? [];
    }

    internal Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Post, $"channels/{channelId}/typing", $"channels/{channelId}/typing", null, null, cancellationToken);

    internal Task OverwriteCommandsAsync(string applicationId, string? guildId, List<ApplicationCommand> commands, CancellationToken cancellationToken = default)
    {
        var path = guildId is null ? $"applications/{applicationId}/commands" : $"applications/{applicationId}/guilds/{guildId}/commands";
        return SendAsync<object>(HttpMethod.Put, path, path, Body(commands, DiscordJsonContext.Default.ListApplicationCommand), null, cancellationToken);
    }

    internal async Task RespondAsync(string interactionId, string token, InteractionResponse response, CancellationToken cancellationToken = default)
    {
        try
        {
            // Each interaction is limited on its own: one user's autocomplete keystrokes never hold up another's defer.
            // A callback may be sent again (a reused connection that closed under it, a 5xx): Discord refuses a second
            // one with 40060, below, so a repeat can never answer twice.
            await SendAsync<object>(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback", $"interactions/{interactionId}/callback",
                Body(response, DiscordJsonContext.Default.InteractionResponse), null, cancellationToken, global: false).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.Code == 40060)
        {
            // "Interaction has already been acknowledged": an earlier try got through. That is what was wanted.
        }
    }

    /// <summary>
    /// Edits the deferred response into the answer. A deferral sent as the HTTP reply to an interaction reaches
    /// Discord after that reply is written, so a fast answer can arrive first and meet 10015 Unknown Webhook: it is
    /// sent again after a short wait, a few times (an edit is the same however often it is made).
    /// </summary>
    internal async Task EditOriginalAsync(string token, MessagePayload message, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync<object>(HttpMethod.Patch, $"webhooks/{_options.ApplicationId}/{token}/messages/@original", $"webhooks/{_options.ApplicationId}/{token}",
                    Body(message, DiscordJsonContext.Default.MessagePayload), null, cancellationToken, global: false).ConfigureAwait(false);
                return;
            }
            catch (DiscordRestException ex) when (ex.Code == 10015 && attempt < 4)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal Task FollowUpAsync(string token, MessagePayload message, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Post, $"webhooks/{_options.ApplicationId}/{token}", $"webhooks/{_options.ApplicationId}/{token}",
            Body(message, DiscordJsonContext.Default.MessagePayload), null, cancellationToken, global: false, mayRepeat: false);

    private static Func<HttpContent> Body<T>(T value, JsonTypeInfo<T> type) =>
        () => new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    /// <param name="route">The rate-limit route: the path with its major parameter (channel, guild, webhook) and nothing else that varies.</param>
    /// <param name="global">False for interaction endpoints, which the global limit exempts.</param>
    /// <param name="mayRepeat">
    /// False for a POST that has no way to be recognised when sent twice (a follow-up, a message): after
    /// a timeout or a 5xx it may have landed, so it is not sent again — a logged loss, never a double answer. It is
    /// still retried when the connection could not even be made, and after a 429, which Discord did not act on.
    /// </param>
    private async Task<T?> SendAsync<T>(
        HttpMethod method,
        string path,
        string route,
        Func<HttpContent>? body,
        JsonTypeInfo<T>? resultType,
        CancellationToken cancellationToken,
        bool global = true,
        bool mayRepeat = true)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            CheckInvalidBudget();
            await _limits.WaitAsync(method.Method + " " + route, global, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, $"{_options.ApiBaseUrl.TrimEnd('/')}/{path}") { Content = body?.Invoke() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
            request.Headers.UserAgent.ParseAdd("DiscordBot (https://github.com/briefingbot/briefingbot, 1.0)");

            HttpResponseMessage response;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException && attempt < MaxAttempts
                && (mayRepeat || ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }))
            {
                var wait = Backoff(attempt);
                LogTransportRetry(method.Method, Redact(route), ex.Message, wait);
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                _limits.Update(method.Method + " " + route, response.Headers);
                var status = (int)response.StatusCode;
                // A 429 on a shared resource limit (X-RateLimit-Scope: shared) does not count against the bot.
                if (status is 401 or 403 || (status == 429 && !IsSharedScope(response.Headers)))
                {
                    CountInvalid();
                }

                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var limit = ParseRateLimit(text, response.Headers);
                    _limits.Exceeded(method.Method + " " + route, limit.RetryAfter, limit.Global);
                    LogRateLimited(method.Method, Redact(route), limit.RetryAfter, limit.Global, attempt);
                    _health?.RateLimited(DiscordChannels.Name);
                    if (attempt >= MaxAttempts)
                    {
                        throw new DiscordRestException(status, null, $"still rate limited after {attempt} attempts");
                    }

                    if (limit.Global && !global)
                    {
                        // A route exempt from the global limit does not wait for it in WaitAsync; this 429 says it must.
                        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, limit.RetryAfter)), _time, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                if (status >= 500 && attempt < MaxAttempts && mayRepeat)
                {
                    var wait = Backoff(attempt);
                    LogServerError(method.Method, Redact(route), status, wait);
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    var error = TryParse(text, DiscordJsonContext.Default.ErrorBody);
                    throw new DiscordRestException(status, error?.Code, error?.Message ?? Describe(response.StatusCode));
                }

                return resultType is null || text.Length == 0 ? null : TryParse(text, resultType);
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => Core.Retries.Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Random.Shared.NextDouble());

    private static bool IsSharedScope(HttpResponseHeaders headers) =>
        headers.TryGetValues("X-RateLimit-Scope", out var scope) && scope.Contains("shared", StringComparer.OrdinalIgnoreCase);

    /// <summary>The route without the interaction token a webhook route carries: it lets anyone post as the app.</summary>
    private static string Redact(string route) => WebhookToken().Replace(route, "$1{token}");

    [System.Text.RegularExpressions.GeneratedRegex(@"(webhooks/\d+/)[^/]+")]
    private static partial System.Text.RegularExpressions.Regex WebhookToken();

    private static RateLimitBody ParseRateLimit(string text, HttpResponseHeaders headers)
    {
        var body = TryParse(text, DiscordJsonContext.Default.RateLimitBody);
        var global = body?.Global == true || (headers.TryGetValues("X-RateLimit-Global", out var g) && g.Contains("true", StringComparer.OrdinalIgnoreCase));
        var retryAfter = body?.RetryAfter
            ?? (headers.TryGetValues("Retry-After", out var r) && double.TryParse(r.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 1);
        return new RateLimitBody(body?.Message, Math.Max(0, retryAfter), global);
    }

    private static T? TryParse<T>(string text, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "the token was refused (Discord:Token)",
        HttpStatusCode.Forbidden => "the bot lacks the permission for this",
        HttpStatusCode.NotFound => "no such channel, message or interaction",
        _ => status.ToString(),
    };

    private void CountInvalid()
    {
        lock (_invalidGate)
        {
            _invalid.Enqueue(_time.GetUtcNow());
        }
    }

    private void CheckInvalidBudget()
    {
        var now = _time.GetUtcNow();
        lock (_invalidGate)
        {
            while (_invalid.Count > 0 && now - _invalid.Peek() > InvalidRequestWindow)
            {
                _invalid.Dequeue();
            }

            if (_invalid.Count >= InvalidRequestBudget)
            {
                throw new DiscordRestException(429, null,
                    $"{_invalid.Count} refused requests in 10 minutes; pausing requests so Discord does not ban this address");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord rate limit on {Method} {Route}: waiting {RetryAfter} s (global: {Global}, attempt {Attempt})")]
    private partial void LogRateLimited(string method, string route, double retryAfter, bool global, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord answered {Status} to {Method} {Route}; retrying in {Delay}")]
    private partial void LogServerError(string method, string route, int status, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaching Discord for {Method} {Route} failed ({Reason}); retrying in {Delay}")]
    private partial void LogTransportRetry(string method, string route, string reason, TimeSpan delay);
}

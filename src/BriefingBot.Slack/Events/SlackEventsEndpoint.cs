using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack.Events;

/// <summary>
/// Checks Slack's request signature: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> with the signing
/// secret, compared in constant time; a timestamp more than 5 minutes from now is refused (replays).
/// https://api.slack.com/authentication/verifying-requests-from-slack
/// </summary>
public sealed class SlackSignature(string signingSecret, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret);

    public bool IsValid(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        // A timestamp outside what a date can hold (999999999999) is as invalid as a stale one, not an exception.
        if (signature is null || !signature.StartsWith("v0=", StringComparison.Ordinal) || !long.TryParse(timestamp, out var seconds)
            || seconds < 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        if ((time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxAge)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, signed)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}

/// <summary>
/// The Events API and slash commands over HTTP: signature checked (401 when it fails), <c>url_verification</c>
/// answered with its challenge, every request acknowledged within Slack's 3 seconds and the work done after; a retry
/// (<c>X-Slack-Retry-Num</c>) of an event already taken is acknowledged and not answered again.
/// </summary>
public sealed partial class SlackEventsEndpoint(SlackBot bot, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackEventsEndpoint> logger) : IWebhookEndpoint
{
    private readonly SlackSignature? _signature = options.Value.HttpMode ? new SlackSignature(options.Value.SigningSecret!, time) : null;

    public string? Url => options.Value.HttpMode ? options.Value.EventsUrl : null;

    public async Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default)
    {
        if (_signature is null || !_signature.IsValid(request.Header("X-Slack-Signature"), request.Header("X-Slack-Request-Timestamp"), request.Body))
        {
            LogRejected();
            return new WebhookResponse(401, """{"error":"invalid signature"}""");
        }

        var contentType = request.Header("Content-Type") ?? string.Empty;
        var body = Encoding.UTF8.GetString(request.Body);
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await CommandAsync(body, cancellationToken).ConfigureAwait(false);
        }

        EventCallback? callback;
        try
        {
            callback = JsonSerializer.Deserialize(body, SlackJsonContext.Default.EventCallback);
        }
        catch (JsonException ex)
        {
            LogMalformed(ex.Message);
            return new WebhookResponse(400, """{"error":"malformed event"}""");
        }

        if (callback?.Type == "url_verification")
        {
            return new WebhookResponse(200, callback.Challenge ?? string.Empty, "text/plain");
        }

        if (request.Header("X-Slack-Retry-Num") is { } retry)
        {
            LogRetry(retry, request.Header("X-Slack-Retry-Reason") ?? "unknown");
        }

        // The bot remembers event ids, so a retry of an event already taken is acknowledged and not answered twice.
        bot.HandleEventCallback(callback, CancellationToken.None);
        return new WebhookResponse(200, Headers: new Dictionary<string, string> { ["X-Slack-No-Retry"] = "1" });
    }

    private async Task<WebhookResponse> CommandAsync(string form, CancellationToken cancellationToken)
    {
        var fields = HttpUtility.ParseQueryString(form);
        if (fields["payload"] is { } json)
        {
            // Interactivity (a button, a modal) posts its payload as one form field; the same URL may serve it.
            InteractivePayload? interactive;
            try
            {
                interactive = JsonSerializer.Deserialize(json, SlackJsonContext.Default.InteractivePayload);
            }
            catch (JsonException ex)
            {
                LogMalformed(ex.Message);
                return new WebhookResponse(400, """{"error":"malformed payload"}""");
            }

            if (interactive is not null)
            {
                bot.StartInteractive(interactive);
            }

            return new WebhookResponse(200);
        }

        var command = new SlashCommand(fields["command"], fields["text"], fields["user_id"], fields["channel_id"], fields["response_url"], fields["team_id"]);
        var inline = await bot.StartCommandAsync(command, CancellationToken.None).ConfigureAwait(false);
        return inline is null
            ? new WebhookResponse(200)
            : new WebhookResponse(200, JsonSerializer.Serialize(inline, SlackJsonContext.Default.CommandResponse));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an HTTP request from Slack whose signature or timestamp did not verify")]
    private partial void LogRejected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a malformed Slack event: {Reason}")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack retried an event (attempt {Retry}, {Reason})")]
    private partial void LogRetry(string retry, string reason);
}

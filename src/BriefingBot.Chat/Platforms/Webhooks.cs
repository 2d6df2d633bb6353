namespace BriefingBot.Chat.Platforms;

/// <summary>An HTTP request a platform sent to the bot, as the adapter needs it: headers by name and the raw body (signatures cover it byte for byte).</summary>
public sealed record WebhookRequest(Func<string, string?> Header, byte[] Body);

/// <summary>The HTTP reply to a platform's request.</summary>
public sealed record WebhookResponse(int Status, string? Body = null, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>An HTTP endpoint a platform calls (Discord interactions, Slack events and commands); the host serves every one that has a URL.</summary>
public interface IWebhookEndpoint
{
    /// <summary>Where to listen, e.g. <c>http://0.0.0.0:8080/slack/events</c>; null when the endpoint is off.</summary>
    string? Url { get; }

    Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default);
}

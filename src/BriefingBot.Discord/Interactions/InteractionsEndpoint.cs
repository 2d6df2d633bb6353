using System.Text.Json;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Discord.Interactions;

/// <summary>
/// Interactions over HTTP: the signature checked (401 when it fails, as Discord tests on purpose), PING answered with
/// PONG, and everything else handed to the bot, whose first response becomes the HTTP reply.
/// https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
/// </summary>
public sealed partial class InteractionsEndpoint(DiscordBot bot, IOptions<DiscordOptions> options, ILogger<InteractionsEndpoint> logger) : IWebhookEndpoint
{
    // Discord waits 3 seconds for the first response; answer before that or fail clearly.
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(2500);

    private readonly InteractionSignature? _signature = options.Value.PublicKey is { Length: 64 } key ? new InteractionSignature(key) : null;

    public string? Url => string.IsNullOrWhiteSpace(options.Value.InteractionsUrl) || !options.Value.Enabled ? null : options.Value.InteractionsUrl;

    public async Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default)
    {
        var body = request.Body;
        if (_signature is null || !_signature.IsValid(request.Header("X-Signature-Ed25519"), request.Header("X-Signature-Timestamp"), body))
        {
            LogRejected();
            return new WebhookResponse(401, """{"error":"invalid request signature"}""");
        }

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.Interaction);
        }
        catch (JsonException ex)
        {
            LogMalformed(ex.Message);
            return new WebhookResponse(400, """{"error":"malformed interaction"}""");
        }

        if (interaction is null)
        {
            return new WebhookResponse(400, """{"error":"malformed interaction"}""");
        }

        var first = new TaskCompletionSource<InteractionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The work goes on after the HTTP reply (the deferred answer is edited in later), so it must not end with the request.
        bot.StartInteraction(interaction, response =>
        {
            first.TrySetResult(response);
            return Task.CompletedTask;
        });

        try
        {
            var response = await first.Task.WaitAsync(Deadline, cancellationToken).ConfigureAwait(false);
            return new WebhookResponse(200, JsonSerializer.Serialize(response, DiscordJsonContext.Default.InteractionResponse));
        }
        catch (TimeoutException)
        {
            // A duplicate delivery, or an interaction type the bot does not answer.
            return new WebhookResponse(204);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an HTTP interaction whose signature did not verify")]
    private partial void LogRejected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a malformed HTTP interaction: {Reason}")]
    private partial void LogMalformed(string reason);
}

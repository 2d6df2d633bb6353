using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Slack;

/// <summary>Settings of the <c>Slack</c> section. Tokens and the signing secret come from the environment (<c>Slack__BotToken</c>).</summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string Section = "Slack";

    /// <summary>The bot token (<c>xoxb-…</c>); the adapter runs only when it is set.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>) for Socket Mode: no public URL needed.</summary>
    public string? AppToken { get; set; }

    /// <summary>Web API base, ending in a slash; a proxy or a test server may stand in for Slack.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>The signing secret: with it, the Events API and slash commands are also served over HTTP at <see cref="EventsUrl"/>.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Where to listen for HTTP events and commands when <see cref="SigningSecret"/> is set.</summary>
    public string EventsUrl { get; set; } = "http://0.0.0.0:3000/slack/events";

    /// <summary>Slash-command answers visible to the whole channel; by default only the person who asked sees them.</summary>
    public bool CommandAnswersInChannel { get; set; }

    /// <summary>Slack user ids allowed to change channels' settings besides the workspace's admins and owners.</summary>
    public List<string> AdminUsers { get; set; } = [];

    /// <summary>The reaction that shows the bot is working on a question, removed when the answer is posted.</summary>
    public string WorkingReaction { get; set; } = "eyes";

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public bool SocketMode => Enabled && !string.IsNullOrWhiteSpace(AppToken);

    public bool HttpMode => Enabled && !string.IsNullOrWhiteSpace(SigningSecret);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!BotToken!.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            yield return new ValidationResult("Slack:BotToken must be a bot token (xoxb-…).", [nameof(BotToken)]);
        }

        if (!string.IsNullOrWhiteSpace(AppToken) && !AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            yield return new ValidationResult("Slack:AppToken must be an app-level token (xapp-…) with connections:write.", [nameof(AppToken)]);
        }

        if (!SocketMode && !HttpMode)
        {
            yield return new ValidationResult("Slack needs Slack:AppToken (Socket Mode) or Slack:SigningSecret (HTTP events) beside Slack:BotToken.", [nameof(AppToken)]);
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp) || !ApiBaseUrl.EndsWith('/'))
        {
            yield return new ValidationResult("Slack:ApiBaseUrl must be an absolute http(s) URL ending in a slash.", [nameof(ApiBaseUrl)]);
        }

        if (HttpMode && !Uri.TryCreate(EventsUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Slack:EventsUrl must be an absolute URL to listen on.", [nameof(EventsUrl)]);
        }

        if (string.IsNullOrWhiteSpace(WorkingReaction) || RequestTimeout <= TimeSpan.Zero || MaxReconnectDelay <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Slack:WorkingReaction must be an emoji name and Slack:RequestTimeout and Slack:MaxReconnectDelay positive durations.", [nameof(WorkingReaction)]);
        }
    }
}

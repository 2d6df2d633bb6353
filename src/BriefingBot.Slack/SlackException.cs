using BriefingBot.Core;

namespace BriefingBot.Slack;

/// <summary>A Web API call came back <c>ok: false</c>; <see cref="Error"/> is Slack's error code.</summary>
public sealed class SlackApiException(string method, string error) : BriefingBotException($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    /// <summary>The channel is gone, archived or closed to the bot: retrying will not help.</summary>
    public bool ChannelUnavailable => Error is "channel_not_found" or "not_in_channel" or "is_archived" or "restricted_action" or "access_denied";

    /// <summary>The token is refused: nothing will work until the settings change.</summary>
    public bool TokenRefused => Error is "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired";
}

/// <summary>Socket Mode was turned off for the app (<c>link_disabled</c>), or the app token was refused.</summary>
public sealed class SlackSocketModeException(string message) : BriefingBotException(message);

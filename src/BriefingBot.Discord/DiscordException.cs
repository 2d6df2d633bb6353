using BriefingBot.Core;

namespace BriefingBot.Discord;

/// <summary>Discord refused a REST request; <see cref="Code"/> is Discord's JSON error code when it sent one.</summary>
public sealed class DiscordRestException(int status, int? code, string message)
    : BriefingBotException($"Discord answered {status}{(code is null ? string.Empty : $" (code {code})")}: {message}")
{
    public int Status { get; } = status;

    public int? Code { get; } = code;

    /// <summary>The channel is gone or the bot may not post there: retrying will not help.</summary>
    public bool ChannelUnavailable => Status is 403 or 404;
}

/// <summary>The gateway closed with a code that must not be retried (bad token, bad intents, bad shard).</summary>
public sealed class DiscordGatewayException(int closeCode, string message) : BriefingBotException(message)
{
    public int CloseCode { get; } = closeCode;
}

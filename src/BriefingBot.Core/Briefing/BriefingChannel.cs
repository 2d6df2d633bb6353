namespace BriefingBot.Core.Briefing;

/// <summary>Where a briefing goes: a platform and, except for the shell chat, a channel id on it.</summary>
public readonly record struct BriefingChannel(string Platform, string Id)
{
    public const string Shell = "shell";
    public const string Discord = "discord";
    public const string Slack = "slack";

    /// <summary>As written in <c>Briefing:Channels</c>: "shell", "discord:&lt;id&gt;" or "slack:&lt;id&gt;".</summary>
    public override string ToString() => Platform == Shell ? Shell : $"{Platform}:{Id}";

    /// <summary>Reads an entry of <c>Briefing:Channels</c>, or says what is wrong with it.</summary>
    public static BriefingChannel Parse(string? value)
    {
        // An entry set to nothing (BRIEFINGBOT_Briefing__Channels__0= in the environment) is a mistake to name, not to skip.
        var text = value?.Trim() ?? string.Empty;
        if (text.Equals(Shell, StringComparison.OrdinalIgnoreCase))
        {
            return new BriefingChannel(Shell, string.Empty);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var platform = colon < 0 ? text.ToLowerInvariant() : text[..colon].Trim().ToLowerInvariant();
        var id = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        return platform switch
        {
            // Discord ids are snowflakes: decimal numbers (https://discord.com/developers/docs/reference#snowflakes).
            Discord when id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit) => new BriefingChannel(Discord, id),
            Discord => throw Invalid(value, "a Discord channel is discord:<channel id>, the channel's number (Developer Mode → Copy Channel ID)"),

            // Slack conversation ids: C… (channel), G… (private), D… (direct message), upper-case letters and digits.
            Slack when id.Length is >= 2 and <= 32 && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) => new BriefingChannel(Slack, id),
            Slack => throw Invalid(value, "a Slack channel is slack:<channel id> such as slack:C0123456789 (not the #name)"),
            _ => throw Invalid(value, "a channel is \"shell\", \"discord:<channel id>\" or \"slack:<channel id>\""),
        };
    }

    private static BriefingBotException Invalid(string? value, string rule) => new($"Briefing:Channels has \"{value}\": {rule}.");
}

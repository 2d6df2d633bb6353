using BriefingBot.Core.Briefing;

namespace BriefingBot.Discord;

/// <summary>Discord's channels as settings, follows and briefings write them: <c>discord:&lt;channel id&gt;</c>.</summary>
public sealed class DiscordChannels : IPlatformChannels
{
    /// <summary>Discord's name wherever the bot keeps something per platform.</summary>
    public const string Name = "discord";

    public string Platform => Name;

    // Discord ids are snowflakes: decimal numbers (https://discord.com/developers/docs/reference#snowflakes).
    public bool IsChannelId(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit);

    public string Rule => "a Discord channel is discord:<channel id>, the channel's number (Developer Mode → Copy Channel ID)";

    public string NotConfigured => "Discord is not configured (set Discord__Token and Discord__ApplicationId)";
}

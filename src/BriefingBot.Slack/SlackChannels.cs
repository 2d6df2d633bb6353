using BriefingBot.Core.Briefing;

namespace BriefingBot.Slack;

/// <summary>Slack's channels as settings, follows and briefings write them: <c>slack:&lt;channel id&gt;</c>.</summary>
public sealed class SlackChannels : IPlatformChannels
{
    /// <summary>Slack's name wherever the bot keeps something per platform.</summary>
    public const string Name = "slack";

    public string Platform => Name;

    // Slack conversation ids: C… (channel), G… (private), D… (direct message), upper-case letters and digits.
    public bool IsChannelId(string id) => id.Length is >= 2 and <= 32 && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));

    public string Rule => "a Slack channel is slack:<channel id> such as slack:C0123456789 (not the #name)";

    public string NotConfigured => "Slack is not configured (set Slack__BotToken and Slack__AppToken or Slack__SigningSecret)";
}

namespace BriefingBot.Core.Briefing;

/// <summary>
/// How one chat platform's channels are written in settings, follows and briefings ("&lt;platform&gt;:&lt;id&gt;"): its
/// name, which ids are its channels, and what to set for the bot to run on it. Each platform adapter registers its
/// own; the core knows none of them.
/// </summary>
public interface IPlatformChannels
{
    /// <summary>The platform's name as channels are written ("discord" in "discord:123…").</summary>
    string Platform { get; }

    /// <summary>Whether <paramref name="id"/> is written as one of the platform's channel ids.</summary>
    bool IsChannelId(string id);

    /// <summary>How a channel of the platform is written, said to someone who wrote it wrongly.</summary>
    string Rule { get; }

    /// <summary>What to set for the bot to run on the platform, said when a channel names it and it is not set.</summary>
    string NotConfigured { get; }
}

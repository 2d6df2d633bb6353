using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Discord.Formatting;
using BriefingBot.Discord.Rest;

namespace BriefingBot.Discord;

/// <summary>Posts briefings to Discord channels named <c>discord:&lt;channel id&gt;</c> in <c>Briefing:Channels</c>.</summary>
public sealed class DiscordBriefingPoster(DiscordRestClient rest) : IBriefingPoster
{
    public const string Prefix = "discord:";

    public bool Handles(string channel) => channel.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public async Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        var messages = DiscordFormatter.Render(new BriefingReply(briefing));

        // A nonce per channel, window and part: if a retry follows a post Discord took but we never heard back
        // about, Discord returns the message it has instead of posting it again.
        var key = BriefingWindow.PostKey(channel, briefing.To);
        try
        {
            for (var i = 0; i < messages.Count; i++)
            {
                await rest.CreateMessageAsync(channelId, DiscordFormatter.ToPayload(messages[i], nonce: $"b{key}-{i}"), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DiscordRestException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }
}

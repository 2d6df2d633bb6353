using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Slack.Blocks;
using BriefingBot.Slack.WebApi;

namespace BriefingBot.Slack;

/// <summary>Posts briefings to Slack channels named <c>slack:&lt;channel id&gt;</c> in <c>Briefing:Channels</c>.</summary>
public sealed class SlackBriefingPoster(SlackWebApi api) : IBriefingPoster
{
    public const string Prefix = "slack:";

    public bool Handles(string channel) => channel.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public async Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        try
        {
            foreach (var message in SlackFormatter.Render(new BriefingReply(briefing)))
            {
                await api.PostMessageAsync(new PostMessage(channelId, message.Text, message.Blocks), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SlackApiException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }
}

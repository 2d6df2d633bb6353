using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Slack.Blocks;
using BriefingBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Slack;

/// <summary>
/// Posts briefings to Slack channels named <c>slack:&lt;channel id&gt;</c> in <c>Briefing:Channels</c>. Each part carries
/// metadata naming the briefing; before posting, the channel's recent history is checked for parts already there,
/// so a post that went out just before a crash (and never reached the ledger) is not posted again.
/// </summary>
public sealed partial class SlackBriefingPoster(SlackWebApi api, TimeProvider time, ILogger<SlackBriefingPoster> logger)
    : IBriefingPoster, Core.Follows.IChannelPoster
{
    public const string Prefix = SlackChannels.Name + ":";
    private const string EventType = "briefingbot_briefing";

    public bool Handles(string channel) => channel.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public async Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        var key = BriefingWindow.PostKey(channel, briefing.To);
        var messages = SlackFormatter.Render(new BriefingReply(briefing));
        try
        {
            var posted = await PostedPartsAsync(channelId, key, briefing.To, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < messages.Count; i++)
            {
                if (posted.Contains(i))
                {
                    LogAlreadyPosted(i + 1, messages.Count, channel);
                    continue;
                }

                var metadata = new MessageMetadata(EventType, new BriefingPart(key, i, messages.Count));
                await api.PostMessageAsync(new PostMessage(channelId, messages[i].Text, messages[i].Blocks, Metadata: metadata), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SlackApiException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }

    /// <summary>Posts a reply that answers nobody (followed topics' new articles), split to Slack's limits.</summary>
    public async Task PostAsync(string channel, ChatReply reply, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        try
        {
            foreach (var message in SlackFormatter.Render(reply))
            {
                await api.PostMessageAsync(new PostMessage(channelId, message.Text, message.Blocks), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SlackApiException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }

    private async Task<HashSet<int>> PostedPartsAsync(string channelId, string key, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            // Parts of this briefing can only have gone out after its window closed.
            var since = (to < time.GetUtcNow() ? to : time.GetUtcNow()) - TimeSpan.FromMinutes(5);
            var history = await api.HistoryAsync(channelId, since, cancellationToken).ConfigureAwait(false);
            return history
                .Where(m => m.Metadata is { EventType: EventType, EventPayload.Key: var k } && k == key)
                .Select(m => m.Metadata!.EventPayload!.Part)
                .ToHashSet();
        }
        catch (SlackApiException ex) when (!ex.ChannelUnavailable && !ex.TokenRefused)
        {
            // Without channels:history the check cannot be made; post, as the ledger alone would.
            LogHistoryUnavailable(channelId, ex.Error);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Part {Part} of {Parts} of the briefing is already in {Channel}; not posting it again")]
    private partial void LogAlreadyPosted(int part, int parts, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the history of {Channel} to check for an earlier post of this briefing ({Error}); posting")]
    private partial void LogHistoryUnavailable(string channel, string error);
}

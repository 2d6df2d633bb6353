using System.Numerics;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Discord.Formatting;
using BriefingBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Discord;

/// <summary>
/// Posts briefings to Discord channels named <c>discord:&lt;channel id&gt;</c> in <c>Briefing:Channels</c>. A briefing
/// that went out just before a crash (so the ledger never recorded it) is not posted again: the parts already in the
/// channel are found by the briefing's first line, and each part carries a nonce Discord enforces for a few minutes.
/// </summary>
public sealed partial class DiscordBriefingPoster(DiscordRestClient rest, DiscordBot bot, TimeProvider time, ILogger<DiscordBriefingPoster> logger)
    : IBriefingPoster, Core.Follows.IChannelPoster
{
    public const string Prefix = DiscordChannels.Name + ":";

    public bool Handles(string channel) => channel.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public async Task PostAsync(string channel, Briefing briefing, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        var messages = DiscordFormatter.Render(new BriefingReply(briefing));
        var key = BriefingWindow.PostKey(channel, briefing.To);
        try
        {
            var posted = await PostedPartsAsync(channelId, messages, briefing.To, cancellationToken).ConfigureAwait(false);
            if (posted > 0)
            {
                LogAlreadyPosted(posted, messages.Count, channel);
            }

            for (var i = posted; i < messages.Count; i++)
            {
                await rest.CreateMessageAsync(channelId, DiscordFormatter.ToPayload(messages[i], nonce: $"b{key}-{i}"), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DiscordRestException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }

    /// <summary>Posts a reply that answers nobody (followed topics' new articles), split to Discord's limits.</summary>
    public async Task PostAsync(string channel, ChatReply reply, CancellationToken cancellationToken = default)
    {
        var channelId = channel[Prefix.Length..];
        try
        {
            foreach (var message in DiscordFormatter.Render(reply))
            {
                await rest.CreateMessageAsync(channelId, DiscordFormatter.ToPayload(message), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DiscordRestException ex) when (ex.ChannelUnavailable)
        {
            throw new ChannelUnavailableException(channel, ex.Message);
        }
    }

    /// <summary>How many parts of this briefing are in the channel already: the bot's messages from its first part on.</summary>
    private async Task<int> PostedPartsAsync(string channelId, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (messages[0].Content is not { } header)
        {
            return 0;
        }

        List<DiscordMessage> recent;
        try
        {
            // Parts of this briefing can only have gone out after its window closed.
            var since = (to < time.GetUtcNow() ? to : time.GetUtcNow()) - TimeSpan.FromMinutes(5);
            recent = await rest.GetMessagesAsync(channelId, since, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (!ex.ChannelUnavailable || ex.Status == 403)
        {
            // Without Read Message History the check cannot be made; post, as the ledger alone would.
            LogHistoryUnavailable(channelId, ex.Message);
            return 0;
        }

        bool Ours(DiscordMessage m) => bot.BotUserId is { } me ? m.Author.Id == me : m.Author.Bot == true;
        var ordered = recent.OrderBy(m => BigInteger.Parse(m.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var first = ordered.FindIndex(m => Ours(m) && m.Content == header);
        if (first < 0)
        {
            return 0;
        }

        // The parts after the first are the bot's messages without text or reference that follow it; anything else
        // the bot posted there since (an answer) ends the run.
        var posted = 1;
        foreach (var message in ordered.Skip(first + 1).Where(Ours))
        {
            if (!string.IsNullOrEmpty(message.Content) || message.MessageReference is not null || posted == messages.Count)
            {
                break;
            }

            posted++;
        }

        return posted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Posted} of {Parts} parts of the briefing are in {Channel} already; not posting them again")]
    private partial void LogAlreadyPosted(int posted, int parts, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the messages of {Channel} to check for an earlier post of this briefing ({Reason}); posting")]
    private partial void LogHistoryUnavailable(string channel, string reason);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using BriefingBot.Chat;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Quotes;
using BriefingBot.Discord.Formatting;
using BriefingBot.Discord.Gateway;
using BriefingBot.Discord.Interactions;
using BriefingBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Discord;

/// <summary>
/// What the bot does with Discord's events: answers mentions and DMs in a reply (typing while it looks) and
/// follow-ups in context — in the same channel, in a reply to an answer, or in a thread started from an answer — answers
/// slash commands (deferred, then the original response edited), suggests speakers as they are typed. Its own and
/// other bots' messages are ignored, and an event delivered twice is answered once.
/// </summary>
public sealed partial class DiscordBot(
    ChatPipeline pipeline,
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordBot> logger,
    Core.Feedback.FeedbackRecorder? feedback = null,
    Core.Settings.ChannelSettingsService? settings = null,
    Core.Coordination.IEventMemory? handledEvents = null)
{
    private const int Ephemeral = 1 << 6;

    private const int NotFollowedKept = 10_000;
    private static readonly TimeSpan NotFollowedFor = TimeSpan.FromMinutes(1);

    // A typing indicator lasts 10 seconds; renew it before it goes out.
    private static readonly TimeSpan TypingRenewal = TimeSpan.FromSeconds(8);

    private readonly HandledEvents _seen = new(time, logger, handledEvents);
    private readonly BackgroundWork _work = new();
    private readonly DiscordOptions _options = options.Value;

    // Channels found not followed by any instance, until when that answer stands.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _notFollowed = new(StringComparer.Ordinal);

    /// <summary>The bot's user id, from READY (or asked for, when every shard here resumed); messages mentioning it are questions.</summary>
    public string? BotUserId { get; private set; }

    /// <summary>Asks Discord who the bot is, for an instance whose shards resume sessions other instances began (no READY).</summary>
    internal async Task LearnBotUserAsync(CancellationToken cancellationToken) =>
        BotUserId ??= (await rest.GetCurrentUserAsync(cancellationToken).ConfigureAwait(false)).Id;

    /// <summary>Takes a gateway dispatch; the work it starts runs in the background so the gateway keeps reading.</summary>
    public Task HandleDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (dispatch.Type)
            {
                case "READY":
                    BotUserId = dispatch.Data.Deserialize(DiscordJsonContext.Default.ReadyData)?.User.Id ?? BotUserId;
                    break;
                case "MESSAGE_CREATE":
                    if (dispatch.Data.Deserialize(DiscordJsonContext.Default.DiscordMessage) is not { } message)
                    {
                        break;
                    }

                    if (IsQuestion(message))
                    {
                        if (_seen.FirstTimeHere("message:" + message.Id))
                        {
                            _work.Start(() => AnswerMessageAsync(message, cancellationToken));
                        }
                    }
                    else if (MayFollowUp(message))
                    {
                        // Perhaps a thread another instance answered in (before a shard moved): asked in the background.
                        _work.Start(async () =>
                        {
                            if (await FollowedElsewhereAsync(message.ChannelId, cancellationToken).ConfigureAwait(false) && _seen.FirstTimeHere("message:" + message.Id))
                            {
                                await AnswerMessageAsync(message, cancellationToken).ConfigureAwait(false);
                            }
                        });
                    }

                    break;
                case "INTERACTION_CREATE":
                    if (dispatch.Data.Deserialize(DiscordJsonContext.Default.Interaction) is { } interaction)
                    {
                        _work.Start(() => HandleInteractionAsync(interaction, response => rest.RespondAsync(interaction.Id, interaction.Token, response, cancellationToken), cancellationToken));
                    }

                    break;
            }
        }
        catch (JsonException ex)
        {
            LogMalformedEvent(dispatch.Type, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One event the bot cannot read must never take the connection down with it.
            LogEventFailed(ex, dispatch.Type);
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for the answers being worked on, so a shutdown doesn't cut one off half-posted.</summary>
    public Task DrainAsync() => _work.DrainAsync();

    // Only what people write (default messages and replies); never bots, webhooks or the bot itself.
    private bool ByAPerson(DiscordMessage message) =>
        message.Author.Bot != true && message.WebhookId is null && message.Author.Id != BotUserId && message.Type is 0 or 19;

    // In a thread started from one of its answers the bot follows the conversation without being mentioned, when it
    // may read message content at all.
    private bool MayFollow(DiscordMessage message) =>
        message.GuildId is not null && _options.MessageContentIntent && !string.IsNullOrWhiteSpace(message.Content);

    private bool IsQuestion(DiscordMessage message) =>
        ByAPerson(message) && (message.GuildId is null || MentionsBot(message) || (MayFollow(message) && pipeline.Follows(DiscordChannels.Name, message.ChannelId)));

    /// <summary>A message this process does not follow, in a channel that may be a thread another instance answered in.</summary>
    private bool MayFollowUp(DiscordMessage message) =>
        ByAPerson(message) && MayFollow(message) && !(_notFollowed.TryGetValue(message.ChannelId, out var until) && until > time.GetUtcNow());

    /// <summary>
    /// Whether another instance on the store answered in <paramref name="channel"/> (a thread started from its answer).
    /// A channel found not followed is not asked about again for a minute: a busy channel costs one look-up a minute.
    /// A thread's id is its first message's, so a channel never becomes a thread from an answer after it was asked about.
    /// </summary>
    private async Task<bool> FollowedElsewhereAsync(string channel, CancellationToken cancellationToken)
    {
        if (await FollowsAnywhereAsync(channel, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var now = time.GetUtcNow();
        if (_notFollowed.Count >= NotFollowedKept)
        {
            foreach (var (key, until) in _notFollowed.Where(e => e.Value <= now).ToList())
            {
                _notFollowed.TryRemove(key, out _);
            }

            if (_notFollowed.Count >= NotFollowedKept)
            {
                _notFollowed.Clear();
            }
        }

        _notFollowed[channel] = now + NotFollowedFor;
        return false;
    }

    /// <summary>
    /// Where a message belongs: a reply to one of the bot's answers, or a message in a thread started from one (a
    /// thread's id is its first message's), continues that answer's conversation — also one another instance gave.
    /// </summary>
    private async Task<ChatPlace> PlaceOfAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        var thread = message.MessageReference?.MessageId is { } replyTo && await FollowsAnywhereAsync(replyTo, cancellationToken).ConfigureAwait(false) ? replyTo
            : await FollowsAnywhereAsync(message.ChannelId, cancellationToken).ConfigureAwait(false) ? message.ChannelId
            : null;
        return new ChatPlace(DiscordChannels.Name, message.ChannelId, message.Author.Id, thread, Direct: message.GuildId is null);
    }

    /// <summary>
    /// Whether <paramref name="id"/> (a thread, or an answer replied to) is a conversation the bot follows here or on
    /// another instance; a store that cannot be asked is logged and counts as no: the message is then answered without
    /// the conversation's context rather than not at all.
    /// </summary>
    private async Task<bool> FollowsAnywhereAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.FollowsAnywhereAsync(DiscordChannels.Name, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFollowLookupFailed(id, ex.Message);
            return false;
        }
    }

    private bool MentionsBot(DiscordMessage message) =>
        BotUserId is { } me && ((message.Mentions?.Any(u => u.Id == me) ?? false) || (message.Content?.Contains($"<@{me}>", StringComparison.Ordinal) ?? false)
            || (message.Content?.Contains($"<@!{me}>", StringComparison.Ordinal) ?? false));

    private async Task AnswerMessageAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        // A shard moving between instances may replay a message the other instance already answered.
        if (!await _seen.FirstTimeAnywhereAsync("discord:message:" + message.Id, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var typing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var typingTask = KeepTypingAsync(message.ChannelId, typing.Token);
        try
        {
            var place = await PlaceOfAsync(message, cancellationToken).ConfigureAwait(false);
            var reply = await pipeline.HandleMessageAsync(message.Content ?? string.Empty, BotUserId, place, cancellationToken).ConfigureAwait(false);
            if (!ChatPipeline.ShouldPost(reply))
            {
                return;
            }

            var messages = DiscordFormatter.Render(reply);
            var buttons = await VoteButtonsAsync(reply, messages, message.ChannelId, cancellationToken).ConfigureAwait(false);
            await typing.CancelAsync().ConfigureAwait(false);
            for (var i = 0; i < messages.Count; i++)
            {
                // The nonce makes Discord refuse a second copy of the same part if this is ever retried.
                var payload = DiscordFormatter.ToPayload(messages[i], replyTo: i == 0 ? message.Id : null, nonce: $"{message.Id}-{i}",
                    components: i == messages.Count - 1 ? buttons : null);
                var posted = await rest.CreateMessageAsync(message.ChannelId, payload, cancellationToken).ConfigureAwait(false);
                if (i == 0 && posted is not null && reply is AnswerReply { Answer: var answer })
                {
                    // Replies to this answer, and a thread started from it, carry the conversation on.
                    await pipeline.ContinueFromAsync(answer, DiscordChannels.Name, posted.Id, cancellationToken).ConfigureAwait(false);
                }
            }

            LogAnswered(message.Id, messages.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception ex)
        {
            LogAnswerFailed(ex, message.Id, message.ChannelId);
        }
        finally
        {
            await typing.CancelAsync().ConfigureAwait(false);
            await typingTask.ConfigureAwait(false);
        }
    }

    private async Task KeepTypingAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await rest.TriggerTypingAsync(channelId, cancellationToken).ConfigureAwait(false);
                await Task.Delay(TypingRenewal, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the answer is ready
        }
        catch (Exception ex)
        {
            // The indicator is a courtesy: failing to show it must not hold up the answer.
            LogTypingFailed(channelId, ex.Message);
        }
    }

    /// <summary>Handles an HTTP interaction in the background, among the work a shutdown waits for.</summary>
    internal void StartInteraction(Interaction interaction, Func<InteractionResponse, Task> respond) =>
        _work.Start(() => HandleInteractionAsync(interaction, respond, CancellationToken.None));

    /// <summary>
    /// Handles an interaction from the gateway or the HTTP endpoint; <paramref name="respond"/> sends the first
    /// response (the callback endpoint, or the HTTP reply itself), which must happen within 3 seconds.
    /// </summary>
    internal async Task HandleInteractionAsync(Interaction interaction, Func<InteractionResponse, Task> respond, CancellationToken cancellationToken)
    {
        try
        {
            // Commands, votes and comments are acted on once, in this process and across instances; pings and
            // autocomplete may be answered as often as they come.
            if (interaction.Type is 2 or 3 or 5 && !await _seen.FirstTimeAsync("discord:interaction:" + interaction.Id, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            switch (interaction.Type)
            {
                case 1:
                    await respond(new InteractionResponse(1)).ConfigureAwait(false);
                    return;
                case 4 when interaction.Data is { } data:
                    await respond(await AutocompleteAsync(interaction, data, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    return;
                case 2 when interaction.Data is { } data:
                    await RunCommandAsync(interaction, data, respond, cancellationToken).ConfigureAwait(false);
                    return;
                case 3 when interaction.Data?.CustomId is { } id && id.StartsWith(DiscordFormatter.VotePrefix, StringComparison.Ordinal):
                    await respond(await VoteAsync(interaction, id[DiscordFormatter.VotePrefix.Length..], cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    return;
                case 5 when interaction.Data?.CustomId is { } id && id.StartsWith(DiscordFormatter.CommentPrefix, StringComparison.Ordinal):
                    await respond(await CommentAsync(interaction, id[DiscordFormatter.CommentPrefix.Length..], cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception ex)
        {
            LogInteractionFailed(ex, interaction.Data?.Name ?? interaction.Type.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Keeps an answer as shown and returns its vote buttons; none for other replies, or when keeping it failed.</summary>
    private async Task<IReadOnlyList<DiscordComponent>?> VoteButtonsAsync(ChatReply reply, IReadOnlyList<OutgoingMessage> messages, string? channelId, CancellationToken cancellationToken)
    {
        if (feedback is null || reply is not AnswerReply { Answer: var answer })
        {
            return null;
        }

        try
        {
            return DiscordFormatter.VoteButtons(await feedback.RememberAsync(DiscordChannels.Name, channelId, answer, DiscordFormatter.Shown(messages), cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The answer matters more than its buttons.
            LogFeedbackFailed(ex);
            return null;
        }
    }

    /// <summary>A 👍 is noted (and said so, to the voter only); a 👎 is noted and opens "what was wrong?".</summary>
    private async Task<InteractionResponse> VoteAsync(Interaction interaction, string vote, CancellationToken cancellationToken)
    {
        var colon = vote.LastIndexOf(':');
        var (answerId, up) = colon < 0 ? (vote, true) : (vote[..colon], vote[(colon + 1)..] != "down");
        var user = interaction.Member?.User?.Id ?? interaction.User?.Id;
        if (feedback is null || user is null || !await feedback.VoteAsync(answerId, DiscordChannels.Name, user, up, cancellationToken).ConfigureAwait(false))
        {
            return Notice("That answer is too old to vote on, sorry.");
        }

        return up ? Notice("Thanks — noted that this answer helped.") : new InteractionResponse(9, DiscordFormatter.CommentModal(answerId));
    }

    private async Task<InteractionResponse> CommentAsync(Interaction interaction, string answerId, CancellationToken cancellationToken)
    {
        var text = interaction.Data?.Components?
            .SelectMany(c => c.Components ?? (c.Component is { } inner ? [inner] : []))
            .FirstOrDefault(c => c.CustomId == "comment")?.Value ?? string.Empty;
        var user = interaction.Member?.User?.Id ?? interaction.User?.Id;
        if (feedback is not null && user is not null)
        {
            await feedback.CommentAsync(answerId, DiscordChannels.Name, user, text, cancellationToken).ConfigureAwait(false);
        }

        return Notice("Thanks — noted what was wrong; it helps make the answers better.");
    }

    private static InteractionResponse Notice(string text) =>
        new(4, new InteractionCallbackData(Content: text, AllowedMentions: AllowedMentions.None(), Flags: Ephemeral));

    private async Task<InteractionResponse> AutocompleteAsync(Interaction interaction, InteractionData data, CancellationToken cancellationToken)
    {
        var typed = Commands.Focused(data)?.Value is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
        var user = interaction.Member?.User?.Id ?? interaction.User?.Id ?? "someone";
        var speakers = await pipeline.SuggestSpeakersAsync(typed, new ChatPlace(DiscordChannels.Name, interaction.ChannelId ?? "dm", user), 25, cancellationToken).ConfigureAwait(false);
        var choices = speakers
            .Select(s => new CommandChoice(TextSplitter.Shorten($"{s.Name} ({s.Quotes} {(s.Quotes == 1 ? "quote" : "quotes")})", 100), TextSplitter.Shorten(s.Name, 100)))
            .DistinctBy(c => c.Value)
            .ToList();
        return new InteractionResponse(8, new InteractionCallbackData(Choices: choices));
    }

    private async Task RunCommandAsync(Interaction interaction, InteractionData data, Func<InteractionResponse, Task> respond, CancellationToken cancellationToken)
    {
        // The channel's own setting over the bot's: answers to commands for everyone, or only who asked.
        var onlyAsker = settings is not null && interaction.ChannelId is { } channelId
            ? (await settings.ForAsync($"{DiscordChannels.Name}:{channelId}", cancellationToken).ConfigureAwait(false)).OnlyAsker
            : null;
        var flags = data.Name == "settings" || (onlyAsker ?? _options.EphemeralReplies) ? Ephemeral : (int?)null;

        // Acknowledge first ("thinking…"): an answer may take longer than the 3 seconds Discord waits.
        await respond(new InteractionResponse(5, new InteractionCallbackData(Flags: flags))).ConfigureAwait(false);
        try
        {
            var user = interaction.Member?.User?.Id ?? interaction.User?.Id ?? "someone";
            // In a server, Manage Server decides; in a direct message the person is the channel's only member.
            var mayManage = interaction.GuildId is null || Commands.MayManage(interaction.Member?.Permissions);
            var reply = await pipeline.HandleAsync(Commands.ToRequest(data, mayManage), new ChatPlace(DiscordChannels.Name, interaction.ChannelId ?? "dm", user), cancellationToken)
                .ConfigureAwait(false);

            var messages = DiscordFormatter.Render(reply);
            var buttons = await VoteButtonsAsync(reply, messages, interaction.ChannelId, cancellationToken).ConfigureAwait(false);
            await rest.EditOriginalAsync(interaction.Token, DiscordFormatter.ToPayload(messages[0], flags: flags, components: messages.Count == 1 ? buttons : null), cancellationToken)
                .ConfigureAwait(false);
            for (var i = 1; i < messages.Count; i++)
            {
                await rest.FollowUpAsync(interaction.Token, DiscordFormatter.ToPayload(messages[i], flags: flags, components: i == messages.Count - 1 ? buttons : null), cancellationToken)
                    .ConfigureAwait(false);
            }

            LogCommandAnswered(data.Name ?? "?", messages.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogInteractionFailed(ex, data.Name ?? "?");

            // Never leave the user looking at "thinking…".
            var error = DiscordFormatter.Render(new ErrorReply("Sorry, that failed while posting the answer; it has been logged. Please try again."))[0];
            await rest.EditOriginalAsync(interaction.Token, DiscordFormatter.ToPayload(error, flags: flags), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Registers the slash commands by bulk overwrite: in <see cref="DiscordOptions.GuildId"/> when set, else globally.</summary>
    public Task RegisterCommandsAsync(CancellationToken cancellationToken = default) =>
        rest.OverwriteCommandsAsync(_options.ApplicationId!, string.IsNullOrWhiteSpace(_options.GuildId) ? null : _options.GuildId, Commands.Definitions, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping an answer for feedback failed; it is posted without vote buttons")]
    private partial void LogFeedbackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the store whether {Id} is a conversation the bot follows: {Reason}")]
    private partial void LogFollowLookupFailed(string id, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered message {MessageId} in {Parts} message(s)")]
    private partial void LogAnswered(string messageId, int parts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered /{Command} in {Parts} message(s)")]
    private partial void LogCommandAnswered(string command, int parts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering message {MessageId} in channel {ChannelId} failed")]
    private partial void LogAnswerFailed(Exception exception, string messageId, string channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling the interaction {Command} failed")]
    private partial void LogInteractionFailed(Exception exception, string command);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Showing the typing indicator in {ChannelId} failed: {Reason}")]
    private partial void LogTypingFailed(string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Event} event failed")]
    private partial void LogEventFailed(Exception exception, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed {Event} event: {Reason}")]
    private partial void LogMalformedEvent(string @event, string reason);
}

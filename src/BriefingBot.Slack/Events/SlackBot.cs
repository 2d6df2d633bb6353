using System.Text.Json;
using System.Text.RegularExpressions;
using BriefingBot.Chat;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using BriefingBot.Slack;
using BriefingBot.Slack.Blocks;
using BriefingBot.Slack.SocketMode;
using BriefingBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Slack.Events;

/// <summary>
/// What the bot does with Slack's events, from Socket Mode or HTTP alike: answers mentions and DMs in the thread of
/// the question (a reaction shows it is working), follow-ups in that thread in context, and slash commands. Its own
/// and other bots' messages are ignored; an event or envelope delivered twice is answered once.
/// </summary>
public sealed partial class SlackBot(
    ChatPipeline pipeline,
    SlackWebApi api,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackBot> logger,
    Core.Feedback.FeedbackRecorder? feedback = null,
    Core.Settings.ChannelSettingsService? settings = null,
    Core.Coordination.IEventMemory? handledEvents = null)
{
    // Answer a slash command inline when the answer is ready this soon, else through response_url. Slack waits 3
    // seconds for the acknowledgement; each envelope is handled on its own, so this wait never holds up another.
    private static readonly TimeSpan InlineDeadline = TimeSpan.FromMilliseconds(400);

    private readonly SlackOptions _options = options.Value;
    private readonly HandledEvents _seen = new(time, logger, handledEvents);
    private readonly BackgroundWork _work = new();

    /// <summary>The bot's user id (from auth.test): its mention is stripped from questions, its messages ignored.</summary>
    public string? BotUserId { get; private set; }

    public string? BotId { get; private set; }

    public async Task IdentifyAsync(CancellationToken cancellationToken = default) =>
        (BotUserId, BotId) = await api.AuthTestAsync(cancellationToken).ConfigureAwait(false);

    public Task DrainAsync() => _work.DrainAsync();

    /// <summary>
    /// A Socket Mode frame as it comes over the connection (its JSON), handled as the connection would hand it over;
    /// <paramref name="acknowledgeAsync"/> is given the text of the answer an acknowledgement carries (a quick slash
    /// command's), or null.
    /// </summary>
    public Task HandleFrameAsync(string json, Func<string?, Task> acknowledgeAsync, CancellationToken cancellationToken)
    {
        var frame = JsonSerializer.Deserialize(json, SlackJsonContext.Default.SocketFrame) ?? throw new JsonException("A Socket Mode frame was null.");
        return HandleEnvelopeAsync(new SocketEnvelope(frame, response => acknowledgeAsync(response?.Text)), cancellationToken);
    }

    /// <summary>A Socket Mode envelope: acknowledged at once (a slash command with its answer when that is quick), then handled.</summary>
    internal async Task HandleEnvelopeAsync(SocketEnvelope envelope, CancellationToken cancellationToken)
    {
        var frame = envelope.Frame;
        if (!_seen.FirstTimeHere("envelope:" + frame.EnvelopeId))
        {
            // Redelivered because our acknowledgement was late or lost: acknowledge again, answer nothing.
            await envelope.AcknowledgeAsync(null).ConfigureAwait(false);
            return;
        }

        try
        {
            switch (frame.Type)
            {
                case "events_api" when frame.Payload is { } payload:
                    await envelope.AcknowledgeAsync(null).ConfigureAwait(false);
                    HandleEventCallback(payload.Deserialize(SlackJsonContext.Default.EventCallback), cancellationToken);
                    break;
                case "interactive" when frame.Payload is { } payload && payload.Deserialize(SlackJsonContext.Default.InteractivePayload) is { } interactive:
                    // Acknowledged at once (for a modal, an empty acknowledgement closes it), then handled.
                    await envelope.AcknowledgeAsync(null).ConfigureAwait(false);
                    _work.Start(() => HandleInteractiveAsync(interactive, cancellationToken));
                    break;
                case "slash_commands" when frame.Payload is { } payload && payload.Deserialize(SlackJsonContext.Default.SlashCommand) is { } command:
                    // The socket's reader goes straight back to reading: this command's short wait for an inline
                    // answer must not delay the acknowledgement of the envelopes behind it.
                    _work.Start(() => AcknowledgeCommandAsync(envelope, command, cancellationToken));
                    break;
                default:
                    await envelope.AcknowledgeAsync(null).ConfigureAwait(false);
                    break;
            }
        }
        catch (JsonException ex)
        {
            LogMalformed(frame.Type ?? "?", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, frame.Type ?? "?");
        }
    }

    private async Task AcknowledgeCommandAsync(SocketEnvelope envelope, SlashCommand command, CancellationToken cancellationToken)
    {
        CommandResponse? inline = null;
        try
        {
            // A command redelivered to another instance is acknowledged there and answered once, here or there.
            if (!await _seen.FirstTimeAnywhereAsync("slack:command:" + (command.TriggerId ?? envelope.Frame.EnvelopeId), cancellationToken).ConfigureAwait(false))
            {
                await envelope.AcknowledgeAsync(null).ConfigureAwait(false);
                return;
            }

            inline = await StartCommandAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, "slash_commands");
        }

        try
        {
            var accepts = envelope.Frame.AcceptsResponsePayload == true;
            await envelope.AcknowledgeAsync(accepts ? inline : null).ConfigureAwait(false);
            if (!accepts && inline is not null && command.ResponseUrl is { } url)
            {
                await api.RespondAsync(url, inline, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, "slash_commands");
        }
    }

    /// <summary>An Events API callback (from either transport); the answer is worked out in the background.</summary>
    internal void HandleEventCallback(EventCallback? callback, CancellationToken cancellationToken)
    {
        if (callback?.Event is not { } e || (callback.EventId is { } id && !_seen.FirstTimeHere("event:" + id)))
        {
            return;
        }

        // Never answer a bot (itself included), an edit, a join or any other message subtype: that is how loops start.
        if (e.BotId is not null || e.Subtype is not null || e.User is null || e.User == BotUserId || e.Channel is null || e.Ts is null)
        {
            return;
        }

        var isDm = e.ChannelType == "im";
        var mentioned = BotUserId is not null && (e.Text?.Contains($"<@{BotUserId}>", StringComparison.Ordinal) ?? false);
        var answer = e.Type switch
        {
            "app_mention" => true,
            "message" when isDm => true,

            // A reply in a thread the bot answered in, without a mention (the mention comes as app_mention).
            "message" when e.ThreadTs is not null && !mentioned => pipeline.Follows(SlackChannels.Name, Thread(e.Channel, e.ThreadTs)),
            _ => false,
        };
        if (!answer && e.Type == "message" && !isDm && e.ThreadTs is not null && !mentioned)
        {
            // Not a thread this process answered in; another instance on the store may have: asked in the background.
            _work.Start(async () =>
            {
                if (await pipeline.FollowsAnywhereAsync(SlackChannels.Name, Thread(e.Channel, e.ThreadTs), cancellationToken).ConfigureAwait(false)
                    && _seen.FirstTimeHere($"message:{e.Channel}:{e.Ts}"))
                {
                    await AnswerAsync(e, cancellationToken).ConfigureAwait(false);
                }
            });
            return;
        }

        if (!answer || !_seen.FirstTimeHere($"message:{e.Channel}:{e.Ts}"))
        {
            return;
        }

        _work.Start(() => AnswerAsync(e, cancellationToken));
    }

    private async Task AnswerAsync(SlackEvent e, CancellationToken cancellationToken)
    {
        // Another instance's connection may have been given the same message (a redelivery, or app_mention and
        // message both): the store's memory lets one of them answer.
        if (!await _seen.FirstTimeAnywhereAsync($"slack:message:{e.Channel}:{e.Ts}", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var channel = e.Channel!;
        var thread = e.ThreadTs ?? e.Ts!;
        var isDm = e.ChannelType == "im";

        // A DM outside any thread is one conversation; anything else is the thread's (a mention starts one).
        var place = new ChatPlace(SlackChannels.Name, channel, e.User!, isDm && e.ThreadTs is null ? null : Thread(channel, thread), isDm);
        var reacted = await TryReactAsync(() => api.AddReactionAsync(channel, e.Ts!, _options.WorkingReaction, cancellationToken)).ConfigureAwait(false);
        try
        {
            var reply = await pipeline.HandleMessageAsync(Unescape(e.Text ?? string.Empty), BotUserId, place, cancellationToken).ConfigureAwait(false);
            if (!ChatPipeline.ShouldPost(reply))
            {
                return;
            }

            foreach (var message in await RenderAsync(reply, channel, cancellationToken).ConfigureAwait(false))
            {
                await api.PostMessageAsync(new PostMessage(channel, message.Text, message.Blocks, thread), cancellationToken).ConfigureAwait(false);
            }

            LogAnswered(channel);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception ex)
        {
            LogAnswerFailed(ex, channel);
        }
        finally
        {
            if (reacted)
            {
                await TryReactAsync(() => api.RemoveReactionAsync(channel, e.Ts!, _options.WorkingReaction, CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One of <c>Slack:AdminUsers</c>, or an admin or owner of the workspace; not when Slack cannot say.</summary>
    private async Task<bool> MayManageAsync(string? user, CancellationToken cancellationToken)
    {
        if (user is null)
        {
            return false;
        }

        if (_options.AdminUsers.Contains(user, StringComparer.Ordinal))
        {
            return true;
        }

        try
        {
            return await api.IsWorkspaceAdminAsync(user, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            LogAdminCheckFailed(ex.Message);
            return false;
        }
    }

    /// <summary>A reply as Block Kit messages; an answer is kept as shown and carries 👍 and 👎.</summary>
    private async Task<IReadOnlyList<SlackMessage>> RenderAsync(ChatReply reply, string channel, CancellationToken cancellationToken)
    {
        var messages = SlackFormatter.Render(reply);
        if (feedback is null || reply is not AnswerReply { Answer: var answer })
        {
            return messages;
        }

        try
        {
            return SlackFormatter.WithVotes(messages, await feedback.RememberAsync(SlackChannels.Name, channel, answer, SlackFormatter.Shown(messages), cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The answer matters more than its buttons.
            LogFeedbackFailed(ex);
            return messages;
        }
    }

    /// <summary>An interactive payload from the HTTP endpoint, handled in the background after its 200.</summary>
    internal void StartInteractive(InteractivePayload payload) => _work.Start(() => HandleInteractiveAsync(payload, CancellationToken.None));

    /// <summary>A vote button pressed (a 👍 is thanked for, to the voter only; a 👎 opens "what was wrong?"), or that form sent.</summary>
    internal async Task HandleInteractiveAsync(InteractivePayload payload, CancellationToken cancellationToken)
    {
        try
        {
            var user = payload.User?.Id;
            if (feedback is null || user is null
                || (payload.TriggerId is { } triggerId && !await _seen.FirstTimeAnywhereAsync("slack:interaction:" + triggerId, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            if (payload.Type == "block_actions" && payload.Actions?.FirstOrDefault(a => a.ActionId is SlackFormatter.VoteUp or SlackFormatter.VoteDown) is { Value: { } answerId } action)
            {
                var up = action.ActionId == SlackFormatter.VoteUp;
                var known = await feedback.VoteAsync(answerId, SlackChannels.Name, user, up, cancellationToken).ConfigureAwait(false);
                if (known && !up && payload.TriggerId is { } trigger)
                {
                    await api.OpenViewAsync(new ViewsOpen(trigger, SlackFormatter.CommentModal(answerId)), cancellationToken).ConfigureAwait(false);
                }
                else if (payload.Channel?.Id is { } channel)
                {
                    await api.PostEphemeralAsync(new PostEphemeral(channel, user, known ? "Thanks — noted that this answer helped." : "That answer is too old to vote on, sorry."), cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            else if (payload.Type == "view_submission" && payload.View is { CallbackId: SlackFormatter.CommentCallback, PrivateMetadata: { } viewedAnswer } view)
            {
                var text = view.State?.Values?.GetValueOrDefault("comment")?.GetValueOrDefault("text")?.Value ?? string.Empty;
                await feedback.CommentAsync(viewedAnswer, SlackChannels.Name, user, text, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, payload.Type ?? "interactive");
        }
    }

    /// <summary>The reaction is a courtesy: failing to add or remove it never holds up an answer.</summary>
    private async Task<bool> TryReactAsync(Func<Task> react)
    {
        try
        {
            await react().ConfigureAwait(false);
            return true;
        }
        catch (SlackApiException ex) when (ex.Error is "already_reacted" or "no_reaction")
        {
            return true;
        }
        catch (Exception ex) when (ex is SlackApiException or HttpRequestException)
        {
            LogReactionFailed(ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Starts a slash command. Returns its first message when the answer is ready within the inline deadline (the
    /// rest follow through <c>response_url</c>), otherwise null and the whole answer follows through <c>response_url</c>.
    /// </summary>
    internal async Task<CommandResponse?> StartCommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var name = (command.Command ?? string.Empty).TrimStart('/').ToLowerInvariant();
        var text = Unescape(command.Text ?? string.Empty).Trim();
        var parsed = name switch
        {
            "ask" => TextCommands.Parse(text.Length == 0 ? "/ask" : "/ask " + text, conversation: null),
            "quote" => TextCommands.ParseQuote(text),
            "briefing" => TextCommands.ParseBriefing(text),
            "sources" => new TextCommand.Request(new SourcesRequest()),
            "follow" => TextCommands.ParseFollow(text, unfollow: false),
            "unfollow" => TextCommands.ParseFollow(text, unfollow: true),
            "following" => new TextCommand.Request(new FollowingRequest()),
            "settings" => TextCommands.ParseSettings(text, await MayManageAsync(command.UserId, cancellationToken).ConfigureAwait(false)),
            _ => TextCommands.Parse(text, conversation: null),
        };

        // The channel's own setting over the bot's; settings themselves are shown only to who asked.
        var onlyAsker = settings is not null && command.ChannelId is { } channelId
            ? (await settings.ForAsync($"{SlackChannels.Name}:{channelId}", cancellationToken).ConfigureAwait(false)).OnlyAsker
            : null;
        var responseType = name != "settings" && !(onlyAsker ?? !_options.CommandAnswersInChannel) ? "in_channel" : "ephemeral";
        var from = new ChatPlace(SlackChannels.Name, command.ChannelId ?? "?", command.UserId ?? "someone");
        var answering = Task.Run(async () => await RenderAsync(await pipeline.HandleAsync(parsed, from, cancellationToken).ConfigureAwait(false), from.Channel, cancellationToken)
            .ConfigureAwait(false), cancellationToken);
        var finished = await Task.WhenAny(answering, Task.Delay(InlineDeadline, time, cancellationToken)).ConfigureAwait(false) == answering;

        async Task SendRestAsync(IEnumerable<SlackMessage> messages)
        {
            try
            {
                foreach (var message in messages)
                {
                    await api.RespondAsync(command.ResponseUrl ?? string.Empty, new CommandResponse(responseType, message.Text, message.Blocks), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAnswerFailed(ex, command.ChannelId ?? "?");
            }
        }

        if (finished)
        {
            var messages = await answering.ConfigureAwait(false);
            if (messages.Count > 1)
            {
                _work.Start(() => SendRestAsync(messages.Skip(1)));
            }

            return new CommandResponse(responseType, messages[0].Text, messages[0].Blocks);
        }

        _work.Start(async () => await SendRestAsync(await answering.ConfigureAwait(false)).ConfigureAwait(false));
        return null;
    }

    /// <summary>A thread's id across the workspace: its channel and the timestamp of its first message.</summary>
    private static string Thread(string channel, string ts) => $"{channel}/{ts}";

    /// <summary>Slack sends text with <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped; questions are read as typed.</summary>
    private static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask Slack whether a user is a workspace admin ({Reason}); /settings is refused (add users:read, or list them in Slack:AdminUsers)")]
    private partial void LogAdminCheckFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping an answer for feedback failed; it is posted without vote buttons")]
    private partial void LogFeedbackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered in {Channel}")]
    private partial void LogAnswered(string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering in {Channel} failed")]
    private partial void LogAnswerFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Type} envelope failed")]
    private partial void LogFailed(Exception exception, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed {Type} payload: {Reason}")]
    private partial void LogMalformed(string type, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The working reaction could not be changed: {Reason}")]
    private partial void LogReactionFailed(string reason);
}

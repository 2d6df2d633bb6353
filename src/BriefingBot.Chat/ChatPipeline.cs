using System.Text.RegularExpressions;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;

namespace BriefingBot.Chat;

/// <summary>Where a message or a command came from, on any platform: what its conversation and the limits are keyed by.</summary>
/// <param name="Thread">The thread it belongs to, as an id unique on the platform (Slack: channel/ts of the thread's first message; Discord: the id of the bot's answer the thread grew from).</param>
/// <param name="Direct">A direct message: the channel is the conversation.</param>
public sealed record ChatPlace(string Platform, string Channel, string User, string? Thread = null, bool Direct = false)
{
    public Requester Requester => new(Platform, User, Channel);
}

/// <summary>
/// The steps every platform's messages and commands go through, once: the bot's mention taken out of the text, the
/// text read as a question or a command, who asked attached for the limits, and the request routed. A platform
/// adapter only turns its events into this and renders the reply it gets back. The pipeline also knows which threads
/// the bot follows: a reply there is for the bot without a mention.
/// </summary>
public sealed partial class ChatPipeline(ChatRouter router, Conversations conversations, TimeProvider time)
{
    private static readonly TimeSpan ThreadsFollowedFor = TimeSpan.FromHours(24);

    private readonly RecentEvents _threads = new(time, keepFor: ThreadsFollowedFor);

    /// <summary>A message addressed to the bot (a mention, a DM, a reply in a thread it follows).</summary>
    /// <param name="botUserId">The bot's own user id: its mentions (&lt;@id&gt;, &lt;@!id&gt;, &lt;@id|name&gt;) are taken out of the text.</param>
    public Task<ChatReply> HandleMessageAsync(string text, string? botUserId, ChatPlace place, CancellationToken cancellationToken = default)
    {
        if (place.Thread is { } thread)
        {
            // Follow the thread from now on, so a reply that comes while this answer is being posted is not missed.
            Follow(place.Platform, thread);
        }

        return HandleAsync(TextCommands.Parse(StripMention(text, botUserId), conversation: null), place, cancellationToken);
    }

    /// <summary>A command already read from a platform's own form (a slash command's name and options); the shell has no place and no limits.</summary>
    public async Task<ChatReply> HandleAsync(TextCommand command, ChatPlace? place, CancellationToken cancellationToken = default) => command switch
    {
        TextCommand.Request { ChatRequest: AskRequest ask } when place is not null =>
            await router.HandleAsync(ask with { Conversation = ConversationOf(place), From = place.Requester }, cancellationToken).ConfigureAwait(false),
        // The shell chat's user runs the bot: they may manage its one channel.
        TextCommand.Request { ChatRequest: SettingsRequest settings } when place is null =>
            await router.HandleAsync(settings with { MayManage = true }, cancellationToken).ConfigureAwait(false),
        TextCommand.Request request => await router.HandleAsync(request.ChatRequest with { From = place?.Requester }, cancellationToken).ConfigureAwait(false),
        TextCommand.Invalid invalid => new ErrorReply(invalid.Message),
        _ => new HelpReply(ChatRouter.Commands),
    };

    /// <summary>
    /// The conversation a question belongs to, for follow-ups: its thread; a direct message's channel; otherwise the
    /// person in the channel (a slash command, a mention outside any thread).
    /// </summary>
    /// <summary>Speakers to suggest as someone types (inside admission; none when refused).</summary>
    public Task<IReadOnlyList<Core.Quotes.SpeakerSummary>> SuggestSpeakersAsync(string? typed, ChatPlace place, int limit, CancellationToken cancellationToken = default) =>
        router.SuggestSpeakersAsync(typed, place.Requester, limit, cancellationToken);

    public static string ConversationOf(ChatPlace place) =>
        place.Thread is { } thread ? $"{place.Platform}:thread:{thread}"
        : place.Direct ? $"{place.Platform}:{place.Channel}"
        : $"{place.Platform}:{place.Channel}:{place.User}";

    /// <summary>Whether the bot follows <paramref name="thread"/>: it answered there in the last 24 hours.</summary>
    public bool Follows(string platform, string thread) => _threads.Seen($"{platform}:{thread}");

    public void Follow(string platform, string thread) => _threads.FirstTime($"{platform}:{thread}");

    /// <summary>
    /// Whether the bot follows <paramref name="thread"/> here or on another instance of the store: a question was
    /// asked in it in the last 24 hours.
    /// </summary>
    public async Task<bool> FollowsAnywhereAsync(string platform, string thread, CancellationToken cancellationToken)
    {
        if (Follows(platform, thread))
        {
            return true;
        }

        if (!await conversations.AskedSinceAsync(ConversationOf(new ChatPlace(platform, string.Empty, string.Empty, thread)), time.GetUtcNow() - ThreadsFollowedFor, cancellationToken)
            .ConfigureAwait(false))
        {
            return false;
        }

        // Followed here too from now on: the thread's next messages need no look-up.
        Follow(platform, thread);
        return true;
    }

    /// <summary>
    /// A thread that grows from the bot's answer (Discord: a reply to it, a thread started from it) carries the
    /// answered question on: the bot follows it and reads a follow-up there in that question's context.
    /// </summary>
    public Task ContinueFromAsync(Core.Answering.Answer answer, string platform, string answerId, CancellationToken cancellationToken = default)
    {
        Follow(platform, answerId);
        return conversations.RememberAsync(ConversationOf(new ChatPlace(platform, string.Empty, string.Empty, answerId)), answer.Interpretation ?? answer.Question, cancellationToken);
    }

    /// <summary>
    /// Whether a platform should post <paramref name="reply"/> to a message: not when it only repeats a "please wait"
    /// the person has already had — more replies would add to the flood.
    /// </summary>
    public static bool ShouldPost(ChatReply reply) => reply is not ThrottledReply { Repeat: true };

    /// <summary>The text without the bot's mentions, in Discord's and Slack's forms alike.</summary>
    public static string StripMention(string text, string? botUserId)
    {
        if (string.IsNullOrEmpty(botUserId))
        {
            return text.Trim();
        }

        return MentionPattern().Replace(text, m => m.Groups["id"].Value == botUserId ? " " : m.Value).Trim();
    }

    // <@U123>, <@!123> (Discord's nickname form), <@U123|name> (Slack's labelled form).
    [GeneratedRegex(@"<@!?(?<id>[A-Za-z0-9]+)(?:\|[^>]*)?>", RegexOptions.NonBacktracking)]
    private static partial Regex MentionPattern();
}

using System.Text.RegularExpressions;
using BriefingBot.Core.Chat;

namespace BriefingBot.Chat;

/// <summary>
/// The steps every platform's messages and commands go through, once: the bot's mention taken out of the text, the
/// text read as a question or a command, who asked attached for the limits, and the request routed. A platform
/// adapter only turns its events into this and renders the reply it gets back.
/// </summary>
public sealed partial class ChatPipeline(ChatRouter router)
{
    /// <summary>A message addressed to the bot (a mention, a DM, a reply in a thread it follows).</summary>
    /// <param name="botUserId">The bot's own user id: its mentions (&lt;@id&gt;, &lt;@!id&gt;, &lt;@id|name&gt;) are taken out of the text.</param>
    public Task<ChatReply> HandleMessageAsync(string text, string? botUserId, string conversation, Requester from, CancellationToken cancellationToken = default) =>
        HandleAsync(TextCommands.Parse(StripMention(text, botUserId), conversation), from, cancellationToken);

    /// <summary>A command already read from a platform's own form (a slash command's name and options).</summary>
    public async Task<ChatReply> HandleAsync(TextCommand command, Requester? from, CancellationToken cancellationToken = default) => command switch
    {
        TextCommand.Request request => await router.HandleAsync(request.ChatRequest with { From = from }, cancellationToken).ConfigureAwait(false),
        TextCommand.Invalid invalid => new ErrorReply(invalid.Message),
        _ => new HelpReply(ChatRouter.Commands),
    };

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

using System.Text;
using System.Text.RegularExpressions;
using BriefingBot.Core.Chat;

namespace BriefingBot.Slack.Blocks;

/// <summary>A message ready to post: Block Kit blocks and the plain-text fallback for notifications.</summary>
internal sealed record SlackMessage(string Text, IReadOnlyList<Block> Blocks);

/// <summary>
/// Renders replies as Block Kit: the text in mrkdwn sections with each <c>[n]</c> a link to its source, a context
/// block of numbered sources (title — outlet, date), a context footer saying how the answer was made. Article and
/// user text is escaped (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so quoted text can never mention anyone or
/// <c>&lt;!channel&gt;</c>. Within Slack's limits: section text 3,000 characters, context 10 elements, 50 blocks a
/// message; longer replies become more sections, then more messages.
/// https://api.slack.com/reference/block-kit/blocks, https://api.slack.com/reference/surfaces/formatting#escaping
/// </summary>
internal static partial class SlackFormatter
{
    public const int MaxSectionText = 3000;
    public const int MaxBlocks = 50;
    public const int MaxContextElements = 10;
    public const int MaxContextText = 2000;

    // Keeps a message readable and well under the size Slack accepts, whatever the block count.
    private const int MaxMessageText = 12_000;

    public static IReadOnlyList<SlackMessage> Render(ChatReply reply) => Render(ReplyLayout.For(reply));

    public static IReadOnlyList<SlackMessage> Render(ReplyLayout layout)
    {
        var blocks = new List<Block>();
        if (layout.Header is { } header)
        {
            blocks.AddRange(Sections($"*{Escape(header)}*"));
        }

        foreach (var card in layout.Cards)
        {
            if (blocks.Count > 0 && card.Kind is CardKind.Story or CardKind.Quote)
            {
                blocks.Add(new Block("divider"));
            }

            blocks.AddRange(BlocksOf(card));
        }

        var messages = new List<List<Block>>();
        var current = new List<Block>();
        var length = 0;
        foreach (var block in blocks)
        {
            var size = Size(block);
            if (current.Count == MaxBlocks || (current.Count > 0 && length + size > MaxMessageText))
            {
                messages.Add(current);
                current = [];
                length = 0;
            }

            if (current.Count == 0 && block.Type == "divider")
            {
                continue;
            }

            current.Add(block);
            length += size;
        }

        if (current.Count > 0)
        {
            messages.Add(current);
        }

        var fallback = Escape(layout.Summary);
        return messages.Select((m, i) => new SlackMessage(messages.Count == 1 ? fallback : $"{fallback} ({i + 1}/{messages.Count})", m)).ToList();
    }

    private static IEnumerable<Block> BlocksOf(ReplyCard card)
    {
        if (card.Title is { } title)
        {
            // Escaping can make a text several times longer (&amp;): every text object is cut to Slack's limit after it.
            // A link too long to leave the title room is left off, never cut.
            var linked = Linkable(card.TitleUrl, MaxSectionText / 2);
            var text = Trim(Escape(title), MaxSectionText - (linked ? card.TitleUrl!.Length : 0) - 8);
            yield return Section(linked ? $"*<{card.TitleUrl}|{text}>*" : $"*{text}*");
        }

        if (card.Context is { } context)
        {
            yield return Context([$"_{Trim(Escape(context), MaxContextText - 2)}_"]);
        }

        var body = Escape(card.Kind == CardKind.Error ? ":warning: " + card.Body : card.Body);
        body = Citation().Replace(body, m =>
        {
            var source = card.Sources.FirstOrDefault(s => s.N.ToString(System.Globalization.CultureInfo.InvariantCulture) == m.Groups[1].Value);
            return source is not null && Linkable(source.Url, MaxCitationLink) ? $"<{source.Url}|[{m.Groups[1].Value}]>" : m.Value;
        });
        foreach (var section in Sections(body))
        {
            yield return section;
        }

        var sources = card.Sources.Select(s => SourceLine(card, s)).ToList();
        for (var i = 0; i < sources.Count; i += MaxContextElements)
        {
            yield return Context(sources.Skip(i).Take(MaxContextElements));
        }

        if (card.Footer is { } footer)
        {
            yield return Context([Trim(Escape(footer), MaxContextText)]);
        }
    }

    private static string SourceLine(ReplyCard card, CardSource source)
    {
        var sb = new StringBuilder();
        if (card.Kind != CardKind.Quote)
        {
            sb.Append('[').Append(source.N).Append("] ");
        }
        else
        {
            sb.Append("— ");
        }

        // The title is cut to leave the link whole; a link too long for that is left off.
        var linked = Linkable(source.Url, MaxContextText / 2);
        var title = Trim(Escape(source.Title), (MaxContextText / 2) - 16);
        sb.Append(linked ? $"<{source.Url}|{title}>" : title);
        if (source.OutletAndDate.Length > 0)
        {
            sb.Append(" — ").Append(Escape(source.OutletAndDate));
        }

        if (source.Excerpt is { } excerpt)
        {
            sb.Append('\n').Append(Escape(Excerpts.Quoted(excerpt)));
        }

        // Cut after the link, so its markup stays whole.
        var line = sb.ToString();
        var keep = linked ? line.IndexOf('>', StringComparison.Ordinal) + 1 : 0;
        return line.Length <= MaxContextText ? line : string.Concat(line.AsSpan(0, keep), Trim(line[keep..], MaxContextText - keep));
    }

    // A citation's link in the body: short enough that a section split between sentences never has to cut one.
    private const int MaxCitationLink = 500;

    /// <summary>Whether <paramref name="url"/> can be shown as a link within <paramref name="budget"/> characters.</summary>
    private static bool Linkable(string? url, int budget) => IsWebUrl(url) && url!.Length <= budget;

    private static IEnumerable<Block> Sections(string mrkdwn) =>
        mrkdwn.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(p => TextSplitter.Split(p, MaxSectionText))
            .Select(Section);

    private static Block Section(string mrkdwn) => new("section", new TextObject("mrkdwn", mrkdwn));

    private static Block Context(IEnumerable<string> elements) => new("context", Elements: elements.Select(e => new TextObject("mrkdwn", e)).ToList());

    private static int Size(Block block) => (block.Text?.Text.Length ?? 0) + (block.Elements?.Sum(e => (e as TextObject)?.Text.Length ?? 0) ?? 0);

    public const string VoteUp = "vote_up";
    public const string VoteDown = "vote_down";
    public const string CommentCallback = "vote_comment";

    /// <summary>👍 and 👎 under an answer, added to its last message; the buttons carry the shown answer's id.</summary>
    public static IReadOnlyList<SlackMessage> WithVotes(IReadOnlyList<SlackMessage> messages, string answerId)
    {
        var last = messages[^1];
        var buttons = new Block("actions", BlockId: "votes", Elements:
        [
            new ButtonElement(new TextObject("plain_text", "👍 Helpful", Emoji: true), VoteUp, answerId),
            new ButtonElement(new TextObject("plain_text", "👎 Not helpful", Emoji: true), VoteDown, answerId),
        ]);
        var blocks = last.Blocks.Count < MaxBlocks ? [.. last.Blocks, buttons] : last.Blocks;
        return [.. messages.Take(messages.Count - 1), last with { Blocks = blocks }];
    }

    /// <summary>Everything the messages show, as plain text: what a vote on them is a vote on.</summary>
    public static string Shown(IEnumerable<SlackMessage> messages) =>
        string.Join("\n\n", messages.SelectMany(m => m.Blocks).Select(b => b.Text?.Text).Where(t => !string.IsNullOrEmpty(t)));

    /// <summary>The "what was wrong?" form a 👎 opens.</summary>
    public static ModalView CommentModal(string answerId) => new(
        CommentCallback, answerId, new TextObject("plain_text", "What was wrong?"), new TextObject("plain_text", "Send"), new TextObject("plain_text", "Skip"),
        [
            new Block("input", BlockId: "comment", Label: new TextObject("plain_text", "What was wrong? (optional)"), Optional: true,
                Element: new PlainTextInput("text", Multiline: true, MaxLength: 1000, new TextObject("plain_text", "Wrong fact, wrong source, missed the question…"))),
        ]);

    /// <summary>Slack's three control characters, escaped so no text becomes markup, a mention or a link.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static bool IsWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !url!.Contains('|') && !url.Contains('>');

    /// <summary>Cuts to the limit without splitting an escape such as <c>&amp;amp;</c>.</summary>
    private static string Trim(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        if (max < 2)
        {
            return max < 1 ? string.Empty : "…";
        }

        var cut = max - 1;
        var amp = text.LastIndexOf('&', cut - 1, Math.Min(cut, 6));
        if (amp >= 0 && text.IndexOf(';', amp) >= cut)
        {
            cut = amp;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    [GeneratedRegex(@"\[(\d{1,2})\]")]
    private static partial Regex Citation();
}

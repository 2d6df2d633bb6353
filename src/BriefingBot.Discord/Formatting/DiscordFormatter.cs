using System.Text;
using BriefingBot.Core.Chat;

namespace BriefingBot.Discord.Formatting;

/// <summary>A message ready to send: content and embeds, each within Discord's limits.</summary>
internal sealed record OutgoingMessage(string? Content, IReadOnlyList<Embed> Embeds);

/// <summary>
/// Renders replies as Discord messages: a card becomes an embed (the text with its [n] markers, the sources as
/// numbered links, a footer saying how the answer was made), and everything is split to Discord's limits — content
/// 2,000; embed title 256, description 4,096, footer 2,048, author 256; 10 embeds and 6,000 characters a message.
/// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
/// </summary>
internal static class DiscordFormatter
{
    public const int MaxContent = 2000;
    public const int MaxTitle = 256;
    public const int MaxDescription = 4096;
    public const int MaxFooter = 2048;
    public const int MaxAuthor = 256;
    public const int MaxEmbeds = 10;
    public const int MaxEmbedTotal = 6000;

    // An embed's address beyond this is refused (the limit of Discord's URL fields, as discussed in its API docs'
    // repository, discord-api-docs#6531); a longer one is left off rather than fail the message.
    public const int MaxUrl = 2048;

    private const int Blue = 0x3B82F6, Grey = 0x9CA3AF, Amber = 0xF59E0B, Purple = 0x8B5CF6, Green = 0x10B981, Red = 0xEF4444;

    public static IReadOnlyList<OutgoingMessage> Render(ChatReply reply) => Render(ReplyLayout.For(reply));

    public static IReadOnlyList<OutgoingMessage> Render(ReplyLayout layout)
    {
        var messages = new List<OutgoingMessage>();
        var header = layout.Header is null ? [] : TextSplitter.Split(DiscordMarkdown.Escape(layout.Header), MaxContent);

        // Errors read best as plain text; everything else is an embed.
        var plain = layout.Cards.Where(c => c.Kind == CardKind.Error).Select(c => DiscordMarkdown.Escape("⚠️ " + c.Body));
        var contents = header.Concat(plain.SelectMany(p => TextSplitter.Split(p, MaxContent))).ToList();
        var embeds = layout.Cards.Where(c => c.Kind != CardKind.Error).SelectMany(EmbedsOf).ToList();

        // The first text goes with the first embeds; more text goes alone.
        var content = contents.Count > 0 ? contents[0] : null;
        foreach (var extra in contents.Skip(1))
        {
            messages.Add(new OutgoingMessage(content, []));
            content = extra;
        }

        var batch = new List<Embed>();
        var total = 0;
        foreach (var embed in embeds)
        {
            if (batch.Count == MaxEmbeds || total + embed.Length > MaxEmbedTotal)
            {
                messages.Add(new OutgoingMessage(content, batch));
                content = null;
                batch = [];
                total = 0;
            }

            batch.Add(embed);
            total += embed.Length;
        }

        if (batch.Count > 0 || content is not null)
        {
            messages.Add(new OutgoingMessage(content, batch));
        }

        return messages;
    }

    /// <summary>A card as one embed, or several when its text is longer than one description holds.</summary>
    private static IEnumerable<Embed> EmbedsOf(ReplyCard card)
    {
        var title = card.Title is null ? null : DiscordMarkdown.Trim(DiscordMarkdown.Escape(card.Title), MaxTitle);
        var url = DiscordMarkdown.IsWebUrl(card.TitleUrl) && card.TitleUrl!.Length <= MaxUrl ? card.TitleUrl : null;
        // Plain fields (author, footer) show no markdown, so they are cut without escaping.
        var author = card.Context is null ? null : new EmbedAuthor(TextSplitter.Shorten(card.Context, MaxAuthor));
        var footer = card.Footer is null ? null : new EmbedFooter(TextSplitter.Shorten(card.Footer, MaxFooter));
        var color = card.Kind switch
        {
            CardKind.Answer => Blue,
            CardKind.NotAnswered => Amber,
            CardKind.Quote => Purple,
            CardKind.Story => Green,
            CardKind.Error => Red,
            _ => Grey,
        };

        // Room for the rest of the embed, so one embed alone never passes the 6,000 a message may hold.
        var room = Math.Min(MaxDescription, MaxEmbedTotal - (title?.Length ?? 0) - (author?.Name.Length ?? 0) - (footer?.Text.Length ?? 0));
        var pieces = new List<string>();
        var body = new StringBuilder();
        foreach (var paragraph in Paragraphs(card))
        {
            foreach (var piece in TextSplitter.Split(paragraph, room))
            {
                if (body.Length > 0 && body.Length + 2 + piece.Length > room)
                {
                    pieces.Add(body.ToString());
                    body.Clear();
                }

                body.Append(body.Length > 0 ? "\n\n" : string.Empty).Append(piece);
            }
        }

        if (body.Length > 0 || pieces.Count == 0)
        {
            pieces.Add(body.ToString());
        }

        for (var i = 0; i < pieces.Count; i++)
        {
            var first = i == 0;
            var last = i == pieces.Count - 1;
            yield return new Embed(
                Title: first ? title : null,
                Url: first ? url : null,
                Description: pieces[i].Length == 0 ? null : pieces[i],
                Color: color,
                Footer: last ? footer : null,
                Author: first ? author : null);
        }
    }

    private static IEnumerable<string> Paragraphs(ReplyCard card)
    {
        foreach (var paragraph in card.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return DiscordMarkdown.Escape(paragraph);
        }

        if (card.Sources.Count == 0)
        {
            yield break;
        }

        var sources = new StringBuilder(card.Kind == CardKind.NotAnswered ? "**Nearest sources**" : card.Kind == CardKind.Quote ? string.Empty : "**Sources**");
        foreach (var source in card.Sources)
        {
            sources.Append(sources.Length > 0 ? "\n" : string.Empty);
            if (card.Kind != CardKind.Quote)
            {
                sources.Append("**[").Append(source.N).Append("]** ");
            }
            else
            {
                sources.Append("— ");
            }

            sources.Append(DiscordMarkdown.Link(source.Title, source.Url));
            if (source.OutletAndDate.Length > 0)
            {
                sources.Append(" — ").Append(DiscordMarkdown.Escape(source.OutletAndDate));
            }

            if (source.Excerpt is { } excerpt)
            {
                sources.Append("\n> ").Append(DiscordMarkdown.Escape(Excerpts.Quoted(excerpt)));
            }
        }

        yield return sources.ToString();
    }

    /// <summary>The message as Discord takes it: nothing in it may ping anyone.</summary>
    public static MessagePayload ToPayload(OutgoingMessage message, string? replyTo = null, int? flags = null, string? nonce = null, IReadOnlyList<DiscordComponent>? components = null) =>
        new(message.Content, message.Embeds, AllowedMentions.None(notifyRepliedUser: replyTo is not null),
            replyTo is null ? null : new MessageReference(replyTo), flags, nonce, nonce is null ? null : true, components);

    /// <summary>Everything the messages show, as plain text: what a vote on them is a vote on.</summary>
    public static string Shown(IEnumerable<OutgoingMessage> messages) =>
        string.Join("\n\n", messages.SelectMany(m => new[] { m.Content }.Concat(m.Embeds.SelectMany(e => new[] { e.Title, e.Description })))
            .Where(t => !string.IsNullOrEmpty(t)));

    /// <summary>👍 and 👎 under an answer; the buttons carry the shown answer's id.</summary>
    public static IReadOnlyList<DiscordComponent> VoteButtons(string answerId) =>
    [
        new(1, [
            new DiscordComponent(2, Style: 2, CustomId: $"{VotePrefix}{answerId}:up", Emoji: new ComponentEmoji("👍"), Label: "Helpful"),
            new DiscordComponent(2, Style: 2, CustomId: $"{VotePrefix}{answerId}:down", Emoji: new ComponentEmoji("👎"), Label: "Not helpful"),
        ]),
    ];

    public const string VotePrefix = "vote:";

    public const string CommentPrefix = "why:";

    /// <summary>The "what was wrong?" form a 👎 opens.</summary>
    public static InteractionCallbackData CommentModal(string answerId) => new(
        CustomId: CommentPrefix + answerId,
        Title: "What was wrong?",
        Components:
        [
            new(1, [new DiscordComponent(4, Style: 2, Label: "What was wrong? (optional)", CustomId: "comment", Required: false, MaxLength: 1000,
                Placeholder: "Wrong fact, wrong source, missed the question…")]),
        ]);
}

using System.Text;

namespace BriefingBot.Discord.Formatting;

/// <summary>
/// Makes article and user text show as written in Discord: markdown characters escaped, and mentions
/// (<c>@everyone</c>, <c>@here</c>, <c>&lt;@id&gt;</c>, <c>&lt;@&amp;role&gt;</c>) broken so they neither ping nor render as
/// mentions, whatever <c>allowed_mentions</c> says. https://discord.com/developers/docs/reference#message-formatting
/// </summary>
public static class DiscordMarkdown
{
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\' or '*' or '_' or '~' or '`' or '|' or '[' or ']' or '<':
                    sb.Append('\\').Append(c);
                    break;
                case '>' or '#' or '-' or '+' when lineStart:
                    sb.Append('\\').Append(c);
                    break;
                case '@':
                    // A zero-width space after @ keeps "@everyone" and "@here" from ever pinging.
                    sb.Append('@').Append('\u200B');
                    break;
                default:
                    sb.Append(c);
                    break;
            }

            lineStart = c == '\n' || (lineStart && c is ' ' or '\t');
        }

        return sb.ToString();
    }

    /// <summary>A masked link, or just the escaped label when the URL is not a plain http(s) URL.</summary>
    // A link in a description longer than this is shown as its label alone: the text splitter must never have to
    // cut inside one, and a few thousand characters of address help no reader.
    private const int MaxLinkUrl = 500;

    public static string Link(string label, string? url) =>
        IsWebUrl(url) && url!.Length <= MaxLinkUrl ? $"[{Escape(label)}]({url!.Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)})" : Escape(label);

    public static bool IsWebUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>Cuts to at most <paramref name="max"/> characters, with an ellipsis, never between an escape and its character.</summary>
    public static string Trim(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        var backslashes = 0;
        while (cut - backslashes - 1 >= 0 && text[cut - backslashes - 1] == '\\')
        {
            backslashes++;
        }

        if (backslashes % 2 == 1)
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}

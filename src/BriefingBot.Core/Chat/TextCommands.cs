using System.Globalization;
using System.Text.RegularExpressions;

namespace BriefingBot.Core.Chat;

/// <summary>What a typed message asks for: a request, or why it could not be read.</summary>
public abstract record TextCommand
{
    public sealed record Request(ChatRequest ChatRequest) : TextCommand;

    public sealed record Invalid(string Message) : TextCommand;
}

/// <summary>
/// Reads a message typed to the bot, on any platform: a question, or <c>/ask …</c>, <c>/quote speaker:… topic:…</c>,
/// <c>/briefing [since]</c>, <c>/sources</c>, <c>/help</c>.
/// </summary>
public static partial class TextCommands
{
    public const string QuoteUsage = "Usage: /quote speaker:<name> topic:<words> (either or both)";

    public static TextCommand Parse(string text, string? conversation)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return new TextCommand.Request(new HelpRequest());
        }

        if (!text.StartsWith('/'))
        {
            return new TextCommand.Request(new AskRequest(text, conversation));
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var command = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var rest = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        return command switch
        {
            "/help" or "/?" => new TextCommand.Request(new HelpRequest()),
            "/sources" => new TextCommand.Request(new SourcesRequest()),
            "/ask" => rest.Length == 0 ? new TextCommand.Invalid("Usage: /ask <question>") : new TextCommand.Request(new AskRequest(rest, conversation)),
            "/quote" => ParseQuote(rest),
            "/briefing" => ParseBriefing(rest),
            "/follow" => ParseFollow(rest, unfollow: false),
            "/unfollow" => ParseFollow(rest, unfollow: true),
            "/following" => new TextCommand.Request(new FollowingRequest()),
            // Typed in a message, a platform has not said who may manage the channel: the shell chat says so itself.
            "/settings" => ParseSettings(rest, mayManage: false),
            _ => new TextCommand.Invalid($"Unknown command {command}. Type /help for the list."),
        };
    }

    /// <summary>Quote arguments as typed: <c>speaker:… topic:…</c> in any order, or bare words meaning a topic.</summary>
    public static TextCommand ParseQuote(string rest)
    {
        rest = rest.Trim();
        if (rest.Length == 0)
        {
            return new TextCommand.Invalid(QuoteUsage);
        }

        var matches = KeyValue().Matches(rest);
        if (matches.Count == 0)
        {
            return new TextCommand.Request(new QuoteRequest(null, rest));
        }

        string? speaker = null, topic = null;
        foreach (Match match in matches)
        {
            var value = match.Groups["value"].Value.Trim().Trim('"', '“', '”').Trim();
            if (match.Groups["key"].Value.Equals("speaker", StringComparison.OrdinalIgnoreCase))
            {
                speaker = value.Length > 0 ? value : null;
            }
            else
            {
                topic = value.Length > 0 ? value : null;
            }
        }

        return speaker is null && topic is null
            ? new TextCommand.Invalid(QuoteUsage)
            : new TextCommand.Request(new QuoteRequest(speaker, topic));
    }

    /// <summary>A followed topic's words as typed (<c>words:</c> may lead them), folded to one spelling so the same topic is one follow.</summary>
    public static TextCommand ParseFollow(string? rest, bool unfollow)
    {
        var words = Regex.Replace(rest ?? string.Empty, @"^\s*words\s*:", string.Empty, RegexOptions.IgnoreCase);
        words = string.Join(' ', words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim('"', '“', '”').Trim().ToLowerInvariant();
        if (words.Length == 0)
        {
            return new TextCommand.Invalid(unfollow ? "Usage: /unfollow <words>, as /following lists them" : "Usage: /follow <words>, e.g. /follow Idlib ceasefire");
        }

        if (words.Length > ChatRouter.MaxFollowLength)
        {
            return new TextCommand.Invalid(ChatRouter.FollowTooLong);
        }

        return new TextCommand.Request(unfollow ? new UnfollowRequest(words) : new FollowRequest(words));
    }

    public const string SettingsUsage = "Usage: /settings [answers:everyone|asker] [briefing:on|off] [time:07:30] [timezone:Europe/Istanbul]";

    /// <summary>
    /// Settings as typed: <c>answers:</c>, <c>briefing:</c>, <c>time:</c>, <c>timezone:</c> in any order; none shows them.
    /// <paramref name="mayManage"/> comes from the platform, never from the text.
    /// </summary>
    public static TextCommand ParseSettings(string? rest, bool mayManage)
    {
        string? answers = null, briefing = null, time = null, zone = null;
        foreach (Match match in SettingPair().Matches(rest ?? string.Empty))
        {
            var value = match.Groups["value"].Value.Trim();
            switch (match.Groups["key"].Value.ToLowerInvariant())
            {
                case "answers":
                    answers = value;
                    break;
                case "briefing":
                    briefing = value;
                    break;
                case "time":
                    time = value;
                    break;
                default:
                    zone = value;
                    break;
            }
        }

        var leftover = SettingPair().Replace(rest ?? string.Empty, string.Empty).Trim();
        return leftover.Length > 0
            ? new TextCommand.Invalid(SettingsUsage)
            : new TextCommand.Request(new SettingsRequest(mayManage, answers, briefing, time, zone));
    }

    /// <summary>The start of a briefing window as typed (a date or date-time, UTC unless it says otherwise); empty means the default.</summary>
    public static TextCommand ParseBriefing(string? rest)
    {
        if (string.IsNullOrWhiteSpace(rest))
        {
            return new TextCommand.Request(new BriefingRequest(null));
        }

        return DateTimeOffset.TryParse(rest.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? new TextCommand.Request(new BriefingRequest(since))
            : new TextCommand.Invalid("Usage: /briefing [since, e.g. 2018-09-01]");
    }

    [GeneratedRegex(@"(?<key>answers|briefing|time|timezone)\s*:\s*(?<value>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex SettingPair();

    // key:value pairs where a value runs until the next key.
    [GeneratedRegex(@"(?<key>speaker|topic)\s*:\s*(?<value>.*?)(?=\s+(?:speaker|topic)\s*:|$)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();
}

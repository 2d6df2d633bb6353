using System.Globalization;
using System.Text.RegularExpressions;
using BriefingBot.Core.Chat;

namespace BriefingBot.Shell;

/// <summary>What a line typed into the shell asks for.</summary>
public abstract record ShellInput
{
    public sealed record Request(ChatRequest ChatRequest) : ShellInput;

    public sealed record Quit : ShellInput;

    public sealed record Nothing : ShellInput;

    public sealed record Invalid(string Message) : ShellInput;
}

/// <summary>Parses shell lines: a question, or <c>/quote speaker:… topic:…</c>, <c>/briefing</c>, <c>/sources</c>, <c>/help</c>, <c>/quit</c>.</summary>
public static partial class ShellCommandParser
{
    public static ShellInput Parse(string? line, string conversation)
    {
        if (line is null)
        {
            return new ShellInput.Quit();
        }

        var text = line.Trim();
        if (text.Length == 0)
        {
            return new ShellInput.Nothing();
        }

        if (!text.StartsWith('/'))
        {
            return new ShellInput.Request(new AskRequest(text, conversation));
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var command = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var rest = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        return command switch
        {
            "/quit" or "/exit" or "/q" => new ShellInput.Quit(),
            "/help" or "/?" => new ShellInput.Request(new HelpRequest()),
            "/sources" => new ShellInput.Request(new SourcesRequest()),
            "/ask" => rest.Length == 0 ? new ShellInput.Invalid("Usage: /ask <question>") : new ShellInput.Request(new AskRequest(rest, conversation)),
            "/quote" => ParseQuote(rest),
            "/briefing" => ParseBriefing(rest),
            _ => new ShellInput.Invalid($"Unknown command {command}. Type /help for the list."),
        };
    }

    private static ShellInput ParseQuote(string rest)
    {
        if (rest.Length == 0)
        {
            return new ShellInput.Invalid("Usage: /quote speaker:<name> topic:<words> (either or both)");
        }

        var matches = KeyValue().Matches(rest);
        if (matches.Count == 0)
        {
            return new ShellInput.Request(new QuoteRequest(null, rest));
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
            ? new ShellInput.Invalid("Usage: /quote speaker:<name> topic:<words> (either or both)")
            : new ShellInput.Request(new QuoteRequest(speaker, topic));
    }

    private static ShellInput ParseBriefing(string rest)
    {
        if (rest.Length == 0)
        {
            return new ShellInput.Request(new BriefingRequest(null));
        }

        return DateTimeOffset.TryParse(rest, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? new ShellInput.Request(new BriefingRequest(since))
            : new ShellInput.Invalid("Usage: /briefing [since, e.g. 2018-09-01]");
    }

    // key:value pairs where a value runs until the next key.
    [GeneratedRegex(@"(?<key>speaker|topic)\s*:\s*(?<value>.*?)(?=\s+(?:speaker|topic)\s*:|$)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();
}

using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// Markdown with YAML front matter (<c>title</c>, <c>outlet</c>, <c>url</c>, <c>published</c>, <c>author</c>, optional <c>id</c>).
/// Without a front-matter title, the first heading is the title. Markup is removed; the words stay.
/// </summary>
public sealed partial class MarkdownFormat : IArticleFormat
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public IReadOnlyList<string> Extensions { get; } = [".md", ".markdown"];

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        var text = content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        var front = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (text.StartsWith("---\n", StringComparison.Ordinal) || text == "---")
        {
            var close = FrontMatterEnd().Match(text, 3);
            if (!close.Success)
            {
                return [ReadResult.Fail(source, 1, "bad front matter: the opening '---' has no closing '---'")];
            }

            var yaml = text[4..close.Index];
            var error = ParseFrontMatter(yaml, front);
            if (error is not null)
            {
                return [ReadResult.Fail(source, error.Value.Line, $"bad front matter: {error.Value.Reason}")];
            }

            text = text[(close.Index + close.Length)..];
        }

        var lines = new List<string>();
        string? heading = null;
        var inFence = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence || HorizontalRule().IsMatch(line))
            {
                continue;
            }

            var headingMatch = Heading().Match(line);
            if (headingMatch.Success)
            {
                var headingText = Inline(headingMatch.Groups[2].Value);
                if (heading is null && !front.ContainsKey("title"))
                {
                    heading = headingText;
                    continue;
                }

                lines.Add(string.Empty);
                lines.Add(headingText);
                lines.Add(string.Empty);
                continue;
            }

            lines.Add(Inline(ListOrQuoteMarker().Replace(line, string.Empty)));
        }

        var paragraphs = Paragraphs.Split(string.Join('\n', lines));
        var title = front.GetValueOrDefault("title") ?? heading;
        return
        [
            ReadResult.Ok(new RawArticle(
                front.GetValueOrDefault("id"), title, front.GetValueOrDefault("outlet"), front.GetValueOrDefault("url"),
                front.GetValueOrDefault("published"), front.GetValueOrDefault("author"), paragraphs)),
        ];
    }

    private static (int? Line, string Reason)? ParseFrontMatter(string yaml, Dictionary<string, string?> into)
    {
        object? parsed;
        try
        {
            parsed = Yaml.Deserialize<object?>(yaml);
        }
        catch (YamlException ex)
        {
            // Line numbers count from the opening '---' (line 1); an error found at the end belongs to the last line.
            var lines = yaml.TrimEnd('\n').Split('\n').Length;
            return ((int)Math.Min(ex.Start.Line, lines) + 1, ex.InnerException?.Message ?? ex.Message);
        }

        if (parsed is null)
        {
            return null;
        }

        if (parsed is not Dictionary<object, object?> map)
        {
            return (2, "front matter must be a mapping of fields (title: ..., outlet: ...)");
        }

        foreach (var (key, value) in map)
        {
            var name = Convert.ToString(key, CultureInfo.InvariantCulture);
            if (name is null)
            {
                continue;
            }

            switch (value)
            {
                case null:
                    into[name] = null;
                    break;
                case string s:
                    into[name] = string.IsNullOrWhiteSpace(s) ? null : s.Trim();
                    break;
                case IEnumerable<object?> list when name.Equals("author", StringComparison.OrdinalIgnoreCase):
                    into[name] = string.Join(", ", list.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)));
                    break;
                default:
                    if (name is "title" or "outlet" or "url" or "published" or "author" or "id")
                    {
                        return (2, $"'{name}' must be a plain value");
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Inline markup to plain words: links and images, emphasis, code spans, HTML tags.</summary>
    private static string Inline(string line)
    {
        line = Image().Replace(line, string.Empty);
        line = Link().Replace(line, "$1");
        line = Emphasis().Replace(line, "$2");
        line = CodeSpan().Replace(line, "$1");
        return HtmlTag().Replace(line, string.Empty);
    }

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex FrontMatterEnd();

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s{0,3}([-*_])(\s*\1){2,}\s*$")]
    private static partial Regex HorizontalRule();

    [GeneratedRegex(@"^\s*(>\s?)+|^\s*([-*+]|\d+[.)])\s+")]
    private static partial Regex ListOrQuoteMarker();

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"`([^`]*)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"</?[A-Za-z][^>]*>")]
    private static partial Regex HtmlTag();
}

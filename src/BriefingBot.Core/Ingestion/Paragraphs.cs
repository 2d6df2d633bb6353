using System.Text;
using System.Text.RegularExpressions;

namespace BriefingBot.Core.Ingestion;

/// <summary>Paragraph handling shared by the text-based formats.</summary>
internal static partial class Paragraphs
{
    /// <summary>
    /// Splits a body into paragraphs: blank lines separate paragraphs; inside a block, lines are joined with a
    /// space (hard-wrapped text) unless every line ends a sentence, in which case each line is a paragraph.
    /// </summary>
    public static List<string> Split(string body)
    {
        var result = new List<string>();
        foreach (var block in BlankLine().Split(body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')))
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length == 0)
            {
                continue;
            }

            if (lines.Length > 1 && lines.All(EndsSentence))
            {
                result.AddRange(lines);
            }
            else
            {
                result.Add(string.Join(' ', lines));
            }
        }

        return result;
    }

    /// <summary>Collapses runs of white space to one space and trims; control characters become spaces.</summary>
    public static string Normalize(string paragraph)
    {
        var sb = new StringBuilder(paragraph.Length);
        var pendingSpace = false;
        foreach (var c in paragraph)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\u200B' || c == '\uFEFF')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool EndsSentence(string line) =>
        line.Length > 0 && line[^1] is '.' or '!' or '?' or '"' or '”' or '’' or ':' or '…';

    [GeneratedRegex(@"\n[ \t]*\n+")]
    private static partial Regex BlankLine();
}

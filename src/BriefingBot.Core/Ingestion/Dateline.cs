using System.Text.RegularExpressions;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// A leading dateline ("ANKARA:", "BEIRUT (Reuters) -", "DAMASCUS, Syria —") is the article's place line, kept
/// apart from the body text.
/// </summary>
public static partial class Dateline
{
    public static (string? Place, string Body) Split(string firstParagraph)
    {
        var match = Pattern().Match(firstParagraph);
        if (!match.Success || match.Length >= firstParagraph.Length)
        {
            return (null, firstParagraph);
        }

        return (match.Groups["place"].Value.Trim(), firstParagraph[match.Length..].TrimStart());
    }

    // Upper-case place (with an optional ", Country" and "(Agency)"), then a colon or a dash.
    [GeneratedRegex(@"^(?<place>[A-Z][A-Z'’.\- ]{1,40}[A-Z.](,\s*[A-Z][A-Za-z.\- ]{1,30})?(\s*\([A-Za-z .]{2,30}\))?)\s*(:|—|–|-{1,2})\s+")]
    private static partial Regex Pattern();
}

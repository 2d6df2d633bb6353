namespace BriefingBot.Core.Chat;

/// <summary>Splits text into pieces within a platform's limit at the best boundary: paragraph, line, sentence, word.</summary>
public static class TextSplitter
{
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        var pieces = new List<string>();
        var rest = text.Trim();
        while (rest.Length > limit)
        {
            var cut = Boundary(rest, limit);
            pieces.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            pieces.Add(rest);
        }

        return pieces;
    }

    private static int Boundary(string text, int limit)
    {
        var window = text.AsSpan(0, limit + 1);
        foreach (var separator in new[] { "\n\n", "\n", ". ", "? ", "! ", " " })
        {
            var at = window.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > limit / 3)
            {
                return Math.Min(limit, at + separator.Length);
            }
        }

        // No boundary at all: cut hard, but not between a markdown escape and its character.
        var cut = limit;
        if (text[cut - 1] == '\\' && (cut < 2 || text[cut - 2] != '\\'))
        {
            cut--;
        }

        return cut;
    }

    /// <summary>At most <paramref name="max"/> characters: the text, or its start and an ellipsis.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}

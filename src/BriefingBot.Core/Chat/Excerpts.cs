namespace BriefingBot.Core.Chat;

/// <summary>Shows a sentence from an article as a quotation without doubling the marks it may already have.</summary>
public static class Excerpts
{
    /// <summary>“text”, or the text as it is when it already opens and closes with quotation marks.</summary>
    public static string Quoted(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && trimmed[0] is '“' or '"' or '«' && trimmed[^1] is '”' or '"' or '»')
        {
            return trimmed;
        }

        // A sentence that opens a quotation and goes on after it ("“…,” he said.") keeps its marks inside ours.
        return $"“{trimmed}”";
    }
}

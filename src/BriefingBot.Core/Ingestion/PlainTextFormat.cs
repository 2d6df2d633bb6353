namespace BriefingBot.Core.Ingestion;

/// <summary>Plain text: the title on the first non-empty line, the body after it.</summary>
public sealed class PlainTextFormat : IArticleFormat
{
    public IReadOnlyList<string> Extensions { get; } = [".txt"];

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        var text = content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\n', ' ', '\t');
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            yield return ReadResult.Fail(source, null, "no body: a plain-text article needs its title on the first line and the body after it");
            yield break;
        }

        var title = text[..newline].Trim();
        var paragraphs = Paragraphs.Split(text[(newline + 1)..]);
        yield return ReadResult.Ok(new RawArticle(null, title, null, null, null, null, paragraphs));
    }
}

using System.Text.Json;

namespace BriefingBot.Core.Ingestion;

/// <summary>
/// JSON Lines: one article per line, <c>{"id", "title", "outlet", "url", "published", "author", "body"}</c>.
/// A broken line is reported with its number and the rest of the file is still read.
/// </summary>
public sealed class JsonLinesFormat : IArticleFormat
{
    public IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

    public IEnumerable<ReadResult> Read(string source, string content)
    {
        var lineNumber = 0;
        foreach (var rawLine in content.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            yield return ReadLine(source, line, lineNumber);
        }
    }

    private static ReadResult ReadLine(string source, string line, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return ReadResult.Fail(source, lineNumber, $"broken JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ReadResult.Fail(source, lineNumber, "a line must be a JSON object");
            }

            if (!TryString(root, "body", out var body, out var error) || string.IsNullOrWhiteSpace(body))
            {
                return ReadResult.Fail(source, lineNumber, error ?? "missing \"body\"");
            }

            string? Field(string name) => TryString(root, name, out var value, out _) ? value : null;
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number
                ? idElement.GetRawText()
                : Field("id");

            return ReadResult.Ok(new RawArticle(
                id, Field("title"), Field("outlet"), Field("url"), Field("published"), Field("author"),
                Paragraphs.Split(body), lineNumber));
        }
    }

    private static bool TryString(JsonElement root, string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"\"{name}\" must be a string";
            return false;
        }

        value = element.GetString();
        return !string.IsNullOrWhiteSpace(value);
    }
}

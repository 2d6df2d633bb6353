using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Storage;

/// <summary>How every provider stores what has no column type of its own: a passage's sentence spans, a text's hash.</summary>
public static class StoredForm
{
    /// <summary>The key a vector is stored under: the first 16 bytes of the SHA-256 of the text it encodes.</summary>
    public static byte[] TextHash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];

    public static string EncodeSpans(IReadOnlyList<TextSpan> spans) =>
        string.Join(';', spans.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Start}:{s.Length}")));

    public static List<TextSpan> DecodeSpans(string encoded)
    {
        var spans = new List<TextSpan>();
        foreach (var part in encoded.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            spans.Add(new TextSpan(
                int.Parse(part.AsSpan(0, colon), CultureInfo.InvariantCulture),
                int.Parse(part.AsSpan(colon + 1), CultureInfo.InvariantCulture)));
        }

        return spans;
    }

    /// <summary>A rejected file's problems, one a line: "&lt;line or empty&gt;\t&lt;source&gt;\t&lt;reason&gt;"; reasons are single lines.</summary>
    public static string EncodeProblems(IReadOnlyList<IngestProblem> problems) => string.Join('\n', problems.Select(p =>
        $"{p.Line?.ToString(CultureInfo.InvariantCulture)}\t{p.Source}\t{p.Reason.ReplaceLineEndings(" ")}"));

    public static List<IngestProblem> DecodeProblems(string path, string encoded)
    {
        var result = new List<IngestProblem>();
        foreach (var line in encoded.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 3);
            if (parts.Length < 3)
            {
                continue;
            }

            int? number = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            result.Add(new IngestProblem(parts[1].Length > 0 ? parts[1] : path, number, parts[2]));
        }

        return result;
    }

    /// <summary>The columns <see cref="ReadPassage"/> reads, in its order.</summary>
    public const string PassageColumns = "id, article_id, ordinal, paragraph, start, length, sentences, text, own_start";

    public static Passage ReadPassage(DbDataReader reader) => new(
        reader.GetInt64(0), new ArticleId(reader.GetString(1)), reader.GetInt32(2), reader.GetInt32(3),
        new TextSpan(reader.GetInt32(4), reader.GetInt32(5)), DecodeSpans(reader.GetString(6)), reader.GetString(7), reader.GetInt32(8));

    /// <summary>The columns <see cref="ReadQuote"/> reads, in its order.</summary>
    public const string QuoteColumns = "id, article_id, kind, start, length, text, speaker, description, aliases, speaker_key";

    public static StoredQuote ReadQuote(DbDataReader reader)
    {
        var kind = Enum.Parse<QuoteKind>(reader.GetString(2), ignoreCase: true);
        var speaker = new Speaker(reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetString(8).Split('|', StringSplitOptions.RemoveEmptyEntries));
        return new StoredQuote(reader.GetInt64(0), new ArticleId(reader.GetString(1)), kind,
            new TextSpan(reader.GetInt32(3), reader.GetInt32(4)), reader.GetString(5), speaker, reader.GetString(9));
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using BriefingBot.Core;
using BriefingBot.Core.Ingestion;

namespace BriefingBot.Bench;

/// <summary>Shingle matching of one page's text against its marked body, as shares of all shingles (a page weighs one).</summary>
internal readonly record struct ShingleMatch(double TruePositive, double FalsePositive, double FalseNegative)
{
    public double Precision => FalsePositive == 0 && FalseNegative == 0 ? 1 : TruePositive + FalsePositive == 0 ? 0 : TruePositive / (TruePositive + FalsePositive);

    public double Recall => FalsePositive == 0 && FalseNegative == 0 ? 1 : TruePositive + FalseNegative == 0 ? 0 : TruePositive / (TruePositive + FalseNegative);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>One page read: its key, how well, how long it took, and what was read.</summary>
internal sealed record PageScore(string Key, ShingleMatch Match, double Milliseconds, bool NoText, string Text);

/// <summary>
/// <c>eval-pages</c>: how well article pages are read, against bodies a person marked. Scored as the article-extraction
/// benchmark scores it: the word 4-grams of the text read and of the marked body matched by count, precision and recall
/// averaged over pages, F1 of the two averages.
/// </summary>
internal static partial class PageEvaluation
{
    private const int ShingleLength = 4;

    /// <summary>The benchmark's match: word 4-grams (words as <c>\w+</c>), counted, normalised by their total.</summary>
    public static ShingleMatch Score(string truth, string read)
    {
        var expected = Shingles(truth);
        var found = Shingles(read);
        double tp = 0, fp = 0, fn = 0;
        foreach (var key in expected.Keys.Union(found.Keys))
        {
            var want = expected.GetValueOrDefault(key);
            var got = found.GetValueOrDefault(key);
            tp += Math.Min(want, got);
            fp += Math.Max(0, got - want);
            fn += Math.Max(0, want - got);
        }

        var sum = tp + fp + fn;
        return sum > 0 ? new ShingleMatch(tp / sum, fp / sum, fn / sum) : new ShingleMatch(0, 0, 0);
    }

    /// <summary>Precision averaged over the pages where something was read, recall over those with a marked body; F1 of the two.</summary>
    public static (double F1, double Precision, double Recall) Average(IReadOnlyList<ShingleMatch> matches)
    {
        var precision = matches.Where(m => m.TruePositive + m.FalsePositive > 0).Select(m => m.Precision).DefaultIfEmpty(0).Average();
        var recall = matches.Where(m => m.TruePositive + m.FalseNegative > 0).Select(m => m.Recall).DefaultIfEmpty(0).Average();
        return (precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), precision, recall);
    }

    /// <summary>Reads every page of <c>html/</c> that <c>ground-truth.json</c> marks, twice (the second pass is timed warm).</summary>
    public static IReadOnlyList<PageScore> Run(string folder)
    {
        var truthPath = Path.Combine(folder, "ground-truth.json");
        var pages = Path.Combine(folder, "html");
        if (!File.Exists(truthPath) || !Directory.Exists(pages))
        {
            throw new BriefingBotException($"'{folder}' has no ground-truth.json and html/ folder (option --data): pages as <key>.html or <key>.html.gz, " +
                "marked bodies as {\"<key>\": {\"articleBody\": \"...\", \"url\": \"...\"}}.");
        }

        using var truthFile = File.OpenRead(truthPath);
        var truth = JsonDocument.Parse(truthFile).RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => (Body: p.Value.GetProperty("articleBody").GetString() ?? string.Empty, Url: p.Value.TryGetProperty("url", out var url) ? url.GetString() : null));
        var files = truth.Keys.Order(StringComparer.Ordinal).Select(key => (Key: key, Bytes: PageBytes(pages, key))).ToList();
        var format = new HtmlFormat();
        foreach (var (key, bytes) in files)
        {
            _ = ReadPage(format, key, truth[key].Url, bytes); // the first pass warms the reader up
        }

        var scores = new List<PageScore>();
        foreach (var (key, bytes) in files)
        {
            var clock = Stopwatch.StartNew();
            var text = ReadPage(format, key, truth[key].Url, bytes);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            scores.Add(new PageScore(key, Score(truth[key].Body, text ?? string.Empty), elapsed, text is null, text ?? string.Empty));
        }

        return scores;
    }

    /// <summary>What the bot stores of a page (decoded as a browser would, read, cleaned of boilerplate), its dateline first; null when nothing.</summary>
    private static string? ReadPage(HtmlFormat format, string key, string? url, byte[] bytes)
    {
        var (html, _) = SourceDecoder.DecodePage(bytes);
        if (html is null)
        {
            return null;
        }

        var source = url ?? key + ".html";
        if (format.Read(source, html).FirstOrDefault().Article is not { } raw || ArticleBuilder.Build(raw, source, key, DateTimeOffset.UnixEpoch).Article is not { } built)
        {
            return null;
        }

        return built.Article.Dateline is { } dateline ? dateline + "\n" + built.Article.Text : built.Article.Text;
    }

    private static byte[] PageBytes(string folder, string key)
    {
        var plain = Path.Combine(folder, key + ".html");
        if (File.Exists(plain))
        {
            return File.ReadAllBytes(plain);
        }

        var zipped = Path.Combine(folder, key + ".html.gz");
        if (!File.Exists(zipped))
        {
            throw new BriefingBotException($"No page for '{key}' in '{folder}' (as {key}.html or {key}.html.gz).");
        }

        using var input = new GZipStream(File.OpenRead(zipped), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static Dictionary<string, int> Shingles(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        // As the benchmark does: a text shorter than a shingle is one shingle of all its words.
        for (var i = 0; i < Math.Max(1, words.Count - ShingleLength + 1); i++)
        {
            var shingle = string.Join('\u001f', words.Skip(i).Take(ShingleLength));
            if (shingle.Length > 0)
            {
                counts[shingle] = counts.GetValueOrDefault(shingle) + 1;
            }
        }

        return counts;
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();
}

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BriefingBot.Bench;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

public sealed class EvalPagesSpecs
{
    private const string Body = "Turkey sent more troops to its observation posts in Idlib on Sunday, officials said.\n" +
        "The reinforcements crossed the border at Kilis overnight, a local monitor reported.";

    [Fact]
    public void Pages_are_scored_as_the_article_extraction_benchmark_scores_them()
    {
        // Word 4-grams matched by count: "a b c d" read of "a b c d e" finds one of the two shingles and nothing else.
        var partial = PageEvaluation.Score("a b c d e", "a b c d");
        Assert.Equal((1.0, 0.5), (partial.Precision, partial.Recall));

        var extra = PageEvaluation.Score("a b c d", "a b c d x");
        Assert.Equal((0.5, 1.0), (extra.Precision, extra.Recall));

        // Precision averages over the pages where something was read; recall over all marked ones.
        var (f1, precision, recall) = PageEvaluation.Average([partial, extra, PageEvaluation.Score("a b c d", string.Empty)]);
        Assert.Equal((0.75, 0.5), (precision, recall));
        Assert.Equal(0.6, f1, 6);
    }

    [Fact]
    public async Task The_verb_prints_f1_precision_recall_the_pages_with_no_text_and_the_time_a_page_takes()
    {
        using var cli = new CliRun();
        var folder = Path.Combine(cli.Folder, "pages");
        Directory.CreateDirectory(Path.Combine(folder, "html"));
        var page = $"<html><head><title>Troops</title></head><body><nav><a href='/'>Home</a></nav><article>{string.Concat(Body.Split('\n').Select(p => $"<p>{p}</p>"))}</article></body></html>";
        await File.WriteAllTextAsync(Path.Combine(folder, "html", "plain.html"), page);
        await using (var zipped = new GZipStream(File.Create(Path.Combine(folder, "html", "zipped.html.gz")), CompressionLevel.Fastest))
        {
            await zipped.WriteAsync(Encoding.UTF8.GetBytes(page));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "html", "empty.html"), "<html><body><nav><a href='/'>Home</a></nav></body></html>");
        await File.WriteAllTextAsync(Path.Combine(folder, "ground-truth.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["plain"] = new { articleBody = Body, url = "https://example.org/troops" },
            ["zipped"] = new { articleBody = Body },
            ["empty"] = new { articleBody = Body },
        }));

        var (exit, output, error) = await cli.RunBenchAsync("eval-pages", "--data", folder, "--verbose");

        Assert.True(exit == 0, error);
        Assert.Matches(@"pages: 3  F1 0\.800  precision 1\.000  recall 0\.667  no text: 1  read in \d+\.\d ms a page on average", output);
        Assert.Matches(@"empty  +F1 0\.000 .* no text", output);
    }

    [Fact]
    public async Task A_folder_without_pages_and_marked_bodies_is_refused_with_what_it_needs()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunBenchAsync("eval-pages", "--data", cli.Folder);

        Assert.Equal(1, exit);
        Assert.Contains("ground-truth.json", error, StringComparison.Ordinal);
    }
}

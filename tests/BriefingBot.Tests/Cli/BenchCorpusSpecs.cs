using System.Text.Json.Nodes;
using BriefingBot.Bench;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Cli;

/// <summary>The corpora <c>bench</c> measures on: beyond the source's own articles, distinct ones, as an archive would hold.</summary>
public sealed class BenchCorpusSpecs
{
    [Fact]
    public void Articles_beyond_the_source_are_distinct_recombinations_of_the_same_outlets_sentences()
    {
        using var folder = new TempFolder();
        var lines = File.ReadAllLines(RepoFiles.FaKesArticles).Where(l => l.Length > 0).ToArray();

        Benchmark.WriteCorpus(lines, folder.Path, 0, 3000);

        var articles = Directory.GetFiles(folder.Path, "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(3000, articles.Count);
        var beyond = articles.Skip(lines.Length).ToList();
        Assert.Equal(beyond.Count, beyond.Select(a => (string)a["id"]!).Distinct().Count());
        Assert.True(beyond.Select(a => (string)a["body"]!).Distinct().Count() >= beyond.Count * 0.99, "bodies repeat");

        // A recombined article opens with a sentence its outlet published.
        var source = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var article in beyond.Take(50))
        {
            var outlet = (string?)article["outlet"];
            var bodies = string.Join('\n', source.Where(a => (string?)a["outlet"] == outlet).Select(a => (string)a["body"]!));
            var first = ((string)article["body"]!)[..20]; // each drawn sentence is longer than that
            Assert.True(bodies.Contains(first, StringComparison.Ordinal), $"{outlet}: {first}");
        }
    }
}

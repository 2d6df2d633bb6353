using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Retrieval;

public sealed class KeywordSearchSpecs
{
    [Fact]
    public async Task Searches_while_files_are_rewritten_never_fail_and_end_on_the_last_text()
    {
        using var corpus = new TestCorpus();
        corpus.Write("a.md", "# Convoy\n\nA convoy reached Atmeh with flour.");
        await corpus.IngestAsync();

        using var stop = new CancellationTokenSource();
        var searches = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                await corpus.Store.SearchKeywordsAsync(["convoy", "shelling", "round"], 5);
                count++;
            }

            return count;
        })).ToList();

        for (var round = 0; round < 8; round++)
        {
            corpus.Write("a.md", $"# Round {round}\n\n{(round % 2 == 0 ? "Shelling" : "A convoy")} in round {round} near Atmeh.");
            await corpus.IngestAsync();
        }

        await stop.CancelAsync();
        var counts = await Task.WhenAll(searches);

        Assert.All(counts, c => Assert.True(c > 0));
        Assert.Empty(await corpus.Store.SearchKeywordsAsync(["shelling"], 5));
        Assert.Single(await corpus.Store.SearchKeywordsAsync(["convoy"], 5));
    }
}

using BriefingBot.Core.Quotes;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BriefingBot.Tests.Quotes;

[Collection(EmbedderCollection.Name)]
public sealed class SemanticQuoteSpecs(EmbedderFixture fixture)
{
    [Fact]
    public async Task A_topic_finds_quotes_by_meaning_when_no_word_of_it_is_in_the_quote()
    {
        using var corpus = new TestCorpus(fixture.Embedder);
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        await corpus.EmbedAsync();
        var finder = new QuoteFinder(corpus.Store, NullLogger<QuoteFinder>.Instance, fixture.Embedder);
        var keywordsOnly = new QuoteFinder(corpus.Store, NullLogger<QuoteFinder>.Instance);

        var semantic = await finder.FindAsync(null, "the Americans will get in the way");
        var lexical = await keywordsOnly.FindAsync(null, "the Americans will get in the way");

        Assert.Empty(lexical.Quotes);
        var first = semantic.Quotes[0].Quote;
        Assert.Equal("Aaron Stein", first.Speaker.Name);
        Assert.StartsWith("The US will try and obstruct", first.Text, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using BriefingBot.Bench;
using BriefingBot.Core.Quotes;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace BriefingBot.Tests.Quotes;

public sealed class QuoteLookupSpecs : IAsyncLifetime, IDisposable
{
    private readonly TestCorpus _corpus = new();
    private QuoteFinder _finder = null!;

    public async Task InitializeAsync()
    {
        _corpus.AddBundledArticle();
        _corpus.Write("stein.md", """
            ---
            title: Washington watches Idlib
            outlet: Example Wire
            published: 2018-09-10
            ---
            Aaron Stein, a fellow at the Atlantic Council, spoke again on Monday.

            “Washington has no plan for the refugees of Idlib,” Stein said.
            """);
        await _corpus.IngestAsync();
        _finder = new QuoteFinder(_corpus.Store, NullLogger<QuoteFinder>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _corpus.Dispose();

    [Theory]
    [InlineData("Kerim Has")]
    [InlineData("Has")]
    [InlineData("kerim has")]
    [InlineData("Kerim Haz")]
    public async Task A_speaker_is_found_by_full_name_surname_any_case_or_a_close_misspelling(string query)
    {
        var lookup = await _finder.FindAsync(query, null);

        Assert.Equal(6, lookup.Quotes.Count);
        Assert.All(lookup.Quotes, q => Assert.Equal("Kerim Has", q.Quote.Speaker.Name));
    }

    [Fact]
    public async Task A_fragment_a_store_holds_from_before_the_speaker_rule_is_neither_listed_nor_found_and_its_quote_shows_unattributed()
    {
        var raw = new Core.Ingestion.RawArticle(null, "Vigil in Charlotte", "Example Wire", null, "2018-09-11", null,
            ["“The city will never go back to normal after this night of grief,” said the Rev. Peter Wherry on Tuesday."]);
        var built = Core.Ingestion.ArticleBuilder.Build(raw, "old.txt", "old-vigil", DateTimeOffset.UtcNow).Article!;
        var fragment = built with { Quotes = built.Quotes.Select(q => q with { Speaker = new Speaker("The Rev", null, ["The Rev"]) }).ToList() };
        await _corpus.Store.ReplaceSourceAsync(new Core.Articles.SourceRecord("old.txt", "old", 100, DateTimeOffset.UtcNow), [fragment]);

        var suggested = await _finder.SuggestSpeakersAsync("The");
        var byName = await _finder.FindAsync("The Rev", null);
        var byTopic = await _finder.FindAsync(null, "grief night city normal");

        Assert.DoesNotContain(suggested, s => s.Name == "The Rev");
        Assert.Empty(byName.MatchedSpeakers);
        Assert.DoesNotContain(byName.Suggestions, s => s.Name == "The Rev");
        var hit = Assert.Single(byTopic.Quotes, q => q.Quote.Text.Contains("night of grief", StringComparison.Ordinal));
        Assert.Equal(SpeakerRule.Unattributed, hit.Quote.Speaker);
    }

    [Fact]
    public async Task The_speaker_index_is_built_once_and_again_when_articles_are_stored_here_or_a_minute_has_passed()
    {
        var changes = new Core.Articles.CorpusChanges();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var finder = new QuoteFinder(_corpus.Store, NullLogger<QuoteFinder>.Instance, null, changes, clock);
        Assert.Empty((await finder.FindAsync("Jane Roe", null)).MatchedSpeakers);

        async Task AddAsync(string file, string name)
        {
            _corpus.Write(file, $"---\ntitle: {name} speaks\noutlet: Wire\npublished: 2018-09-12\n---\n“The convoy must be let through to Idlib without delay,” said {name}, a UN official.\n");
            await _corpus.IngestAsync();
        }

        await AddAsync("roe.md", "Jane Roe");
        var stale = await finder.FindAsync("Jane Roe", null); // stored by another process: not seen yet
        changes.Stored([new Core.Articles.ArticleId("roe")]);
        var afterStored = await finder.FindAsync("Jane Roe", null);
        await AddAsync("doe.md", "John Doe");
        clock.Advance(TimeSpan.FromMinutes(2));
        var afterAMinute = await finder.FindAsync("John Doe", null);

        Assert.Empty(stale.MatchedSpeakers);
        Assert.Equal("Jane Roe", Assert.Single(afterStored.MatchedSpeakers).Name);
        Assert.Equal("John Doe", Assert.Single(afterAMinute.MatchedSpeakers).Name);
        Assert.Contains(await finder.SuggestSpeakersAsync("ro"), s => s.Name == "Jane Roe"); // a word of the name, as typed
    }

    [Fact]
    public async Task Accents_do_not_matter_either_way()
    {
        var lookup = await _finder.FindAsync("Çavuşoğlu", null);

        Assert.Equal("Mevlut Cavusoglu", Assert.Single(lookup.MatchedSpeakers).Name);
    }

    [Fact]
    public async Task Quotes_of_one_person_across_articles_come_newest_first_when_dated()
    {
        var lookup = await _finder.FindAsync("Stien", null);

        Assert.Equal(2, lookup.Quotes.Count);
        Assert.Equal("Washington has no plan for the refugees of Idlib,", lookup.Quotes[0].Quote.Text);
        Assert.All(lookup.Quotes, q => Assert.Equal("Aaron Stein", q.Quote.Speaker.Name));
    }

    [Fact]
    public async Task Speaker_and_topic_together_narrow_to_that_speaker_s_words_on_it()
    {
        var lookup = await _finder.FindAsync("Has", "corridor");

        Assert.Equal(2, lookup.Quotes.Count);
        Assert.All(lookup.Quotes, q => Assert.Contains("corridor", q.Quote.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_topic_alone_searches_every_speaker()
    {
        var lookup = await _finder.FindAsync(null, "refugees");

        var hit = Assert.Single(lookup.Quotes);
        Assert.Equal("Aaron Stein", hit.Quote.Speaker.Name);
        Assert.Equal("Example Wire", hit.Article.Outlet);
    }

    [Fact]
    public async Task An_unknown_speaker_gets_the_closest_names_the_corpus_quotes()
    {
        var lookup = await _finder.FindAsync("Erdogan", null);

        Assert.Empty(lookup.Quotes);
        Assert.Empty(lookup.MatchedSpeakers);
        Assert.Equal(["Kerim Has", "Aaron Stein"], lookup.Suggestions.Select(s => s.Name).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task A_speaker_with_no_direct_quote_is_offered_as_paraphrase()
    {
        var lookup = await _finder.FindAsync("Cavusoglu", null);

        Assert.Empty(lookup.Quotes);
        var paraphrase = Assert.Single(lookup.Paraphrases);
        Assert.Equal(QuoteKind.Paraphrase, paraphrase.Quote.Kind);
        Assert.Contains("would be disastrous", paraphrase.Quote.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_speaker_list_for_autocomplete_counts_quotes_and_matches_prefixes()
    {
        var all = await _finder.SuggestSpeakersAsync(null);
        var prefixed = await _finder.SuggestSpeakersAsync("ste");

        Assert.Equal([("Kerim Has", 6), ("Aaron Stein", 2)], all.Select(s => (s.Name, s.Quotes)));
        Assert.Equal("Aaron Stein", Assert.Single(prefixed).Name);
    }

    [Fact]
    public async Task Quote_text_stays_verbatim_in_the_stored_article()
    {
        var lookup = await _finder.FindAsync("Has", null);

        Assert.All(lookup.Quotes, q => Assert.Equal(q.Quote.Text, q.Article.Slice(q.Quote.Span)));
    }
}

public sealed class QuoteCommandSpecs
{
    [Fact]
    public async Task Quote_in_json_prints_exactly_the_documented_shape()
    {
        using var cli = new CliRun();

        var (exit, output, error) = await cli.RunAsync("quote", "--no-embeddings", "--speaker", "Has", "--topic", "corridor", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["speaker", "topic", "quotes"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Has", "corridor"), (root.GetProperty("speaker").GetString(), root.GetProperty("topic").GetString()));
        var quote = root.GetProperty("quotes")[0];
        Assert.Equal(["text", "kind", "speaker", "articleId", "title", "outlet", "url", "published"], quote.EnumerateObject().Select(p => p.Name));
        Assert.Equal("direct", quote.GetProperty("kind").GetString());
        Assert.Equal(["name", "description"], quote.GetProperty("speaker").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Kerim Has", quote.GetProperty("speaker").GetProperty("name").GetString());
        Assert.Equal("a lecturer on Turkish-Russian relations at Moscow State University", quote.GetProperty("speaker").GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, quote.GetProperty("outlet").ValueKind);
        Assert.Contains(quote.GetProperty("text").GetString()!, await File.ReadAllTextAsync(RepoFiles.BundledArticle), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_in_text_names_the_speaker_their_description_and_the_article()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunAsync("quote", "--no-embeddings", "--speaker", "Aaron Stein");

        Assert.Equal(0, exit);
        Assert.Contains("“The US will try and obstruct anything that it doesn’t find to be in its interests,”", output, StringComparison.Ordinal);
        Assert.Contains("— Aaron Stein, senior resident fellow at the Atlantic Council in Washington", output, StringComparison.Ordinal);
        Assert.Contains("Russian, Turkish officials step up talks on Idlib crisis — 000_2db221335312afa3.txt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shell_quote_command_looks_quotes_up()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunWithInputAsync("/quote speaker:Stein\n/quote speaker:Erdogan\n", "--no-embeddings");

        Assert.Contains("— Aaron Stein", output, StringComparison.Ordinal);
        Assert.Contains("Nobody called “Erdogan” is quoted in the corpus. Closest names:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_extraction_is_scored_against_annotated_news()
    {
        var scores = QuoteEvaluation.Score(RepoFiles.AnnotatedQuotes);

        Assert.Equal(2, scores.Articles);
        Assert.Equal(4, scores.GoldDirect);
        Assert.Equal(1.0, scores.TextPrecision);
        Assert.Equal(1.0, scores.TextRecall);
        Assert.Equal(1.0, scores.SpeakerPrecision);
        Assert.Equal((1.0, 1.0), (scores.ExactF1, scores.TokenF1));
        Assert.Equal(((2, 2), (2, 2)), (scores.Named, scores.Pronoun));
    }

    [Fact]
    public async Task The_evaluation_command_prints_its_figures()
    {
        using var cli = new CliRun();

        var (exit, output, _) = await cli.RunBenchAsync("eval-quotes", "--data", RepoFiles.AnnotatedQuotes);

        Assert.Equal(0, exit);
        Assert.Matches(@"2 articles, 4 annotated direct quotes, 4 extracted: quote text P 1\.000 R 1\.000; speaker P 1\.000", output);
        Assert.Matches(@"exact F1 1\.000 \(P 4/4, R 4/4 quote parts\); token-overlap F1 1\.000 \(P 42/42, R 42/42\); speakers named 1\.000 \(2/2\), pronoun 1\.000 \(2/2\)", output);
    }

    [Fact]
    public async Task The_evaluation_command_says_where_to_get_annotated_news_when_it_has_none()
    {
        using var cli = new CliRun();

        var (exit, _, error) = await cli.RunBenchAsync("eval-quotes", "--data", Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(1, exit);
        Assert.Contains("has no text/ and attributions/ folders", error, StringComparison.Ordinal);
    }
}

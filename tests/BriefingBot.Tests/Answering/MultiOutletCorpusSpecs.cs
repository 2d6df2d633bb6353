using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Answering;

/// <summary>The 804 Syrian-war articles bundled in samples/fa-kes (many outlets, 2011–2018), searched by keyword.</summary>
public sealed class MultiOutletCorpusSpecs : IClassFixture<MultiOutletCorpusSpecs.Corpus>
{
    private readonly Corpus _corpus;

    public MultiOutletCorpusSpecs(Corpus corpus) => _corpus = corpus;

    public sealed class Corpus : IAsyncLifetime, IDisposable
    {
        internal TestCorpus Test { get; } = new();

        public Core.Ingestion.IngestReport Report { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            File.Copy(RepoFiles.FaKesArticles, Path.Combine(Test.CorpusPath, "fakes.jsonl"));
            Report = await Test.IngestAsync();
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => Test.Dispose();
    }

    [Fact]
    public async Task Every_article_is_ingested_and_repeated_lines_are_reported_not_duplicated()
    {
        var stats = await _corpus.Test.Store.GetStatsAsync();

        // Twelve lines reuse an id: eleven are copies of the article above them, one is a different article, kept.
        Assert.Equal(793, stats.Articles);
        Assert.Equal(12, _corpus.Report.Problems.Count);
        Assert.Equal(11, _corpus.Report.Problems.Count(p => !p.Stored && p.Reason.Contains("same id, same text", StringComparison.Ordinal)));
        var kept = Assert.Single(_corpus.Report.Problems, p => p.Stored);
        Assert.Equal(491, kept.Line);
        Assert.Contains("kept as 'fakes-1926479112~2'", kept.Reason, StringComparison.Ordinal);
        var both = await _corpus.Test.Store.GetArticlesAsync([new("fakes-1926479112"), new("fakes-1926479112~2")]);
        Assert.Equal(2, both.Count);
        Assert.NotEqual(both[new("fakes-1926479112")].Text, both[new("fakes-1926479112~2")].Text);
        Assert.Equal(0, stats.Undated);
        Assert.Equal(("2011-", "2018-"), (stats.EarliestPublished![..5], stats.LatestPublished![..5]));
        Assert.Contains(stats.Outlets, o => o.Outlet == "ahram" && o.Articles > 100);
    }

    [Theory]
    [InlineData("Which EU official said the Assad regime bears responsibility for the chemical attack?", "fakes-1926479363", "Mogherini")]
    [InlineData("Which opposition minister was killed in a car bomb in the south of Syria?", "fakes-1923848273", "minister")]
    [InlineData("How many rescue workers were killed by airstrikes on rural Aleppo?", "fakes-1926479104", "Rescue Workers")]
    [InlineData("What did the Islamic State video of the two Syrian activists show?", "fakes-1915433682", "activists")]
    [InlineData("How many people were injured in the mortar attacks on the Aleppo neighborhood in April 2016?", "fakes-1962495685", "Mortar")]
    public async Task A_question_about_a_known_article_finds_it_and_cites_it(string question, string articleId, string titleWord)
    {
        var retrieval = await _corpus.Test.Retriever.RetrieveAsync(question);
        var answer = await _corpus.Test.Answerer.AnswerAsync(retrieval);

        var top = retrieval.Passages.Select(p => p.Article.Id.Value).Distinct().Take(3).ToList();
        Assert.Contains(articleId, top);
        Assert.False(answer.Abstained, $"abstained at {answer.Confidence:F2}");
        var cited = answer.Sources.Select(s => s.Article).ToList();
        Assert.Contains(cited, a => a.Id.Value == articleId || a.Title.Contains(titleWord, StringComparison.OrdinalIgnoreCase));
        Assert.All(answer.Citations, c => Assert.Equal(c.Sentence, c.Article.Slice(c.Span)));
    }

    [Fact]
    public async Task Retrieval_spreads_over_articles_rather_than_one_article_s_passages()
    {
        var retrieval = await _corpus.Test.Retriever.RetrieveAsync("chemical attack Khan Sheikhoun sarin");

        Assert.True(retrieval.Passages.Select(p => p.Article.Id).Distinct().Count() >= 3);
        Assert.All(retrieval.Passages.GroupBy(p => p.Article.Id), g => Assert.True(g.Count() <= 3));
    }

    [Fact]
    public async Task Questions_far_from_the_war_still_abstain_on_a_large_corpus()
    {
        foreach (var question in new[] { "Who won the 2018 World Cup?", "How do I bake sourdough bread?", "What is the capital of Australia?" })
        {
            Assert.True((await _corpus.Test.AskAsync(question)).Abstained, question);
        }
    }

    [Theory]
    [InlineData("How many children died when helicopters dropped barrel bombs on Aleppo in December 2013?", "28 children")] // the raid of that year, not the 2016 ones
    [InlineData("Which town near the Turkish border was hit by a twin bombing in July 2016?", "Qamishli")] // the sentence after the one repeating the question
    [InlineData("In which village in Hama did a car bomb kill 34 people?", "Horra")]
    public async Task The_answer_leads_with_the_sentence_that_holds_what_was_asked(string question, string fact)
    {
        var answer = await _corpus.Test.AskAsync(question);

        Assert.False(answer.Abstained, question);
        Assert.Contains(fact, answer.Citations[0].Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_of_the_injured_is_answered_with_the_injured_not_the_dead_beside_them()
    {
        // The article gives the civil defence's 22 injuries and a doctor's 55 injured beside "four people died".
        var answer = await _corpus.Test.AskAsync("How many people were injured by the chlorine gas barrel on Aleppo?");

        Assert.False(answer.Abstained);
        Assert.Matches(@"^(22 injuries|55 (people|injuries))", answer.ShortAnswer);
        Assert.Contains(answer.ShortAnswer!, answer.Citations[0].Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("How many refugees does Germany host?")] // the articles never name Germany with refugees hosted
    [InlineData("How many people died in the 2020 Idlib offensive?")] // no article is about 2020
    [InlineData("What did Pope Francis say about the Khan Sheikhoun attack?")] // the Pope spoke of another attack
    [InlineData("How many Syrian refugees live in Canada?")]
    [InlineData("When did Syria rejoin the Arab League?")] // the Arab League is named, rejoining it never is
    public async Task A_question_the_articles_only_resemble_is_not_answered(string question)
    {
        var answer = await _corpus.Test.AskAsync(question);

        Assert.True(answer.Abstained, $"{question} → {answer.Text}");
        Assert.NotEmpty(answer.Sources); // the nearest sources are still shown
    }

    [Fact]
    public async Task A_question_about_now_is_answered_only_from_articles_of_the_last_weeks()
    {
        const string Question = "How many civilians were killed in Raqqa today?";

        // Years after the newest article (18 July 2018), "today" is read against it: no article of its last weeks
        // reports deaths in Raqqa, and an older one is never passed off as today's.
        var now = await _corpus.Test.AskAsync(Question);
        Assert.True(now.Abstained, now.Text);
        Assert.NotEmpty(now.Sources);

        // The day after reports of a coalition strike that killed 18 civilians in Raqqa (4 October 2017), the same
        // question is read in them alone: what the bot shows (an answer, or the nearest sources if it is not sure
        // enough) comes from the last weeks and holds that report; none of the years of Raqqa's other tolls.
        var answerer = new Core.Answering.ExtractiveAnswerer(_corpus.Test.Store, Microsoft.Extensions.Options.Options.Create(new Core.Answering.AnsweringOptions()),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2017, 10, 5, 9, 0, 0, TimeSpan.Zero)));
        var then = await answerer.AnswerAsync(await _corpus.Test.Retriever.RetrieveAsync(Question));
        Assert.Contains(then.Citations, c => c.Sentence.Contains("18 civilians", StringComparison.Ordinal));
        Assert.All(then.Sources, s => Assert.InRange(s.Article.ReportedAt, new DateTimeOffset(2017, 9, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 10, 6, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(then.AsOf); // "today" is the clock's own day: the corpus reaches it
    }

    [Fact]
    public async Task A_sentence_is_quoted_without_the_dateline_and_headline_run_into_it()
    {
        // The body opens "24 November 2016 US-led coalition airstrikes kill at least ten civilians in Raqqa Ten Syrian civilians were killed …".
        var answer = await _corpus.Test.AskAsync("How many Syrian civilians were killed on Wednesday in the airstrikes of the US-led coalition on Raqqa?");

        var lead = Assert.Single(answer.Citations, c => c.Article.Id.Value == "fakes-1926478956" && c.Sentence.Contains("Ten Syrian civilians", StringComparison.Ordinal));
        Assert.StartsWith("Ten Syrian civilians were killed Wednesday", lead.Sentence, StringComparison.Ordinal);
        Assert.Equal(lead.Sentence, lead.Article.Slice(lead.Span));
    }

    [Fact]
    public async Task A_typed_question_whose_best_sentences_all_fall_away_is_abstained_on_not_failed()
    {
        // The best-scoring sentence repeats no content word of its own, and no other one holds a place.
        var answer = await _corpus.Test.AskAsync("In which neighbourhood did the car bomb go off in western Damascus in September 2013?");

        Assert.True(answer.Abstained || answer.ShortAnswer is not null, answer.Text);
    }

    [Fact]
    public async Task The_short_answer_is_marked_and_heads_the_answer_card()
    {
        var answer = await _corpus.Test.AskAsync("How many children died when helicopters dropped barrel bombs on Aleppo in December 2013?");

        Assert.Equal("28 children", answer.ShortAnswer);
        Assert.Equal("28 children", Core.Chat.ReplyLayout.ForAnswer(answer).Cards[0].Title);
    }
}

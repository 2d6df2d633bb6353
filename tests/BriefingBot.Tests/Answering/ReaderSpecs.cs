using BriefingBot.Core;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Chat;
using BriefingBot.Tests.Support;
using static BriefingBot.Tests.Support.ArticleLines;

namespace BriefingBot.Tests.Answering;

/// <summary>The fitted reader: its weights as shipped, "now" over an archive, and a name asked for where the lead sentence lacks it.</summary>
public sealed class ReaderSpecs
{
    [Fact]
    public void The_bundled_weights_weigh_every_feature_and_were_fitted_not_set_by_hand()
    {
        var weights = ReaderWeights.Bundled;

        Assert.StartsWith("eval-answers --fit", weights.FittedOn, StringComparison.Ordinal);
        foreach (var model in new[] { weights.Hybrid, weights.KeywordOnly })
        {
            Assert.Equal(SentenceReader.FeatureNames.Order(), model.Weights.Keys.Order());
            Assert.Equal(SentenceReader.AbstentionNames.Order(), model.Abstention.Keys.Order());
            Assert.InRange(model.AbstainBelow, 0.01, 0.99);
        }
    }

    [Fact]
    public void A_weights_file_that_lacks_a_feature_is_refused_with_what_to_do()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reader-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, ReaderWeights.Bundled.ToJson().Replace("\"novelty\"", "\"noveltyx\"", StringComparison.Ordinal));

            var refused = Assert.Throws<BriefingBotException>(() => ReaderWeights.Load(path));
            Assert.Contains("novelty", refused.Message, StringComparison.Ordinal);
            Assert.Contains("eval-answers --fit", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_question_about_now_over_an_archive_is_answered_from_its_newest_weeks_and_says_as_of_when()
    {
        using var corpus = new TestCorpus(); // its clock stands in 2026, years after these articles
        corpus.Write("raqqa.jsonl", string.Join('\n',
            Line("old", "Wire A", "2016-03-01T10:00:00Z", "Air strikes on Raqqa",
                "Air strikes killed 40 civilians in Raqqa on Tuesday, activists said. The strikes hit a market in the city centre."),
            Line("new", "Wire B", "2017-09-20T10:00:00Z", "Coalition strikes on Raqqa",
                "Coalition strikes killed 18 civilians in Raqqa on Wednesday, a monitor said. The strikes hit homes near the stadium."),
            Line("mid", "Wire C", "2017-09-02T10:00:00Z", "Aleppo market reopens",
                "Traders reopened the old market in Aleppo on Saturday after repairs. Shoppers returned to the covered stalls.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync("How many civilians were killed in Raqqa today?");

        Assert.False(answer.Abstained, answer.Text);
        Assert.All(answer.Sources, s => Assert.NotEqual("old", s.Article.Id.Value));
        Assert.Contains("18 civilians", answer.Citations[0].Sentence, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2017, 9, 20), answer.AsOf?.UtcDateTime.Date);
        Assert.Contains("As of 20 Sep 2017", ReplyLayout.ForAnswer(answer).Cards[0].Context, StringComparison.Ordinal);

        // The same question without "today" may be answered from any year, and says no date it was read against.
        var anyTime = await corpus.AskAsync("How many civilians were killed in Raqqa?");
        Assert.Null(anyTime.AsOf);
    }

    [Fact]
    public async Task A_which_question_whose_best_sentence_does_not_name_the_thing_is_answered_with_the_sentence_that_names_it()
    {
        using var corpus = new TestCorpus();
        corpus.Write("cars.jsonl", Line("cars", "Wire", "2022-10-27T10:00:00Z", "Carmaker ends self-driving project",
            "Detroit —\n\nThe carmaker announced Wednesday it is shutting down its efforts to develop self-driving cars and will stop funding its robotaxi unit. " +
            "Halvorsen Motors said the technology was further away than it had hoped. Its shares rose slightly in early trading."));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync("Which carmaker announced it is shutting down its efforts to develop self-driving cars?");

        Assert.False(answer.Abstained, answer.Text);
        Assert.Equal("Halvorsen Motors", answer.ShortAnswer);
        Assert.Contains(answer.Citations, c => c.Sentence.StartsWith("Halvorsen Motors said", StringComparison.Ordinal) && c.Sentence == c.Article.Slice(c.Span));
    }
}

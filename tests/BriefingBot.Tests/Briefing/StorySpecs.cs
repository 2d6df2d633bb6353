using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Tests.Support;
using static BriefingBot.Tests.Support.ArticleLines;

namespace BriefingBot.Tests.Briefing;

/// <summary>
/// Stories are kept as articles arrive: each article is given its story when ingested, a later report joins the
/// story it belongs to, two attacks of one kind in one province stay two stories, and a "how many" answer reads every
/// article of its story.
/// </summary>
public sealed class StorySpecs
{
    private static readonly DateTimeOffset From = new(2017, 4, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2017, 4, 8, 0, 0, 0, TimeSpan.Zero);

    private static string Reports() => string.Join('\n',
        Line("a", "Wire A", "2017-04-04T09:00:00Z", "Dozens killed in suspected gas attack",
            "At least 58 people were killed on Tuesday when a toxic gas attack struck the town of Khan Shaykhun in Idlib province, the Syrian Observatory for Human Rights said. Many of the victims were children."),
        Line("b", "Wire B", "2017-04-04T15:00:00Z", "Gas attack on rebel-held town condemned",
            "The chemical attack on Khan Sheikhoun in Idlib on Tuesday killed at least 72 people, rescuers said. Doctors treated hundreds for breathing problems."),
        Line("c", "Wire C", "2017-04-05T10:00:00Z", "Death toll from gas attack rises",
            "The death toll rose to 86 on Wednesday, a monitor said. The chemical attack struck Khan Shaykhun in Idlib on Tuesday and drew condemnation."),
        Line("d", "Wire D", "2017-04-05T12:00:00Z", "Air strike hits market in Idlib village",
            "An air strike on the village of Urum al-Joz in Idlib province killed 15 civilians on Wednesday, a monitor said. The market was destroyed."));

    [Fact]
    public async Task Each_report_is_given_its_story_when_ingested_and_another_attack_in_the_province_is_a_story_of_its_own()
    {
        using var corpus = new TestCorpus();
        corpus.Write("reports.jsonl", Reports());

        await corpus.IngestAsync();

        var stories = await corpus.Store.GetStoriesAsync([new("a"), new("b"), new("c"), new("d")]);
        Assert.Equal(4, stories.Count);
        Assert.Equal(stories[new("a")], stories[new("b")]);
        Assert.Equal(stories[new("a")], stories[new("c")]);
        Assert.NotEqual(stories[new("a")], stories[new("d")]);
        Assert.Equal(["a", "b", "c"], (await corpus.Store.GetStoryArticlesAsync(stories[new("a")], 10)).Select(id => id.Value));
        Assert.Empty(await corpus.Store.GetDaysWithoutStoriesAsync());
    }

    [Fact]
    public async Task A_later_report_joins_the_story_it_belongs_to_and_the_story_keeps_its_name()
    {
        using var corpus = new TestCorpus();
        corpus.Write("reports.jsonl", Reports());
        await corpus.IngestAsync();
        var before = await corpus.Store.GetStoriesAsync([new("a"), new("d")]);

        corpus.Write("later.jsonl", Line("e", "Wire E", "2017-04-06T08:00:00Z", "Inspectors to examine Khan Shaykhun gas attack",
            "Chemical weapons inspectors will examine the gas attack that struck Khan Shaykhun in Idlib on Tuesday, killing at least 70 people. Samples were taken."));
        await corpus.IngestAsync();

        var after = await corpus.Store.GetStoriesAsync([new("a"), new("b"), new("c"), new("d"), new("e")]);
        Assert.Equal(before[new("a")], after[new("a")]);
        Assert.Equal(before[new("d")], after[new("d")]);
        Assert.Equal(after[new("a")], after[new("e")]);
        Assert.Equal(["a", "b", "c", "e"], (await corpus.Store.GetStoryArticlesAsync(after[new("a")], 10)).Select(id => id.Value));
    }

    [Fact]
    public async Task The_briefing_shows_the_stored_stories()
    {
        using var corpus = new TestCorpus();
        corpus.Write("reports.jsonl", Reports());
        await corpus.IngestAsync();
        // A story stored otherwise than the words would group it: the briefing reads what is stored, not a regrouping.
        await corpus.Store.SetStoriesAsync(new Dictionary<ArticleId, string> { [new("c")] = "kept apart" });

        var stories = await corpus.Composer.GroupAsync(From, To);
        var briefing = await corpus.Composer.ComposeAsync(From, To, sinceLastBriefing: false);

        Assert.Equal(["a,b", "c", "d"], stories.Select(s => string.Join(',', s.Select(a => a.Value))).Order(StringComparer.Ordinal));
        Assert.Equal(3, briefing.Items.Count);
        Assert.Contains(briefing.Items, item => item.Sources.Select(s => s.Article.Id.Value).Order(StringComparer.Ordinal).SequenceEqual(["a", "b"]));
    }

    [Fact]
    public async Task A_count_question_shows_every_figure_its_storys_articles_give_each_cited_oldest_first()
    {
        using var corpus = new TestCorpus();
        corpus.Write("reports.jsonl", Reports());
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync("How many people were killed in the chemical attack on Khan Shaykhun?");

        Assert.False(answer.Abstained);
        // c's 86 stands in a sentence that does not name the town: only its story places it beside the others.
        Assert.Equal([58m, 72m, 86m], answer.Figures.Select(f => f.Value));
        Assert.Equal(["a", "b", "c"], answer.Figures.Select(f => f.Article.Id.Value));
        Assert.All(answer.Figures, f => Assert.Contains(answer.Citations, c => c.N == f.N && c.Article.Id == f.Article.Id
            && c.Sentence.Contains(((int)f.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        Assert.DoesNotContain(answer.Figures, f => f.Article.Id.Value == "d");
    }
}

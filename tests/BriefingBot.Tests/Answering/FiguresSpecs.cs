using BriefingBot.Core.Answering;
using BriefingBot.Core.Chat;
using BriefingBot.Tests.Support;
using static BriefingBot.Tests.Support.ArticleLines;

namespace BriefingBot.Tests.Answering;

/// <summary>When sources give different figures for what a question counts, the answer shows each, cited, oldest first.</summary>
public sealed class FiguresSpecs
{
    private const string Question = "How many people were killed in the chemical attack on Khan Shaykhun?";

    [Fact]
    public async Task Differing_tolls_are_shown_side_by_side_with_who_gave_them_and_when_each_cited()
    {
        using var corpus = new TestCorpus();
        corpus.Write("tolls.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Gas attack on Khan Shaykhun",
                "At least 58 people were killed in the chemical attack on Khan Shaykhun, the Syrian Observatory for Human Rights said. Rescue workers searched the town."),
            Line("b", "Wire B", "2017-04-05T09:00:00Z", "WHO on Khan Shaykhun",
                "The chemical attack on Khan Shaykhun killed at least 70 people, according to the World Health Organization. Doctors treated hundreds."),
            Line("c", "Wire C", "2017-04-05T18:00:00Z", "Khan Shaykhun toll rises",
                "The death toll from the chemical attack on Khan Shaykhun rose to 86 people killed, including 30 children. Funerals were held."),
            Line("d", "Wire D", "2017-04-06T08:00:00Z", "Air strike on Jisr al-Shughur",
                "An air strike on Jisr al-Shughur killed 12 people, days after the chemical attack on Khan Shaykhun. The strike hit a market.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(Question);

        Assert.False(answer.Abstained);
        Assert.Equal([58m, 70m, 86m], answer.Figures.Select(f => f.Value));
        Assert.Equal(["a", "b", "c"], answer.Figures.Select(f => f.Article.Id.Value));
        Assert.Equal("Syrian Observatory for Human Rights", answer.Figures[0].AttributedTo);
        Assert.Equal("World Health Organization", answer.Figures[1].AttributedTo);
        Assert.All(answer.Figures, f => Assert.Contains(answer.Citations, c => c.N == f.N && c.Article.Id == f.Article.Id && c.Sentence.Contains(((int)f.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        Assert.All(answer.Figures, f => Assert.Contains(answer.Sources, s => s.N == f.N));

        var body = ReplyLayout.ForAnswer(answer).Cards[0].Body;
        Assert.Contains("Reports differ: ", body, StringComparison.Ordinal);
        Assert.Matches(@"58 people \(Syrian Observatory for Human Rights, 4 Apr 2017\) \[\d\] → .*70 .*\(World Health Organization, 5 Apr 2017\) \[\d\] → .*86 .*\[\d\]", body);
    }

    [Fact]
    public async Task Sources_that_agree_show_no_figures_line()
    {
        using var corpus = new TestCorpus();
        corpus.Write("tolls.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Gas attack on Khan Shaykhun",
                "At least 58 people were killed in the chemical attack on Khan Shaykhun, the Syrian Observatory for Human Rights said."),
            Line("b", "Wire B", "2017-04-04T15:00:00Z", "Outrage over Khan Shaykhun",
                "The chemical attack on Khan Shaykhun killed 58 people, activists said.")));
        await corpus.IngestAsync();

        var answer = await corpus.AskAsync(Question);

        Assert.False(answer.Abstained);
        Assert.Empty(answer.Figures);
        Assert.DoesNotContain("Reports differ", ReplyLayout.ForAnswer(answer).Cards[0].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("at least 1,200 people", 1200)]
    [InlineData("Ten children", 10)]
    [InlineData("2.5 million refugees", 2500000)]
    [InlineData("86", 86)]
    public void Figures_are_read_as_numbers(string phrase, decimal value) => Assert.Equal(value, Figures.ValueOf(phrase));

    [Theory]
    [InlineData("At least 58 people were killed, the Syrian Observatory for Human Rights said.", "Syrian Observatory for Human Rights")]
    [InlineData("The attack killed 70 people, according to the World Health Organization.", "World Health Organization")]
    [InlineData("Twelve people died, a war monitor said on Tuesday.", "a war monitor")]
    [InlineData("The toll rose to 86.", null)]
    public void Who_gave_a_figure_is_read_from_its_sentence(string sentence, string? who) => Assert.Equal(who, Figures.AttributionIn(sentence));

    [Fact]
    public async Task A_briefing_item_shows_the_toll_as_it_moved_across_its_sources_with_who_gave_it()
    {
        using var corpus = new TestCorpus();
        const string Body = "The suspected chemical attack on the rebel-held town of Khan Shaykhun in Idlib province drew condemnation from world leaders. ";
        corpus.Write("tolls.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Suspected chemical attack on Khan Shaykhun in Idlib province",
                Body + "At least 58 people were killed, the Syrian Observatory for Human Rights said. Dozens were treated for breathing problems."),
            Line("b", "Wire B", "2017-04-05T09:00:00Z", "Suspected chemical attack on Khan Shaykhun in Idlib condemned",
                Body + "The attack killed at least 70 people, according to the World Health Organization. Dozens were treated for breathing problems."),
            Line("c", "Wire C", "2017-04-05T18:00:00Z", "Toll of suspected chemical attack on Khan Shaykhun in Idlib rises",
                Body + "The death toll rose to 86, including 30 children. Dozens were treated for breathing problems."),
            Line("d", "Wire D", "2017-04-05T20:00:00Z", "Chemical attack on Khan Shaykhun in Idlib province: world reacts",
                Body + "The death toll rose to 86, a monitor said. Dozens were treated for breathing problems.")));
        await corpus.IngestAsync();
        var composer = new BriefingBot.Core.Briefing.BriefingComposer(corpus.Store, Microsoft.Extensions.Options.Options.Create(new BriefingBot.Core.Briefing.BriefingOptions()));

        var briefing = await composer.ComposeAsync(new DateTimeOffset(2017, 4, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 4, 6, 0, 0, 0, TimeSpan.Zero), sinceLastBriefing: false);

        var item = Assert.Single(briefing.Items);
        var toll = Assert.Single(item.Figures);
        Assert.Equal("Death toll", toll.What);
        Assert.Equal([58m, 70m, 86m], toll.Figures.Select(f => f.Value)); // the fourth source's 86 repeats the third's
        Assert.All(toll.Figures, f => Assert.Equal(f.Article.Id, item.Sources.Single(s => s.N == f.N).Article.Id));
        Assert.Equal("Syrian Observatory for Human Rights", toll.Figures[0].AttributedTo);
        var card = ReplyLayout.ForBriefing(briefing).Cards[0].Body;
        Assert.Contains("Death toll: At least 58 people (Syrian Observatory for Human Rights, 4 Apr 2017) [1] → at least 70 people (World Health Organization, 5 Apr 2017) [2] → 86 (5 Apr 2017) [3]", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_of_one_event_worded_apart_are_one_story_and_the_same_kind_elsewhere_is_another()
    {
        using var corpus = new TestCorpus();
        corpus.Write("events.jsonl", string.Join('\n',
            Line("a", "Wire A", "2017-04-04T12:00:00Z", "Scores killed as gas hits rebel-held town",
                "Dozens of people died on Tuesday when a toxic gas attack struck the town of Khan Shaykhun in Syria, rescuers said. Many victims were children."),
            Line("b", "Wire B", "2017-04-05T12:00:00Z", "White House says it cannot be tolerated",
                "The White House on Wednesday condemned the chemical weapons attack in Syria, saying the strike on Khan Sheikhoun crossed many lines. Diplomats met in New York."),
            Line("c", "Wire C", "2017-04-05T15:00:00Z", "Inspectors to visit Ghouta over nerve agent claims",
                "Chemical weapons inspectors will travel to Ghouta near Damascus in Syria to examine claims of a sarin attack there, the watchdog said. Doctors described symptoms."),
            Line("d", "Wire D", "2017-04-05T18:00:00Z", "Market hit by air strike",
                "Warplanes struck a crowded market in Jisr al-Shughur in Syria on Wednesday, a monitor said. Shops were destroyed.")));
        await corpus.IngestAsync();
        var composer = new BriefingBot.Core.Briefing.BriefingComposer(corpus.Store, Microsoft.Extensions.Options.Options.Create(new BriefingBot.Core.Briefing.BriefingOptions()));

        var stories = await composer.GroupAsync(new DateTimeOffset(2017, 4, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 4, 6, 0, 0, 0, TimeSpan.Zero));

        var ids = stories.Select(s => string.Join(',', s.Select(a => a.Value).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["a,b", "c", "d"], ids);
    }
}

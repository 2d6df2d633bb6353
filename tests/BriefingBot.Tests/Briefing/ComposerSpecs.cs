using System.Text.Json;
using BriefingBot.Core.Briefing;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Briefing;

public sealed class ComposerSpecs : IDisposable
{
    private static readonly DateTimeOffset Day = new(2018, 9, 8, 0, 0, 0, TimeSpan.Zero);
    private readonly TestCorpus _corpus = new();

    private const string Summit = """
        {"id": "summit-1", "title": "Erdogan, Putin and Rouhani fail to agree on Idlib ceasefire at Tehran summit", "outlet": "Arab News", "url": "https://example.org/summit-1", "published": "2018-09-07T16:00:00Z", "author": null, "body": "The presidents of Turkey, Russia and Iran failed to agree on a ceasefire for Idlib at their summit in Tehran on Friday.\n\nTurkish President Recep Tayyip Erdogan called for a truce, but Russian President Vladimir Putin said the militants in Idlib must be eliminated.\n\nIranian President Hassan Rouhani, the host, said the fight against terrorism in Idlib was inevitable but should spare civilians."}
        {"id": "summit-2", "title": "Erdogan, Putin and Rouhani fail to agree on Idlib ceasefire at Tehran summit", "outlet": "Gulf Wire", "url": "https://example.org/summit-2", "published": "2018-09-07T17:00:00Z", "author": null, "body": "The presidents of Turkey, Russia and Iran on Friday failed to agree on a ceasefire for Idlib at their summit in Tehran.\n\nTurkish President Recep Tayyip Erdogan called for a truce, but Russian President Vladimir Putin said the militants in Idlib must be eliminated.\n\nIranian President Hassan Rouhani, who hosted the meeting, said the fight against terrorism in Idlib was inevitable but should spare civilians."}
        {"id": "summit-3", "title": "Tehran talks end without Idlib truce as Putin rejects Erdogan's call", "outlet": "Daily Sabah", "url": "https://example.org/summit-3", "published": "2018-09-07T19:30:00Z", "author": null, "body": "Russian President Vladimir Putin rejected a call by Turkish President Recep Tayyip Erdogan for a ceasefire in Idlib at the Tehran summit on Friday, leaving the three leaders without a deal.\n\nRouhani, who hosted the Tehran summit, backed Moscow's position that the terrorists in Idlib must be fought, while asking for civilians to be protected.\n\nErdogan warned that an assault on Idlib would cause a massacre and a new wave of refugees."}
        {"id": "border-1", "title": "Turkey reinforces border posts with tanks near Kilis", "outlet": "TRT", "url": "https://example.org/border-1", "published": "2018-09-07T09:00:00Z", "author": null, "body": "Turkish military convoys carrying tanks and howitzers arrived at border posts near Kilis on Friday morning.\n\nThe reinforcements were sent to units stationed along the Syrian border in Kilis and Hatay provinces, the state news agency reported.\n\nResidents of Kilis said convoys of armoured vehicles had been passing through the town for two days."}
        {"id": "aid-1", "title": "UN warns of humanitarian catastrophe as aid convoys halt in northwest Syria", "outlet": "Reuters", "url": "https://example.org/aid-1", "published": "2018-09-07T12:00:00Z", "author": null, "body": "The United Nations warned on Friday that a humanitarian catastrophe was looming after aid convoys halted their deliveries to northwest Syria.\n\nUN humanitarian adviser Jan Egeland said 2.9 million people depended on cross-border aid deliveries from Turkey that had been suspended this week.\n\n“We must avoid a bloodbath at all costs,” Egeland said in Geneva."}
        {"id": "old-1", "title": "Observers count Astana talks as a success", "outlet": "Reuters", "url": "https://example.org/old-1", "published": "2018-08-01T12:00:00Z", "author": null, "body": "Observers counted the Astana talks in August as a success for the guarantor states.\n\nThe talks set up a working group on detainees and missing persons."}
        """;

    public ComposerSpecs()
    {
        _corpus.Write("wire.jsonl", Summit);
        _corpus.IngestAsync().GetAwaiter().GetResult();
    }

    private BriefingComposer Composer(BriefingOptions? options = null) => new(_corpus.Store, Options.Create(options ?? new BriefingOptions()));

    [Fact]
    public async Task The_window_is_shown_in_the_briefing_time_zone_not_labelled_utc()
    {
        var to = new DateTimeOffset(2018, 9, 7, 20, 44, 0, TimeSpan.Zero);
        var briefing = await Composer(new BriefingOptions { TimeZone = "Europe/Istanbul" }).ComposeAsync(to - TimeSpan.FromHours(3), to, sinceLastBriefing: false);

        var heading = BriefingBot.Core.Chat.ReplyLayout.BriefingHeading(briefing);

        Assert.Equal("Briefing — Friday 7 September 2018, covering 2018-09-07 20:44 to 2018-09-07 23:44 Europe/Istanbul (UTC+03:00)", heading);
        Assert.StartsWith(heading, BriefingBot.Shell.TerminalFormatter.FormatBriefing(briefing), StringComparison.Ordinal);
        Assert.StartsWith(heading, BriefingBot.Core.Chat.ReplyLayout.ForBriefing(briefing).Header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_briefing_in_utc_says_utc()
    {
        var briefing = await Composer(new BriefingOptions { TimeZone = "UTC" }).ComposeAsync(Day - TimeSpan.FromDays(1), Day, sinceLastBriefing: false);

        Assert.EndsWith("covering 2018-09-07 00:00 to 2018-09-08 00:00 UTC", BriefingBot.Core.Chat.ReplyLayout.BriefingHeading(briefing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copies_with_small_edits_and_a_rewrite_from_another_outlet_are_one_story_and_distinct_stories_stay_apart()
    {
        var briefing = await Composer().ComposeAsync(Day - TimeSpan.FromDays(1), Day, sinceLastBriefing: false);

        var groups = briefing.Items.Select(i => i.Sources.Select(s => s.Article.Id.Value).Order(StringComparer.Ordinal).ToArray()).ToList();
        Assert.Contains(["summit-1", "summit-2", "summit-3"], groups);
        Assert.Contains(["border-1"], groups);
        Assert.Contains(["aid-1"], groups);
        Assert.Equal(3, briefing.Items.Count);
        Assert.Equal(["summit-1", "summit-2", "summit-3"], groups[0]); // three outlets: the top story
    }

    [Fact]
    public async Task Every_summary_sentence_is_verbatim_from_the_article_it_cites_and_inside_the_window()
    {
        var from = Day - TimeSpan.FromDays(1);
        var briefing = await Composer().ComposeAsync(from, Day, sinceLastBriefing: false);

        Assert.All(briefing.Items, item =>
        {
            Assert.InRange(item.Summary.Count, 1, 3);
            foreach (var sentence in item.Summary)
            {
                var source = Assert.Single(item.Sources, s => s.N == sentence.N);
                Assert.Equal(sentence.ArticleId, source.Article.Id);
                Assert.Equal(sentence.Sentence, source.Article.Slice(sentence.Span));
                Assert.InRange(source.Article.PublishedAt!.Value, from, Day);
            }
        });
        Assert.DoesNotContain(briefing.Items.SelectMany(i => i.Sources), s => s.Article.Id.Value == "old-1");
    }

    [Fact]
    public async Task Notable_quotes_of_the_window_come_with_their_speaker()
    {
        var briefing = await Composer().ComposeAsync(Day - TimeSpan.FromDays(1), Day, sinceLastBriefing: false);

        var quote = Assert.Single(briefing.Quotes);
        Assert.Equal(("We must avoid a bloodbath at all costs,", "Jan Egeland"), (quote.Quote.Text, quote.Quote.Speaker.Name));
    }

    [Fact]
    public async Task A_window_with_nothing_new_says_so()
    {
        var briefing = await Composer().ComposeAsync(Day, Day + TimeSpan.FromDays(1), sinceLastBriefing: true);

        Assert.True(briefing.NothingNew);
        Assert.Contains("Nothing new since the last briefing.", Shell.TerminalFormatter.FormatBriefing(briefing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undated_articles_count_by_when_they_were_first_ingested_and_the_briefing_says_so()
    {
        _corpus.AddBundledArticle();
        await _corpus.IngestAsync(); // first ingested at the test clock's now

        var now = _corpus.Time.GetUtcNow();
        var briefing = await Composer().ComposeAsync(now - TimeSpan.FromHours(1), now + TimeSpan.FromMinutes(1), sinceLastBriefing: false);

        Assert.Equal(1, briefing.Undated);
        Assert.Equal("Russian, Turkish officials step up talks on Idlib crisis", Assert.Single(briefing.Items).Headline);
        Assert.Contains("1 article without a publication date counts by when it was first ingested.", Shell.TerminalFormatter.FormatBriefing(briefing), StringComparison.Ordinal);
        Assert.DoesNotContain(briefing.Items[0].Summary, s => s.Sentence.Contains("Comment", StringComparison.Ordinal));
    }

    public void Dispose() => _corpus.Dispose();
}

public sealed class BusyDaySpecs
{
    [Fact]
    public async Task A_window_over_more_articles_than_a_briefing_reads_counts_them_all_and_tells_the_newest()
    {
        using var corpus = new TestCorpus();
        var start = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var total = BriefingComposer.MaxArticles + 400;
        var lines = Enumerable.Range(0, total).Select(i => JsonSerializer.Serialize(new
        {
            id = $"a{i}",
            title = $"Shelling report number {i} from Idlib province",
            outlet = $"Outlet {i % 7}",
            published = start.AddHours(i).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            body = $"Shelling hit village {i} in Idlib province on the day, residents said. \"We heard {i} explosions overnight,\" said Ahmad Hussein {i}, a farmer.",
        }));
        corpus.Write("many.jsonl", string.Join('\n', lines));
        await corpus.IngestAsync();

        var briefing = await new BriefingComposer(corpus.Store, Options.Create(new BriefingOptions())).ComposeAsync(start, start.AddYears(1), false);

        Assert.Equal(total, briefing.Articles);
        Assert.NotEmpty(briefing.Items);
        var oldestRead = start.AddHours(total - BriefingComposer.MaxArticles);
        Assert.All(briefing.Items.SelectMany(i => i.Sources), s => Assert.True(s.Article.PublishedAt >= oldestRead, s.Article.Id.Value));
        Assert.All(briefing.Quotes, q => Assert.True(q.Article.PublishedAt >= oldestRead, q.Article.Id.Value));
    }

    [Fact]
    public async Task On_a_busy_day_of_real_reporting_several_outlets_stories_are_grouped()
    {
        using var corpus = new TestCorpus();
        File.Copy(RepoFiles.FaKesArticles, Path.Combine(corpus.CorpusPath, "fakes.jsonl"));
        await corpus.IngestAsync();
        var composer = new BriefingComposer(corpus.Store, Options.Create(new BriefingOptions { MaxItems = 20 }));

        // 4 April 2017, the day of the chemical attack on Khan Sheikhoun, and the day after.
        var briefing = await composer.ComposeAsync(new DateTimeOffset(2017, 4, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2017, 4, 6, 0, 0, 0, TimeSpan.Zero), false);

        var top = briefing.Items[0];
        Assert.True(top.Sources.Select(s => s.Article.Outlet).Distinct().Count() >= 3, string.Join("; ", top.Sources.Select(s => s.Article.Title)));
        Assert.Contains(top.Sources, s => s.Article.Title.Contains("chemical", StringComparison.OrdinalIgnoreCase) || s.Article.Title.Contains("gas", StringComparison.OrdinalIgnoreCase));
        Assert.True(briefing.Items.Count < briefing.Articles, "nothing was grouped");
        Assert.All(briefing.Items.SelectMany(i => i.Summary), s => Assert.DoesNotMatch(@"^(Tags|Date of publication|Published)\b", s.Sentence));
    }

    [Fact]
    public async Task The_briefing_command_prints_the_documented_json_shape()
    {
        using var cli = new CliRun();

        var (exit, output, error) = await cli.RunAsync("briefing", "--no-embeddings", "--since", "2020-01-01", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["from", "to", "items", "quotes"], root.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("2020-01-01T00:00:00", root.GetProperty("from").GetString(), StringComparison.Ordinal);
        var item = root.GetProperty("items")[0];
        Assert.Equal(["headline", "summary", "sources", "figures"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["sentence", "n"], item.GetProperty("summary")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["n", "articleId", "title", "outlet", "url", "published"], item.GetProperty("sources")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["text", "kind", "speaker", "articleId", "title", "outlet", "url", "published"], root.GetProperty("quotes")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Briefing_in_the_shell_and_a_bad_date_on_the_command_line()
    {
        using var cli = new CliRun();

        var (_, output, _) = await cli.RunWithInputAsync("/briefing 2020-01-01\n", "--no-embeddings");
        var (exit, _, error) = await cli.RunAsync("briefing", "--no-embeddings", "--since", "last tuesday");

        Assert.Contains("1. Russian, Turkish officials step up talks on Idlib crisis", output, StringComparison.Ordinal);
        Assert.Equal(1, exit);
        Assert.Contains("--since \"last tuesday\" is not a date", error, StringComparison.Ordinal);
    }
}

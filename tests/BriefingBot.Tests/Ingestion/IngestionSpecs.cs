using BriefingBot.Core;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Ingestion;

public sealed class IngestionSpecs
{
    private const string Markdown = """
        ---
        id: md-1
        title: Erdogan and Putin meet in Sochi
        outlet: Daily Sabah
        published: 2018-09-17
        ---
        The two leaders agreed on a demilitarized zone around Idlib.
        """;

    private const string Html = """
        <html><head><meta property="og:title" content="Observers report calm in Idlib"><meta property="og:site_name" content="TRT"></head>
        <body><nav>Home</nav><article><p>Observers reported calm along the front lines of Idlib on Tuesday.</p></article>
        <div class="comments"><p>Add a Comment</p></div></body></html>
        """;

    private const string JsonLines = """
        {"id": "j-1", "title": "Aid convoy reaches Idlib", "outlet": "reuters", "url": null, "published": "2018-09-05", "author": null, "body": "An aid convoy reached Idlib on Wednesday."}
        {"id": "j-2", "title": "Shelling resumes", "outlet": "sana", "url": null, "published": "2018-09-06", "author": null, "body": "Shelling resumed in southern Idlib."}
        """;

    [Fact]
    public async Task I_can_ingest_every_format_and_search_what_it_holds()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        corpus.Write("sochi.md", Markdown);
        corpus.Write("calm.html", Html);
        corpus.Write("feed/wire.jsonl", JsonLines);

        var report = await corpus.IngestAsync();

        Assert.Empty(report.Problems);
        Assert.Equal((4, 5), (report.FilesAdded, report.ArticlesStored));
        var stats = await corpus.Store.GetStatsAsync();
        Assert.Equal(5, stats.Articles);
        Assert.Equal(2, stats.Undated); // the bundled plain-text article and the HTML page give no date
        var articles = await corpus.Store.GetArticlesAsync([new ArticleId("md-1"), new ArticleId("calm"), new ArticleId("j-2")]);
        Assert.Equal(("Daily Sabah", "2018-09-17"), (articles[new ArticleId("md-1")].Outlet, articles[new ArticleId("md-1")].Published));
        Assert.Equal("TRT", articles[new ArticleId("calm")].Outlet);
        Assert.Equal("feed/wire.jsonl:2", articles[new ArticleId("j-2")].Source);
        Assert.DoesNotContain("Add a Comment", articles[new ArticleId("calm")].Text, StringComparison.Ordinal);

        var hits = await corpus.Store.SearchKeywordsAsync(["demilitarized"], 5);
        Assert.Equal(new ArticleId("md-1"), Assert.Single(hits).ArticleId);
    }

    [Fact]
    public async Task Boilerplate_never_reaches_the_index()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();

        foreach (var words in new[] { "comment", "email", "published", "required" })
        {
            Assert.Empty(await corpus.Store.SearchKeywordsAsync([words], 5));
        }
    }

    [Fact]
    public async Task A_second_run_skips_unchanged_files_replaces_changed_ones_and_removes_deleted_ones()
    {
        using var corpus = new TestCorpus();
        corpus.Write("a.md", Markdown);
        corpus.Write("b.jsonl", JsonLines);
        var deleted = corpus.Write("c.txt", "Old story\n\nSomething happened in Hama.");
        await corpus.IngestAsync();
        var firstSeen = (await corpus.Store.GetArticlesAsync([new ArticleId("j-1")]))[new ArticleId("j-1")].FirstIngested;

        corpus.Time.Advance(TimeSpan.FromHours(3));
        corpus.Write("b.jsonl", JsonLines.Replace("An aid convoy reached Idlib", "A second aid convoy reached Idlib", StringComparison.Ordinal));
        File.Delete(deleted);
        var report = await corpus.IngestAsync();

        Assert.Equal((0, 1, 1, 1), (report.FilesAdded, report.FilesUpdated, report.FilesUnchanged, report.FilesRemoved));
        Assert.Single(await corpus.Store.SearchKeywordsAsync(["second"], 5));
        Assert.Empty(await corpus.Store.SearchKeywordsAsync(["hama"], 5));
        var article = (await corpus.Store.GetArticlesAsync([new ArticleId("j-1")]))[new ArticleId("j-1")];
        Assert.Equal(firstSeen, article.FirstIngested);
        Assert.Equal(3, (await corpus.Store.GetStatsAsync()).Articles);

        var third = await corpus.IngestAsync();
        Assert.Equal((0, 0, 2, 0), (third.FilesAdded, third.FilesUpdated, third.FilesUnchanged, third.FilesRemoved));
    }

    [Fact]
    public async Task A_folder_that_lacks_most_of_what_was_stored_from_it_removes_nothing_unless_told_to()
    {
        var options = new IngestionOptions();
        using var corpus = new TestCorpus(ingestion: options);
        var files = Enumerable.Range(0, 12).Select(i => corpus.Write($"story-{i}.txt", $"Story {i}\n\nShelling was reported in village number {i} near Idlib.")).ToList();
        await corpus.IngestAsync();

        // Two gone of twelve: removed as usual.
        File.Delete(files[0]);
        File.Delete(files[1]);
        var few = await corpus.IngestAsync();
        Assert.Equal((2, 0), (few.FilesRemoved, few.RemovalsWithheld));

        // The folder comes up empty (a mount that failed, another instance's folder): the ten articles stay.
        foreach (var file in files.Skip(2))
        {
            File.Delete(file);
        }

        var report = await corpus.IngestAsync();
        Assert.Equal((0, 10), (report.FilesRemoved, report.RemovalsWithheld));
        Assert.Equal(10, (await corpus.Store.GetStatsAsync()).Articles);
        Assert.NotEmpty(await corpus.Store.SearchKeywordsAsync(["shelling"], 5));

        options.AllowMassRemoval = true;
        report = await corpus.IngestAsync();
        Assert.Equal((10, 0), (report.FilesRemoved, report.RemovalsWithheld));
        Assert.Equal(0, (await corpus.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task Each_bad_input_is_reported_with_its_file_and_reason_and_the_rest_is_ingested()
    {
        using var corpus = new TestCorpus(ingestion: new IngestionOptions { MaxFileBytes = 4096 });
        corpus.AddBundledArticle();
        corpus.Write("empty.txt", string.Empty);
        corpus.WriteBytes("image.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00]);
        corpus.WriteBytes("latin1.txt", System.Text.Encoding.Latin1.GetBytes("Title\n\nÇavuşoğlu spoke."));
        corpus.Write("huge.txt", "Title\n\n" + new string('x', 5000));
        corpus.Write("front.md", "---\ntitle: [broken\n---\nBody.");
        corpus.Write("wire.jsonl", JsonLines + "\n{\"id\": \"j-3\", \"body\": \n");

        var report = await corpus.IngestAsync();

        var problems = report.Problems.ToDictionary(p => p.Source, p => p);
        Assert.Contains("empty", problems["empty.txt"].Reason, StringComparison.Ordinal);
        Assert.Contains("binary", problems["image.txt"].Reason, StringComparison.Ordinal);
        Assert.Contains("UTF-8", problems["latin1.txt"].Reason, StringComparison.Ordinal);
        Assert.Contains("too large", problems["huge.txt"].Reason, StringComparison.Ordinal);
        Assert.Contains("front matter", problems["front.md"].Reason, StringComparison.Ordinal);
        Assert.Equal(3, problems["wire.jsonl"].Line);
        Assert.Contains("broken JSON", problems["wire.jsonl"].Reason, StringComparison.Ordinal);
        Assert.Equal(3, report.ArticlesStored); // the bundled article and the two good lines
        Assert.False(report.NothingIngested);
    }

    [Fact]
    public async Task A_file_that_turns_bad_keeps_what_it_had_stored()
    {
        using var corpus = new TestCorpus();
        corpus.Write("wire.jsonl", JsonLines);
        await corpus.IngestAsync();

        corpus.WriteBytes("wire.jsonl", [0x00, 0x01, 0x02, 0x03]);
        var report = await corpus.IngestAsync();

        Assert.Equal(1, report.FilesFailed);
        Assert.True(report.NothingIngested);
        Assert.Equal(2, (await corpus.Store.GetStatsAsync()).Articles);
        Assert.Single(await corpus.Store.SearchKeywordsAsync(["convoy"], 5));
    }

    [Fact]
    public async Task Nothing_ingested_is_told_apart_from_nothing_to_do()
    {
        using var corpus = new TestCorpus();
        corpus.Write("empty.txt", string.Empty);

        Assert.True((await corpus.IngestAsync()).NothingIngested);

        using var emptyFolder = new TestCorpus();
        Assert.False((await emptyFolder.IngestAsync()).NothingIngested);
    }

    [Fact]
    public async Task A_missing_corpus_folder_fails_loudly_instead_of_emptying_the_store()
    {
        using var corpus = new TestCorpus();
        corpus.Write("wire.jsonl", JsonLines);
        await corpus.IngestAsync();

        var ex = await Assert.ThrowsAsync<BriefingBotException>(() => corpus.Ingestor.IngestAsync(Path.Combine(corpus.CorpusPath, "missing")));

        Assert.Contains("Corpus:Path", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await corpus.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task The_same_article_id_in_two_files_is_stored_once_and_reported()
    {
        using var corpus = new TestCorpus();
        corpus.Write("a.jsonl", JsonLines);
        corpus.Write("b.jsonl", JsonLines.Split('\n')[0]);

        var report = await corpus.IngestAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Contains("j-1", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(2, (await corpus.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_not_damaged()
    {
        using var corpus = new TestCorpus();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={corpus.DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<StoreException>(() => new Storage.Sqlite.SqliteCorpusStore(corpus.DatabasePath));
        Assert.Contains("newer", ex.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}

using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Quotes;
using BriefingBot.Storage.Sqlite;
using BriefingBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Ingestion;

/// <summary>Real scraped news and real folders: a stray quotation mark, links, loops, files that cannot be read.</summary>
public sealed class BadInputSpecs
{
    private const string StrayQuoteMark = """
        Title
        Syrias Idlib province where Atmeh is located is a major stronghold. I hope we were not involved." "Its the easiest thing for me to say no but Im a responsible person so I need to see what my Ministry of Defence is going to say." Syrian regime forces have been accused by rights groups.
        """;

    [Fact]
    public async Task An_unbalanced_quotation_mark_is_ingested_like_any_other_text()
    {
        using var corpus = new TestCorpus();
        corpus.Write("atmeh.txt", StrayQuoteMark);
        corpus.AddBundledArticle();

        var report = await corpus.IngestAsync();

        Assert.Empty(report.Problems);
        Assert.Equal(2, report.ArticlesStored);
        var hits = await corpus.Store.SearchKeywordsAsync(["Atmeh"], 5);
        Assert.NotEmpty(hits);
    }

    [Fact]
    public void A_quotation_of_nothing_but_a_space_is_no_quotation()
    {
        var text = StrayQuoteMark[(StrayQuoteMark.IndexOf('\n', StringComparison.Ordinal) + 1)..];

        var quotes = QuoteExtractor.Extract(text);

        Assert.DoesNotContain(quotes, q => string.IsNullOrWhiteSpace(q.Text));
    }

    [Fact]
    public async Task An_article_that_cannot_be_processed_is_reported_with_its_file_and_line_and_the_rest_is_stored()
    {
        using var corpus = new TestCorpus(formats: [new ExplodingLines()]);
        corpus.Write("wire.lines", "first article\nBOOM\nthird article\n");

        var report = await corpus.IngestAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(("wire.lines", 2), (problem.Source, problem.Line));
        Assert.Contains("could not be processed", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(2, report.ArticlesStored);
    }

    [Fact]
    public async Task A_different_article_under_an_id_another_file_uses_is_kept_under_an_id_of_its_own()
    {
        using var corpus = new TestCorpus();
        corpus.Write("a.jsonl", """{"id": "story-1", "title": "Aid convoy reaches Idlib", "body": "An aid convoy reached Idlib on Wednesday."}""");
        corpus.Write("b.jsonl", """{"id": "story-1", "title": "Shelling resumes", "body": "Shelling resumed in southern Idlib."}""" + "\n" +
            """{"id": "story-1", "title": "Shelling resumes", "body": "Shelling resumed in southern Idlib."}""");
        corpus.Write("c.jsonl", """{"id": "story-1", "title": "Aid convoy reaches Idlib", "body": "An aid convoy reached Idlib on Wednesday."}""");

        var report = await corpus.IngestAsync();

        Assert.Equal(2, (await corpus.Store.GetStatsAsync()).Articles);
        Assert.Contains(report.Problems, p => p.Stored && p.Source == "b.jsonl:1" && p.Reason.Contains("kept as 'story-1~2'", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => !p.Stored && p.Source == "b.jsonl" && p.Line == 2);
        Assert.Contains(report.Problems, p => !p.Stored && p.Source == "c.jsonl:1" && p.Reason.Contains("same text", StringComparison.Ordinal));
        Assert.NotEmpty(await corpus.Store.SearchKeywordsAsync(["shelling"], 5));
    }

    [Fact]
    public async Task Links_that_loop_back_into_the_corpus_store_each_article_once()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        corpus.Write("more/sochi.txt", "Erdogan and Putin meet in Sochi\nThe two leaders agreed on a demilitarized zone around Idlib.\n");
        File.CreateSymbolicLink(Path.Combine(corpus.CorpusPath, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(corpus.CorpusPath, "b"), ".");
        File.CreateSymbolicLink(Path.Combine(corpus.CorpusPath, "more", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(corpus.CorpusPath, "same.txt"), Path.Combine(corpus.CorpusPath, "more", "sochi.txt"));

        var report = await corpus.IngestAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, report.ArticlesStored);
        Assert.Equal(2, (await corpus.Store.GetStatsAsync()).Articles);
    }

    [Fact]
    public async Task A_linked_folder_outside_the_corpus_is_read()
    {
        using var corpus = new TestCorpus();
        using var outside = new TempFolder();
        File.WriteAllText(Path.Combine(outside.Path, "sochi.txt"), "Erdogan and Putin meet in Sochi\nThe two leaders agreed on a demilitarized zone around Idlib.\n");
        Directory.CreateSymbolicLink(Path.Combine(corpus.CorpusPath, "wire"), outside.Path);

        var report = await corpus.IngestAsync();

        Assert.Equal(1, report.ArticlesStored);
    }

    [Fact]
    public async Task A_rejected_file_is_not_read_or_reported_again_until_it_changes()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        var path = corpus.WriteBytes("broken.txt", [0x54, 0x0a, 0x00, 0x01, 0x02, 0x41, 0x42, 0x43]);

        var first = await corpus.IngestAsync();
        Assert.Contains(first.Problems, p => p.Source == "broken.txt");

        // Same size, same modification time, new content: a file that is not read again keeps failing.
        var stamp = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "T\nIdlib."); // the same 8 bytes long
        File.SetLastWriteTimeUtc(path, stamp);
        var second = await corpus.IngestAsync();
        Assert.Empty(second.Problems);
        Assert.Contains(second.KnownProblems, p => p.Source == "broken.txt");
        Assert.Equal(1, second.FilesFailed);

        File.SetLastWriteTimeUtc(path, stamp.AddMinutes(1));
        var third = await corpus.IngestAsync();
        Assert.Empty(third.Problems);
        Assert.Empty(third.KnownProblems);
        Assert.Equal((1, 0), (third.FilesAdded, third.FilesFailed));
    }

    [Fact]
    public async Task Quotes_come_out_the_same_however_busy_the_machine_is()
    {
        var bodies = File.ReadLines(RepoFiles.FaKesArticles)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("body").GetString()!)
            .Take(300)
            .ToList();
        var expected = bodies.Select(Signature).ToList();

        using var stop = new CancellationTokenSource();
        var burners = Enumerable.Range(0, Environment.ProcessorCount * 3)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                var x = 0L;
                while (!stop.IsCancellationRequested)
                {
                    x++;
                }

                return x;
            }, TaskCreationOptions.LongRunning))
            .ToList();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                var busy = bodies.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount * 2).Select(Signature).ToList();
                Assert.Equal(expected, busy);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(burners);
        }

        static string Signature(string body) => string.Join('|', QuoteExtractor.Extract(body).Select(q => $"{q.Kind}:{q.Span.Start}:{q.Span.Length}:{q.Speaker.Name}"));
    }

    [Fact]
    public async Task Quotes_of_forty_thousand_articles_are_read_without_hitting_sqlites_parameter_limit()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        var ids = Enumerable.Range(0, 40_000).Select(i => new Core.Articles.ArticleId($"missing-{i}")).Append(new Core.Articles.ArticleId("000_2db221335312afa3")).ToList();

        var quotes = await corpus.Store.GetQuotesAsync(new QuoteFilter(ArticleIds: ids));

        Assert.NotEmpty(quotes);
        Assert.All(quotes, q => Assert.Equal("000_2db221335312afa3", q.ArticleId.Value));
    }

    [Fact]
    public async Task Two_processes_opening_a_new_database_at_once_both_succeed()
    {
        using var folder = new TempFolder();
        var alone = Path.Combine(folder.Path, "alone.db");
        using (var store = new SqliteCorpusStore(alone))
        {
            await store.GetStatsAsync();
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var path = Path.Combine(folder.Path, $"race-{attempt}.db");
            var opens = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                using var store = new SqliteCorpusStore(path);
                return store.GetStatsAsync();
            })).ToList();

            var stats = await Task.WhenAll(opens);
            SqliteConnection.ClearAllPools();

            // Each opened the database made once, at the newest schema: empty, with the schema a database opened alone gets.
            Assert.All(stats, s => Assert.Equal(0, s.Articles));
            Assert.Equal(Schema(alone), Schema(path));
        }
    }

    /// <summary>A database's schema version and its tables and indexes, by name.</summary>
    private static string Schema(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version) || ':' || (SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master ORDER BY name))";
            var schema = (string)command.ExecuteScalar()!;
            connection.Close();
            SqliteConnection.ClearAllPools();
            return schema;
        }
    }

    [Fact]
    public async Task A_missing_keyword_index_is_rebuilt_from_the_stored_passages()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        var keywords = corpus.DatabasePath + ".keywords";
        Assert.True(Directory.Exists(keywords));
        corpus.Store.Dispose();
        Directory.Delete(keywords, recursive: true);
        Drop(corpus.DatabasePath, "quotes_fts");

        using var reopened = new SqliteCorpusStore(corpus.DatabasePath);
        Assert.NotEmpty(await reopened.SearchKeywordsAsync(["observation"], 5));
        Assert.NotEmpty(await reopened.SearchQuotesAsync(["corridor"], 5));
    }

    [Fact]
    public async Task A_damaged_keyword_index_is_rebuilt_from_the_stored_passages()
    {
        using var corpus = new TestCorpus();
        corpus.AddBundledArticle();
        await corpus.IngestAsync();
        var expected = await corpus.Store.SearchKeywordsAsync(["observation", "posts"], 5);
        corpus.Store.Dispose();
        foreach (var file in Directory.GetFiles(corpus.DatabasePath + ".keywords"))
        {
            await File.WriteAllTextAsync(file, "not an index");
        }

        using var reopened = new SqliteCorpusStore(corpus.DatabasePath);
        var hits = await reopened.SearchKeywordsAsync(["observation", "posts"], 5);

        Assert.Equal(expected.Select(h => h.PassageId), hits.Select(h => h.PassageId));
    }

    [Fact]
    public async Task A_keyword_index_of_another_database_is_not_taken_for_its_own()
    {
        using var first = new TestCorpus();
        first.Write("a.md", "# Convoy\n\nA convoy reached Atmeh with flour.");
        await first.IngestAsync();
        using var second = new TestCorpus();
        second.Write("b.md", "# Shelling\n\nShelling hit Khan Shaykhun overnight.");
        await second.IngestAsync();
        first.Store.Dispose();
        second.Store.Dispose();
        Directory.Delete(second.DatabasePath + ".keywords", recursive: true);
        CopyFolder(first.DatabasePath + ".keywords", second.DatabasePath + ".keywords");

        using var reopened = new SqliteCorpusStore(second.DatabasePath);

        Assert.Empty(await reopened.SearchKeywordsAsync(["convoy"], 5));
        Assert.NotEmpty(await reopened.SearchKeywordsAsync(["shelling"], 5));
    }

    [Fact]
    public async Task What_one_store_writes_another_store_on_the_same_database_finds()
    {
        using var corpus = new TestCorpus();
        corpus.Write("a.md", "# Convoy\n\nA convoy reached Atmeh with flour.");
        await corpus.IngestAsync();
        using var other = new SqliteCorpusStore(corpus.DatabasePath);
        Assert.NotEmpty(await other.SearchKeywordsAsync(["convoy"], 5));

        corpus.Write("a.md", "# Shelling\n\nShelling hit Khan Shaykhun overnight.");
        await corpus.IngestAsync();

        Assert.Empty(await other.SearchKeywordsAsync(["convoy"], 5));
        Assert.NotEmpty(await other.SearchKeywordsAsync(["shelling"], 5));
    }

    [Fact]
    public async Task A_damaged_database_is_named_with_what_to_do_instead_of_a_stack_trace()
    {
        using var cli = new CliRun();
        await File.WriteAllBytesAsync(cli.DatabasePath, [.. System.Text.Encoding.ASCII.GetBytes("this is not a database at all"), .. new byte[4096]]);

        var (exit, _, error) = await cli.RunAsync("sources", "--no-embeddings");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: The database", error, StringComparison.Ordinal);
        Assert.Contains("is damaged or not a BriefingBot database", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static void Drop(string database, string table)
    {
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP TABLE {table}";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>A format of one article a line whose second line trips the builder, as a bug in any later stage would.</summary>
    private sealed class ExplodingLines : IArticleFormat
    {
        public IReadOnlyList<string> Extensions { get; } = [".lines"];

        public IEnumerable<ReadResult> Read(string source, string content)
        {
            var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < lines.Length; i++)
            {
                IReadOnlyList<string> paragraphs = lines[i] == "BOOM" ? new Exploding() : [lines[i] + " in Idlib."];
                yield return ReadResult.Ok(new RawArticle(null, lines[i], null, null, null, null, paragraphs, i + 1));
            }
        }

        private sealed class Exploding : IReadOnlyList<string>
        {
            public int Count => throw new InvalidOperationException("a paragraph list that breaks");

            public string this[int index] => throw new InvalidOperationException("a paragraph list that breaks");

            public IEnumerator<string> GetEnumerator() => throw new InvalidOperationException("a paragraph list that breaks");

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}

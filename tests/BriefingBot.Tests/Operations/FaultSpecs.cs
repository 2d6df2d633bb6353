using System.Diagnostics;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Operations;

/// <summary>Faults a deployment meets: a database held by another process, a process killed mid-write.</summary>
public sealed class FaultSpecs
{
    private static async Task<Core.Answering.Answer> AskAsync(RunningBot bot, string question) =>
        Assert.IsType<AnswerReply>(await bot.Get<ChatRouter>().HandleAsync(new AskRequest(question))).Answer;

    [Fact]
    public async Task A_database_held_by_another_writer_past_the_busy_timeout_leaves_the_bot_up_and_it_catches_up_when_released()
    {
        // The default busy timeout (30 s) and a write lock held for 60 s: each try waits out the timeout and fails.
        await using var bot = await RunningBot.StartAsync(
            new Dictionary<string, string?>
            {
                ["Corpus:RescanInterval"] = "01:00:00",
                ["Logging:LogLevel:BriefingBot"] = "Information",
            }, services => services.AddBackgroundJobs());
        var corpus = bot.Get<IOptions<IngestionOptions>>().Value.Path;
        var database = bot.Get<IOptions<BriefingBot.Storage.Sqlite.SqliteOptions>>().Value.DatabasePath;

        using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            other.Open();
            using var write = other.BeginTransaction(System.Data.IsolationLevel.Serializable); // BEGIN IMMEDIATE: the write lock
            var held = Stopwatch.StartNew();
            using (var touch = other.CreateCommand())
            {
                touch.Transaction = write;
                touch.CommandText = "CREATE TABLE IF NOT EXISTS held_by_another (x INTEGER)";
                touch.ExecuteNonQuery();
            }

            await File.WriteAllTextAsync(Path.Combine(corpus, "convoy.jsonl"), ArticleLines.Line(
                "convoy-1", "Wire", "2018-09-12", "Aid convoy reaches Idlib", "An aid convoy of 48 trucks reached Idlib province on Wednesday, the United Nations said."));

            // Reads go on while the write is held: the chat answers from what is stored.
            var during = await AskAsync(bot, "How many Syrian refugees does Turkey host?");
            Assert.False(during.Abstained);
            await WaitUntilAsync(() => bot.Logs.Lines.Any(l => l.Contains("The corpus watcher lost the store", StringComparison.Ordinal)), TimeSpan.FromSeconds(50));
            await Task.Delay(TimeSpan.FromSeconds(60) - held.Elapsed); // held a full minute while the watcher tries again
            Assert.Empty(await bot.Get<ICorpusStore>().GetArticlesAsync([new ArticleId("convoy-1")]));
            write.Rollback();
        }

        await WaitUntilAsync(async () => (await bot.Get<ICorpusStore>().GetArticlesAsync([new ArticleId("convoy-1")])).Count == 1, TimeSpan.FromSeconds(45));
        var after = await AskAsync(bot, "How many trucks were in the aid convoy to Idlib?");

        Assert.Contains("48 trucks", after.Text, StringComparison.Ordinal);
        Assert.False(bot.Get<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        await WaitUntilAsync(() => bot.Logs.Lines.Any(l => l.Contains("The corpus watcher reaches the store again", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(bot.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal)); // an outage is a warning, told once, not an error each try
    }

    [Fact]
    public async Task An_ingest_killed_mid_write_and_run_again_stores_every_article_once_with_its_passages_and_quotes_whole()
    {
        using var folder = new TempFolder();
        var corpus = Path.Combine(folder.Path, "corpus");
        Directory.CreateDirectory(corpus);
        // FA-KES in files of twenty articles: a kill lands between files and inside one.
        var lines = File.ReadAllLines(RepoFiles.FaKesArticles);
        for (var i = 0; i < lines.Length; i += 20)
        {
            File.WriteAllLines(Path.Combine(corpus, $"part-{i / 20:D3}.jsonl"), lines.Skip(i).Take(20));
        }

        using var again = new CliRun();
        var killed = again.DatabasePath;
        using (var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "briefingbot.dll"), "ingest", "--corpus", corpus, "--db", killed, "--no-embeddings"])
        {
            WorkingDirectory = RepoFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await WaitUntilAsync(() => StoredArticles(killed) > 0 || process.HasExited, TimeSpan.FromSeconds(60), poll: TimeSpan.FromMilliseconds(10));
            Assert.False(process.HasExited, "the ingest ended before it could be killed");
            process.Kill(entireProcessTree: true); // SIGKILL: no cleanup, no flush, no lock released
            await process.WaitForExitAsync();
        }

        Assert.InRange(StoredArticles(killed), 1, lines.Length - 1); // killed part way
        using var clean = new CliRun();
        var rerun = await again.RunAsync("ingest", "--corpus", corpus, "--no-embeddings");
        var fresh = await clean.RunAsync("ingest", "--corpus", corpus, "--no-embeddings");
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.True(fresh.ExitCode == 0, fresh.Error);

        var afterKill = Census(killed);
        Assert.True(afterKill.Articles > 700, $"{afterKill.Articles} articles");
        Assert.Equal(0, afterKill.Duplicates);
        Assert.Equal(0, afterKill.BrokenQuotes);
        Assert.Equal(0, afterKill.ArticlesWithoutPassages);
        Assert.Equal(Census(clean.DatabasePath), afterKill); // as a run that was never killed leaves it

        // And the keyword index the kill interrupted answers as the fresh one does.
        var question = "How many people were killed in the chemical attack on Khan Shaykhun?";
        var fromKilled = await again.RunAsync("ask", question, "--corpus", corpus, "--no-embeddings", "--format", "json");
        var fromClean = await clean.RunAsync("ask", question, "--corpus", corpus, "--no-embeddings", "--format", "json");
        Assert.Equal(fromClean.Out, fromKilled.Out);
    }

    /// <summary>What a database holds: articles, ids stored twice, passages and quotes, and any that do not fit their article.</summary>
    private sealed record CorpusCensus(int Articles, int Duplicates, int Passages, int Quotes, int BrokenQuotes, int ArticlesWithoutPassages);

    private static int StoredArticles(string database)
    {
        if (!File.Exists(database))
        {
            return 0;
        }

        try
        {
            using var connection = OpenReadOnly(database);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM articles";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // not created yet, or busy being created
        }
    }

    private static SqliteConnection OpenReadOnly(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static CorpusCensus Census(string database)
    {
        using var connection = OpenReadOnly(database);
        int Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new CorpusCensus(
            Scalar("SELECT count(*) FROM articles"),
            Scalar("SELECT count(*) - count(DISTINCT id) FROM articles"),
            Scalar("SELECT count(*) FROM passages"),
            Scalar("SELECT count(*) FROM quotes"),
            Scalar("SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE substr(a.text, q.start + 1, q.length) <> q.text"),
            Scalar("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.article_id = a.id)"));
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? poll = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, poll);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"not within {timeout.TotalSeconds:0} s");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }
}

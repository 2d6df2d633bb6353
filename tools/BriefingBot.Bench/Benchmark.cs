using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BriefingBot.Cli;
using BriefingBot.Core;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BriefingBot.Bench;

/// <summary>
/// Builds corpora of the requested sizes from a JSON Lines file (beyond its own articles, distinct ones recombined
/// from its sentences, outlet by outlet),
/// and measures: how fast articles become searchable by keyword, how fast embeddings fill in while the bot
/// answers, warm ask latency (p50/p95 over a fixed question set), how many of the exact top ten passages the
/// quantised vector search returns, and the process's peak memory; each line with the machine's load average.
/// </summary>
internal sealed class Benchmark(CliConsole console, string sourcePath, int[] sizes, int repeats, TimeSpan embedFor, IReadOnlyDictionary<string, string?> overrides)
{
    private const int ArticlesPerFile = 500;

    private BenchDatabases? _postgres;

    public static readonly string[] Questions =
    [
        "What symptoms did the WHO report after the chemical attack?",
        "How many people were killed in the Khan Sheikhoun attack?",
        "What did Russia say about the rebel chemical weapons depot?",
        "Who controls eastern Aleppo?",
        "What happened in Idlib after the airstrikes?",
        "What did Turkey say about the Syrian refugees?",
        "What was agreed at the Astana talks?",
        "How many civilians died in Douma?",
        "What did the United Nations envoy say about the Geneva negotiations?",
        "Which groups were evacuated from Aleppo?",
        "What did the Syrian army announce about Palmyra?",
        "What did the opposition coalition demand?",
        "Why did the United States strike the Shayrat airbase?",
        "What role does Iran play in Syria?",
        "What did Hezbollah say about the fighting in Qalamoun?",
        "How did Jordan respond to the refugee crisis?",
        "What did Lavrov say about a ceasefire?",
        "What happened to the humanitarian convoy near Aleppo?",
        "Who was killed in the car bomb in Damascus?",
        "What did Erdogan say about the Kurdish YPG?",
    ];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(sourcePath))
        {
            throw new BriefingBotException($"The bench source file '{sourcePath}' does not exist (option --source).");
        }

        var lines = (await File.ReadAllLinesAsync(sourcePath, cancellationToken).ConfigureAwait(false)).Where(l => l.Length > 0).ToArray();
        var run = Guid.NewGuid().ToString("N");
        var work = Path.Combine(Path.GetTempPath(), "briefingbot-bench", run);
        var output = console.Out;
        using (var probe = BotHost.Build(console.ContentRoot, overrides))
        {
            var configuration = probe.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
            if (string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase))
            {
                _postgres = new BenchDatabases(configuration["Storage:ConnectionString"]
                    ?? throw new BriefingBotException("Storage:Provider is postgres but Storage:ConnectionString is not set."), run[..12]);
            }
        }

        await output.WriteLineAsync(
            $"source: {sourcePath} ({lines.Length} articles); {Environment.ProcessorCount} cores; work folder {work}; store {(_postgres is null ? "SQLite" : "PostgreSQL " + _postgres.Server)}")
            .ConfigureAwait(false);
        try
        {
            await WarmUpAsync(lines, Path.Combine(work, "warm-up"), cancellationToken).ConfigureAwait(false);
            var corpus = Path.Combine(work, "corpus");
            Directory.CreateDirectory(corpus);
            var written = 0;
            foreach (var size in sizes.Order())
            {
                written = WriteCorpus(lines, corpus, written, size);
                await MeasureSizeAsync(size, corpus, Path.Combine(work, "bench.db"), cancellationToken).ConfigureAwait(false);
            }

            // A fresh database for the largest size: ingestion from nothing, not on top of the smaller corpus.
            using (var host = Host(corpus, Path.Combine(work, "fresh.db"), embeddings: false))
            {
                var watch = Stopwatch.StartNew();
                var report = await host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(corpus, null, cancellationToken).ConfigureAwait(false);
                watch.Stop();
                await output.WriteLineAsync(
                    $"[{written} articles, empty database] keyword-searchable: {report.ArticlesStored} articles in {watch.Elapsed.TotalSeconds:F1} s = {report.ArticlesStored / watch.Elapsed.TotalSeconds:F0} articles/s; {Memory()}; {Load()}")
                    .ConfigureAwait(false);
            }

            await output.WriteLineAsync(PeakMemory()).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            _postgres?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // left for the temp folder's own clean-up
            }
        }
    }

    /// <summary>
    /// Ingests 1,000 articles of their own into a scratch database first and prints how long that took: a process's first
    /// ingestion pays for compiling its code paths and the store's first writes once, which is start-up, not the rate
    /// the smallest size would otherwise show.
    /// </summary>
    private async Task WarmUpAsync(string[] lines, string folder, CancellationToken cancellationToken)
    {
        var corpus = Path.Combine(folder, "corpus");
        Directory.CreateDirectory(corpus);
        const int First = 50_000_000; // article numbers no measured size reaches: texts of their own
        WriteCorpus(lines, corpus, First, First + 1000);
        using var host = Host(corpus, Path.Combine(folder, "warmup.db"), embeddings: false);
        var watch = Stopwatch.StartNew();
        await Core.Quotes.QuoteExtractor.PrepareAsync().ConfigureAwait(false);
        var report = await host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(corpus, null, cancellationToken).ConfigureAwait(false);
        await console.Out.WriteLineAsync(
            $"start-up: a first ingestion of {report.ArticlesStored} articles into a scratch database took {watch.Elapsed.TotalSeconds:F1} s (compiling code paths, first writes); the rates below are after it")
            .ConfigureAwait(false);
    }

    private async Task MeasureSizeAsync(int size, string corpus, string database, CancellationToken cancellationToken)
    {
        var output = console.Out;
        using var host = Host(corpus, database, embeddings: true);
        var services = host.Services;
        var router = services.GetRequiredService<ChatRouter>();

        // Quote extraction builds its patterns once a process (in the background from the ingestor's start): start-up, not the rate.
        var patternsWatch = Stopwatch.StartNew();
        await Core.Quotes.QuoteExtractor.PrepareAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"[{size} articles] quote extraction ready in {patternsWatch.Elapsed.TotalSeconds:F1} s").ConfigureAwait(false);

        var watch = Stopwatch.StartNew();
        var report = await services.GetRequiredService<CorpusIngestor>().IngestAsync(corpus, null, cancellationToken).ConfigureAwait(false);
        watch.Stop();
        await output.WriteLineAsync(
            $"[{size} articles] keyword-searchable: {report.ArticlesStored} new articles in {watch.Elapsed.TotalSeconds:F1} s = {report.ArticlesStored / watch.Elapsed.TotalSeconds:F0} articles/s ({report.Problems.Count} problems), of which giving them their stories {report.Stories.TotalSeconds:F1} s; {Memory()}; {Load()}")
            .ConfigureAwait(false);

        var backfill = services.GetService<EmbeddingBackfill>();
        var pending = backfill is null ? 0 : await backfill.PendingAsync(cancellationToken).ConfigureAwait(false);
        if (backfill is not null && pending > 0)
        {
            await EmbedWhileAskingAsync(size, services, backfill, router, cancellationToken).ConfigureAwait(false);
        }

        // A briefing over every article of the corpus so far, as if all were new.
        var composer = services.GetRequiredService<Core.Briefing.BriefingComposer>();
        var composeWatch = Stopwatch.StartNew();
        var briefing = await composer.ComposeAsync(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddDays(1), false, cancellationToken).ConfigureAwait(false);
        composeWatch.Stop();
        await output.WriteLineAsync(
            $"[{size} articles] briefing over {briefing.Articles} new articles: {composeWatch.Elapsed.TotalSeconds:F2} s ({briefing.Items.Count} stories shown, {briefing.Quotes.Count} quotes); {Memory()}")
            .ConfigureAwait(false);

        // Warm: one pass to load the vector index and the encoder, then the timed passes.
        foreach (var question in Questions)
        {
            await TimeAskAsync(router, question, cancellationToken).ConfigureAwait(false);
        }

        var latencies = new List<double>();
        var abstained = 0;
        for (var r = 0; r < repeats; r++)
        {
            foreach (var question in Questions)
            {
                latencies.Add(await TimeAskAsync(router, question, cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var question in Questions)
        {
            if (await router.HandleAsync(new AskRequest(question), cancellationToken).ConfigureAwait(false) is AnswerReply { Answer.Abstained: true })
            {
                abstained++;
            }
        }

        await output.WriteLineAsync(
            $"[{size} articles] warm ask latency over {latencies.Count} asks ({Questions.Length} questions × {repeats}): p50 {Percentile(latencies, 50):F1} ms, p95 {Percentile(latencies, 95):F1} ms, max {latencies.Max():F1} ms; {abstained}/{Questions.Length} abstained; {Memory()}; {Load()}")
            .ConfigureAwait(false);

        if (services.GetService<ITextEmbedder>() is { } embedder && services.GetRequiredService<Core.Articles.ICorpusStore>() is Storage.IVectorRecall store)
        {
            var queries = await embedder.EmbedAsync(Questions, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                string.Create(CultureInfo.InvariantCulture, $"[{size} articles] vector search recall@10 against exact float32 search: {store.MeasureVectorRecall(queries, 10):F3} over {Questions.Length} questions"))
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Embeds for at most <c>--embed-seconds</c>, a busy channel asking a question every quarter second for the first
    /// third of that (two minutes at most), and prints the rate with and without it and the answer times; passages still without a vector then get stand-ins (a computed vector plus
    /// noise, never used for answers' quality, only so that search time and memory are those of the full size).
    /// </summary>
    private async Task EmbedWhileAskingAsync(int size, IServiceProvider services, EmbeddingBackfill backfill, ChatRouter router, CancellationToken cancellationToken)
    {
        var output = console.Out;
        var store = services.GetRequiredService<Core.Articles.ICorpusStore>();
        var stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var passagesPerArticle = (double)stats.Passages / stats.Articles;
        // The encoder loads (and quantises its weights) once a process; that is start-up, not the rate.
        var loadWatch = Stopwatch.StartNew();
        await services.GetRequiredService<ITextEmbedder>().EmbedAsync(["warm-up"], cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"[{size} articles] encoder loaded in {loadWatch.Elapsed.TotalSeconds:F1} s; {Memory()}").ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(embedFor);
        var embedWatch = Stopwatch.StartNew();
        var progress = new LatestProgress(embedWatch);
        var embedding = backfill.RunAsync(progress, limit.Token);
        var during = new List<double>();
        var next = 0;
        // A busy channel for the first part, then the encoder alone: the rate of each, and the answer times while it runs.
        var askFor = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(120).Ticks, embedFor.Ticks / 3));
        while (!embedding.IsCompleted && embedWatch.Elapsed < askFor)
        {
            during.Add(await TimeAskAsync(router, Questions[next++ % Questions.Length], cancellationToken).ConfigureAwait(false));
            await Task.WhenAny(embedding, Task.Delay(250, cancellationToken)).ConfigureAwait(false);
        }

        var (askedEmbedded, askedAt, askedLoad) = (progress.Latest.Embedded, progress.At, Load());

        try
        {
            await embedding.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // the time allowed is up
        }

        embedWatch.Stop();
        // Passages are stored a round at a time: the rate is over the rounds finished, not the time a cut-off round took.
        var askedRate = askedEmbedded / Math.Max(askedAt.TotalSeconds, 0.001);
        await output.WriteLineAsync(
            $"[{size} articles] embeddings while answering: {askedEmbedded} distinct passages in {askedAt.TotalSeconds:F1} s = {askedRate:F1} passages/s ≈ {askedRate / passagesPerArticle:F1} articles/s " +
            $"({passagesPerArticle:F1} passages per article), while answering {during.Count} questions (p50 {Percentile(during, 50):F0} ms, p95 {Percentile(during, 95):F0} ms); {askedLoad}")
            .ConfigureAwait(false);
        var alone = progress.Latest.Embedded - askedEmbedded;
        var aloneSeconds = (progress.At - askedAt).TotalSeconds;
        if (alone > 0 && aloneSeconds > 0)
        {
            await output.WriteLineAsync(
                $"[{size} articles] embeddings alone: {alone} distinct passages in {aloneSeconds:F1} s = {alone / aloneSeconds:F1} passages/s ≈ {alone / aloneSeconds / passagesPerArticle:F1} articles/s; " +
                $"{progress.Latest.Embedded} in all; {Memory()}; {Load()}")
                .ConfigureAwait(false);
        }

        var standIns = await StandInVectorsAsync(store, services.GetRequiredService<ITextEmbedder>(), cancellationToken).ConfigureAwait(false);
        if (standIns > 0)
        {
            await output.WriteLineAsync($"[{size} articles] {standIns} passages left without a vector got stand-in vectors (a computed vector plus noise) for the measurements below")
                .ConfigureAwait(false);
        }
    }

    private static async Task<int> StandInVectorsAsync(Core.Articles.ICorpusStore store, ITextEmbedder embedder, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        float[][]? bases = null;
        var total = 0;
        var after = 0L;
        while (true)
        {
            var batch = await store.GetPassagesWithoutEmbeddingAsync(embedder.Model, after, 4096, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return total;
            }

            after = batch.Max(p => p.PassageId);
            bases ??= await embedder.EmbedAsync(batch.Take(64).Select(p => p.Text).ToList(), cancellationToken).ConfigureAwait(false);
            var vectors = batch.Select(p =>
            {
                var source = bases[random.Next(bases.Length)];
                var vector = source.Select(x => x + (float)((random.NextDouble() - 0.5) * 0.1)).ToArray();
                var length = MathF.Sqrt(vector.Sum(x => x * x));
                return (p.PassageId, vector.Select(x => x / length).ToArray());
            }).ToList();
            await store.StoreEmbeddingsAsync(embedder.Model, vectors, cancellationToken).ConfigureAwait(false);
            total += batch.Count;
        }
    }

    private sealed class LatestProgress(Stopwatch clock) : IProgress<BackfillProgress>
    {
        public BackfillProgress Latest { get; private set; }

        /// <summary>When the latest progress came.</summary>
        public TimeSpan At { get; private set; }

        public void Report(BackfillProgress value) => (Latest, At) = (value, clock.Elapsed);
    }

    /// <summary>The one-minute load average, so a figure can be read against how busy the machine was.</summary>
    internal static string Load()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]}";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }

    private IHost Host(string corpus, string database, bool embeddings)
    {
        var settings = new Dictionary<string, string?>(overrides)
        {
            ["Corpus:Path"] = corpus,
            ["Storage:DatabasePath"] = database,
            ["Embeddings:Enabled"] = embeddings ? overrides.GetValueOrDefault("Embeddings:Enabled") ?? "true" : "false",
        };
        if (_postgres is not null)
        {
            // The same database name gives the same PostgreSQL database, with an index folder of its own beside the corpus.
            var name = Path.GetFileNameWithoutExtension(database);
            settings["Storage:ConnectionString"] = _postgres.ConnectionTo(name);
            settings["Storage:IndexFolder"] = Path.Combine(Path.GetDirectoryName(database)!, name + "-index");
        }

        var host = BotHost.Build(console.ContentRoot, settings);
        BotHost.ValidateOptions(host.Services);
        return host;
    }

    private static async Task<double> TimeAskAsync(ChatRouter router, string question, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await router.HandleAsync(new AskRequest(question), cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Appends articles <paramref name="from"/>..<paramref name="to"/> to the corpus folder; beyond the source's own, recombined ones (<see cref="Recombine"/>).</summary>
    internal static int WriteCorpus(string[] lines, string corpus, int from, int to)
    {
        var sources = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var sentences = sources.Select(a => SentencesOf((string?)a["body"] ?? string.Empty)).ToList(); // split once, drawn from many times
        var byOutlet = Enumerable.Range(0, sources.Count).GroupBy(k => (string?)sources[k]["outlet"] ?? string.Empty)
            .ToDictionary(g => g.Key, g => g.Select(k => sentences[k]).Where(s => s.Count > 0).ToList());
        var json = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        for (var fileStart = from; fileStart < to; fileStart += ArticlesPerFile)
        {
            var count = Math.Min(ArticlesPerFile, to - fileStart);
            var file = Path.Combine(corpus, $"articles-{fileStart:D6}.jsonl");
            using var writer = new StreamWriter(file);
            for (var i = fileStart; i < fileStart + count; i++)
            {
                var node = sources[i % sources.Count].DeepClone().AsObject();
                if (i >= sources.Count)
                {
                    Recombine(node, i, sentences[i % sources.Count].Count, byOutlet);
                }

                writer.WriteLine(node.ToJsonString(json));
            }
        }

        return to;
    }

    /// <summary>
    /// Article <paramref name="i"/> beyond the source's own: as long as the article it stands in for, made of sentences
    /// drawn (seeded by <paramref name="i"/>) from articles of the same outlet, its date moved by up to two years, so a
    /// large corpus has the distinct texts, vectors and posting lists a real archive would.
    /// </summary>
    private static void Recombine(JsonObject node, int i, int sentenceCount, Dictionary<string, List<List<string>>> byOutlet)
    {
        var random = new Random(i);
        var pool = byOutlet[(string?)node["outlet"] ?? string.Empty];
        var length = Math.Max(1, sentenceCount);
        var sentences = Enumerable.Range(0, length).Select(_ => pool[random.Next(pool.Count)]).Select(a => a[random.Next(a.Count)]).ToList();
        node["id"] = $"{node["id"]}-r{i.ToString(CultureInfo.InvariantCulture)}";
        node["title"] = TextOf(sentences[0], 90);
        node["body"] = string.Join(' ', sentences);
        if (Core.Articles.PublishedDates.TryParse((string?)node["published"]) is { } published)
        {
            node["published"] = published.AddDays(random.Next(-365, 366)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }

    private static List<string> SentencesOf(string body) =>
        Core.Text.SentenceSplitter.Split(body).Select(s => body.Substring(s.Start, s.Length)).Where(s => s.Length > 20).ToList();

    private static string TextOf(string sentence, int max) =>
        sentence.Length <= max ? sentence.TrimEnd('.') : sentence[..(sentence.LastIndexOf(' ', max) is var space and > 0 ? space : max)];

    internal static string PeakMemory() =>
        string.Create(CultureInfo.InvariantCulture, $"peak memory (working set): {Math.Max(_peak, PeakSinceReset()) / 1048576.0:F0} MiB");

    private static long _peak;

    internal static string Memory()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var phasePeak = self.PeakWorkingSet64;
        _peak = Math.Max(_peak, phasePeak);
        ResetPeak();
        return string.Create(CultureInfo.InvariantCulture,
            $"working set now {self.WorkingSet64 / 1048576.0:F0} MiB, at most {phasePeak / 1048576.0:F0} MiB since the line before (managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F0} MiB)");
    }

    /// <summary>The process's peak resident size so far (Linux's VmHWM), or since <see cref="ResetPeak"/>.</summary>
    private static long PeakSinceReset()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.PeakWorkingSet64;
    }

    /// <summary>Linux resets the peak resident size when 5 is written to /proc/self/clear_refs, so each line can tell its own phase's peak.</summary>
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // elsewhere the peak is the whole run's
        }
    }

    internal static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>The bench's databases on a PostgreSQL server (with <c>Storage:Provider=postgres</c>): made on first use, dropped at the end.</summary>
internal sealed class BenchDatabases(string server, string run) : IDisposable
{
    private readonly List<string> _made = [];

    /// <summary>Host and port, for the report (never the credentials).</summary>
    public string Server { get; } = new Npgsql.NpgsqlConnectionStringBuilder(server) is var b ? $"{b.Host}:{b.Port}" : string.Empty;

    public string ConnectionTo(string name)
    {
        var database = $"briefingbot_bench_{run}_{name}".ToLowerInvariant();
        if (!_made.Contains(database))
        {
            Execute($"CREATE DATABASE {database}");
            _made.Add(database);
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        foreach (var database in _made)
        {
            Execute($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private void Execute(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(server);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

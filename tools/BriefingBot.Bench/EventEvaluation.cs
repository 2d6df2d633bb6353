using System.Globalization;
using System.Text.Json;
using BriefingBot.Cli;
using BriefingBot.Core;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Bench;

/// <summary>A window of the corpus with the events annotated in it: each event, the ids of its articles.</summary>
internal sealed record EventWindow(string Half, DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<IReadOnlyList<string>> Events, string? Note = null);

/// <summary>
/// <c>eval-events</c>: how the briefing groups articles into stories against annotated events, as pairwise precision
/// (articles put together that are one event) and recall (articles of one event put together), per half of the set.
/// Every article of a window that no annotated event holds is an event of its own.
/// </summary>
/// <param name="verboseHalf">The half whose wrong and missed pairs are listed (only the tuning half's, while tuning).</param>
internal sealed class EventEvaluation(CliConsole console, string dataPath, IReadOnlyDictionary<string, string?> overrides, string? verboseHalf = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(dataPath))
        {
            throw new BriefingBotException($"No event set at '{dataPath}' (option --data): JSON Lines of {{\"half\", \"since\", \"until\", \"events\"}}.");
        }

        var windows = (await File.ReadAllLinesAsync(dataPath, cancellationToken).ConfigureAwait(false))
            .Where(l => l.Trim().Length > 0)
            .Select((l, i) => JsonSerializer.Deserialize<EventWindow>(l, Json) ?? throw new BriefingBotException($"{dataPath}:{i + 1} is not a window."))
            .ToList();
        // Its own database (--db, or one kept between runs) beside its own copy of FA-KES.
        var settings = new Dictionary<string, string?>(overrides);
        // Stories are stored as articles are ingested: without --db, a new database each run, so they are grouped by this build.
        string database;
        if (settings.Remove("Storage:DatabasePath", out var db) && db is not null)
        {
            database = db;
        }
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), "briefingbot-eval-events");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            database = Path.Combine(folder, "events.db");
        }

        var corpus = AnswerEvaluation.FaKesCorpus(console.ContentRoot, database);
        settings["Corpus:Path"] = corpus;
        settings["Storage:DatabasePath"] = database;
        settings["Embeddings:Enabled"] = "false";
        using var host = BotHost.Build(console.ContentRoot, settings);
        BotHost.ValidateOptions(host.Services);
        await host.Services.GetRequiredService<Core.Ingestion.CorpusIngestor>().IngestAsync(corpus, cancellationToken: cancellationToken).ConfigureAwait(false);
        var composer = host.Services.GetRequiredService<BriefingComposer>();
        var store = host.Services.GetRequiredService<Core.Articles.ICorpusStore>();
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<string> TitleAsync(string id)
        {
            if (!titles.TryGetValue(id, out var title))
            {
                title = (await store.GetArticlesAsync([new Core.Articles.ArticleId(id)], cancellationToken).ConfigureAwait(false)).Values.FirstOrDefault() is { } article
                    ? $"{article.Title} ({article.Outlet}, {article.Published}; {Described(EventReader.Read(article, Core.Text.SentenceSplitter.SplitArticle(article.Text)))})"
                    : "?";
                titles[id] = title;
            }

            return title;
        }

        await console.Out.WriteLineAsync($"{windows.Count} windows, {windows.Sum(w => w.Events.Count)} annotated events from {dataPath} over samples/fa-kes").ConfigureAwait(false);
        foreach (var half in windows.GroupBy(w => w.Half).OrderByDescending(g => g.Key == "tuning"))
        {
            int together = 0, rightTogether = 0, gold = 0, goldFound = 0;
            foreach (var window in half)
            {
                var stories = await composer.GroupAsync(window.Since, window.Until, cancellationToken).ConfigureAwait(false);
                var storyOf = stories.SelectMany((s, i) => s.Select(id => (id.Value, i))).ToDictionary(x => x.Value, x => x.i, StringComparer.Ordinal);
                var eventOf = window.Events.SelectMany((e, i) => e.Select(id => (id, i))).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
                var ids = storyOf.Keys.Order(StringComparer.Ordinal).ToList();
                foreach (var missing in eventOf.Keys.Where(id => !storyOf.ContainsKey(id)))
                {
                    await console.Error.WriteLineAsync($"note: {missing} is annotated but not in the window {window.Since:yyyy-MM-dd}..{window.Until:yyyy-MM-dd}").ConfigureAwait(false);
                }

                for (var a = 0; a < ids.Count; a++)
                {
                    for (var b = a + 1; b < ids.Count; b++)
                    {
                        var sameStory = storyOf[ids[a]] == storyOf[ids[b]];
                        var sameEvent = eventOf.TryGetValue(ids[a], out var ea) && eventOf.TryGetValue(ids[b], out var eb) && ea == eb;
                        if (verboseHalf == half.Key && sameStory != sameEvent)
                        {
                            await console.Out.WriteLineAsync($"  {(sameStory ? "joined" : "apart ")} {ids[a]} «{await TitleAsync(ids[a])}» + {ids[b]} «{await TitleAsync(ids[b])}»").ConfigureAwait(false);
                        }

                        together += sameStory ? 1 : 0;
                        rightTogether += sameStory && sameEvent ? 1 : 0;
                        gold += sameEvent ? 1 : 0;
                        goldFound += sameEvent && sameStory ? 1 : 0;
                    }
                }
            }

            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[{half.Key} half] pairwise precision {Ratio(rightTogether, together)} ({rightTogether}/{together}), recall {Ratio(goldFound, gold)} ({goldFound}/{gold}) over {half.Count()} windows"))
                .ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The event as read from the article: kind, place (* when a town or district), day (! when stated).</summary>
    private static string Described(ReportedEvent reported) => string.Create(CultureInfo.InvariantCulture,
        $"{reported.Kind ?? "-"} at {reported.Place ?? "-"}{(reported.Specific ? "*" : string.Empty)} on {reported.Day:MM-dd}{(reported.DayStated ? "!" : string.Empty)}");

    private static string Ratio(int a, int b) => b == 0 ? "n/a" : ((double)a / b).ToString("F2", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using BriefingBot.Cli;

namespace BriefingBot.Bench;

/// <summary><c>bench</c>: the figures the targets are checked against, printed, never asserted.</summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Option<string?>("--source")
        {
            Description = "JSON Lines articles to build the corpora from (default: samples/fa-kes/syria-war-articles.jsonl)",
        };
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Corpus sizes in articles",
            DefaultValueFactory = _ => [1000, 10000],
            AllowMultipleArgumentsPerToken = true,
        };
        var repeats = new Option<int>("--repeats") { Description = "Times each question is asked when measuring latency", DefaultValueFactory = _ => 5 };
        var embedFor = new Option<double>("--embed-seconds")
        {
            Description = "Seconds embeddings are computed at each size while questions are asked; passages left then get stand-in vectors " +
                "(a computed vector plus noise) so that search and memory are measured at full size",
            DefaultValueFactory = _ => 120,
        };
        var command = new Command("bench", "Measure ingestion throughput, embedding throughput, ask latency and peak memory") { source, sizes, repeats, embedFor };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () =>
        {
            var path = parse.GetValue(source) ?? Path.Combine(console.ContentRoot, "samples", "fa-kes", "syria-war-articles.jsonl");
            var benchmark = new Benchmark(console, Path.GetFullPath(path), parse.GetValue(sizes)!, parse.GetValue(repeats),
                TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(embedFor))), BriefingBotCli.Overrides(parse));
            return benchmark.RunAsync(ct);
        }));
        return command;
    }

    public static Command CreateFeeds(CliConsole console)
    {
        var source = new Option<string?>("--source") { Description = "JSON Lines articles to serve (default: samples/fa-kes/syria-war-articles.jsonl)" };
        var articles = new Option<int>("--articles") { Description = "Items in each feed", DefaultValueFactory = _ => 500 };
        var command = new Command("bench-feeds", "Measure how fast feed items become answerable articles, on a loopback site") { source, articles };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () =>
        {
            var path = parse.GetValue(source) ?? Path.Combine(console.ContentRoot, "samples", "fa-kes", "syria-war-articles.jsonl");
            return new FeedBenchmark(console, Path.GetFullPath(path), Positive(parse.GetValue(articles), "--articles"), BriefingBotCli.Overrides(parse)).RunAsync(ct);
        }));
        return command;
    }

    public static Command CreateLoad(CliConsole console)
    {
        var events = new Option<int>("--events") { Description = "Requests in the burst", DefaultValueFactory = _ => 50 };
        var people = new Option<int>("--people") { Description = "People sending them", DefaultValueFactory = _ => 10 };
        var over = new Option<double>("--over") { Description = "Seconds the burst is spread over", DefaultValueFactory = _ => 1 };
        var model = new Option<double>("--model-delay") { Description = "Seconds the simulated chat model takes a reply; 0 answers without a model", DefaultValueFactory = _ => 2.5 };
        var flood = new Option<int>("--flood") { Description = "Mentions one person sends while another asks", DefaultValueFactory = _ => 100 };
        var floodOver = new Option<double>("--flood-over") { Description = "Seconds the flood is spread over", DefaultValueFactory = _ => 10 };
        var rounds = new Option<int>("--rounds") { Description = "Times the whole load is repeated (memory after each shows whether it stays bounded)", DefaultValueFactory = _ => 2 };
        var platform = new Option<string[]>("--platform")
        {
            Description = "slack, discord or both",
            DefaultValueFactory = _ => ["slack", "discord"],
            AllowMultipleArgumentsPerToken = true,
        };
        platform.AcceptOnlyFromAmong("slack", "discord");
        var command = new Command("load", "Time acknowledgements and answers of the Slack and Discord adapters under a burst and a flood, the platforms and the model simulated in memory")
        {
            events, people, over, model, flood, floodOver, rounds, platform,
        };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () =>
        {
            var settings = new LoadSettings(
                Positive(parse.GetValue(events), "--events"), Positive(parse.GetValue(people), "--people"), Seconds(parse.GetValue(over), "--over"),
                TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(model))), Positive(parse.GetValue(flood), "--flood"), Seconds(parse.GetValue(floodOver), "--flood-over"),
                Positive(parse.GetValue(rounds), "--rounds"), parse.GetValue(platform)!);
            return new LoadTest(console, settings, BriefingBotCli.Overrides(parse)).RunAsync(ct);
        }));
        return command;
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new Core.BriefingBotException($"{option} must be at least 1.");

    private static TimeSpan Seconds(double value, string option) =>
        value > 0 ? TimeSpan.FromSeconds(value) : throw new Core.BriefingBotException($"{option} must be a positive number of seconds.");

    public static Command CreateAnswerEvaluation(CliConsole console)
    {
        var data = new Option<string[]>("--data")
        {
            Description = "JSON Lines of {question, answerable, fact, half} or of {question, answers, article, answerable}, asked over the corpus.jsonl beside it if " +
                "there is one; may be given more than once (default: eval/answers.jsonl, and with --fit also ../shared/data/rtqa-dev/questions.jsonl when present)",
            AllowMultipleArgumentsPerToken = false,
        };
        var verbose = new Option<bool>("--verbose") { Description = "Also list every question answered wrongly, with what it got" };
        var keywordOnly = new Option<bool>("--keyword-only") { Description = "Measure keyword search alone (no embeddings to compute)" };
        var fit = new Option<bool>("--fit")
        {
            Description = "Fit the reader's weights and abstention thresholds on the sets' tuning halves, write them to src/BriefingBot.Core/Answering/ReaderWeights.json, " +
                "then measure every set with them",
        };
        var command = new Command("eval-answers", "Measure answers: with the fact, right article, fact first, unanswerable answered — keyword-only and hybrid, per half of the set")
        {
            data, verbose, keywordOnly, fit,
        };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            var overrides = BriefingBotCli.Overrides(parse);
            var given = parse.GetValue(data) is { Length: > 0 } paths ? paths.Select(Path.GetFullPath).ToList() : null;
            var quiz = Path.GetFullPath(Path.Combine(console.ContentRoot, "..", "shared", "data", "rtqa-dev", "questions.jsonl"));
            var sets = given ?? [Path.Combine(console.ContentRoot, "eval", "answers.jsonl"), .. parse.GetValue(fit) && File.Exists(quiz) ? [quiz] : Array.Empty<string>()];
            var explicitDatabase = overrides.Remove("Storage:DatabasePath", out var db) ? db : null;
            overrides.Remove("Corpus:Path");

            // Each set its own database beside its own corpus folder (the bundled article and FA-KES, or the set's own
            // corpus), kept between runs.
            AnswerEvaluation Evaluation(string path, IReadOnlyDictionary<string, string?> settings)
            {
                var own = File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "corpus.jsonl")) ? Path.GetFileName(Path.GetDirectoryName(path)) + ".db" : "answers.db";
                var database = explicitDatabase is not null && sets.Count == 1 ? explicitDatabase : Path.Combine(Path.GetTempPath(), "briefingbot-eval-answers", own);
                return new AnswerEvaluation(console, path, database, parse.GetValue(verbose), parse.GetValue(keywordOnly), settings);
            }

            if (parse.GetValue(fit))
            {
                var weights = await FitReaderAsync(console, sets.Select(p => Evaluation(p, overrides)).ToList(), parse.GetValue(keywordOnly), ct).ConfigureAwait(false);
                overrides["Answering:ReaderWeights"] = weights;
            }

            foreach (var set in sets)
            {
                await Evaluation(set, overrides).RunAsync(ct).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Fits the reader on the sets' tuning halves and writes its weights; returns the file's path.</summary>
    private static async Task<string> FitReaderAsync(CliConsole console, IReadOnlyList<AnswerEvaluation> sets, bool keywordOnly, CancellationToken cancellationToken)
    {
        var models = new Dictionary<bool, Core.Answering.ReaderModel>();
        foreach (var hybrid in new[] { false, true })
        {
            var examples = new List<ReaderFit.Example>();
            foreach (var set in sets)
            {
                examples.AddRange(await set.TuningExamplesAsync(hybrid && !keywordOnly, cancellationToken).ConfigureAwait(false));
            }

            models[hybrid] = ReaderFit.Fit(examples);
            await console.Out.WriteLineAsync($"[fit {(hybrid ? "hybrid" : "keyword-only")}, tuning halves] {ReaderFit.Describe(models[hybrid], examples)}").ConfigureAwait(false);
        }

        var weights = new Core.Answering.ReaderWeights(
            $"eval-answers --fit, tuning halves of {string.Join(" and ", sets.Select(s => s.Name))}", models[true], models[false]);
        var folder = Path.Combine(console.ContentRoot, "src", "BriefingBot.Core", "Answering");
        var path = Path.Combine(Directory.Exists(folder) ? folder : Directory.GetCurrentDirectory(), "ReaderWeights.json");
        await File.WriteAllTextAsync(path, weights.ToJson() + "\n", cancellationToken).ConfigureAwait(false);
        await console.Out.WriteLineAsync($"reader weights written to {path} (built into the bot at the next build)").ConfigureAwait(false);
        return path;
    }

    public static Command CreateEventEvaluation(CliConsole console)
    {
        var data = new Option<string?>("--data") { Description = "JSON Lines of {half, since, until, events: [[article ids]]} (default: eval/events.jsonl)" };
        var verbose = new Option<string?>("--verbose") { Description = "Also list, for the windows of this half (tuning or checking), every pair joined wrongly or left apart, by title" };
        var command = new Command("eval-events", "Measure how briefings group articles into stories: pairwise precision and recall against annotated events") { data, verbose };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () =>
            new EventEvaluation(console, Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(console.ContentRoot, "eval", "events.jsonl")), BriefingBotCli.Overrides(parse), parse.GetValue(verbose)).RunAsync(ct)));
        return command;
    }

    public static Command CreatePageEvaluation(CliConsole console)
    {
        var data = new Option<string?>("--data")
        {
            Description = "Folder of article pages (html/<key>.html or .html.gz) and their marked bodies (ground-truth.json); default: ../shared/data/pages-dev",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Also list every page, worst first, with its scores and time" };
        var write = new Option<string?>("--write") { Description = "Also write the text read of each page to this file, as {\"<key>\": {\"articleBody\": \"...\"}} (the benchmark's prediction form)" };
        var command = new Command("eval-pages", "Measure how article pages are read: shingle F1, precision and recall against marked bodies, pages with no text, time per page") { data, verbose, write };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            var folder = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(console.ContentRoot, "..", "shared", "data", "pages-dev"));
            var pages = await Task.Run(() => PageEvaluation.Run(folder), ct).ConfigureAwait(false);
            if (parse.GetValue(write) is { } output)
            {
                await File.WriteAllTextAsync(output, System.Text.Json.JsonSerializer.Serialize(pages.ToDictionary(p => p.Key, p => new { articleBody = p.Text })), ct).ConfigureAwait(false);
            }
            if (parse.GetValue(verbose))
            {
                foreach (var page in pages.OrderBy(p => p.Match.F1))
                {
                    await console.Out.WriteLineAsync(FormattableString.Invariant(
                        $"  {page.Key[..Math.Min(12, page.Key.Length)],-12}  F1 {page.Match.F1:0.000}  P {page.Match.Precision:0.000}  R {page.Match.Recall:0.000}  {page.Milliseconds,6:0.0} ms{(page.NoText ? "  no text" : string.Empty)}"))
                        .ConfigureAwait(false);
                }
            }

            var (f1, precision, recall) = PageEvaluation.Average(pages.Select(p => p.Match).ToList());
            var times = pages.Select(p => p.Milliseconds).Order().ToList();
            await console.Out.WriteLineAsync(FormattableString.Invariant(
                $"pages: {pages.Count}  F1 {f1:0.000}  precision {precision:0.000}  recall {recall:0.000}  no text: {pages.Count(p => p.NoText)}  read in {times.Average():0.0} ms a page on average (median {times[times.Count / 2]:0.0}, slowest {times[^1]:0.0})")).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The body of one FA-KES line.</summary>
    private static string BodyOf(string line)
    {
        using var json = System.Text.Json.JsonDocument.Parse(line);
        return json.RootElement.GetProperty("body").GetString() ?? string.Empty;
    }

    public static Command CreateQuoteEvaluation(CliConsole console)
    {
        var data = new Option<string?>("--data")
        {
            Description = "Folder of brat-annotated articles with text/ and attributions/ (default: ../shared/data/polnear-dev)",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Also list every quote missed, wrong, inexact or misattributed" };
        var byOutlet = new Option<bool>("--by-outlet")
        {
            Description = "Also score each outlet alone (the file name up to its first underscore) and give the average over outlets: " +
                "a rule written from one outlet's articles is judged on the others'",
        };
        var speakers = new Option<bool>("--speakers")
        {
            Description = "Also count the speakers found over the folder's articles and samples/fa-kes, and list the names the speaker rule turns away (fragments: no person, body or description)",
        };
        var command = new Command("eval-quotes", "Measure quote extraction: precision and recall of direct quotes and their speakers") { data, verbose, byOutlet, speakers };
        command.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            var folder = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(console.ContentRoot, "..", "shared", "data", "polnear-dev"));
            if (!Directory.Exists(Path.Combine(folder, "text")) || !Directory.Exists(Path.Combine(folder, "attributions")))
            {
                // PolNeAR may not be redistributed, so it does not come with the bot.
                throw new Core.BriefingBotException(parse.GetValue(data) is null
                    ? $"No annotated articles at '{folder}'. eval-quotes needs brat-annotated news with text/ and attributions/ folders, such as " +
                      "the development split of PolNeAR (Newell, Margolin, Ruths, LREC 2018; public repository networkdynamics/PolNeAR); " +
                      "give its folder with --data."
                    : $"'{folder}' has no text/ and attributions/ folders (option --data).");
            }

            var lines = new List<string>();
            var scores = await Task.Run(() => QuoteEvaluation.Score(folder, parse.GetValue(verbose) ? lines.Add : null), ct).ConfigureAwait(false);
            foreach (var line in lines)
            {
                await console.Out.WriteLineAsync("  " + line).ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync(scores.ToString()).ConfigureAwait(false);
            if (parse.GetValue(speakers))
            {
                var faKes = Path.Combine(console.ContentRoot, "samples", "fa-kes", "syria-war-articles.jsonl");
                var sets = new (string Name, IEnumerable<string> Texts)[]
                {
                    ("annotated articles", Directory.GetFiles(Path.Combine(folder, "text"), "*.txt").Select(File.ReadAllText)),
                    ("samples/fa-kes", File.Exists(faKes)
                        ? File.ReadLines(faKes).Select(BodyOf)
                        : []),
                };
                foreach (var (name, texts) in sets)
                {
                    var (found, rejected) = await Task.Run(() => QuoteEvaluation.Speakers(texts), ct).ConfigureAwait(false);
                    await console.Out.WriteLineAsync(FormattableString.Invariant(
                        $"{name}: {found} speakers found, {rejected.Count} turned away by the speaker rule ({rejected.Values.Sum()} quotes kept unattributed or paraphrases left out)")).ConfigureAwait(false);
                    foreach (var (speaker, count) in rejected.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
                    {
                        await console.Out.WriteLineAsync(FormattableString.Invariant($"  {count,3}× «{speaker}»")).ConfigureAwait(false);
                    }
                }
            }

            if (parse.GetValue(byOutlet))
            {
                var outlets = QuoteEvaluation.Outlets(folder);
                var each = await Task.Run(() => outlets.Select(o => (Outlet: o, Scores: QuoteEvaluation.Score(folder, null, o))).ToList(), ct).ConfigureAwait(false);
                foreach (var (outlet, score) in each)
                {
                    await console.Out.WriteLineAsync(FormattableString.Invariant(
                        $"  {outlet,-14} exact F1 {score.ExactF1:0.000}  named speakers {score.NamedShare:0.000} ({score.Named.Right}/{score.Named.Of})  {score.Articles} articles")).ConfigureAwait(false);
                }

                await console.Out.WriteLineAsync(FormattableString.Invariant(
                    $"by outlet ({each.Count}): exact F1 {each.Average(e => e.Scores.ExactF1):0.000} on average (lowest {each.Min(e => e.Scores.ExactF1):0.000}), named speakers {each.Average(e => e.Scores.NamedShare):0.000} on average")).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}

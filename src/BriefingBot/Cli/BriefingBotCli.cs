using System.CommandLine;
using System.Text.Json;
using BriefingBot.Chat;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Text;
using BriefingBot.Hosting;
using BriefingBot.Shell;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BriefingBot.Cli;

/// <summary>The command line: the shell chat by default, and verbs for one-shot use.</summary>
public static class BriefingBotCli
{
    private const string DatabaseOption = "--db";
    private const string CorpusOption = "--corpus";
    private const string NoEmbeddingsOption = "--no-embeddings";
    private const string FormatOption = "--format";

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("BriefingBot answers questions about the news corpus, always with its sources. Without a command it opens the shell chat.");
        AddSettingOptions(root);
        root.SetAction((parse, ct) => Guarded(console, () => ChatAsync(parse, console, ct)));

        var question = new Argument<string[]>("question") { Description = "The question, in words", Arity = ArgumentArity.OneOrMore };
        var ask = new Command("ask", "Answer one question from the corpus, citing its sources") { question, Format() };
        ask.SetAction((parse, ct) => Guarded(console, () => AskAsync(parse, string.Join(' ', parse.GetValue(question)!), console, ct)));
        root.Subcommands.Add(ask);

        var ingest = new Command("ingest", "Bring the database up to date with the corpus folder and compute embeddings");
        ingest.SetAction((parse, ct) => Guarded(console, () => IngestAsync(parse, console, ct)));
        root.Subcommands.Add(ingest);

        var sources = new Command("sources", "What the corpus holds: articles, outlets, dates, news feeds");
        sources.SetAction((parse, ct) => Guarded(console, () => SimpleAsync(parse, new SourcesRequest(), console, ct)));
        root.Subcommands.Add(sources);

        var speaker = new Option<string?>("--speaker") { Description = "Who said it (full name or surname)" };
        var topic = new Option<string?>("--topic") { Description = "What it is about" };
        var all = new Option<bool>("--all") { Description = "Every stored quote with its article id and character offsets (with --format json: a JSON array)" };
        var quote = new Command("quote", "Verbatim quotes by speaker and/or topic") { speaker, topic, all, Format() };
        quote.SetAction((parse, ct) => Guarded(console, () => parse.GetValue(all)
            ? AllQuotesAsync(parse, console, ct)
            : string.IsNullOrWhiteSpace(parse.GetValue(speaker)) && string.IsNullOrWhiteSpace(parse.GetValue(topic))
            ? SpeakersAsync(parse, console, ct)
            : SimpleAsync(parse, new QuoteRequest(parse.GetValue(speaker), parse.GetValue(topic)), console, ct, embed: true)));
        root.Subcommands.Add(quote);

        var since = new Option<string?>("--since") { Description = "Start of the window, ISO date or date-time, UTC unless an offset is given (default: the end of the last briefing, or 24 hours ago)" };
        var until = new Option<string?>("--until") { Description = "End of the window (default: now)" };
        var briefing = new Command("briefing", "What is new: stories grouped across outlets, cited, with notable quotes") { since, until, Format() };
        briefing.SetAction((parse, ct) => Guarded(console, () =>
            SimpleAsync(parse, new BriefingRequest(Instant(parse.GetValue(since), "--since"), Instant(parse.GetValue(until), "--until")), console, ct)));
        root.Subcommands.Add(briefing);

        root.Subcommands.Add(FeedsCommand.Create(console));
        root.Subcommands.Add(FeedbackCommand.Create(console));

        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A date or date-time from the command line; without an offset it is UTC, not the machine's local time.</summary>
    private static DateTimeOffset? Instant(string? value, string option) => value is null
        ? null
        : Core.Articles.PublishedDates.TryParse(value) ?? throw new BriefingBotException($"{option} \"{value}\" is not a date such as 2018-09-07 or 2018-09-07T07:00:00+03:00.");

    private static Option<string> Format()
    {
        var format = new Option<string>(FormatOption) { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        return format;
    }

    /// <summary>The options every command takes for the settings it runs with: <c>--db</c>, <c>--corpus</c>, <c>--no-embeddings</c>.</summary>
    public static void AddSettingOptions(RootCommand root)
    {
        root.Options.Add(new Option<string?>(DatabaseOption) { Description = "SQLite database file (setting Storage:DatabasePath)", Recursive = true });
        root.Options.Add(new Option<string?>(CorpusOption) { Description = "Folder of article files (setting Corpus:Path)", Recursive = true });
        root.Options.Add(new Option<bool>(NoEmbeddingsOption) { Description = "Keyword search only (setting Embeddings:Enabled=false)", Recursive = true });
    }

    /// <summary>Settings given on the command line, layered over appsettings.json and the environment.</summary>
    public static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue<string?>(DatabaseOption) is { } db)
        {
            overrides["Storage:DatabasePath"] = Path.GetFullPath(db);
        }

        if (parse.GetValue<string?>(CorpusOption) is { } corpus)
        {
            overrides["Corpus:Path"] = Path.GetFullPath(corpus);
        }

        if (parse.GetValue<bool>(NoEmbeddingsOption))
        {
            overrides["Embeddings:Enabled"] = "false";
        }

        return overrides;
    }

    internal static IHost BuildHost(ParseResult parse, CliConsole console, Action<IServiceCollection>? configure = null)
    {
        var host = BotHost.Build(console.ContentRoot, Overrides(parse), configure);
        BotHost.ValidateOptions(host.Services);
        return host;
    }

    /// <summary>Turns the bot's own failures into one clear line and an exit code; anything else is a bug and surfaces as such.</summary>
    public static async Task<int> Guarded(CliConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (BriefingBotException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                // DataAnnotations wraps our message ("Answering:MaxSentences must be …") in its own sentence.
                var ours = System.Text.RegularExpressions.Regex.Match(failure, "with the error: '(?<message>.+)'");
                await console.Error.WriteLineAsync($"error: {(ours.Success ? ours.Groups["message"].Value : failure)}").ConfigureAwait(false);
            }

            return 1;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            // A database that goes bad after it was opened (a damaged page read later, a full disk).
            await console.Error.WriteLineAsync($"error: {Storage.Sqlite.SqliteCorpusStore.DescribeFailure(null, ex)}").ConfigureAwait(false);
            return 1;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            // The shared database went away or refused a statement after it was opened.
            await console.Error.WriteLineAsync($"error: the PostgreSQL store (Storage:ConnectionString) failed: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (InvalidOperationException ex) when (SettingErrors.Describe(ex) is { } setting)
        {
            await console.Error.WriteLineAsync($"error: {setting.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<IHost> PreparedHostAsync(
        ParseResult parse, CliConsole console, CancellationToken cancellationToken, bool embed = true, Action<IServiceCollection>? configure = null)
    {
        var host = BuildHost(parse, console, configure);
        try
        {
            var report = await CorpusPreparation.IngestAsync(host.Services, console, cancellationToken).ConfigureAwait(false);
            CorpusPreparation.ReportProblems(report, console);
            CorpusPreparation.ThrowIfNothingIngested(report);
            if (embed)
            {
                var upTo = host.Services.GetRequiredService<IOptions<EmbeddingOptions>>().Value.WaitForBacklogUpTo;
                var remaining = await CorpusPreparation.EmbedAsync(host.Services, console, upTo, cancellationToken).ConfigureAwait(false);
                if (remaining > 0)
                {
                    await console.Error.WriteLineAsync(
                        $"note: {remaining} passages have no embeddings yet; answering from keyword search and the embeddings there are. Run 'briefingbot ingest' to compute them.")
                        .ConfigureAwait(false);
                }
            }

            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static async Task<int> AskAsync(ParseResult parse, string question, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = await PreparedHostAsync(parse, console, cancellationToken).ConfigureAwait(false);
        var router = host.Services.GetRequiredService<ChatRouter>();
        var reply = await router.HandleAsync(new AskRequest(question), cancellationToken).ConfigureAwait(false);
        if (reply is ErrorReply error)
        {
            await console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            return 1;
        }

        if (parse.GetValue<string>(FormatOption) == "json" && reply is AnswerReply answer)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(AnswerJson.From(answer.Answer), CliJsonContext.Output.AnswerJson)).ConfigureAwait(false);
        }
        else
        {
            await console.Out.WriteLineAsync(TerminalFormatter.Format(reply)).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> SimpleAsync(ParseResult parse, ChatRequest request, CliConsole console, CancellationToken cancellationToken, bool embed = false)
    {
        using var host = await PreparedHostAsync(parse, console, cancellationToken, embed).ConfigureAwait(false);
        var reply = await host.Services.GetRequiredService<ChatRouter>().HandleAsync(request, cancellationToken).ConfigureAwait(false);
        if (parse.GetValue<string>(FormatOption) == "json" && reply is BriefingReply briefing)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(BriefingJson.Of(briefing.Briefing), CliJsonContext.Output.BriefingJson))
                .ConfigureAwait(false);
            return 0;
        }

        if (parse.GetValue<string>(FormatOption) == "json" && reply is QuoteReply quotes)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(QuoteLookupJson.From(quotes.Lookup), CliJsonContext.Output.QuoteLookupJson))
                .ConfigureAwait(false);
            return 0;
        }

        var text = TerminalFormatter.Format(reply);
        if (reply is ErrorReply)
        {
            // Like every other failure of a command: one line on standard error, exit code 1.
            await console.Error.WriteLineAsync($"error: {text}").ConfigureAwait(false);
            return 1;
        }

        await console.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>quote --all</c>: every stored quote with its offsets, for scoring extraction from outside.</summary>
    private static async Task<int> AllQuotesAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = await PreparedHostAsync(parse, console, cancellationToken, embed: false).ConfigureAwait(false);
        var quotes = (await host.Services.GetRequiredService<ICorpusStore>().GetQuotesAsync(new Core.Quotes.QuoteFilter(), cancellationToken).ConfigureAwait(false))
            .Select(Core.Quotes.SpeakerRule.Shown).ToList();
        if (parse.GetValue<string>(FormatOption) == "json")
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(quotes.Select(StoredQuoteJson.From).ToList(), CliJsonContext.Output.ListStoredQuoteJson))
                .ConfigureAwait(false);
            return 0;
        }

        foreach (var q in quotes)
        {
            await console.Out.WriteLineAsync($"{q.ArticleId} {q.Span.Start}+{q.Span.Length} {q.Kind.ToString().ToLowerInvariant()} {q.Speaker.Name}: “{q.Text}”").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>A bare <c>quote</c>: who can be asked about, most quoted first, and how to ask.</summary>
    private static async Task<int> SpeakersAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = await PreparedHostAsync(parse, console, cancellationToken, embed: false).ConfigureAwait(false);
        var speakers = (await host.Services.GetRequiredService<ICorpusStore>().GetSpeakersAsync(cancellationToken).ConfigureAwait(false))
            .Where(Core.Quotes.SpeakerRule.Listed).ToList();
        var top = speakers.Where(s => s.Quotes > 0).OrderByDescending(s => s.Quotes).ThenBy(s => s.Name, StringComparer.Ordinal).Take(15).ToList();
        await console.Out.WriteLineAsync("Give --speaker NAME and/or --topic WORDS, for example: quote --speaker \"Kerim Has\" --topic corridor").ConfigureAwait(false);
        if (top.Count == 0)
        {
            await console.Out.WriteLineAsync("Nobody is quoted in the corpus yet.").ConfigureAwait(false);
            return 0;
        }

        await console.Out.WriteLineAsync($"Most quoted ({Counts.Of(top.Count, "speaker")} of {speakers.Count(s => s.Quotes > 0):N0}):").ConfigureAwait(false);
        foreach (var s in top)
        {
            await console.Out.WriteLineAsync($"  {s.Name}{(s.Description is { } d ? $", {d}" : string.Empty)} — {Counts.Of(s.Quotes, "quote")}").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> IngestAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = BuildHost(parse, console);
        var report = await CorpusPreparation.IngestAsync(host.Services, console, cancellationToken).ConfigureAwait(false);
        CorpusPreparation.ReportProblems(report, console, known: true);
        await console.Out.WriteLineAsync(
            $"{Counts.Of(report.FilesAdded, "file")} added, {report.FilesUpdated} updated, {report.FilesUnchanged} unchanged, {report.FilesRemoved} removed, " +
            $"{report.FilesFailed} failed; {Counts.Of(report.ArticlesStored, "article")} stored.").ConfigureAwait(false);
        if (report.RemovalsWithheld > 0)
        {
            await console.Error.WriteLineAsync(
                $"warning: {Counts.Of(report.RemovalsWithheld, "file")} stored before are missing from the corpus folder, most of what it held; " +
                "their articles were kept. To remove them on purpose, run again with Corpus__AllowMassRemoval=true.").ConfigureAwait(false);
        }

        if (report.NothingIngested)
        {
            await console.Error.WriteLineAsync("error: nothing in the corpus could be ingested.").ConfigureAwait(false);
            return 1;
        }

        await CorpusPreparation.EmbedAsync(host.Services, console, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var stats = await host.Services.GetRequiredService<ICorpusStore>().GetStatsAsync(cancellationToken).ConfigureAwait(false);
        await console.Out.WriteLineAsync(
            $"The corpus holds {Counts.Of(stats.Articles, "article")} in {Counts.Of(stats.Passages, "passage")} ({stats.PassagesEmbedded:N0} with embeddings).")
            .ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ChatAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = await PreparedHostAsync(parse, console, cancellationToken, embed: false, services =>
        {
            var shell = new ShellBriefingPoster(console.Out);
            services.AddSingleton<Core.Briefing.IBriefingPoster>(shell);
            services.AddSingleton<Core.Follows.IChannelPoster>(shell);
            // Scheduled briefings (to Briefing:Channels) and the embeddings still missing run as hosted services.
            services.AddBackgroundJobs();
        }).ConfigureAwait(false);
        var configuration = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        var platforms = Discord.DiscordServiceCollectionExtensions.DiscordConfigured(configuration) || Slack.SlackServiceCollectionExtensions.SlackConfigured(configuration);
        host.Services.GetRequiredService<Core.Briefing.BriefingScheduler>().EnsureChannelsCanBePosted();
        var stats = await host.Services.GetRequiredService<ICorpusStore>().GetStatsAsync(cancellationToken).ConfigureAwait(false);

        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        try
        {
            if (platforms)
            {
                await console.Error.WriteLineAsync($"BriefingBot is running with {Counts.Of(stats.Articles, "article")}; press Ctrl+C to stop.").ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, running.Token).ConfigureAwait(false);
            }
            else
            {
                var chat = new ShellChat(host.Services.GetRequiredService<ChatPipeline>(), console.In, console.Out, console.Interactive);
                var chatting = chat.RunAsync($"BriefingBot — {Counts.Of(stats.Articles, "article")}. Ask a question, or type /help.", running.Token);

                // A prompt waiting for a line does not notice a stop: the chat ends when its input does or the bot stops.
                if (await Task.WhenAny(chatting, Task.Delay(Timeout.Infinite, running.Token)).ConfigureAwait(false) == chatting)
                {
                    await chatting.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C, or a platform or background job stopped the bot
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.StopAsync(grace.Token).ConfigureAwait(false);
        var failed = host.Services.GetService<PlatformFailures>()?.All ?? [];
        foreach (var (what, error) in failed)
        {
            await console.Error.WriteLineAsync($"error: {what}: {error.Message}").ConfigureAwait(false);
        }

        return failed.Count > 0 ? 1 : 0;
    }
}

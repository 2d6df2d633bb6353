using System.CommandLine;
using System.Globalization;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Feeds;
using BriefingBot.Feeds;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Cli;

/// <summary><c>feeds list | add URL | remove URL | poll</c>: the news feeds the corpus grows from.</summary>
internal static class FeedsCommand
{
    public static Command Create(CliConsole console)
    {
        var feeds = new Command("feeds", "The news feeds the corpus grows from: list, add, remove, poll");

        var list = new Command("list", "The feeds, with their articles, last success and last error");
        list.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () => ListAsync(parse, console, ct)));
        feeds.Subcommands.Add(list);

        var url = new Argument<string>("url") { Description = "The feed's address (RSS 2.0 or Atom)" };
        var outlet = new Option<string?>("--outlet") { Description = "The outlet its articles are credited to (default: the feed's title)" };
        var interval = new Option<string?>("--interval") { Description = "How often it is polled, e.g. 00:15:00 or 15m (default 15 minutes)" };
        var noFetch = new Option<bool>("--no-fetch") { Description = "Store the feed's own text; do not read the linked pages" };
        var add = new Command("add", "Add a feed; it is polled whenever the bot runs and by 'feeds poll'") { url, outlet, interval, noFetch };
        add.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            var feed = FeedPoller.Validate(parse.GetValue(url)!, parse.GetValue(outlet), Interval(parse.GetValue(interval)), !parse.GetValue(noFetch));
            using var host = BriefingBotCli.BuildHost(parse, console);
            await host.Services.GetRequiredService<IFeedStore>().AddFeedAsync(feed, TimeProvider.System.GetUtcNow(), ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"Added {feed.Url}, polled every {feed.Interval}.").ConfigureAwait(false);
            return 0;
        }));
        feeds.Subcommands.Add(add);

        var removed = new Argument<string>("url") { Description = "The feed's address, as 'feeds list' shows it" };
        var remove = new Command("remove", "Stop polling a feed (the articles it brought stay)") { removed };
        remove.SetAction((parse, ct) => BriefingBotCli.Guarded(console, async () =>
        {
            using var host = BriefingBotCli.BuildHost(parse, console);
            var target = parse.GetValue(removed)!.Trim();
            var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeedOptions>>().Value;
            if (options.Sources.Any(s => Same(s.Url, target)))
            {
                throw new Core.BriefingBotException($"{target} is in the settings (Feeds:Sources); remove it there.");
            }

            var store = host.Services.GetRequiredService<IFeedStore>();
            var known = (await store.GetFeedsAsync(ct).ConfigureAwait(false)).FirstOrDefault(f => Same(f.Feed.Url, target));
            if (known is null || !await store.RemoveFeedAsync(known.Feed.Url, ct).ConfigureAwait(false))
            {
                throw new Core.BriefingBotException($"There is no feed {target}; 'feeds list' shows them.");
            }

            await console.Out.WriteLineAsync($"Removed {known.Feed.Url}; its {known.Articles} articles stay in the corpus.").ConfigureAwait(false);
            return 0;
        }));
        feeds.Subcommands.Add(remove);

        var poll = new Command("poll", "Poll every feed once, now");
        poll.SetAction((parse, ct) => BriefingBotCli.Guarded(console, () => PollAsync(parse, console, ct)));
        feeds.Subcommands.Add(poll);
        return feeds;
    }

    private static async Task<int> ListAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = BriefingBotCli.BuildHost(parse, console);
        await host.Services.GetRequiredService<FeedPoller>().AddConfiguredAsync(cancellationToken).ConfigureAwait(false);
        var feeds = await host.Services.GetRequiredService<IFeedStore>().GetFeedsAsync(cancellationToken).ConfigureAwait(false);
        if (feeds.Count == 0)
        {
            await console.Out.WriteLineAsync("No feeds. Add one with 'feeds add URL' or in Feeds:Sources.").ConfigureAwait(false);
        }

        foreach (var feed in feeds)
        {
            await console.Out.WriteLineAsync(ReplyLayout.FeedLine(feed)).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> PollAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        using var host = BriefingBotCli.BuildHost(parse, console);
        var poller = host.Services.GetRequiredService<FeedPoller>();
        await poller.AddConfiguredAsync(cancellationToken).ConfigureAwait(false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reports = await poller.PollAsync(all: true, cancellationToken).ConfigureAwait(false);
        if (reports.Count == 0)
        {
            await console.Out.WriteLineAsync("No feeds. Add one with 'feeds add URL' or in Feeds:Sources.").ConfigureAwait(false);
            return 0;
        }

        foreach (var report in reports)
        {
            var line = report switch
            {
                { Error: { } error } => $"{report.Url}: failed: {error}",
                { NotModified: true } => $"{report.Url}: not modified",
                _ => $"{report.Url}: {report.New} new, {report.Updated} updated, {report.Syndicated} copies of stored articles, {report.Unchanged} unchanged, {report.Failed} failed",
            };
            await console.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        var stored = reports.Sum(r => r.Stored);
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{stored} articles stored in {watch.Elapsed.TotalSeconds:F1} s ({stored / Math.Max(watch.Elapsed.TotalSeconds, 0.001):F1} articles/s); embeddings are computed when the bot runs or by 'ingest'."))
            .ConfigureAwait(false);
        return reports.All(r => r.Error is not null) ? 1 : 0;
    }

    /// <summary>00:15:00, 15m, 2h or 90s.</summary>
    internal static TimeSpan? Interval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        var unit = text[^1];
        return double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && unit is 's' or 'm' or 'h'
            ? unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) }
            : throw new Core.BriefingBotException($"--interval \"{text}\" is not a duration such as 00:15:00, 15m or 2h.");
    }

    private static bool Same(string a, string b) =>
        Uri.TryCreate(a.Trim(), UriKind.Absolute, out var x) && Uri.TryCreate(b.Trim(), UriKind.Absolute, out var y) ? x == y : a.Trim() == b.Trim();
}

using System.Threading.Channels;
using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Follows;
using BriefingBot.Core.Ingestion;
using BriefingBot.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Hosting;

/// <summary>
/// Posts the scheduled briefings while the bot runs. A store that is away for a while is waited out (the scheduler
/// starts again when it is back; its claims keep each briefing posted once); a scheduler that cannot go on stops the
/// bot with a line that says why: a bot that silently stopped posting its daily briefing would only look fine.
/// </summary>
internal sealed class BriefingHostedService(
    BriefingScheduler scheduler, IHostApplicationLifetime lifetime, PlatformFailures failures, TimeProvider time, ILogger<BriefingHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StoreOutages.RunAsync("briefing scheduler", scheduler.RunAsync, time, logger, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            failures.Report("scheduled briefings", ex, logger);
            lifetime.StopApplication();
        }
    }
}

/// <summary>
/// Computes the embeddings the corpus still lacks, behind the chat: questions are answered from keyword search and
/// the embeddings there are until it is done; then again whenever new articles arrive (or another process added
/// some). A store that is away for a while is waited out; any other failure stops the bot with a line that says why.
/// </summary>
internal sealed class EmbeddingBackfillHostedService(
    IHostApplicationLifetime lifetime, PlatformFailures failures, ILogger<EmbeddingBackfillHostedService> logger, CorpusChanges changes, TimeProvider time,
    EmbeddingBackfill? backfill = null) : BackgroundService
{
    private readonly ChannelReader<IReadOnlyList<ArticleId>> _stored = changes.Listen();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (backfill is null)
        {
            return; // embeddings are off (Embeddings:Enabled=false)
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await StoreOutages.RunAsync("embedding backfill", token => backfill.RunAsync(null, token), time, logger, stoppingToken).ConfigureAwait(false);
                await Changes.WaitAsync(_stored, TimeSpan.FromMinutes(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the rest is computed next time. (The encoder reports a cancelled run as its own error.)
        }
        catch (Exception ex)
        {
            failures.Report("embedding backfill", ex, logger);
            lifetime.StopApplication();
        }
    }
}

/// <summary>
/// Keeps the store in step with the corpus folder while the bot runs: a file added, changed or removed is ingested
/// within a second or two of the file system reporting it, and the whole folder is read again every
/// <c>Corpus:RescanInterval</c> for what it did not report (a network share, a burst that overflowed its buffer).
/// A pass that loses the store is run again with growing waits until the store is back; any other failure is logged and
/// the next pass tried. The bot goes on answering from what is stored.
/// </summary>
internal sealed partial class CorpusWatcherService(
    CorpusIngestor ingestor, IOptions<IngestionOptions> options, TimeProvider time, ILogger<CorpusWatcherService> logger) : BackgroundService
{
    /// <summary>A quiet moment after the last change before reading: a file being copied is read once it is whole.</summary>
    internal static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    private readonly Channel<IReadOnlyList<ArticleId>> _changed =
        Channel.CreateBounded<IReadOnlyList<ArticleId>>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private FileSystemWatcher? _watcher;

    /// <summary>Watches from the moment the bot starts (the loop that reads runs later, on a thread of its own).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Watch && Directory.Exists(settings.Path))
        {
            _watcher = new FileSystemWatcher(settings.Path)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Created += Changed;
            _watcher.Changed += Changed;
            _watcher.Deleted += Changed;
            _watcher.Renamed += Changed;
            _watcher.Error += (sender, e) =>
            {
                LogWatchError(e.GetException().Message);
                _changed.Writer.TryWrite([]);
            };
            _watcher.EnableRaisingEvents = true;
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        base.Dispose();
    }

    private void Changed(object sender, FileSystemEventArgs e) => _changed.Writer.TryWrite([]);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (_watcher is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Changes.WaitAsync(_changed.Reader, settings.RescanInterval, time, stoppingToken).ConfigureAwait(false);
                await Task.Delay(Settle, time, stoppingToken).ConfigureAwait(false);
                _changed.Reader.TryRead(out _); // a change reported while settling is read by this pass

                // A store that is away (locked by another process's write, a database restarting) is waited out and
                // the pass run again as soon as it is back, not at the next rescan.
                await StoreOutages.RunAsync("corpus watcher", async token =>
                {
                    var report = await ingestor.IngestAsync(settings.Path, cancellationToken: token).ConfigureAwait(false);
                    if (report.FilesAdded + report.FilesUpdated + report.FilesRemoved > 0)
                    {
                        LogIngested(report.FilesAdded, report.FilesUpdated, report.FilesRemoved, report.ArticlesStored);
                    }
                }, time, logger, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPassFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Corpus folder: {Added} files added, {Updated} changed, {Removed} removed; {Articles} articles stored")]
    private partial void LogIngested(int added, int updated, int removed, int articles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the corpus folder failed; trying again at the next change or rescan")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the corpus folder: {Reason}; it is read whole")]
    private partial void LogWatchError(string reason);
}

/// <summary>
/// Polls the news feeds while the bot runs: those of <c>Feeds:Sources</c> and those added with <c>feeds add</c>,
/// each at its interval. One feed's failure is logged by the poller and holds no other up.
/// </summary>
internal sealed partial class FeedPollingService(FeedPoller poller, TimeProvider time, ILogger<FeedPollingService> logger) : BackgroundService
{
    /// <summary>The longest sleep between looks at the feeds: a feed added by another process is polled within it.</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await poller.AddConfiguredAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A store that is away is waited out with growing waits (logged once), then the poll runs again.
                DateTimeOffset? next = null;
                await StoreOutages.RunAsync("feed poller", async token =>
                {
                    await poller.PollAsync(all: false, token).ConfigureAwait(false);
                    next = await poller.NextDueAsync(token).ConfigureAwait(false);
                }, time, logger, stoppingToken).ConfigureAwait(false);
                var wait = next is { } due ? due - time.GetUtcNow() : LookAgain;
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > LookAgain ? LookAgain : wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
                await Task.Delay(LookAgain, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling the feeds failed; trying again in a minute")]
    private partial void LogFailed(Exception exception);
}

/// <summary>Posts new articles to the channels that follow their topic, as they arrive (and what waited for the hour's budget).</summary>
internal sealed partial class FollowService(FollowNotifier notifier, CorpusChanges changes, TimeProvider time, ILogger<FollowService> logger) : BackgroundService
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private readonly ChannelReader<IReadOnlyList<ArticleId>> _stored = changes.Listen();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // What was stored is read from the store, so articles stored by another process are seen too;
                // news from this one wakes the loop at once.
                await StoreOutages.RunAsync("follow poster", async token =>
                {
                    await notifier.CatchUpAsync(token).ConfigureAwait(false);
                    await notifier.PostQueuedAsync(token).ConfigureAwait(false);
                }, time, logger, stoppingToken).ConfigureAwait(false);
                await Changes.WaitAsync(_stored, Recheck, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
                await Task.Delay(Recheck, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Posting followed topics failed; trying again in 30 s")]
    private partial void LogFailed(Exception exception);
}

internal static class Changes
{
    /// <summary>
    /// Waits until <paramref name="reader"/> has something or <paramref name="atMost"/> has passed, and takes all
    /// there is (nothing when the time ran out).
    /// </summary>
    public static async Task<List<T>> WaitAsync<T>(ChannelReader<T> reader, TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(atMost); // on the system clock; a test's clock cannot move it, so it only bounds the wait
            var delay = Task.Delay(atMost, time, timeout.Token);
            try
            {
                await Task.WhenAny(delay, reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(false);
            }
            finally
            {
                await timeout.CancelAsync().ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var taken = new List<T>();
        while (reader.TryRead(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }
}

public static class BackgroundJobsServiceCollectionExtensions
{
    /// <summary>
    /// The work a running bot does besides answering: scheduled briefings, the embeddings still missing, the watched
    /// corpus folder, the news feeds and the followed topics.
    /// </summary>
    public static IServiceCollection AddBackgroundJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<PlatformFailures>();
        services.AddHostedService<BriefingHostedService>();
        services.AddHostedService<EmbeddingBackfillHostedService>();
        services.AddHostedService<CorpusWatcherService>();
        services.AddHostedService<FeedPollingService>();
        services.AddHostedService<FollowService>();
        return services;
    }
}

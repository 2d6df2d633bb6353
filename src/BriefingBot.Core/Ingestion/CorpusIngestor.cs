using System.Security.Cryptography;
using BriefingBot.Core.Articles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Ingestion;

/// <summary>Progress of an ingestion run, reported per file.</summary>
public readonly record struct IngestProgress(int FilesDone, int FilesTotal, int ArticlesStored, string? CurrentFile);

/// <summary>What an ingestion run did.</summary>
public sealed record IngestReport(
    int FilesAdded,
    int FilesUpdated,
    int FilesUnchanged,
    int FilesRemoved,
    int FilesFailed,
    int ArticlesStored,
    IReadOnlyList<IngestProblem> Problems)
{
    /// <summary>Files that failed before and have not changed since: not read again, their problems as recorded then.</summary>
    public IReadOnlyList<IngestProblem> KnownProblems { get; init; } = [];

    /// <summary>Files gone from the folder whose articles were kept: most of the stored files were gone at once (see <see cref="IngestionOptions.AllowMassRemoval"/>).</summary>
    public int RemovalsWithheld { get; init; }

    /// <summary>How long giving the new articles their stories took, of the run (see <see cref="Briefing.StoryAssigner"/>).</summary>
    public TimeSpan Stories { get; init; }

    /// <summary>True when there was something to ingest and none of it could be: the run failed.</summary>
    public bool NothingIngested => FilesFailed > 0 && FilesAdded + FilesUpdated + FilesUnchanged == 0;
}

/// <summary>
/// Brings the store in line with the corpus folder: new and changed files are parsed and replace what they had
/// stored, unchanged files (same SHA-256) are skipped, deleted files are removed. A file that fails keeps
/// whatever it had stored before; every problem is reported with its file and line.
/// </summary>
public sealed partial class CorpusIngestor
{
    private readonly ICorpusStore _store;
    private readonly IRejectedSources _rejected;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CorpusIngestor> _logger;
    private readonly Dictionary<string, IArticleFormat> _formats;
    private readonly CorpusChanges? _changes;
    private readonly Diagnostics.BotMetrics? _metrics;
    private readonly Diagnostics.IngestionHealth? _health;
    private readonly Coordination.ILeaseStore? _leases;
    private readonly Briefing.StoryAssigner? _stories;
    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>
    /// How long the store's lease on folder ingestion lasts unless renewed (every third of it while a run goes on;
    /// given up when the run ends): how long a process that died mid-run holds up the next one.
    /// </summary>
    private static readonly TimeSpan IngestLease = TimeSpan.FromSeconds(60);

    public CorpusIngestor(
        ICorpusStore store,
        IRejectedSources rejected,
        IEnumerable<IArticleFormat> formats,
        IOptions<IngestionOptions> options,
        TimeProvider time,
        ILogger<CorpusIngestor> logger,
        CorpusChanges? changes = null,
        Diagnostics.BotMetrics? metrics = null,
        Diagnostics.IngestionHealth? health = null,
        Coordination.ILeaseStore? leases = null,
        Briefing.StoryAssigner? stories = null)
    {
        _stories = stories;
        // Quote extraction's patterns are built in the background meanwhile, not on the first articles read.
        _ = Quotes.QuoteExtractor.PrepareAsync();
        _leases = leases;
        _changes = changes;
        _metrics = metrics;
        _health = health;
        _store = store;
        _rejected = rejected;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _formats = new Dictionary<string, IArticleFormat>(StringComparer.OrdinalIgnoreCase);
        foreach (var format in formats)
        {
            foreach (var extension in format.Extensions)
            {
                _formats[extension] = format;
            }
        }
    }

    /// <summary>The formats the corpus folder may hold: .txt, .md, .html and .jsonl.</summary>
    public static IReadOnlyList<IArticleFormat> StandardFormats { get; } = [new PlainTextFormat(), new MarkdownFormat(), new HtmlFormat(), new JsonLinesFormat()];

    public async Task<IngestReport> IngestAsync(string corpusPath, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // Instances on one store ingest their corpus folders one at a time: the second waits, then finds the files
        // the first stored unchanged instead of storing them again beside it.
        await TakeIngestLeaseAsync(cancellationToken).ConfigureAwait(false);
        using var stopRenewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewIngestLeaseAsync(stopRenewing.Token);
        try
        {
            var report = await IngestFolderAsync(corpusPath, progress, cancellationToken).ConfigureAwait(false);
            var stories = System.Diagnostics.Stopwatch.StartNew();
            await AssignStoriesAsync(cancellationToken).ConfigureAwait(false);
            report = report with { Stories = stories.Elapsed };
            _metrics?.Ingested("folder", report.ArticlesStored);
            _metrics?.IngestionErrors("folder", report.Problems.Count(p => !p.Stored));
            if (report.NothingIngested)
            {
                _health?.Failed("nothing in the corpus folder could be ingested");
            }
            else
            {
                _health?.Succeeded();
            }

            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _metrics?.IngestionErrors("folder", 1);
            _health?.Failed(ex.Message);
            throw;
        }
        finally
        {
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            if (_leases is not null)
            {
                await _leases.ReleaseAsync(IngestLeaseName, _instance, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Gives the articles just stored their stories. A failure leaves them without (briefings then group their days
    /// afresh, and the next ingestion tries again) and never fails the ingestion.
    /// </summary>
    private async Task AssignStoriesAsync(CancellationToken cancellationToken)
    {
        if (_stories is null)
        {
            return;
        }

        try
        {
            await _stories.AssignPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoriesFailed(ex.Message);
        }
    }

    private async Task RenewIngestLeaseAsync(CancellationToken cancellationToken)
    {
        if (_leases is null)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(IngestLease / 3, _time, cancellationToken).ConfigureAwait(false);
                await _leases.TryAcquireAsync(IngestLeaseName, _instance, _time.GetUtcNow(), IngestLease, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
        catch (Exception ex)
        {
            LogLeaseRenewalFailed(ex.Message);
        }
    }

    private const string IngestLeaseName = "corpus/folder";

    // Gone at once, at least this many files (and more than half of those stored) are kept unless removal is allowed.
    private const int MassRemoval = 10;

    private async Task TakeIngestLeaseAsync(CancellationToken cancellationToken)
    {
        if (_leases is null)
        {
            return;
        }

        for (var waited = false; !await _leases.TryAcquireAsync(IngestLeaseName, _instance, _time.GetUtcNow(), IngestLease, cancellationToken).ConfigureAwait(false); waited = true)
        {
            if (!waited)
            {
                LogWaitingForOtherInstance();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IngestReport> IngestFolderAsync(string corpusPath, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(corpusPath))
        {
            // Never read a missing folder as "every file was deleted".
            throw new BriefingBotException($"The corpus folder '{corpusPath}' does not exist (setting Corpus:Path).");
        }

        var (files, listingProblems) = CorpusFiles.List(corpusPath);
        var known = await _store.GetSourcesAsync(cancellationToken).ConfigureAwait(false);
        var rejected = await _rejected.GetRejectedAsync(cancellationToken).ConfigureAwait(false);
        var problems = new List<IngestProblem>(listingProblems);
        var knownProblems = new List<IngestProblem>();
        int added = 0, updated = 0, unchanged = 0, failed = 0, stored = 0, done = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Unchanged since it failed: neither read nor reported again (a 50 MB file is not read on every question).
        bool FailedBefore(CorpusFile file) =>
            rejected.GetValueOrDefault(file.RelativePath) is { } before && before.Length == file.Length && before.Modified == file.Modified;

        // The next file is read and its articles built while this one's are written: building runs on every core,
        // writing on one.
        (CorpusFile File, Task<PreparedFile> Task)? ahead = null;
        Task<PreparedFile> Prepare(CorpusFile file, IArticleFormat format) =>
            Task.Run(() => PrepareFileAsync(file, format, known.GetValueOrDefault(file.RelativePath), cancellationToken), cancellationToken);

        for (var index = 0; index < files.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[index];
            var relative = file.RelativePath;
            progress?.Report(new IngestProgress(done, files.Count, stored, relative));
            done++;
            if (!_formats.TryGetValue(Path.GetExtension(relative), out var format))
            {
                LogSkippedType(relative);
                continue;
            }

            seen.Add(relative);
            if (FailedBefore(file))
            {
                knownProblems.AddRange(rejected[relative].Problems);
                failed++;
                continue;
            }

            var preparing = ahead is { } started && ReferenceEquals(started.File, file) ? started.Task : Prepare(file, format);
            ahead = files.Skip(index + 1).FirstOrDefault(f => _formats.ContainsKey(Path.GetExtension(f.RelativePath)) && !FailedBefore(f)) is { } next
                ? (next, Prepare(next, _formats[Path.GetExtension(next.RelativePath)]))
                : null;
            var outcome = await StoreAsync(await preparing.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            problems.AddRange(outcome.Problems);
            stored += outcome.Stored;
            switch (outcome.Kind)
            {
                case FileOutcome.Unchanged:
                    unchanged++;
                    break;
                case FileOutcome.Added:
                    added++;
                    break;
                case FileOutcome.Updated:
                    updated++;
                    break;
                default:
                    failed++;
                    break;
            }

            if (outcome.Kind == FileOutcome.Failed)
            {
                await _rejected.RememberRejectedAsync(new RejectedSource(relative, file.Length, file.Modified, outcome.Problems), cancellationToken)
                    .ConfigureAwait(false);
            }
            else if (rejected.ContainsKey(relative))
            {
                await _rejected.ForgetRejectedAsync(relative, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var path in rejected.Keys.Where(path => !seen.Contains(path)))
        {
            await _rejected.ForgetRejectedAsync(path, cancellationToken).ConfigureAwait(false);
        }

        // Articles from feeds are named by their address, not a file: the folder does not own them.
        var owned = known.Keys.Where(path => !Feeds.FeedSources.IsFeedSource(path)).ToList();
        var gone = owned.Where(path => !seen.Contains(path)).ToList();
        var removed = 0;
        var withheld = 0;
        if (gone.Count >= MassRemoval && gone.Count * 2 > owned.Count && !_options.AllowMassRemoval)
        {
            withheld = gone.Count;
            LogRemovalsWithheld(gone.Count, owned.Count, corpusPath);
        }
        else
        {
            foreach (var path in gone)
            {
                await _store.RemoveSourceAsync(path, cancellationToken).ConfigureAwait(false);
                LogRemoved(path);
                removed++;
            }
        }

        progress?.Report(new IngestProgress(files.Count, files.Count, stored, null));
        foreach (var problem in problems)
        {
            LogProblem(problem.ToString());
        }

        return new IngestReport(added, updated, unchanged, removed, failed, stored, problems) { KnownProblems = knownProblems, RemovalsWithheld = withheld };
    }

    private enum FileOutcome
    {
        Unchanged,
        Added,
        Updated,
        Failed,
    }

    /// <summary>A file read and its articles built, ready to be stored; or what became of it when there is nothing to store.</summary>
    private sealed record PreparedFile(
        string Relative, SourceRecord? Previous, FileOutcome Kind, List<IngestProblem> Problems, SourceRecord? Record = null, List<IngestedArticle>? Articles = null);

    private async Task<(FileOutcome Kind, int Stored, List<IngestProblem> Problems)> StoreAsync(PreparedFile prepared, CancellationToken cancellationToken)
    {
        if (prepared.Articles is null)
        {
            return (prepared.Kind, 0, prepared.Problems);
        }

        var write = await _store.ReplaceSourceAsync(prepared.Record!, prepared.Articles, cancellationToken).ConfigureAwait(false);
        prepared.Problems.AddRange(write.Problems);
        LogStored(prepared.Relative, write.ArticlesStored);
        _changes?.Stored(prepared.Articles.Select(a => a.Article.Id).ToList());
        return (prepared.Previous is null ? FileOutcome.Added : FileOutcome.Updated, write.ArticlesStored, prepared.Problems);
    }

    private async Task<PreparedFile> PrepareFileAsync(CorpusFile file, IArticleFormat format, SourceRecord? previous, CancellationToken cancellationToken)
    {
        var (full, relative) = (file.FullPath, file.RelativePath);
        var problems = new List<IngestProblem>();
        byte[] bytes;
        try
        {
            var length = new FileInfo(full).Length;
            if (length > _options.MaxFileBytes)
            {
                problems.Add(new IngestProblem(relative, null, $"file too large ({length:N0} bytes; Corpus:MaxFileBytes is {_options.MaxFileBytes:N0})"));
                return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
            }

            bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            problems.Add(new IngestProblem(relative, null, $"cannot read: {ex.Message}"));
            return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
        }
        catch (UnauthorizedAccessException ex)
        {
            problems.Add(new IngestProblem(relative, null, $"cannot read: {ex.Message}"));
            return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (previous is not null && previous.ContentHash == hash)
        {
            return new PreparedFile(relative, previous, FileOutcome.Unchanged, problems);
        }

        var (text, decodeProblem) = format is HtmlFormat ? SourceDecoder.DecodePage(bytes) : SourceDecoder.Decode(bytes);
        if (text is null)
        {
            problems.Add(new IngestProblem(relative, null, decodeProblem!));
            return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
        }

        var now = _time.GetUtcNow();
        var articles = new List<IngestedArticle>();
        var texts = new Dictionary<ArticleId, string>();
        var stem = Path.ChangeExtension(relative, null);
        // Cleaning, sentence splitting and quote extraction are independent per article: they run on every core,
        // in the file's order, while problems and duplicate ids are settled in that order afterwards.
        List<ReadResult> read;
        try
        {
            read = format.Read(relative, text).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A reader's own failure costs this file, never the corpus.
            LogBuildFailed(ex, relative);
            problems.Add(new IngestProblem(relative, null, $"could not be read as {Path.GetExtension(relative)} ({ex.GetType().Name}: {ex.Message})"));
            return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
        }

        var built = read
            .AsParallel()
            .AsOrdered()
            .WithCancellation(cancellationToken)
            .Select(result => (result.Problem, Raw: result.Article, Built: result.Article is { } raw ? BuildOne(raw, relative, stem, now) : default))
            .ToList();
        foreach (var (readProblem, raw, (one, reason)) in built)
        {
            var article = one;
            if (readProblem is not null)
            {
                problems.Add(readProblem);
                continue;
            }

            if (article is null)
            {
                problems.Add(new IngestProblem(relative, raw!.Line, reason!));
                continue;
            }

            if (texts.ContainsKey(article.Article.Id))
            {
                // The same text under this id, or under an id given earlier to another article that used it.
                var id = article.Article.Id;
                if (texts.Any(t => (t.Key == id || t.Key.Value.StartsWith(id.Value + "~", StringComparison.Ordinal)) && t.Value == article.Article.Text))
                {
                    problems.Add(new IngestProblem(relative, raw!.Line, $"a second copy of article '{article.Article.Id}' (same id, same text); the first is kept"));
                    continue;
                }

                // Another article under an id already used: a real article, not a copy. It is kept under an id of its own.
                var renamed = UnusedId(article.Article.Id, texts);
                problems.Add(new IngestProblem(relative, raw!.Line, $"article id '{article.Article.Id}' is used above for a different article; this one is kept as '{renamed}'") { Stored = true });
                article = article.WithId(renamed);
            }

            texts[article.Article.Id] = article.Article.Text;
            articles.Add(article);
        }

        if (articles.Count == 0)
        {
            if (problems.Count == 0)
            {
                problems.Add(new IngestProblem(relative, null, "no articles found"));
            }

            if (previous is not null)
            {
                LogKeptPrevious(relative);
            }

            return new PreparedFile(relative, previous, FileOutcome.Failed, problems);
        }

        return new PreparedFile(relative, previous, previous is null ? FileOutcome.Added : FileOutcome.Updated, problems,
            new SourceRecord(relative, hash, bytes.LongLength, now), articles);
    }

    private static ArticleId UnusedId(ArticleId id, Dictionary<ArticleId, string> used)
    {
        for (var n = 2; ; n++)
        {
            var candidate = new ArticleId($"{id.Value}~{n}");
            if (!used.ContainsKey(candidate))
            {
                return candidate;
            }
        }
    }

    private (IngestedArticle? Article, string? Problem) BuildOne(RawArticle raw, string relative, string stem, DateTimeOffset now)
    {
        var source = raw.Line is { } line ? $"{relative}:{line}" : relative;
        var defaultId = raw.Line is { } l ? $"{stem}:{l}" : stem;
        try
        {
            if (raw.Paragraphs.Sum(p => p.Length) > _options.MaxArticleChars)
            {
                return (null, $"article too long (over Corpus:MaxArticleChars = {_options.MaxArticleChars:N0} characters)");
            }

            return ArticleBuilder.Build(raw, source, defaultId, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One article that trips the cleaner, the splitter or the quote finder is skipped; the rest of the file is stored.
            LogBuildFailed(ex, source);
            return (null, $"could not be processed ({ex.GetType().Name}: {ex.Message}); the article is skipped");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing {Source} failed; it is skipped and the rest of the corpus is ingested")]
    private partial void LogBuildFailed(Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped {Path}: not an article format (.txt, .md, .html, .jsonl)")]
    private partial void LogSkippedType(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Gone} of the {Stored} files stored from the corpus folder are missing from {Folder}; their articles are kept. Is it the right folder (and the same one for every instance on this store)? To remove them on purpose, run once with Corpus:AllowMassRemoval=true")]
    private partial void LogRemovalsWithheld(int gone, int stored, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Path}: the file is gone from the corpus")]
    private partial void LogRemoved(string path);

    // Information, not Warning: the command line prints each problem itself; a hosted bot logs them here.
    [LoggerMessage(Level = LogLevel.Information, Message = "Not ingested: {Problem}")]
    private partial void LogProblem(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} could not be read this time; its previously stored articles are kept")]
    private partial void LogKeptPrevious(string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Count} articles from {Path}")]
    private partial void LogStored(string path, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another process on the store is ingesting its corpus folder (or died doing so less than a minute ago); waiting for it")]
    private partial void LogWaitingForOtherInstance();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's lease on corpus ingestion could not be renewed ({Reason}); the run goes on")]
    private partial void LogLeaseRenewalFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The new articles could not be given their stories ({Reason}); briefings group their days afresh and the next ingestion tries again")]
    private partial void LogStoriesFailed(string reason);
}

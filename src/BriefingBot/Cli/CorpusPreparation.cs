using BriefingBot.Core;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace BriefingBot.Cli;

/// <summary>Brings the store up to date with the corpus before a command answers, with progress bars at a terminal.</summary>
public static class CorpusPreparation
{
    public static async Task<IngestReport> IngestAsync(IServiceProvider services, CliConsole console, CancellationToken cancellationToken)
    {
        var ingestor = services.GetRequiredService<CorpusIngestor>();
        var path = services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path;
        if (!console.Interactive)
        {
            // No terminal to draw on (a log file, a pipe): a plain line now and then, so a long run is not silent.
            var lines = new PlainProgress(console.Error, "ingesting", "files");
            return await ingestor.IngestAsync(path, new Progress<IngestProgress>(p => lines.Report(p.FilesDone, p.FilesTotal)), cancellationToken)
                .ConfigureAwait(false);
        }

        IngestReport? report = null;
        await Bars(console).StartAsync(async context =>
        {
            var task = context.AddTask("Ingesting corpus", maxValue: 1);
            var progress = new Progress<IngestProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.FilesTotal);
                task.Value = p.FilesDone;
                task.Description = $"Ingesting corpus: {p.FilesDone:N0}/{p.FilesTotal:N0} files, {p.ArticlesStored:N0} articles";
            });
            report = await ingestor.IngestAsync(path, progress, cancellationToken).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return report!;
    }

    /// <summary>Computes missing embeddings when there are at most <paramref name="upTo"/>; returns how many remain.</summary>
    public static async Task<int> EmbedAsync(IServiceProvider services, CliConsole console, int upTo, CancellationToken cancellationToken)
    {
        var backfill = services.GetService<EmbeddingBackfill>();
        if (backfill is null)
        {
            return 0;
        }

        var pending = await backfill.PendingAsync(cancellationToken).ConfigureAwait(false);
        if (pending == 0 || pending > upTo)
        {
            return pending;
        }

        if (!console.Interactive)
        {
            var lines = new PlainProgress(console.Error, "computing embeddings", "passages");
            await backfill.RunAsync(new Progress<BackfillProgress>(p => lines.Report(p.Embedded, pending)), cancellationToken).ConfigureAwait(false);
            return 0;
        }

        await Bars(console).StartAsync(async context =>
        {
            var task = context.AddTask("Computing embeddings", maxValue: pending);
            var progress = new Progress<BackfillProgress>(p =>
            {
                task.Value = p.Embedded;
                task.Description = $"Computing embeddings: {p.Embedded:N0}/{pending:N0} passages";
            });
            await backfill.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return 0;
    }

    /// <param name="known">Also the files that failed before and have not changed (the <c>ingest</c> verb lists them; questions don't).</param>
    public static void ReportProblems(IngestReport report, CliConsole console, bool known = false)
    {
        foreach (var problem in report.Problems)
        {
            console.Error.WriteLine(problem.Stored ? $"note: {problem}" : $"warning: not ingested: {problem}");
        }

        if (known)
        {
            foreach (var problem in report.KnownProblems)
            {
                console.Error.WriteLine($"warning: still not ingested (unchanged since it failed): {problem}");
            }
        }
    }

    public static void ThrowIfNothingIngested(IngestReport report)
    {
        if (report.NothingIngested)
        {
            throw new IngestionFailedException("Nothing in the corpus could be ingested; see the problems above.", report.Problems);
        }
    }

    /// <summary>Progress bars on standard error: what is done of how much, the bar, the share and the time left.</summary>
    private static Progress Bars(CliConsole console) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) }).Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    /// <summary>Progress as a line of text at most every few seconds, with the time left at the rate so far.</summary>
    private sealed class PlainProgress(TextWriter output, string what, string unit)
    {
        private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;

        public void Report(int done, int total)
        {
            var elapsed = _watch.Elapsed;
            if (elapsed - _last < Every || done <= 0 || total <= 0)
            {
                return;
            }

            _last = elapsed;
            var left = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * Math.Max(0, total - done));
            lock (output)
            {
                output.WriteLine($"{what}: {done:N0}/{total:N0} {unit} ({100.0 * done / total:F0} %), about {Math.Ceiling(left.TotalSeconds):N0} s left");
            }
        }
    }
}

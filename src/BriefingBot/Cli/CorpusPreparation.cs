using BriefingBot.Core;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace BriefingBot.Cli;

/// <summary>Brings the store up to date with the corpus before a command answers, with progress bars at a terminal.</summary>
internal static class CorpusPreparation
{
    public static async Task<IngestReport> IngestAsync(IServiceProvider services, CliConsole console, CancellationToken cancellationToken)
    {
        var ingestor = services.GetRequiredService<CorpusIngestor>();
        var path = services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path;
        if (!console.Interactive)
        {
            return await ingestor.IngestAsync(path, null, cancellationToken).ConfigureAwait(false);
        }

        IngestReport? report = null;
        await ErrorConsole(console).Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("Ingesting corpus", maxValue: 1);
            var progress = new Progress<IngestProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.FilesTotal);
                task.Value = p.FilesDone;
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
            await backfill.RunAsync(null, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        await ErrorConsole(console).Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask("Computing embeddings", maxValue: pending);
            var progress = new Progress<BackfillProgress>(p => task.Value = p.Embedded);
            await backfill.RunAsync(progress, cancellationToken).ConfigureAwait(false);
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return 0;
    }

    public static void ReportProblems(IngestReport report, CliConsole console)
    {
        foreach (var problem in report.Problems)
        {
            console.Error.WriteLine($"warning: not ingested: {problem}");
        }
    }

    public static void ThrowIfNothingIngested(IngestReport report)
    {
        if (report.NothingIngested)
        {
            throw new IngestionFailedException("Nothing in the corpus could be ingested; see the problems above.", report.Problems);
        }
    }

    private static IAnsiConsole ErrorConsole(CliConsole console) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
}

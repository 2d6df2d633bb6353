using System.Diagnostics;
using BriefingBot.Core.Articles;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Core.Embeddings;

/// <summary>Progress of embedding the passages that have no vector yet.</summary>
public readonly record struct BackfillProgress(int Embedded, int Remaining);

/// <summary>
/// Fills in passage embeddings after ingestion, in batches, so that keyword search answers at once and dense
/// similarity joins in as vectors arrive.
/// </summary>
public sealed partial class EmbeddingBackfill(ICorpusStore store, ITextEmbedder embedder, ILogger<EmbeddingBackfill> logger)
{
    /// <summary>Passages fetched per round: enough for the encoder to group texts of similar length, little enough to stop promptly.</summary>
    public const int BatchSize = 256;

    public Task<int> PendingAsync(CancellationToken cancellationToken = default) =>
        store.CountPassagesWithoutEmbeddingAsync(embedder.Model, cancellationToken);

    /// <summary>Embeds every passage still without a vector; returns how many it embedded.</summary>
    public async Task<int> RunAsync(IProgress<BackfillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var total = 0;
        var remaining = await PendingAsync(cancellationToken).ConfigureAwait(false);
        if (remaining == 0)
        {
            return 0;
        }

        var watch = Stopwatch.StartNew();
        var after = 0L;
        while (true)
        {
            // In passage order from where the last round ended: each round reads only what is left, not the whole corpus.
            var batch = await store.GetPassagesWithoutEmbeddingAsync(embedder.Model, after, BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            after = batch.Max(p => p.PassageId);

            var vectors = await embedder.EmbedAsync(batch.Select(p => p.Text).ToList(), cancellationToken).ConfigureAwait(false);
            await store.StoreEmbeddingsAsync(embedder.Model, batch.Select((p, i) => (p.PassageId, vectors[i])).ToList(), cancellationToken)
                .ConfigureAwait(false);
            total += batch.Count;
            remaining = Math.Max(0, remaining - batch.Count);
            progress?.Report(new BackfillProgress(total, remaining));
        }

        LogDone(total, watch.Elapsed.TotalSeconds);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded {Count} passages in {Seconds:F1} s")]
    private partial void LogDone(int count, double seconds);
}

using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Hosting;

/// <summary>Settings of the <c>Embeddings</c> section.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Embeddings";

    /// <summary>Use the local MiniLM encoder for dense retrieval. Off means keyword search only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A one-shot command (<c>ask</c>) computes missing embeddings first when there are at most this many;
    /// with more, it answers from what is there and leaves the rest to <c>ingest</c> or the running bot.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Embeddings:WaitForBacklogUpTo must be zero or more passages.")]
    public int WaitForBacklogUpTo { get; set; } = 2000;
}

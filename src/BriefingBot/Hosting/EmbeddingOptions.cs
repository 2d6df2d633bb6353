using System.ComponentModel.DataAnnotations;
using BriefingBot.Embeddings.MiniLM;

namespace BriefingBot.Hosting;

/// <summary>Settings of the <c>Embeddings</c> section.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Embeddings";

    /// <summary>Use the local MiniLM encoder for dense retrieval. Off means keyword search only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>Int8</c> (default): the encoder's weight matrices quantised to int8 when it loads — about twice the
    /// passages a second, vectors within 1 % of the float model's. <c>Float32</c>: the packaged model as it is.
    /// Changing it re-embeds the corpus in the background.
    /// </summary>
    [EnumDataType(typeof(EncoderPrecision), ErrorMessage = "Embeddings:Precision must be Int8 or Float32.")]
    public EncoderPrecision Precision { get; set; } = EncoderPrecision.Int8;

    /// <summary>
    /// A one-shot command (<c>ask</c>) computes missing embeddings first when there are at most this many;
    /// with more, it answers from what is there and leaves the rest to <c>ingest</c> or the running bot.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Embeddings:WaitForBacklogUpTo must be zero or more passages.")]
    public int WaitForBacklogUpTo { get; set; } = 2000;
}

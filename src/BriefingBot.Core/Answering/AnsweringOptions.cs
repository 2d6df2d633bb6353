using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Core.Answering;

/// <summary>Settings of the <c>Answering</c> section.</summary>
public sealed class AnsweringOptions
{
    public const string Section = "Answering";

    /// <summary>At most this many sentences in an extractive answer.</summary>
    [Range(1, 10, ErrorMessage = "Answering:MaxSentences must be between 1 and 10.")]
    public int MaxSentences { get; set; } = 4;

    /// <summary>
    /// The reader's probability (0..1) below which the bot abstains when dense vectors are available; unset, the one
    /// fitted with the reader's weights (chosen on the tuning halves for few unanswerable questions answered).
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Answering:AbstainBelow must be between 0 and 1.")]
    public double? AbstainBelow { get; set; }

    /// <summary>The same threshold when only keyword search is available (before embeddings exist, or without an encoder).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answering:AbstainBelowKeywordOnly must be between 0 and 1.")]
    public double? AbstainBelowKeywordOnly { get; set; }

    /// <summary>A file of reader weights to use instead of the bundled ones (what <c>eval-answers --fit</c> writes).</summary>
    public string? ReaderWeights { get; set; }

    /// <summary>Further sentences are kept only when they score at least this share of the best one.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Answering:RelativeCutoff must be between 0 and 1.")]
    public double RelativeCutoff { get; set; } = 0.7;
}

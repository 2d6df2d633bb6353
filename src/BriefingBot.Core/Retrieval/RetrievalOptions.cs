using System.ComponentModel.DataAnnotations;

namespace BriefingBot.Core.Retrieval;

/// <summary>Settings of the <c>Retrieval</c> section.</summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary>How many passages each of keyword and dense search contributes before fusion.</summary>
    [Range(5, 1000, ErrorMessage = "Retrieval:Candidates must be between 5 and 1000.")]
    public int Candidates { get; set; } = 50;

    /// <summary>How many fused passages answering and briefing see.</summary>
    [Range(1, 100, ErrorMessage = "Retrieval:TopPassages must be between 1 and 100.")]
    public int TopPassages { get; set; } = 8;

    /// <summary>The k of reciprocal rank fusion, 1/(k + rank); 60 is the value of the original paper.</summary>
    [Range(1, 1000, ErrorMessage = "Retrieval:RrfK must be between 1 and 1000.")]
    public int RrfK { get; set; } = 60;

    /// <summary>How much newer reports are preferred among relevant ones (0 turns the recency prior off).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Retrieval:RecencyWeight must be between 0 and 1.")]
    public double RecencyWeight { get; set; } = 0.15;

    /// <summary>Age, relative to the newest candidate, at which the recency prior halves.</summary>
    public TimeSpan RecencyHalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>At most this many passages of one article among the top passages while other articles are left.</summary>
    [Range(1, 100, ErrorMessage = "Retrieval:MaxPassagesPerArticle must be between 1 and 100.")]
    public int MaxPassagesPerArticle { get; set; } = 3;
}

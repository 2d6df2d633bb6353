namespace BriefingBot.Core.Ingestion;

/// <summary>A corpus file that could not be ingested, as it was when it was tried, and why.</summary>
public sealed record RejectedSource(string Path, long Length, DateTimeOffset Modified, IReadOnlyList<IngestProblem> Problems);

/// <summary>
/// The memory of corpus files that could not be ingested, kept by size and modification time: such a file is not
/// read again, nor reported again, until it changes.
/// </summary>
public interface IRejectedSources
{
    Task<IReadOnlyDictionary<string, RejectedSource>> GetRejectedAsync(CancellationToken cancellationToken = default);

    Task RememberRejectedAsync(RejectedSource source, CancellationToken cancellationToken = default);

    Task ForgetRejectedAsync(string path, CancellationToken cancellationToken = default);
}

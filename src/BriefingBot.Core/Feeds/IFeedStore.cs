namespace BriefingBot.Core.Feeds;

/// <summary>A news feed the bot polls: its address and how it is read.</summary>
/// <param name="Outlet">The outlet its articles are credited to; the feed's own title when not given.</param>
/// <param name="FetchArticles">Whether an item without its full text in the feed is read from its linked page.</param>
public sealed record FeedSource(string Url, string? Outlet, TimeSpan Interval, bool FetchArticles);

/// <summary>A feed with how its polls went.</summary>
public sealed record FeedState(
    FeedSource Feed,
    string? ETag,
    string? LastModified,
    DateTimeOffset? LastSuccess,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int Failures,
    DateTimeOffset? NextPoll,
    int Articles);

/// <summary>What one poll of a feed leaves for the next: its validators, and when to poll again.</summary>
public sealed record FeedPollOutcome(string? ETag, string? LastModified, string? Error, DateTimeOffset NextPoll);

/// <summary>What a feed item became: the source its article is stored under, and the item as last seen.</summary>
public sealed record FeedItemRecord(string SourcePath, string ItemHash);

/// <summary>The feeds, their poll state, and what their items became.</summary>
public interface IFeedStore
{
    Task<IReadOnlyList<FeedState>> GetFeedsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a feed, or updates how it is read; its poll state is kept.</summary>
    Task AddFeedAsync(FeedSource feed, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stops polling a feed; the articles it brought stay. False when there was no such feed.</summary>
    Task<bool> RemoveFeedAsync(string url, CancellationToken cancellationToken = default);

    /// <summary>Records a poll: on success (no error) the failures are reset and the last success set.</summary>
    Task RecordPollAsync(string url, FeedPollOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<FeedItemRecord?> GetItemAsync(string itemUrl, CancellationToken cancellationToken = default);

    Task RememberItemAsync(string itemUrl, string feedUrl, FeedItemRecord item, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The stored source with this content hash, if any: the same text under another address.</summary>
    Task<string?> FindSourceByHashAsync(string contentHash, CancellationToken cancellationToken = default);

    /// <summary>Every item address that leads to <paramref name="sourcePath"/> (a syndicated article has several).</summary>
    Task<IReadOnlyList<string>> GetItemUrlsAsync(string sourcePath, CancellationToken cancellationToken = default);
}

/// <summary>Sources that came from feeds are named by their article's address; the folder's files never are.</summary>
public static class FeedSources
{
    public static bool IsFeedSource(string path) =>
        path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}

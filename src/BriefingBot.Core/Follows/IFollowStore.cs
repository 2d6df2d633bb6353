using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Follows;

/// <summary>A topic a channel follows: new articles matching <paramref name="Words"/> are posted there.</summary>
/// <param name="Channel">As briefings name channels: "discord:&lt;id&gt;", "slack:&lt;id&gt;" or "shell".</param>
public sealed record Follow(string Channel, string Words, string? CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A matching article waiting to be posted to a channel.</summary>
public sealed record QueuedPost(string Channel, ArticleId Article, string Words, DateTimeOffset QueuedAt);

/// <summary>Followed topics, and the record of which article went to which channel.</summary>
public interface IFollowStore
{
    /// <summary>False when the channel follows these words already.</summary>
    Task<bool> AddFollowAsync(Follow follow, CancellationToken cancellationToken = default);

    /// <summary>False when the channel did not follow these words.</summary>
    Task<bool> RemoveFollowAsync(string channel, string words, CancellationToken cancellationToken = default);

    /// <summary>The follows of one channel, or of every channel when <paramref name="channel"/> is null.</summary>
    Task<IReadOnlyList<Follow>> GetFollowsAsync(string? channel, CancellationToken cancellationToken = default);

    /// <summary>Queues an article for a channel; false when it was queued or posted there before (it never goes twice).</summary>
    Task<bool> QueueAsync(QueuedPost post, CancellationToken cancellationToken = default);

    /// <summary>The posts waiting, oldest first.</summary>
    Task<IReadOnlyList<QueuedPost>> GetQueuedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes queued posts for posting now, as one post: returns those this caller took (another instance or an earlier attempt
    /// may have taken some). A taken post is never offered again, so a crash while posting loses it rather than
    /// posting it twice.
    /// </summary>
    Task<IReadOnlyList<ArticleId>> TakeAsync(string channel, IReadOnlyCollection<ArticleId> articles, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where matching new articles has got to: a position in the store's order of stored text. The first time it is
    /// asked, the store's present end, so a first start does not take the whole corpus for news.
    /// </summary>
    Task<long> GetFollowCursorAsync(CancellationToken cancellationToken = default);

    Task SetFollowCursorAsync(long cursor, CancellationToken cancellationToken = default);

    /// <summary>Articles stored or replaced after <paramref name="cursor"/>, a batch at a time, and the cursor after them.</summary>
    Task<(IReadOnlyList<Articles.ArticleId> Articles, long Cursor)> GetStoredAfterAsync(long cursor, int limit, CancellationToken cancellationToken = default);

    /// <summary>Posts that went to the channel since <paramref name="since"/> (a digest of many articles is one post).</summary>
    Task<int> CountPostedAsync(string channel, DateTimeOffset since, CancellationToken cancellationToken = default);
}

using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// Which story each article belongs to, kept as articles are ingested (see <see cref="StoryAssigner"/>), so briefings,
/// answers and follows read the same stories. A story is named by a key of its own; an article's story goes with it.
/// </summary>
public interface IStoryStore
{
    /// <summary>Sets the story of each article given, replacing any it had.</summary>
    Task SetStoriesAsync(IReadOnlyDictionary<ArticleId, string> stories, CancellationToken cancellationToken = default);

    /// <summary>The stories of those of <paramref name="articles"/> that have one.</summary>
    Task<IReadOnlyDictionary<ArticleId, string>> GetStoriesAsync(IReadOnlyCollection<ArticleId> articles, CancellationToken cancellationToken = default);

    /// <summary>The days (UTC, by publication, else first ingestion) of the articles that have no story yet, earliest first.</summary>
    Task<IReadOnlyList<DateOnly>> GetDaysWithoutStoriesAsync(CancellationToken cancellationToken = default);

    /// <summary>The articles of <paramref name="story"/>, oldest first (by publication, else first ingestion), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ArticleId>> GetStoryArticlesAsync(string story, int limit, CancellationToken cancellationToken = default);
}

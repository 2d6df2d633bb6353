using BriefingBot.Core.Articles;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// What the grouping read of each article, kept over the windows of one run of <see cref="StoryAssigner"/>: windows
/// that overlap, and the year before each that gives its words' rarity, read each article once.
/// </summary>
public sealed class GroupingMemo
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, StoryGrouping.Document Value)> _documents = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, string[] Value)> _terms = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, HashSet<string> Value)> _names = new();

    internal StoryGrouping.Document Document(Article article) => _documents.GetOrAdd(article.Id, _ => (article.ReportedAt, StoryGrouping.Document.Of(article))).Value;

    internal string[] Terms(Article article, Func<Article, string[]> read) => _terms.GetOrAdd(article.Id, _ => (article.ReportedAt, read(article))).Value;

    internal HashSet<string> Names(Article article, Func<Article, HashSet<string>> read) => _names.GetOrAdd(article.Id, _ => (article.ReportedAt, read(article))).Value;

    /// <summary>
    /// Drops what no window from <paramref name="from"/> on will read (windows come oldest first): articles before
    /// it, their words past the month a window weighs them over, their names past the year.
    /// </summary>
    public void Forget(DateTimeOffset from)
    {
        Drop(_documents, from - StoryGrouping.StorySpan);
        Drop(_terms, from - StoryGrouping.BackgroundSpan - TimeSpan.FromDays(1));
        Drop(_names, from - StoryGrouping.NameHistorySpan - TimeSpan.FromDays(1));
    }

    private static void Drop<T>(System.Collections.Concurrent.ConcurrentDictionary<ArticleId, (DateTimeOffset When, T Value)> memo, DateTimeOffset before)
    {
        foreach (var (id, entry) in memo)
        {
            if (entry.When < before)
            {
                memo.TryRemove(id, out _);
            }
        }
    }
}

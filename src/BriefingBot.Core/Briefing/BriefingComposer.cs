using System.Text.RegularExpressions;
using BriefingBot.Core.Answering;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;
using BriefingBot.Core.Retrieval;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Briefing;
/// <summary>
/// Composes a briefing: the window's articles grouped into stories (<see cref="StoryGrouping"/>: copies, small edits,
/// follow-ups and other outlets' rewrites of one event together), ranked by how many outlets carry a story and how
/// recent it is, each with a headline, one to three verbatim lead sentences with their citations and all its articles
/// (<see cref="StorySummaries"/>); then the window's notable quotes (<see cref="BriefingQuotes"/>).
/// </summary>
public sealed class BriefingComposer(
    ICorpusStore store,
    IOptions<BriefingOptions> options,
    ILogger<BriefingComposer>? logger = null,
    IAnswerGenerator? generator = null)
{
    private readonly BriefingOptions _options = options.Value;
    /// <summary>At most this many of the window's newest articles are grouped.</summary>
    public const int MaxArticles = 2000;

    /// <summary>At most this many articles give word rarity (the grouped ones and those before them).</summary>
    private const int BackgroundArticles = 6000;

    public async Task<Briefing> ComposeAsync(DateTimeOffset from, DateTimeOffset to, bool sinceLastBriefing, CancellationToken cancellationToken = default)
    {
        var (total, undated) = await store.CountArticlesInWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return new Briefing(from, to, sinceLastBriefing, [], [], 0, 0) { Zone = Zone };
        }

        var (articles, documents, stories) = await GroupWindowAsync(from, to, total, stored: true, cancellationToken).ConfigureAwait(false);
        var newest = documents.Max(d => d.When);
        var items = stories
            .Select(story => StorySummaries.Item(story, newest))
            .OrderByDescending(i => i.Importance)
            .Take(_options.MaxItems)
            .ToList();

        if (generator is not null)
        {
            for (var i = 0; i < items.Count; i++)
            {
                items[i] = await StorySummaries.GeneratedAsync(generator, logger, items[i], cancellationToken).ConfigureAwait(false);
            }
        }

        var quotes = await BriefingQuotes.NotableAsync(store, _options.MaxQuotes, articles, items, cancellationToken).ConfigureAwait(false);
        return new Briefing(from, to, sinceLastBriefing, items, quotes, total, undated) { Zone = Zone };
    }

    /// <summary>
    /// Every story of the window as the briefing shows it (not only those it shows): the stored stories of its articles
    /// (see <see cref="StoryAssigner"/>), or, where any has none yet, the stories grouped afresh.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await GroupAsync(from, to, stored: true, cancellationToken).ConfigureAwait(false);

    /// <summary>The window's articles grouped into stories afresh, whatever is stored, each oldest first: what <see cref="StoryAssigner"/> stores.</summary>
    /// <param name="memo">What was read of each article for an earlier window of the same run, to read it once.</param>
    public async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAfreshAsync(DateTimeOffset from, DateTimeOffset to, GroupingMemo? memo = null, CancellationToken cancellationToken = default) =>
        await GroupAsync(from, to, stored: false, cancellationToken, memo).ConfigureAwait(false);

    private async Task<IReadOnlyList<IReadOnlyList<ArticleId>>> GroupAsync(DateTimeOffset from, DateTimeOffset to, bool stored, CancellationToken cancellationToken, GroupingMemo? memo = null)
    {
        var (total, _) = await store.CountArticlesInWindowAsync(from, to, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            return [];
        }

        var (_, _, stories) = await GroupWindowAsync(from, to, total, stored, cancellationToken, memo).ConfigureAwait(false);
        return stories.Select(story => (IReadOnlyList<ArticleId>)story.OrderBy(d => d.When).ThenBy(d => d.Article.Id.Value, StringComparer.Ordinal)
            .Select(d => d.Article.Id).ToList()).ToList();
    }

    /// <summary>The window's articles read, as the grouping sees them, and the stories it makes of them; <paramref name="total"/> is the window's article count.</summary>
    /// <param name="stored">Whether the stored stories are read (when every article of the window has one) rather than grouped afresh.</param>
    private async Task<(IReadOnlyList<Article> Articles, List<StoryGrouping.Document> Documents, List<List<StoryGrouping.Document>> Stories)> GroupWindowAsync(
        DateTimeOffset from, DateTimeOffset to, int total, bool stored, CancellationToken cancellationToken, GroupingMemo? memo = null)
    {
        // A daily briefing reads the newest articles; past a few thousand the oldest of the window would not make the
        // top stories anyway, and a window over a whole archive must not be read into memory.
        var articles = await store.GetArticlesInWindowAsync(from, to, MaxArticles, cancellationToken).ConfigureAwait(false);
        var documents = articles
            .OrderByDescending(a => a.ReportedAt)
            .AsParallel()
            .AsOrdered()
            .Select(a => memo is null ? StoryGrouping.Document.Of(a) : memo.Document(a))
            .ToList();

        // Word rarity comes from the weeks around the window, not the window alone: on a day one story dominates,
        // its own words ("chemical", "Khan Sheikhoun") must still weigh as the rare words they usually are. Around
        // the articles read, when the window holds more than them, and from as many articles as that needs.
        var around = total > articles.Count ? documents.Min(d => d.When) : from;
        var background = await store.GetArticlesInWindowAsync(around - StoryGrouping.NameHistorySpan, to, BackgroundArticles, cancellationToken).ConfigureAwait(false);
        StoryGrouping.Weigh(documents, background, around, memo);
        var keys = stored ? await store.GetStoriesAsync(documents.Select(d => d.Article.Id).ToList(), cancellationToken).ConfigureAwait(false) : null;
        if (keys is not null && keys.Count == documents.Count)
        {
            return (articles, documents, documents.GroupBy(d => keys[d.Article.Id], StringComparer.Ordinal).Select(g => g.ToList()).ToList());
        }

        return (articles, documents, StoryGrouping.Group(documents, _options.SameStoryAbove));
    }

    /// <summary>Briefing:TimeZone, in which every briefing shows its window (checked when the options are validated).</summary>
    private TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(_options.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}

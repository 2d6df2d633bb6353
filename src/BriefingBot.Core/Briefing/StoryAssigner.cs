using BriefingBot.Core.Articles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BriefingBot.Core.Briefing;

/// <summary>
/// Keeps every article's story (<see cref="IStoryStore"/>) as articles arrive: after each ingestion, the days of the
/// articles without a story are grouped afresh with the days around them, and each story keeps the key most of its
/// articles already had, so a new report joins the story it belongs to and an old story keeps its name.
/// </summary>
public sealed partial class StoryAssigner(ICorpusStore store, BriefingComposer composer, ILogger<StoryAssigner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StoryAssigner>.Instance;

    /// <summary>How many days one grouping covers at most, beside the days around it; long spans go in steps.</summary>
    private const int StepDays = 30;

    /// <summary>Gives every article that has none a story; returns how many articles were assigned (new or again).</summary>
    public async Task<int> AssignPendingAsync(CancellationToken cancellationToken = default)
    {
        var days = await store.GetDaysWithoutStoriesAsync(cancellationToken).ConfigureAwait(false);
        var assigned = 0;
        var memo = new GroupingMemo();
        foreach (var (from, to) in Windows(days, (int)Math.Ceiling(StoryGrouping.StorySpan.TotalDays)))
        {
            memo.Forget(from);
            assigned += await AssignAsync(from, to, memo, cancellationToken).ConfigureAwait(false);
        }

        if (days.Count > 0)
        {
            LogAssigned(_logger, assigned, days.Count);
        }

        return assigned;
    }

    /// <summary>
    /// The windows to group: each run of days with articles to assign (runs closer than the reach joined), widened by the
    /// reach on both sides so a new report meets the stories before and after it, cut into steps of a few days.
    /// </summary>
    internal static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Windows(IReadOnlyList<DateOnly> days, int reach)
    {
        var i = 0;
        while (i < days.Count)
        {
            var first = days[i];
            var last = first;
            while (i + 1 < days.Count && days[i + 1].DayNumber - last.DayNumber <= 2 * reach && days[i + 1].DayNumber - first.DayNumber < StepDays)
            {
                last = days[++i];
            }

            i++;
            yield return (Midnight(first.AddDays(-reach)), Midnight(last.AddDays(reach + 1)));
        }
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private async Task<int> AssignAsync(DateTimeOffset from, DateTimeOffset to, GroupingMemo memo, CancellationToken cancellationToken)
    {
        var stories = await composer.GroupAfreshAsync(from, to, memo, cancellationToken).ConfigureAwait(false);
        var existing = await store.GetStoriesAsync(stories.SelectMany(s => s).ToList(), cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<ArticleId, string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        // The larger stories first: where a story split, its larger part keeps the name.
        foreach (var story in stories.OrderByDescending(s => s.Count).ThenBy(s => s[0].Value, StringComparer.Ordinal))
        {
            var key = story.Select(id => existing.GetValueOrDefault(id)).OfType<string>()
                .GroupBy(k => k, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault(k => !taken.Contains(k))
                ?? story.Select(id => id.Value).FirstOrDefault(k => !taken.Contains(k))
                ?? $"{story[0].Value}+{taken.Count}";
            taken.Add(key);
            foreach (var id in story)
            {
                keys[id] = key;
            }
        }

        await store.SetStoriesAsync(keys, cancellationToken).ConfigureAwait(false);
        return keys.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stories: {Articles} articles grouped around {Days} days with new articles")]
    private static partial void LogAssigned(ILogger logger, int articles, int days);
}

using System.ComponentModel.DataAnnotations;
using BriefingBot.Core.Articles;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Follows;

/// <summary>Settings of the <c>Follows</c> section: followed topics and how much they may post.</summary>
public sealed class FollowOptions
{
    public const string Section = "Follows";

    /// <summary>Posts a channel gets an hour for its followed topics; what is beyond goes into one digest post.</summary>
    [Range(1, 1000, ErrorMessage = "Follows:MaxPostsPerHour must be between 1 and 1000.")]
    public int MaxPostsPerHour { get; set; } = 6;

    /// <summary>
    /// How much of a topic's words an article must hold, each word weighted by how rare it is in the corpus (as
    /// questions weigh them): 1 means every word.
    /// </summary>
    [Range(0.1, 1.0, ErrorMessage = "Follows:MinMatch must be between 0.1 and 1.")]
    public double MinMatch { get; set; } = 0.75;

    [Range(1, 1000, ErrorMessage = "Follows:MaxPerChannel must be between 1 and 1000.")]
    public int MaxPerChannel { get; set; } = 25;
}

/// <summary>Posts a reply to a channel named as briefings name them ("discord:&lt;id&gt;", "slack:&lt;id&gt;", "shell").</summary>
public interface IChannelPoster
{
    bool Handles(string channel);

    Task PostAsync(string channel, ChatReply reply, CancellationToken cancellationToken = default);
}

/// <summary>
/// Followed topics: each new article is matched against every channel's topics, queued once per channel in the
/// store (so a restart or a second instance never posts it twice), and posted by story — the reports of one event that
/// wait together go as one post — at most <see cref="FollowOptions.MaxPostsPerHour"/> posts an hour per channel, the
/// rest gathered into one digest.
/// </summary>
public sealed partial class FollowNotifier(
    IFollowStore follows,
    ICorpusStore store,
    IEnumerable<IChannelPoster> posters,
    IOptions<FollowOptions> options,
    TimeProvider time,
    ILogger<FollowNotifier> logger,
    StoryAssigner? stories = null)
{
    private readonly FollowOptions _options = options.Value;

    /// <summary>
    /// Matches everything stored since the last time — from this process or any other (a feed poll on the command
    /// line, another instance) — against the followed topics; returns how many posts were queued.
    /// </summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var queued = 0;
        var cursor = await follows.GetFollowCursorAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var (articles, next) = await follows.GetStoredAfterAsync(cursor, 2000, cancellationToken).ConfigureAwait(false);
            if (next == cursor)
            {
                return queued;
            }

            queued += await MatchAsync(articles, cancellationToken).ConfigureAwait(false);
            await follows.SetFollowCursorAsync(next, cancellationToken).ConfigureAwait(false);
            cursor = next;
        }
    }

    /// <summary>
    /// Queues the articles that match a followed topic and arrived after it was followed; returns how many (article,
    /// channel) pairs were queued.
    /// </summary>
    public async Task<int> MatchAsync(IReadOnlyCollection<ArticleId> stored, CancellationToken cancellationToken = default)
    {
        var all = await follows.GetFollowsAsync(null, cancellationToken).ConfigureAwait(false);
        if (all.Count == 0 || stored.Count == 0)
        {
            return 0;
        }

        var articles = await store.GetArticlesAsync(stored, cancellationToken).ConfigureAwait(false);
        var stems = articles.Values.ToDictionary(a => a.Id, a => Terms.AllStems(a.Title + "\n" + a.Text));
        var queued = 0;
        foreach (var topic in all.GroupBy(f => f.Words, StringComparer.Ordinal))
        {
            var weights = await WeightsAsync(topic.Key, cancellationToken).ConfigureAwait(false);
            foreach (var article in articles.Values.OrderBy(a => a.ReportedAt))
            {
                if (Match(weights, stems[article.Id]) < _options.MinMatch)
                {
                    continue;
                }

                foreach (var follow in topic.Where(f => article.FirstIngested >= f.CreatedAt))
                {
                    if (await follows.QueueAsync(new QueuedPost(follow.Channel, article.Id, follow.Words, time.GetUtcNow()), cancellationToken).ConfigureAwait(false))
                    {
                        queued++;
                    }
                }
            }
        }

        return queued;
    }

    /// <summary>Posts what is queued, a story a post, within each channel's hourly budget; returns the posts made.</summary>
    public async Task<int> PostQueuedAsync(CancellationToken cancellationToken = default)
    {
        var posts = 0;
        var waiting = await follows.GetQueuedAsync(cancellationToken).ConfigureAwait(false);
        var storyOf = await StoriesAsync(waiting, cancellationToken).ConfigureAwait(false);
        foreach (var channel in waiting.GroupBy(p => p.Channel, StringComparer.Ordinal))
        {
            var poster = posters.FirstOrDefault(p => p.Handles(channel.Key));
            if (poster is null)
            {
                continue; // that platform is not running here; its posts wait for an instance where it is
            }

            var now = time.GetUtcNow();
            var budget = _options.MaxPostsPerHour - await follows.CountPostedAsync(channel.Key, now - TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
            if (budget <= 0)
            {
                continue; // the rest waits for the hour to make room, then goes as a digest
            }

            var queued = channel.GroupBy(p => StoryKey(storyOf, p.Article), StringComparer.Ordinal).Select(g => g.ToList()).ToList();
            var singles = queued.Count <= budget ? queued : queued.Take(budget - 1).ToList();
            foreach (var story in singles)
            {
                posts += await PostAsync(poster, channel.Key, story, digest: false, storyOf, cancellationToken).ConfigureAwait(false);
            }

            if (singles.Count < queued.Count)
            {
                posts += await PostAsync(poster, channel.Key, queued.Skip(singles.Count).SelectMany(s => s).ToList(), digest: true, storyOf, cancellationToken).ConfigureAwait(false);
            }
        }

        return posts;
    }

    /// <summary>
    /// The stories of the queued articles: those just stored are given theirs first (the ingestion that stored them may
    /// not have come to it yet). Without stories (none kept, or the store failing at it) each article is its own.
    /// </summary>
    private async Task<IReadOnlyDictionary<ArticleId, string>> StoriesAsync(IReadOnlyList<QueuedPost> waiting, CancellationToken cancellationToken)
    {
        if (stories is null || waiting.Count == 0)
        {
            return new Dictionary<ArticleId, string>();
        }

        try
        {
            await stories.AssignPendingAsync(cancellationToken).ConfigureAwait(false);
            return await store.GetStoriesAsync(waiting.Select(p => p.Article).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoStories(ex);
            return new Dictionary<ArticleId, string>();
        }
    }

    /// <summary>The story an article is posted with; one without a story yet is a story of its own.</summary>
    private static string StoryKey(IReadOnlyDictionary<ArticleId, string> storyOf, ArticleId article) => storyOf.GetValueOrDefault(article) ?? article.Value;

    private async Task<int> PostAsync(IChannelPoster poster, string channel, IReadOnlyList<QueuedPost> posts, bool digest, IReadOnlyDictionary<ArticleId, string> storyOf, CancellationToken cancellationToken)
    {
        var taken = await follows.TakeAsync(channel, posts.Select(p => p.Article).ToList(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (taken.Count == 0)
        {
            return 0; // another instance took them
        }

        var articles = await store.GetArticlesAsync(taken, cancellationToken).ConfigureAwait(false);
        // Story by story, in the order they waited; each story's reports oldest first.
        var shown = taken.Where(articles.ContainsKey).Select(id => articles[id])
            .GroupBy(a => StoryKey(storyOf, a.Id), StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<Article>)[.. g.OrderBy(a => a.ReportedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal)])
            .ToList();
        if (shown.Count == 0)
        {
            return 0; // removed since
        }

        var words = posts.Select(p => p.Words).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            await poster.PostAsync(channel, new NewArticlesReply(words, shown, digest), cancellationToken).ConfigureAwait(false);
            LogPosted(shown.Sum(s => s.Count), channel, string.Join(", ", words));
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Taken is taken: a post that may have gone out is not tried again (never twice), and it is said here.
            LogPostFailed(ex, shown.Sum(s => s.Count), channel);
            return 0;
        }
    }

    /// <summary>The topic's words as a question's terms, each weighted by its rarity in the corpus.</summary>
    private async Task<List<(string Stem, double Weight)>> WeightsAsync(string words, CancellationToken cancellationToken)
    {
        var terms = QueryTerms.Parse(words);
        if (terms.Count == 0)
        {
            return [];
        }

        var (frequencies, passages) = await store.GetDocumentFrequenciesAsync(terms.Select(t => t.Word).ToList(), cancellationToken).ConfigureAwait(false);
        return terms
            .Select(t => (t.Stem, Weight: Math.Log(1 + ((passages + 1.0) / (frequencies.GetValueOrDefault(t.Word) + 1.0)))))
            .DistinctBy(t => t.Stem)
            .ToList();
    }

    /// <summary>The weighted share of the topic's words the article holds.</summary>
    internal static double Match(IReadOnlyList<(string Stem, double Weight)> weights, HashSet<string> stems)
    {
        var total = weights.Sum(w => w.Weight);
        return total <= 0 ? 0 : weights.Where(w => stems.Contains(w.Stem)).Sum(w => w.Weight) / total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} new articles to {Channel} for the followed topic \"{Words}\"")]
    private partial void LogPosted(int count, string channel, string words);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waiting posts could not be given their stories; each article goes as its own")]
    private partial void LogNoStories(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting {Count} new articles to {Channel} failed; they are not posted again")]
    private partial void LogPostFailed(Exception exception, int count, string channel);
}

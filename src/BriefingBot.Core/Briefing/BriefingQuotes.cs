using BriefingBot.Core.Articles;
using BriefingBot.Core.Quotes;

namespace BriefingBot.Core.Briefing;

/// <summary>The quotes a briefing shows: named speakers first, from the top stories first, one a speaker.</summary>
internal static class BriefingQuotes
{
    /// <summary>The window's notable quotes: direct, long enough to say something, one per speaker, from the top stories first.</summary>
    public static async Task<List<QuoteHit>> NotableAsync(IQuoteStore store, int max, IReadOnlyList<Article> articles, List<BriefingItem> items, CancellationToken cancellationToken)
    {
        if (max == 0)
        {
            return [];
        }

        var byId = articles.ToDictionary(a => a.Id);
        var rank = new Dictionary<ArticleId, int>();
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var source in items[i].Sources)
            {
                rank.TryAdd(source.Article.Id, i);
            }
        }

        var quotes = await store.GetQuotesAsync(new QuoteFilter(ArticleIds: byId.Keys.ToList()), cancellationToken).ConfigureAwait(false);
        // Named people before "a source" or "the group"; then the top stories first.
        return quotes
            .Where(q => q.Kind == QuoteKind.Direct && q.SpeakerKey != SpeakerRule.UnattributedKey && SpeakerRule.Accepts(q.Speaker)
                && q.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 8)
            .OrderBy(q => IsNamed(q.Speaker) ? 0 : 1)
            .ThenBy(q => rank.GetValueOrDefault(q.ArticleId, int.MaxValue))
            .ThenByDescending(q => q.Text.Length)
            .DistinctBy(q => q.SpeakerKey)
            .Take(max)
            .Select(q => new QuoteHit(q, byId[q.ArticleId], 0))
            .ToList();
    }

    private static bool IsNamed(Speaker speaker)
    {
        var words = speaker.Name.Split(' ');
        return words.Length >= 2 && words.All(w => w.Length > 0 && (char.IsUpper(w[0]) || w is "al" or "de" or "bin" or "van" or "von"))
            && words[0] is not ("The" or "A" or "An");
    }
}

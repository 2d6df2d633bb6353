using BriefingBot.Core.Articles;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Core.Retrieval;

/// <summary>A passage found for a question, with the article it belongs to and how each search ranked it.</summary>
public sealed record RetrievedPassage(Passage Passage, Article Article, double Score, int? KeywordRank, double? Cosine);

/// <summary>The passages found for a question and what the search understood of it.</summary>
public sealed record RetrievalResult(string Question, IReadOnlyList<QueryTerm> Terms, IReadOnlyList<RetrievedPassage> Passages, bool UsedDense)
{
    /// <summary>The question's dense vector, when the encoder made one: the reader compares sentences with it.</summary>
    public float[]? QuestionVector { get; init; }

    /// <summary>How each candidate article agrees with what the question pins down, as retrieval read it: the reader reuses it.</summary>
    public IReadOnlyDictionary<Articles.ArticleId, Answering.QuestionAnalysis.ArticleFit> Fits { get; init; } =
        new Dictionary<Articles.ArticleId, Answering.QuestionAnalysis.ArticleFit>();
}

/// <summary>
/// Hybrid retrieval: BM25 over passages fused with dense similarity by reciprocal rank fusion, a recency prior
/// when dates are known, and diversity across articles. Dense search joins in only when an encoder is configured
/// and the corpus has vectors, so the bot answers from keywords while embeddings are still being computed.
/// </summary>
public sealed partial class HybridRetriever(
    ICorpusStore store,
    IOptions<RetrievalOptions> options,
    ILogger<HybridRetriever> logger,
    ITextEmbedder? embedder = null)
{
    private readonly RetrievalOptions _options = options.Value;

    public async Task<RetrievalResult> RetrieveAsync(string question, int? top = null, CancellationToken cancellationToken = default)
    {
        var terms = QueryTerms.Parse(question);
        var keyword = terms.Count == 0
            ? []
            : await store.SearchKeywordsAsync(terms.Select(t => t.Word).ToList(), _options.Candidates, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<ScoredPassage> dense = [];
        float[]? questionVector = null;
        if (embedder is not null)
        {
            try
            {
                var vector = (await embedder.EmbedAsync([question], cancellationToken).ConfigureAwait(false))[0];
                dense = await store.SearchVectorAsync(vector, _options.Candidates, cancellationToken).ConfigureAwait(false);
                questionVector = dense.Count > 0 ? vector : null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keyword search alone still answers; a broken encoder must not take questions down with it.
                LogDenseFailed(ex);
            }
        }

        var fused = new Dictionary<long, (ScoredPassage Hit, double Score, int? Rank, double? Cosine)>();
        for (var i = 0; i < keyword.Count; i++)
        {
            var hit = keyword[i];
            fused[hit.PassageId] = (hit, 1.0 / (_options.RrfK + i + 1), i + 1, null);
        }

        for (var i = 0; i < dense.Count; i++)
        {
            var hit = dense[i];
            var rrf = 1.0 / (_options.RrfK + i + 1);
            fused[hit.PassageId] = fused.TryGetValue(hit.PassageId, out var existing)
                ? (existing.Hit, existing.Score + rrf, existing.Rank, hit.Score)
                : (hit, rrf, null, hit.Score);
        }

        if (fused.Count == 0)
        {
            return new RetrievalResult(question, terms, [], dense.Count > 0) { QuestionVector = questionVector };
        }

        // Load a generous slice before the recency prior, the question's constraints and diversity reorder it; more of
        // one when the question pins down years or names, which may leave many of the best-ranked aside.
        var analysis = Answering.QuestionAnalysis.Of(question, terms);
        var candidates = fused.Values.OrderByDescending(c => c.Score).Take((top ?? _options.TopPassages) * (analysis.Constrains ? 8 : 4)).ToList();
        var passages = (await store.GetPassagesAsync(candidates.Select(c => c.Hit.PassageId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id);
        var articles = await store.GetArticlesAsync(passages.Values.Select(p => p.ArticleId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);

        var newest = articles.Values.Select(a => a.PublishedAt).Where(d => d.HasValue).Select(d => d!.Value).DefaultIfEmpty().Max();
        var scored = new List<RetrievedPassage>(candidates.Count);
        foreach (var (hit, score, rank, cosine) in candidates)
        {
            if (!passages.TryGetValue(hit.PassageId, out var passage) || !articles.TryGetValue(passage.ArticleId, out var article))
            {
                continue; // removed between search and load
            }

            var prior = 1.0;
            if (_options.RecencyWeight > 0 && article.PublishedAt is { } published && newest != default)
            {
                var ageDays = Math.Max(0, (newest - published).TotalDays);
                prior += _options.RecencyWeight * Math.Pow(0.5, ageDays / Math.Max(_options.RecencyHalfLife.TotalDays, 0.01));
            }

            scored.Add(new RetrievedPassage(passage, article, score * prior, rank, cosine));
        }

        // Passages of articles that can answer come first: about the question's years, naming its names (the reader
        // weighs the others far down, and they would take the places of ones it can use); the rest stay as nearest
        // sources.
        var fits = scored.Select(p => p.Article).DistinctBy(a => a.Id).ToDictionary(a => a.Id, analysis.FitOf);
        scored = scored.OrderByDescending(p => fits[p.Article.Id] is { Years: true, Names: true, Predicate: true }).ThenByDescending(p => p.Score).ToList();
        return new RetrievalResult(question, terms, Diversify(scored, top ?? _options.TopPassages), dense.Count > 0) { QuestionVector = questionVector, Fits = fits };
    }

    /// <summary>Takes the best passages, at most <see cref="RetrievalOptions.MaxPassagesPerArticle"/> per article while others remain.</summary>
    private List<RetrievedPassage> Diversify(List<RetrievedPassage> ranked, int top)
    {
        var chosen = new List<RetrievedPassage>(top);
        var perArticle = new Dictionary<ArticleId, int>();
        var deferred = new List<RetrievedPassage>();
        foreach (var passage in ranked)
        {
            if (chosen.Count == top)
            {
                break;
            }

            var count = perArticle.GetValueOrDefault(passage.Article.Id);
            if (count >= _options.MaxPassagesPerArticle)
            {
                deferred.Add(passage);
                continue;
            }

            perArticle[passage.Article.Id] = count + 1;
            chosen.Add(passage);
        }

        chosen.AddRange(deferred.Take(top - chosen.Count));
        return chosen;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dense search failed; answering from keyword search alone")]
    private partial void LogDenseFailed(Exception exception);
}

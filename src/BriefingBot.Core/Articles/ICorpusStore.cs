using BriefingBot.Core.Ingestion;

namespace BriefingBot.Core.Articles;

/// <summary>A corpus file as last ingested.</summary>
public sealed record SourceRecord(string Path, string ContentHash, long Length, DateTimeOffset IngestedAt);

/// <summary>A passage with its retrieval score; higher is better for both kinds of search.</summary>
public sealed record ScoredPassage(long PassageId, ArticleId ArticleId, double Score);

/// <summary>What storing a source did.</summary>
public sealed record SourceWriteResult(int ArticlesStored, IReadOnlyList<IngestProblem> Problems);

/// <summary>
/// The corpus as the bot stores it: articles and passages, their search, their embeddings and their quotes, each a
/// contract of its own so a provider implements (and a test suite checks) one concern at a time. Implementations make
/// each source write atomic, so a failed or interrupted run never loses what was stored before.
/// </summary>
public interface ICorpusStore : IArticleStore, IPassageSearch, IEmbeddingStore, Quotes.IQuoteStore, Briefing.IStoryStore
{
}

/// <summary>Articles and their passages, written a source (a corpus file, a feed item) at a time.</summary>
public interface IArticleStore
{
    Task<IReadOnlyDictionary<string, SourceRecord>> GetSourcesAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces everything that came from <paramref name="source"/> with <paramref name="articles"/>, in one transaction.</summary>
    Task<SourceWriteResult> ReplaceSourceAsync(SourceRecord source, IReadOnlyList<IngestedArticle> articles, CancellationToken cancellationToken = default);

    Task RemoveSourceAsync(string path, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<ArticleId, Article>> GetArticlesAsync(IReadOnlyCollection<ArticleId> ids, CancellationToken cancellationToken = default);

    Task<CorpusStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest <paramref name="limit"/> of the articles published in [<paramref name="from"/>, <paramref name="to"/>)
    /// and the undated ones first ingested then, oldest first.
    /// </summary>
    Task<IReadOnlyList<Article>> GetArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many articles the window holds (as <see cref="GetArticlesInWindowAsync"/> counts them), and how many of them are undated.</summary>
    Task<(int Articles, int Undated)> CountArticlesInWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>Keyword and dense search over the stored passages.</summary>
public interface IPassageSearch
{
    /// <summary>Keyword (BM25) search over passages for any of <paramref name="terms"/>.</summary>
    Task<IReadOnlyList<ScoredPassage>> SearchKeywordsAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default);

    /// <summary>Dense search: cosine similarity of <paramref name="query"/> with every embedded passage.</summary>
    Task<IReadOnlyList<ScoredPassage>> SearchVectorAsync(ReadOnlyMemory<float> query, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many passages contain each term (as the keyword index stems it), and the passage count.</summary>
    Task<(IReadOnlyDictionary<string, int> Frequencies, int Passages)> GetDocumentFrequenciesAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken = default);
}

/// <summary>The passages' vectors, filled in behind ingestion.</summary>
public interface IEmbeddingStore
{
    /// <summary>
    /// Passages after <paramref name="afterPassageId"/> that have no embedding from <paramref name="model"/> yet, in
    /// passage order, one for each distinct text; from 0, vectors of other models are forgotten first.
    /// </summary>
    Task<IReadOnlyList<(long PassageId, string Text)>> GetPassagesWithoutEmbeddingAsync(string model, long afterPassageId, int limit, CancellationToken cancellationToken = default);

    Task<int> CountPassagesWithoutEmbeddingAsync(string model, CancellationToken cancellationToken = default);

    Task StoreEmbeddingsAsync(string model, IReadOnlyList<(long PassageId, float[] Vector)> embeddings, CancellationToken cancellationToken = default);
}

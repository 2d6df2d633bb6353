namespace BriefingBot.Core.Quotes;

/// <summary>The quotes stored with the articles they come from.</summary>
public interface IQuoteStore
{
    /// <summary>Everyone quoted or paraphrased in the corpus, one row per speaker across articles.</summary>
    Task<IReadOnlyList<SpeakerSummary>> GetSpeakersAsync(CancellationToken cancellationToken = default);

    /// <summary>Stored quotes matching every filter that is given.</summary>
    Task<IReadOnlyList<StoredQuote>> GetQuotesAsync(QuoteFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Keyword search over quote text for any of <paramref name="terms"/>, best first.</summary>
    Task<IReadOnlyList<(long QuoteId, double Score)>> SearchQuotesAsync(IReadOnlyList<string> terms, int limit, CancellationToken cancellationToken = default);
}

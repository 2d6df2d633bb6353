namespace BriefingBot.Storage;

/// <summary>What <c>bench</c> asks a store about its vector search.</summary>
public interface IVectorRecall
{
    /// <summary>
    /// Recall@<paramref name="k"/> of the store's vector search against exact float32 search over every stored vector,
    /// for the given queries; NaN when nothing is embedded.
    /// </summary>
    double MeasureVectorRecall(IReadOnlyList<float[]> queries, int k);
}

namespace BriefingBot.Core.Embeddings;

/// <summary>A local sentence encoder: text to unit-length vectors.</summary>
public interface ITextEmbedder
{
    /// <summary>Names the model; stored beside each vector so a model change re-embeds the corpus.</summary>
    string Model { get; }

    int Dimensions { get; }

    /// <summary>Embeds <paramref name="texts"/>; each returned vector has length <see cref="Dimensions"/> and unit norm.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}

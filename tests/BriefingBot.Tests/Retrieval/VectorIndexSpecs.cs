using System.Numerics.Tensors;
using BriefingBot.Storage;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Retrieval;

public sealed class VectorIndexSpecs
{
    [Theory]
    [InlineData(384)]
    [InlineData(37)]
    [InlineData(5)]
    public void The_byte_dot_product_is_the_exact_integer_one(int length)
    {
        var random = new Random(length);
        var a = Enumerable.Range(0, length).Select(i => (sbyte)(i % 7 == 0 ? -127 : random.Next(-127, 128))).ToArray();
        var b = Enumerable.Range(0, length).Select(i => (sbyte)(i % 5 == 0 ? -127 : random.Next(-127, 128))).ToArray();

        Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), VectorIndex.Dot(a, b));
    }

    [Theory]
    [InlineData(4_000)]
    [InlineData(30_000)] // the bit scan passes on 1,000 of the rows, about 3 %
    public void Quantised_search_keeps_the_exact_top_ten(int count)
    {
        // Clustered unit vectors, as sentence embeddings of one crisis are: many near neighbours, small score gaps.
        var random = new Random(7);
        const int dimensions = 384;
        var centres = Enumerable.Range(0, 40).Select(_ => Unit(Noise(random, dimensions, 1))).ToList();
        var vectors = Enumerable.Range(0, count).Select(i => Unit(Add(centres[i % centres.Count], Noise(random, dimensions, 0.05f)))).ToList();
        using var index = new VectorIndex();
        for (var i = 0; i < vectors.Count; i++)
        {
            index.Add(i, $"article-{i / 6}", vectors[i]);
        }

        var found = 0;
        const int queries = 60;
        for (var q = 0; q < queries; q++)
        {
            var query = Unit(Add(centres[q % centres.Count], Noise(random, dimensions, 0.05f)));
            var exact = vectors.Select((v, i) => (i, Score: TensorPrimitives.Dot(v, query))).OrderByDescending(s => s.Score).Take(10).Select(s => (long)s.i).ToHashSet();
            var hits = index.Search(query, 10);
            Assert.Equal(10, hits.Count);
            Assert.Equal($"article-{hits[0].PassageId / 6}", hits[0].ArticleId.Value);
            found += hits.Count(h => exact.Contains(h.PassageId));
        }

        Assert.True(found / (10.0 * queries) >= 0.95, $"recall@10 {found / (10.0 * queries):F3}");
    }

    [Fact]
    public void The_byte_vectors_file_is_never_left_in_its_folder()
    {
        using var folder = new TempFolder();
        var random = new Random(3);
        var vectors = Enumerable.Range(0, 50).Select(_ => Unit(Noise(random, 64, 1))).ToList();
        var index = new VectorIndex(folder.Path);
        for (var i = 0; i < vectors.Count; i++)
        {
            index.Add(i, $"article-{i}", vectors[i]);
        }

        var hits = index.Search(vectors[17], 3);
        var whileOpen = Directory.EnumerateFileSystemEntries(folder.Path).ToList();
        index.Dispose();

        Assert.Equal(17, hits[0].PassageId);
        Assert.Empty(whileOpen); // removed from the folder once open: a crash leaves nothing behind
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    private static float[] Noise(Random random, int dimensions, float size) =>
        Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1) * size).ToArray();

    private static float[] Add(float[] a, float[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    private static float[] Unit(float[] v)
    {
        var length = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / length).ToArray();
    }
}

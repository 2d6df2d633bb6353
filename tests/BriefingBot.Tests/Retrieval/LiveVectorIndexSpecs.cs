using BriefingBot.Core.Articles;
using BriefingBot.Core.Ingestion;
using BriefingBot.Storage.Sqlite;
using BriefingBot.Tests.Support;

namespace BriefingBot.Tests.Retrieval;

/// <summary>The in-memory vectors follow a live corpus without loading it whole again.</summary>
public sealed class LiveVectorIndexSpecs : IDisposable
{
    private const string Model = "test-encoder";
    private readonly TempFolder _folder = new();
    private readonly SqliteCorpusStore _store;

    public LiveVectorIndexSpecs() => _store = new SqliteCorpusStore(Path.Combine(_folder.Path, "bot.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    /// <summary>A unit vector of its own for each text, the same for the same text.</summary>
    private static float[] VectorOf(string text)
    {
        var random = new Random(StringComparer.Ordinal.GetHashCode(text) & 0x7fffffff);
        var vector = Enumerable.Range(0, 64).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    private async Task StoreAsync(string path, string text)
    {
        var (article, _) = ArticleBuilder.Build(new RawArticle(null, $"Story {path}", "Wire", null, "2018-09-10", null, [text]), path, path, DateTimeOffset.UtcNow);
        await _store.ReplaceSourceAsync(new SourceRecord(path, text.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture), text.Length, DateTimeOffset.UtcNow), [article!]);
    }

    private async Task EmbedAsync()
    {
        var missing = await _store.GetPassagesWithoutEmbeddingAsync(Model, 0, 1000);
        await _store.StoreEmbeddingsAsync(Model, missing.Select(p => (p.PassageId, VectorOf(p.Text))).ToList());
    }

    private async Task<string?> TopArticleAsync(string text)
    {
        var hits = await _store.SearchVectorAsync(VectorOf(text), 1);
        return hits.Count == 0 || hits[0].Score < 0.9 ? null : hits[0].ArticleId.Value;
    }

    [Fact]
    public async Task New_removed_and_replaced_articles_are_searched_as_stored_without_a_whole_reload()
    {
        const string A = "Turkish troops reinforced twelve observation posts in Idlib province on Sunday.";
        const string B = "Russian jets struck villages in southern Idlib, a war monitor said on Tuesday.";
        const string C = "A United Nations convoy of forty trucks reached Idlib on Wednesday.";
        const string B2 = "Russian jets struck villages in southern Idlib and killed nine civilians, a monitor said.";
        await StoreAsync("a.txt", A);
        await StoreAsync("b.txt", B);
        await EmbedAsync();
        Assert.Equal("a.txt", await TopArticleAsync(A));
        Assert.Equal(1, _store.VectorFullLoads);

        // A new article, embedded later: found once its vector is stored.
        await StoreAsync("c.txt", C);
        Assert.Null(await TopArticleAsync(C));
        await EmbedAsync();
        Assert.Equal("c.txt", await TopArticleAsync(C));

        // A replaced article: its old text is gone from the search, its new text found.
        await StoreAsync("b.txt", B2);
        await EmbedAsync();
        Assert.Null(await TopArticleAsync(B));
        Assert.Equal("b.txt", await TopArticleAsync(B2));

        // A copy of stored text under a new source reuses the vector at once.
        await StoreAsync("c-copy.txt", C);
        var hits = await _store.SearchVectorAsync(VectorOf(C), 2);
        Assert.Equal(["c-copy.txt", "c.txt"], hits.Select(h => h.ArticleId.Value).Order(StringComparer.Ordinal));

        Assert.Equal(1, _store.VectorFullLoads);

        // A removed source frees vectors another passage may get again: the index is loaded whole, once.
        await _store.RemoveSourceAsync("a.txt");
        Assert.Null(await TopArticleAsync(A));
        Assert.Equal("c.txt", (await _store.SearchVectorAsync(VectorOf(C), 2)).Select(h => h.ArticleId.Value).Order(StringComparer.Ordinal).Last());
        Assert.Equal(2, _store.VectorFullLoads);
    }

    [Fact]
    public async Task A_second_store_on_the_same_database_sees_the_first_ones_changes()
    {
        const string A = "Turkish troops reinforced twelve observation posts in Idlib province on Sunday.";
        const string B = "Russian jets struck villages in southern Idlib, a war monitor said on Tuesday.";
        await StoreAsync("a.txt", A);
        await EmbedAsync();
        using var other = new SqliteCorpusStore(Path.Combine(_folder.Path, "bot.db"));
        Assert.Equal("a.txt", (await other.SearchVectorAsync(VectorOf(A), 1))[0].ArticleId.Value);

        await StoreAsync("b.txt", B);
        await EmbedAsync();
        await StoreAsync("a.txt", B + " Again.");

        var hits = await other.SearchVectorAsync(VectorOf(A), 5);
        Assert.DoesNotContain(hits, h => h.Score > 0.9); // a.txt's old text is gone
        Assert.Equal("b.txt", (await other.SearchVectorAsync(VectorOf(B), 1))[0].ArticleId.Value);
        Assert.Equal(1, other.VectorFullLoads);
    }
}

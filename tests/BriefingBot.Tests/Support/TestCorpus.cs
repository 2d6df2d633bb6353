using BriefingBot.Core.Answering;
using BriefingBot.Core.Briefing;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using BriefingBot.Core.Retrieval;
using BriefingBot.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BriefingBot.Tests.Support;

/// <summary>A corpus folder and a real SQLite store in a temporary folder, with the core services over them.</summary>
internal sealed class TestCorpus : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "briefingbot-tests", Guid.NewGuid().ToString("N"));

    public TestCorpus(ITextEmbedder? embedder = null, IngestionOptions? ingestion = null, IReadOnlyList<IArticleFormat>? formats = null)
    {
        Directory.CreateDirectory(CorpusPath);
        Store = new SqliteCorpusStore(DatabasePath);
        Embedder = embedder;
        Composer = new BriefingComposer(Store, Options.Create(new BriefingOptions()));
        Stories = new StoryAssigner(Store, Composer);
        Ingestor = new CorpusIngestor(Store, Store, formats ?? CorpusIngestor.StandardFormats, Options.Create(ingestion ?? new IngestionOptions()), Time, NullLogger<CorpusIngestor>.Instance,
            stories: Stories);
        Retriever = new HybridRetriever(Store, Options.Create(new RetrievalOptions()), NullLogger<HybridRetriever>.Instance, embedder);
        Answerer = new ExtractiveAnswerer(Store, Options.Create(new AnsweringOptions()), Time);
    }

    public string CorpusPath => Path.Combine(_root, "corpus");

    public string DatabasePath => Path.Combine(_root, "data", "test.db");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 7, 0, 0, TimeSpan.Zero));

    public SqliteCorpusStore Store { get; }

    public ITextEmbedder? Embedder { get; }

    public CorpusIngestor Ingestor { get; }

    /// <summary>The briefing composer over the store; ingestion gives articles their stories through it.</summary>
    public BriefingComposer Composer { get; }

    public StoryAssigner Stories { get; }

    public HybridRetriever Retriever { get; }

    public ExtractiveAnswerer Answerer { get; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(CorpusPath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteBytes(string relativePath, byte[] content)
    {
        var path = Path.Combine(CorpusPath, relativePath);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void AddBundledArticle() => File.Copy(RepoFiles.BundledArticle, Path.Combine(CorpusPath, Path.GetFileName(RepoFiles.BundledArticle)));

    public Task<IngestReport> IngestAsync() => Ingestor.IngestAsync(CorpusPath);

    public async Task EmbedAsync()
    {
        if (Embedder is not null)
        {
            await new EmbeddingBackfill(Store, Embedder, NullLogger<EmbeddingBackfill>.Instance).RunAsync();
        }
    }

    public async Task<Answer> AskAsync(string question)
    {
        var retrieval = await Retriever.RetrieveAsync(question);
        return await Answerer.AnswerAsync(retrieval);
    }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine is cleaned with the temp folder later.
        }
    }
}

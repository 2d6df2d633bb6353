using BriefingBot.Embeddings.MiniLM;

namespace BriefingBot.Tests.Support;

/// <summary>One real MiniLM encoder for every test that needs dense vectors; loading the model takes a moment.</summary>
public sealed class EmbedderFixture : IDisposable
{
    public MiniLmEmbedder Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EmbedderCollection : ICollectionFixture<EmbedderFixture>
{
    public const string Name = "MiniLM";
}

using BriefingBot.Core.Coordination;
using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BriefingBot.Tests.Instances;

/// <summary>Processes on one store ingest their corpus folders one at a time.</summary>
public sealed class IngestionLeaseSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ingestion_waits_while_another_process_ingests_and_then_runs_and_gives_the_lease_up()
    {
        var corpus = Path.Combine(_folder.Path, "corpus");
        Directory.CreateDirectory(corpus);
        File.Copy(RepoFiles.BundledArticle, Path.Combine(corpus, Path.GetFileName(RepoFiles.BundledArticle)));
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = Path.Combine(_folder.Path, "bot.db"),
            ["Corpus:Path"] = corpus,
            ["Embeddings:Enabled"] = "false",
            ["Logging:Console:LogLevel:Default"] = "None",
        });
        var leases = host.Services.GetRequiredService<ILeaseStore>();
        Assert.True(await leases.TryAcquireAsync("corpus/folder", "another-process", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));

        var ingestion = host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(corpus);
        await Task.Delay(1500);
        Assert.False(ingestion.IsCompleted);

        await leases.ReleaseAsync("corpus/folder", "another-process");
        var report = await ingestion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, report.FilesAdded);
        Assert.Empty(await leases.GetLeasesAsync("corpus/", DateTimeOffset.UtcNow));
    }
}

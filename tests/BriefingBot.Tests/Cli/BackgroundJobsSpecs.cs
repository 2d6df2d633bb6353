using BriefingBot.Chat.Platforms;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Embeddings;
using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Cli;

/// <summary>The bot's background work runs as hosted services, and one that cannot go on stops the bot with a reason.</summary>
public sealed class BackgroundJobsSpecs
{
    private sealed class BrokenEncoder : ITextEmbedder
    {
        public string Model => "broken";

        public int Dimensions => 384;

        public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the encoder's model file is unreadable");
    }

    [Fact]
    public async Task A_failing_embedding_backfill_stops_the_bot_and_says_why()
    {
        using var cli = new CliRun();
        var logs = new CapturingLoggerProvider();
        var corpus = Path.Combine(cli.Folder, "corpus");
        Directory.CreateDirectory(corpus);
        File.Copy(RepoFiles.BundledArticle, Path.Combine(corpus, Path.GetFileName(RepoFiles.BundledArticle)));
        using var host = BotHost.Build(RepoFiles.Root, new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = cli.DatabasePath,
            ["Corpus:Path"] = corpus,
            ["Logging:Console:LogLevel:Default"] = "None",
        }, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddSingleton<ITextEmbedder>(new BrokenEncoder());
            services.AddBackgroundJobs();
        });
        await host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(host.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path);

        await host.StartAsync();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();

        var (what, error) = Assert.Single(host.Services.GetRequiredService<PlatformFailures>().All);
        Assert.Equal("embedding backfill", what);
        Assert.Contains("unreadable", error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("embedding backfill", StringComparison.Ordinal));
    }
}

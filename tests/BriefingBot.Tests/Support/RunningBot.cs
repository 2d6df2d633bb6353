using BriefingBot.Core.Ingestion;
using BriefingBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BriefingBot.Tests.Support;

/// <summary>
/// The whole bot as the executable runs it (the same host, SQLite store and adapters) over the bundled article,
/// started against platform settings the test gives (which may name another corpus) — loopback servers in place of Discord and Slack.
/// </summary>
internal sealed class RunningBot : IAsyncDisposable
{
    private readonly CliRun _folder;

    private RunningBot(IHost host, CapturingLoggerProvider logs, CliRun folder)
    {
        Host = host;
        Logs = logs;
        _folder = folder;
    }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<RunningBot> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var logs = new CapturingLoggerProvider();
        var folder = new CliRun();
        var corpus = Path.Combine(folder.Folder, "corpus");
        Directory.CreateDirectory(corpus);
        File.Copy(RepoFiles.BundledArticle, Path.Combine(corpus, Path.GetFileName(RepoFiles.BundledArticle)), overwrite: true);
        var all = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = folder.DatabasePath,
            ["Corpus:Path"] = corpus,
            ["Embeddings:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:Console:LogLevel:Default"] = "None",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var host = BotHost.Build(RepoFiles.Root, all, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            configure?.Invoke(services);
        });
        BotHost.ValidateOptions(host.Services);
        await host.Services.GetRequiredService<CorpusIngestor>().IngestAsync(host.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.Path);
        await host.StartAsync();
        return new RunningBot(host, logs, folder);
    }

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await Host.StopAsync(cts.Token);
        }
        finally
        {
            Host.Dispose();
            _folder.Dispose();
        }
    }
}

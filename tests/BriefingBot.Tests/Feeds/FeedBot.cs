using BriefingBot.Core.Articles;
using BriefingBot.Core.Chat;
using BriefingBot.Core.Feeds;
using BriefingBot.Feeds;
using BriefingBot.Hosting;
using BriefingBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BriefingBot.Tests.Feeds;

/// <summary>A bot on a database of its own with feeds turned on, its log lines kept; a second one on the same folder is a restart.</summary>
internal sealed class FeedBot : IDisposable
{
    private FeedBot(IHost host, CapturingLoggerProvider logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public FeedPoller Poller => Host.Services.GetRequiredService<FeedPoller>();

    public IFeedStore Feeds => Host.Services.GetRequiredService<IFeedStore>();

    public ICorpusStore Store => Host.Services.GetRequiredService<ICorpusStore>();

    public ChatRouter Router => Host.Services.GetRequiredService<ChatRouter>();

    public static FeedBot Start(string folder, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var logs = new CapturingLoggerProvider();
        var corpus = Path.Combine(folder, "corpus");
        Directory.CreateDirectory(corpus);
        var all = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = Path.Combine(folder, "bot.db"),
            ["Corpus:Path"] = corpus,
            ["Embeddings:Enabled"] = "false",
            ["Feeds:AllowPrivateAddresses"] = "true",
            ["Feeds:Timeout"] = "00:00:03",
            ["Logging:Console:LogLevel:Default"] = "None",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var host = BotHost.Build(RepoFiles.Root, all, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            configure?.Invoke(services);
        });
        return new FeedBot(host, logs);
    }

    public async Task<FeedState> AddAsync(string url, bool fetchArticles = true)
    {
        await Feeds.AddFeedAsync(new FeedSource(url, null, TimeSpan.FromMinutes(15), fetchArticles), DateTimeOffset.UtcNow);
        return (await Feeds.GetFeedsAsync()).Single(f => f.Feed.Url == url);
    }

    public async Task<FeedPollReport> PollAsync(string url) =>
        await Poller.PollOneAsync((await Feeds.GetFeedsAsync()).Single(f => f.Feed.Url == url));

    public async Task<Core.Answering.Answer> AskAsync(string question) =>
        Assert.IsType<AnswerReply>(await Router.HandleAsync(new AskRequest(question))).Answer;

    public IReadOnlyList<string> FeedFailures => Logs.Lines.Where(l => l.Contains("failed:", StringComparison.Ordinal) && l.StartsWith("Warning", StringComparison.Ordinal)).ToList();

    public void Dispose() => Host.Dispose();
}
